# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import datetime

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..models.kefu_common import ACT
from .common import NOW, PRICE_REASON, KefuCase


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestIntakeReview(KefuCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._load_zh_cn()  # refusals are checked in Chinese too

    def test_missing_items_listed_and_block_review(self):
        order = self._order(
            payment_term_id=False,
            kefu_requested_date=False,
            order_line=[self._line(kefu_spec=False, kefu_packaging=False, price=0)],
        )
        missing = order.kefu_missing_items.splitlines()
        self.assertEqual(len(missing), 5, missing)
        with self.assertRaisesRegex(UserError, "missing sheet items"):
            order.with_user(self.clerk).action_kefu_start_review()
        self.assertEqual(order.kefu_stage, "intake")
        order.write(
            {
                "payment_term_id": self.payment_term.id,
                "kefu_requested_date": datetime.date(2026, 3, 20),
            }
        )
        order.order_line.write(
            {"kefu_spec": "20μm", "kefu_packaging": "托盘", "price_unit": 20}
        )
        self.assertFalse(order.kefu_missing_items)
        order.with_user(self.clerk).action_kefu_start_review()
        self.assertEqual(order.kefu_stage, "review")
        self.assertEqual(order.kefu_grade_id, self.grade_b)

    def test_product_without_code_and_no_lines_are_missing(self):
        self.film2.default_code = False
        order = self._order(order_line=[self._line(self.film2)])
        self.assertIn("product code", order.kefu_missing_items)
        empty = self._order(order_line=[Command.clear()])
        self.assertIn("At least one order line", empty.kefu_missing_items)
        zero = self._order(order_line=[self._line(qty=0)])
        self.assertIn("quantity", zero.kefu_missing_items)

    def test_start_review_refused_to_other_roles(self):
        order = self._order()
        for user in (self.technician, self.producer, self.salesman, self.assistant):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                order.with_user(user).action_kefu_start_review()
        self.assertEqual(order.kefu_stage, "intake")

    def test_memo_entries_are_append_only(self):
        order = self._order(kefu_memo_ids=[])
        order.with_user(self.clerk).write(
            {"kefu_memo_ids": [Command.create({"content": "客户来电: 订 100 kg"})]}
        )
        memo = order.kefu_memo_ids
        self.assertEqual(memo.recorded_by, self.clerk)
        self.assertEqual(memo.channel, "fax")
        with self.assertRaises(UserError):
            memo.with_user(self.clerk).content = "changed"
        with self.assertRaises(UserError):
            memo.with_user(self.supervisor).sudo(False).unlink()
        with self.assertRaises(UserError):
            order.with_user(self.clerk).write(
                {"kefu_memo_ids": [Command.update(memo.id, {"content": "x"})]}
            )
        self.assertEqual(memo.content, "客户来电: 订 100 kg")

    def test_price_check_ok_and_mismatch(self):
        order = self._order()
        order.with_user(self.clerk).action_kefu_check_prices()
        self.assertEqual(order.kefu_price_state, "ok")
        self.assertEqual(order.order_line.kefu_list_price, 20.0)
        order.order_line.price_unit = 18.5
        self.assertEqual(order.kefu_price_state, "unchecked", "reset in every stage")
        order.with_user(self.clerk).action_kefu_check_prices()
        self.assertEqual(order.kefu_price_state, "mismatch")
        self.assertTrue(order.order_line.kefu_price_flag)

    def test_price_check_compares_last_released_price(self):
        previous = self._order(order_line=[self._line(price=19.0)])
        previous.write({"kefu_requested_date": datetime.date(2026, 3, 1)})
        self.transition(previous).write({"state": "sale"})
        self.assertEqual(previous.state, "sale")
        order = self._order()
        order.with_user(self.clerk).action_kefu_check_prices()
        self.assertEqual(order.order_line.kefu_last_price, 19.0)
        self.assertEqual(order.kefu_price_state, "mismatch")

    def test_escalate_and_confirm_prices_by_role(self):
        order = self._order(order_line=[self._line(price=18)])
        self._to_review(order)
        self.assertEqual(order.kefu_price_state, "mismatch")
        order.with_user(self.clerk).action_kefu_escalate_prices()
        self.assertEqual(order.kefu_price_state, "escalated")
        users = order.activity_ids.user_id
        self.assertIn(self.salesman, users)
        self.assertIn(self.supervisor, users)
        self.assertIn(self.director, users)
        for user in (self.clerk, self.technician, self.finance):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                order.with_user(user).action_kefu_confirm_prices(PRICE_REASON)
        order.with_user(self.salesman).action_kefu_confirm_prices(PRICE_REASON)
        self.assertEqual(order.kefu_price_state, "confirmed")
        self.assertEqual(order.kefu_price_confirmed_by, self.salesman)
        # A price changed after the check needs a new check.
        order.order_line.with_user(self.clerk).price_unit = 17
        self.assertEqual(order.kefu_price_state, "unchecked")

    def test_confirmations_signed_by_their_department_only(self):
        order = self._to_review(self._order())
        tech = (
            self.env["kefu.tech.confirmation"]
            .with_user(self.clerk)
            .create({"order_id": order.id, "request_note": "能否生产？"})
        )
        self.assertFalse(tech.can_produce, "a request is not pre-answered")
        for user in (self.clerk, self.producer, self.supervisor):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                tech.with_user(user).action_sign()
        with self.assertRaisesRegex(UserError, "raw-material"):
            tech.with_user(self.technician).action_sign()
        tech.with_user(self.technician).write(
            {"can_produce": True, "material_note": "库存充足"}
        )
        tech.with_user(self.technician).action_sign()
        self.assertEqual(tech.state, "signed")
        self.assertEqual(tech.signed_by, self.technician)
        prod = (
            self.env["kefu.production.confirmation"]
            .with_user(self.clerk)
            .create({"order_id": order.id, "request_note": "请确认日期"})
        )
        prod.with_user(self.producer).write(
            {
                "production_date": datetime.date(2026, 3, 5),
                "completion_date": datetime.date(2026, 3, 9),
            }
        )
        with self.assertRaises(AccessError):
            prod.with_user(self.technician).action_sign()
        prod.with_user(self.producer).action_sign()
        self.assertEqual(order.kefu_completion_date, datetime.date(2026, 3, 9))
        self.assertEqual(order.kefu_sheet_date, datetime.date(2026, 3, 9))
        self.assertIn("signed by", order.message_ids[0].body)

    def test_signed_statement_is_frozen(self):
        order = self._to_review(self._order())
        tech = self._sign_tech(order)
        for user in (self.technician, self.clerk, self.supervisor):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                tech.with_user(user).material_note = "改了"
            with self.assertRaises(UserError):
                tech.with_user(user).unlink()
        with self.assertRaises(UserError):
            order.with_user(self.clerk).write(
                {
                    "kefu_tech_confirmation_ids": [
                        Command.update(tech.id, {"can_produce": False})
                    ]
                }
            )
        with self.assertRaises(UserError):
            self.env["kefu.tech.confirmation"].with_user(self.technician).create(
                {"order_id": order.id, "material_note": "x", "state": "signed"}
            )
        self.assertTrue(tech.can_produce)

    def test_raw_material_statement_required(self):
        order = self._to_review(self._order())
        tech = (
            self.env["kefu.tech.confirmation"]
            .with_user(self.technician)
            .create({"order_id": order.id, "material_note": "   "})
        )
        with self.assertRaisesRegex(UserError, "raw-material statement"):
            tech.action_sign()
        self.assertEqual(tech.state, "draft")

    def test_cannot_produce_marks_sampling(self):
        order = self._to_review(self._order())
        self._sign_tech(order, can_produce=False)
        self.assertTrue(order.kefu_sampling_required)
        self.assertIn(self.salesman, order.activity_ids.user_id)
        self._sign_production(order)
        with self.assertRaisesRegex(UserError, "cannot produce"):
            order.with_user(self.clerk).action_kefu_send_sheet()
        self._sign_tech(order, can_produce=False, formula_changed=True)
        # The customer's insistence is written: its document is attached.
        scan = (
            self.env["ir.attachment"]
            .with_user(self.clerk)
            .create(
                {
                    "name": "坚持旧配方.pdf",
                    "raw": b"x",
                    "res_model": "sale.order",
                    "res_id": order.id,
                }
            )
        )
        order.with_user(self.clerk).action_kefu_record_formula_choice(
            "old", attachment_id=scan.id
        )
        order.with_user(self.clerk).action_kefu_send_sheet()
        self.assertEqual(order.kefu_stage, "sheet_sent")

    def test_production_sees_each_lines_quantity_and_unit_before_signing(self):
        """Production signs for the lines as the order has them, each with its
        unit (500 kg, not 500 of something): shown before it signs, frozen
        with its signature; its own remarks on the quantity are free text."""
        order = self._to_review(self._order(order_line=[self._line(qty=500.0)]))
        self._sign_tech(order)
        statement = (
            self.env["kefu.production.confirmation"]
            .with_user(self.producer)
            .create({"order_id": order.id})
        )
        self.assertIn("500.0 kg", statement.lines_to_confirm)
        self.assertIn(self.film.display_name, statement.lines_to_confirm)
        statement.write(
            {
                "production_date": datetime.date(2026, 3, 5),
                "completion_date": datetime.date(2026, 3, 10),
            }
        )
        statement.action_sign()
        self.assertFalse(statement.lines_to_confirm)
        self.assertIn("500.0 kg", statement.line_summary)

    def test_production_dates_validated(self):
        order = self._to_review(self._order())
        self._sign_tech(order)
        with self.assertRaises(ValidationError):
            self.env["kefu.production.confirmation"].with_user(self.producer).create(
                {
                    "order_id": order.id,
                    "production_date": datetime.date(2026, 3, 9),
                    "completion_date": datetime.date(2026, 3, 5),
                }
            )
        past = (
            self.env["kefu.production.confirmation"]
            .with_user(self.producer)
            .create(
                {
                    "order_id": order.id,
                    "production_date": datetime.date(2026, 2, 20),
                    "completion_date": datetime.date(2026, 2, 28),
                }
            )
        )
        with self.assertRaisesRegex(UserError, "past"):
            past.action_sign()

    def test_line_change_voids_confirmations(self):
        order = self._to_review(self._order())
        tech = self._sign_tech(order)
        prod = self._sign_production(order)
        self.assertEqual(order.kefu_tech_confirmation_id, tech)
        self.assertEqual(order.kefu_production_confirmation_id, prod)
        order.order_line.with_user(self.clerk).kefu_packaging = "纸箱"
        self.assertEqual((tech.state, prod.state), ("void", "void"))
        self.assertFalse(order.kefu_tech_confirmation_id)
        self.assertFalse(order.kefu_production_confirmation_id)
        self.assertFalse(order.kefu_completion_date)
        self.assertEqual(order.kefu_price_state, "unchecked")

    def test_latest_signed_confirmation_in_force(self):
        """A later signed statement replaces the one in force; one still being
        written does not."""
        order = self._to_review(self._order())
        self._sign_tech(order)
        first = self._sign_production(order)
        draft = (
            self.env["kefu.production.confirmation"]
            .with_user(self.producer)
            .create(
                {
                    "order_id": order.id,
                    "production_date": datetime.date(2026, 3, 6),
                    "completion_date": datetime.date(2026, 3, 12),
                }
            )
        )
        self.assertEqual(order.kefu_production_confirmation_id, first)
        self.assertEqual(order.kefu_completion_date, datetime.date(2026, 3, 10))
        draft.action_sign()
        self.assertEqual(order.kefu_production_confirmation_id, draft)
        self.assertEqual(order.kefu_completion_date, datetime.date(2026, 3, 12))

    def test_send_sheet_gate(self):
        order = self._to_review(self._order())
        with self.assertRaisesRegex(UserError, "technical confirmation"):
            order.with_user(self.clerk).action_kefu_send_sheet()
        self._sign_tech(order)
        self._sign_production(order)
        order.with_user(self.clerk).kefu_sheet_date = datetime.date(2026, 3, 12)
        with self.assertRaisesRegex(UserError, "agreed"):
            order.with_user(self.clerk).action_kefu_send_sheet()
        order.with_user(self.salesman).action_kefu_agree_sheet_date("月结客户, 不急")
        with self.assertRaises(AccessError):
            order.with_user(self.technician).action_kefu_send_sheet()
        action = order.with_user(self.clerk).action_kefu_send_sheet()
        self.assertEqual(
            action["report_name"], "kefu_order_flow.report_kefu_confirmation_sheet"
        )
        self.assertEqual(order.kefu_stage, "sheet_sent")
        self.assertEqual(order.kefu_sheet_version, 1)
        self.assertEqual(order.kefu_return_state, "pending")
        self.assertTrue(order.kefu_sheet_sent_at)
        with self.assertRaisesRegex(UserError, "waiting for its return"):
            order.with_user(self.clerk).action_kefu_send_sheet()
        order.with_user(self.clerk).action_kefu_mark_sheet_received()
        self.assertTrue(order.kefu_sheet_received_at)

    def test_sheet_date_before_completion_refused(self):
        order = self._to_review(self._order())
        self._sign_tech(order)
        self._sign_production(order)
        order.kefu_sheet_date = datetime.date(2026, 3, 8)
        with self.assertRaisesRegex(UserError, "cannot precede"):
            order.with_user(self.clerk).action_kefu_send_sheet()

    def test_price_unchecked_blocks_sheet(self):
        order = self._order()
        order.with_user(self.clerk).action_kefu_start_review()
        # The review starts with the prices checked; a line changed since is
        # not.
        self.assertEqual(order.kefu_price_state, "ok")
        order.order_line.product_uom_qty += 1
        self.assertEqual(order.kefu_price_state, "unchecked")
        self._sign_tech(order)
        self._sign_production(order)
        with self.assertRaisesRegex(UserError, "Prices"):
            order.with_user(self.clerk).action_kefu_send_sheet()

    def test_discount_counts_as_price_difference(self):
        order = self._order(order_line=[self._line(discount=10)])
        order.with_user(self.clerk).action_kefu_check_prices()
        self.assertEqual(order.kefu_price_state, "mismatch")
        self.assertTrue(order.order_line.kefu_price_flag)

    def test_memo_author_is_who_saved_it(self):
        order = self._order()
        memo = (
            self.env["kefu.order.memo"]
            .with_user(self.clerk)
            .create(
                {
                    "order_id": order.id,
                    "content": "客户来电",
                    "recorded_by": self.supervisor.id,
                    "recorded_at": "2020-01-01 00:00:00",
                }
            )
        )
        self.assertEqual(memo.recorded_by, self.clerk)
        self.assertEqual(memo.recorded_at, fields.Datetime.now())

    def test_a_price_is_confirmed_in_writing(self):
        """The answer to a price doubt says which prices stand and why; it
        is kept on the order and in its chatter with the prices it confirms,
        and it answers the escalation's activities."""
        order = self._to_review(self._order(order_line=[self._line(price=25.0)]))
        order.with_user(self.clerk).action_kefu_escalate_prices()
        activities = order.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(ACT + "prices")
        )
        self.assertTrue(activities)
        for reason in (False, "", "   ", "ok"):
            with self.subTest(reason=reason):
                self.assertRefused(
                    lambda env, r=reason: (
                        order.with_env(env)
                        .with_user(self.salesman)
                        .action_kefu_confirm_prices(r)
                    ),
                    "which prices stand",
                )
        self.assertEqual(order.kefu_price_state, "escalated")
        self.assertEqual(order.activity_ids & activities, activities)
        order.with_user(self.salesman).action_kefu_confirm_prices(PRICE_REASON)
        self.assertEqual(order.kefu_price_confirmed_reason, PRICE_REASON)
        note = order.message_ids[0].body
        self.assertIn(PRICE_REASON, note)
        self.assertIn("25.00", note)
        self.assertFalse(order.activity_ids & activities)
        # A price changed afterwards is checked again, with no answer standing.
        order.order_line.price_unit = 24.0
        self.assertEqual(order.kefu_price_state, "unchecked")
        self.assertFalse(order.kefu_price_confirmed_reason)
