# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .kefu_common import KEFU_LONG_TEXT, check_text_lengths
from .sale_order import KEFU_CHANNELS


class KefuOrderMemo(models.Model):
    """An entry of the customer information memo (客户信息备忘录, F2).

    Entries are never edited or deleted: a correction is a new entry.
    """

    _name = "kefu.order.memo"
    _description = "Customer Information Memo Entry"
    _order = "recorded_at desc, id desc"

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
    recorded_by = fields.Many2one(
        "res.users", required=True, readonly=True, default=lambda self: self.env.user
    )
    recorded_at = fields.Datetime(
        required=True, readonly=True, default=fields.Datetime.now
    )

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

    def write(self, vals):
        if not self.env.su:
            raise UserError(
                self.env._(
                    "A memo entry cannot be changed once saved; add a new entry "
                    "with the correction."
                )
            )
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            raise UserError(
                self.env._("A memo entry cannot be deleted; add a correction instead.")
            )
        return super().unlink()
