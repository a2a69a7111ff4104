# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from collections import defaultdict

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_round

from .kefu_common import KEFU_OPEN_STAGES


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _kefu_check_shipping_approved(self):
        """Deliveries of orders that ship after payment wait for finance (F18),
        and go to the delivery address the customer signed for."""
        for picking in self.filtered(lambda p: p.picking_type_code == "outgoing"):
            order = picking.sudo().sale_id
            if not order.kefu_stage:  # outside the flow's scope: Odoo's order
                continue
            if order.state == "sale" and order.kefu_stage in KEFU_OPEN_STAGES:
                raise UserError(
                    self.env._(
                        "%(picking)s cannot be validated: %(order)s is being changed "
                        "(change order) and is not released again yet.",
                        picking=picking.name,
                        order=order.name,
                    )
                )
            # What ships is what the customer signed: the order's content,
            # and the address it was signed for.
            order._kefu_check_contract()
            if order and picking.partner_id != order.partner_shipping_id:
                raise UserError(
                    self.env._(
                        "%(picking)s cannot be validated: it goes to %(partner)s, but "
                        "%(order)s was signed for delivery to %(address)s. The "
                        "supervisor decides through a change order.",
                        picking=picking.name,
                        partner=picking.partner_id.display_name or "-",
                        order=order.name,
                        address=order.partner_shipping_id.display_name,
                    )
                )
            if order and order._kefu_ship_blocked():
                raise UserError(
                    self.env._(
                        "%(picking)s cannot be validated: shipping of %(order)s waits "
                        "until finance has confirmed the payment and approved it.",
                        picking=picking.name,
                        order=order.name,
                    )
                )
            if order and order._kefu_conformity_blocked():
                raise UserError(
                    self.env._(
                        "%(picking)s cannot be validated: %(order)s ships only after "
                        "the customer's conformity opinion was accepted.",
                        picking=picking.name,
                        order=order.name,
                    )
                )

    def _kefu_check_signed_quantities(self):
        """Each product ships within its lines' tolerance of the quantity
        ordered, in total over the order's deliveries and backorders; a
        delivery validated without a backorder ships at least the lowest."""
        final = self.env.context.get("cancel_backorder")
        shipping = defaultdict(float)
        pickings = self.filtered(lambda p: p.picking_type_code == "outgoing")
        for move in pickings.sudo().move_ids:
            order = move.picking_id.sale_id
            # Outside the flow's scope an order ships as Odoo ships it.
            if not order.kefu_stage or move.state in ("done", "cancel"):
                continue
            picked = move.move_line_ids.filtered("picked") if move.picked else []
            shipping[order, move.product_id] += sum(
                line.quantity_product_uom for line in picked
            )
        for (order, product), quantity in shipping.items():
            shipped = quantity + sum(
                line.product_uom._compute_quantity(line.qty_delivered, product.uom_id)
                for line in order.order_line
                if line.product_id == product
            )
            low, high = order._get_kefu_tolerance_range(product)
            rounding = product.uom_id.rounding
            if (
                float_compare(shipped, high, precision_rounding=rounding) > 0
                or final
                and float_compare(shipped, low, precision_rounding=rounding) < 0
            ):
                raise UserError(
                    self.env._(
                        "%(product)s cannot ship %(quantity)s %(unit)s in all for "
                        "%(order)s: the signed quantity with its tolerance is "
                        "%(low)s to %(high)s %(unit)s. The supervisor decides "
                        "through a change order.",
                        product=product.display_name,
                        quantity=float_round(shipped, precision_rounding=rounding),
                        unit=product.uom_id.name,
                        order=order.name,
                        low=float_round(low, precision_rounding=rounding),
                        high=float_round(high, precision_rounding=rounding),
                    )
                )

    def button_validate(self):
        # Before Odoo's wizards (immediate transfer, backorder) open.
        self._kefu_check_shipping_approved()
        return super().button_validate()

    def _action_done(self):
        # Every way to validate ends here.
        self._kefu_check_shipping_approved()
        self._kefu_check_signed_quantities()
        res = super()._action_done()
        self.sudo().sale_id._kefu_after_delivery()
        return res
