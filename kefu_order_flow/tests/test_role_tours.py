# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Every role's part of one order in the Chinese web client.

The order is brought, through the real steps and as the real users, to where
the role acts; the tour (static/tests/tours/kefu_<role>_tour.js) then clicks
that part as the role's user, in zh_CN, and fails on any English word or error
dialog on the screens it visits (kefu_tour_utils.js, ``chineseScreen``)."""

import datetime

from odoo import Command, fields
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import KefuCase, return_proof

ROLE_KEYS = ("clerk", "technician", "producer", "finance", "assistant", "shipper")


@tagged("post_install", "-at_install")
class TestRoleTours(KefuCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._load_zh_cn_everywhere()
        # The users act as in the web client: in their language, with the
        # chatter on (creation and tracking lines), so that the steps taken here
        # write what the tours then read.
        cls.env = cls.env(context={"lang": "zh_CN"})
        # The navigation bar shows the company: a Chinese one, like the demo's.
        cls.company.name = "上海华膜包装材料有限公司"
        cls.env.ref("stock.warehouse0").name = "上海华膜成品仓"
        for key in ROLE_KEYS:
            getattr(cls, key).lang = "zh_CN"
        # Chinese customers: what is sent to them (the deposit notice, logged
        # in the chatter) is written in their language.
        (cls.customer_a | cls.customer_b | cls.customer_c).lang = "zh_CN"
        cls.payment_term = cls.env["account.payment.term"].create(
            {
                "name": "月结 30 天",
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 100, "nb_days": 30}
                    )
                ],
            }
        )
        cls._stock_film()

    @classmethod
    def _load_zh_cn_everywhere(cls):
        """zh_CN for the web client's own words too (Odoo's add-ons), loaded
        when the database does not have the language yet."""
        lang = (
            cls.env["res.lang"]
            .with_context(active_test=False)
            .search([("code", "=", "zh_CN")])
        )
        if not lang.active:
            cls.env["res.lang"]._activate_lang("zh_CN")
            cls.env["ir.module.module"].search(
                [("state", "=", "installed")]
            )._update_translations(["zh_CN"])
        cls._load_zh_cn()

    def _today(self, days=0):
        today = fields.Date.context_today(self.env["sale.order"].with_user(self.clerk))
        return today + datetime.timedelta(days=days)

    def _tour(self, name, user, url="/odoo"):
        self.start_tour(url, name, login=user.login)

    def _new_order(self, **vals):
        return self._order(
            lines=[self._line(qty=500.0)],
            kefu_requested_date=self._today(30),
            **vals,
        )

    def _request(self, model, order, note="请确认"):
        """The clerk opens a department's request: what to confirm, by when."""
        return (
            self.env[model]
            .with_user(self.clerk)
            .create(
                {
                    "order_id": order.id,
                    "request_note": note,
                    "request_deadline": self._today(2),
                }
            )
        )

    def _signed(self, order):
        """In review, both departments signed (dates ahead of today)."""
        self._to_review(order)
        self._sign_tech(order)
        self._sign_production(
            order,
            production_date=self._today(2),
            completion=self._today(10),
        )
        return order

    def _released(self, order):
        self._signed(order)
        order.with_user(self.clerk).action_kefu_send_sheet()
        order.with_user(self.clerk).action_kefu_register_return(
            True, **return_proof(order.with_user(self.clerk))
        )
        order.with_user(self.clerk).action_confirm()
        self.assertEqual(order.kefu_stage, "released")
        return order

    # ------------------------------------------------------------------
    def test_clerk(self):
        # Yesterday's order is on the board already.
        self._to_review(self._new_order(customer=self.customer_a))
        self._tour(
            "kefu_clerk_tour",
            self.clerk,
            "/odoo/action-kefu_order_flow.sale_order_action_kefu",
        )
        order = self.env["sale.order"].search(
            [
                ("partner_id", "=", self.customer_b.id),
                ("create_uid", "=", self.clerk.id),
            ]
        )
        self.assertEqual(len(order), 1)
        self.assertEqual(
            (order.kefu_stage, order.kefu_price_state, order.kefu_channel),
            ("review", "ok", "phone"),
        )
        self.assertEqual(order.kefu_requested_date, self._today(30))
        self.assertEqual(order.payment_term_id, self.payment_term)
        self.assertEqual(order.kefu_memo_ids.recorded_by, self.clerk)
        self.assertEqual(
            (
                order.order_line.product_id,
                order.order_line.kefu_spec,
                order.order_line.product_uom_qty,
                order.order_line.price_unit,
            ),
            (self.film, "20μm × 1000mm", 500.0, 20.0),
        )
        # The requests are opened empty: the departments answer.
        for request in (
            order.kefu_tech_confirmation_ids,
            order.kefu_production_confirmation_ids,
        ):
            self.assertEqual(len(request), 1)
            self.assertEqual(request.state, "draft")
            self.assertEqual(request.request_deadline, self._today(2))
            self.assertIn("成品完成日期", request.request_note)
        self.assertFalse(order.kefu_tech_confirmation_ids.can_produce)
        self.assertFalse(order.kefu_tech_confirmation_ids.material_note)
        self.assertFalse(order.kefu_production_confirmation_ids.completion_date)

        order.kefu_tech_confirmation_ids.with_user(self.technician).write(
            {"can_produce": True, "material_note": "BOPP 原膜库存 5 吨"}
        )
        order.kefu_tech_confirmation_ids.with_user(self.technician).action_sign()
        order.kefu_production_confirmation_ids.with_user(self.producer).write(
            {"production_date": self._today(2), "completion_date": self._today(10)}
        )
        order.kefu_production_confirmation_ids.with_user(self.producer).action_sign()
        self._tour(
            "kefu_clerk_tour_release",
            self.clerk,
            f"/odoo/action-kefu_order_flow.sale_order_action_kefu/{order.id}",
        )
        self.assertEqual((order.kefu_stage, order.state), ("released", "sale"))
        self.assertEqual(order.kefu_return_state, "accepted")
        self.assertEqual(order.kefu_return_ids.recorded_by, self.clerk)

    def test_technician(self):
        order = self._to_review(self._new_order())
        request = self._request(
            "kefu.tech.confirmation", order, "能否按原配方生产，原膜库存是否足够"
        )
        # From its own list, not Odoo's home (Discuss, with its English #general).
        self._tour(
            "kefu_technician_tour",
            self.technician,
            url="/odoo/action-kefu_order_flow.kefu_tech_confirmation_action",
        )
        self.assertEqual(request.state, "signed")
        self.assertEqual(request.signed_by, self.technician)
        self.assertTrue(request.can_produce)
        self.assertIn("原膜库存", request.material_note)

    def test_production(self):
        order = self._to_review(self._new_order())
        self._sign_tech(order)
        request = self._request("kefu.production.confirmation", order)
        self._tour("kefu_production_tour", self.producer)
        self.assertEqual(request.state, "signed")
        self.assertEqual(request.signed_by, self.producer)
        self.assertEqual(
            (request.production_date, request.completion_date),
            (self._today(2), self._today(10)),
        )

        order.with_user(self.clerk).action_kefu_send_sheet()
        order.with_user(self.clerk).action_kefu_register_return(
            True, **return_proof(order.with_user(self.clerk))
        )
        order.with_user(self.clerk).action_confirm()
        self._tour("kefu_production_tour_release", self.producer)
        self.assertEqual(order.kefu_production_ack_by, self.producer)
        statement = order.kefu_completion_statement_ids
        self.assertEqual(statement.state, "signed")
        self.assertEqual(statement.signed_by, self.producer)
        self.assertEqual(statement.line_ids.quantity, 500.0)

    def test_finance(self):
        self.customer_b.kefu_deposit_percent = 30
        order = self._signed(self._new_order())
        order.with_user(self.clerk).action_kefu_send_sheet()
        order.with_user(self.clerk).action_kefu_register_return(
            True, **return_proof(order.with_user(self.clerk))
        )
        self.assertEqual(order.kefu_deposit_state, "awaiting")
        self._tour("kefu_finance_tour_deposit", self.finance)
        self.assertEqual(order.kefu_deposit_state, "received")
        self.assertEqual(order.kefu_deposit_received_by, self.finance)

        order.with_user(self.clerk).action_confirm()
        order.with_user(self.producer).action_kefu_acknowledge_production()
        self._completion(order, 500.0)
        self.assertEqual(order.kefu_ship_state, "awaiting_payment")
        self._tour("kefu_finance_tour_payment", self.finance)
        self.assertEqual(order.kefu_payment_received_by, self.finance)
        self.assertEqual(order.kefu_ship_state, "approved")
        self.assertEqual(order.kefu_ship_approved_by, self.finance)

    def test_assistant(self):
        order = self._released(self._new_order())
        self._tour("kefu_assistant_tour", self.assistant)
        entry = order.kefu_monitoring_ids
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.recorded_by, self.assistant)
        self.assertEqual(entry.quantity_done, 300.0)

    def test_shipping(self):
        order = self._released(self._new_order())
        order.with_user(self.producer).action_kefu_acknowledge_production()
        self._conformity_accepted(order, 500.0)
        # The refusal is a UserError: Odoo's HTTP layer logs it as a warning.
        with mute_logger("odoo.http"):
            self._tour("kefu_shipping_tour_waiting", self.shipper)
        self.assertEqual(order.picking_ids.state, "assigned")
        self.assertEqual(order.kefu_stage, "released")

        order.with_user(self.finance).action_kefu_confirm_payment()
        order.with_user(self.finance).action_kefu_approve_shipping()
        self._tour("kefu_shipping_tour", self.shipper)
        self.assertEqual(order.picking_ids.state, "done")
        self.assertEqual(order.kefu_stage, "done")
