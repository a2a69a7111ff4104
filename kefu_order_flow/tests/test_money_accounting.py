# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import NOW, KefuCase


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestMoneyInAccounting(KefuCase):
    """The deposit (F12) and the payment before shipping (F18) where the
    company keeps its money in Accounting: asked for with down-payment
    invoices, counted once Accounting registers the payment."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.kefu_money_in_accounting = True
        cls._stock_film()

    def _register_payment(self, invoices, user=None, amount=None):
        """Finance registers a payment the Accounting way: Odoo's Register
        Payment dialog on the invoices, as opened from them."""
        action = invoices.with_user(user or self.finance).action_register_payment()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(user or self.finance)
            .with_context(**action["context"])
        )
        if amount is not None:
            wizard.amount = amount
        return wizard.save().action_create_payments()

    def _deposit_invoice(self, order):
        invoice = order.invoice_ids
        self.assertEqual(len(invoice), 1)
        self.assertEqual(invoice.state, "posted")
        self.assertTrue(
            all(invoice.invoice_line_ids.sale_line_ids.mapped("is_downpayment"))
        )
        return invoice

    def test_deposit_paid_in_accounting_releases_a_b_order(self):
        self.customer_b.kefu_deposit_percent = 30
        order = self._to_returned(self._order())
        contract = order.kefu_contract_fingerprint
        self.assertEqual(order.kefu_deposit_state, "awaiting")
        self.assertEqual(order.kefu_deposit_amount, order.amount_total * 0.3)

        # The deposit notice is a down-payment invoice of the deposit due.
        order.with_user(self.clerk).action_kefu_send_deposit()
        invoice = self._deposit_invoice(order)
        self.assertEqual(invoice.amount_total, order.kefu_deposit_amount)
        # Invoicing the deposit leaves what the customer signed as signed.
        self.assertEqual(order.kefu_stage, "returned")
        self.assertEqual(order.kefu_content_fingerprint, contract)
        self.assertFalse(order._kefu_contract_error())
        # Sent twice, still one invoice for the deposit.
        order.with_user(self.clerk).action_kefu_send_deposit()
        self.assertEqual(order.invoice_ids, invoice)
        with self._refused("deposit"):
            order.with_user(self.clerk).action_confirm()

        # Part of it arrives: counted, still awaited.
        self._register_payment(invoice, amount=100)
        self.assertEqual(invoice.payment_state, "partial")
        self.assertEqual(order.kefu_deposit_received_amount, 100)
        self.assertEqual(order.kefu_deposit_state, "awaiting")
        self._register_payment(invoice)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        receipts = order.kefu_money_receipt_ids
        self.assertEqual(receipts.mapped("kind"), ["deposit", "deposit"])
        self.assertEqual(receipts.invoice_id, invoice)
        self.assertTrue(all(receipts.mapped("partial_id")))
        self.assertEqual(receipts.recorded_by, self.finance)
        self.assertEqual(sum(receipts.mapped("amount")), invoice.amount_total)
        self.assertEqual(order.kefu_deposit_state, "received")
        self.assertEqual(order.kefu_deposit_received_by, self.finance)

        order.with_user(self.clerk).action_confirm()
        self.assertEqual(order.kefu_stage, "released")
        self.assertEqual(order.state, "sale")

    def test_unreconciled_payment_no_longer_counts(self):
        self.customer_b.kefu_deposit_percent = 30
        order = self._to_returned(self._order())
        # Finance's entry point (XML-RPC): the payment is registered in
        # Accounting against the deposit invoice, made when none was sent.
        order.with_user(self.finance).action_kefu_confirm_deposit()
        invoice = self._deposit_invoice(order)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertEqual(order.kefu_deposit_state, "received")
        receipt = order.kefu_money_receipt_ids
        self.assertEqual(receipt.invoice_id, invoice)

        payment_lines = receipt.partial_id.credit_move_id
        payment_lines.with_user(self.finance).remove_move_reconcile()
        self.assertFalse(receipt.exists())
        self.assertEqual(invoice.payment_state, "not_paid")
        self.assertEqual(order.kefu_deposit_state, "awaiting")
        with self._refused("deposit"):
            order.with_user(self.clerk).action_confirm()

    def test_c_order_ships_once_its_invoices_are_paid(self):
        self.customer_c.kefu_deposit_percent = 50
        order = self._to_returned(self._order(self.customer_c))
        order.with_user(self.clerk).action_kefu_send_deposit()
        self._register_payment(self._deposit_invoice(order))
        order.with_user(self.clerk).action_confirm()
        self._conformity_accepted(order)
        self.assertEqual(order.kefu_ship_state, "awaiting_payment")
        self.assertEqual(order.kefu_amount_due, order.amount_total / 2)
        with self._refused("still due"):
            order.with_user(self.finance).action_kefu_approve_shipping()

        # Finance's button opens Odoo's Register Payment dialog on an invoice
        # of what is still due.
        action = (
            order.with_user(self.finance)
            .with_context(kefu_payment_dialog=True)
            .action_kefu_confirm_payment()
        )
        self.assertEqual(action["res_model"], "account.payment.register")
        rest = order.invoice_ids - self._deposit_invoice_of(order)
        self.assertEqual(rest.amount_total, order.amount_total / 2)
        self.assertEqual(rest.payment_state, "not_paid")
        self.assertEqual(order.kefu_ship_state, "awaiting_payment")
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(self.finance)
            .with_context(**action["context"])
        ).save()
        self.assertEqual(wizard.amount, order.kefu_amount_due)
        wizard.action_create_payments()
        self.assertEqual(order.kefu_amount_due, 0)
        self.assertEqual(
            sorted(order.kefu_money_receipt_ids.mapped("kind")), ["deposit", "payment"]
        )
        # The down payments Odoo added to the order (a section and lines of no
        # quantity) are money, not what is produced or shipped: the production
        # order and the conformity opinion do not list them.
        self.assertTrue(order.order_line.filtered("is_downpayment"))
        for xmlid in (
            "action_report_kefu_production_order",
            "action_report_kefu_conformity",
        ):
            report = self.env.ref(f"kefu_order_flow.{xmlid}")
            html = report._render_qweb_html(report, order.ids)[0].decode()
            self.assertIn("BOPP-20", html)
            self.assertNotIn("Down Payment", html, xmlid)
            self.assertNotRegex(html, r">\s*0\.00\s*<", xmlid)

        order.with_user(self.finance).action_kefu_approve_shipping()
        picking = order.picking_ids
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking.with_user(self.shipper).button_validate()
        self.assertIn(order.kefu_stage, ("shipped", "done"))
        # After shipping, Odoo invoices: the down payments are deducted.
        final = order._create_invoices(final=True)
        self.assertEqual(final.amount_total, 0)
        # One amount, typed once: what the receipts count is what Accounting holds.
        paid = sum(
            move.amount_total - move.amount_residual for move in order.invoice_ids
        )
        self.assertEqual(sum(order.kefu_money_receipt_ids.mapped("amount")), paid)
        self.assertEqual(paid, order.amount_total)

    def _deposit_invoice_of(self, order):
        return order.invoice_ids.sorted("id")[:1]

    def test_without_accounting_finance_confirms_on_the_order(self):
        self.company.kefu_money_in_accounting = False
        self.customer_b.kefu_deposit_percent = 30
        order = self._to_returned(self._order())
        order.with_user(self.clerk).action_kefu_send_deposit()
        self.assertFalse(order.invoice_ids)
        # Finance's button opens the flow's own dialog, prefilled with what is
        # due; a part of it arrived, with the bank's reference.
        action = (
            order.with_user(self.finance)
            .with_context(kefu_payment_dialog=True)
            .action_kefu_confirm_deposit()
        )
        self.assertEqual(action["res_model"], "kefu.money.wizard")
        due = order.kefu_deposit_amount
        # The web client opens it with the button's context, then the action's.
        dialog = Form(
            self.env[action["res_model"]]
            .with_user(self.finance)
            .with_context(**{"kefu_payment_dialog": True, **action["context"]})
        )
        self.assertEqual((dialog.amount, dialog.due), (due, due))
        dialog.amount = due
        dialog.reference = "工行 20260302-0815"
        dialog.save().action_confirm()
        self.assertEqual(order.kefu_deposit_state, "received")
        self.assertFalse(order.invoice_ids)
        receipt = order.kefu_money_receipt_ids
        self.assertEqual(
            (
                receipt.amount,
                receipt.reference,
                receipt.recorded_by,
                receipt.partial_id,
            ),
            (due, "工行 20260302-0815", self.finance, receipt.partial_id.browse()),
        )

    def test_an_order_outside_the_flow_is_only_accounting(self):
        self.scope.team_ids = self.kefu_team
        order = self.env["sale.order"].create(
            {"partner_id": self.customer_b.id, "order_line": [self._line()]}
        )
        self.assertFalse(order.kefu_stage)
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        self._register_payment(invoice, user=self.env.user)
        self.assertFalse(order.kefu_money_receipt_ids)
