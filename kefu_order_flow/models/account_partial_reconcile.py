# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import datetime

from odoo import api, fields, models


def received_at(day):
    """When money booked on ``day`` arrived, as a datetime in the past."""
    return min(datetime.datetime.combine(day, datetime.time(12)), fields.Datetime.now())


class AccountPartialReconcile(models.Model):
    """Money registered in Accounting against an invoice of a flow order
    becomes the order's receipt; undoing the reconciliation removes it."""

    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        for partial in partials:
            partial._kefu_receive()
        return partials

    def unlink(self):
        Receipt = self.env["kefu.money.receipt"].sudo()
        receipts = Receipt.search([("partial_id", "in", self.ids)])
        for receipt in receipts:
            receipt.order_id.message_post(
                body=self.env._(
                    "%(receipt)s no longer counts: its payment was unreconciled in "
                    "Accounting by %(user)s.",
                    receipt=receipt.display_name,
                    user=self.env.user.name,
                ),
                author_id=self.env.user.partner_id.id,
                subtype_xmlid="mail.mt_note",
            )
        receipts.unlink()
        return super().unlink()

    def _kefu_receive(self):
        """Money in: a payment or a statement line (credit) settling a customer
        invoice (debit) of one order in the flow of a company that keeps its
        money in Accounting."""
        partial = self.sudo()
        invoice = partial.debit_move_id.move_id
        money = partial.credit_move_id.move_id
        if invoice.move_type != "out_invoice" or not (
            money.origin_payment_id or money.statement_line_id
        ):
            return
        order = invoice.line_ids.sale_line_ids.order_id
        if (
            len(order) != 1
            or not order.kefu_stage
            or not order.kefu_money_in_accounting
            or invoice.currency_id != order.currency_id
        ):
            return
        transaction = money.origin_payment_id.payment_transaction_id
        if transaction and transaction in order.kefu_money_receipt_ids.transaction_id:
            return  # paid online: counted when the transaction was done
        kind = "deposit" if order.kefu_deposit_state == "awaiting" else "payment"
        order._kefu_receive_money(
            kind,
            partial.debit_amount_currency,
            received_at(partial.credit_move_id.date),
            partial=partial,
        )
