# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The confirmation sheet (F9, F10): what keeps it from being sent, its dates,
and each version sent, kept with its PDF and the fingerprint of its content."""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..tools import cn_amount
from .kefu_common import KEFU_TRANSITION, kefu_arguments, transition


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------------
    kefu_sheet_date = fields.Date(
        string="Sheet Date",
        kefu_sheet_item=True,
        compute="_compute_kefu_sheet_date",
        store=True,
        readonly=False,
        copy=False,
        tracking=True,
        help="The date printed on the sheet (预交日): when the finished goods are "
        "complete, not the shipping date.",
    )
    kefu_sheet_date_reason = fields.Char(
        string="Loosened Because",
        copy=False,
        readonly=True,
        tracking=True,
        help="Why the sheet date is later than the completion date (payment "
        "method, urgency), recorded with the salesperson's agreement.",
    )
    kefu_sheet_date_agreed_by = fields.Many2one(
        "res.users", string="Agreed By", copy=False, readonly=True, tracking=True
    )
    kefu_sheet_date_agreed_date = fields.Date(
        string="Sheet Date Agreed",
        copy=False,
        readonly=True,
        help="The sheet date the salesperson agreed to; another date needs a new "
        "agreement.",
    )
    kefu_sheet_date_agreement_needed = fields.Boolean(
        string="Loosened Date to Agree",
        compute="_compute_kefu_sheet_date_agreement_needed",
    )
    kefu_formula_choice_needed = fields.Boolean(
        string="Formula Choice to Record",
        compute="_compute_kefu_formula_choice_needed",
    )
    # Whoever reads the order reads the same blockers (a salesperson may not
    # read the statements they come from).
    kefu_sheet_ready = fields.Boolean(
        string="Sheet Ready to Send",
        compute="_compute_kefu_sheet_ready",
        compute_sudo=True,
        help="Nothing keeps the confirmation sheet from going out: prices checked "
        "or confirmed, both written confirmations signed, the dates agreed.",
    )
    kefu_sheet_version_ids = fields.One2many(
        "kefu.sheet.version", "order_id", string="Sheet Versions", readonly=True
    )
    kefu_sheet_version_id = fields.Many2one(
        "kefu.sheet.version",
        string="Sheet Version Sent Last",
        copy=False,
        readonly=True,
        help="The version sent last; its state says whether it still stands.",
    )
    kefu_sheet_version = fields.Integer(
        string="Sheet Version", related="kefu_sheet_version_id.version", store=True
    )
    kefu_sheet_sent_by = fields.Many2one(
        related="kefu_sheet_version_id.sent_by", string="Sheet Sent By", store=True
    )
    kefu_sheet_version_sent_at = fields.Datetime(
        string="Version Sent", related="kefu_sheet_version_id.sent_at"
    )
    kefu_sheet_received_at = fields.Datetime(
        string="Fax Received Clearly",
        related="kefu_sheet_version_id.received_at",
    )
    kefu_sheet_sent_at = fields.Datetime(
        string="Sheet First Sent",
        copy=False,
        readonly=True,
        help="Slippage counts from the local day of the first sending.",
    )

    # ------------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------------
    @api.depends("kefu_completion_date")
    def _compute_kefu_sheet_date(self):
        for order in self:
            if not order.kefu_sheet_date or (
                order.kefu_completion_date
                and order.kefu_sheet_date < order.kefu_completion_date
            ):
                order.kefu_sheet_date = order.kefu_completion_date

    @api.depends(
        "kefu_sheet_date",
        "kefu_completion_date",
        "kefu_sheet_date_agreed_by",
        "kefu_sheet_date_agreed_date",
    )
    def _compute_kefu_sheet_date_agreement_needed(self):
        for order in self:
            order.kefu_sheet_date_agreement_needed = bool(
                order.kefu_sheet_date
                and order.kefu_completion_date
                and order.kefu_sheet_date > order.kefu_completion_date
                and not order._kefu_sheet_date_agreed()
            )

    @api.depends("kefu_tech_confirmation_id.customer_choice")
    def _compute_kefu_formula_choice_needed(self):
        for order in self:
            order.kefu_formula_choice_needed = order._kefu_formula_choice_needed()

    # ------------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------------
    @kefu_arguments(channel="channel")
    def action_kefu_send_sheet(self, channel="fax"):
        """Send the current version of the confirmation sheet (F9).

        ``fax`` (the default, and what RPC without arguments does): record the
        version as faxed by hand and open its PDF to fax. ``mail``: open Odoo's
        composer with the template and the PDF of the version; the same step is
        recorded when the mail is sent (``message_post``), nothing if the mail
        is discarded. The action holds no None, so XML-RPC can return it.
        """
        if channel == "mail":
            return self._kefu_sheet_composer()
        report = self.env.ref("kefu_order_flow.action_report_kefu_confirmation_sheet")
        self._kefu_send_sheet("fax", report=report)
        return self._kefu_report_action(report)

    @kefu_arguments(reason="text")
    def action_kefu_agree_sheet_date(self, reason=False):
        """The salesperson agrees to a sheet date later than the completion date
        (F10), acting himself: the agreement is recorded in the acting user's name.
        The supervisor or the director may agree instead; customer service never
        agrees with itself."""
        self.ensure_one()
        self._kefu_enter("agree_sheet_date")
        self._kefu_check_not_clerk()
        reason = (reason or self.kefu_sheet_date_reason or "").strip()
        if len(reason) < 4:
            raise UserError(
                self.env._(
                    "Say why the sheet date is loosened (payment method, urgency; at "
                    "least 4 characters)."
                )
            )
        if not (
            self.kefu_sheet_date
            and self.kefu_completion_date
            and self.kefu_sheet_date > self.kefu_completion_date
        ):
            raise UserError(
                self.env._(
                    "The sheet date of %(order)s is not later than the completion "
                    "date: there is nothing to agree.",
                    order=self.name,
                )
            )
        transition(self).write(
            {
                "kefu_sheet_date_reason": reason,
                "kefu_sheet_date_agreed_by": self.env.user.id,
                "kefu_sheet_date_agreed_date": self.kefu_sheet_date,
            }
        )
        # The salesperson may only read the order: the agreement is his to note.
        self.sudo().message_post(
            body=self.env._(
                "Sheet date %(date)s (completion %(completion)s) agreed by %(user)s: "
                "%(reason)s",
                date=format_date(self.env, self.kefu_sheet_date),
                completion=format_date(self.env, self.kefu_completion_date),
                user=self.env.user.name,
                reason=reason,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return True

    def action_kefu_mark_sheet_received(self):
        """The customer confirmed the fax arrived and is legible (F9)."""
        self._kefu_enter("mark_sheet_received")
        # A version is the flow's record: only its steps write it.
        transition(self.kefu_sheet_version_id.sudo()).write(
            {"received_at": fields.Datetime.now()}
        )
        return True

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------
    @api.depends_context("uid")
    def _compute_kefu_sheet_ready(self):
        for order in self:
            order.kefu_sheet_ready = not order._get_kefu_review_blockers()

    def _get_kefu_review_blockers(self):
        """What keeps the sheet from being sent: prices and both confirmations."""
        self.ensure_one()
        blockers = [
            self.env._("Missing sheet item: %(item)s", item=item)
            for item in self._get_kefu_missing_items()
        ]
        if self.kefu_price_state not in ("ok", "confirmed"):
            blockers.append(
                self.env._(
                    "Prices are not checked or not confirmed (clerk, supervisor)."
                )
            )
        tech = self.kefu_tech_confirmation_id
        if not tech:
            blockers.append(
                self.env._("No signed technical confirmation (technical department).")
            )
        elif not tech.is_positive:
            blockers.append(
                self.env._(
                    "The technical department cannot produce the order as asked: "
                    "new-product sampling or the customer's written choice of the "
                    "old formula is needed."
                )
            )
        elif tech._kefu_choice_blocker():
            blockers.append(tech._kefu_choice_blocker())
        if not self.kefu_production_confirmation_id:
            blockers.append(
                self.env._("No signed production confirmation (production department).")
            )
        if self.kefu_sheet_date and self.kefu_completion_date:
            if self.kefu_sheet_date < self.kefu_completion_date:
                blockers.append(
                    self.env._("The sheet date cannot precede the completion date.")
                )
            elif (
                self.kefu_sheet_date > self.kefu_completion_date
                and not self._kefu_sheet_date_agreed()
            ):
                blockers.append(
                    self.env._(
                        "The sheet date is later than the completion date: it must be "
                        "agreed by the salesperson (or the supervisor or director), "
                        "with the reason (Agree to the Sheet Date)."
                    )
                )
        return blockers

    def _kefu_sheet_date_agreed(self):
        """Whether the current sheet date is the one agreed, with a reason."""
        self.ensure_one()
        return bool(
            self.kefu_sheet_date_reason
            and self.kefu_sheet_date_agreed_by
            and self.kefu_sheet_date_agreed_date == self.kefu_sheet_date
        )

    def _kefu_slip_start(self, now):
        """When slippage counts from (F13): the first sending, unless this version
        carries a new completion date from production; then from now."""
        self.ensure_one()
        last = self.kefu_sheet_version_id
        if not self.kefu_sheet_sent_at or (
            last and last.completion_date != self.kefu_completion_date
        ):
            return now
        return self.kefu_sheet_sent_at

    def _kefu_check_sheet_sendable(self):
        """Refuse to send a sheet that is waiting for its return, or that
        something keeps from going out (the review's blockers)."""
        self.ensure_one()
        if self.kefu_stage == "sheet_sent" and self.kefu_return_state != "rejected":
            raise UserError(
                self.env._(
                    "Version %(version)s of the sheet of %(order)s is waiting for "
                    "its return; a new version is sent after a rejected return.",
                    version=self.kefu_sheet_version,
                    order=self.name,
                )
            )
        blockers = self._get_kefu_review_blockers()
        if blockers:
            raise UserError(
                self.env._(
                    "The confirmation sheet of %(order)s cannot be sent yet:\n"
                    "%(blockers)s",
                    order=self.name,
                    blockers="\n".join(blockers),
                )
            )

    def _kefu_send_sheet(
        self, channel, partners=None, attachment=None, expected=None, report=None
    ):
        """The step Send Sheet: record the next version as sent through
        ``channel`` (to ``partners`` by mail, the customer's fax number by
        hand), with its PDF: ``attachment`` when the mail carries it, else
        rendered now by ``report``. ``expected`` ({"version", "fingerprint"})
        is what the mail's PDF shows; the sheet must not have changed since."""
        step = self._kefu_enter("send_sheet")
        for order in self:
            order._kefu_check_sheet_sendable()
        now = fields.Datetime.now()
        for order in self:
            transition(order).write(
                {
                    "kefu_sheet_version_id": order._kefu_new_sheet_version(now).id,
                    "kefu_stage": step.target,
                    "kefu_return_state": "pending",
                    "kefu_sheet_sent_at": order._kefu_slip_start(now),
                }
            )
            if expected:
                order._kefu_check_sheet_as_prepared(expected)
        # The sheet as sent is kept with its version; if it cannot be rendered,
        # nothing above is committed either.
        for order in self:
            order._kefu_record_sheet_sent(channel, partners, attachment, report)

    def _kefu_check_sheet_as_prepared(self, expected):
        """The version just recorded is the one the mail's PDF shows."""
        self.ensure_one()
        version = self.kefu_sheet_version_id
        if (version.version, version.fingerprint) != (
            expected.get("version"),
            expected.get("fingerprint"),
        ):
            raise UserError(
                self.env._(
                    "The sheet of %(order)s changed since this mail was prepared "
                    "(version %(version)s, fingerprint %(fingerprint)s): discard "
                    "the mail and send the sheet again.",
                    order=self.name,
                    version=expected.get("version"),
                    fingerprint=expected.get("fingerprint"),
                )
            )

    def _kefu_sheet_composer(self):
        """Odoo's composer with the sheet's template and the PDF of the version
        it sends, rendered before that version is recorded."""
        self.ensure_one()
        self._kefu_enter("send_sheet")
        self._kefu_check_sheet_sendable()
        version = self._kefu_sheet_next()
        report = self.env.ref("kefu_order_flow.action_report_kefu_confirmation_sheet")
        # The clerk may not create report attachments on every record rule
        # path; the marker only the flow's code holds prints the next version.
        pdf, _kind = (
            report.sudo()
            .with_context(kefu_sheet_next=KEFU_TRANSITION)
            ._render_qweb_pdf(report, self.ids)
        )
        return self._kefu_composer_action(
            "sheet",
            "kefu_order_flow.mail_template_kefu_sheet",
            self._kefu_composer_attachment(f"{self.name}-v{version.version}.pdf", pdf),
            version=version.version,
            fingerprint=version.fingerprint,
        )

    def _kefu_sheet_next(self):
        """The version Send Sheet would record now, not saved: the next number
        and the fingerprint of the sheet items as they are."""
        self.ensure_one()
        return self.env["kefu.sheet.version"].new(
            self._prepare_kefu_sheet_version_vals()
        )

    def _kefu_sheet_print_version(self):
        """The version the sheet prints (number, fingerprint, QR code): the
        current one, or, in the PDF a mail sends, the version it will record."""
        self.ensure_one()
        if self.env.context.get("kefu_sheet_next") is KEFU_TRANSITION:
            return self._kefu_sheet_next()
        version = self.kefu_sheet_version_id
        return version if version.state == "current" else version.browse()

    def _prepare_kefu_sheet_version_vals(self):
        self.ensure_one()
        return {
            "order_id": self.id,
            "version": self.kefu_sheet_version + 1,
            "content": self._kefu_sheet_content(),
            "fingerprint": self.kefu_content_fingerprint,
            "content_fingerprint": self.kefu_content_fingerprint,
            "completion_date": self.kefu_completion_date,
        }

    def _kefu_new_sheet_version(self, now):
        """Record the next version of the sheet as the current one."""
        self.ensure_one()
        # Versions are the flow's records: only its own code writes them.
        if self.kefu_sheet_version_id.state == "current":
            transition(self.kefu_sheet_version_id.sudo()).write({"state": "superseded"})
        return transition(self.env["kefu.sheet.version"].sudo()).create(
            {
                **self._prepare_kefu_sheet_version_vals(),
                "sent_at": now,
                "sent_by": self.env.user.id,
            }
        )

    def _kefu_record_sheet_sent(self, channel, partners, attachment, report):
        """Say in the chatter which version went out, how and to whom, and keep
        its PDF with the version: the mail's, or for a fax the one ``report``
        renders now (attached to the note)."""
        self.ensure_one()
        version = self.kefu_sheet_version_id
        sent = self._kefu_sent_how(channel, partners)
        pdfs = []
        if not attachment:
            # The clerk may not create report attachments on every record rule
            # path.
            pdf, _kind = report.sudo()._render_qweb_pdf(report, self.ids)
            pdfs = [(f"{self.name}-v{version.version}.pdf", pdf)]
        message = self.message_post(
            body=self.env._(
                "Confirmation sheet version %(version)s %(sent)s (fingerprint "
                "%(fingerprint)s).",
                version=version.version,
                sent=sent,
                fingerprint=version.fingerprint,
            ),
            attachments=pdfs,
            subtype_xmlid="mail.mt_note",
        )
        transition(version.sudo()).write(
            {"attachment_id": (attachment or message.attachment_ids[:1]).id}
        )
        # The reply promised to the customer (F4) is the sheet: kept.
        self._kefu_hand_off_done("kefu_order_flow.mail_activity_kefu_reply")

    def _kefu_report_action(self, report):
        """``report``'s action on the orders, without the None values that
        Odoo's XML-RPC cannot send."""
        action = report.report_action(self)
        # Opened from a dialog (Send), the dialog closes once the PDF is out.
        action["close_on_report_download"] = True
        action["context"] = {
            key: value
            for key, value in (action.get("context") or {}).items()
            if value is not None
        }
        return {key: value for key, value in action.items() if value is not None}

    def _kefu_amount_in_words(self):
        """The total in words: 人民币大写 for CNY, Odoo's own words otherwise."""
        self.ensure_one()
        if self.currency_id.name == "CNY":
            return cn_amount.amount_to_cn_upper(self.amount_total)
        return self.currency_id.amount_to_text(self.amount_total)
