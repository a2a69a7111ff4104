# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The role matrix (tests/role_matrix.py, ROLE_MATRIX), one cell at a time.

Each row is a model or a method and an operation; each column a role of
ROLES, played by the user of KefuCase with the lowest rights that have it. A
cell is ``Y`` (allowed: succeeds), ``A`` (refused with an AccessError: access
rights, record rules or the flow's group checks) or ``U`` (refused with a
UserError: frozen records, fields only the flow may write).

Every cell runs on a record built in the stage it needs, inside a savepoint
that is always rolled back, so that no cell sees what another one did.
"""

import datetime
from contextlib import closing

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from ..tools.kefu_roles import ROLES
from .common import NOW, KefuCase, return_proof
from .role_matrix import ACTION_ARGS, ROLE_MATRIX, matrix_cells

EXPECTED = {"Y": None, "A": AccessError, "U": UserError}

# Records of another company: not readable by anyone of this company, whatever
# the role (played by the clerk, who reads all of them in their own company).
COMPANY_MODELS = (
    "kefu.customer.grade",
    "kefu.order.memo",
    "kefu.tech.confirmation",
    "kefu.production.confirmation",
    "kefu.completion.statement",
    "kefu.monitoring",
    "kefu.sheet.return",
    "sale.order",
)

READ_FIELDS = {
    "kefu.customer.grade": ["name", "code"],
    "kefu.order.memo": ["content"],
    "kefu.tech.confirmation": ["material_note", "state"],
    "kefu.production.confirmation": ["completion_date", "state"],
    "kefu.completion.statement": ["quantity", "state"],
    "kefu.monitoring": ["progress"],
    "kefu.sheet.return": ["accepted"],
    "sale.order": ["name", "kefu_stage"],
}
WRITE_VALS = {
    "kefu.customer.grade": {"backfill_days": 5},
    "kefu.order.memo": {"content": "改写"},
    "kefu.tech.confirmation": {"material_note": "原膜库存 3 吨"},
    "kefu.production.confirmation": {"quantity_note": "120 kg"},
    "kefu.completion.statement": {"quantity": 98},
    "kefu.monitoring": {"progress": "改写"},
    "kefu.sheet.return": {"note": "改写"},
    "sale.order": {"client_order_ref": "PO-2026-001"},
}


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestRoleMatrix(KefuCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman2 = new_test_user(
            cls.env,
            login="salesman2",
            groups="sales_team.group_sale_salesman",
            name="销售员 郑华",
        )
        cls.customer_deposit = cls.env["res.partner"].create(
            {
                "name": "定金客户有限公司",
                "kefu_grade_id": cls.grade_b.id,
                "kefu_deposit_percent": 30.0,
                "is_company": True,
            }
        )
        cls._stock_film()

    def setUp(self):
        super().setUp()
        self._fixtures = {}

    # Stages after the return (see test_after_release) ----------------------
    def _released(self, customer=None, **vals):
        return self._to_released(self._order(customer, **vals))

    def _shipped(self):
        order = self._conformity_accepted(self._released(self.customer_a))
        picking = order.picking_ids
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        picking.button_validate()
        self.assertEqual(order.kefu_stage, "shipped")
        return order

    # Fixtures: built once per test, outside the cells' savepoints ------------
    def _fixture(self, name):
        if name not in self._fixtures:
            self._fixtures[name] = getattr(self, f"_fixture_{name}")()
        return self._fixtures[name]

    def _fixture_intake(self):
        return self._order()

    def _fixture_intake_other(self):
        return self._order(user_id=self.salesman2.id)

    def _fixture_portal_order(self):
        order = self._order(self.portal.partner_id, user_id=self.salesman2.id)
        order.message_subscribe(partner_ids=self.portal.partner_id.ids)
        return order

    def _fixture_review(self):
        return self._to_review(self._order())

    def _fixture_mismatch(self):
        order = self._to_review(self._order(lines=[self._line(price=25.0)]))
        self.assertEqual(order.kefu_price_state, "mismatch")
        return order

    def _fixture_escalated(self):
        order = self._to_review(self._order(lines=[self._line(price=25.0)]))
        order.with_user(self.clerk).action_kefu_escalate_prices()
        return order

    def _fixture_formula_changed(self):
        order = self._to_review(self._order())
        self._sign_tech(order, formula_changed=True)
        self.assertTrue(order.kefu_formula_choice_needed)
        return order

    def _fixture_loosened(self):
        order = self._to_review(self._order())
        self._sign_tech(order)
        self._sign_production(order)
        order.with_user(self.clerk).kefu_sheet_date = datetime.date(2026, 3, 12)
        self.assertTrue(order.kefu_sheet_date_agreement_needed)
        return order

    def _fixture_out_of_tolerance(self):
        order = self._released()
        self._completion(order, 80)
        self.assertTrue(order.kefu_quantity_out_of_tolerance)
        return order

    def _fixture_review_signed(self):
        order = self._to_review(self._order())
        self._sign_tech(order)
        self._sign_production(order)
        return order

    def _fixture_sheet_sent(self):
        return self._to_sheet_sent(self._order())

    def _fixture_returned(self):
        return self._to_returned(self._order())

    def _fixture_returned_deposit(self):
        order = self._to_returned(self._order(self.customer_deposit))
        self.assertEqual(order.kefu_deposit_state, "awaiting")
        return order

    def _fixture_released(self):
        order = self._released()
        self.assertEqual(order.kefu_ship_state, "awaiting_payment")
        return order

    def _fixture_paid(self):
        order = self._released()
        order.with_user(self.finance).action_kefu_confirm_payment()
        return order

    def _fixture_completed(self):
        order = self._released()
        self._completion(order)
        return order

    def _fixture_conformity_sent(self):
        order = self._fixture_completed()
        order.with_user(self.clerk).action_kefu_send_conformity()
        return order

    def _fixture_shipped(self):
        return self._shipped()

    def _fixture_grade(self):
        return self.env["kefu.customer.grade"].create({"name": "丁级", "code": "D"})

    def _fixture_memo(self):
        return (
            self.env["kefu.order.memo"]
            .with_user(self.clerk)
            .create({"order_id": self._fixture("review").id, "content": "客户来电"})
        )

    def _fixture_tech_draft(self):
        """Opened by the clerk, answered (not yet signed) by technical."""
        request = (
            self.env["kefu.tech.confirmation"]
            .with_user(self.clerk)
            .create(
                {
                    "order_id": self._fixture("review").id,
                    "request_note": "能否按原配方生产？",
                }
            )
        )
        request.with_user(self.technician).write(
            {"can_produce": True, "material_note": "BOPP 原膜库存 5 吨"}
        )
        return request

    def _fixture_tech_signed(self):
        order = self._fixture("review_signed")
        return order.kefu_tech_confirmation_ids.filtered(
            lambda rec: rec.state == "signed"
        )

    def _fixture_prod_draft(self):
        """Opened by the clerk after the technical raw-material statement
        (production signs after it), answered (not yet signed) by production."""
        order = self._to_review(self._order())
        self._sign_tech(order)
        request = (
            self.env["kefu.production.confirmation"]
            .with_user(self.clerk)
            .create(
                {
                    "order_id": order.id,
                    "request_note": "请确认生产日期与完成日期",
                    "request_deadline": datetime.date(2026, 3, 4),
                }
            )
        )
        request.with_user(self.producer).write(
            {
                "production_date": datetime.date(2026, 3, 5),
                "completion_date": datetime.date(2026, 3, 10),
            }
        )
        return request

    def _fixture_prod_signed(self):
        order = self._fixture("review_signed")
        return order.kefu_production_confirmation_ids.filtered(
            lambda rec: rec.state == "signed"
        )

    def _fixture_completion_draft(self):
        return self._completion(self._fixture("released"), sign=False)

    def _fixture_completion_signed(self):
        return self._fixture("completed").kefu_completion_statement_ids

    def _fixture_monitoring(self):
        return (
            self.env["kefu.monitoring"]
            .with_user(self.assistant)
            .create({"order_id": self._fixture("released").id, "progress": "印刷中"})
        )

    def _fixture_problem(self):
        entry = (
            self.env["kefu.monitoring"]
            .with_user(self.assistant)
            .create(
                {
                    "order_id": self._fixture("released").id,
                    "progress": "复卷延误",
                    "is_problem": True,
                }
            )
        )
        self.assertTrue(entry.is_open_problem)
        return entry

    def _fixture_sheet_return(self):
        return self._fixture("returned").kefu_return_ids

    # Cells ------------------------------------------------------------------
    def _create_vals(self, model, order):
        return {
            "kefu.customer.grade": {"name": "戊级", "code": "E"},
            "kefu.order.memo": {"order_id": order.id, "content": "客户来电"},
            "kefu.tech.confirmation": {
                "order_id": order.id,
                "request_note": "能否按原配方生产？",
            },
            "kefu.production.confirmation": {
                "order_id": order.id,
                "request_note": "请确认生产日期与完成日期",
            },
            "kefu.completion.statement": {
                "order_id": order.id,
                "completion_date": datetime.date(2026, 3, 9),
                "quantity": 100,
            },
            "kefu.monitoring": {"order_id": order.id, "progress": "印刷中"},
            "kefu.sheet.return": {
                "order_id": order.id,
                "accepted": True,
                "recorded_by": self.clerk.id,
                "recorded_at": datetime.datetime(2026, 3, 2, 2, 0),
            },
        }[model]

    def _run_cell(self, model, operation, record, user):
        if operation == "create":
            vals = self._create_vals(model, record)
            return self.env[model].with_user(user).create(vals)
        if model != record._name:
            raise AssertionError(f"fixture {record} is not a {model}")
        record = record.with_user(user)
        if operation == "read":
            return record.read(READ_FIELDS[model])
        if operation == "write":
            return record.write(WRITE_VALS[model])
        if operation == "write_workflow":
            return record.write({"kefu_stage": "done"})
        if operation == "unlink":
            return record.unlink()
        # The proof of a return is made by someone who may attach it.
        kwargs = (
            return_proof(record.sudo())
            if operation == "action_kefu_register_return"
            else {}
        )
        return getattr(record, operation)(*ACTION_ARGS.get(operation, ()), **kwargs)

    def _check_cell(self, model, operation, record, user, code):
        """Run one cell in a savepoint that is always rolled back."""
        with closing(self.env.cr.savepoint()):
            # A fresh cache, as in an RPC call: every read checks access.
            self.env.invalidate_all()
            expected = EXPECTED[code]
            if expected is None:
                self._run_cell(model, operation, record, user)
                self.env.flush_all()
            else:
                with self.assertRaises(expected):
                    self._run_cell(model, operation, record, user)
                    self.env.flush_all()
        self.env.invalidate_all()

    def test_role_matrix(self):
        for model, operation, fixture, role, code in matrix_cells(ROLES):
            record = self._fixture(fixture)
            with self.subTest(
                role=role, model=model, operation=operation, fixture=fixture
            ):
                self._check_cell(model, operation, record, getattr(self, role), code)

    def test_other_company_records_are_not_readable(self):
        other = self.env["res.company"].create({"name": "其他公司"})
        Order = self.env["sale.order"].with_company(other)
        order = Order.create(
            {
                "partner_id": self.customer_b.id,
                "company_id": other.id,
                "order_line": [self._line()],
            }
        )
        self.transition(order).write({"kefu_stage": "released"})
        records = {
            "sale.order": order,
            "kefu.customer.grade": self.env["kefu.customer.grade"].create(
                {"name": "其他公司甲级", "code": "OA", "company_id": other.id}
            ),
            "kefu.order.memo": self.env["kefu.order.memo"].create(
                {"order_id": order.id, "content": "客户来电"}
            ),
            "kefu.tech.confirmation": self.env["kefu.tech.confirmation"].create(
                {"order_id": order.id, "material_note": "x"}
            ),
            "kefu.production.confirmation": self.env[
                "kefu.production.confirmation"
            ].create({"order_id": order.id}),
            "kefu.completion.statement": self.env["kefu.completion.statement"].create(
                {"order_id": order.id, "quantity": 100}
            ),
            "kefu.monitoring": self.env["kefu.monitoring"].create(
                {"order_id": order.id, "progress": "印刷中"}
            ),
            "kefu.sheet.return": self.env["kefu.sheet.return"].create(
                {
                    "order_id": order.id,
                    "accepted": True,
                    "recorded_by": self.clerk.id,
                    "recorded_at": datetime.datetime(2026, 3, 2, 2, 0),
                }
            ),
        }
        self.assertEqual(set(records), set(COMPANY_MODELS))
        for model in COMPANY_MODELS:
            self.assertEqual(records[model].company_id, other, model)
            with self.subTest(model=model):
                # The same user reads the same kind of record in its own company.
                self._check_cell(model, "read", records[model], self.clerk, "A")

    def test_cell_count(self):
        cells = list(matrix_cells(ROLES))
        self.assertEqual(len(cells), len(ROLE_MATRIX) * len(ROLES))
        self.assertEqual(
            len({cell[:4] for cell in cells}), len(cells), "a cell is listed twice"
        )
