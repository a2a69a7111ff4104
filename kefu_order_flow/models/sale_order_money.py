# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Money the customer pays: the deposit before release (F12) and the payment
before shipping (F18).

Where the company keeps its money in Accounting (``kefu_money_in_accounting``),
the flow asks for money with down-payment invoices (Odoo's
``sale.advance.payment.inv``) and counts what Accounting registered against
them: a receipt is derived from each reconciliation of a payment or a bank
statement line with an invoice of the order (``account.partial.reconcile``).
Otherwise finance confirms the amounts on the order. Either way the gates read
the receipts, so the amount is typed once."""

import datetime

from odoo import Command, fields, models
from odoo.exceptions import UserError

from .kefu_common import kefu_arguments


class SaleOrder(models.Model):
    _inherit = "sale.order"

    kefu_money_in_accounting = fields.Boolean(
        related="company_id.kefu_money_in_accounting"
    )

    # ------------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------------
    def _get_invoiced(self):
        # A department that may not read invoices (technical, production,
        # shipping) opens an invoiced order: it sees no invoice, rather than an
        # access error on the whole order.
        if self.env["account.move.line"].has_access("read"):
            return super()._get_invoiced()
        self.invoice_ids = False
        self.invoice_count = 0
        return None

    # ------------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------------
    @kefu_arguments(amount="amount", received_at="past_datetime")
    def action_kefu_confirm_deposit(self, amount=None, received_at=None):
        """Finance records the deposit that arrived (F12); it never releases by
        itself. ``amount`` defaults to the deposit still due."""
        self._kefu_enter("action_kefu_confirm_deposit")
        for order in self:
            if order.kefu_deposit_state != "awaiting":
                raise UserError(
                    self.env._("%(order)s is not awaiting a deposit.", order=order.name)
                )
            due = order.kefu_deposit_amount - order.kefu_deposit_received_amount
            if (
                amount is not None
                and order.currency_id.compare_amounts(amount, due) < 0
            ):
                raise UserError(
                    self.env._(
                        "The amount received (%(received)s) is less than the deposit "
                        "due (%(due)s).",
                        received=order.currency_id.format(amount),
                        due=order.currency_id.format(due),
                    )
                )
        return self._kefu_money_arrived("deposit", amount, received_at)

    @kefu_arguments(amount="amount", received_at="past_datetime")
    def action_kefu_confirm_payment(self, amount=None, received_at=None):
        """Finance records money that arrived before shipping (F18);
        ``amount`` defaults to what is still due."""
        self._kefu_enter("action_kefu_confirm_payment")
        for order in self:
            if order.kefu_ship_state != "awaiting_payment":
                raise UserError(
                    self.env._(
                        "%(order)s is not waiting for a payment before shipping.",
                        order=order.name,
                    )
                )
            received = order.kefu_amount_due if amount is None else amount
            if order.currency_id.compare_amounts(received, 0) <= 0:
                raise UserError(
                    self.env._("The payment received must be greater than zero.")
                )
        return self._kefu_money_arrived("payment", amount, received_at)

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------
    def _kefu_money_due(self, kind):
        """What the customer still owes before the step ``kind`` waits for."""
        self.ensure_one()
        if kind == "deposit":
            return self.kefu_deposit_amount - self.kefu_deposit_received_amount
        return self.kefu_amount_due

    def _kefu_money_arrived(self, kind, amount, received_at):
        """``amount`` (by default what is due) arrived for each order: in the
        company's Accounting, a payment registered against the order's invoices
        (from the order's button, Odoo's Register Payment dialog, prefilled);
        otherwise a receipt finance confirms."""
        if self.env.context.get("kefu_payment_dialog") and len(self) == 1:
            if self.kefu_money_in_accounting:
                invoices = self._kefu_invoice_due(self._kefu_money_due(kind))
                action = invoices.action_register_payment()
                # Back on the order once the payment is registered.
                action["context"] = dict(
                    action["context"], dont_redirect_to_payments=True
                )
                return action
        for order in self:
            due = order._kefu_money_due(kind)
            received = due if amount is None else amount
            if not order.kefu_money_in_accounting:
                order._kefu_receive_money(kind, received, received_at)
                continue
            invoices = order._kefu_invoice_due(due)
            day = fields.Date.context_today(order, received_at)
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoices.ids
            ).create(
                {"amount": received, "payment_date": day, "group_payment": True}
            ).action_create_payments()
        return True

    def _kefu_invoice_due(self, due):
        """The order's open invoices, with a posted down-payment invoice (Odoo's
        ``sale.advance.payment.inv``) for the part of ``due`` they do not cover."""
        self.ensure_one()
        invoices = self.sudo().invoice_ids.filtered(
            lambda move: (
                move.move_type == "out_invoice"
                and move.state == "posted"
                and not move.currency_id.is_zero(move.amount_residual)
            )
        )
        uninvoiced = due - sum(invoices.mapped("amount_residual"))
        if self.currency_id.compare_amounts(uninvoiced, 0) > 0:
            # The flow invoices what it asks for, whoever takes the step.
            wizard = (
                self.env["sale.advance.payment.inv"]
                .sudo()
                .create(
                    {
                        "advance_payment_method": "fixed",
                        "fixed_amount": uninvoiced,
                        "sale_order_ids": [Command.set(self.ids)],
                    }
                )
            )
            invoice = wizard._create_invoices(self.sudo())
            invoice.action_post()
            invoices |= invoice
        return invoices.with_env(self.env)

    def _kefu_receive_money(
        self, kind, amount, received_at=None, transaction=None, partial=None
    ):
        """Record money that arrived (a deposit or a payment) and say so:
        confirmed by finance, paid online (``transaction``) or registered in
        Accounting (``partial``, the reconciliation it is derived from)."""
        self.ensure_one()
        invoice = partial.debit_move_id.move_id if partial else None
        # Receipts are the flow's register: only the flow writes them.
        receipt = (
            self.env["kefu.money.receipt"]
            .sudo()
            .create(
                {
                    "order_id": self.id,
                    "kind": kind,
                    "amount": amount,
                    "received_at": received_at or fields.Datetime.now(),
                    "transaction_id": transaction.id if transaction else False,
                    "partial_id": partial.id if partial else False,
                    "invoice_id": invoice.id if invoice else False,
                }
            )
        )
        self.sudo().message_post(
            body=self.env._(
                "%(receipt)s received, confirmed by %(user)s.",
                receipt=receipt.display_name,
                user=self.env.user.name,
            ),
            author_id=self.env.user.partner_id.id,
            subtype_xmlid="mail.mt_note",
        )
        return receipt

    @staticmethod
    def _kefu_received_at(day):
        """When money booked on ``day`` arrived, as a datetime in the past."""
        return min(
            datetime.datetime.combine(day, datetime.time(12)), fields.Datetime.now()
        )
