# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The confirmation sheet (F9, F10): what keeps it from being sent, its dates,
and each version sent, kept with its PDF and the fingerprint of its content."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import cn_amount, kefu_fingerprint
from .kefu_common import transition


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------------
    kefu_sheet_date = fields.Date(
        string="Sheet Date",
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
        tracking=True,
        help="Why the sheet date is later than the completion date (payment "
        "method, urgency), as agreed with the salesperson.",
    )
    kefu_sheet_date_agreed_by = fields.Many2one(
        "res.users", string="Agreed By", copy=False, tracking=True
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

    # ------------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------------
    def action_kefu_send_sheet(self):
        """Print the confirmation sheet and record the version faxed (F9).

        The PDF opens; the action holds no None, so XML-RPC can return it.
        """
        step = self._kefu_enter("action_kefu_send_sheet")
        for order in self:
            if (
                order.kefu_stage == "sheet_sent"
                and order.kefu_return_state != "rejected"
            ):
                raise UserError(
                    self.env._(
                        "Version %(version)s of the sheet of %(order)s is waiting for "
                        "its return; a new version is sent after a rejected return.",
                        version=order.kefu_sheet_version,
                        order=order.name,
                    )
                )
            blockers = order._get_kefu_review_blockers()
            if blockers:
                raise UserError(
                    self.env._(
                        "The confirmation sheet of %(order)s cannot be sent yet:\n"
                        "%(blockers)s",
                        order=order.name,
                        blockers="\n".join(blockers),
                    )
                )
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
        # The sheet as sent is kept with its version; if it cannot be rendered,
        # nothing above is committed either.
        report = self.env.ref("kefu_order_flow.action_report_kefu_confirmation_sheet")
        for order in self:
            order._kefu_keep_sheet_pdf(report)
        return self._kefu_report_action(report)

    def action_kefu_mark_sheet_received(self):
        """The customer confirmed the fax arrived and is legible (F9)."""
        self._kefu_enter("action_kefu_mark_sheet_received")
        # A version is the flow's record: only its steps write it.
        transition(self.kefu_sheet_version_id.sudo()).write(
            {"received_at": fields.Datetime.now()}
        )
        return True

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------
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
        tech = self.kefu_tech_confirmation_ids._kefu_latest_signed()
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
        if not self.kefu_production_confirmation_ids._kefu_latest_signed():
            blockers.append(
                self.env._("No signed production confirmation (production department).")
            )
        if self.kefu_sheet_date and self.kefu_completion_date:
            if self.kefu_sheet_date < self.kefu_completion_date:
                blockers.append(
                    self.env._("The sheet date cannot precede the completion date.")
                )
            elif self.kefu_sheet_date > self.kefu_completion_date and not (
                self.kefu_sheet_date_reason and self.kefu_sheet_date_agreed_by
            ):
                blockers.append(
                    self.env._(
                        "The sheet date is later than the completion date: record "
                        "the reason and the salesperson who agreed."
                    )
                )
        return blockers

    def _kefu_sheet_items(self):
        """What the customer signs: the content the sheet's fingerprint covers."""
        self.ensure_one()
        return {
            "customer": self.partner_id.commercial_partner_id.id,
            "contact": self.partner_id.id,
            "delivery": self.partner_shipping_id.id,
            "payment_term": self.payment_term_id.id,
            "pricelist": self.pricelist_id.id,
            "currency": self.currency_id.name,
            "requested": self.kefu_requested_date,
            "special": self.kefu_special_notes or "",
            "sheet_date": self.kefu_sheet_date,
            "lines": [
                [
                    line.product_id.id,
                    line.name,
                    round(line.product_uom_qty, 6),
                    line.product_uom.id,
                    round(line.price_unit, 6),
                    round(line.discount, 6),
                    sorted(line.tax_id.ids),
                    line.kefu_spec or "",
                    line.kefu_packaging or "",
                    round(line.kefu_tolerance_pct, 6),
                ]
                for line in self._kefu_product_lines().sorted(lambda li: li.id)
            ],
        }

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

    def _kefu_new_sheet_version(self, now):
        """Record the next version of the sheet as the current one."""
        self.ensure_one()
        # Versions are the flow's records: only its own code writes them.
        if self.kefu_sheet_version_id.state == "current":
            transition(self.kefu_sheet_version_id.sudo()).write({"state": "superseded"})
        return transition(self.env["kefu.sheet.version"].sudo()).create(
            {
                "order_id": self.id,
                "version": self.kefu_sheet_version + 1,
                "sent_at": now,
                "sent_by": self.env.user.id,
                "fingerprint": kefu_fingerprint.fingerprint(self._kefu_sheet_items()),
                "completion_date": self.kefu_completion_date,
            }
        )

    def _kefu_keep_sheet_pdf(self, report):
        """Render the current version, attach it to the version and the chatter."""
        self.ensure_one()
        version = self.kefu_sheet_version_id
        # The clerk may not create report attachments on every record rule path.
        pdf, _kind = report.sudo()._render_qweb_pdf(report, self.ids)
        message = self.message_post(
            body=self.env._(
                "Confirmation sheet version %(version)s sent to the customer "
                "(fingerprint %(fingerprint)s).",
                version=version.version,
                fingerprint=version.fingerprint,
            ),
            attachments=[(f"{self.name}-v{version.version}.pdf", pdf)],
            subtype_xmlid="mail.mt_note",
        )
        transition(version.sudo()).write(
            {"attachment_id": message.attachment_ids[:1].id}
        )

    def _kefu_report_action(self, report):
        """``report``'s action on the orders, without the None values that
        Odoo's XML-RPC cannot send."""
        action = report.report_action(self)
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
