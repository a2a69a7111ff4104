# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import datetime

from odoo import fields
from odoo.tests import HttpCase, tagged

from .common import KefuCase


@tagged("post_install", "-at_install")
class TestTour(KefuCase, HttpCase):
    """The clerk's path through the web client (static/tests/tours)."""

    def test_clerk_tour(self):
        self.start_tour(
            "/odoo/action-kefu_order_flow.sale_order_action_kefu",
            "kefu_clerk_tour",
            login=self.clerk.login,
        )
        order = self.env["sale.order"].search(
            [
                ("partner_id", "=", self.customer_b.id),
                ("create_uid", "=", self.clerk.id),
            ]
        )
        self.assertEqual(len(order), 1)
        self.assertEqual(order.kefu_stage, "review")
        self.assertEqual(order.kefu_price_state, "ok")
        self.assertEqual(order.kefu_channel, "fax")
        self.assertEqual(order.kefu_requested_date, datetime.date(2026, 12, 20))
        self.assertEqual(order.payment_term_id, self.payment_term)
        self.assertEqual(order.kefu_memo_ids.recorded_by, self.clerk)
        line = order.order_line
        self.assertEqual(line.product_id, self.film)
        self.assertEqual(
            (
                line.kefu_spec,
                line.kefu_packaging,
                line.product_uom_qty,
                line.price_unit,
            ),
            ("20μm × 1000mm", "纸芯 3 寸, 托盘", 500.0, 20.0),
        )

        # The departments answer in writing, each as its own user.
        today = fields.Date.context_today(order.with_user(self.producer))
        self._sign_tech(order)
        self._sign_production(
            order,
            production_date=today + datetime.timedelta(days=2),
            completion=today + datetime.timedelta(days=10),
        )

        self.start_tour(
            f"/odoo/action-kefu_order_flow.sale_order_action_kefu/{order.id}",
            "kefu_clerk_tour_release",
            login=self.clerk.login,
        )
        self.assertEqual(order.kefu_stage, "released")
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.kefu_return_state, "accepted")
        self.assertEqual(order.kefu_return_ids.recorded_by, self.clerk)
