# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The flow's scope: the customer-service team's orders go through the flow,
the same customer's other orders are Odoo's own, side by side."""

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import NOW, KefuCase


@freeze_time(NOW)
@tagged("post_install", "-at_install")
class TestScope(KefuCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._stock_film()
        cls.web_team = cls.env["crm.team"].create(
            {"name": "网店", "company_id": cls.company.id}
        )
        cls.scope.team_ids = cls.kefu_team
        # A deposit the flow would ask for: an order outside the scope owes none.
        cls.customer_b.with_user(cls.supervisor).write({"kefu_deposit_percent": 30})

    def _validate_delivery(self, order, user):
        picking = order.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing"
        )
        picking = picking.with_user(user)
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        return picking.button_validate()

    def test_in_scope_and_out_of_scope_side_by_side(self):
        flow = self._order(team_id=self.kefu_team.id)
        core = self._order(team_id=self.web_team.id)
        self.assertEqual(flow.partner_id, core.partner_id)
        self.assertEqual((flow.kefu_stage, core.kefu_stage), ("intake", False))
        self.assertEqual(
            (flow.kefu_deposit_state, core.kefu_deposit_state),
            ("awaiting", "not_required"),
        )
        self.assertTrue(flow.kefu_release_blockers)
        self.assertFalse(core.kefu_release_blockers)

        # Confirm: the flow's order is gated, Odoo's is confirmed by the salesman.
        with self.assertRaises(AccessError):
            flow.with_user(self.salesman).action_confirm()
        with self.assertRaisesRegex(UserError, "intake"):
            flow.with_user(self.clerk).action_confirm()
        core.with_user(self.salesman).action_confirm()
        self.assertEqual(core.state, "sale")
        self.assertFalse(core.kefu_stage)

        # The flow's own steps refuse an order outside the scope.
        with self.assertRaisesRegex(UserError, "not in the order flow"):
            core.with_user(self.clerk).action_kefu_start_review()

        # Release: the deposit gate holds the flow's order until finance.
        self._to_returned(flow)
        with self.assertRaisesRegex(UserError, "deposit"):
            flow.with_user(self.clerk).action_confirm()
        flow.with_user(self.finance).action_kefu_confirm_deposit()
        flow.with_user(self.clerk).action_confirm()
        self.assertEqual((flow.state, flow.kefu_stage), ("sale", "released"))

        # Deliver: the flow's delivery waits for payment and conformity,
        # Odoo's is validated at once by the warehouse.
        with self.assertRaisesRegex(UserError, "cannot be validated"):
            self._validate_delivery(flow, self.shipper)
        self._validate_delivery(core, self.shipper)
        self.assertEqual(core.delivery_status, "full")
        self.assertFalse(core.kefu_stage)

        # Invoice as Odoo does: delivered quantities, posted by accounting.
        self.assertEqual(core.invoice_status, "to invoice")
        invoice = core._create_invoices()
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(core.invoice_status, "invoiced")
        self.assertAlmostEqual(invoice.amount_total, core.amount_total)

    def test_core_order_is_cancelled_and_written_as_odoo(self):
        core = self._order(team_id=self.web_team.id)
        core.with_user(self.salesman).write({"note": "样品单"})
        core.order_line.with_user(self.salesman).product_uom_qty = 50
        core.with_user(self.salesman).action_cancel()
        self.assertEqual((core.state, core.kefu_stage), ("cancel", False))
        core.with_user(self.salesman).action_draft()
        self.assertEqual((core.state, core.kefu_stage), ("draft", False))
        # Odoo's portal signature rule, not the flow's.
        core.require_signature = True
        self.assertTrue(core._has_to_be_signed())
        # The flow's own fields stay the flow's.
        with self.assertRaisesRegex(UserError, "only through the order flow"):
            core.with_user(self.supervisor).write({"kefu_stage": "released"})

    def test_scope_is_decided_at_create_and_when_the_team_changes(self):
        order = self._order(team_id=self.web_team.id)
        self.assertFalse(order.kefu_stage)
        order.with_user(self.clerk).team_id = self.kefu_team
        self.assertEqual(order.kefu_stage, "intake")
        order.with_user(self.clerk).team_id = self.web_team
        self.assertFalse(order.kefu_stage)
        # A confirmed order of Odoo's does not enter the flow afterwards.
        order.with_user(self.salesman).action_confirm()
        order.with_user(self.clerk).team_id = self.kefu_team
        self.assertEqual((order.state, order.kefu_stage), ("sale", False))

    def test_order_cannot_leave_the_scope_once_its_sheet_was_sent(self):
        order = self._to_sheet_sent(self._order(team_id=self.kefu_team.id))
        with self.assertRaisesRegex(UserError, "cannot leave the order flow"):
            order.with_user(self.clerk).team_id = self.web_team
        self.assertEqual(order.kefu_stage, "sheet_sent")
        # Nor when an administrator narrows the scope's filter and the order
        # is written again.
        self.scope.domain = str([("partner_id", "!=", order.partner_id.id)])
        with self.assertRaisesRegex(UserError, "cannot leave the order flow"):
            order.with_user(self.clerk).partner_id = self.customer_a

    def test_scope_filter_selects_orders(self):
        self.scope.write(
            {
                "team_ids": [Command.clear()],
                "domain": "[('partner_id.name', 'ilike', '甲级')]",
            }
        )
        self.assertEqual(self._order(self.customer_a).kefu_stage, "intake")
        self.assertFalse(self._order(self.customer_b).kefu_stage)
        self.scope.active = False
        self.assertFalse(self._order(self.customer_a).kefu_stage)

    def test_scope_input_is_checked(self):
        Scope = self.env["kefu.flow.scope"].with_user(self.supervisor)
        with self.assertRaisesRegex(ValidationError, "not a valid filter"):
            Scope.create({"name": "坏", "domain": "[('no_such_field', '=', 1)]"})
        with self.assertRaisesRegex(ValidationError, "not a valid filter"):
            Scope.create({"name": "坏", "domain": "'text'"})
        other = self.env["res.company"].create({"name": "其他公司"})
        team = self.env["crm.team"].create({"name": "外部", "company_id": other.id})
        with self.assertRaisesRegex(ValidationError, "must belong"):
            Scope.create({"name": "坏", "team_ids": [Command.set(team.ids)]})
        with self.assertRaises(AccessError):
            Scope.with_user(self.clerk).create({"name": "客服专员不可"})
        self.assertTrue(self.scope.with_user(self.clerk).read(["name"]))

    def test_new_order_form_of_the_team(self):
        form = Form(self.env["sale.order"].with_user(self.clerk))
        form.partner_id = self.customer_b
        form.team_id = self.kefu_team
        self.assertTrue(form.kefu_in_scope)  # the flow's pages show
        form.team_id = self.web_team
        self.assertFalse(form.kefu_in_scope)
        order = form.save()
        self.assertFalse(order.kefu_stage)
        self.assertFalse(order.kefu_in_scope)

    def test_salesperson_reads_an_order_as_in_odoo(self):
        """Odoo's read() of every field skips the flow's registers a plain
        salesperson may not read; naming one is still refused."""
        order = self._order(team_id=self.web_team.id)
        values = order.with_user(self.salesman).read()[0]
        self.assertEqual(values["name"], order.name)
        self.assertNotIn("kefu_memo_ids", values)
        with self.assertRaises(AccessError):
            order.with_user(self.salesman).read(["kefu_memo_ids"])

    def test_online_payment_confirms_an_order_outside_the_scope(self):
        """Odoo's rule: a quotation paid online in full is confirmed; the same
        payment of an order of the flow releases nothing."""
        core = self._order(team_id=self.web_team.id)
        flow = self._to_returned(self._order(team_id=self.kefu_team.id))
        provider = self.env["payment.provider"].create(
            {"name": "Test bank", "code": "none", "state": "test"}
        )
        for order in (core, flow):
            tx = self.env["payment.transaction"].create(
                {
                    "provider_id": provider.id,
                    "payment_method_id": self.env.ref(
                        "payment.payment_method_unknown"
                    ).id,
                    "reference": f"SCOPE-{order.id}",
                    "amount": order.amount_total,
                    "currency_id": order.currency_id.id,
                    "partner_id": order.partner_id.id,
                    "sale_order_ids": [Command.set(order.ids)],
                }
            )
            tx._set_done()
            public = self.env.ref("base.public_user")
            tx.with_user(public).sudo()._check_amount_and_confirm_order()
        self.assertEqual((core.state, core.kefu_stage), ("sale", False))
        self.assertFalse(core.kefu_money_receipt_ids)
        self.assertEqual((flow.state, flow.kefu_stage), ("draft", "returned"))
        self.assertEqual(flow.kefu_deposit_state, "received")
