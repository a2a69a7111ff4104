# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The role matrix the tests hold the add-on to, without Odoo: read by
test_role_matrix.py (cell by cell, in Odoo) and by the repository's
tests/test_roles.py (against readme/CONFIGURE.md)."""

# What each role may do (readme/CONFIGURE.md, "Role matrix"), checked cell by
# cell by tests/test_role_matrix.py. One row per model or method and operation,
# on a record in the state the fixture builds; one code per role, in the order
# of ROLES (tools/kefu_roles.py): Y allowed, A refused with an AccessError
# (access rights, record rules, the flow's group checks), U refused with a
# UserError (frozen records, fields only the flow may write).
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
    (
        "sale.order",
        "action_kefu_request_confirmations",
        "review",
        "Y A Y Y A A A A A A",
    ),
    ("sale.order", "action_kefu_escalate_prices", "mismatch", "Y A Y Y A A A A A A"),
    # Doubts are confirmed after escalation, never by customer service itself.
    ("sale.order", "action_kefu_confirm_prices", "escalated", "A A Y Y A A A A Y A"),
    ("sale.order", "action_kefu_flag_spec_doubt", "review", "Y A Y Y A A A A A A"),
    (
        "sale.order",
        "action_kefu_answer_technical",
        "review",
        "A A A A Y A A A A A",
    ),
    (
        "sale.order",
        "action_kefu_answer_production",
        "review",
        "A A A A A Y A A A A",
    ),
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
        "action_kefu_answer_completion",
        "released",
        "A A A A A Y A A A A",
    ),
    ("sale.order", "action_kefu_deliver", "released", "A A A A A A A Y A A"),
    ("sale.order", "action_kefu_monitor", "released", "Y Y Y Y A A A A A A"),
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


def matrix_cells(roles):
    """One (model, operation, fixture, role key, code) per cell of ROLE_MATRIX,
    ``roles`` in the order of its columns (tools/kefu_roles.py's ROLES)."""
    for model, operation, fixture, expected in ROLE_MATRIX:
        codes = expected.split()
        if len(codes) != len(roles):
            raise ValueError(f"{model} {operation} {fixture}: {len(codes)} codes")
        for role, code in zip(roles, codes, strict=True):
            yield model, operation, fixture, role.key, code


# The arguments each step is called with by the tests that take every step
# (the role matrix, the row lock).
ACTION_ARGS = {
    "action_kefu_register_return": (True,),
    "action_kefu_register_conformity": (True,),
    "action_kefu_override_release": ("客户急单，主管批准",),
    "action_kefu_confirm_arrival": ("采购 小李",),
    "action_kefu_change_order": ("客户要求改数量",),
    "action_kefu_request_confirmations": ("请确认能否生产及完成日期", "2026-03-04"),
    "action_kefu_flag_spec_doubt": ("厚度 20μm 还是 25μm",),
    "action_kefu_confirm_prices": ("老客户协议价，业务员确认",),
    "action_kefu_record_formula_choice": ("new",),
    "action_kefu_agree_sheet_date": ("月结客户, 不急",),
    "action_kefu_accept_quantity": ("客户同意少交 20 kg",),
    "action_kefu_grant_payment_exception": ("老客户, 月结, 总监同意",),
    "action_resolve": ("已调整排产",),
    "action_kefu_cancel_released": ("客户取消订单，主管同意",),
}
