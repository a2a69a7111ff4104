# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import datetime
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import NOW, KefuCase, return_proof

SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8A"
    "AAAASUVORK5CYII="
)


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestSidePaths(KefuCase):
    def _portal_sign(self, order):
        order_sudo = order.with_user(self.portal).sudo()
        order_sudo.write(
            {
                "signed_by": "客户 张三",
                "signed_on": fields.Datetime.now(),
                "signature": SIGNATURE,
            }
        )
        order_sudo._validate_order()

    def test_portal_signature_is_a_return_to_check(self):
        order = self._to_sheet_sent(self._order())
        self._portal_sign(order)  # no error reaches the customer
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.kefu_stage, "sheet_sent")
        self.assertEqual(order.kefu_return_state, "pending")
        activity = order.activity_ids.filtered(lambda a: "signed" in a.summary)
        self.assertEqual(activity.user_id, self.clerk)
        self.assertFalse(order.picking_ids)

    def test_portal_signature_never_releases_grade_a(self):
        order = self._to_sheet_sent(self._order(self.customer_a))
        order.with_user(self.clerk).action_kefu_mark_sheet_received()
        self._portal_sign(order)
        self.assertEqual(order.state, "draft")

    def _paid_transaction(self, order, amount):
        provider = self.env["payment.provider"].create(
            {"name": "Test bank", "code": "none", "state": "test"}
        )
        tx = self.env["payment.transaction"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": self.env.ref("payment.payment_method_unknown").id,
                "reference": f"KEFU-{order.id}-{amount}",
                "amount": amount,
                "currency_id": order.currency_id.id,
                "partner_id": order.partner_id.id,
                "sale_order_ids": [Command.set(order.ids)],
            }
        )
        tx._set_done()
        public = self.env.ref("base.public_user")
        # What the payment post-processing runs for a done transaction.
        tx.with_user(public).sudo()._check_amount_and_confirm_order()
        return tx

    def test_online_payment_marks_deposit_but_never_releases(self):
        self.customer_b.kefu_deposit_percent = 30
        order = self._to_sheet_sent(self._order())
        self._paid_transaction(order, order.kefu_deposit_amount)
        self.assertEqual(order.kefu_deposit_state, "received")
        self.assertEqual(order.state, "draft")
        self.assertIn("has not come back", order.kefu_release_blockers)

    def test_online_payment_too_small_is_no_deposit(self):
        self.customer_b.kefu_deposit_percent = 30
        order = self._to_returned(self._order())
        self._paid_transaction(order, order.kefu_deposit_amount - 1)
        self.assertEqual(order.kefu_deposit_state, "awaiting")
        self.assertEqual(order.state, "draft")

    def test_full_payment_of_clear_order_waits_for_the_clerk(self):
        self.customer_b.kefu_deposit_percent = 30
        order = self._to_returned(self._order())
        self._paid_transaction(order, order.amount_total)
        self.assertEqual(order.kefu_deposit_state, "received")
        self.assertEqual(order.state, "draft", "the clerk releases, not the payment")
        order.with_user(self.clerk).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_release_notifies_and_production_acknowledges(self):
        order = self._to_returned(self._order())
        order.with_user(self.clerk).action_confirm()
        message = order.message_ids.filtered(lambda m: "released" in (m.body or ""))
        self.assertIn(self.salesman.partner_id, message.partner_ids)
        self.assertIn(self.shipper.partner_id, message.partner_ids)
        for user in (self.clerk, self.technician):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                order.with_user(user).action_kefu_acknowledge_production()
        order.with_user(self.producer).action_kefu_acknowledge_production()
        self.assertEqual(order.kefu_production_ack_by, self.producer)
        with self.assertRaisesRegex(UserError, "already"):
            order.with_user(self.producer).action_kefu_acknowledge_production()

    def test_acknowledge_needs_release(self):
        order = self._to_returned(self._order())
        with self.assertRaises(UserError):
            order.with_user(self.producer).action_kefu_acknowledge_production()

    def test_departments_read_only_orders_under_confirmation(self):
        order = self._order()
        Order = self.env["sale.order"].with_user(self.technician)
        self.assertFalse(Order.search([("id", "=", order.id)]))
        self._to_review(order)
        self.assertTrue(Order.search([("id", "=", order.id)]))
        with self.assertRaises(AccessError):
            order.with_user(self.technician).write({"note": "x"})

    def test_recompute_slippage_server_action(self):
        action = self.env.ref("kefu_order_flow.action_server_kefu_recompute_slip")
        self.assertIn(
            self.env.ref("kefu_order_flow.group_kefu_clerk"), action.groups_id
        )
        order = self._to_sheet_sent(self._order())
        with freeze_time(NOW + timedelta(days=3)):
            action.with_user(self.clerk).with_context(
                active_model="sale.order", active_ids=order.ids
            ).run()
        self.assertEqual(order.kefu_slip_days, 3)

    def test_reply_promise_reminds_the_clerk(self):
        # 10:00 on March 4 in Shanghai; the reminder falls due the day before.
        order = self._order(kefu_reply_promise_at="2026-03-04 02:00:00")
        activity = order.activity_ids.filtered(lambda a: "Reply promised" in a.summary)
        self.assertEqual(activity.user_id, self.clerk)
        self.assertEqual(activity.date_deadline, datetime.date(2026, 3, 3))
        Order = self.env["sale.order"].with_user(self.clerk)
        self.assertNotIn(order, Order.search([("kefu_reply_overdue", "=", True)]))
        with freeze_time(NOW + timedelta(days=2, hours=1)):
            order.invalidate_recordset(["kefu_reply_overdue"])
            self.assertTrue(order.kefu_reply_overdue)
            self.assertIn(order, Order.search([("kefu_reply_overdue", "=", True)]))
            self.assertNotIn(order, Order.search([("kefu_reply_overdue", "!=", True)]))

    def test_supervisor_override_releases_with_reason(self):
        order = self._to_sheet_sent(self._order(self.customer_c))
        self.assertTrue(order.kefu_release_blockers)
        for user in (self.clerk, self.finance, self.salesman, self.technician):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                order.with_user(user).action_kefu_override_release("客户急单")
        with self.assertRaisesRegex(UserError, "reason"):
            order.with_user(self.supervisor).action_kefu_override_release("  ")
        self.assertEqual(order.state, "draft")
        wizard = (
            self.env["kefu.step.wizard"]
            .with_user(self.supervisor)
            .create(
                {
                    "order_id": order.id,
                    "step": "override_release",
                    "reason": "总监电话同意, 客户急单",
                }
            )
        )
        self.assertTrue(wizard.grave)
        self.assertEqual(wizard.blockers, order.kefu_release_blockers)
        wizard.action_apply()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.kefu_override_by, self.supervisor)
        self.assertIn("客户急单", order.kefu_override_reason)
        note = order.message_ids.filtered(lambda m: "overridden" in (m.body or ""))
        self.assertIn("has not come back", note.body)

    def test_written_steps_through_the_wizard(self):
        """The header buttons of the written steps open one wizard; it only
        collects the input, the order's method checks it."""
        order = self._to_review(self._order())
        Wizard = self.env["kefu.step.wizard"]

        def run(user, step, **vals):
            return (
                Wizard.with_user(user)
                .create({"order_id": order.id, "step": step, **vals})
                .action_apply()
            )

        run(self.clerk, "flag_spec_doubt", reason="宽度 1000 还是 1050")
        self.assertEqual(order.kefu_spec_doubt, "宽度 1000 还是 1050")
        self._sign_tech(order, formula_changed=True)
        with self.assertRaisesRegex(UserError, "written confirmation"):
            run(self.clerk, "record_formula_choice", formula_choice="old")
        run(
            self.clerk,
            "record_formula_choice",
            formula_choice="old",
            document=base64.b64encode(b"%PDF-1.4 scan"),
            document_name="客户书面确认.pdf",
        )
        tech = order.kefu_tech_confirmation_ids
        self.assertEqual(tech.customer_document_id.name, "客户书面确认.pdf")
        # The wizard is no way around the order's own checks.
        with self.assertRaises(AccessError):
            run(self.technician, "flag_spec_doubt", reason="越权登记")

    def test_reasons_through_the_wizard(self):
        """Override, change order and cancel of a released order share the
        written step's wizard: the reason stays mandatory and the group stays
        checked, by the order's methods."""
        Wizard = self.env["kefu.step.wizard"]

        def run(user, order, step, reason):
            wizard = Wizard.with_user(user).create(
                {"order_id": order.id, "step": step, "reason": reason}
            )
            self.assertTrue(wizard.step_help)
            return wizard.action_apply()

        blocked = self._to_sheet_sent(self._order(self.customer_c))
        released = self._to_released(self._order())
        cases = [
            (blocked, "override_release", self.supervisor, self.clerk),
            (released, "change_order", self.clerk, self.finance),
            (released, "cancel_released", self.supervisor, self.clerk),
        ]
        for order, step, allowed, refused in cases:
            with self.subTest(step=step):
                stage = order.kefu_stage
                with self.assertRaisesRegex(UserError, "reason"):
                    run(allowed, order, step, "  ")
                with self.assertRaises(AccessError):
                    run(refused, order, step, "客户来电要求")
                self.assertEqual(order.kefu_stage, stage)
        run(self.supervisor, blocked, "override_release", "总监电话同意, 客户急单")
        self.assertEqual(blocked.kefu_stage, "released")
        run(self.clerk, released, "change_order", "客户要求改数量")
        self.assertEqual(released.kefu_stage, "review")

    def test_import_cannot_set_the_new_workflow_fields(self):
        result = (
            self.env["sale.order"]
            .with_user(self.clerk)
            .load(
                ["partner_id", "kefu_sheet_date_agreed_by", "kefu_spec_doubt"],
                [[self.customer_b.name, self.salesman.name, "无"]],
            )
        )
        self.assertFalse(result["ids"])
        self.assertIn("only through the order flow", str(result["messages"]))

    def test_override_cannot_skip_intake(self):
        order = self._order()
        with self.assertRaises(UserError):
            order.with_user(self.supervisor).action_kefu_override_release("急单急单")
        self.assertEqual(order.state, "draft")

    def test_failed_mail_leaves_no_half_transition(self):
        self.customer_b.kefu_deposit_percent = 30
        order = self._to_sheet_sent(self._order())
        # The deposit notice fails (e.g. the mail template is broken).
        failing = patch.object(
            type(order), "message_post_with_source", side_effect=ValueError("mail")
        )
        with failing, self.assertRaises(ValueError), self.env.cr.savepoint():
            order.with_user(self.clerk).action_kefu_register_return(
                True, **return_proof(order.with_user(self.clerk))
            )
        order.invalidate_recordset()
        self.assertEqual(order.kefu_stage, "sheet_sent")
        self.assertEqual(order.kefu_return_state, "pending")
        self.assertFalse(order.kefu_return_ids)

    def test_failed_report_leaves_no_half_transition(self):
        order = self._to_review(self._order())
        self._sign_tech(order)
        self._sign_production(order)
        report = self.env.ref("kefu_order_flow.action_report_kefu_confirmation_sheet")
        report.report_name = "kefu_order_flow.no_such_template"
        with self.assertRaises(ValueError), self.env.cr.savepoint():
            order.with_user(self.clerk).action_kefu_send_sheet()
        order.invalidate_recordset()
        self.assertEqual(order.kefu_stage, "review")
        self.assertFalse(order.kefu_sheet_version)

    def test_import_cannot_set_workflow_fields(self):
        result = (
            self.env["sale.order"]
            .with_user(self.clerk)
            .load(
                ["partner_id", "kefu_stage", "state"],
                [[self.customer_b.name, "returned", "sale"]],
            )
        )
        self.assertFalse(result["ids"])
        self.assertIn("only through the order flow", str(result["messages"]))

    def test_actions_on_an_order_of_another_company(self):
        other = self.env["res.company"].create({"name": "外地分公司"})
        self.env["kefu.flow.scope"].create({"name": "全部", "company_id": other.id})
        order = self.env["sale.order"].create(
            {"partner_id": self.customer_b.id, "company_id": other.id}
        )
        for call in (
            lambda o: o.action_kefu_start_review(),
            lambda o: o.action_kefu_check_prices(),
            lambda o: o.action_confirm(),
        ):
            with self.subTest(call=call), self.assertRaises(AccessError):
                call(order.with_user(self.clerk))
        self.assertEqual(order.kefu_stage, "intake")
