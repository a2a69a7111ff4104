# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The conformity opinion (F16): customer service asks the customer in writing
whether the goods conform, once production stated what it completed; the
stamped opinion comes back accepted or not."""

from odoo import fields, models
from odoo.exceptions import UserError

from .kefu_common import kefu_arguments, transition


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------------
    @kefu_arguments(channel="channel")
    def action_kefu_send_conformity(self, channel="fax"):
        """Send the written conformity request once the goods conform (F16).

        ``fax`` (the default): record it as faxed by hand and open its PDF.
        ``mail``: open Odoo's composer with the template and the PDF; the step
        is recorded when the mail is sent, nothing if it is discarded.
        """
        report = self.env.ref("kefu_order_flow.action_report_kefu_conformity")
        if channel == "mail":
            self.ensure_one()
            self._kefu_enter("send_conformity")
            self._kefu_check_conformity_sendable()
            # The clerk may not create report attachments on every record rule
            # path.
            pdf, _kind = report.sudo()._render_qweb_pdf(report, self.ids)
            return self._kefu_composer_action(
                "conformity",
                "kefu_order_flow.mail_template_kefu_conformity",
                self._kefu_composer_attachment(f"{self.name}-conformity.pdf", pdf),
            )
        self._kefu_send_conformity("fax")
        return self._kefu_report_action(report)

    @kefu_arguments(
        accepted="flag", note="text", reject_reason="text", attachment_id="record_id"
    )
    def action_kefu_register_conformity(
        self, accepted, note=False, reject_reason=False, attachment_id=False
    ):
        """Record the customer's stamped conformity opinion (成品符合意见, F16)."""
        self.ensure_one()
        self._kefu_enter("register_conformity")
        if self.kefu_conformity_state != "sent":
            raise UserError(
                self.env._(
                    "No conformity request of %(order)s is waiting for its return.",
                    order=self.name,
                )
            )
        self.env["kefu.sheet.return"]._kefu_register(
            self, "conformity", accepted, note, reject_reason, attachment_id
        )
        transition(self).write(
            {"kefu_conformity_state": "accepted" if accepted else "rejected"}
        )
        self._kefu_step_done("register_conformity")
        return True

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------
    def _kefu_check_conformity_sendable(self):
        """Refuse a conformity request that is already out or accepted, before
        the completion statement is signed, or for a quantity out of tolerance
        that nobody accepted."""
        self.ensure_one()
        if self.kefu_conformity_state not in ("none", "rejected"):
            raise UserError(
                self.env._(
                    "The conformity request of %(order)s is waiting for its "
                    "return or was accepted.",
                    order=self.name,
                )
            )
        if not self.kefu_completion_statement_id:
            raise UserError(
                self.env._(
                    "%(order)s has no signed completion statement from production.",
                    order=self.name,
                )
            )
        if self.kefu_quantity_out_of_tolerance and not self.kefu_quantity_accepted_at:
            raise UserError(
                self.env._(
                    "The quantity produced for %(order)s is outside the "
                    "tolerance: the supervisor accepts it with a reason, or "
                    "production completes the quantity, before the customer is "
                    "asked for the conformity opinion.",
                    order=self.name,
                )
            )

    def _kefu_send_conformity(self, channel, partners=None):
        """The step Send Conformity Request, through ``channel``."""
        self._kefu_enter("send_conformity")
        for order in self:
            order._kefu_check_conformity_sendable()
        transition(self).write(
            {
                "kefu_conformity_state": "sent",
                "kefu_conformity_sent_at": fields.Datetime.now(),
            }
        )
        for order in self:
            order.message_post(
                body=self.env._(
                    "Conformity request %(sent)s.",
                    sent=order._kefu_sent_how(channel, partners),
                ),
                subtype_xmlid="mail.mt_note",
            )
        self._kefu_step_done("send_conformity")

    def _kefu_conformity_blocked(self):
        """Whether deliveries wait for the customer's conformity opinion (F16)."""
        self.ensure_one()
        return (
            self.kefu_grade_id.ship_requires_conformity
            and self.kefu_conformity_state != "accepted"
        )
