# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Sending a document to the customer (F9, F12, F16): the confirmation sheet,
the deposit notice and the conformity request go out by mail, through Odoo's
composer (to the customer's contact and fax-to-mail address), or by a fax sent
by hand. Either way it is the same step, named in the chatter with the channel
and the recipients. By mail the step is taken when the mail is sent, the way
``sale`` marks a quotation sent (``mark_so_as_sent``): a discarded mail
records nothing."""

from odoo import Command, api, models
from odoo.exceptions import UserError
from odoo.tools.misc import clean_context

from .kefu_common import kefu_arguments
from .kefu_flow_desk import KEFU_SEND_STEPS


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------------
    @api.returns("mail.message", lambda value: value.id)
    def message_post(self, **kwargs):
        send = self.env.context.get("kefu_send")
        if not send:
            return super().message_post(**kwargs)
        # The mail of a Send dialog goes out: the step is taken first, as the
        # sender and through all its gates, without the composer's defaults.
        self.with_context(
            clean_context(self.env.context), kefu_send=False
        )._kefu_send_by_mail(send, kwargs)
        return super(SaleOrder, self.with_context(kefu_send=False)).message_post(
            **kwargs
        )

    # ------------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------------
    @kefu_arguments(channel="channel")
    def action_kefu_send_deposit(self, channel="fax"):
        """Tell the customer the deposit is due (F12).

        ``fax`` (the default): record the notice as faxed by hand. ``mail``:
        open Odoo's composer with the notice's template; the step is recorded
        when the mail is sent, nothing if it is discarded.
        """
        if channel == "mail":
            self.ensure_one()
            self._kefu_enter("send_deposit")
            self._kefu_check_deposit_due()
            return self._kefu_composer_action(
                "deposit", "kefu_order_flow.mail_template_kefu_deposit"
            )
        invoices = self._kefu_send_deposit("fax")
        if invoices and len(self) == 1:
            # Faxed by hand: the down-payment invoice is the page to fax.
            return self.env.ref("account.account_invoices").report_action(invoices)
        return True

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------
    def _kefu_check_deposit_due(self):
        self.ensure_one()
        if self.kefu_deposit_state != "awaiting":
            raise UserError(
                self.env._("%(order)s is not awaiting a deposit.", order=self.name)
            )

    def _kefu_send_deposit(self, channel, partners=None):
        """The step Send Deposit Notice, through ``channel``; returns the
        down-payment invoices that ask for the deposit in Accounting."""
        self._kefu_enter("send_deposit")
        invoices = self.env["account.move"]
        for order in self:
            order._kefu_check_deposit_due()
            if order.kefu_money_in_accounting:
                # The notice is a down-payment invoice the customer pays.
                invoices |= order._kefu_invoice_due(order._kefu_money_due("deposit"))
            order.message_post(
                body=self.env._(
                    "Deposit notice (%(amount)s) %(sent)s.",
                    amount=order.currency_id.format(order.kefu_deposit_amount),
                    sent=order._kefu_sent_how(channel, partners),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return invoices

    def _kefu_send_by_mail(self, send, post_values):
        """Take the step of the document ``send`` names, by mail to the
        recipients of ``post_values`` (the composer's message)."""
        self.ensure_one()
        document = send.get("document")
        if document not in KEFU_SEND_STEPS:
            raise UserError(self.env._("Unknown document to send."))
        # Who may, before anything else is looked at.
        self._kefu_enter(KEFU_SEND_STEPS[document])
        partners = self.env["res.partner"].browse(post_values.get("partner_ids"))
        if not partners:
            raise UserError(
                self.env._(
                    "The mail has no recipient: add the customer's contact or "
                    "fax-to-mail address."
                )
            )
        attachment = self.env["ir.attachment"].browse(send.get("attachment_id"))
        if document != "deposit" and not attachment:
            raise UserError(
                self.env._(
                    "The document's PDF goes with the mail: send it with its Send "
                    "button."
                )
            )
        if attachment and attachment.id not in (
            post_values.get("attachment_ids") or []
        ):
            raise UserError(
                self.env._(
                    "%(file)s must go with the mail: discard the mail and send the "
                    "document again.",
                    file=attachment.name,
                )
            )
        if document == "sheet":
            self._kefu_send_sheet("mail", partners, attachment, expected=send)
        elif document == "conformity":
            self._kefu_send_conformity("mail", partners)
        else:
            self._kefu_send_deposit("mail", partners)

    def _kefu_sent_how(self, channel, partners=None):
        """How a document went out, for the chatter: to whom by mail, or to
        which fax number by hand."""
        self.ensure_one()
        if channel == "mail":
            return self.env._(
                "sent by mail to %(recipients)s",
                recipients=", ".join(
                    partner.email_formatted or partner.name for partner in partners
                ),
            )
        # The number the sheet prints (read as the report reads it).
        fax = self.sudo()._kefu_print_contacts()["fax"]
        if fax:
            return self.env._("faxed by hand to %(fax)s", fax=fax)
        return self.env._("faxed by hand (no fax number is on file for the customer)")

    def _kefu_mail_addresses(self):
        """Where the documents' mails go: the contact's address and the
        customer's fax-to-mail address (the templates' recipients)."""
        self.ensure_one()
        addresses = [
            self.partner_id.email,
            self.partner_id.commercial_partner_id.kefu_fax_email,
        ]
        return [address for address in addresses if address]

    def _kefu_composer_attachment(self, name, pdf):
        """The document's PDF for the mail. It is linked to the composer, as
        Odoo links the PDFs its templates render: posting the mail moves it to
        the order; a discarded mail leaves it to the composer's clean-up."""
        return self.env["ir.attachment"].create(
            {
                "name": name,
                "raw": pdf,
                "mimetype": "application/pdf",
                "res_model": "mail.compose.message",
                "res_id": 0,
            }
        )

    def _kefu_composer_action(self, document, template_xmlid, attachment=None, **kw):
        """Odoo's mail composer on the order with ``template_xmlid`` and the
        document's PDF; sending the mail takes the step of ``document``
        (``kw``: what the PDF shows, checked when the mail is sent)."""
        self.ensure_one()
        attachment = attachment or self.env["ir.attachment"]
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": self.env.ref(template_xmlid).id,
                "default_composition_mode": "comment",
                "default_attachment_ids": [Command.set(attachment.ids)],
                "default_email_layout_xmlid": "mail.mail_notification_light",
                "force_email": True,
                "kefu_send": {
                    "document": document,
                    "attachment_id": attachment.id,
                    **kw,
                },
            },
        }
