# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Per-line quantities on the completion statement."""

import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import KefuCase


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 02:00:00")
class TestCompletionLines(KefuCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._stock_film()

    def test_one_line_order_quantity_is_the_line_s(self):
        order = self._to_released(self._order())
        statement = self._completion(order, quantity=98, sign=False)
        self.assertEqual(statement.line_ids.order_line_id, order.order_line)
        self.assertEqual(statement.line_ids.quantity, 98)
        self.assertEqual(statement.line_ids.product_uom, self.uom_kg)

    def test_lines_of_a_multi_line_order(self):
        order = self._to_released(
            self._order(lines=[self._line(qty=60), self._line(self.film2, qty=40)])
        )
        film, film2 = order.order_line
        statement = (
            self.env["kefu.completion.statement"]
            .with_user(self.producer)
            .create(
                {
                    "order_id": order.id,
                    "completion_date": datetime.date(2026, 3, 9),
                    "line_ids": [
                        Command.create({"order_line_id": film.id, "quantity": 59}),
                        Command.create({"order_line_id": film2.id, "quantity": 41}),
                    ],
                }
            )
        )
        self.assertEqual(statement.quantity, 100, "the total follows the lines")
        statement.line_ids[0].with_user(self.producer).quantity = 61
        self.assertEqual(statement.quantity, 102)
        statement.with_user(self.producer).action_sign()
        with self.assertRaises(UserError):
            statement.line_ids[0].with_user(self.producer).quantity = 1
        other = self._to_review(self._order())
        with self.assertRaises(UserError):
            self.env["kefu.completion.statement.line"].with_user(self.producer).create(
                {
                    "statement_id": self._completion(order, sign=False).id,
                    "order_line_id": other.order_line.id,
                    "quantity": 1,
                }
            )
