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

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from .kefu_common import (
    ACT,
    KEFU_SHEET_TOTAL_DEPENDS,
    kefu_arguments,
    transition,
)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------------
    kefu_money_receipt_ids = fields.One2many(
        "kefu.money.receipt", "order_id", string="Money Received", readonly=True
    )
    kefu_deposit_percent = fields.Float(
        string="Deposit (%)",
        digits=(5, 2),
        compute="_compute_kefu_deposit_percent",
        store=True,
        kefu_sheet_item=True,
        help="The customer's deposit percent, fixed when the sheet is sent: a "
        "later change of the customer or the grade does not reach it.",
    )
    kefu_deposit_required = fields.Boolean(
        string="Deposit Required", compute="_compute_kefu_deposit", store=True
    )
    kefu_deposit_amount = fields.Monetary(
        string="Deposit Amount", compute="_compute_kefu_deposit", store=True
    )
    kefu_deposit_received_amount = fields.Monetary(
        string="Deposit Received", compute="_compute_kefu_deposit", store=True
    )
    kefu_deposit_received_at = fields.Datetime(
        string="Deposit Received On", compute="_compute_kefu_deposit", store=True
    )
    kefu_deposit_received_by = fields.Many2one(
        "res.users",
        string="Deposit Confirmed By",
        compute="_compute_kefu_deposit",
        store=True,
    )
    kefu_deposit_state = fields.Selection(
        [
            ("not_required", "Not Required"),
            ("awaiting", "Awaiting Deposit"),
            ("received", "Received"),
        ],
        string="Deposit",
        compute="_compute_kefu_deposit",
        store=True,
        tracking=True,
    )
    kefu_payment_exception_reason = fields.Text(
        string="Payment Exception",
        copy=False,
        readonly=True,
        tracking=True,
        help="Finance's written reason to ship before the whole amount arrived.",
    )
    kefu_payment_exception_by = fields.Many2one(
        "res.users", string="Exception Granted By", copy=False, readonly=True
    )
    kefu_payment_exception_at = fields.Datetime(
        string="Exception Granted At", copy=False, readonly=True
    )
    kefu_payment_exception_amount = fields.Monetary(
        string="Amount Excepted",
        copy=False,
        readonly=True,
        help="What was still due when finance granted the exception; a larger "
        "amount due needs a new exception.",
    )
    kefu_payment_received_amount = fields.Monetary(
        string="Payment Received", compute="_compute_kefu_payment", store=True
    )
    kefu_payment_received_at = fields.Datetime(
        string="Payment Received On", compute="_compute_kefu_payment", store=True
    )
    kefu_payment_received_by = fields.Many2one(
        "res.users",
        string="Payment Confirmed By",
        compute="_compute_kefu_payment",
        store=True,
    )
    kefu_amount_due = fields.Monetary(
        string="Still Due",
        compute="_compute_kefu_amount_due",
        help="The total of the sheet's lines less the deposit and payments received.",
    )
    kefu_awaited_kind = fields.Selection(
        [("deposit", "Deposit"), ("payment", "Payment for Goods")],
        string="Awaited",
        compute="_compute_kefu_awaited",
        help="What finance waits for: the deposit before the release, or the "
        "payment before shipping.",
    )
    kefu_awaited_amount = fields.Monetary(
        string="Amount Awaited", compute="_compute_kefu_awaited"
    )
    kefu_money_in_accounting = fields.Boolean(
        related="company_id.kefu_money_in_accounting"
    )

    # ------------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------------
    @api.depends(
        "partner_id.commercial_partner_id.kefu_deposit_percent", "kefu_sheet_sent_at"
    )
    def _compute_kefu_deposit_percent(self):
        # Terms are fixed when the sheet goes out: the first sending keeps
        # kefu_sheet_sent_at until the order starts over.
        for order in self:
            if not order.kefu_sheet_sent_at:
                order.kefu_deposit_percent = (
                    order.partner_id.commercial_partner_id.kefu_deposit_percent
                )

    @api.depends(
        "kefu_deposit_percent", "kefu_money_receipt_ids", *KEFU_SHEET_TOTAL_DEPENDS
    )
    def _compute_kefu_deposit(self):
        for order in self:
            # An order outside the flow's scope owes the flow no deposit (the
            # scope recomputes this when an order enters or leaves the flow: a
            # step from stage to stage changes nothing here).
            percent = order.kefu_deposit_percent if order.kefu_stage else 0.0
            deposits = order.kefu_money_receipt_ids.filtered(
                lambda r: r.kind == "deposit"
            ).sorted("received_at")
            order.kefu_deposit_required = percent > 0
            # A percent of what the customer signs to pay: a discount or down
            # payment line does not lower it.
            order.kefu_deposit_amount = order.currency_id.round(
                order._get_kefu_sheet_total() * percent / 100
            )
            order.kefu_deposit_received_amount = sum(deposits.mapped("amount"))
            order.kefu_deposit_received_at = deposits[-1:].received_at
            order.kefu_deposit_received_by = deposits[-1:].recorded_by
            # Received means the deposit due now is covered: an order that grew
            # after the deposit came in waits for the difference.
            if deposits and (
                order.currency_id.compare_amounts(
                    order.kefu_deposit_received_amount, order.kefu_deposit_amount
                )
                >= 0
            ):
                order.kefu_deposit_state = "received"
            elif percent > 0:
                order.kefu_deposit_state = "awaiting"
            else:
                order.kefu_deposit_state = "not_required"

    @api.depends("kefu_money_receipt_ids", "amount_total")
    def _compute_kefu_payment(self):
        for order in self:
            payments = order.kefu_money_receipt_ids.filtered(
                lambda r: r.kind == "payment"
            ).sorted("received_at")
            order.kefu_payment_received_amount = sum(payments.mapped("amount"))
            order.kefu_payment_received_at = payments[-1:].received_at
            order.kefu_payment_received_by = payments[-1:].recorded_by

    @api.depends("kefu_money_receipt_ids", *KEFU_SHEET_TOTAL_DEPENDS)
    def _compute_kefu_amount_due(self):
        for order in self:
            received = sum(order.kefu_money_receipt_ids.mapped("amount"))
            order.kefu_amount_due = max(order._get_kefu_sheet_total() - received, 0.0)

    @api.depends(
        "kefu_ship_state",
        "kefu_amount_due",
        "kefu_deposit_state",
        "kefu_deposit_amount",
        "kefu_deposit_received_amount",
    )
    def _compute_kefu_awaited(self):
        for order in self:
            if order.kefu_ship_state == "awaiting_payment":
                order.kefu_awaited_kind = "payment"
            elif order.kefu_deposit_state == "awaiting":
                order.kefu_awaited_kind = "deposit"
            else:
                order.kefu_awaited_kind = False
            order.kefu_awaited_amount = (
                order._kefu_money_due(order.kefu_awaited_kind)
                if order.kefu_awaited_kind
                else 0.0
            )

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
    @kefu_arguments(amount="amount", received_at="past_datetime", reference="text")
    def action_kefu_confirm_deposit(
        self, amount=None, received_at=None, reference=None
    ):
        """Finance records the deposit that arrived (F12); it never releases by
        itself. ``amount`` defaults to the deposit still due."""
        self._kefu_enter("confirm_deposit")
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
        return self._kefu_money_arrived("deposit", amount, received_at, reference)

    @kefu_arguments(amount="amount", received_at="past_datetime", reference="text")
    def action_kefu_confirm_payment(
        self, amount=None, received_at=None, reference=None
    ):
        """Finance records money that arrived before shipping (F18);
        ``amount`` defaults to what is still due."""
        self._kefu_enter("confirm_payment")
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
        return self._kefu_money_arrived("payment", amount, received_at, reference)

    def action_kefu_grant_payment_exception(self, reason):
        """Finance's written exception (F18): shipping may be approved although
        the amount due has not all arrived, for a reason kept on the order."""
        self.ensure_one()
        self._kefu_enter("grant_payment_exception")
        reason = (reason or "").strip()
        if len(reason) < 4:
            raise UserError(
                self.env._(
                    "A payment exception needs a written reason (at least 4 "
                    "characters)."
                )
            )
        if self.kefu_ship_state != "awaiting_payment":
            raise UserError(
                self.env._(
                    "%(order)s is not waiting for a payment before shipping.",
                    order=self.name,
                )
            )
        if not self.currency_id.compare_amounts(self.kefu_amount_due, 0):
            raise UserError(
                self.env._(
                    "Nothing is due on %(order)s: approve shipping instead.",
                    order=self.name,
                )
            )
        transition(self).write(
            {
                "kefu_payment_exception_reason": reason,
                "kefu_payment_exception_by": self.env.user.id,
                "kefu_payment_exception_at": fields.Datetime.now(),
                "kefu_payment_exception_amount": self.kefu_amount_due,
            }
        )
        self.message_post(
            body=self.env._(
                "Payment exception granted by %(user)s for %(due)s still due: "
                "%(reason)s",
                user=self.env.user.name,
                due=self.currency_id.format(self.kefu_amount_due),
                reason=reason,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return True

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------
    def _get_kefu_sheet_total(self):
        """What the customer signed to pay: the total of the sheet's lines.
        Lines that cannot be sheet items (a quantity or unit price of zero or
        less: a down payment, a discount) never lower it."""
        self.ensure_one()
        lines = self.order_line._kefu_sheet_lines().filtered(
            lambda line: line.product_uom_qty > 0 and line.price_unit > 0
        )
        return sum(lines.mapped("price_total"))

    def _kefu_money_due(self, kind):
        """What the customer still owes before the step ``kind`` waits for."""
        self.ensure_one()
        if kind == "deposit":
            return self.kefu_deposit_amount - self.kefu_deposit_received_amount
        return self.kefu_amount_due

    def _kefu_money_arrived(self, kind, amount, received_at, reference=None):
        """``amount`` (by default what is due) arrived for each order: in the
        company's Accounting, a payment registered against the order's invoices;
        otherwise a receipt finance confirms. From the order's button a dialog
        opens first, prefilled: Odoo's Register Payment, or the flow's own."""
        if self.env.context.get("kefu_payment_dialog") and len(self) == 1:
            return self._kefu_money_dialog(kind)
        for order in self:
            due = order._kefu_money_due(kind)
            received = due if amount is None else amount
            if not order.kefu_money_in_accounting:
                order._kefu_receive_money(
                    kind, received, received_at, reference=reference
                )
                continue
            invoices = order._kefu_invoice_due(due)
            day = fields.Date.context_today(order, received_at)
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoices.ids
            ).create(
                {
                    "amount": received,
                    "payment_date": day,
                    "group_payment": True,
                    "communication": reference or False,
                }
            ).action_create_payments()
        return True

    def _kefu_money_dialog(self, kind):
        """The dialog in which finance records what arrived, prefilled with
        what is due."""
        self.ensure_one()
        due = self._kefu_money_due(kind)
        # The web client passes the button's context on to the dialog: what
        # the dialog confirms is recorded, not asked again.
        if self.kefu_money_in_accounting:
            action = self._kefu_invoice_due(due).action_register_payment()
            # Back on the order once the payment is registered.
            action["context"] = dict(
                action["context"],
                dont_redirect_to_payments=True,
                kefu_payment_dialog=False,
            )
            return action
        return {
            "type": "ir.actions.act_window",
            "res_model": "kefu.money.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_order_id": self.id,
                "default_kind": kind,
                "default_amount": due,
                "kefu_payment_dialog": False,
            },
        }

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
        self,
        kind,
        amount,
        received_at=None,
        transaction=None,
        partial=None,
        reference=None,
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
                    "reference": reference or False,
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
        if kind == "deposit" and self.kefu_deposit_state == "received":
            self._kefu_hand_off_done(ACT + "deposit")
            self._kefu_hand_off_done(ACT + "deposit_follow_up")
        return receipt
