# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from ..models.kefu_money_receipt import KEFU_MONEY_KINDS


class KefuMoneyWizard(models.TransientModel):
    """Finance records money that arrived, for a company that does not keep
    its money in Odoo Accounting: prefilled with what is due, the day it
    arrived and the transfer's reference. (With Accounting, Odoo's Register
    Payment dialog takes its place.)"""

    _name = "kefu.money.wizard"
    _description = "Record Money Received"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    kind = fields.Selection(KEFU_MONEY_KINDS, required=True, readonly=True)
    currency_id = fields.Many2one(related="order_id.currency_id")
    due = fields.Monetary(string="Still Due", compute="_compute_due")
    amount = fields.Monetary(string="Amount Received", required=True)
    received_at = fields.Datetime(
        string="Received On", required=True, default=fields.Datetime.now
    )
    reference = fields.Char(
        help="The transfer's reference, as the bank or the customer gave it."
    )

    @api.depends("order_id", "kind")
    def _compute_due(self):
        for wizard in self:
            wizard.due = wizard.order_id._kefu_money_due(wizard.kind)

    def action_confirm(self):
        self.ensure_one()
        method = {
            "deposit": self.order_id.action_kefu_confirm_deposit,
            "payment": self.order_id.action_kefu_confirm_payment,
        }[self.kind]
        method(
            amount=self.amount, received_at=self.received_at, reference=self.reference
        )
        return {"type": "ir.actions.act_window_close"}
