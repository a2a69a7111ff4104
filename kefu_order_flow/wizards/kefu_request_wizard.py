# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class KefuRequestWizard(models.TransientModel):
    """Ask technical (F6) and production (F8), in one go, what they must
    confirm in writing and by when. Only the request: the departments answer
    and sign in their own statements."""

    _name = "kefu.request.wizard"
    _description = "Ask for the Written Confirmations"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    note = fields.Text(string="What to Confirm", required=True)
    deadline = fields.Date(string="Answer By", required=True)

    def action_request(self):
        self.ensure_one()
        self.order_id.action_kefu_request_confirmations(self.note, self.deadline)
        return {"type": "ir.actions.act_window_close"}
