# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Nothing verbal counts after the release either: production's
acknowledgement, finance's payment or exception, the customer's conformity
opinion are written and recorded in the name of who gives them."""

import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import KefuCase

D = datetime.date


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 02:00:00")
class TestNothingVerbalAfterRelease(KefuCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._load_zh_cn()
        cls._stock_film()

    def test_release_asks_production_to_acknowledge_and_tells_technical(self):
        order = self._to_released(self._order())
        release = self.env.ref("kefu_order_flow.mail_activity_kefu_release")
        activity = order.activity_ids.filtered(
            lambda a: a.user_id == self.producer and a.activity_type_id == release
        )
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.date_deadline, D(2026, 3, 3))
        message = order.message_ids.filtered(lambda m: "released" in (m.body or ""))
        self.assertIn(self.technician.partner_id, message.partner_ids)
        self.assertIn(self.salesman.partner_id, message.partner_ids)
        self.assertIn(self.shipper.partner_id, message.partner_ids)
        order.with_user(self.producer).action_kefu_acknowledge_production()
        # Done, and kept as done in the history (the hand-off types keep it).
        self.assertFalse(activity.active)
        self.assertTrue(activity.date_done)

    # 13. Payment means the amount due -----------------------------------------------
    def test_payment_covers_the_total_or_finance_writes_an_exception(self):
        order = self._to_released(self._order())
        self._conformity_accepted(order)
        finance = order.with_user(self.finance)
        finance.action_kefu_confirm_payment(amount=1)
        self.assertRefused(
            lambda env: (
                order.with_env(env)
                .with_user(self.finance)
                .action_kefu_approve_shipping()
            ),
            "still due",
        )
        self.assertRefused(
            lambda env: (
                order.with_env(env)
                .with_user(self.finance)
                .action_kefu_grant_payment_exception(" ")
            ),
            "written reason",
        )
        self.assertRefused(
            lambda env: (
                order.with_env(env)
                .with_user(self.supervisor)
                .action_kefu_grant_payment_exception("老客户月结")
            ),
            "reserved",
            AccessError,
        )
        finance.action_kefu_grant_payment_exception("老客户, 月结, 总监同意")
        self.assertEqual(order.kefu_payment_exception_by, self.finance)
        self.assertEqual(order.kefu_payment_exception_amount, order.amount_total - 1)
        finance.action_kefu_approve_shipping()
        self.assertEqual(order.kefu_ship_state, "approved")

    def test_full_payment_approves_without_exception(self):
        order = self._to_released(self._order())
        finance = order.with_user(self.finance)
        finance.action_kefu_confirm_payment(amount=order.amount_total / 2)
        finance.action_kefu_confirm_payment(amount=order.amount_total / 2)
        finance.action_kefu_approve_shipping()
        self.assertEqual(order.kefu_ship_state, "approved")
        self.assertFalse(order.kefu_payment_exception_at)

    # 14. Conformity follows inspection ----------------------------------------------
    def test_conformity_waits_for_the_quantity(self):
        order = self._to_released(self._order())
        self._completion(order, 80)
        self.assertTrue(order.kefu_quantity_out_of_tolerance)
        self.assertRefused(
            lambda env: (
                order.with_env(env).with_user(self.clerk).action_kefu_send_conformity()
            ),
            "outside the tolerance",
        )
        self.assertRefused(
            lambda env: (
                order.with_env(env)
                .with_user(self.clerk)
                .action_kefu_accept_quantity("客户同意")
            ),
            "reserved",
            AccessError,
        )
        self.assertRefused(
            lambda env: (
                order.with_env(env)
                .with_user(self.supervisor)
                .action_kefu_accept_quantity("")
            ),
            "reason",
        )
        order.with_user(self.supervisor).action_kefu_accept_quantity("客户同意少交")
        self.assertEqual(order.kefu_quantity_accepted_by, self.supervisor)
        order.with_user(self.clerk).action_kefu_send_conformity()
        self.assertEqual(order.kefu_conformity_state, "sent")

    def test_production_completes_the_quantity(self):
        order = self._to_released(self._order())
        self._completion(order, 80)
        self._completion(order, 100)
        self.assertFalse(order.kefu_quantity_out_of_tolerance)
        order.with_user(self.clerk).action_kefu_send_conformity()

    def test_rejected_opinion_schedules_a_follow_up(self):
        order = self._to_released(self._order())
        self._completion(order)
        order.with_user(self.clerk).action_kefu_send_conformity()
        order.with_user(self.clerk).action_kefu_register_conformity(
            False, reject_reason="content_error"
        )
        activity = order.activity_ids.filtered(
            lambda a: "conformity" in (a.summary or "")
        )
        self.assertEqual(activity.user_id, self.clerk)
        self.assertEqual(activity.date_deadline, D(2026, 3, 3))

    def test_shipping_waits_for_the_accepted_opinion(self):
        for grade in (self.grade_a, self.grade_b, self.grade_c):
            self.assertTrue(grade.ship_requires_conformity, grade.code)
        order = self._to_released(self._order(self.customer_a))
        self.assertEqual(order.kefu_ship_state, "not_required")
        picking = order.picking_ids
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        self.assertRefused(
            lambda env: picking.with_env(env).with_user(self.shipper).button_validate(),
            "conformity",
        )
        self.assertEqual(picking.state, "assigned")
        self._conformity_accepted(order)
        picking.with_user(self.shipper).button_validate()
        self.assertEqual(order.kefu_stage, "shipped")
