# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The step an order waits for, whoever takes it, and the departments' own
steps: answering a written confirmation, signing the completion statement,
delivering."""

import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..models.kefu_flow_desk import KEFU_USER_STEPS
from .common import NOW, KefuCase, return_proof


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestWaitingStep(KefuCase):
    def _waiting(self, order):
        self.env.invalidate_all()
        return order.kefu_waiting_step

    def _answer(self, order, user, method, vals):
        """What the department's button opens, filled in and signed."""
        action = getattr(order.with_user(user), method)()
        Statement = self.env[action["res_model"]].with_user(user)
        statement = Statement.browse(action["res_id"])
        if statement:
            statement.write(vals)
        else:
            statement = Statement.with_context(**action["context"]).create(vals)
        statement.action_sign()
        return statement

    def test_the_order_says_whose_turn_it_is_from_intake_to_done(self):
        order = self._order(customer=self.customer_c)
        self.assertEqual(self._waiting(order), "start_review")
        self._to_review(order)
        self.assertEqual(self._waiting(order), "request_confirmations")
        # Technical may answer unasked, but it is not its turn yet.
        self.assertTrue(order.with_user(self.technician).kefu_can_answer_technical)
        self.assertFalse(order.with_user(self.technician).kefu_next_step)
        order.with_user(self.clerk).action_kefu_request_confirmations(
            "能否按订单生产？", datetime.date(2026, 3, 4)
        )
        self.assertEqual(self._waiting(order), "answer_technical")
        self.assertEqual(
            order.with_user(self.technician).kefu_next_step, "answer_technical"
        )
        tech = self._answer(
            order,
            self.technician,
            "action_kefu_answer_technical",
            {"can_produce": True, "material_note": "原膜有库存"},
        )
        # The one customer service asked for, not a second one.
        self.assertEqual(order.kefu_tech_confirmation_ids, tech)
        self.assertEqual(self._waiting(order), "answer_production")
        self._answer(
            order,
            self.producer,
            "action_kefu_answer_production",
            {
                "production_date": datetime.date(2026, 3, 5),
                "completion_date": datetime.date(2026, 3, 10),
                "quantity_note": "100 kg",
            },
        )
        self.assertEqual(self._waiting(order), "send_sheet")
        order.with_user(self.clerk).action_kefu_send_sheet()
        self.assertEqual(self._waiting(order), "register_return")
        self._to_returned_from_sent(order)
        self.assertEqual(self._waiting(order), "release")
        order.with_user(self.clerk).action_confirm()
        self.assertEqual(self._waiting(order), "acknowledge_production")
        order.with_user(self.producer).action_kefu_acknowledge_production()
        self.assertEqual(self._waiting(order), "answer_completion")
        self._answer(
            order,
            self.producer,
            "action_kefu_answer_completion",
            {"completion_date": datetime.date(2026, 3, 9), "quantity": 100},
        )
        self.assertEqual(self._waiting(order), "send_conformity")
        order.with_user(self.clerk).action_kefu_send_conformity()
        order.with_user(self.clerk).action_kefu_register_conformity(True)
        self.assertEqual(self._waiting(order), "confirm_payment")

    def _to_returned_from_sent(self, order):
        order.with_user(self.clerk).action_kefu_register_return(
            True, **return_proof(order.with_user(self.clerk))
        )

    def test_a_department_opens_only_its_own_statement(self):
        order = self._to_review(self._order())
        with self.assertRaises(AccessError):
            order.with_user(self.producer).action_kefu_answer_technical()
        with self.assertRaises(AccessError):
            order.with_user(self.clerk).action_kefu_answer_production()
        self._sign_tech(order)
        self.env.invalidate_all()
        self.assertFalse(order.with_user(self.technician).kefu_can_answer_technical)

    def test_shipping_delivers_from_the_order(self):
        order = self._to_released(self._order(customer=self.customer_a))
        self.assertFalse(order.with_user(self.clerk).kefu_can_deliver)
        action = order.with_user(self.shipper).action_kefu_deliver()
        self.assertEqual(action["res_model"], "stock.picking")
        self.assertEqual(action["res_id"], order.picking_ids.id)
        with self.assertRaises(AccessError):
            order.with_user(self.clerk).action_kefu_deliver()

    def test_searching_by_the_next_step(self):
        """My Work's search, each way a filter can ask it."""
        asked = self._to_review(self._order())
        asked.with_user(self.clerk).action_kefu_request_confirmations(
            "能否按订单生产？", datetime.date(2026, 3, 4)
        )
        # Not asked yet: technical may answer, but it is not its turn.
        unasked = self._to_review(self._order())
        new = self._order()  # in intake: the technician does not see it
        cancelled = self._order()
        cancelled.with_user(self.clerk).action_cancel()
        orders = asked | unasked | new | cancelled
        Order = self.env["sale.order"].with_user(self.technician)

        def found(domain):
            return Order.search(domain + [("id", "in", orders.ids)])

        self.assertEqual(found([("kefu_next_step", "!=", False)]), asked)
        self.assertEqual(found([("kefu_next_step", "=", "answer_technical")]), asked)
        self.assertEqual(
            found([("kefu_next_step", "in", ["answer_technical", "send_sheet"])]),
            asked,
        )
        self.assertFalse(found([("kefu_next_step", "=", "start_review")]))
        # No step of the technician's, among the orders it sees.
        self.assertEqual(found([("kefu_next_step", "=", False)]), unasked)
        self.assertEqual(
            found([("kefu_next_step", "not in", ["answer_technical"])]), unasked
        )
        clerk = self.env["sale.order"].with_user(self.clerk)

        def clerks(domain):
            return clerk.search(domain + [("id", "in", orders.ids)])

        self.assertEqual(clerks([("kefu_next_step", "=", "start_review")]), new)
        # Waiting for the departments, or in no stage a step leads from.
        self.assertEqual(clerks([("kefu_next_step", "=", False)]), asked | cancelled)

    def test_the_flow_for_a_client_over_rpc(self):
        flow = self.env["sale.order"].with_user(self.clerk).get_kefu_flow()
        self.assertEqual(set(flow), set(KEFU_USER_STEPS))
        self.assertEqual(flow["release"]["action"], "action_confirm")
        self.assertEqual(
            flow["deliver"]["groups"], ["kefu_order_flow.group_kefu_shipping"]
        )
