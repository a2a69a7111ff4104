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
    attachment_id = fields.Many2one(
        "ir.attachment", string="Returned Scan", readonly=True
    )
    signer = fields.Char(
        readonly=True, help="The customer's person who signed or stamped it."
    )
    signer_confirmed_by = fields.Many2one(
        "res.users",
        readonly=True,
        help="The supervisor who accepted a return signed by someone who is not a "
        "designated signer.",
    )
    recorded_by = fields.Many2one(string="Checked By")
    recorded_at = fields.Datetime(string="Checked At")

    def _get_summary(self):
        self.ensure_one()
        kind = dict(self._fields["kind"]._description_selection(self.env))[self.kind]
        if self.accepted:
            summary = self.env._(
                "%(kind)s returned and accepted (version %(version)s).",
                kind=kind,
                version=self.sheet_version or "-",
            )
            if self.signer:
                summary += " " + self.env._("Signed by %(signer)s.", signer=self.signer)
            if self.signer_confirmed_by:
                summary += " " + self.env._(
                    "Not a designated signer: confirmed by %(user)s.",
                    user=self.signer_confirmed_by.name,
                )
            return summary
        reason = dict(self._fields["reject_reason"]._description_selection(self.env))
        return self.env._(
            "%(kind)s returned and rejected (version %(version)s): %(reason)s %(note)s",
            kind=kind,
            version=self.sheet_version or "-",
            reason=reason[self.reject_reason],
            note=self.note or "",
        )
