# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from ..tools import kefu_dates


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
    # The departments' requests are due in two days (their activity types).
    deadline = fields.Date(
        string="Answer By",
        required=True,
        compute="_compute_deadline",
        store=True,
        readonly=False,
    )

    def _default_note(self):
        # What the seed asks of each department (F6, F8); the clerk adds to it.
        return self.env._(
            "Technical: can it be produced as ordered, has the process formula "
            "changed, what is the raw-material stock. Production: the production "
            "date, the completion date and every production item of the sheet."
        )

    @api.depends("order_id")
    def _compute_deadline(self):
        for wizard in self:
            wizard.deadline = wizard.deadline or kefu_dates.add_days(
                wizard.order_id._kefu_local_today(), 2
            )

    def action_request(self):
        self.ensure_one()
        self.order_id.action_kefu_request_confirmations(self.note, self.deadline)
        return {"type": "ir.actions.act_window_close"}
