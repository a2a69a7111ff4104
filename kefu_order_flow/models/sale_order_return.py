# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The signed return (F11): what came back from the customer, its proof, and
the back-fill of grade A's early release (F12)."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import kefu_scan
from .kefu_common import (
    ACT,
    GROUP_PRODUCTION,
    GROUP_SUPERVISOR,
    KEFU_REJECT_REASONS,
    in_company_lang,
    is_transition,
    kefu_arguments,
    transition,
)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------------
    kefu_return_state = fields.Selection(
        [
            ("none", "Not Sent"),
            ("pending", "Awaiting Return"),
            ("rejected", "Rejected"),
            ("accepted", "Accepted"),
        ],
        string="Signed Return",
        default="none",
        required=True,
        copy=False,
        readonly=True,
        tracking=True,
    )
    kefu_return_ids = fields.One2many(
        "kefu.sheet.return", "order_id", string="Returns", readonly=True
    )
    kefu_backfill_pending = fields.Boolean(
        string="Back-fill Pending", copy=False, readonly=True, tracking=True
    )
    kefu_backfill_deadline = fields.Date(
        string="Back-fill Deadline", copy=False, readonly=True
    )
    kefu_backfill_alerted = fields.Boolean(
        string="Overdue Back-fill Reported", copy=False, readonly=True
    )

    # ------------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------------
    @kefu_arguments(
        accepted="flag",
        note="text",
        reject_reason="text",
        sheet_version="number",
        attachment_id="record_id",
        signer="name_or_id",
    )
    def action_kefu_register_return(
        self,
        accepted,
        note=False,
        reject_reason=False,
        sheet_version=False,
        attachment_id=False,
        signer=False,
    ):
        """Record the signed sheet that came back from the customer (F11).

        An accepted return of the current version, with its scan
        (``attachment_id``) and the customer's person who signed or stamped it
        (``signer``), moves the order to ``returned`` (or clears the back-fill
        of an early release); a rejected one, with its reason, keeps it waiting
        for a corrected sheet.
        """
        self.ensure_one()
        step = self._kefu_enter("register_return")
        backfill = self.kefu_stage == "released"
        if backfill and not self.kefu_backfill_pending:
            self._kefu_refuse_stage(("sheet_sent",))
        if not backfill and self.kefu_return_state != "pending":
            raise UserError(
                self.env._(
                    "No sheet of %(order)s is waiting for its return: send a new "
                    "version first.",
                    order=self.name,
                )
            )
        current = self.kefu_sheet_version_id
        if current.state != "current":
            raise UserError(
                self.env._(
                    "Version %(version)s of the sheet of %(order)s no longer stands "
                    "(%(state)s): send a new version first.",
                    version=current.version,
                    order=self.name,
                    state=dict(
                        current._fields["state"]._description_selection(self.env)
                    ).get(current.state, "-"),
                )
            )
        version = sheet_version or self.kefu_sheet_version
        if version != self.kefu_sheet_version:
            raise UserError(
                self.env._(
                    "This return answers sheet version %(version)s, but version "
                    "%(last)s was sent last: only a return of the last version counts.",
                    version=version,
                    last=self.kefu_sheet_version,
                )
            )
        extra = self._kefu_check_return_signer(signer) if accepted else {}
        self._kefu_create_return(
            "sheet",
            accepted,
            note,
            reject_reason,
            attachment_id,
            sheet_version_id=current.id,
            signer=extra.pop("signer", signer),
            **extra,
        )
        if not accepted:
            transition(self).write({"kefu_return_state": "rejected"})
            if backfill:
                self._kefu_alert_backfill(
                    self.env._("the back-filled sheet was rejected")
                )
            return True
        vals = {"kefu_return_state": "accepted"}
        if backfill:
            vals.update(kefu_backfill_pending=False, kefu_backfill_deadline=False)
        else:
            vals["kefu_stage"] = step.target
        transition(self).write(vals)
        # What the customer did online stays for the clerk to check, even when
        # the portal registered the return itself.
        self._kefu_hand_off_done(ACT + "backfill")
        self._kefu_step_done("register_return")
        return True

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------
    def _kefu_create_return(
        self,
        kind,
        accepted,
        note,
        reject_reason,
        attachment_id,
        sheet_version_id=False,
        signer=False,
        **extra,
    ):
        """Keep what came back from the customer, accepted or not, in history.
        An accepted document needs its proof: the scan and, for the sheet, who
        signed or stamped it at the customer."""
        self.ensure_one()
        if not accepted and not (reject_reason or (note or "").strip()):
            raise UserError(self.env._("Say why the returned document is rejected."))
        signer = (signer or "").strip()
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
        attachment = self._kefu_get_proof(attachment_id, pages=kind == "sheet")
        reasons = dict(KEFU_REJECT_REASONS)
        if reject_reason and reject_reason not in reasons:
            raise UserError(self.env._("Unknown reason for rejecting a return."))
        # Returns are the flow's register: nobody writes one but its steps.
        ret = (
            self.env["kefu.sheet.return"]
            .sudo()
            .create(
                {
                    "order_id": self.id,
                    "kind": kind,
                    "sheet_version_id": sheet_version_id,
                    "accepted": bool(accepted),
                    "reject_reason": False if accepted else (reject_reason or "other"),
                    "note": note or False,
                    "attachment_id": attachment.id,
                    "signer": signer or False,
                    **extra,
                }
            )
        )
        self.message_post(body=ret._get_summary(), subtype_xmlid="mail.mt_note")
        return ret

    def _kefu_get_proof(self, attachment_id, pages=False):
        """The customer's document ``attachment_id`` as proof for this order: a
        file filed on this order or, with ``pages``, a returned page matched to
        this order and its current sheet version. Never a PDF the company
        printed (a sheet version as sent, a copy of one, any PDF of Odoo's
        report engine): that shows what was sent, not what came back."""
        self.ensure_one()
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
            self._name,
            self.id,
            False,
        )
        if pages and not filed and attachment.res_model == "kefu.scan.page":
            page = self.env["kefu.scan.page"].sudo().browse(attachment.res_id)
            filed = (
                attachment.res_field == "image"
                and page.order_id == self
                and page.sheet_version_id == self.kefu_sheet_version_id
            )
        if not filed:
            raise UserError(
                self.env._(
                    "%(file)s is not a document of %(order)s: attach the customer's "
                    "document to the order (or register the returned page matched "
                    "to it).",
                    file=attachment.name,
                    order=self.name,
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

    def _kefu_alert_backfill(self, why):
        """A back-fill that failed (rejected, or past its deadline) goes to the
        customer-service supervisors and the production supervisor."""
        self.ensure_one()
        summary = self.env._(
            "Back-fill of %(order)s: %(why)s", order=self.name, why=why
        )
        for user in self._kefu_department_users(GROUP_SUPERVISOR):
            self.activity_schedule(
                "kefu_order_flow.mail_activity_kefu_backfill",
                summary=summary,
                user_id=user.id,
            )
        self._kefu_tell(summary, self._kefu_department_users(GROUP_PRODUCTION))

    @api.model
    def _cron_kefu_backfill_overdue(self, batch=200):
        """Early releases whose signed sheet is past its back-fill deadline: tell
        the supervisors once (a second run finds the alert already there),
        ``batch`` orders a run; the cron runs again at once while some wait."""
        domain = [
            ("kefu_backfill_pending", "=", True),
            ("kefu_backfill_deadline", "<", self._kefu_local_today()),
            ("kefu_backfill_alerted", "=", False),
        ]
        orders = self.search(domain, limit=batch)
        for order in orders:
            order = in_company_lang(order, order.company_id)
            order._kefu_alert_backfill(order.env._("past its deadline"))
        transition(orders).write({"kefu_backfill_alerted": True})
        self.env["ir.cron"]._notify_progress(
            done=len(orders), remaining=self.search_count(domain)
        )
        return len(orders)

    def _kefu_check_return_signer(self, signer):
        """The signer of an accepted return, checked against the customer's
        designated signers; returns the return's signer values."""
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        if isinstance(signer, int) and not isinstance(signer, bool):
            contact = self.env["res.partner"].browse(signer).exists()
            if not contact:
                raise UserError(self.env._("The signer's contact does not exist."))
            # The signer is one of the customer's people, read for their name.
            name = contact.sudo().name
        else:
            name = " ".join(str(signer or "").split())
        vals = {"signer": name or False}
        if customer._kefu_is_designated_signer(signer):
            return vals
        who = name or self.env._("(nobody named)")
        if self.company_id.kefu_signer_policy == "refuse":
            raise UserError(
                self.env._(
                    "%(signer)s is not a designated signer of %(customer)s: a return "
                    "signed by anyone else is refused. Ask the customer for a sheet "
                    "signed by %(signers)s.",
                    signer=who,
                    customer=customer.name,
                    signers=", ".join(customer.kefu_signer_ids.mapped("name")),
                )
            )
        if not (is_transition(self) or self.env.user.has_group(GROUP_SUPERVISOR)):
            raise UserError(
                self.env._(
                    "%(signer)s is not a designated signer of %(customer)s "
                    "(%(signers)s): the customer service supervisor must confirm "
                    "this return by registering it.",
                    signer=who,
                    customer=customer.name,
                    signers=", ".join(customer.kefu_signer_ids.mapped("name")),
                )
            )
        vals["signer_confirmed_by"] = self.env.user.id
        return vals
