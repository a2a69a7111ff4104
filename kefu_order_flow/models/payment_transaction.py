# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import SUPERUSER_ID, models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _check_amount_and_confirm_order(self):
        """A paid online transaction of a quotation counts as its deposit (F12);
        confirming stays behind the flow's gates (see sale.order)."""
        for tx in self.filtered(lambda tx: tx.state == "done"):
            order = tx.sale_order_ids
            if (
                len(order) == 1
                and order.kefu_stage
                and order.kefu_deposit_state == "awaiting"
                and order.currency_id == tx.currency_id
                and order.currency_id.compare_amounts(
                    tx.amount, order.kefu_deposit_amount
                )
                >= 0
            ):
                # Recorded by OdooBot: the payer is a customer or the public user.
                order.with_user(SUPERUSER_ID)._kefu_receive_money(
                    "deposit", tx.amount, transaction=tx
                )
        return super(
            PaymentTransaction, self.with_context(kefu_customer_side=True)
        )._check_amount_and_confirm_order()
