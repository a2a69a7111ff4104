# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import io

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from .kefu_common import in_company_lang, transition


class KefuScanInbox(models.Model):
    """A batch of returned sheets (回传收件箱): one upload or one mail of a
    fax-to-mail gateway, any number of files and pages. Each page is read
    for the sheet's QR code and becomes a draft return for the clerk."""

    _name = "kefu.scan.inbox"
    _inherit = ["mail.thread"]
    _description = "Returned Sheets Batch"
    _order = "id desc"

    name = fields.Char(required=True, default=lambda self: self._default_name())
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    email_from = fields.Char(string="Sent By", readonly=True)
    file_ids = fields.Many2many(
        "ir.attachment",
        "kefu_scan_inbox_file_rel",
        "inbox_id",
        "attachment_id",
        string="Files",
        help="PDF, PNG, JPEG or TIFF files of returned sheets; one file may hold "
        "many returns.",
    )
    page_ids = fields.One2many("kefu.scan.page", "inbox_id", string="Pages")
    page_count = fields.Integer(compute="_compute_page_counts", store=True)
    to_check_count = fields.Integer(
        string="To Check", compute="_compute_page_counts", store=True
    )
    unread_count = fields.Integer(
        string="Unread", compute="_compute_page_counts", store=True
    )
    to_read = fields.Boolean(
        string="Files to Read",
        readonly=True,
        index="btree_not_null",
        help="Files came by mail and wait for the scan reader (a scheduled "
        "action, started as soon as the mail is in).",
    )

    def _default_name(self):
        # Named for the staff, also when the mail gateway creates the batch.
        env = in_company_lang(self).env
        return env._(
            "Returned sheets %(date)s", date=format_date(env, fields.Date.today())
        )

    @api.depends("page_ids.state")
    def _compute_page_counts(self):
        for inbox in self:
            states = inbox.page_ids.mapped("state")
            inbox.page_count = len(states)
            inbox.to_check_count = sum(s in ("draft", "superseded") for s in states)
            inbox.unread_count = states.count("unread")

    @api.model_create_multi
    def create(self, vals_list):
        inboxes = super().create(vals_list)
        inboxes.filtered("file_ids").action_read()
        return inboxes

    def write(self, vals):
        res = super().write(vals)
        if "file_ids" in vals and not vals.get("to_read"):
            self.action_read()
        return res

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A mail to the returns alias (a fax-to-mail gateway): one batch; its
        attachments are read once the mail is posted on it."""
        values = {
            "name": msg_dict.get("subject") or self._default_name(),
            "email_from": msg_dict.get("email_from"),
            **(custom_values or {}),
        }
        return super().message_new(msg_dict, custom_values=values)

    def _message_post_after_hook(self, message, msg_vals):
        res = super()._message_post_after_hook(message, msg_vals)
        if message.message_type == "email" and message.attachment_ids:
            files = message.attachment_ids.filtered(
                lambda a: (
                    a.mimetype == "application/pdf"
                    or (a.mimetype or "").startswith("image/")
                )
            )
            if files:
                # Reading pages (pdftoppm, the QR decoder) takes seconds a
                # page: the mail gateway's transaction only files them, and
                # the scan reader runs at once in its own.
                self.write(
                    {"file_ids": [(4, file.id) for file in files], "to_read": True}
                )
                self.env.ref("kefu_order_flow.ir_cron_kefu_read_scans")._trigger()
        return res

    def action_read(self):
        """Read the files not read yet: one page record per page."""
        for inbox in self:
            read = inbox.page_ids.file_id
            inbox._kefu_read_files(inbox.file_ids - read)
        return True

    @api.model
    def _cron_kefu_read_scans(self, batch=10):
        """Read the files that came by mail, ``batch`` batches at a time (the
        cron runs again at once while some wait). A file that cannot be read
        is said in the batch's chatter; the others are read."""
        inboxes = self.search([("to_read", "=", True)], limit=batch)
        for inbox in inboxes:
            try:
                with self.env.cr.savepoint():
                    inbox.action_read()
            except UserError as error:
                inbox.message_post(body=str(error), subtype_xmlid="mail.mt_note")
        inboxes.write({"to_read": False})
        self.env["ir.cron"]._notify_progress(
            done=len(inboxes), remaining=self.search_count([("to_read", "=", True)])
        )
        return len(inboxes)

    def _kefu_read_files(self, files):
        self.ensure_one()
        orders = self.env["sale.order"]
        pages = []
        for file in files:
            for match, image in orders._kefu_read_scan(file):
                pages.append(self._kefu_prepare_page(file, match, image))
        if not pages:
            return self.env["kefu.scan.page"]
        return transition(self.env["kefu.scan.page"]).create(pages)

    def _kefu_prepare_page(self, file, match, image):
        buffer = io.BytesIO()
        image.convert("1").save(buffer, "PNG", optimize=True)
        version = self.env["kefu.sheet.version"]
        if match["order_id"]:
            version = version.search(
                [
                    ("order_id", "=", match["order_id"]),
                    ("version", "=", match["version"]),
                ],
                limit=1,
            )
        if not match["order_id"]:
            state = "unread"
        elif match["current"]:
            state = "draft"
        else:
            state = "superseded"
        return {
            "inbox_id": self.id,
            "file_id": file.id,
            "page": match["page"],
            "order_id": match["order_id"],
            "sheet_version_id": version.id,
            "state": state,
            "image": base64.b64encode(buffer.getvalue()),
        }

    @api.ondelete(at_uninstall=False)
    def _unlink_except_registered(self):
        if self.page_ids.filtered(lambda p: p.return_id):
            raise UserError(
                self.env._("A batch with registered returns is kept as history.")
            )
