# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import contextlib
import datetime
import re

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user

from odoo.addons.base.tests.common import DISABLED_MAIL_CONTEXT

from ..models.kefu_common import transition
from ..tools.kefu_roles import ROLES


def return_proof(order, signer="采购部 张经理"):
    """What accepting a signed return needs: the scan, and who signed it."""
    scan = order.env["ir.attachment"].create(
        {
            "name": f"{order.name} 回传确认书.pdf",
            "raw": b"%PDF-1.4 signed and stamped",
            "res_model": "sale.order",
            "res_id": order.id,
        }
    )
    return {"attachment_id": scan.id, "signer": signer}


CJK = re.compile(r"[\u4e00-\u9fff]")
# The written answer to a price doubt (F5).
PRICE_REASON = "业务员确认：老客户年度协议价，低于方案价 3%"

# The tests' one "now": Monday 2 March 2026, 10:00 in Shanghai (02:00 UTC).
NOW = datetime.datetime(2026, 3, 2, 2, 0)
TODAY = NOW.date()


class KefuCase(TransactionCase):
    """Data for the order flow: a company in Shanghai, one user per role
    (``cls.clerk``, ``cls.producer``…: the keys of tools/kefu_roles.py),
    customers of each grade, film products with codes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, **DISABLED_MAIL_CONTEXT))
        cls.company = cls.env.company
        cls.company.partner_id.write(
            {"tz": "Asia/Shanghai", "email": "kefu@example.com"}
        )
        cls.cny = cls.env.ref("base.CNY")
        cls.cny.active = True
        cls.pricelist = cls.env["product.pricelist"].create(
            {"name": "价格执行方案 B", "currency_id": cls.cny.id}
        )
        cls.grade_a = cls.env.ref("kefu_order_flow.grade_a")
        cls.grade_b = cls.env.ref("kefu_order_flow.grade_b")
        cls.grade_c = cls.env.ref("kefu_order_flow.grade_c")
        cls.grade_b.pricelist_id = cls.pricelist
        cls.grade_a.pricelist_id = cls.pricelist
        cls.grade_c.pricelist_id = cls.pricelist

        for role in ROLES:
            user = new_test_user(
                cls.env,
                login=role.key,
                groups=role.group,
                name=role.test_name,
                tz="Asia/Shanghai",
            )
            setattr(cls, role.key, user)
        cls.payment_term = cls.env.ref("account.account_payment_term_30days")
        # The customer-service team (客服部); every order of the company is in
        # the flow's scope unless a test narrows it to that team.
        cls.kefu_team = cls.env["crm.team"].create(
            {"name": "客服部", "company_id": cls.company.id}
        )
        cls.scope = cls.env["kefu.flow.scope"].create(
            {"name": "客服部订单", "company_id": cls.company.id}
        )

        def customer(name, grade, **vals):
            return cls.env["res.partner"].create(
                {"name": name, "kefu_grade_id": grade.id, "is_company": True, **vals}
            )

        cls.customer_a = customer("甲级客户有限公司", cls.grade_a)
        cls.customer_b = customer("乙级客户有限公司", cls.grade_b)
        cls.customer_c = customer("丙级客户有限公司", cls.grade_c)
        cls.uom_kg = cls.env.ref("uom.product_uom_kgm")
        cls.film = cls.env["product.product"].create(
            {
                "name": "BOPP 印刷膜",
                "default_code": "BOPP-20",
                "type": "consu",
                "is_storable": True,
                "list_price": 20.0,
                "uom_id": cls.uom_kg.id,
                "uom_po_id": cls.uom_kg.id,
            }
        )
        cls.film2 = cls.env["product.product"].create(
            {
                "name": "PET 复合膜",
                "default_code": "PET-12",
                "type": "consu",
                "list_price": 30.0,
                "uom_id": cls.uom_kg.id,
                "uom_po_id": cls.uom_kg.id,
            }
        )
        cls.today = TODAY

    @classmethod
    def _load_zh_cn(cls):
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"].search(
            [("name", "=", "kefu_order_flow")]
        )._update_translations(["zh_CN"])

    @classmethod
    def _line(cls, product=None, qty=100.0, price=None, **vals):
        product = product or cls.film
        return Command.create(
            {
                "product_id": product.id,
                "product_uom_qty": qty,
                "price_unit": product.list_price if price is None else price,
                "kefu_spec": "20μm × 1000mm",
                "kefu_packaging": "纸芯 3 寸, 托盘",
                "kefu_tolerance_pct": 5.0,
                **vals,
            }
        )

    @classmethod
    def _order(cls, customer=None, lines=None, **vals):
        customer = customer or cls.customer_b
        return (
            cls.env["sale.order"]
            .with_user(cls.clerk)
            .create(
                {
                    "partner_id": customer.id,
                    "user_id": cls.salesman.id,
                    "payment_term_id": cls.payment_term.id,
                    "kefu_channel": "fax",
                    "kefu_requested_date": datetime.date(2026, 3, 20),
                    "order_line": lines or [cls._line()],
                    # F2: every order is in the memo before its review.
                    "kefu_memo_ids": [Command.create({"content": "客户传真订单"})],
                    **vals,
                }
            )
        )

    def assertRefused(self, call, pattern, error=UserError):
        """``call(env)`` is refused in English (matching ``pattern``) and in
        Chinese (zh_CN loaded by ``_load_zh_cn``), and leaves nothing behind."""
        for lang, expected in (("en_US", pattern), ("zh_CN", CJK)):
            env = self.env(context=dict(self.env.context, lang=lang))
            with self.subTest(lang=lang), self._refused(expected, error):
                call(env)
                self.env.flush_all()
        self.env.invalidate_all()

    def _sign_tech(self, order, **vals):
        tech = (
            self.env["kefu.tech.confirmation"]
            .with_user(self.technician)
            .create(
                {
                    "order_id": order.id,
                    "can_produce": True,
                    "material_note": "BOPP 原膜库存 5 吨",
                    **vals,
                }
            )
        )
        tech.action_sign()
        return tech

    def _sign_production(self, order, completion=None, **vals):
        prod = (
            self.env["kefu.production.confirmation"]
            .with_user(self.producer)
            .create(
                {
                    "order_id": order.id,
                    "production_date": datetime.date(2026, 3, 5),
                    "completion_date": completion or datetime.date(2026, 3, 10),
                    "quantity_note": "100 kg",
                    **vals,
                }
            )
        )
        prod.action_sign()
        return prod

    def _to_review(self, order):
        if not order.kefu_memo_ids:  # review starts from the memo (F2)
            self.env["kefu.order.memo"].with_user(self.clerk).create(
                {"order_id": order.id, "content": "客户来电，逐项复述确认"}
            )
        order.with_user(self.clerk).action_kefu_start_review()
        order.with_user(self.clerk).action_kefu_check_prices()
        return order

    def _to_sheet_sent(self, order):
        self._to_review(order)
        self._sign_tech(order)
        self._sign_production(order)
        order.with_user(self.clerk).action_kefu_send_sheet()
        return order

    def _to_returned(self, order):
        self._to_sheet_sent(order)
        order.with_user(self.clerk).action_kefu_register_return(
            True, **return_proof(order.with_user(self.clerk))
        )
        return order

    def _scan(self, order):
        """A returned scan, as the clerk attaches it to ``order``."""
        return return_proof(order)["attachment_id"]

    def _to_released(self, order):
        self._to_returned(order)
        order.with_user(self.clerk).action_confirm()
        return order

    def _conformity_accepted(self, order, quantity=100):
        """Production completes, the customer's conformity opinion comes back
        accepted (F16): what shipping waits for."""
        self._completion(order, quantity)
        order.with_user(self.clerk).action_kefu_send_conformity()
        order.with_user(self.clerk).action_kefu_register_conformity(True)
        return order

    def _completion(self, order, quantity=100, sign=True):
        """A completion statement by production, signed unless ``sign`` is False."""
        statement = (
            self.env["kefu.completion.statement"]
            .with_user(self.producer)
            .create(
                {
                    "order_id": order.id,
                    "completion_date": datetime.date(2026, 3, 9),
                    "quantity": quantity,
                }
            )
        )
        if sign:
            statement.action_sign()
        return statement

    @classmethod
    def _stock_film(cls):
        """Film on hand, so that released orders' deliveries can be validated."""
        stock = cls.env.ref("stock.warehouse0").lot_stock_id
        cls.env["stock.quant"]._update_available_quantity(cls.film, stock, 10000)

    @contextlib.contextmanager
    def _refused(self, pattern, error=UserError):
        """``error`` matching ``pattern`` is raised and what the call wrote is
        rolled back, as the RPC request's transaction is."""
        with self.assertRaisesRegex(error, pattern) as caught:
            with self.env.cr.savepoint():
                yield caught

    @staticmethod
    def transition(records):
        return transition(records)
