# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .kefu_common import KEFU_CHANNELS, KEFU_LONG_TEXT, check_text_lengths


class KefuOrderMemo(models.Model):
    """An entry of the customer information memo (客户信息备忘录, F2).

    Entries are never edited or deleted: a correction is a new entry.
    """

    _name = "kefu.order.memo"
    _inherit = ["kefu.register.mixin"]
    _description = "Customer Information Memo Entry"

    order_id = fields.Many2one(
        "sale.order", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    channel = fields.Selection(
        KEFU_CHANNELS,
        required=True,
        compute="_compute_channel",
        store=True,
        readonly=False,
        precompute=True,
    )
    content = fields.Text(required=True)

    @api.depends("order_id")
    def _compute_channel(self):
        for memo in self:
            memo.channel = memo.channel or memo.order_id.kefu_channel or "phone"

    @api.constrains("content")
    def _check_content(self):
        check_text_lengths(self, {"content": KEFU_LONG_TEXT})
        for memo in self:
            if not memo.content.strip():
                raise ValidationError(self.env._("A memo entry needs content."))
