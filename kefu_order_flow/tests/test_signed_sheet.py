# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The signed sheet is what gets produced: every sheet
item voids a sent version, versions carry a fingerprint, a released order
changes only through a change order, a return needs its proof, grade A's early
release needs the fax received, and slippage counts from the right send."""

import datetime
import re
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..tools.kefu_fingerprint import fingerprint
from .common import NOW, KefuCase, return_proof

CJK = re.compile(r"[\u4e00-\u9fff]")


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestSignedSheet(KefuCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._load_zh_cn()
        cls.tax = cls.env["account.tax"].create(
            {"name": "增值税 13%", "amount": 13, "type_tax_use": "sale"}
        )
        cls.address = cls.env["res.partner"].create(
            {
                "name": "乙级客户 二号仓",
                "parent_id": cls.customer_b.id,
                "type": "other",
            }
        )

    # Rule 1: every sheet item ---------------------------------------------
    def test_every_sheet_item_voids_the_sent_sheet(self):
        changes = {
            "payment term": lambda o: {
                "payment_term_id": self.env.ref(
                    "account.account_payment_term_15days"
                ).id
            },
            "delivery address": lambda o: {"partner_shipping_id": self.address.id},
            "requested date": lambda o: {
                "kefu_requested_date": datetime.date(2026, 3, 25)
            },
            "special requirements": lambda o: {"kefu_special_notes": "加印批号"},
            "sheet date": lambda o: {"kefu_sheet_date": datetime.date(2026, 3, 12)},
            "line description": lambda o: {
                "order_line": [Command.update(o.order_line.id, {"name": "改名"})]
            },
            "line taxes": lambda o: {
                "order_line": [
                    Command.update(o.order_line.id, {"tax_id": [Command.set([])]})
                ]
            },
            "line unit": lambda o: {
                "order_line": [
                    Command.update(
                        o.order_line.id,
                        {"product_uom": self.env.ref("uom.product_uom_ton").id},
                    )
                ]
            },
            "line added": lambda o: {"order_line": [self._line(self.film2)]},
            "line removed": lambda o: {
                "order_line": [
                    Command.create({"display_type": "line_note", "name": "注"})
                ]
                + [Command.unlink(o.order_line.filtered("product_id").id)]
            },
        }
        for name, change in changes.items():
            with self.subTest(item=name):
                order = self._to_sheet_sent(
                    self._order(
                        order_line=[self._line(tax_id=[Command.set(self.tax.ids)])]
                    )
                )
                version = order.kefu_sheet_version_id
                order.with_user(self.clerk).write(change(order))
                self.assertEqual(order.kefu_stage, "review")
                self.assertEqual(order.kefu_return_state, "none")
                self.assertEqual(version.state, "void")
                note = order.message_ids[0].body
                self.assertIn("is void", note)
                self.assertIn(version.fingerprint, note)

    def test_unchanged_write_keeps_the_sheet(self):
        order = self._to_sheet_sent(self._order())
        order.with_user(self.clerk).write({"payment_term_id": order.payment_term_id.id})
        self.assertEqual(order.kefu_stage, "sheet_sent")

    def test_customer_swap_resnapshots_the_grade_and_needs_a_new_sheet(self):
        order = self._to_sheet_sent(self._order(self.customer_b))
        order.with_user(self.clerk).partner_id = self.customer_a
        self.assertEqual(order.kefu_stage, "review")
        self.assertEqual(order.kefu_grade_id, self.grade_a)
        self.assertIn("not been sent", order.kefu_release_blockers)
        with self.assertRaises(UserError):
            order.with_user(self.clerk).action_confirm()

    # Rule 2: versions and fingerprints ----------------------------------------
    def test_fingerprint_names_one_content(self):
        order = self._to_sheet_sent(self._order())
        first = order.kefu_sheet_version_id
        self.assertRegex(first.fingerprint, r"^[A-Z2-7]{4}-[A-Z2-7]{4}$")
        self.assertEqual(first.fingerprint, order.kefu_content_fingerprint)
        self.assertEqual(first.fingerprint, fingerprint(order._kefu_sheet_content()))
        self.assertTrue(first.attachment_id)
        self.assertEqual(first.display_name, f"{order.name} v1")
        order.order_line.with_user(self.clerk).product_uom_qty = 120
        self.assertNotEqual(first.fingerprint, order.kefu_content_fingerprint)
        order.with_user(self.clerk).action_kefu_check_prices()
        self._sign_tech(order)
        self._sign_production(order)
        order.with_user(self.clerk).action_kefu_send_sheet()
        second = order.kefu_sheet_version_id
        self.assertEqual((first.state, second.state), ("void", "current"))
        self.assertNotEqual(first.fingerprint, second.fingerprint)
        with self.assertRaisesRegex(UserError, "last"):
            order.with_user(self.clerk).action_kefu_register_return(
                True, sheet_version=1, **return_proof(order)
            )
        self.assertEqual(order.kefu_stage, "sheet_sent")

    # Rule 3: released orders are locked ---------------------------------------
    def test_released_order_changes_only_through_a_change_order(self):
        order = self._to_released(self._order(self.customer_a))
        picking = order.picking_ids
        for lang in ("en_US", "zh_CN"):
            clerk = order.with_user(self.clerk).with_context(lang=lang)
            with self.subTest(lang=lang):
                with self.assertRaisesRegex(UserError, "(?i)change order|改单") as err:
                    clerk.kefu_requested_date = datetime.date(2026, 3, 28)
                if lang == "zh_CN":
                    self.assertRegex(str(err.exception), CJK)
                with self.assertRaises(UserError):
                    clerk.order_line.product_uom_qty = 150
                with self.assertRaises(UserError):
                    clerk.write({"order_line": [self._line(self.film2)]})
                with self.assertRaises(UserError):
                    clerk.action_kefu_change_order(" ")
        for user in (self.finance, self.shipper, self.producer, self.assistant):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                order.with_user(user).action_kefu_change_order("客户要求改数量")
        order.with_user(self.clerk).action_kefu_change_order("客户追加 50 kg")
        self.assertEqual((order.state, order.kefu_stage), ("sale", "review"))
        self.assertEqual(order.kefu_return_state, "none")
        self.assertTrue(
            order.activity_ids.filtered(lambda a: a.user_id == self.producer)
        )
        self._pick(picking)
        with self.assertRaisesRegex(UserError, "change order"):
            picking.with_user(self.shipper).button_validate()
        order.order_line.with_user(self.clerk).product_uom_qty = 150
        self.assertEqual(sum(picking.move_ids.mapped("product_uom_qty")), 150)
        # Re-release needs what a first release needs.
        with self.assertRaises(UserError):
            order.with_user(self.clerk).action_confirm()
        order.with_user(self.clerk).action_kefu_check_prices()
        self._sign_tech(order)
        self._sign_production(order)
        order.with_user(self.clerk).action_kefu_send_sheet()
        self.assertEqual(order.kefu_sheet_version, 2)
        order.with_user(self.clerk).action_kefu_register_return(
            True, **return_proof(order)
        )
        order.with_user(self.clerk).action_confirm()
        self.assertEqual((order.state, order.kefu_stage), ("sale", "released"))
        self.assertEqual(len(order.picking_ids), 1)
        self._conformity_accepted(order, quantity=150)
        self._pick(picking)
        picking.with_user(self.shipper).button_validate()
        self.assertEqual(picking.state, "done")

    def _pick(self, picking):
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True

    # Rule 4: the proof of the return ------------------------------------------
    def test_accepting_a_return_needs_the_scan_and_the_signer(self):
        order = self._to_sheet_sent(self._order())
        clerk = order.with_user(self.clerk)
        proof = return_proof(order)
        with self.assertRaisesRegex(UserError, "scan"):
            clerk.action_kefu_register_return(True, signer="张经理")
        with self.assertRaisesRegex(UserError, "signed or stamped"):
            clerk.action_kefu_register_return(
                True, attachment_id=proof["attachment_id"]
            )
        with self.assertRaisesRegex(UserError, "why"):
            clerk.action_kefu_register_return(False)
        self.assertEqual(order.kefu_stage, "sheet_sent")
        clerk.action_kefu_register_return(True, **proof)
        ret = order.kefu_sheet_version_id.return_ids
        self.assertEqual(
            (ret.signer, ret.attachment_id.id),
            ("采购部 张经理", proof["attachment_id"]),
        )
        order.with_user(self.clerk).action_confirm()
        report = self.env.ref("kefu_order_flow.action_report_kefu_production_order")
        html = report._render_qweb_html(report, order.ids)[0].decode()
        self.assertIn("采购部 张经理", html)
        # What production needs: who signed and when, the production date;
        # not the name of the scan's file.
        self.assertNotIn(ret.attachment_id.name, html)
        self.assertIn("Production date", html)

    # Rule 5: grade A's early release ------------------------------------------
    def test_grade_a_no_early_release_after_a_rejected_return(self):
        order = self._to_sheet_sent(self._order(self.customer_a))
        order.with_user(self.clerk).action_kefu_mark_sheet_received()
        order.with_user(self.clerk).action_kefu_register_return(
            False, reject_reason="stamp"
        )
        self.assertIn("rejected", order.kefu_release_blockers)
        with self.assertRaises(UserError):
            order.with_user(self.clerk).action_confirm()
        self.assertEqual(order.state, "draft")

    def test_failed_backfill_reaches_the_supervisor_once(self):
        order = self._to_sheet_sent(self._order(self.customer_a))
        order.with_user(self.clerk).action_kefu_mark_sheet_received()
        order.with_user(self.clerk).action_confirm()
        self.assertTrue(order.kefu_backfill_pending)

        def alerts():
            return order.activity_ids.filtered(
                lambda a: a.user_id == self.supervisor and "Back-fill" in a.summary
            )

        with freeze_time(NOW + timedelta(days=5)):
            self.assertEqual(self.env["sale.order"]._cron_kefu_backfill_overdue(), 1)
            self.assertEqual(self.env["sale.order"]._cron_kefu_backfill_overdue(), 0)
        self.assertEqual(len(alerts()), 1)
        order.with_user(self.clerk).action_kefu_register_return(
            False, reject_reason="signature"
        )
        self.assertEqual(len(alerts()), 2)
        self.assertIn("rejected", order.message_ids[0].body)

    def test_cron_alerts_in_the_company_language(self):
        """The cron has no user's language: the supervisors read the alert in
        the company's (a Chinese factory's), whatever OdooBot speaks."""
        order = self._to_sheet_sent(self._order(self.customer_a))
        order.with_user(self.clerk).action_kefu_mark_sheet_received()
        order.with_user(self.clerk).action_confirm()
        self.company.partner_id.lang = "zh_CN"
        with freeze_time(NOW + timedelta(days=5)):
            self.env["sale.order"].with_context(
                lang="en_US"
            )._cron_kefu_backfill_overdue()
        alert = order.activity_ids.filtered(lambda a: a.user_id == self.supervisor)
        self.assertEqual(alert.summary, f"{order.name} 补传签字确认书：已过期限")
        self.assertIn("补传签字确认书", order.message_ids[0].body)

    # Rule 6: slippage counts from the right send -----------------------------
    def test_cancel_and_back_to_quotation_restarts_the_count(self):
        order = self._to_sheet_sent(self._order())
        order.with_user(self.clerk).with_context(
            disable_cancel_warning=True
        ).action_cancel()
        order.with_user(self.clerk).action_draft()
        self.assertFalse(order.kefu_sheet_sent_at)

    def test_new_completion_date_restarts_the_count(self):
        order = self._to_sheet_sent(self._order())
        first = order.kefu_sheet_sent_at
        with freeze_time(NOW + timedelta(days=2)):
            order.order_line.with_user(self.clerk).product_uom_qty = 120
            order.with_user(self.clerk).action_kefu_check_prices()
            self._sign_tech(order)
            self._sign_production(order, completion=datetime.date(2026, 3, 14))
            order.with_user(self.clerk).action_kefu_send_sheet()
        self.assertGreater(order.kefu_sheet_sent_at, first)
        self.assertEqual(order.kefu_sheet_sent_at, order.kefu_sheet_version_id.sent_at)

    def test_production_order_shows_the_planned_date_with_the_slip(self):
        order = self._to_sheet_sent(self._order())
        with freeze_time(NOW + timedelta(days=2)):
            order.with_user(self.clerk).action_kefu_register_return(
                True, **return_proof(order)
            )
            order.with_user(self.clerk).action_confirm()
        self.assertEqual(order.kefu_slip_days, 2)
        report = self.env.ref("kefu_order_flow.action_report_kefu_production_order")
        html = report._render_qweb_html(report, order.ids)[0].decode()
        self.assertIn("slipped", html)
