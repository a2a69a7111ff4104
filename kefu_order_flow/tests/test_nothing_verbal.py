# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Nothing verbal counts: every answer that matters is
written, signed or recorded in the name of the user who gives it."""

import base64
import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PRICE_REASON, KefuCase

D = datetime.date


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 02:00:00")
class TestNothingVerbal(KefuCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._load_zh_cn()
        cls._stock_film()

    def _attachment(self, order, name="客户书面确认.pdf"):
        return (
            self.env["ir.attachment"]
            .with_user(self.clerk)
            .create(
                {
                    "name": name,
                    "datas": base64.b64encode(b"%PDF-1.4 scan"),
                    "res_model": "sale.order",
                    "res_id": order.id,
                }
            )
        )

    # 7. Price control ----------------------------------------------------------
    def test_price_check_uses_the_grade_plan_whatever_the_order_list(self):
        other = self.env["product.pricelist"].create(
            {
                "name": "优惠价",
                "currency_id": self.cny.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": self.film.id,
                            "compute_price": "fixed",
                            "fixed_price": 15.0,
                        }
                    )
                ],
            }
        )
        order = self._order(pricelist_id=other.id, order_line=[self._line(price=15.0)])
        self.assertEqual(order.pricelist_id, other)
        order.with_user(self.clerk).action_kefu_check_prices()
        self.assertEqual(order.kefu_price_state, "mismatch")
        self.assertTrue(order.kefu_pricelist_doubt)
        # Compared with the grade's plan (list price 20), not the order's list.
        self.assertEqual(order.order_line.kefu_list_price, 20.0)
        self.assertTrue(order.order_line.kefu_price_flag)
        order.with_user(self.clerk).action_kefu_escalate_prices()
        notes = order.activity_ids.mapped("note")
        self.assertTrue(any("price execution plan" in (n or "") for n in notes))

    def test_a_change_after_the_check_resets_it_in_every_stage(self):
        order = self._order()
        clerk = order.with_user(self.clerk)
        clerk.action_kefu_check_prices()
        self.assertEqual(order.kefu_price_state, "ok")
        order.order_line.with_user(self.clerk).product_uom_qty = 120
        self.assertEqual(order.kefu_price_state, "unchecked", "intake, quantity")
        clerk.action_kefu_check_prices()
        order.order_line.with_user(self.clerk).discount = 5
        self.assertEqual(order.kefu_price_state, "unchecked", "intake, discount")
        order.order_line.with_user(self.clerk).discount = 0
        self._to_review(order)
        self.assertEqual(order.kefu_price_state, "ok")
        other = self.env["product.pricelist"].create(
            {"name": "另一价目表", "currency_id": self.cny.id}
        )
        clerk.pricelist_id = other
        self.assertEqual(order.kefu_price_state, "unchecked", "review, price list")
        clerk.pricelist_id = self.pricelist
        clerk.action_kefu_check_prices()
        clerk.partner_id = self.customer_c
        self.assertEqual(order.kefu_price_state, "unchecked", "review, customer")
        clerk.action_kefu_check_prices()
        clerk.write({"order_line": [Command.create(self._line(self.film2)[2])]})
        self.assertEqual(order.kefu_price_state, "unchecked", "line added")

    def test_clerk_never_confirms_a_doubt_even_as_salesperson(self):
        order = self._to_review(
            self._order(user_id=self.clerk.id, order_line=[self._line(price=25.0)])
        )
        self.assertEqual(order.kefu_price_state, "mismatch")
        order.with_user(self.clerk).action_kefu_escalate_prices()
        self.assertRefused(
            lambda env: (
                order.with_env(env)
                .with_user(self.clerk)
                .action_kefu_confirm_prices(PRICE_REASON)
            ),
            "cannot agree with itself",
            AccessError,
        )
        self.assertEqual(order.kefu_price_state, "escalated")
        order.with_user(self.supervisor).action_kefu_confirm_prices(PRICE_REASON)
        self.assertEqual(order.kefu_price_confirmed_by, self.supervisor)

    def test_a_doubt_is_confirmed_only_after_escalation(self):
        order = self._to_review(self._order(order_line=[self._line(price=25.0)]))
        self.assertRefused(
            lambda env: (
                order.with_env(env)
                .with_user(self.supervisor)
                .action_kefu_confirm_prices(PRICE_REASON)
            ),
            "escalated",
        )
        self.assertRefused(
            lambda env: (
                order.with_env(env)
                .with_user(self.salesman)
                .action_kefu_confirm_prices(PRICE_REASON)
            ),
            "escalated",
        )
        self.assertFalse(order.kefu_can_confirm_prices)
        order.with_user(self.clerk).action_kefu_escalate_prices()
        other = self.salesman.copy({"login": "salesman-other"})
        self.assertRefused(
            lambda env: (
                order.with_env(env)
                .with_user(other)
                .action_kefu_confirm_prices(PRICE_REASON)
            ),
            "access|reserved",
            AccessError,
        )
        order.with_user(self.salesman).action_kefu_confirm_prices(PRICE_REASON)
        self.assertEqual(order.kefu_price_state, "confirmed")

    def test_spec_doubt_escalates_like_a_price(self):
        order = self._to_review(self._order())
        self.assertEqual(order.kefu_price_state, "ok")
        self.assertRefused(
            lambda env: (
                order.with_env(env)
                .with_user(self.clerk)
                .action_kefu_flag_spec_doubt(" ")
            ),
            "specification",
        )
        self.assertRefused(
            lambda env: (
                order.with_env(env)
                .with_user(self.technician)
                .action_kefu_flag_spec_doubt("宽度 1000 还是 1050")
            ),
            "reserved",
            AccessError,
        )
        order.with_user(self.clerk).action_kefu_flag_spec_doubt("宽度 1000 还是 1050")
        self.assertEqual(order.kefu_price_state, "mismatch")
        self.assertIn(
            "Prices are not checked", "\n".join(order._get_kefu_review_blockers())
        )
        # A new check does not make the doubt go away.
        order.with_user(self.clerk).action_kefu_check_prices()
        self.assertEqual(order.kefu_price_state, "mismatch")
        order.with_user(self.clerk).action_kefu_escalate_prices()
        notes = " ".join(order.activity_ids.mapped("note"))
        self.assertIn("宽度 1000 还是 1050", notes)
        order.with_user(self.director).action_kefu_confirm_prices(PRICE_REASON)
        self.assertEqual(order.kefu_price_state, "confirmed")
        self.assertFalse(order.kefu_spec_doubt)
        self.assertTrue(
            any(
                "宽度 1000" in (body or "") for body in order.message_ids.mapped("body")
            )
        )

    # 8. The written chain --------------------------------------------------------
    def test_production_signs_after_the_raw_material_statement(self):
        order = self._to_review(self._order())

        def sign(env):
            prod = (
                env["kefu.production.confirmation"]
                .with_user(self.producer)
                .create(
                    {
                        "order_id": order.id,
                        "production_date": D(2026, 3, 5),
                        "completion_date": D(2026, 3, 10),
                    }
                )
            )
            prod.action_sign()

        self.assertRefused(sign, "raw-material statement")
        self._sign_tech(order)
        prod = self._sign_production(order)
        self.assertEqual(prod.state, "signed")

    def test_nothing_signed_answered_or_closed_by_a_context_default(self):
        """A caller's default_<field> context keys sign nothing, answer nothing
        for the department and close no problem: what create refuses in its
        values it ignores in the defaults."""
        order = self._to_review(self._order())
        tech = (
            self.env["kefu.tech.confirmation"]
            .with_user(self.clerk)
            .with_context(
                default_state="signed",
                default_signed_by=self.technician.id,
                default_signed_at="2026-03-02 02:00:00",
                default_can_produce=True,
                default_material_note="电话里说有货",
            )
            .create({"order_id": order.id})
        )
        self.assertEqual(tech.state, "draft")
        self.assertFalse(tech.signed_by or tech.can_produce or tech.material_note)
        self.assertFalse(order.kefu_tech_confirmation_id)
        released = self._to_released(self._order())
        entry = (
            self.env["kefu.monitoring"]
            .with_user(self.assistant)
            .with_context(
                default_resolved_at="2026-03-02 02:00:00",
                default_resolved_by=self.assistant.id,
                default_resolution="口头说好了",
                default_is_open_problem=False,
            )
            .create(
                {"order_id": released.id, "progress": "复卷延误", "is_problem": True}
            )
        )
        self.assertTrue(entry.is_open_problem)
        self.assertFalse(entry.resolved_at or entry.resolution)
        self.assertTrue(released.kefu_open_problem)

    def test_production_confirms_each_line(self):
        order = self._to_review(
            self._order(
                order_line=[
                    self._line(qty=100, kefu_tolerance_pct=5),
                    self._line(
                        self.film2, qty=50, kefu_packaging="纸箱", kefu_tolerance_pct=2
                    ),
                ]
            )
        )
        self._sign_tech(order)
        prod = self._sign_production(order)
        lines = prod.line_summary.splitlines()
        self.assertEqual(len(lines), 2)
        self.assertIn("100.0", lines[0])
        self.assertIn("纸芯 3 寸, 托盘", lines[0])
        self.assertIn("±5.0%", lines[0])
        self.assertIn("纸箱", lines[1])
        self.assertIn("±2.0%", lines[1])
        with self.assertRaises(UserError):
            prod.with_user(self.producer).write({"line_summary": "改写"})

    def test_changed_formula_waits_for_the_customers_written_choice(self):
        order = self._to_review(self._order())
        tech = self._sign_tech(order, formula_changed=True)
        self._sign_production(order)
        self.assertTrue(order.kefu_formula_choice_needed)
        self.assertRefused(
            lambda env: (
                order.with_env(env).with_user(self.clerk).action_kefu_send_sheet()
            ),
            "formula",
        )
        self.assertRefused(
            lambda env: (
                order.with_env(env)
                .with_user(self.clerk)
                .action_kefu_record_formula_choice("old")
            ),
            "written confirmation",
        )
        self.assertRefused(
            lambda env: (
                order.with_env(env)
                .with_user(self.clerk)
                .action_kefu_record_formula_choice("maybe")
            ),
            "old formula or the new",
        )
        self.assertRefused(
            lambda env: (
                tech.with_env(env)
                .with_user(self.technician)
                .write({"customer_choice": "old"})
            ),
            "recorded on the order",
        )
        document = self._attachment(order)
        order.with_user(self.clerk).action_kefu_record_formula_choice(
            "old", attachment_id=document.id
        )
        self.assertEqual(tech.customer_choice, "old")
        self.assertEqual(tech.customer_document_id, document)
        self.assertEqual(tech.customer_choice_by, self.clerk)
        self.assertFalse(order.kefu_formula_choice_needed)
        order.with_user(self.clerk).action_kefu_send_sheet()
        self.assertEqual(order.kefu_stage, "sheet_sent")

    def test_new_formula_accepted_on_the_sheet(self):
        order = self._to_review(self._order())
        self._sign_tech(order, formula_changed=True)
        self._sign_production(order)
        order.with_user(self.clerk).action_kefu_record_formula_choice("new")
        order.with_user(self.clerk).action_kefu_send_sheet()
        self.assertEqual(order.kefu_stage, "sheet_sent")
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "kefu_order_flow.action_report_kefu_confirmation_sheet", order.ids
        )
        self.assertIn(b"accepts the new formula", html)

    def test_old_formula_insisted_on_needs_the_customers_document(self):
        order = self._to_review(self._order())
        self._sign_tech(order, can_produce=False, formula_changed=True)
        self._sign_production(order)
        self.assertRefused(
            lambda env: (
                order.with_env(env).with_user(self.clerk).action_kefu_send_sheet()
            ),
            "old formula",
        )
        self.assertRefused(
            lambda env: (
                order.with_env(env)
                .with_user(self.clerk)
                .action_kefu_record_formula_choice("new")
            ),
            "cannot produce",
        )
        order.with_user(self.clerk).action_kefu_record_formula_choice(
            "old", attachment_id=self._attachment(order).id
        )
        order.with_user(self.clerk).action_kefu_send_sheet()

    # 9. The loosened date is the salesperson's agreement ---------------------------
    def _loosened(self, **vals):
        order = self._to_review(self._order(**vals))
        self._sign_tech(order)
        self._sign_production(order)
        order.with_user(self.clerk).kefu_sheet_date = D(2026, 3, 12)
        return order

    def test_nobody_agrees_in_anothers_name(self):
        order = self._loosened()
        self.assertRefused(
            lambda env: (
                order.with_env(env)
                .with_user(self.clerk)
                .write(
                    {
                        "kefu_sheet_date_reason": "月结客户",
                        "kefu_sheet_date_agreed_by": self.salesman.id,
                    }
                )
            ),
            "order flow",
        )
        self.assertRefused(
            lambda env: (
                order.with_env(env)
                .with_user(self.clerk)
                .action_kefu_agree_sheet_date("月结客户, 不急")
            ),
            "reserved",
            AccessError,
        )
        self.assertRefused(
            lambda env: (
                order.with_env(env)
                .with_user(self.salesman)
                .action_kefu_agree_sheet_date(" ")
            ),
            "why",
        )
        order.with_user(self.salesman).action_kefu_agree_sheet_date("月结客户, 不急")
        self.assertEqual(order.kefu_sheet_date_agreed_by, self.salesman)
        self.assertEqual(order.kefu_sheet_date_agreed_date, D(2026, 3, 12))
        # Another date is another agreement.
        order.with_user(self.clerk).kefu_sheet_date = D(2026, 3, 14)
        self.assertTrue(order.kefu_sheet_date_agreement_needed)
        self.assertRefused(
            lambda env: (
                order.with_env(env).with_user(self.clerk).action_kefu_send_sheet()
            ),
            "agreed",
        )
        order.with_user(self.supervisor).action_kefu_agree_sheet_date("客户急单")
        self.assertEqual(order.kefu_sheet_date_agreed_by, self.supervisor)
        order.with_user(self.clerk).action_kefu_send_sheet()

    def test_clerk_as_salesperson_cannot_agree_with_himself(self):
        order = self._loosened(user_id=self.clerk.id)
        self.assertRefused(
            lambda env: (
                order.with_env(env)
                .with_user(self.clerk)
                .action_kefu_agree_sheet_date("月结客户, 不急")
            ),
            "cannot agree with itself",
            AccessError,
        )
        self.assertFalse(order.kefu_sheet_date_agreed_by)

    # 10. The override is a commercial decision ------------------------------------
    def test_override_never_from_intake_or_review(self):
        for stage in ("intake", "review"):
            order = self._order()
            if stage == "review":
                self._to_review(order)
            with self.subTest(stage=stage):
                self.assertRefused(
                    lambda env, order=order: (
                        order.with_env(env)
                        .with_user(self.supervisor)
                        .action_kefu_override_release("客户急单，主管批准")
                    ),
                    "needs stage",
                )
                self.assertEqual(order.state, "draft")

    def test_override_never_past_an_unresolved_price(self):
        order = self._to_sheet_sent(self._order())
        self.transition(order).write({"kefu_price_state": "unchecked"})
        self.assertRefused(
            lambda env: (
                order.with_env(env)
                .with_user(self.supervisor)
                .action_kefu_override_release("客户急单，主管批准")
            ),
            "Prices are not checked",
        )
        self.assertEqual(order.state, "draft")
        self.transition(order).write({"kefu_price_state": "ok"})
        order.with_user(self.supervisor).action_kefu_override_release("客户急单")
        self.assertEqual(order.kefu_stage, "released")

    # 11. The memo is the record ---------------------------------------------------
    def test_review_needs_a_memo_entry(self):
        order = self._order(kefu_memo_ids=[])
        self.assertFalse(order.kefu_memo_ids)
        self.assertRefused(
            lambda env: (
                order.with_env(env).with_user(self.clerk).action_kefu_start_review()
            ),
            "memo",
        )
        self.assertEqual(order.kefu_stage, "intake")
        self.env["kefu.order.memo"].with_user(self.clerk).create(
            {"order_id": order.id, "content": "客户来电：BOPP 100 kg"}
        )
        order.with_user(self.clerk).action_kefu_start_review()
        self.assertEqual(order.kefu_stage, "review")

    # 12. Release hands over ---------------------------------------------------------
