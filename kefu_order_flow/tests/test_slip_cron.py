# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import datetime
from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import NOW, KefuCase, return_proof

D = datetime.date


@tagged("post_install", "-at_install")
class TestSlipCron(KefuCase):
    def _sent_at(self, utc):
        with freeze_time(utc):
            order = self._to_sheet_sent(self._order())
        self.assertEqual(order.kefu_sheet_date, D(2026, 3, 10))
        return order

    def _cron(self, utc=None, today=None):
        with freeze_time(utc or "2026-03-01 00:00:00"):
            self.env["sale.order"]._cron_kefu_slip(today=today)

    def test_sent_late_evening_slips_next_local_day(self):
        # 23:30 in Shanghai on March 2 = 15:30 UTC.
        order = self._sent_at("2026-03-02 15:30:00")
        self._cron("2026-03-02 15:45:00")
        self.assertEqual(order.kefu_slip_days, 0)
        self._cron("2026-03-02 16:05:00")  # 00:05 local, March 3
        self.assertEqual(order.kefu_slip_days, 1)
        self.assertEqual(order.kefu_planned_date, D(2026, 3, 11))

    def test_sent_after_local_midnight_waits_a_day(self):
        # 00:30 in Shanghai on March 3 = 16:30 UTC on March 2.
        order = self._sent_at("2026-03-02 16:30:00")
        self._cron("2026-03-03 15:00:00")  # 23:00 local, March 3
        self.assertEqual(order.kefu_slip_days, 0)
        self._cron("2026-03-03 16:01:00")  # March 4 local
        self.assertEqual(order.kefu_slip_days, 1)

    def test_twice_a_day_and_after_a_gap(self):
        order = self._sent_at("2026-03-02 02:00:00")
        self._cron(today=D(2026, 3, 3))
        self._cron(today=D(2026, 3, 3))
        self.assertEqual(order.kefu_slip_days, 1)
        self._cron(today=D(2026, 3, 6))  # three days without a run
        self.assertEqual(order.kefu_slip_days, 4)
        self.assertEqual(order.kefu_planned_date, D(2026, 3, 14))

    def test_frozen_at_accepted_return(self):
        order = self._sent_at("2026-03-02 02:00:00")
        with freeze_time(NOW + timedelta(days=2, hours=1)):
            order.with_user(self.clerk).action_kefu_register_return(
                True, **return_proof(order.with_user(self.clerk))
            )
        self.assertEqual(order.kefu_slip_days, 2)
        self.assertEqual(order.kefu_planned_date, D(2026, 3, 12))
        self.assertTrue(
            any("slipped 2 day" in body for body in order.message_ids.mapped("body"))
        )
        self._cron(today=D(2026, 3, 20))
        self.assertEqual(order.kefu_slip_days, 2)
        with freeze_time(NOW + timedelta(days=2, hours=1)):
            order.with_user(self.clerk).action_confirm()
        self.assertEqual(order.commitment_date.date(), D(2026, 3, 12))

    def test_frozen_at_grade_a_release(self):
        with freeze_time(NOW):
            order = self._to_sheet_sent(self._order(self.customer_a))
            order.with_user(self.clerk).action_kefu_mark_sheet_received()
        with freeze_time(NOW + timedelta(days=1)):
            order.with_user(self.clerk).action_confirm()
        self.assertEqual(order.kefu_slip_days, 1)
        self._cron(today=D(2026, 3, 9))
        self.assertEqual(order.kefu_slip_days, 1)

    def test_cron_query_count_constant(self):
        orders = [self._sent_at("2026-03-02 02:00:00") for _i in range(3)]
        self.env.flush_all()
        with self.assertQueryCount(3):
            self.env["sale.order"]._cron_kefu_slip(today=D(2026, 3, 4))
        self.assertEqual({o.kefu_slip_days for o in orders}, {2})

    def test_slip_goes_on_after_a_new_version(self):
        order = self._sent_at("2026-03-02 02:00:00")
        with freeze_time(NOW + timedelta(days=1)):
            order.with_user(self.clerk).action_kefu_register_return(
                True, **return_proof(order.with_user(self.clerk))
            )
        self.assertEqual(order.kefu_slip_days, 1)
        # The order changes after the return: it is confirmed and sent again,
        # and the slip keeps counting from the first send.
        with freeze_time(NOW + timedelta(days=2)):
            order.order_line.with_user(self.clerk).product_uom_qty = 120
            order.with_user(self.clerk).action_kefu_check_prices()
            self._sign_tech(order)
            self._sign_production(order)
            order.with_user(self.clerk).action_kefu_send_sheet()
        self._cron(today=D(2026, 3, 6))
        self.assertEqual(order.kefu_slip_days, 4)
