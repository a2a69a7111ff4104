# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class KefuChangeWizard(models.TransientModel):
    """Open a change order (改单) on a released order, with its reason."""

    _name = "kefu.change.wizard"
    _description = "Open a Change Order"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    reason = fields.Text(required=True)

    def action_change(self):
        self.ensure_one()
        self.order_id.action_kefu_change_order(self.reason)
        return {"type": "ir.actions.act_window_close"}
