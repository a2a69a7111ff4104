# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What ships is what was signed, and what is paid is the signed total: the
delivery address, the quantities within their tolerance over backorders, and
the money a C customer pays before shipping."""

from freezegun import freeze_time

from odoo.tests import tagged

from .common import NOW, KefuCase


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestContractShipping(KefuCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._load_zh_cn()
        cls._stock_film()
        cls.elsewhere = cls.env["res.partner"].create({"name": "别处仓库"})

    def _ready_to_ship(self, customer=None):
        """A released order whose delivery waits for nothing but the goods."""
        order = self._conformity_accepted(
            self._to_released(self._order(customer or self.customer_a))
        )
        if order.kefu_ship_state == "awaiting_payment":
            order.with_user(self.finance).action_kefu_confirm_payment()
            order.with_user(self.finance).action_kefu_approve_shipping()
        return order

    def _pick(self, picking, quantity):
        """The shipper enters the quantity picked, as the barcode or the form
        would send it."""
        for move in picking.move_ids.with_user(self.shipper):
            move.write({"quantity": quantity, "picked": True})
        return picking

    def _validate(self, picking, backorder=True, env=None):
        """Validate as the shipper: with a backorder for the rest, or none."""
        context = {"skip_backorder": True}
        if not backorder:
            context["picking_ids_not_to_backorder"] = picking.ids
        if env:
            picking = picking.with_env(env)
        return picking.with_user(self.shipper).with_context(**context).button_validate()

    # 6. What ships is what was signed --------------------------------------
    def test_delivery_redirected_to_another_partner_is_refused(self):
        order = self._ready_to_ship()
        picking = self._pick(order.picking_ids, 100)
        self.assertEqual(picking.partner_id, order.partner_shipping_id)
        picking.with_user(self.shipper).write({"partner_id": self.elsewhere.id})
        self.assertRefused(
            lambda env: self._validate(picking, env=env),
            "signed for delivery to",
        )
        self.assertEqual(picking.state, "assigned")
        picking.with_user(self.shipper).write(
            {"partner_id": order.partner_shipping_id.id}
        )
        self._validate(picking)
        self.assertEqual(picking.state, "done")

    def _refused_then_shipped(self, picking, pattern, quantity, backorder=True):
        """Validating ``picking`` as picked is refused (``pattern``, with or
        without a ``backorder``); picked ``quantity``, with a backorder for the
        rest, it ships."""
        self.assertRefused(lambda env: self._validate(picking, backorder, env), pattern)
        self.assertEqual(picking.state, "assigned")
        self._pick(picking, quantity)
        self._validate(picking)
        self.assertEqual(picking.state, "done")

    def test_delivery_beyond_the_tolerance_is_refused(self):
        order = self._ready_to_ship()  # 100 kg, ±5 %
        picking = self._pick(order.picking_ids, 106)
        self._refused_then_shipped(picking, r"105(\.0)? kg", 105)
        self.assertEqual(order.order_line.qty_delivered, 105)

    def test_tolerance_holds_over_backorders(self):
        order = self._ready_to_ship()
        first = self._pick(order.picking_ids, 60)
        self._validate(first)
        backorder = order.picking_ids - first
        self.assertEqual(backorder.move_ids.product_uom_qty, 40)
        self._refused_then_shipped(self._pick(backorder, 46), "106", 45)
        self.assertEqual(order.order_line.qty_delivered, 105)

    def test_last_delivery_below_the_tolerance_is_refused(self):
        order = self._ready_to_ship()
        picking = self._pick(order.picking_ids, 90)
        # Without a backorder, 90 kg is all that ships; with one, the first
        # 90 kg may go.
        self._refused_then_shipped(picking, r"95(\.0)? to 105", 90, backorder=False)
        self.assertEqual(order.order_line.qty_delivered, 90)
        self.assertTrue(order.picking_ids - picking)

    def test_product_not_on_the_sheet_does_not_ship(self):
        order = self._ready_to_ship()
        picking = self._pick(order.picking_ids, 100)
        self.env["stock.move"].with_user(self.shipper).create(
            {
                "name": self.film2.name,
                "picking_id": picking.id,
                "product_id": self.film2.id,
                "product_uom": self.film2.uom_id.id,
                "product_uom_qty": 5,
                "quantity": 5,
                "picked": True,
                "location_id": picking.location_id.id,
                "location_dest_id": picking.location_dest_id.id,
            }
        )
        self.assertRefused(lambda env: self._validate(picking, env=env), "PET-12")

    # 7. What is paid is the signed total -----------------------------------
    def _awaiting_payment(self):
        order = self._conformity_accepted(
            self._to_released(self._order(self.customer_c))
        )
        self.assertEqual(order.kefu_ship_state, "awaiting_payment")
        return order

    def _add_line_beside_the_sheet(self, order, **vals):
        """A line the sheet does not carry, by whatever path reaches the
        order (Odoo's own down payment and discount code write as the
        system): it changes the content, so the released order refuses it,
        and the amount due stays the signed total."""
        signed = order.amount_total

        def add(env):
            self.transition(env["sale.order.line"]).create(
                {"order_id": order.id, "product_uom_qty": 1, **vals}
            )

        self.assertRefused(add, "differs from sheet version")
        self.assertEqual(order.amount_total, signed)
        self.assertEqual(order.kefu_amount_due, signed)

    def test_negative_down_payment_line_does_not_lower_the_payment(self):
        order = self._awaiting_payment()
        self._add_line_beside_the_sheet(
            order, name="Down payment", is_downpayment=True, price_unit=-1500
        )
        # Odoo's own down payment line (no quantity) is no content: it may be
        # added, and lowers nothing.
        self.transition(self.env["sale.order.line"]).create(
            {
                "order_id": order.id,
                "name": "Down payment",
                "is_downpayment": True,
                "product_uom_qty": 0,
                "price_unit": 1500,
            }
        )
        self.assertEqual(order.kefu_amount_due, order.amount_total)

    def test_discount_line_does_not_lower_the_payment(self):
        order = self._awaiting_payment()
        self._add_line_beside_the_sheet(
            order, product_id=self.film2.id, name="折扣", price_unit=-1500
        )

    def test_approved_shipping_holds_the_signed_total(self):
        order = self._awaiting_payment()
        order.with_user(self.finance).action_kefu_confirm_payment()
        order.with_user(self.finance).action_kefu_approve_shipping()
        self.assertEqual(order.kefu_ship_approved_amount, order.amount_total)
        self.assertFalse(order._kefu_ship_blocked())
