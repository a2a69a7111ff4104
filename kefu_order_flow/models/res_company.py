# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    kefu_signer_policy = fields.Selection(
        [
            ("confirm", "The supervisor confirms"),
            ("refuse", "Refused"),
        ],
        string="Return Signed by Another Person",
        default="confirm",
        required=True,
        help="An accepted return signed by someone who is not one of the "
        "customer's designated signers: the customer service supervisor confirms "
        "it (registers it), or it is refused.",
    )
    kefu_money_in_accounting = fields.Boolean(
        string="Deposits and Payments in Accounting",
        default=True,
        help="On: the deposit notice is a down-payment invoice, and money counts "
        "for the deposit and for shipping once its payment is registered in "
        "Accounting (or matched with a bank statement line). Off, for a factory "
        "that does not keep its money in Odoo: finance confirms the amounts "
        "received on the order.",
    )
