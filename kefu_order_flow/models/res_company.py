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
