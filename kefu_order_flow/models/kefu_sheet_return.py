# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

from .kefu_common import KEFU_REJECT_REASONS, KEFU_RETURN_KINDS


class KefuSheetReturn(models.Model):
    """A signed document that came back from the customer: the confirmation
    sheet (F11) or the finished-goods conformity opinion (F16)."""

    _name = "kefu.sheet.return"
    _inherit = ["kefu.register.mixin"]
    _description = "Returned Document"

    order_id = fields.Many2one(
        "sale.order", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    kind = fields.Selection(
        KEFU_RETURN_KINDS, required=True, default="sheet", readonly=True
    )
    sheet_version_id = fields.Many2one(
        "kefu.sheet.version", string="Sheet Version Returned", readonly=True
    )
    sheet_version = fields.Integer(related="sheet_version_id.version", store=True)
    accepted = fields.Boolean(readonly=True)
    reject_reason = fields.Selection(KEFU_REJECT_REASONS, readonly=True)
    note = fields.Text(readonly=True)
    signer = fields.Char(
        string="Signed By (Customer)",
        readonly=True,
        help="Who at the customer signed or stamped the returned document.",
    )
    attachment_id = fields.Many2one(
        "ir.attachment", string="Returned Scan", readonly=True
    )
    recorded_by = fields.Many2one(string="Checked By")
    recorded_at = fields.Datetime(string="Checked At")

    def _get_summary(self):
        self.ensure_one()
        kind = dict(self._fields["kind"]._description_selection(self.env))[self.kind]
        if self.accepted:
            return self.env._(
                "%(kind)s returned and accepted (version %(version)s).",
                kind=kind,
                version=self.sheet_version or "-",
            )
        reason = dict(self._fields["reject_reason"]._description_selection(self.env))
        return self.env._(
            "%(kind)s returned and rejected (version %(version)s): %(reason)s %(note)s",
            kind=kind,
            version=self.sheet_version or "-",
            reason=reason[self.reject_reason],
            note=self.note or "",
        )
