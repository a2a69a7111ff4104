# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import KefuCase, return_proof

D = datetime.date
DT = datetime.datetime
# When the report is read (UTC; 10:00 on 13 March in Shanghai).
NOW = "2026-03-13 02:00:00"


@tagged("post_install", "-at_install")
class TestOrderReport(KefuCase):
    """Five orders with chosen dates (UTC; Shanghai is UTC+8), read on 13 March:

    ==  ========  ==========  ===============  ==========  ===============
    ..  customer  sent        return accepted  completed   delivered
    ==  ========  ==========  ===============  ==========  ===============
    o1  B         02 10:00    03 14:30 (28.5h) 09 (<= 10)  22 01:00 (> 20)
    o2  C         02 10:00    02 16:00 (6h)    12 (> 10)   15 10:00 (<= 20)
    o3  B         02 10:00    (waiting)        (late)      (late, asked 12)
    o4  A         (intake, reply promised on the 5th: overdue)
    o5  A         (intake, asked for the 12th: delivery late)
    ==  ========  ==========  ===============  ==========  ===============

    Times in the table are Shanghai times.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock_manager = new_test_user(
            cls.env, login="stockmanager", groups="stock.group_stock_manager"
        )
        cls._stock_film()

    # ------------------------------------------------------------------
    # Building the orders
    # ------------------------------------------------------------------
    def _deliver(self, order):
        # Shipping waits for the customer's conformity opinion (F16).
        order.with_user(self.clerk).action_kefu_send_conformity()
        order.with_user(self.clerk).action_kefu_register_conformity(True)
        order.with_user(self.finance).action_kefu_confirm_payment()
        order.with_user(self.finance).action_kefu_approve_shipping()
        picking = order.picking_ids.filtered(lambda p: p.state != "done")
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking.with_user(self.shipper).button_validate()
        self.assertEqual(picking.state, "done")

    def _build(self):
        with freeze_time("2026-03-02 02:00:00"):
            o1 = self._order(
                self.customer_b, kefu_reply_promise_at=DT(2026, 3, 2, 4, 0)
            )
            o2 = self._order(self.customer_c)
            o3 = self._order(
                self.customer_b,
                kefu_reply_promise_at=DT(2026, 3, 2, 1, 0),
                kefu_requested_date=D(2026, 3, 12),
            )
            o4 = self._order(
                self.customer_a,
                user_id=self.clerk.id,
                kefu_reply_promise_at=DT(2026, 3, 5, 2, 0),
            )
            o5 = self._order(
                self.customer_a,
                kefu_reply_promise_at=DT(2026, 3, 20, 2, 0),
                kefu_requested_date=D(2026, 3, 12),
            )
            for order in (o1, o2, o3):
                self._to_sheet_sent(order)
        with freeze_time("2026-03-02 08:00:00"):
            o2.with_user(self.clerk).action_kefu_register_return(
                True, **return_proof(o2)
            )
            o2.with_user(self.clerk).action_confirm()
        with freeze_time("2026-03-03 06:30:00"):
            o1.with_user(self.clerk).action_kefu_register_return(
                True, **return_proof(o1)
            )
            o1.with_user(self.clerk).action_confirm()
        with freeze_time("2026-03-09 02:00:00"):
            self._completion(o1)  # completed on the 9th
            statement = (
                self.env["kefu.completion.statement"]
                .with_user(self.producer)
                .create(
                    {
                        "order_id": o2.id,
                        "completion_date": D(2026, 3, 12),
                        "quantity": 100,
                    }
                )
            )
            statement.action_sign()
            Monitoring = self.env["kefu.monitoring"].with_user(self.assistant)
            problems = Monitoring.create(
                [
                    {"order_id": o2.id, "progress": "断膜", "is_problem": True},
                    {"order_id": o2.id, "progress": "色差", "is_problem": True},
                    {"order_id": o2.id, "progress": "印刷中"},
                ]
            )
            problems[0].action_resolve("换卷重印")
        with freeze_time("2026-03-15 02:00:00"):
            self._deliver(o2)
        with freeze_time("2026-03-21 17:00:00"):  # the 22nd in Shanghai
            self._deliver(o1)
        with freeze_time(NOW):
            self.env["sale.order"]._cron_kefu_slip()
        return o1, o2, o3, o4, o5

    # ------------------------------------------------------------------
    # Rows and rates
    # ------------------------------------------------------------------
    def test_rows(self):
        orders = self._build()
        o1, o2, o3, o4, o5 = orders
        fields = [
            "order_id",
            "partner_id",
            "grade_id",
            "user_id",
            "clerk_id",
            "kefu_stage",
            "sheet_sent_at",
            "returned_at",
            "return_hours",
            "slip_days",
            "completion_date",
            "completed_on",
            "completion_delay_days",
            "on_time_completion",
            "requested_date",
            "delivered_on",
            "delivery_delay_days",
            "on_time_delivery",
            "reply_overdue",
            "problem_count",
            "open_problem_count",
            "amount_untaxed",
        ]
        with freeze_time(NOW):
            rows = {
                row["order_id"][0]: row
                for row in self.env["kefu.order.report"]
                .with_user(self.supervisor)
                .search_read([("order_id", "in", [o.id for o in orders])], fields)
            }
        sent = DT(2026, 3, 2, 2, 0)

        def expect(order, grade, stage, **values):
            row = dict(
                order_id=order.id,
                partner_id=order.partner_id.id,
                grade_id=grade.id,
                user_id=self.salesman.id,
                clerk_id=False,
                kefu_stage=stage,
                sheet_sent_at=False,
                returned_at=False,
                return_hours=0.0,
                slip_days=0,
                completion_date=False,
                completed_on=False,
                completion_delay_days=0,
                on_time_completion=0.0,
                requested_date=D(2026, 3, 20),
                delivered_on=False,
                delivery_delay_days=0,
                on_time_delivery=0.0,
                reply_overdue=False,
                problem_count=0,
                open_problem_count=0,
                amount_untaxed=2000.0,
            )
            row.update(values)
            return row

        def actual(order):
            row = dict(rows[order.id])
            del row["id"]
            for key, value in row.items():
                if isinstance(value, tuple):
                    row[key] = value[0]
            return row

        clerk = self.clerk.id
        self.assertEqual(
            actual(o1),
            expect(
                o1,
                self.grade_b,
                "done",
                clerk_id=clerk,
                sheet_sent_at=sent,
                returned_at=DT(2026, 3, 3, 6, 30),
                return_hours=28.5,
                slip_days=1,
                completion_date=D(2026, 3, 10),
                completed_on=D(2026, 3, 9),
                completion_delay_days=-1,
                on_time_completion=1.0,
                delivered_on=D(2026, 3, 22),
                delivery_delay_days=2,
                on_time_delivery=0.0,
            ),
        )
        self.assertEqual(
            actual(o2),
            expect(
                o2,
                self.grade_c,
                "done",
                clerk_id=clerk,
                sheet_sent_at=sent,
                returned_at=DT(2026, 3, 2, 8, 0),
                return_hours=6.0,
                completion_date=D(2026, 3, 10),
                completed_on=D(2026, 3, 12),
                completion_delay_days=2,
                on_time_completion=0.0,
                delivered_on=D(2026, 3, 15),
                delivery_delay_days=-5,
                on_time_delivery=1.0,
                problem_count=2,
                open_problem_count=1,
            ),
        )
        # Still waiting for its signed sheet: late against both dates so far.
        self.assertEqual(
            actual(o3),
            expect(
                o3,
                self.grade_b,
                "sheet_sent",
                clerk_id=clerk,
                sheet_sent_at=sent,
                slip_days=11,
                completion_date=D(2026, 3, 10),
                completion_delay_days=3,
                on_time_completion=0.0,
                requested_date=D(2026, 3, 12),
                delivery_delay_days=1,
                on_time_delivery=0.0,
                reply_overdue=True,  # promised for 09:00, sent at 10:00
            ),
        )
        self.assertEqual(
            actual(o4),
            expect(o4, self.grade_a, "intake", user_id=clerk, reply_overdue=True),
        )
        self.assertEqual(
            actual(o5),
            expect(
                o5,
                self.grade_a,
                "intake",
                requested_date=D(2026, 3, 12),
                delivery_delay_days=1,
                on_time_delivery=0.0,
            ),
        )
        # Empty values read as False/0 above: the rates must skip them.
        with freeze_time(NOW):
            for field, decided in (
                ("on_time_completion", [o1, o2, o3]),
                ("on_time_delivery", [o1, o2, o3, o5]),
                ("completion_delay_days", [o1, o2, o3]),
                ("return_hours", [o1, o2]),
                ("slip_days", [o1, o2, o3]),
            ):
                self.assertEqual(
                    self._decided(orders, field), {o.id for o in decided}, field
                )

    def _decided(self, orders, field):
        """Orders whose ``field`` has a value (SQL COUNT skips empty values; a
        domain cannot tell 0 from empty)."""
        groups = (
            self.env["kefu.order.report"]
            .with_user(self.supervisor)
            .read_group(
                [("order_id", "in", [o.id for o in orders])],
                [f"{field}:count"],
                ["order_id"],
            )
        )
        return {group["order_id"][0] for group in groups if group[field]}

    def test_rates_and_groups(self):
        orders = self._build()
        o1, o2, o3, o4, o5 = orders
        domain = [("order_id", "in", [o.id for o in orders])]
        Report = self.env["kefu.order.report"].with_user(self.supervisor)
        with freeze_time(NOW):
            [totals] = Report.read_group(
                domain,
                [
                    "on_time_completion:avg",
                    "on_time_delivery:avg",
                    "return_hours:avg",
                    "slip_days:avg",
                    "problem_count:sum",
                    "amount_untaxed:sum",
                ],
                [],
            )
            by_customer = Report.read_group(
                domain,
                ["slip_days:avg", "on_time_delivery:avg"],
                ["partner_id", "date_order:month"],
                lazy=False,
            )
        # completion: o1 on time; o2 late; o3 late and not done; o4, o5 no date.
        self.assertAlmostEqual(totals["on_time_completion"], 1 / 3)
        # delivery: o2 on time; o1 late; o3, o5 past the requested date; o4 not due.
        self.assertAlmostEqual(totals["on_time_delivery"], 1 / 4)
        self.assertAlmostEqual(totals["return_hours"], (28.5 + 6) / 2)
        # slip: over the orders whose sheet was sent (o4, o5 never were).
        self.assertAlmostEqual(totals["slip_days"], (1 + 0 + 11) / 3)
        self.assertEqual(totals["problem_count"], 2)
        self.assertAlmostEqual(totals["amount_untaxed"], 10000.0)
        groups = {
            group["partner_id"][0]: (
                group["date_order:month"],
                group["__count"],
                group["slip_days"],
                group["on_time_delivery"],
            )
            for group in by_customer
        }
        month = "三月 2026" if self.env.lang == "zh_CN" else "March 2026"
        self.assertEqual(
            groups,
            {
                self.customer_b.id: (month, 2, 6.0, 0.0),
                self.customer_c.id: (month, 1, 0.0, 1.0),
                self.customer_a.id: (month, 2, False, 0.0),
            },
        )

    def test_today_is_the_local_day_of_the_query(self):
        """Nothing is late before its date: read on 9 March (Shanghai), o3's
        completion (10 March) and o5's requested date (12 March) are not due."""
        orders = self._build()
        o3, o5 = orders[2], orders[4]
        Report = self.env["kefu.order.report"].with_user(self.supervisor)
        # 15:59 UTC on the 10th is 23:59 in Shanghai, 16:00 is the 11th there.
        for now, due in (
            ("2026-03-10 15:59:00", False),
            ("2026-03-10 16:00:00", True),
        ):
            with self.subTest(now=now), freeze_time(now):
                Report.invalidate_model()
                row = Report.search([("order_id", "=", o3.id)])
                self.assertEqual(row.completion_delay_days, 1 if due else 0)
                decided = self._decided(orders, "on_time_completion")
                self.assertEqual(o3.id in decided, due)
        with freeze_time("2026-03-12 15:59:00"):
            self.assertNotIn(o5.id, self._decided(orders, "on_time_delivery"))
        with freeze_time("2026-03-12 16:00:00"):
            self.assertIn(o5.id, self._decided(orders, "on_time_delivery"))
            Report.invalidate_model()
            self.assertEqual(
                Report.search([("order_id", "=", o5.id)]).on_time_delivery, 0.0
            )

    def test_foreign_currency_in_company_currency(self):
        """An order in a currency worth half the company's: twice the amount."""
        company_currency = self.env.company.currency_id
        foreign = self.env.ref("base.EUR")
        if foreign == company_currency:
            foreign = self.env.ref("base.USD")
        foreign.active = True
        self.env["res.currency.rate"].create(
            {"currency_id": foreign.id, "name": "2026-01-01", "rate": 0.5}
        )
        pricelist = self.env["product.pricelist"].create(
            {"name": foreign.name, "currency_id": foreign.id}
        )
        with freeze_time("2026-03-02 02:00:00"):
            order = self._order(pricelist_id=pricelist.id)
            row = self.env["kefu.order.report"].search([("order_id", "=", order.id)])
            self.assertEqual(order.currency_id, foreign)
            self.assertEqual(order.amount_untaxed, 2000.0)
            self.assertEqual(row.currency_id, company_currency)
            self.assertAlmostEqual(row.amount_untaxed, 4000.0)

    # ------------------------------------------------------------------
    # Record rules
    # ------------------------------------------------------------------
    def test_report_shows_what_the_orders_show(self):
        """Under every role's record rules, the report's rows are the orders the
        user can read; roles without the report get an AccessError."""
        orders = self._build()
        with freeze_time("2026-03-02 02:00:00"):
            cancelled = self._order(self.customer_c)
            cancelled.with_user(self.clerk)._action_cancel()
        self.assertEqual(cancelled.kefu_stage, "cancel")
        roles = {
            "clerk": self.clerk,
            "assistant": self.assistant,
            "supervisor": self.supervisor,
            "director": self.director,
            "technician": self.technician,
            "producer": self.producer,
            "finance": self.finance,
            "salesman": self.salesman,
            "shipper": self.shipper,
            "portal": self.portal,
        }
        seen = {}
        with freeze_time(NOW):
            for role, user in roles.items():
                with self.subTest(role=role):
                    report = self.env["kefu.order.report"].with_user(user)
                    visible = set(self.env["sale.order"].with_user(user).search([]).ids)
                    if role in ("shipper", "portal"):
                        with self.assertRaises(AccessError):
                            report.search([])
                        continue
                    rows = set(report.search([]).ids)
                    self.assertEqual(rows, visible)
                    self.assertEqual(set(report.search([]).order_id.ids), rows)
                    seen[role] = rows
        ids = {o.id for o in orders}
        self.assertLessEqual(ids | {cancelled.id}, seen["assistant"])
        # Departments do not see orders in intake or cancelled.
        self.assertEqual(
            seen["technician"] & (ids | {cancelled.id}),
            {orders[0].id, orders[1].id, orders[2].id},
        )
        # The salesperson sees their own orders (o4 belongs to the clerk).
        self.assertNotIn(orders[3].id, seen["salesman"])
        self.assertIn(orders[4].id, seen["salesman"])

    def test_other_company_hidden(self):
        other = self.env["res.company"].create({"name": "另一家公司"})
        self.env["kefu.flow.scope"].create({"name": "全部", "company_id": other.id})
        with freeze_time("2026-03-02 02:00:00"):
            mine = self._order()
            theirs = (
                self.env["sale.order"]
                .sudo()
                .create(
                    {
                        "partner_id": self.customer_b.id,
                        "company_id": other.id,
                    }
                )
            )
        Report = self.env["kefu.order.report"].with_user(self.supervisor)
        self.assertTrue(Report.search([("id", "=", mine.id)]))
        self.assertFalse(Report.search([("id", "=", theirs.id)]))
        self.supervisor.company_ids |= other
        found = Report.with_context(allowed_company_ids=[other.id]).search(
            [("id", "in", [mine.id, theirs.id])]
        )
        self.assertEqual(found.ids, [theirs.id])
