# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .kefu_common import (
    KEFU_REJECT_REASONS,
    is_transition,
    refuse_flow_fields,
    transition,
)


class KefuScanPage(models.Model):
    """One page of a returned batch: a draft return of the order and version
    its QR code names, for the clerk to check (signature, stamp, special notes)
    and accept or reject; a page without a readable code waits for the clerk
    to choose its order."""

    _name = "kefu.scan.page"
    _description = "Returned Sheet Page"
    _order = "inbox_id desc, file_id, page"

    inbox_id = fields.Many2one(
        "kefu.scan.inbox", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="inbox_id.company_id", store=True)
    file_id = fields.Many2one("ir.attachment", readonly=True)
    page = fields.Integer(readonly=True)
    image = fields.Binary(string="Page Image", readonly=True, attachment=True)
    order_id = fields.Many2one(
        "sale.order",
        index="btree_not_null",
        domain="[('kefu_return_state', '=', 'pending')]",
        help="Read from the page's QR code, or chosen by the clerk when no code "
        "could be read.",
    )
    sheet_version_id = fields.Many2one("kefu.sheet.version", readonly=True)
    version = fields.Integer(related="sheet_version_id.version")
    fingerprint = fields.Char(related="sheet_version_id.fingerprint")
    state = fields.Selection(
        [
            ("unread", "No Code Read"),
            ("draft", "To Check"),
            ("superseded", "Superseded Version"),
            ("accepted", "Accepted"),
            ("rejected", "Rejected"),
        ],
        required=True,
        default="unread",
        readonly=True,
    )
    signer = fields.Char(
        help="The customer's person who signed or stamped the page (needed to "
        "accept it)."
    )
    reject_reason = fields.Selection(KEFU_REJECT_REASONS)
    note = fields.Text()
    return_id = fields.Many2one("kefu.sheet.return", readonly=True)

    # What reading the file and registering the page set: the version a page
    # answers is its QR code's, never the caller's.
    _kefu_read_fields = frozenset(
        {
            "inbox_id",
            "file_id",
            "page",
            "image",
            "sheet_version_id",
            "state",
            "return_id",
        }
    )

    @api.onchange("order_id")
    def _onchange_order_id(self):
        """A page matched by hand answers the version sent last."""
        for page in self.filtered(lambda p: p.state == "unread" and p.order_id):
            page.sheet_version_id = page.order_id.kefu_sheet_version_id

    @api.model_create_multi
    def create(self, vals_list):
        if not is_transition(self):
            raise UserError(
                self.env._("Pages come from reading a returned file (Read New Files).")
            )
        return super().create(vals_list)

    def write(self, vals):
        if not is_transition(self):
            refuse_flow_fields(self, self._kefu_read_fields.intersection(vals))
        if "order_id" in vals:
            for page in self:
                if page.state != "unread":
                    raise UserError(
                        self.env._(
                            "Page %(page)s was matched by its QR code: its order "
                            "cannot be changed.",
                            page=page.page,
                        )
                    )
            order = self.env["sale.order"].browse(vals["order_id"])
            vals = dict(vals, sheet_version_id=order.kefu_sheet_version_id.id)
        return super().write(vals)

    def action_accept(self):
        """Accept the page as the signed return of its version (F11)."""
        return self._kefu_register(True)

    def action_reject(self):
        """Reject the page (with a reason): the customer gets a new version."""
        return self._kefu_register(False)

    def _kefu_register(self, accepted):
        self.ensure_one()
        if self.state in ("accepted", "rejected"):
            raise UserError(self.env._("This page was registered already."))
        if not self.order_id:
            raise UserError(
                self.env._("Choose the order of this page first: no code was read.")
            )
        if self.state == "superseded":
            raise UserError(
                self.env._(
                    "This page is version %(version)s of the sheet of %(order)s, "
                    "which is no longer the current version: it cannot be "
                    "accepted. Send the customer the current version.",
                    version=self.version,
                    order=self.order_id.name,
                )
            )
        scan = self.env["ir.attachment"].create(
            {
                "name": self.env._(
                    "%(order)s v%(version)s returned (page %(page)s).png",
                    order=self.order_id.name,
                    version=self.version,
                    page=self.page,
                ),
                "datas": self.image,
                "res_model": "sale.order",
                "res_id": self.order_id.id,
            }
        )
        self.order_id.action_kefu_register_return(
            accepted,
            note=self.note,
            reject_reason=self.reject_reason,
            sheet_version=self.version,
            attachment_id=scan.id,
            signer=self.signer,
        )
        transition(self).write(
            {
                "state": "accepted" if accepted else "rejected",
                "return_id": self.order_id.kefu_return_ids.sorted("id")[-1:].id,
            }
        )
        return True
