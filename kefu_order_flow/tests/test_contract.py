# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The signed version is the contract: the content decides, not the path that
moved it (declared sheet items, the version's snapshot and diff, the invariant
at every gate, the PDF as sent, terms fixed at sending, resets, the integrity
check)."""

import datetime
import re

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged
from odoo.tools import format_date

from .common import NOW, KefuCase

CJK = re.compile(r"[\u4e00-\u9fff]")


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestContract(KefuCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._load_zh_cn()
        cls._stock_film()

    def _move_line_behind_the_orm(self, order, spec="30μm"):
        """A value moved without the ORM (a script, a restore, SQL): nothing
        recomputes the stored fingerprint."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE sale_order_line SET kefu_spec = %s WHERE id = %s",
            (spec, order.order_line[:1].id),
        )
        self.env.invalidate_all()

    def _recomputed_by_another_path(self, order):
        """The stored fingerprint moved by a path no flow hook sees (a
        recomputation after a change elsewhere): only the gates can tell."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE sale_order SET kefu_content_fingerprint = 'XXXX-XXXX' "
            "WHERE id = %s",
            (order.id,),
        )
        self.env.invalidate_all()

    # 1. One declaration ----------------------------------------------------
    def test_the_declaration_drives_fingerprint_and_its_dependencies(self):
        order_items = {f.name for f in self.env["sale.order"]._kefu_sheet_item_fields()}
        line_items = {
            f.name for f in self.env["sale.order.line"]._kefu_sheet_item_fields()
        }
        self.assertLessEqual(
            {
                "partner_id",
                "partner_shipping_id",
                "payment_term_id",
                "pricelist_id",
                "kefu_requested_date",
                "kefu_special_notes",
                "kefu_supervision_notes",
                "kefu_sheet_date",
                "kefu_deposit_percent",
            },
            order_items,
        )
        self.assertLessEqual(
            {
                "product_id",
                "name",
                "display_type",
                "product_uom_qty",
                "product_uom",
                "price_unit",
                "discount",
                "tax_id",
                "product_packaging_id",
                "kefu_spec",
                "kefu_packaging",
                "kefu_tolerance_pct",
            },
            line_items,
        )
        field = self.env["sale.order"]._fields["kefu_content_fingerprint"]
        depends = set(self.env.registry.field_depends[field])
        self.assertLessEqual(order_items, depends)
        self.assertLessEqual({f"order_line.{name}" for name in line_items}, depends)
        order = self._order()
        content = order._kefu_sheet_content()
        self.assertEqual(set(content["order"]), order_items)
        self.assertEqual(set(content["lines"][str(order.order_line.id)]), line_items)

    # 2. The version keeps what was signed; the diff says what changed --------
    def test_a_note_line_voids_the_sheet_with_the_diff_in_chinese(self):
        order = self._to_sheet_sent(self._order())
        version = order.kefu_sheet_version_id
        self.assertEqual(version.content, order._kefu_sheet_content())
        self.assertEqual(version.content_fingerprint, order.kefu_content_fingerprint)
        self.assertEqual(version.fingerprint, version.content_fingerprint)
        # Not a product line, so the path-based guard let it through.
        order.with_user(self.clerk).with_context(lang="zh_CN").write(
            {
                "order_line": [
                    Command.create({"display_type": "line_note", "name": "改用纸箱"})
                ]
            }
        )
        self.assertEqual((order.kefu_stage, version.state), ("review", "void"))
        note = order.message_ids[0].body
        self.assertIn(version.fingerprint, note)
        self.assertIn("改用纸箱", note)
        self.assertRegex(note, CJK)
        self.assertIn("改用纸箱", version.void_reason)

    def test_the_diff_names_each_item_signed_and_now(self):
        order = self._to_released(self._order(self.customer_b))
        self.assertFalse(order._kefu_content_diff())
        self._move_line_behind_the_orm(order, "50μm")
        self.env.add_to_compute(order._fields["kefu_content_fingerprint"], order)
        diff = order.with_context(lang="zh_CN")._kefu_content_diff()
        self.assertEqual(len(diff), 1)
        self.assertEqual(diff[0]["signed"], "20μm × 1000mm")
        self.assertEqual(diff[0]["now"], "50μm")
        self.assertIn("规格", diff[0]["item"])
        self.assertIn("50μm", order.kefu_content_changes)

    # 3. One invariant at every gate -----------------------------------------
    def test_released_order_refuses_every_kind_of_line_and_item(self):
        order = self._to_released(self._order(self.customer_b))
        changes = {
            "note line": {
                "order_line": [
                    Command.create({"display_type": "line_note", "name": "加急"})
                ]
            },
            "section": {
                "order_line": [
                    Command.create({"display_type": "line_section", "name": "第二批"})
                ]
            },
            "discount line": {
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.film2.id,
                            "price_unit": -500,
                            "name": "折扣",
                        }
                    )
                ]
            },
            "supervision notes": {"kefu_supervision_notes": "不再抽检"},
            "customer reference": {"client_order_ref": "PO-999"},
        }
        for lang in ("en_US", "zh_CN"):
            for name, vals in changes.items():
                with self.subTest(change=name, lang=lang):
                    clerk = order.with_user(self.clerk).with_context(lang=lang)
                    with self._refused("(?i)change order|改单") as err:
                        clerk.write(vals)
                    if lang == "zh_CN":
                        self.assertRegex(str(err.exception), CJK)
        self.assertEqual(order.kefu_stage, "released")
        self.assertFalse(order._kefu_contract_error())

    def test_every_gate_compares_the_content(self):
        order = self._to_released(self._order(self.customer_b))
        self._recomputed_by_another_path(order)
        report = self.env.ref("kefu_order_flow.action_report_kefu_production_order")
        for lang, pattern in (("en_US", "differs from sheet version"), ("zh_CN", CJK)):
            with self.subTest(lang=lang):
                with self._refused(pattern):
                    self.env["ir.actions.report"].with_user(self.clerk).with_context(
                        lang=lang
                    )._render_qweb_pdf(report, order.ids)
                with self._refused(pattern):
                    order.picking_ids.with_user(self.shipper).with_context(
                        lang=lang
                    ).button_validate()
        with self._refused("differs from sheet version"):
            self._completion(order)

    def test_release_and_shipping_approval_compare_the_content(self):
        order = self._to_returned(self._order(self.customer_c))
        self._recomputed_by_another_path(order)
        self.assertIn("differs from sheet version", order.kefu_release_blockers)
        with self._refused("differs from sheet version"):
            order.with_user(self.clerk).action_confirm()
        self.assertEqual(order.kefu_stage, "returned")
        released = self._to_released(self._order(self.customer_c))
        released.with_user(self.finance).action_kefu_confirm_payment()
        self._recomputed_by_another_path(released)
        with self._refused("differs from sheet version"):
            released.with_user(self.finance).action_kefu_approve_shipping()
        self.assertEqual(released.kefu_ship_state, "awaiting_payment")

    # 4. The PDF as sent is the document ---------------------------------------
    def test_a_sent_version_prints_as_sent(self):
        order = self._to_sheet_sent(self._order())
        sent = order.kefu_sheet_version_id.attachment_id.raw
        report = self.env.ref("kefu_order_flow.action_report_kefu_confirmation_sheet")
        pdf, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.clerk)
            ._render_qweb_pdf(report, order.ids)
        )
        self.assertEqual(pdf, sent)
        # The version that went out prints its sheet date (预交日); in test
        # mode Odoo keeps the HTML it renders instead of a PDF.
        self.assertIn(format_date(self.env, order.kefu_sheet_date), sent.decode())
        # Its sheet date (预交日) is inside the fingerprint.
        self.assertEqual(
            order.kefu_sheet_version_id.content["order"]["kefu_sheet_date"],
            order.kefu_sheet_date.isoformat(),
        )

    # 5. Terms fixed when the sheet goes out -----------------------------------
    def test_a_grade_change_does_not_reach_an_order_sent(self):
        sent = self._to_sheet_sent(self._order(self.customer_b))
        draft = self._order(self.customer_b)
        self.assertEqual(sent.kefu_deposit_percent, 0)
        self.grade_b.deposit_percent = 30
        self.assertEqual(self.customer_b.kefu_deposit_percent, 30)
        self.assertEqual(draft.kefu_deposit_percent, 30)
        self.assertEqual(sent.kefu_deposit_percent, 0)
        self.assertEqual(sent.kefu_deposit_state, "not_required")
        self.assertEqual(sent.kefu_stage, "sheet_sent")
        self.assertEqual(sent.kefu_sheet_version_id.state, "current")

    # 8. Resets keep nothing signed --------------------------------------------
    def test_cancel_voids_the_version_and_the_statements(self):
        order = self._to_sheet_sent(self._order())
        version = order.kefu_sheet_version_id
        tech, prod = (
            order.kefu_tech_confirmation_id,
            order.kefu_production_confirmation_id,
        )
        self.env["sale.order.cancel"].with_user(self.clerk).create(
            {"order_id": order.id}
        ).action_cancel()
        self.assertEqual(
            (version.state, tech.state, prod.state), ("void", "void", "void")
        )
        order.with_user(self.clerk).action_draft()
        self._to_review(order)
        self.assertIn(
            "No signed technical confirmation",
            "\n".join(order._get_kefu_review_blockers()),
        )

    def test_a_new_completion_date_after_the_return_needs_a_new_version(self):
        order = self._to_returned(self._order())
        version = order.kefu_sheet_version_id
        self._sign_production(order, completion=datetime.date(2026, 3, 16))
        self.assertEqual((order.kefu_stage, version.state), ("review", "void"))
        self.assertIn("2026", version.void_reason)

    def test_a_new_completion_date_after_release_is_refused(self):
        order = self._to_released(self._order(self.customer_b))
        with self._refused("(?i)change order"):
            self._sign_production(order, completion=datetime.date(2026, 3, 16))
        self.assertEqual(order.kefu_completion_date, datetime.date(2026, 3, 10))

    # 12. The integrity check -----------------------------------------------------
    def test_the_integrity_check_finds_what_moved_behind_the_orm(self):
        good = self._to_released(self._order(self.customer_b))
        bad = self._to_released(self._order(self.customer_b))
        checked = self.env["sale.order"].with_user(self.assistant)
        self.assertEqual(checked.kefu_check_integrity(), [])
        self.assertEqual(
            checked.action_kefu_check_integrity()["params"]["type"], "success"
        )
        self._move_line_behind_the_orm(bad)
        problems = checked.kefu_check_integrity()
        self.assertEqual({p["order_id"] for p in problems}, set(bad.ids))
        self.assertEqual(len(problems), 2)  # the content, the stale fingerprint
        self.assertNotIn(good.id, [p["order_id"] for p in problems])
        action = checked.with_context(lang="zh_CN").action_kefu_check_integrity()
        self.assertIn(bad.name, action["params"]["message"])
        self.assertRegex(action["params"]["message"], CJK)
        self.assertEqual(action["params"]["next"]["domain"], [("id", "in", bad.ids)])
        # The daily cron tells the supervisor once, however often it runs.
        self.env["sale.order"]._cron_kefu_check_integrity()
        self.env["sale.order"]._cron_kefu_check_integrity()
        alerts = bad.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("kefu_order_flow.mail_activity_kefu_integrity")
            )
        )
        self.assertIn(self.supervisor, alerts.user_id)
        self.assertEqual(len(alerts), len(alerts.user_id))
        self.assertFalse(
            good.activity_ids.filtered(lambda a: a.user_id == self.supervisor)
        )

    # 11. Public methods check their arguments ----------------------------------
    def test_public_methods_refuse_bad_arguments_in_words(self):
        order = self._to_released(self._order(self.customer_c))
        finance = order.with_user(self.finance)
        clerk = order.with_user(self.clerk)
        supervisor = order.with_user(self.supervisor)
        calls = {
            "amount text": lambda o: o.action_kefu_confirm_payment(amount="100"),
            "amount NaN": lambda o: o.action_kefu_confirm_payment(amount=float("nan")),
            "amount infinite": lambda o: o.action_kefu_confirm_payment(
                amount=float("inf")
            ),
            "amount negative": lambda o: o.action_kefu_confirm_payment(amount=-5),
            "received in the future": lambda o: o.action_kefu_confirm_payment(
                received_at="2027-01-01 00:00:00"
            ),
            "received not a date": lambda o: o.action_kefu_confirm_payment(
                received_at="昨天"
            ),
            "reason a list": lambda o: o.action_kefu_change_order(["客户", "改单"]),
            "reason a number": lambda o: o.action_kefu_change_order(12345),
            "too many arguments": lambda o: o.action_kefu_change_order("改数量", 1),
            "channel a list": lambda o: o.action_kefu_send_deposit(["fax"]),
            "attachment a text": lambda o: o.action_kefu_record_formula_choice(
                "old", attachment_id="1"
            ),
            "attachment negative": lambda o: o.env["sale.order"].kefu_match_scan(-3),
        }
        before = order.read(["kefu_stage", "kefu_payment_received_amount"])
        for lang, pattern in (("en_US", "refused|arguments"), ("zh_CN", CJK)):
            for name, call in calls.items():
                user = finance if "amount" in name or "received" in name else clerk
                if name == "reason a number":
                    user = supervisor
                with self.subTest(call=name, lang=lang):
                    with self._refused(pattern):
                        call(user.with_context(lang=lang))
        self.assertEqual(
            order.read(["kefu_stage", "kefu_payment_received_amount"]), before
        )

    # After shipping, Odoo invoices what the customer signed ------------------
    def test_a_shipped_order_is_invoiced_the_odoo_way(self):
        order = self._conformity_accepted(
            self._to_released(self._order(self.customer_a))
        )
        picking = order.picking_ids
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking.with_user(self.shipper).button_validate()
        self.assertIn(order.kefu_stage, ("shipped", "done"))
        invoice = order._create_invoices()
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        signed = order.kefu_sheet_version_id.content["lines"]
        invoiced = invoice.invoice_line_ids.filtered("sale_line_ids")
        self.assertTrue(invoiced)
        for line in invoiced:
            sold = signed[str(line.sale_line_ids.id)]
            self.assertEqual(line.quantity, sold["product_uom_qty"])
            self.assertEqual(line.price_unit, sold["price_unit"])
        self.assertFalse(order._kefu_contract_error())
        self.assertEqual(self.env["sale.order"].kefu_check_integrity(), [])
