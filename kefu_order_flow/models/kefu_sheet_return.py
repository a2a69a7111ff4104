# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.exceptions import UserError

REJECT_REASONS = [
    ("content_error", "Content error"),
    ("signature", "Unclear signature"),
    ("stamp", "Unclear stamp"),
    ("special_notes", "Unclear special notes"),
    ("other", "Other"),
]


class KefuSheetReturn(models.Model):
    """A signed confirmation sheet that came back from the customer (F11)."""

    _name = "kefu.sheet.return"
    _description = "Confirmation Sheet Return"
    _order = "checked_at desc, id desc"

    order_id = fields.Many2one(
        "sale.order", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    sheet_version = fields.Integer(required=True, readonly=True)
    accepted = fields.Boolean(readonly=True)
    reject_reason = fields.Selection(REJECT_REASONS, readonly=True)
    note = fields.Text(readonly=True)
    attachment_id = fields.Many2one(
        "ir.attachment", string="Returned Scan", readonly=True
    )
    checked_by = fields.Many2one("res.users", required=True, readonly=True)
    checked_at = fields.Datetime(required=True, readonly=True)

    def write(self, vals):
        if not self.env.su:
            raise UserError(self.env._("A registered return cannot be changed."))
        return super().write(vals)

    def unlink(self):
        if not self.env.su:
            raise UserError(self.env._("A registered return cannot be deleted."))
        return super().unlink()
