# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Returned scans matched by the QR code on the sheet (F11): each page of a
scan tells which order and which version of its sheet it is."""

from odoo import api, models
from odoo.exceptions import UserError

from ..tools import kefu_qr, kefu_scan
from .kefu_common import kefu_arguments


class SaleOrder(models.Model):
    _inherit = "sale.order"

    @api.model
    @kefu_arguments(attachment_id="record_id")
    def kefu_match_scan(self, attachment_id):
        """Read every page of the returned scan ``attachment_id`` (PDF, PNG,
        JPEG, TIFF) and say, per page, which order and sheet version its QR
        code names: ``{"page": n, "order_id": id or False, "version": n or
        False, "current": bool, "fingerprint": str or False}``. A page whose
        code cannot be read, or names no order the user can read, or does not
        match the version that was sent, has ``order_id`` False."""
        attachment = self.env["ir.attachment"].browse(int(attachment_id)).exists()
        if not attachment:
            raise UserError(self.env._("The scan to read does not exist."))
        return [match for match, _image in self._kefu_read_scan(attachment)]

    @api.model
    def _kefu_read_scan(self, attachment):
        """``(match, page image)`` for every page of the scan ``attachment``."""
        attachment.check_access("read")
        try:
            pages = kefu_scan.pages_of(attachment.raw or b"")
        except kefu_scan.ScanError as error:
            raise UserError(
                self.env._(
                    "%(file)s cannot be read as a scan (PDF, PNG, JPEG or TIFF): "
                    "%(error)s",
                    file=attachment.name,
                    error=str(error),
                )
            ) from error
        return [
            (self._kefu_match_page(number, kefu_scan.read_page(image)), image)
            for number, image in enumerate(pages, start=1)
        ]

    @api.model
    def _kefu_match_page(self, number, texts):
        for text in texts:
            code = kefu_qr.parse(text)
            if not code:
                continue
            order = self.search([("id", "=", code["order_id"])])
            version = order.kefu_sheet_version_ids.filtered(
                lambda v, code=code: v.version == code["version"]
            )
            # The number and the fingerprint must be the ones sent: a code
            # from another database or a doctored one matches nothing.
            if (
                version
                and order.name == code["name"]
                and version.fingerprint == code["fingerprint"]
            ):
                return {
                    "page": number,
                    "order_id": order.id,
                    "version": version.version,
                    "current": version.state == "current"
                    and version == order.kefu_sheet_version_id,
                    "fingerprint": version.fingerprint,
                }
        return {
            "page": number,
            "order_id": False,
            "version": False,
            "current": False,
            "fingerprint": False,
        }
