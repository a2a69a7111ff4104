# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import NOW, KefuCase


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestAfterRelease(KefuCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock_manager = new_test_user(
            cls.env, login="stockmanager", groups="stock.group_stock_manager"
        )
        cls._stock_film()

    def _released(self, customer=None, **vals):
        return self._to_released(self._order(customer, **vals))

    # Monitoring (F15) ----------------------------------------------------
    def test_monitoring_by_assistant_after_release(self):
        order = self._order()
        Monitoring = self.env["kefu.monitoring"].with_user(self.assistant)
        with self.assertRaisesRegex(UserError, "released"):
            Monitoring.create({"order_id": order.id, "progress": "未开始"})
        self._to_returned(order)
        order.with_user(self.clerk).action_confirm()
        entry = Monitoring.create(
            {"order_id": order.id, "progress": "印刷中", "quantity_done": 40}
        )
        self.assertFalse(order.kefu_open_problem)
        with self.assertRaises(UserError):
            entry.with_user(self.assistant).progress = "改写"
        with self.assertRaises(UserError):
            entry.with_user(self.supervisor).unlink()
        with self.assertRaises(AccessError):
            self.env["kefu.monitoring"].with_user(self.technician).create(
                {"order_id": order.id, "progress": "x"}
            )

    def test_problem_alerts_supervisor_and_salesperson(self):
        order = self._released()
        entry = (
            self.env["kefu.monitoring"]
            .with_user(self.assistant)
            .create(
                {
                    "order_id": order.id,
                    "progress": "复卷延误",
                    "quality_note": "色差",
                    "is_problem": True,
                }
            )
        )
        self.assertTrue(order.kefu_open_problem)
        self.assertIn(self.supervisor, order.activity_ids.user_id)
        message = order.message_ids.filtered(lambda m: "复卷延误" in (m.body or ""))
        self.assertIn(self.salesman.partner_id, message.partner_ids)
        found = self.env["sale.order"].search([("kefu_open_problem", "=", True)])
        self.assertIn(order, found)
        with self.assertRaisesRegex(UserError, "resolved"):
            entry.with_user(self.assistant).action_resolve("  ")
        entry.with_user(self.assistant).action_resolve("已调整排产")
        self.assertFalse(order.kefu_open_problem)
        self.assertEqual(entry.progress, "复卷延误")

    # Completion and tolerance ---------------------------------------------
    def test_completion_statement_signed_by_production_only(self):
        order = self._released()
        statement = self.env["kefu.completion.statement"].with_user(self.clerk)
        with self.assertRaises(AccessError):
            statement.create({"order_id": order.id, "quantity": 100})
        draft = (
            self.env["kefu.completion.statement"]
            .with_user(self.producer)
            .create({"order_id": order.id, "quantity": 0})
        )
        with self.assertRaisesRegex(UserError, "greater than zero"):
            draft.action_sign()

    def test_tolerance_at_its_bounds(self):
        # 100 kg ordered at ±5 %: 95 and 105 are inside, 94.99 and 105.01 not.
        for quantity, outside in (
            (95, False),
            (105, False),
            (100, False),
            (94.99, True),
            (105.01, True),
        ):
            with self.subTest(quantity=quantity):
                order = self._released()
                self._completion(order, quantity)
                self.assertEqual(order.kefu_quantity_out_of_tolerance, outside)

    def test_tolerance_mixed_lines(self):
        order = self._released(
            lines=[
                self._line(qty=100, kefu_tolerance_pct=10),
                self._line(self.film2, qty=50, kefu_tolerance_pct=0),
            ]
        )
        self.assertEqual(order._get_kefu_tolerance_range(), (140.0, 160.0))
        self._completion(order, 161)
        self.assertTrue(order.kefu_quantity_out_of_tolerance)
        self.assertTrue(
            any("outside the tolerance" in b for b in order.message_ids.mapped("body"))
        )

    # Conformity (F16) -----------------------------------------------------
    def test_conformity_request_and_return(self):
        order = self._released()
        with self.assertRaisesRegex(UserError, "completion statement"):
            order.with_user(self.clerk).action_kefu_send_conformity()
        self._completion(order, 100)
        with self.assertRaises(AccessError):
            order.with_user(self.finance).action_kefu_send_conformity()
        action = order.with_user(self.clerk).action_kefu_send_conformity()
        self.assertEqual(
            action["report_name"], "kefu_order_flow.report_kefu_conformity"
        )
        self.assertEqual(order.kefu_conformity_state, "sent")
        wizard = Form(
            self.env["kefu.return.wizard"]
            .with_user(self.clerk)
            .with_context(default_order_id=order.id, default_kind="conformity")
        )
        wizard.result = "rejected"
        wizard.reject_reason = "stamp"
        wizard.save().action_register()
        self.assertEqual(order.kefu_conformity_state, "rejected")
        order.with_user(self.clerk).action_kefu_send_conformity()
        order.with_user(self.clerk).action_kefu_register_conformity(True)
        self.assertEqual(order.kefu_conformity_state, "accepted")
        kinds = order.kefu_return_ids.mapped("kind")
        self.assertEqual(kinds.count("conformity"), 2)

    # Shipping (F17, F18) ---------------------------------------------------
    def _prepare_delivery(self, order, quantity=None):
        picking = order.picking_ids.filtered(lambda p: p.state != "done")
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty if quantity is None else quantity
            move.picked = True
        return picking

    def test_delivery_refused_until_finance_approves(self):
        order = self._conformity_accepted(self._released(self.customer_b))
        self.assertEqual(order.kefu_ship_state, "awaiting_payment")
        picking = self._prepare_delivery(order)
        for user in (self.shipper, self.stock_manager):
            with (
                self.subTest(user=user.login),
                self.assertRaisesRegex(UserError, "finance"),
            ):
                picking.with_user(user).button_validate()
        with self.assertRaisesRegex(UserError, "finance"):
            picking.with_user(self.stock_manager)._action_done()
        self.assertEqual(picking.state, "assigned")
        for user in (self.clerk, self.shipper, self.supervisor):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                order.with_user(user).action_kefu_confirm_payment()
            with self.assertRaises(AccessError):
                order.with_user(user).action_kefu_approve_shipping()
        with self.assertRaisesRegex(UserError, "Confirm the payment"):
            order.with_user(self.finance).action_kefu_approve_shipping()
        with self.assertRaisesRegex(UserError, "greater than zero"):
            order.with_user(self.finance).action_kefu_confirm_payment(amount=0)
        order.with_user(self.finance).action_kefu_confirm_payment()
        self.assertEqual(order.kefu_payment_received_by, self.finance)
        order.with_user(self.finance).action_kefu_approve_shipping()
        self.assertEqual(order.kefu_ship_state, "approved")
        picking.with_user(self.shipper).button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(order.kefu_stage, "done", "grade B: no arrival tracking")

    def test_backorder_wizard_respects_the_gate(self):
        order = self._conformity_accepted(self._released(self.customer_b))
        order.with_user(self.finance).action_kefu_confirm_payment()
        order.with_user(self.finance).action_kefu_approve_shipping()
        picking = self._prepare_delivery(order, quantity=40)
        action = picking.with_user(self.shipper).button_validate()
        self.assertEqual(action["res_model"], "stock.backorder.confirmation")
        # The order grows (a change order) while the wizard is open: the
        # approval is lost, and the delivery waits for the re-release.
        order.with_user(self.clerk).action_kefu_change_order("客户追加 50 kg")
        order.order_line._kefu_sheet_lines().with_user(self.clerk).product_uom_qty = 150
        self.assertEqual(order.kefu_ship_state, "awaiting_payment")
        wizard = Form(
            self.env["stock.backorder.confirmation"]
            .with_user(self.shipper)
            .with_context(**action["context"])
        ).save()
        with self.assertRaisesRegex(UserError, "change order"):
            wizard.process()
        self.assertNotEqual(picking.state, "done")

    def test_grade_a_ships_and_tracks_arrival(self):
        order = self._conformity_accepted(self._released(self.customer_a))
        self.assertEqual(order.kefu_ship_state, "not_required")
        picking = self._prepare_delivery(order)
        picking.with_user(self.shipper).button_validate()
        self.assertEqual(order.kefu_stage, "shipped")
        order.with_user(self.clerk).kefu_arrival_expected = datetime.date(2026, 3, 12)
        activity = order.activity_ids.filtered(lambda a: "arrival" in a.summary)
        self.assertEqual(activity.date_deadline, datetime.date(2026, 3, 12))
        with self.assertRaises(AccessError):
            order.with_user(self.shipper).action_kefu_confirm_arrival("采购 小李")
        with self.assertRaisesRegex(UserError, "with whom"):
            order.with_user(self.clerk).action_kefu_confirm_arrival(" ")
        wizard = Form(
            self.env["kefu.arrival.wizard"]
            .with_user(self.clerk)
            .with_context(default_order_id=order.id)
        )
        wizard.contact = "采购 小李"
        wizard.note = "货物完好"
        wizard.save().action_confirm()
        self.assertEqual(order.kefu_stage, "done")
        self.assertEqual(order.kefu_arrival_contact, "采购 小李")
        self.assertEqual(order.kefu_arrival_confirmed_by, self.clerk)

    def test_resolve_wizard(self):
        order = self._released()
        entry = (
            self.env["kefu.monitoring"]
            .with_user(self.assistant)
            .create({"order_id": order.id, "progress": "断膜", "is_problem": True})
        )
        wizard = Form(
            self.env["kefu.resolve.wizard"]
            .with_user(self.assistant)
            .with_context(active_id=entry.id, default_monitoring_id=entry.id)
        )
        wizard.resolution = "换卷重印"
        wizard.save().action_resolve()
        self.assertEqual(entry.resolution, "换卷重印")
        self.assertEqual(entry.resolved_by, self.assistant)
