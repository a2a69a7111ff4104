# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class KefuArrivalWizard(models.TransientModel):
    """Record the arrival of the goods as confirmed with the customer (F17)."""

    _name = "kefu.arrival.wizard"
    _description = "Confirm the Arrival of the Goods"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    contact = fields.Char(string="Confirmed With", required=True)
    arrived_at = fields.Datetime(required=True, default=fields.Datetime.now)
    note = fields.Text(string="Remarks")

    def action_confirm(self):
        self.ensure_one()
        self.order_id.action_kefu_confirm_arrival(
            self.contact, arrived_at=self.arrived_at, note=self.note
        )
        return {"type": "ir.actions.act_window_close"}
