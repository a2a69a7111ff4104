# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class KefuOverrideWizard(models.TransientModel):
    """The supervisor's release despite blockers, with a mandatory reason."""

    _name = "kefu.override.wizard"
    _description = "Override the Release Gate"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    blockers = fields.Text(related="order_id.kefu_release_blockers")
    reason = fields.Text(required=True)

    def action_override(self):
        self.ensure_one()
        self.order_id.action_kefu_override_release(self.reason)
        return {"type": "ir.actions.act_window_close"}
