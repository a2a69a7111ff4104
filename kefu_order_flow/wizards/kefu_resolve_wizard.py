# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class KefuResolveWizard(models.TransientModel):
    """Close an open production problem with its written resolution (F15)."""

    _name = "kefu.resolve.wizard"
    _description = "Resolve a Production Problem"

    monitoring_id = fields.Many2one(
        "kefu.monitoring", string="Problem", required=True, ondelete="cascade"
    )
    resolution = fields.Text(required=True)

    def action_resolve(self):
        self.ensure_one()
        self.monitoring_id.action_resolve(self.resolution)
        return {"type": "ir.actions.act_window_close"}
