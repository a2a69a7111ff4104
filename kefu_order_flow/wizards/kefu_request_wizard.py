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
    note = fields.Text(
        string="What to Confirm",
        required=True,
        default=lambda self: self._default_note(),
    )
    # When the departments' request activities fall due (their type's delay).
    deadline = fields.Date(
        string="Answer By",
        required=True,
        default=lambda self: self.env.ref(
            "kefu_order_flow.mail_activity_kefu_tech_request"
        )._get_date_deadline(),
    )

    def _default_note(self):
        # What the seed asks of each department (F6, F8); the clerk adds to it.
        return self.env._(
            "Technical: can it be produced as ordered, has the process formula "
            "changed, what is the raw-material stock. Production: the production "
            "date, the completion date and every production item of the sheet."
        )

    def action_request(self):
        self.ensure_one()
        self.order_id.action_kefu_request_confirmations(self.note, self.deadline)
        return {"type": "ir.actions.act_window_close"}
