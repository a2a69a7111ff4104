# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import kefu_qr
from .kefu_common import is_transition

# The QR code on the sheet: level M survives 15 % damage (a fax's streaks);
# 300 px rendered at 32 mm gives modules of about 1 mm, 4 pixels at 100 dpi.
KEFU_QR_OPTIONS = {"width": 300, "height": 300, "barLevel": "M"}


class KefuSheetVersion(models.Model):
    """One sending of the confirmation sheet (确认书版本, F9): what was sent,
    when and by whom, the PDF as sent and the fingerprint of its content, so
    that a returned fax is tied to exactly one version."""

    _name = "kefu.sheet.version"
    _description = "Confirmation Sheet Version"
    _order = "order_id, version desc"

    order_id = fields.Many2one(
        "sale.order", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    version = fields.Integer(required=True, readonly=True)
    state = fields.Selection(
        [("current", "Current"), ("superseded", "Superseded"), ("void", "Void")],
        required=True,
        default="current",
        readonly=True,
    )
    sent_at = fields.Datetime(required=True, readonly=True)
    sent_by = fields.Many2one("res.users", required=True, readonly=True)
    fingerprint = fields.Char(
        required=True,
        readonly=True,
        help="The code printed on the sheet and in its QR code.",
    )
    content = fields.Json(
        readonly=True,
        help="The sheet items as sent (sale.order._kefu_sheet_content()).",
    )
    content_fingerprint = fields.Char(
        readonly=True,
        index=True,
        help="The fingerprint of the content: the order's content fingerprint "
        "while this version stands. The printed fingerprint for every version "
        "sent since 18.0.1.1.0.",
    )
    completion_date = fields.Date(
        string="Production Completion Date",
        readonly=True,
        help="Production's written completion date this version carried.",
    )
    received_at = fields.Datetime(
        string="Fax Received Clearly", readonly=True, copy=False
    )
    attachment_id = fields.Many2one(
        "ir.attachment", string="Sheet as Sent", readonly=True
    )
    return_ids = fields.One2many("kefu.sheet.return", "sheet_version_id")
    void_reason = fields.Char(readonly=True)

    _sql_constraints = [
        (
            "order_version_unique",
            "UNIQUE(order_id, version)",
            "A sheet version is sent once.",
        ),
    ]

    @api.depends("order_id.name", "version")
    def _compute_display_name(self):
        for sheet in self:
            sheet.display_name = self.env._(
                "%(order)s v%(version)s",
                order=sheet.order_id.name,
                version=sheet.version,
            )

    def _get_qr_payload(self):
        """The text of the QR code printed on this version of the sheet."""
        self.ensure_one()
        return kefu_qr.payload(
            self.order_id.id, self.order_id.name, self.version, self.fingerprint
        )

    def _get_qr_src(self):
        """The QR code as an image source for the PDF: the same image as the
        report's barcode route ``/report/barcode/QR/<payload>``, built in
        process so that wkhtmltopdf need not call the server back."""
        self.ensure_one()
        png = self.env["ir.actions.report"].barcode(
            "QR", self._get_qr_payload(), **KEFU_QR_OPTIONS
        )
        return "data:image/png;base64," + base64.b64encode(png).decode()

    def _get_qr_url(self):
        """The report's barcode route for this version's QR code (web pages)."""
        self.ensure_one()
        query = "&".join(f"{key}={value}" for key, value in KEFU_QR_OPTIONS.items())
        return f"/report/barcode/QR/{self._get_qr_payload()}?{query}"

    def _kefu_contract_error(self):
        """Why the order no longer carries what this version carried, or False:
        what is produced, shipped and paid for is what the customer signed."""
        order = self.order_id
        if self.content_fingerprint in (False, order.kefu_content_fingerprint):
            return False
        return self.env._(
            "%(order)s differs from sheet version %(version)s that was sent to the "
            "customer (fingerprint %(fingerprint)s); what is produced, shipped and "
            "paid for is what the customer signed. Changed:\n%(diff)s\n"
            "Open a change order and have the new sheet signed.",
            order=order.name,
            version=self.version,
            fingerprint=self.fingerprint,
            diff=order._kefu_content_diff_text(self),
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not is_transition(self):
            raise UserError(self.env._("A sheet version is created by Send Sheet."))
        return super().create(vals_list)

    def write(self, vals):
        if not is_transition(self):
            raise UserError(self.env._("A sheet version is kept as it was sent."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        if not self.env.su:
            raise UserError(self.env._("A sheet version sent cannot be deleted."))
