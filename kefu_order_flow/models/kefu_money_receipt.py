# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models

KEFU_MONEY_KINDS = [("deposit", "Deposit"), ("payment", "Payment")]


class KefuMoneyReceipt(models.Model):
    """Money the customer paid: a deposit before release (定金, F12) or the
    payment before shipping (F18), as finance confirmed it, as paid online, or
    as registered in Accounting against one of the order's invoices. Kept as
    recorded; the order's received amounts are computed from these."""

    _name = "kefu.money.receipt"
    _inherit = ["kefu.register.mixin"]
    _description = "Money Received"

    order_id = fields.Many2one(
        "sale.order", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    currency_id = fields.Many2one(related="order_id.currency_id")
    kind = fields.Selection(KEFU_MONEY_KINDS, required=True, readonly=True)
    amount = fields.Monetary(required=True, readonly=True)
    received_at = fields.Datetime(required=True, readonly=True)
    reference = fields.Char(readonly=True, help="The transfer's reference.")
    transaction_id = fields.Many2one(
        "payment.transaction", string="Online Payment", readonly=True
    )
    partial_id = fields.Many2one(
        "account.partial.reconcile",
        string="Reconciliation",
        readonly=True,
        ondelete="cascade",
        index="btree_not_null",
        help="The reconciliation in Accounting this receipt is derived from.",
    )
    invoice_id = fields.Many2one("account.move", readonly=True)
    recorded_by = fields.Many2one(string="Confirmed By")
    recorded_at = fields.Datetime(string="Confirmed At")

    _sql_constraints = [
        ("amount_positive", "CHECK(amount > 0)", "An amount received is positive."),
    ]

    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for receipt in self:
            receipt.display_name = self.env._(
                "%(kind)s %(order)s: %(amount)s",
                kind=kinds[receipt.kind],
                order=receipt.order_id.name,
                amount=receipt.currency_id.format(receipt.amount),
            )
