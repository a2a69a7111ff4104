# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import kefu_scan
from .kefu_common import (
    GROUP_SUPERVISOR,
    KEFU_REJECT_REASONS,
    KEFU_RETURN_KINDS,
    is_transition,
)


class KefuSheetReturn(models.Model):
    """A signed document that came back from the customer: the confirmation
    sheet (F11) or the finished-goods conformity opinion (F16). It decides
    what a return needs to count: its proof (the customer's scan) and, for the
    sheet, a signer the customer designated (``_kefu_register()``)."""

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

    @api.model
    def _kefu_register(
        self,
        order,
        kind,
        accepted,
        note=False,
        reject_reason=False,
        attachment_id=False,
        sheet_version=False,
        signer=False,
    ):
        """Keep what came back from the customer for ``order``, accepted or
        not, in history. An accepted document needs its proof: the scan and,
        for the sheet, who signed or stamped it at the customer, one of the
        customer's designated signers or confirmed by the supervisor."""
        order.ensure_one()
        extra = {}
        if accepted and kind == "sheet":
            extra = self._kefu_signer_vals(order, signer)
        signer = (extra.pop("signer", signer) or "").strip()
        if not accepted and not (reject_reason or (note or "").strip()):
            raise UserError(self.env._("Say why the returned document is rejected."))
        if accepted and kind == "sheet" and not attachment_id:
            raise UserError(
                self.env._(
                    "Attach the scan of the signed document: without it, nothing "
                    "shows what the customer signed."
                )
            )
        if accepted and kind == "sheet" and not signer:
            raise UserError(
                self.env._(
                    "Say who at the customer signed or stamped the sheet: a verbal "
                    "confirmation is not a return."
                )
            )
        attachment = self._kefu_proof(order, attachment_id, pages=kind == "sheet")
        if reject_reason and reject_reason not in dict(KEFU_REJECT_REASONS):
            raise UserError(self.env._("Unknown reason for rejecting a return."))
        # Returns are the flow's register: nobody writes one but its steps.
        ret = self.sudo().create(
            {
                "order_id": order.id,
                "kind": kind,
                "sheet_version_id": sheet_version.id if sheet_version else False,
                "accepted": bool(accepted),
                "reject_reason": False if accepted else (reject_reason or "other"),
                "note": note or False,
                "attachment_id": attachment.id,
                "signer": signer or False,
                **extra,
            }
        )
        order.message_post(body=ret._get_summary(), subtype_xmlid="mail.mt_note")
        return ret

    @api.model
    def _kefu_proof(self, order, attachment_id, pages=False):
        """The customer's document ``attachment_id`` as proof for ``order``: a
        file filed on the order or, with ``pages``, a returned page matched to
        the order and its current sheet version. Never a PDF the company
        printed (a sheet version as sent, a copy of one, any PDF of Odoo's
        report engine): that shows what was sent, not what came back."""
        Attachment = self.env["ir.attachment"]
        if not attachment_id:
            return Attachment
        if isinstance(attachment_id, bool) or not isinstance(attachment_id, int):
            raise UserError(self.env._("The document attached must be given by id."))
        attachment = Attachment.browse(attachment_id).exists()
        if not attachment:
            raise UserError(self.env._("The document attached does not exist."))
        attachment.check_access("read")
        filed = (attachment.res_model, attachment.res_id, attachment.res_field) == (
            order._name,
            order.id,
            False,
        )
        if pages and not filed and attachment.res_model == "kefu.scan.page":
            page = self.env["kefu.scan.page"].sudo().browse(attachment.res_id)
            filed = (
                attachment.res_field == "image"
                and page.order_id == order
                and page.sheet_version_id == order.kefu_sheet_version_id
            )
        if not filed:
            raise UserError(
                self.env._(
                    "%(file)s is not a document of %(order)s: attach the customer's "
                    "document to the order (or register the returned page matched "
                    "to it).",
                    file=attachment.name,
                    order=order.name,
                )
            )
        sent = attachment.checksum and self.env["kefu.sheet.version"].sudo().search(
            [("attachment_id.checksum", "=", attachment.checksum)], limit=1
        )
        if sent or kefu_scan.printed_by_report(attachment.raw or b""):
            raise UserError(
                self.env._(
                    "%(file)s is a document the company printed (the sheet as sent, "
                    "or another report), not what the customer returned: attach the "
                    "customer's signed scan.",
                    file=attachment.name,
                )
            )
        return attachment

    @api.model
    def _kefu_is_designated_signer(self, customer, signer):
        """Whether ``signer`` (a contact id, a contact, or the name written on
        the sheet) is one of ``customer``'s designated signers; True when the
        customer keeps no list."""
        signers = customer.commercial_partner_id.kefu_signer_ids
        if not signers:
            return True
        if isinstance(signer, models.BaseModel):
            signer = signer.id
        if isinstance(signer, int) and not isinstance(signer, bool):
            return signer in signers.ids
        name = " ".join(str(signer or "").split()).casefold()
        return bool(name) and name in {
            " ".join(s.name.split()).casefold() for s in signers if s.name
        }

    @api.model
    def _kefu_signer_vals(self, order, signer):
        """The signer of an accepted return of ``order``, checked against the
        customer's designated signers and the company's policy: the return's
        signer values."""
        customer = order.partner_id.commercial_partner_id
        if isinstance(signer, int) and not isinstance(signer, bool):
            contact = self.env["res.partner"].browse(signer).exists()
            if not contact:
                raise UserError(self.env._("The signer's contact does not exist."))
            # The signer is one of the customer's people, read for their name.
            name = contact.sudo().name
        else:
            name = " ".join(str(signer or "").split())
        vals = {"signer": name or False}
        if self._kefu_is_designated_signer(customer, signer):
            return vals
        who = name or self.env._("(nobody named)")
        signers = ", ".join(customer.kefu_signer_ids.mapped("name"))
        if order.company_id.kefu_signer_policy == "refuse":
            raise UserError(
                self.env._(
                    "%(signer)s is not a designated signer of %(customer)s: a return "
                    "signed by anyone else is refused. Ask the customer for a sheet "
                    "signed by %(signers)s.",
                    signer=who,
                    customer=customer.name,
                    signers=signers,
                )
            )
        if not (is_transition(order) or self.env.user.has_group(GROUP_SUPERVISOR)):
            raise UserError(
                self.env._(
                    "%(signer)s is not a designated signer of %(customer)s "
                    "(%(signers)s): the customer service supervisor must confirm "
                    "this return by registering it.",
                    signer=who,
                    customer=customer.name,
                    signers=signers,
                )
            )
        vals["signer_confirmed_by"] = self.env.user.id
        return vals
