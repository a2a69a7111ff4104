# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import KefuCase

D = datetime.date


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 02:00:00")
class TestGradeReview(KefuCase):
    """Real invoices, posted, and real payments registered on chosen days; the
    standard: A from 1,000,000 a year paid within 5 days of the due date, B from
    100,000 within 30 days, C the rest."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.grade_a.write(
            {
                "min_revenue_12m": 1_000_000,
                "max_payment_delay_days": 5,
                "max_rejected_returns": 1,
            }
        )
        cls.grade_b.write(
            {
                "min_revenue_12m": 100_000,
                "max_payment_delay_days": 30,
                "max_rejected_returns": 5,
            }
        )
        # The other grades of the database (demo data) stay out of the way.
        cls.env["kefu.customer.grade"].search(
            [("id", "not in", (cls.grade_a | cls.grade_b | cls.grade_c).ids)]
        ).active = False
        cls.prompt = cls.customer_b  # B now, pays on time, buys a lot: A
        cls.late = cls.env["res.partner"].create(
            {
                "name": "拖款客户有限公司",
                "kefu_grade_id": cls.grade_b.id,
                "is_company": True,
            }
        )  # pays 60 days late: C
        cls.steady = cls.env["res.partner"].create(
            {
                "name": "稳定客户有限公司",
                "kefu_grade_id": cls.grade_b.id,
                "is_company": True,
            }
        )  # stays B
        cls.term = cls.env.ref("account.account_payment_term_30days")
        # 800,000 + 400,000 invoiced in the 12 months, paid before the due dates
        cls._invoice(cls.prompt, D(2025, 9, 1), 800_000, paid_on=D(2025, 9, 20))
        cls._invoice(cls.prompt, D(2026, 1, 10), 400_000, paid_on=D(2026, 2, 5))
        # older than 12 months: does not count
        cls._invoice(cls.late, D(2025, 2, 1), 5_000_000, paid_on=D(2025, 2, 10))
        # due 31 Oct, paid 30 Dec: 60 days late
        cls._invoice(cls.late, D(2025, 10, 1), 200_000, paid_on=D(2025, 12, 30))
        cls._invoice(cls.steady, D(2025, 11, 1), 150_000, paid_on=D(2025, 11, 25))
        cls._invoice(cls.steady, D(2026, 2, 1), 50_000)  # not due yet

    @classmethod
    def _invoice(cls, partner, day, amount, paid_on=None):
        with freeze_time(day):
            move = cls.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": day,
                    "invoice_payment_term_id": cls.term.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "BOPP 印刷膜",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
            move.action_post()
        if paid_on:
            with freeze_time(paid_on):
                cls.env["account.payment.register"].with_context(
                    active_model="account.move", active_ids=move.ids
                ).create({"payment_date": paid_on})._create_payments()
            assert move.payment_state in ("paid", "in_payment"), move.payment_state
        return move

    def _suggested(self):
        return {
            partner: (current, suggested)
            for partner, current, suggested, _figure in self.env[
                "kefu.customer.grade"
            ]._get_kefu_suggestions()
        }

    def test_figures(self):
        figures = self.env["kefu.customer.grade"]._get_kefu_grade_figures(
            self.prompt | self.late | self.steady
        )
        self.assertEqual(
            figures[self.prompt.id],
            {
                "revenue": 1_200_000.0,
                "payment_delay": 0.0,
                "rejected_returns": 0,
                "open_problems": 0,
            },
        )
        self.assertEqual(figures[self.late.id]["revenue"], 200_000.0)
        self.assertEqual(figures[self.late.id]["payment_delay"], 60.0)
        self.assertEqual(figures[self.steady.id]["revenue"], 200_000.0)
        self.assertEqual(figures[self.steady.id]["payment_delay"], 0.0)

    def test_only_the_companys_customers_and_their_money(self):
        # A partner Odoo invoiced, never a customer of the flow: left out.
        stranger = self.env["res.partner"].create({"name": "Deco Addict"})
        self._invoice(stranger, D(2026, 1, 10), 2_000_000, paid_on=D(2026, 1, 20))
        self.assertNotIn(stranger, self._suggested())
        # Without Accounting, what finance confirmed on the orders is revenue.
        self.company.kefu_money_in_accounting = False
        self.customer_c.kefu_deposit_percent = 50
        order = self._to_returned(self._order(self.customer_c))
        order.with_user(self.finance).action_kefu_confirm_deposit(amount=1_500_000)
        figures = self.env["kefu.customer.grade"]._get_kefu_grade_figures()
        self.assertEqual(figures[self.customer_c.id]["revenue"], 1_500_000)
        self.assertNotIn(stranger.id, figures)

    def test_overdue_unpaid_invoice_counts_until_today(self):
        # due 1 Feb (2 Jan + 30 days), unpaid on 2 March: 29 days so far
        self._invoice(self.steady, D(2026, 1, 2), 10_000)
        figures = self.env["kefu.customer.grade"]._get_kefu_grade_figures(self.steady)
        # (0 for the paid one + 29) / 2; the one not due yet does not count
        self.assertEqual(figures[self.steady.id]["payment_delay"], 14.5)

    def test_suggestions_a_for_prompt_payer_c_for_late_payer(self):
        suggested = self._suggested()
        self.assertEqual(suggested[self.prompt], (self.grade_b, self.grade_a))
        self.assertEqual(suggested[self.late], (self.grade_b, self.grade_c))
        self.assertNotIn(self.steady, suggested)
        # grade A, nothing invoiced in the twelve months: C
        self.assertEqual(suggested[self.customer_a], (self.grade_a, self.grade_c))
        self.assertNotIn(self.customer_c, suggested)

    def test_rejected_returns_and_open_problems_count(self):
        order = self._to_sheet_sent(self._order(self.prompt))
        order.with_user(self.clerk).action_kefu_register_return(
            False, note="盖章不清", reject_reason="stamp"
        )
        order.with_user(self.clerk).action_kefu_send_sheet()
        order.with_user(self.clerk).action_kefu_register_return(
            False, note="签名不清", reject_reason="signature"
        )
        figures = self.env["kefu.customer.grade"]._get_kefu_grade_figures(self.prompt)
        self.assertEqual(figures[self.prompt.id]["rejected_returns"], 2)
        # two rejected returns: more than A allows (1); B then
        self.assertNotIn(self.prompt, self._suggested())

    def test_cron_schedules_activities_and_changes_nothing(self):
        Grade = self.env["kefu.customer.grade"]
        cron = self.env.ref("kefu_order_flow.ir_cron_kefu_suggest_grades")
        progress = self.env["ir.cron.progress"].create({"cron_id": cron.id})
        Grade = Grade.with_context(ir_cron_progress_id=progress.id)
        # Two a run: the cron is told one customer still waits.
        self.assertEqual(Grade._cron_kefu_suggest_grades(batch=2), 2)
        self.assertEqual((progress.done, progress.remaining), (2, 1))
        self.assertEqual(Grade._cron_kefu_suggest_grades(batch=2), 1)
        self.assertEqual((progress.done, progress.remaining), (1, 0))
        # Done: a run with the same figures writes nothing (no duplicate).
        self.assertEqual(Grade._cron_kefu_suggest_grades(), 0)
        self.assertEqual(self.prompt.kefu_grade_id, self.grade_b)
        self.assertEqual(self.late.kefu_grade_id, self.grade_b)
        for partner in (self.prompt, self.late):
            activity = partner.activity_ids
            self.assertEqual(len(activity), 1)
            self.assertEqual(activity.user_id, self.supervisor)
            self.assertIn("12-month revenue", str(activity.note))
        self.assertIn("1,200,000.00", str(self.prompt.activity_ids.note))
        self.assertIn("60.0", str(self.late.activity_ids.note))
        self.assertFalse(self.steady.activity_ids)

    def test_review_wizard_applies_only_accepted(self):
        with self.assertRaises(AccessError):
            Form(self.env["kefu.grade.review"].with_user(self.clerk))
        self.env["kefu.customer.grade"]._cron_kefu_suggest_grades()
        form = Form(self.env["kefu.grade.review"].with_user(self.supervisor))
        lines = {
            form.line_ids.edit(index).partner_id: index
            for index in range(len(form.line_ids))
        }
        self.assertEqual(set(lines), {self.prompt, self.late, self.customer_a})
        with form.line_ids.edit(lines[self.prompt]) as line:
            self.assertEqual(line.suggested_grade_id, self.grade_a)
            self.assertEqual(line.revenue_12m, 1_200_000.0)
            line.accept = True
        with form.line_ids.edit(lines[self.late]) as line:
            self.assertEqual(line.suggested_grade_id, self.grade_c)
            self.assertEqual(line.payment_delay_days, 60.0)
        review = form.save()
        # nothing changed until applied
        self.assertEqual(self.prompt.kefu_grade_id, self.grade_b)
        review.action_apply()
        self.assertEqual(self.prompt.kefu_grade_id, self.grade_a)
        self.assertEqual(self.late.kefu_grade_id, self.grade_b)
        note = self.prompt.message_ids[:1]
        self.assertIn("Grade B", note.body)
        self.assertIn("Grade A", note.body)
        self.assertEqual(note.author_id, self.supervisor.partner_id)
        self.assertFalse(self.prompt.activity_ids)
        self.assertEqual(len(self.late.activity_ids), 1)
        # next run: the accepted one is settled, the other still suggested
        self.assertNotIn(self.prompt, self._suggested())
        self.assertIn(self.late, self._suggested())
        # a clerk cannot apply a review
        with self.assertRaises(AccessError):
            review.with_user(self.clerk).action_apply()
