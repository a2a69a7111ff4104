# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Cancelling is the flow's decision: customer service before
the release; after it only the supervisor, with a reason, and production is
told at once. Every role, over every entry point Odoo offers: ``action_cancel``,
the cancel wizard ``sale.order.cancel``, and the flow's own step."""

from contextlib import closing

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..tools.kefu_roles import ROLES
from .common import KefuCase

REASON = "客户取消订单，主管同意"
MAY_CANCEL_OPEN = {"clerk", "supervisor", "director"}
MAY_CANCEL_RELEASED = {"supervisor", "director"}


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 02:00:00")
class TestCancel(KefuCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._stock_film()

    def _attempt(self, order, user, call):
        """Run ``call(order as user)`` in a savepoint always rolled back;
        returns the exception class raised (None when it went through) and
        the stage the order reached."""
        with closing(self.env.cr.savepoint()):
            self.env.invalidate_all()
            try:
                call(order.with_user(user))
                self.env.flush_all()
            except (AccessError, UserError) as error:
                return type(error), None
            stage = order.kefu_stage
        self.env.invalidate_all()
        return None, stage

    @staticmethod
    def _by_wizard(order):
        """Odoo's cancel wizard, created and confirmed as the user."""
        wizard = order.env["sale.order.cancel"].create({"order_id": order.id})
        return wizard.action_cancel()

    @staticmethod
    def _by_action(order):
        action = order.action_cancel()
        if isinstance(action, dict) and action.get("res_model") == "sale.order.cancel":
            wizard = order.env["sale.order.cancel"].create({"order_id": order.id})
            return wizard.action_cancel()
        return action

    def test_before_release_customer_service_cancels(self):
        for fixture in ("review", "sheet_sent"):
            order = self._order()
            if fixture == "review":
                self._to_review(order)
            else:
                self._to_sheet_sent(order)
            for role in ROLES:
                for call in (self._by_action, self._by_wizard):
                    with self.subTest(role=role.key, stage=fixture, call=call):
                        error, stage = self._attempt(
                            order, getattr(self, role.key), call
                        )
                        if role.key in MAY_CANCEL_OPEN:
                            self.assertIsNone(error)
                            self.assertEqual(stage, "cancel")
                        else:
                            self.assertEqual(error, AccessError)
            self.assertEqual(order.kefu_stage, fixture)

    def test_after_release_nobody_cancels_through_odoo(self):
        order = self._to_released(self._order())
        for role in ROLES:
            for call in (self._by_action, self._by_wizard):
                with self.subTest(role=role.key, call=call):
                    error, _stage = self._attempt(order, getattr(self, role.key), call)
                    self.assertIsNotNone(error)
                    if role.key in MAY_CANCEL_RELEASED:
                        # The supervisor is sent to the step with a reason.
                        self.assertEqual(error, UserError)
        self.assertEqual(order.kefu_stage, "released")
        self.assertEqual(order.state, "sale")

    def test_after_release_the_supervisor_cancels_with_a_reason(self):
        order = self._to_released(self._order())
        for role in ROLES:
            with self.subTest(role=role.key):
                error, stage = self._attempt(
                    order,
                    getattr(self, role.key),
                    lambda o: o.action_kefu_cancel_released(REASON),
                )
                if role.key in MAY_CANCEL_RELEASED:
                    self.assertIsNone(error)
                    self.assertEqual(stage, "cancel")
                else:
                    self.assertEqual(error, AccessError)
        with self.assertRaisesRegex(UserError, "reason"):
            order.with_user(self.supervisor).action_kefu_cancel_released("  ")
        self.assertEqual(order.kefu_stage, "released")

        order.with_user(self.supervisor).action_kefu_cancel_released(REASON)
        self.assertEqual(order.kefu_stage, "cancel")
        self.assertEqual(order.state, "cancel")
        self.assertEqual(set(order.picking_ids.mapped("state")), {"cancel"})
        # Production is told at once: a note addressed to it and an activity.
        message = order.message_ids.filtered(lambda m: REASON in (m.body or ""))
        self.assertIn(self.producer.partner_id, message.partner_ids)
        activity = order.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("kefu_order_flow.mail_activity_kefu_cancelled")
            )
        )
        self.assertIn(self.producer, activity.user_id)
        self.assertIn(REASON, str(activity[:1].note))

    def test_cancel_buttons_follow_the_rule(self):
        review = self._to_review(self._order())
        released = self._to_released(self._order())
        for role in ROLES:
            if role.key == "portal":
                continue
            user = getattr(self, role.key)
            with self.subTest(role=role.key):
                for order, flag, allowed in (
                    (review, "kefu_can_cancel", MAY_CANCEL_OPEN),
                    (review, "kefu_can_cancel_released", set()),
                    (released, "kefu_can_cancel", set()),
                    (released, "kefu_can_cancel_released", MAY_CANCEL_RELEASED),
                ):
                    self.env.invalidate_all()
                    self.assertEqual(
                        order.with_user(user)[flag], role.key in allowed, flag
                    )

    def test_a_change_order_under_review_is_still_released(self):
        """改单 takes a released order back to review; Odoo's order stays
        confirmed and production holds its production order: the same rule."""
        order = self._to_released(self._order())
        order.with_user(self.clerk).action_kefu_change_order("客户要求改数量")
        self.assertEqual((order.kefu_stage, order.state), ("review", "sale"))
        for role in ROLES:
            with self.subTest(role=role.key):
                error, _stage = self._attempt(
                    order, getattr(self, role.key), self._by_action
                )
                self.assertIsNotNone(error)
        self.env.invalidate_all()
        self.assertFalse(order.with_user(self.clerk).kefu_can_cancel)
        self.assertTrue(order.with_user(self.supervisor).kefu_can_cancel_released)
        order.with_user(self.supervisor).action_kefu_cancel_released(REASON)
        self.assertEqual(order.kefu_stage, "cancel")
        with self.assertRaisesRegex(UserError, "never released"):
            self._to_review(self._order()).with_user(
                self.supervisor
            ).action_kefu_cancel_released(REASON)
