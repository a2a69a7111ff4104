# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Returned scans matched by the QR code on the sheet (F11): each page of a
scan tells which order and which version of its sheet it is."""

from odoo import api, models
from odoo.exceptions import UserError

from ..tools import kefu_qr, kefu_scan


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def action_kefu_mail_sheet(self):
        """Mail the version waiting for its return (to the customer's contact
        and fax-to-mail address) through Odoo's composer, the PDF as sent
        attached. Faxing it by hand is the print that Send Sheet opens."""
        self.ensure_one()
        self._kefu_enter("action_kefu_mail_sheet")
        version = self.kefu_sheet_version_id
        if version.state != "current" or self.kefu_return_state != "pending":
            raise UserError(
                self.env._(
                    "No sheet version of %(order)s is waiting for its return.",
                    order=self.name,
                )
            )
        return self._kefu_composer_action(
            "kefu_order_flow.mail_template_kefu_sheet", version.attachment_id
        )

    def action_kefu_mail_conformity(self):
        """Mail the conformity request waiting for the customer's opinion
        (F16) through the composer, the request's PDF attached."""
        self.ensure_one()
        self._kefu_enter("action_kefu_mail_conformity")
        if self.kefu_conformity_state != "sent":
            raise UserError(
                self.env._(
                    "No conformity request of %(order)s is waiting for its return.",
                    order=self.name,
                )
            )
        report = self.env.ref("kefu_order_flow.action_report_kefu_conformity")
        # The clerk may not create report attachments on every record rule path.
        pdf, _kind = report.sudo()._render_qweb_pdf(report, self.ids)
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"{self.name}-conformity.pdf",
                "raw": pdf,
                "mimetype": "application/pdf",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        return self._kefu_composer_action(
            "kefu_order_flow.mail_template_kefu_conformity", attachment
        )

    def action_kefu_mail_deposit(self):
        """Mail the deposit notice (F12) through the composer."""
        self.ensure_one()
        self._kefu_enter("action_kefu_mail_deposit")
        if self.kefu_deposit_state != "awaiting":
            raise UserError(
                self.env._("%(order)s is not awaiting a deposit.", order=self.name)
            )
        return self._kefu_composer_action(
            "kefu_order_flow.mail_template_kefu_deposit",
            self.env["ir.attachment"],
        )

    def _kefu_composer_action(self, template_xmlid, attachments):
        """Odoo's mail composer on the order with ``template_xmlid`` and the
        kept ``attachments`` (the document as sent, not a new rendering)."""
        self.ensure_one()
        template = self.env.ref(template_xmlid)
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "default_attachment_ids": [(6, 0, attachments.ids)],
                "default_email_layout_xmlid": "mail.mail_notification_light",
                "kefu_mail_attachment_ids": attachments.ids,
            },
        }

    @api.model
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
