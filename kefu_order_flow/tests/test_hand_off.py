# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Hand-offs: at each step the next department gets an
activity of the flow's own type; it is marked done when the step is taken
(kept, archived, with a "done" message) and removed when it no longer applies
(the order is cancelled or done)."""

import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PRICE_REASON, KefuCase, return_proof

ACT = "kefu_order_flow.mail_activity_kefu_"


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 02:00:00")
class TestHandOff(KefuCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._stock_film()

    def _activities(self, order, kind, active=True):
        activity_type = self.env.ref(ACT + kind)
        return (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search(
                [
                    ("res_model", "=", "sale.order"),
                    ("res_id", "=", order.id),
                    ("activity_type_id", "=", activity_type.id),
                    ("active", "=", active),
                ]
            )
        )

    def assertOpen(self, order, kind, user):
        """``user`` (and maybe colleagues of the department) has it open."""
        activities = self._activities(order, kind)
        self.assertIn(user, activities.user_id, kind)
        return activities.filtered(lambda act: act.user_id == user)

    def assertDone(self, order, kind):
        self.assertFalse(self._activities(order, kind), f"{kind} still open")
        self.assertTrue(self._activities(order, kind, active=False), f"{kind} done")

    def assertGone(self, order, kind):
        self.assertFalse(self._activities(order, kind), f"{kind} still open")
        self.assertFalse(self._activities(order, kind, active=False), kind)

    # Requests ---------------------------------------------------------------
    def test_one_step_asks_both_departments(self):
        order = self._to_review(self._order())
        clerk = order.with_user(self.clerk)
        self.assertEqual(clerk.kefu_next_step, "request_confirmations")
        deadline = datetime.date(2026, 3, 4)
        for args, refused in (
            (("能否", deadline), "at least 4"),
            (("请确认能否生产及完成日期", datetime.date(2026, 3, 1)), "from today"),
            (("请确认能否生产及完成日期", "not a date"), "not a date"),
        ):
            with self.subTest(args=args), self._refused(refused):
                clerk.action_kefu_request_confirmations(*args)
        with self._refused("reserved to", error=AccessError):
            order.with_user(self.technician).action_kefu_request_confirmations(
                "请确认能否生产及完成日期", deadline
            )
        clerk.action_kefu_request_confirmations("请确认能否生产及完成日期", deadline)
        tech = order.kefu_tech_confirmation_ids
        production = order.kefu_production_confirmation_ids
        for statements, kind, user in (
            (tech, "tech_request", self.technician),
            (production, "production_request", self.producer),
        ):
            self.assertEqual(statements.mapped("state"), ["draft"])
            self.assertEqual(statements.request_deadline, deadline)
            activity = self.assertOpen(order, kind, user)
            self.assertEqual(activity.date_deadline, deadline)
            self.assertIn("完成日期", str(activity.note))
        self.env.invalidate_all()  # the flags are read per request
        self.assertTrue(order.kefu_confirmations_requested)
        self.assertFalse(clerk.kefu_next_step, "the departments' turn")
        with self._refused("asked already"):
            clerk.action_kefu_request_confirmations("再问一次", deadline)
        # A voided answer is asked for again: only that department.
        tech.with_user(self.technician).write(
            {"can_produce": True, "material_note": "BOPP 原膜库存 5 吨"}
        )
        tech.with_user(self.technician).action_sign()
        # Customer service, who asked, is told it is its turn again.
        signed = order.message_ids.filtered(lambda m: "signed by" in (m.body or ""))
        self.assertEqual(signed[:1].partner_ids, self.clerk.partner_id)
        tech._kefu_void("规格变更")
        self.env.invalidate_all()
        self.assertEqual(clerk.kefu_next_step, "request_confirmations")
        clerk.action_kefu_request_confirmations("规格已改，请重新确认", deadline)
        self.assertEqual(len(order.kefu_tech_confirmation_ids), 2)
        self.assertEqual(len(order.kefu_production_confirmation_ids), 1)

    def test_requests_are_opened_empty_and_handed_to_the_department(self):
        order = self._to_review(self._order())
        Tech = self.env["kefu.tech.confirmation"].with_user(self.clerk)
        with self.assertRaisesRegex(UserError, "answered by"):
            Tech.create({"order_id": order.id, "can_produce": True})
        with self.assertRaisesRegex(UserError, "answered by"):
            Tech.create({"order_id": order.id, "material_note": "库存充足"})
        tech = Tech.create(
            {
                "order_id": order.id,
                "request_note": "客户要求 18μm，能否生产？",
                "request_deadline": datetime.date(2026, 3, 4),
            }
        )
        self.assertFalse(tech.can_produce)
        self.assertFalse(tech.with_user(self.clerk).can_answer)
        self.assertTrue(tech.with_user(self.technician).can_answer)
        with self.assertRaisesRegex(UserError, "answered by"):
            tech.with_user(self.clerk).can_produce = True
        activity = self.assertOpen(order, "tech_request", self.technician)
        self.assertEqual(activity.date_deadline, datetime.date(2026, 3, 4))
        self.assertIn(order.name, activity.summary)
        self.assertIn("18μm", str(activity.note))

        prod = (
            self.env["kefu.production.confirmation"]
            .with_user(self.clerk)
            .create({"order_id": order.id, "request_note": "请确认完成日期"})
        )
        self.assertOpen(order, "production_request", self.producer)
        with self.assertRaisesRegex(UserError, "answered by"):
            prod.with_user(self.clerk).completion_date = datetime.date(2026, 3, 9)

        tech.with_user(self.technician).write(
            {"can_produce": True, "material_note": "BOPP 原膜库存 5 吨"}
        )
        tech.with_user(self.technician).action_sign()
        self.assertDone(order, "tech_request")
        self.assertOpen(order, "production_request", self.producer)
        prod.with_user(self.producer).write(
            {
                "production_date": datetime.date(2026, 3, 5),
                "completion_date": datetime.date(2026, 3, 9),
            }
        )
        prod.with_user(self.producer).action_sign()
        self.assertDone(order, "production_request")

    def test_department_answering_itself_needs_no_reminder(self):
        order = self._to_review(self._order())
        self._sign_tech(order)
        self.assertFalse(self._activities(order, "tech_request", active=False))

    # Money (finance) ---------------------------------------------------------
    def test_deposit_due_goes_to_finance(self):
        self.customer_b.kefu_deposit_percent = 30
        order = self._to_returned(self._order())
        self.assertOpen(order, "deposit", self.finance)
        self.assertOpen(order, "deposit_follow_up", self.salesman)
        order.with_user(self.finance).action_kefu_confirm_deposit()
        self.assertDone(order, "deposit")
        self.assertDone(order, "deposit_follow_up")

    def test_payment_to_approve_goes_to_finance(self):
        order = self._to_released(self._order())
        self.assertEqual(order.kefu_ship_state, "awaiting_payment")
        self.assertFalse(self._activities(order, "payment"))
        self._completion(order)
        self.assertOpen(order, "payment", self.finance)
        order.with_user(self.finance).action_kefu_confirm_payment()
        self.assertOpen(order, "payment", self.finance)
        order.with_user(self.finance).action_kefu_approve_shipping()
        self.assertDone(order, "payment")

    # Release and after --------------------------------------------------------
    def test_release_goes_to_production(self):
        order = self._to_released(self._order())
        self.assertOpen(order, "release", self.producer)
        order.with_user(self.producer).action_kefu_acknowledge_production()
        self.assertDone(order, "release")

    def test_release_note_is_notified_from_the_queue(self):
        """The release note is in the chatter at once; Odoo's scheduled
        notification job tells the salesperson, shipping and technical (not
        inside the clerk's request). It does not make them followers."""
        order = self._to_released(self._order())
        note = order.message_ids.filtered(lambda m: "released" in (m.body or ""))
        told = self.salesman | self.shipper | self.technician | self.assistant
        self.assertEqual(note.partner_ids, told.partner_id)
        self.assertFalse(note.notification_ids)
        schedule = self.env["mail.message.schedule"].search(
            [("mail_message_id", "=", note.id)]
        )
        self.assertEqual(len(schedule), 1)
        schedule.force_send()
        self.assertEqual(note.notification_ids.res_partner_id, told.partner_id)
        self.assertFalse(told.partner_id & order.message_partner_ids)

    def test_dates_in_notes_are_written_for_the_reader(self):
        """Dates the flow writes into the chatter follow the language's date
        format (2026年03月10日 in Chinese), not the ISO form of the database."""
        self._load_zh_cn()
        for lang, planned in (("en_US", "03/10/2026"), ("zh_CN", "2026年03月10日")):
            with self.subTest(lang=lang):
                order = self._to_returned(self._order())
                order.with_user(self.clerk).with_context(lang=lang).action_confirm()
                note = order.message_ids.filtered("partner_ids")
                self.assertIn(planned, note.body)

    def test_conformity_to_chase_stays_with_the_clerk(self):
        order = self._to_released(self._order())
        self._completion(order)
        order.with_user(self.clerk).action_kefu_send_conformity()
        activity = self.assertOpen(order, "conformity", self.clerk)
        self.assertEqual(activity.date_deadline, datetime.date(2026, 3, 5))
        order.with_user(self.clerk).action_kefu_register_conformity(True)
        self.assertDone(order, "conformity")

    def test_doubtful_prices_go_to_who_may_confirm_them(self):
        order = self._to_review(self._order(order_line=[self._line(price=18)]))
        order.with_user(self.clerk).action_kefu_escalate_prices()
        for user in (self.salesman, self.supervisor, self.director):
            self.assertOpen(order, "prices", user)
        order.with_user(self.supervisor).action_kefu_confirm_prices(PRICE_REASON)
        self.assertDone(order, "prices")

    def test_back_fill_is_done_by_the_accepted_return(self):
        order = self._to_sheet_sent(self._order(self.customer_a))
        order.with_user(self.clerk).action_kefu_mark_sheet_received()
        order.with_user(self.clerk).action_confirm()
        self.assertOpen(order, "backfill", self.clerk)
        order.with_user(self.clerk).action_kefu_register_return(
            False, reject_reason="stamp"
        )
        # The rejected back-fill alerts the supervisor; nothing is done yet.
        self.assertOpen(order, "backfill", self.supervisor)
        self.assertOpen(order, "backfill", self.clerk)
        order.with_user(self.clerk).action_kefu_register_return(
            True, **return_proof(order.with_user(self.clerk))
        )
        self.assertDone(order, "backfill")

    def test_rejected_conformity_is_followed_up_until_accepted(self):
        order = self._to_released(self._order())
        self._completion(order)
        order.with_user(self.clerk).action_kefu_send_conformity()
        order.with_user(self.clerk).action_kefu_register_conformity(
            False, reject_reason="signature"
        )
        follow_up = self.assertOpen(order, "conformity", self.clerk)
        self.assertIn("rejected", follow_up.summary)
        order.with_user(self.clerk).action_kefu_send_conformity()
        order.with_user(self.clerk).action_kefu_register_conformity(True)
        self.assertDone(order, "conformity")

    # No longer applies ----------------------------------------------------------
    def test_cancel_removes_what_lost_its_reason(self):
        self.customer_b.kefu_deposit_percent = 30
        order = self._order(kefu_reply_promise_at="2026-03-04 02:00:00")
        self.assertTrue(self._activities(order, "reply"))
        # The reply promised to the customer is the sheet: done when it goes
        # out, whatever follows.
        self._to_returned(order)
        self.assertDone(order, "reply")
        for kind in ("deposit", "deposit_follow_up"):
            self.assertTrue(self._activities(order, kind), kind)
        order.with_user(self.clerk).action_cancel()
        self.assertEqual(order.kefu_stage, "cancel")
        for kind in ("deposit", "deposit_follow_up"):
            self.assertGone(order, kind)
        self.assertDone(order, "reply")

    def test_done_removes_what_lost_its_reason(self):
        order = self._order(
            self.customer_a, kefu_reply_promise_at="2026-03-04 02:00:00"
        )
        self._to_released(order)
        self.assertDone(order, "reply")
        self.assertTrue(self._activities(order, "release"))
        self._conformity_accepted(order)
        picking = order.picking_ids
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking.button_validate()
        self.assertEqual(order.kefu_stage, "shipped")
        order.with_user(self.clerk).kefu_arrival_expected = datetime.date(2026, 3, 6)
        self.assertOpen(order, "arrival", self.clerk)
        order.with_user(self.clerk).action_kefu_confirm_arrival("采购 小李")
        self.assertEqual(order.kefu_stage, "done")
        self.assertDone(order, "arrival")
        self.assertDone(order, "reply")
        self.assertGone(order, "release")
