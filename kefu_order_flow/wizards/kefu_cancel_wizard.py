# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class KefuCancelWizard(models.TransientModel):
    """The supervisor's cancel of a released production order, with a reason."""

    _name = "kefu.cancel.wizard"
    _description = "Cancel a Released Production Order"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    reason = fields.Text(required=True)

    def action_cancel_order(self):
        self.ensure_one()
        self.order_id.action_kefu_cancel_released(self.reason)
        return {"type": "ir.actions.act_window_close"}
