# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A property of the contract: whatever the clerk, assistant, salesperson,
finance and shipping users do to a released order (its sheet items, lines of
every kind, packagings, statements, deliveries, the customer), each call
either is refused with a translated error or leaves the order's content what
the customer signed while the version stands; none crashes with a raw error."""

import datetime

from freezegun import freeze_time
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from ..tools.kefu_fingerprint import fingerprint
from .common import NOW, KefuCase

REFUSALS = (UserError, AccessError, ValidationError)
ROLES = ("clerk", "assistant", "salesman", "finance", "shipper")


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestContractProperty(KefuCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._stock_film()
        cls.packaging = cls.env["product.packaging"].create(
            {"name": "卷 (50 kg)", "product_id": cls.film.id, "qty": 50}
        )
        cls.address = cls.env["res.partner"].create(
            {"name": "乙仓库", "type": "delivery", "parent_id": cls.customer_b.id}
        )

    def _ops(self, order):
        """What each role may try, as RPC would send it: (name, call)."""
        line = order.order_line[:1]
        picking = order.picking_ids[:1]
        return {
            "item": lambda user, value: order.with_user(user).write(
                {
                    "kefu_special_notes": f"特殊 {value}",
                    "kefu_supervision_notes": f"监督 {value}",
                    "kefu_requested_date": datetime.date(2026, 3, 1 + value % 28),
                    "client_order_ref": f"PO-{value}",
                    "partner_shipping_id": self.address.id,
                }
            ),
            "line": lambda user, value: line.with_user(user).write(
                {
                    "product_uom_qty": value,
                    "price_unit": value / 3,
                    "kefu_spec": f"{value}μm",
                    "product_packaging_id": self.packaging.id,
                    "discount": value % 100,
                }
            ),
            "new line": lambda user, value: order.with_user(user).write(
                {
                    "order_line": [
                        Command.create(
                            [
                                {"display_type": "line_note", "name": f"注 {value}"},
                                {"display_type": "line_section", "name": "第二批"},
                                {"product_id": self.film2.id, "price_unit": -value},
                                {
                                    "product_id": self.film2.id,
                                    "is_downpayment": True,
                                    "product_uom_qty": 1,
                                    "price_unit": -value,
                                },
                            ][value % 4]
                        )
                    ]
                }
            ),
            "remove line": lambda user, value: (
                order.order_line[value % len(order.order_line)].with_user(user).unlink()
            ),
            "statement": lambda user, value: self._sign_production(
                order, completion=datetime.date(2026, 3, 10 + value % 10)
            ),
            "payment": lambda user, value: order.with_user(
                user
            ).action_kefu_confirm_payment(amount=value),
            "approve": lambda user, value: order.with_user(
                user
            ).action_kefu_approve_shipping(),
            "deliver": lambda user, value: self._deliver(
                picking.with_user(user), value
            ),
            "customer": lambda user, value: self.customer_b.with_user(user).write(
                {"kefu_grade_id": self.grade_a.id, "name": f"乙级客户 {value}"}
            ),
            "address": lambda user, value: self.address.with_user(user).write(
                {"street": f"工业路 {value} 号"}
            ),
        }

    @staticmethod
    def _deliver(picking, quantity):
        for move in picking.move_ids:
            move.quantity = quantity
            move.picked = True
        picking.button_validate()

    def _holds(self, order):
        """While a version stands, the content is the one it was sent with,
        and the stored fingerprint is the content's."""
        order.invalidate_recordset()
        now = fingerprint(order._kefu_sheet_content())
        self.assertEqual(order.kefu_content_fingerprint, now)
        if order.kefu_stage in ("released", "shipped", "done"):
            version = order.kefu_sheet_version_id
            self.assertEqual(version.state, "current")
            self.assertEqual(version.content_fingerprint, now)

    @settings(
        max_examples=12,
        deadline=None,
        database=None,
        # A failure is reported as found: shrinking it reruns whole releases.
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(
        st.lists(
            st.tuples(
                st.sampled_from(ROLES),
                st.sampled_from(
                    [
                        "item",
                        "line",
                        "new line",
                        "remove line",
                        "statement",
                        "payment",
                        "approve",
                        "deliver",
                        "customer",
                        "address",
                    ]
                ),
                st.integers(min_value=1, max_value=400),
            ),
            min_size=1,
            max_size=6,
        )
    )
    def test_no_call_moves_what_the_customer_signed(self, calls):
        with self.env.cr.savepoint() as example:
            order = self._to_released(self._order(self.customer_b))
            ops = self._ops(order)
            for role, op, value in calls:
                refused = None
                try:
                    with self.env.cr.savepoint():
                        ops[op](getattr(self, role), value)
                except REFUSALS as error:
                    # A refusal is an answer; only its being words is checked.
                    refused = str(error)
                self.assertNotIn("Traceback", refused or "")
                self._holds(order)
            example.rollback()
