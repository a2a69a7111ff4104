# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from ..models.kefu_common import KEFU_SEND_CHANNELS, KEFU_SEND_DOCUMENTS
from ..models.kefu_flow import KEFU_FLOW
from ..models.kefu_flow_desk import KEFU_SEND_STEPS


class KefuSendWizard(models.TransientModel):
    """Send a document to the customer: by mail (Odoo's composer opens with
    the template and the PDF) or as a fax sent by hand (recorded at once, the
    PDF opens to be faxed). The order's step checks everything."""

    _name = "kefu.send.wizard"
    _description = "Send a Document to the Customer"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    document = fields.Selection(KEFU_SEND_DOCUMENTS, required=True, readonly=True)
    channel = fields.Selection(
        KEFU_SEND_CHANNELS,
        compute="_compute_channel",
        store=True,
        readonly=False,
        help="By mail when the customer has a fax-to-mail address or the contact "
        "an e-mail address; otherwise by hand.",
    )
    mail_to = fields.Char(compute="_compute_recipients")
    fax = fields.Char(string="Fax Number", compute="_compute_recipients")

    @api.depends("order_id")
    def _compute_channel(self):
        for wizard in self:
            wizard.channel = "mail" if wizard.order_id._kefu_mail_addresses() else "fax"

    @api.depends("order_id")
    def _compute_recipients(self):
        for wizard in self:
            order = wizard.order_id
            wizard.mail_to = ", ".join(order._kefu_mail_addresses()) if order else ""
            wizard.fax = order._kefu_print_contacts()["fax"] if order else False

    def action_send(self):
        self.ensure_one()
        step = KEFU_FLOW[KEFU_SEND_STEPS[self.document]]
        result = getattr(self.order_id, step.action)(channel=self.channel)
        if isinstance(result, dict):
            return result
        return {"type": "ir.actions.act_window_close"}
