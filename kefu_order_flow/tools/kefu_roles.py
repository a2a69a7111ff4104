# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The roles of the order flow, in one place, without Odoo: the groups the
add-on's code names, the tests' users and the demo users.

Read by the add-on's tests (the users of ``tests/common.py``, the columns of
the role matrix, ``tests/role_matrix.py``) and checked by ``tests/test_roles.py``
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
    # xml id of the action the demo user opens on (its action_id): My Work,
    # what waits for it, for every department
    home: str = ""

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
        home="kefu_order_flow.sale_order_action_kefu_my_work",
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
        home="kefu_order_flow.sale_order_action_kefu_my_work",
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
        home="kefu_order_flow.sale_order_action_kefu_my_work",
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
        home="kefu_order_flow.sale_order_action_kefu_my_work",
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
        home="kefu_order_flow.sale_order_action_kefu_my_work",
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
        home="kefu_order_flow.sale_order_action_kefu_my_work",
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
        home="kefu_order_flow.sale_order_action_kefu_my_work",
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
        home="kefu_order_flow.sale_order_action_kefu_my_work",
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
