# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import datetime
import re

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import NOW, PRICE_REASON, KefuCase, return_proof

D = datetime.date
CJK = re.compile(r"[\u4e00-\u9fff]")


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestBadInput(KefuCase):
    """Each bad input gets a clear, translated error and changes nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._load_zh_cn()

    def _snapshot(self, order):
        """What a failed call must leave as it was."""
        order.invalidate_recordset()
        return (
            order.read(
                [
                    "kefu_stage",
                    "kefu_return_state",
                    "kefu_price_state",
                    "kefu_deposit_state",
                    "kefu_sheet_version",
                    "kefu_ship_state",
                    "kefu_special_notes",
                    "kefu_requested_date",
                    "state",
                ]
            ),
            order.order_line.read(
                ["kefu_tolerance_pct", "kefu_spec", "product_uom_qty"]
            ),
            len(order.kefu_memo_ids),
            len(order.kefu_return_ids),
            order.kefu_tech_confirmation_ids.mapped("state"),
            order.kefu_production_confirmation_ids.mapped("state"),
            self.customer_b.read(["kefu_deposit_percent", "kefu_grade_id"]),
            self.grade_b.read(["deposit_percent", "code"]),
            self.env["kefu.customer.grade"].search_count([]),
        )

    def _cases(self, env):
        """(name, call) of each bad input, with errors in ``env``'s language."""
        o = self.order.with_env(env)
        clerk = o.with_user(self.clerk)
        line = o.order_line.with_user(self.clerk)
        tech = env["kefu.tech.confirmation"].with_user(self.technician)
        prod = env["kefu.production.confirmation"].with_user(self.producer)
        grade = env["kefu.customer.grade"].with_user(self.supervisor)
        grade_b = self.grade_b.with_env(env).with_user(self.supervisor)
        partner = self.customer_b.with_env(env).with_user(self.supervisor)

        def sign(model, **vals):
            return lambda: model.create({"order_id": o.id, **vals}).action_sign()

        return [
            ("deposit -1", lambda: partner.write({"kefu_deposit_percent": -1})),
            ("deposit 150", lambda: partner.write({"kefu_deposit_percent": 150})),
            ("grade deposit 101", lambda: grade_b.write({"deposit_percent": 101})),
            ("grade deposit -5", lambda: grade_b.write({"deposit_percent": -5})),
            ("duplicate code", lambda: grade.create({"name": "X", "code": "B"})),
            ("duplicate code, case", lambda: grade.create({"name": "X", "code": "b"})),
            ("empty code", lambda: grade.create({"name": "X", "code": "  "})),
            (
                "over-long code",
                lambda: grade.create({"name": "X", "code": "ABCDEFGHI"}),
            ),
            ("tolerance -1", lambda: line.write({"kefu_tolerance_pct": -1})),
            ("tolerance 101", lambda: line.write({"kefu_tolerance_pct": 101})),
            ("over-long spec", lambda: line.write({"kefu_spec": "宽" * 201})),
            (
                "over-long notes",
                lambda: clerk.write({"kefu_special_notes": "x" * 4001}),
            ),
            (
                "requested 1900",
                lambda: clerk.write({"kefu_requested_date": D(1900, 1, 1)}),
            ),
            (
                "requested 2099",
                lambda: clerk.write({"kefu_requested_date": D(2099, 1, 1)}),
            ),
            (
                "quantity 0",
                lambda: (
                    line.write({"product_uom_qty": 0}),
                    clerk.action_kefu_start_review(),
                ),
            ),
            (
                "quantity -5",
                lambda: (
                    line.write({"product_uom_qty": -5}),
                    clerk.action_kefu_start_review(),
                ),
            ),
            (
                "price 0",
                lambda: (
                    line.write({"price_unit": 0}),
                    clerk.action_kefu_start_review(),
                ),
            ),
            (
                "empty memo",
                lambda: clerk.write(
                    {"kefu_memo_ids": [Command.create({"content": " "})]}
                ),
            ),
            (
                "over-long memo",
                lambda: clerk.write(
                    {"kefu_memo_ids": [Command.create({"content": "记" * 4001})]}
                ),
            ),
            ("empty raw material", sign(tech, material_note=False)),
            ("blank raw material", sign(tech, material_note=" \n ")),
            (
                "completion before production",
                sign(
                    prod, production_date=D(2026, 3, 9), completion_date=D(2026, 3, 5)
                ),
            ),
            (
                "completion in the past",
                sign(
                    prod, production_date=D(2026, 2, 1), completion_date=D(2026, 2, 5)
                ),
            ),
            (
                "completion far ahead",
                sign(
                    prod, production_date=D(2026, 3, 5), completion_date=D(2031, 1, 1)
                ),
            ),
            ("production without dates", sign(prod)),
            ("sheet before review", lambda: clerk.action_kefu_send_sheet()),
            (
                "return before sheet",
                lambda: clerk.action_kefu_register_return(True, **return_proof(clerk)),
            ),
            (
                "confirm prices unchecked",
                lambda: clerk.action_kefu_confirm_prices(PRICE_REASON),
            ),
            ("escalate without mismatch", lambda: clerk.action_kefu_escalate_prices()),
            (
                "deposit not due",
                lambda: o.with_user(self.finance).action_kefu_confirm_deposit(),
            ),
            (
                "payment before release",
                lambda: o.with_user(self.finance).action_kefu_confirm_payment(),
            ),
            (
                "arrival before shipping",
                lambda: clerk.action_kefu_confirm_arrival("张三"),
            ),
            (
                "override without reason",
                lambda: o.with_user(self.supervisor).action_kefu_override_release(" "),
            ),
            ("release in intake", lambda: clerk.action_confirm()),
            ("blank spec doubt", lambda: clerk.action_kefu_flag_spec_doubt("  ")),
            (
                "over-long spec doubt",
                lambda: clerk.action_kefu_flag_spec_doubt("疑" * 201),
            ),
            (
                "formula choice in intake",
                lambda: clerk.action_kefu_record_formula_choice("new"),
            ),
            (
                "sheet date agreed in intake",
                lambda: o.with_user(self.salesman).action_kefu_agree_sheet_date(
                    "月结客户"
                ),
            ),
            (
                "agreement written in another's name",
                lambda: clerk.write({"kefu_sheet_date_agreed_by": self.salesman.id}),
            ),
            (
                "quantity accepted before release",
                lambda: o.with_user(self.supervisor).action_kefu_accept_quantity(
                    "客户同意"
                ),
            ),
            (
                "payment exception before release",
                lambda: o.with_user(self.finance).action_kefu_grant_payment_exception(
                    "老客户"
                ),
            ),
        ]

    def test_bad_inputs_refused_cleanly(self):
        self.order = self._order(
            order_line=[self._line(kefu_spec="20μm × 1000mm, PET/AL/PE 三层")]
        )
        self.assertGreaterEqual(len(self._cases(self.env)), 25)
        for lang in ("en_US", "zh_CN"):
            env = self.env(context=dict(self.env.context, lang=lang))
            cases = self._cases(env)
            for name, call in cases:
                with self.subTest(case=name, lang=lang):
                    before = self._snapshot(self.order)
                    with self.assertRaises(UserError) as caught:
                        with self.env.cr.savepoint():
                            call()
                            self.env.flush_all()
                    message = str(caught.exception)
                    self.assertTrue(message.strip())
                    if lang == "zh_CN":
                        self.assertRegex(message, CJK, f"{name}: not translated")
                    self.assertEqual(self._snapshot(self.order), before, name)

    def test_unknown_grade_code_on_import(self):
        result = (
            self.env["res.partner"]
            .with_user(self.supervisor)
            .load(["name", "kefu_grade_id"], [["导入客户", "Z级"]])
        )
        self.assertFalse(result["ids"])
        self.assertTrue(result["messages"])
        self.assertFalse(self.env["res.partner"].search([("name", "=", "导入客户")]))

    def test_mixed_scripts_are_accepted(self):
        order = self._order(
            kefu_special_notes="Logo 居中, ±0.5 mm; 注意 «BOPP» ≠ CPP",
            order_line=[
                self._line(
                    kefu_spec="20µm PET/AL/PE 镀铝 Ø76mm", kefu_packaging="Pallet 托盘"
                )
            ],
        )
        self.assertFalse(order.kefu_missing_items)
        order.with_user(self.clerk).action_kefu_start_review()
        self.assertEqual(order.kefu_stage, "review")
