# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
from odoo.exceptions import UserError

from .kefu_common import KEFU_OPEN_STAGES


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _kefu_check_shipping_approved(self):
        """Deliveries of orders that ship after payment wait for finance (F18)."""
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

    def button_validate(self):
        # Before Odoo's wizards (immediate transfer, backorder) open.
        self._kefu_check_shipping_approved()
        return super().button_validate()

    def _action_done(self):
        # Every way to validate ends here.
        self._kefu_check_shipping_approved()
        res = super()._action_done()
        self.sudo().sale_id._kefu_after_delivery()
        return res
