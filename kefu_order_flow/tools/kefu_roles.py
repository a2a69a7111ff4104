# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The roles of the order flow and what each may do, in one place, without Odoo.

Read by the add-on's tests (the users of ``tests/common.py``, the columns and
cells of ``tests/test_role_matrix.py``) and checked by ``tests/test_roles.py``
(pytest, no Odoo) against ``security/kefu_security.xml``, the demo users of
``demo/kefu_demo_company.xml``, ``README.md`` and ``readme/CONFIGURE.md``.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Role:
    key: str  # test user login and attribute (KefuCase.clerk), matrix row key
    column: str  # column of the role matrix in readme/CONFIGURE.md
    label: str  # English word for the column in readme/CONFIGURE.md
    name_zh: str  # the role's Chinese name
    group: str  # xml id of the group that makes the role
    person: str  # the role's person, in the demo and in the tests
    demo_login: str = ""  # login (and password) of the demo user
    group_name: str = ""  # name of the add-on's group (kefu_security.xml)
    implies: str = ""  # key of the role whose rights this one includes
    summary: str = ""  # what the role does, in README.md
    duties: str = ""  # what the group does, in readme/CONFIGURE.md
    home: str = ""  # xml id of the action the demo user opens on (its action_id)

    @property
    def is_kefu(self):
        """Whether the role is a group of this add-on."""
        return self.group.startswith("kefu_order_flow.")

    @property
    def test_name(self):
        return f"{self.name_zh} {self.person}" if self.person else self.name_zh


ROLES = (
    Role(
        "clerk",
        "Clk",
        "clerk",
        "客服专员",
        "kefu_order_flow.group_kefu_clerk",
        "王芳",
        "kefu_clerk",
        "Customer Service Clerk",
        implies="assistant",
        summary="records and checks orders, sends the sheet, registers the return, "
        "releases",
        duties="records orders and the memo, checks completeness and prices, asks "
        "for the confirmations, prints and sends the sheet, registers the signed "
        "return, releases the production order",
        home="kefu_order_flow.sale_order_action_kefu",
    ),
    Role(
        "assistant",
        "Ast",
        "assistant",
        "客服助理",
        "kefu_order_flow.group_kefu_assistant",
        "李娜",
        "kefu_assistant",
        "Customer Service Assistant",
        summary="follows production of released orders",
        duties="follows released orders: progress, quality, quantity, timing (F15)",
        home="kefu_order_flow.kefu_monitoring_action",
    ),
    Role(
        "supervisor",
        "Sup",
        "supervisor",
        "客服主管",
        "kefu_order_flow.group_kefu_supervisor",
        "张伟",
        "kefu_supervisor",
        "Customer Service Supervisor",
        implies="clerk",
        summary="confirms doubtful prices, overrides gates with a reason, maintains "
        "grades",
        duties="everything a clerk does, plus confirming doubtful prices, "
        "maintaining customer grades and, as the one sanctioned way around the "
        "gate, releasing despite blockers with a written reason (*Override Gate*)",
        home="kefu_order_flow.sale_order_action_kefu",
    ),
    Role(
        "director",
        "Dir",
        "director",
        "营销总监",
        "kefu_order_flow.group_kefu_director",
        "刘强",
        "kefu_director",
        "Marketing Director",
        implies="supervisor",
        summary="final word on doubtful prices and specifications",
        duties="everything a supervisor does; the final word on doubtful prices and "
        "specifications (F5)",
        home="kefu_order_flow.sale_order_action_kefu",
    ),
    Role(
        "technician",
        "Tec",
        "technical",
        "技术部",
        "kefu_order_flow.group_kefu_technical",
        "陈建国",
        "kefu_technician",
        "Technical Department",
        summary="creates and signs technical confirmations",
        duties="creates and signs technical confirmations: feasibility, formula, "
        "raw-material statement (F6, F7)",
        home="kefu_order_flow.kefu_tech_confirmation_action",
    ),
    Role(
        "producer",
        "Prd",
        "production",
        "生产部",
        "kefu_order_flow.group_kefu_production",
        "赵海涛",
        "kefu_production",
        "Production Department",
        summary="creates and signs production confirmations",
        duties="creates and signs production confirmations: production and "
        "completion dates, quantity (F8)",
        home="kefu_order_flow.sale_order_action_kefu_production",
    ),
    Role(
        "finance",
        "Fin",
        "finance",
        "财务",
        "kefu_order_flow.group_kefu_finance",
        "孙丽",
        "kefu_finance",
        "Finance",
        summary="confirms deposits and payments, approves shipping",
        duties="confirms deposits and payments, approves shipping for grades that "
        "require payment (F12, F18)",
        home="kefu_order_flow.sale_order_action_kefu_finance",
    ),
    Role(
        "shipper",
        "Shp",
        "shipping",
        "发货/仓库",
        "kefu_order_flow.group_kefu_shipping",
        "周德明",
        "kefu_shipping",
        "Shipping / Warehouse",
        summary="ships approved orders",
        duties="ships orders once finance has approved them (F18); customer "
        "service records the arrival for A-grade customers (F17)",
        home="kefu_order_flow.stock_picking_action_kefu_ready",
    ),
    # Odoo's own roles, as the flow meets them.
    Role(
        "salesman",
        "Sal",
        "salesperson",
        "销售员",
        "sales_team.group_sale_salesman",
        "吴明",
        "kefu_salesman",
        home="sale.action_quotations_with_onboarding",
    ),
    Role("portal", "Prt", "portal", "门户用户", "base.group_portal", ""),
)

ROLE_BY_KEY = {role.key: role for role in ROLES}

# What each role may do (readme/CONFIGURE.md, "Role matrix"), checked cell by
# cell by tests/test_role_matrix.py. One row per model or method and operation,
# on a record in the state the fixture builds; one code per role, in the order
# of ROLES: Y allowed, A refused with an AccessError (access rights, record
# rules, the flow's group checks), U refused with a UserError (frozen records,
# fields only the flow may write).
#   columns: clerk assistant supervisor director technician producer finance
#            shipper salesman portal
ROLE_MATRIX = (
    # Customer grades: everyone internal reads, supervisors maintain.
    ("kefu.customer.grade", "create", "intake", "A A Y Y A A A A A A"),
    ("kefu.customer.grade", "read", "grade", "Y Y Y Y Y Y Y Y Y A"),
    ("kefu.customer.grade", "write", "grade", "A A Y Y A A A A A A"),
    ("kefu.customer.grade", "unlink", "grade", "A A Y Y A A A A A A"),
    # Memo: customer service writes entries, never edits or deletes them.
    ("kefu.order.memo", "create", "intake", "Y Y Y Y A A A A A A"),
    ("kefu.order.memo", "read", "memo", "Y Y Y Y Y Y Y A A A"),
    ("kefu.order.memo", "write", "memo", "U U U U U U U U U U"),
    ("kefu.order.memo", "unlink", "memo", "U U U U U U U U U U"),
    # Technical confirmation: the clerk opens a request, technical answers and signs.
    ("kefu.tech.confirmation", "create", "review", "Y A Y Y Y A A A A A"),
    ("kefu.tech.confirmation", "read", "tech_draft", "Y Y Y Y Y Y Y A A A"),
    # The answer is the department's: customer service only opens the request.
    ("kefu.tech.confirmation", "write", "tech_draft", "U A U U Y A A A A A"),
    ("kefu.tech.confirmation", "unlink", "tech_draft", "A A A A Y A A A A A"),
    ("kefu.tech.confirmation", "write", "tech_signed", "U U U U U U U A A A"),
    ("kefu.tech.confirmation", "unlink", "tech_signed", "A A A A U A A A A A"),
    ("kefu.tech.confirmation", "action_sign", "tech_draft", "A A A A Y A A A A A"),
    # Production confirmation: the clerk opens a request, production answers, signs.
    ("kefu.production.confirmation", "create", "review", "Y A Y Y A Y A A A A"),
    ("kefu.production.confirmation", "read", "prod_draft", "Y Y Y Y Y Y Y A A A"),
    ("kefu.production.confirmation", "write", "prod_draft", "U A U U A Y A A A A"),
    ("kefu.production.confirmation", "unlink", "prod_draft", "A A A A A Y A A A A"),
    ("kefu.production.confirmation", "write", "prod_signed", "U U U U U U U A A A"),
    ("kefu.production.confirmation", "unlink", "prod_signed", "A A A A A U A A A A"),
    (
        "kefu.production.confirmation",
        "action_sign",
        "prod_draft",
        "A A A A A Y A A A A",
    ),
    # Completion statement (F15): production only writes and signs.
    ("kefu.completion.statement", "create", "released", "A A A A A Y A A A A"),
    ("kefu.completion.statement", "read", "completion_draft", "Y Y Y Y A Y Y Y A A"),
    ("kefu.completion.statement", "write", "completion_draft", "A A A A A Y A A A A"),
    ("kefu.completion.statement", "unlink", "completion_draft", "A A A A A Y A A A A"),
    ("kefu.completion.statement", "write", "completion_signed", "U U U U A U U U A A"),
    (
        "kefu.completion.statement",
        "unlink",
        "completion_signed",
        "A A A A A U A A A A",
    ),
    (
        "kefu.completion.statement",
        "action_sign",
        "completion_draft",
        "A A A A A Y A A A A",
    ),
    # Monitoring (F15): customer service records and resolves, entries are kept.
    ("kefu.monitoring", "create", "released", "Y Y Y Y A A A A A A"),
    ("kefu.monitoring", "read", "monitoring", "Y Y Y Y A Y Y Y A A"),
    ("kefu.monitoring", "write", "monitoring", "U U U U U U U U U U"),
    ("kefu.monitoring", "unlink", "monitoring", "U U U U U U U U U U"),
    ("kefu.monitoring", "action_resolve", "problem", "Y Y Y Y A A A A A A"),
    # Returned documents: only the flow records them.
    ("kefu.sheet.return", "create", "returned", "A A A A A A A A A A"),
    ("kefu.sheet.return", "read", "sheet_return", "Y Y Y Y A A Y Y A A"),
    ("kefu.sheet.return", "write", "sheet_return", "U U U U U U U U U U"),
    ("kefu.sheet.return", "unlink", "sheet_return", "U U U U U U U U U U"),
    # Orders: record rules (own orders, departments from review on).
    ("sale.order", "read", "intake", "Y Y Y Y A A A Y Y A"),
    ("sale.order", "read", "review", "Y Y Y Y Y Y Y Y Y A"),
    ("sale.order", "read", "intake_other", "Y Y Y Y A A A Y A A"),
    ("sale.order", "read", "portal_order", "Y Y Y Y A A A Y A Y"),
    # Finance writes only the orders it may read (not in intake).
    ("sale.order", "write", "intake", "Y Y Y Y A A A Y Y A"),
    ("sale.order", "write", "review", "Y Y Y Y A A Y Y Y A"),
    ("sale.order", "write", "intake_other", "Y Y Y Y A A A Y A A"),
    ("sale.order", "write_workflow", "review", "U U U U U U U U U U"),
    # The flow's transitions, each on an order in the stage it needs.
    ("sale.order", "action_kefu_start_review", "intake", "Y A Y Y A A A A A A"),
    ("sale.order", "action_kefu_check_prices", "intake", "Y A Y Y A A A A A A"),
    ("sale.order", "action_kefu_escalate_prices", "mismatch", "Y A Y Y A A A A A A"),
    # Doubts are confirmed after escalation, never by customer service itself.
    ("sale.order", "action_kefu_confirm_prices", "escalated", "A A Y Y A A A A Y A"),
    ("sale.order", "action_kefu_flag_spec_doubt", "review", "Y A Y Y A A A A A A"),
    (
        "sale.order",
        "action_kefu_record_formula_choice",
        "formula_changed",
        "Y A Y Y A A A A A A",
    ),
    ("sale.order", "action_kefu_agree_sheet_date", "loosened", "A A Y Y A A A A Y A"),
    ("sale.order", "action_kefu_send_sheet", "review_signed", "Y A Y Y A A A A A A"),
    (
        "sale.order",
        "action_kefu_mark_sheet_received",
        "sheet_sent",
        "Y A Y Y A A A A A A",
    ),
    ("sale.order", "action_kefu_register_return", "sheet_sent", "Y A Y Y A A A A A A"),
    (
        "sale.order",
        "action_kefu_confirm_deposit",
        "returned_deposit",
        "A A A A A A Y A A A",
    ),
    (
        "sale.order",
        "action_kefu_send_deposit",
        "returned_deposit",
        "Y A Y Y A A A A A A",
    ),
    # Called by a portal user (not through the portal's sudo), release refuses
    # like any other step instead of acting on an order it cannot write.
    ("sale.order", "action_confirm", "returned", "Y A Y Y A A A A A A"),
    (
        "sale.order",
        "action_kefu_override_release",
        "sheet_sent",
        "A A Y Y A A A A A A",
    ),
    (
        "sale.order",
        "action_kefu_acknowledge_production",
        "released",
        "A A A A A Y A A A A",
    ),
    (
        "sale.order",
        "action_kefu_accept_quantity",
        "out_of_tolerance",
        "A A Y Y A A A A A A",
    ),
    ("sale.order", "action_kefu_send_conformity", "completed", "Y A Y Y A A A A A A"),
    (
        "sale.order",
        "action_kefu_register_conformity",
        "conformity_sent",
        "Y A Y Y A A A A A A",
    ),
    ("sale.order", "action_kefu_confirm_payment", "released", "A A A A A A Y A A A"),
    (
        "sale.order",
        "action_kefu_grant_payment_exception",
        "released",
        "A A A A A A Y A A A",
    ),
    ("sale.order", "action_kefu_approve_shipping", "paid", "A A A A A A Y A A A"),
    ("sale.order", "action_kefu_confirm_arrival", "shipped", "Y A Y Y A A A A A A"),
    ("sale.order", "action_kefu_change_order", "released", "Y A Y Y A A A A A A"),
    # Cancelling: customer service before the release; after it, the supervisor
    # with a reason (Odoo's action_cancel then refuses everyone, see test_cancel).
    ("sale.order", "action_cancel", "review", "Y A Y Y A A A A A A"),
    (
        "sale.order",
        "action_kefu_cancel_released",
        "released",
        "A A Y Y A A A A A A",
    ),
)


def matrix_cells():
    """One (model, operation, fixture, role key, code) per cell of ROLE_MATRIX."""
    for model, operation, fixture, expected in ROLE_MATRIX:
        codes = expected.split()
        if len(codes) != len(ROLES):
            raise ValueError(f"{model} {operation} {fixture}: {len(codes)} codes")
        for role, code in zip(ROLES, codes, strict=True):
            yield model, operation, fixture, role.key, code
