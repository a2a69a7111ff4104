# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The order flow, declared once: each row of ``KEFU_FLOW`` is one step (its
columns: kefu_step.py), read by kefu_flow_mixin.py."""

from odoo.tools.translate import LazyTranslate

from .kefu_common import (
    ACT,
    GROUP_ASSISTANT,
    GROUP_CLERK,
    GROUP_DIRECTOR,
    GROUP_FINANCE,
    GROUP_PRODUCTION,
    GROUP_SHIPPING,
    GROUP_SUPERVISOR,
    GROUP_TECHNICAL,
    KEFU_OPEN_STAGES,
    KEFU_RELEASED_STAGES,
)
from .kefu_step import Step, Tell

_lt = LazyTranslate(__name__)


# The planned date slipped while the signed sheet was missing (F13), said when
# the slip stops (the return, or an early release).
SLIPPED = Tell(
    _lt(
        "The delivery date slipped %(days)s day(s) while the signed sheet was "
        "missing: planned date %(date)s."
    ),
    when=[("kefu_slip_days", ">", 0)],
)
# Once the customer signed, the deposit is due (F12): the customer is sent the
# notice, the salesperson follows it, finance confirms it.
DEPOSIT = [("kefu_stage", "=", "returned"), ("kefu_deposit_state", "=", "awaiting")]
CANCELLED = _lt("Production order %(order)s cancelled by %(user)s. Reason: %(reason)s")

KEFU_FLOW = {
    "start_review": Step(
        "action_kefu_start_review",
        ("intake",),
        "review",
        (GROUP_CLERK,),
        flag="Can Start Review",
        lead=60,
    ),
    "check_prices": Step(
        "action_kefu_check_prices",
        ("intake", "review"),
        None,
        (GROUP_CLERK,),
        flag="Can Check Prices",
        lead=70,
        lead_when=[("kefu_price_state", "=", "unchecked")],
    ),
    "request_confirmations": Step(
        "action_kefu_request_confirmations",
        ("review",),
        None,
        (GROUP_CLERK,),
        [("kefu_confirmations_requested", "=", False)],
        flag="Can Ask Technical and Production",
        lead=80,
        dialog="request",
        # Once prices are settled: a doubt waits for the supervisor first.
        lead_when=[("kefu_price_state", "in", ("ok", "confirmed"))],
    ),
    # Each department answers in its own statement, the one asked for or new.
    "answer_technical": Step(
        "action_kefu_answer_technical",
        ("review",),
        None,
        (GROUP_TECHNICAL,),
        [("kefu_tech_confirmation_id", "=", False)],
        flag="Can Answer the Technical Confirmation",
        lead=84,
        lead_when=[("kefu_confirmations_requested", "=", True)],
    ),
    "answer_production": Step(
        "action_kefu_answer_production",
        ("review",),
        None,
        (GROUP_PRODUCTION,),
        [("kefu_production_confirmation_id", "=", False)],
        flag="Can Answer the Production Confirmation",
        lead=86,
        lead_when=[("kefu_confirmations_requested", "=", True)],
    ),
    "escalate_prices": Step(
        "action_kefu_escalate_prices",
        ("intake", "review"),
        None,
        (GROUP_CLERK,),
        [("kefu_price_state", "=", "mismatch")],
        flag="Can Escalate Prices",
        lead=50,
        tells=(
            Tell(
                groups=(GROUP_SUPERVISOR, GROUP_DIRECTOR),
                salesperson=True,
                activity=ACT + "prices",
                note="%(doubts)s",
            ),
        ),
    ),
    "confirm_prices": Step(
        "action_kefu_confirm_prices",
        ("intake", "review"),
        None,
        (GROUP_SUPERVISOR, GROUP_DIRECTOR),
        [("kefu_price_state", "=", "escalated")],
        salesperson=True,
        flag="Can Confirm Prices",
        lead=20,
        reason="Confirm the Prices",
        help=_lt(
            "A price differs from past sales or the price execution plan: say in "
            "writing which prices stand and why. Customer service, the "
            "supervisor and the director are answered by it."
        ),
        done=("prices",),
    ),
    "flag_spec_doubt": Step(
        "action_kefu_flag_spec_doubt",
        ("intake", "review"),
        None,
        (GROUP_CLERK,),
        [("kefu_spec_doubt", "=", False)],
        flag="Can Raise a Specification Doubt",
        reason="Raise a Specification Doubt",
        help=_lt(
            "Say what is doubtful about the specification: the check stays "
            "doubtful until the doubt is escalated and confirmed."
        ),
    ),
    "record_formula_choice": Step(
        "action_kefu_record_formula_choice",
        ("review",),
        None,
        (GROUP_CLERK,),
        [("kefu_formula_choice_needed", "=", True)],
        flag="Can Record the Formula Choice",
        lead=40,
        reason="Record the Customer's Formula Choice",
        help=_lt(
            "The process formula changed: record what the customer chose. The "
            "old formula needs the customer's written confirmation."
        ),
    ),
    "agree_sheet_date": Step(
        "action_kefu_agree_sheet_date",
        ("review",),
        None,
        (GROUP_SUPERVISOR, GROUP_DIRECTOR),
        [("kefu_sheet_date_agreement_needed", "=", True)],
        salesperson=True,
        flag="Can Agree to the Sheet Date",
        lead=30,
        reason="Agree to the Sheet Date",
        help=_lt(
            "The sheet date is later than the completion date: say why (payment "
            "method, urgency). The agreement is recorded in your name."
        ),
    ),
    "send_sheet": Step(
        "action_kefu_send_sheet",
        ("review", "sheet_sent"),
        "sheet_sent",
        (GROUP_CLERK,),
        ["|", ("kefu_stage", "=", "review"), ("kefu_return_state", "=", "rejected")],
        flag="Can Send the Sheet",
        lead=90,
        # Only once nothing keeps it from going out: before, the form says
        # what is missing and who must act (prices, the signed statements).
        lead_when=[("kefu_sheet_ready", "=", True)],
        document="sheet",
    ),
    "mark_sheet_received": Step(
        "action_kefu_mark_sheet_received",
        ("sheet_sent",),
        None,
        (GROUP_CLERK,),
        [("kefu_sheet_received_at", "=", False)],
        flag="Can Mark the Fax Received",
    ),
    "register_return": Step(
        "action_kefu_register_return",
        ("sheet_sent", "released"),
        "returned",
        (GROUP_CLERK,),
        [
            "|",
            ("kefu_return_state", "=", "pending"),
            ("kefu_backfill_pending", "=", True),
        ],
        flag="Can Register the Return",
        lead=100,
        dialog="return",
        tells=(
            SLIPPED._replace(when=[("kefu_stage", "=", "returned"), *SLIPPED.when]),
            Tell(template="kefu_order_flow.mail_template_kefu_deposit", when=DEPOSIT),
            Tell(salesperson=True, activity=ACT + "deposit_follow_up", when=DEPOSIT),
            Tell(groups=(GROUP_FINANCE,), activity=ACT + "deposit", when=DEPOSIT),
        ),
    ),
    "confirm_deposit": Step(
        "action_kefu_confirm_deposit",
        KEFU_OPEN_STAGES + KEFU_RELEASED_STAGES,
        None,
        (GROUP_FINANCE,),
        [("kefu_deposit_state", "=", "awaiting")],
        flag="Can Confirm the Deposit",
        lead=110,
    ),
    "send_deposit": Step(
        "action_kefu_send_deposit",
        KEFU_OPEN_STAGES + KEFU_RELEASED_STAGES,
        None,
        (GROUP_CLERK,),
        [("kefu_deposit_state", "=", "awaiting")],
        flag="Can Send the Deposit Notice",
        document="deposit",
    ),
    "release": Step(
        "action_confirm",
        KEFU_OPEN_STAGES,
        "released",
        (GROUP_CLERK,),
        [("kefu_stage", "!=", "intake"), ("kefu_release_blockers", "=", False)],
        flag="Can Release",
        lead=120,
        tells=(
            SLIPPED._replace(
                when=[("kefu_backfill_pending", "=", True), *SLIPPED.when]
            ),
            Tell(
                _lt(
                    "Production order released (planned date %(date)s). "
                    "Salesperson, shipping clerk, warehouse keeper, technical "
                    "department and customer service assistant: please take note."
                ),
                # The assistant monitors production (F15); customer service,
                # whose groups include the assistant's, released it.
                (GROUP_SHIPPING, GROUP_TECHNICAL, (GROUP_ASSISTANT, GROUP_CLERK)),
                salesperson=True,
            ),
            # Production acknowledges by the next local day (F14).
            Tell(groups=(GROUP_PRODUCTION,), activity=ACT + "release", days=1),
        ),
    ),
    "override_release": Step(
        "action_kefu_override_release",
        ("sheet_sent", "returned"),
        "released",
        (GROUP_SUPERVISOR,),
        [("kefu_release_blockers", "!=", False)],
        flag="Can Override the Gate",
        reason="Override the Release Gate",
        help=_lt(
            "The production order will be released although the flow blocks "
            "it. The reason and the blockers are kept in the order's history."
        ),
        grave=True,
    ),
    "change_order": Step(
        "action_kefu_change_order",
        ("released",),
        "review",
        (GROUP_CLERK,),
        flag="Can Open a Change Order",
        reason="Open a Change Order",
        help=_lt(
            "The order goes back to review. Production keeps the released "
            "production order until the changed order, confirmed again and "
            "signed by the customer, is released; deliveries wait for it."
        ),
        tells=(
            Tell(
                _lt(
                    "Change order opened by %(user)s: %(reason)s. Production: the "
                    "released production order stands until the changed order "
                    "is released again; deliveries wait for it."
                ),
                (GROUP_PRODUCTION,),
            ),
            Tell(
                _lt("Change order on %(order)s"),
                (GROUP_PRODUCTION,),
                activity="mail.mail_activity_data_warning",
                note="%(reason)s",
            ),
        ),
    ),
    "acknowledge_production": Step(
        "action_kefu_acknowledge_production",
        ("released",),
        None,
        (GROUP_PRODUCTION,),
        [("kefu_production_ack_at", "=", False)],
        flag="Can Acknowledge the Production Order",
        lead=10,
        done=("release",),
    ),
    "answer_completion": Step(
        "action_kefu_answer_completion",
        ("released",),
        None,
        (GROUP_PRODUCTION,),
        [
            ("kefu_production_ack_at", "!=", False),
            ("kefu_completion_statement_id", "=", False),
        ],
        flag="Can Sign the Completion Statement",
        lead=125,
    ),
    # Customer service follows production against the sheet (F15) until
    # production states what it completed.
    "monitor": Step(
        "action_kefu_monitor",
        ("released",),
        None,
        (GROUP_ASSISTANT,),
        [("kefu_completion_statement_id", "=", False)],
        flag="Can Record Monitoring",
        lead=128,
    ),
    "accept_quantity": Step(
        "action_kefu_accept_quantity",
        KEFU_RELEASED_STAGES,
        None,
        (GROUP_SUPERVISOR,),
        [
            ("kefu_quantity_out_of_tolerance", "=", True),
            ("kefu_quantity_accepted_at", "=", False),
        ],
        flag="Can Accept the Quantity",
        lead=130,
        reason="Accept the Quantity Produced",
        help=_lt(
            "The quantity produced is outside the tolerance: accepting it lets "
            "the conformity request go out without completing the quantity."
        ),
    ),
    "send_conformity": Step(
        "action_kefu_send_conformity",
        KEFU_RELEASED_STAGES,
        None,
        (GROUP_CLERK,),
        [
            ("kefu_conformity_state", "in", ("none", "rejected")),
            ("kefu_completion_statement_ids", "!=", False),
        ],
        flag="Can Send the Conformity Request",
        lead=140,
        document="conformity",
        tells=(Tell(actor=True, activity=ACT + "conformity", days=3),),
    ),
    "register_conformity": Step(
        "action_kefu_register_conformity",
        (*KEFU_RELEASED_STAGES, "done"),
        None,
        (GROUP_CLERK,),
        [("kefu_conformity_state", "=", "sent")],
        flag="Can Register the Conformity Opinion",
        lead=150,
        dialog="conformity",
        done=("conformity",),
        tells=(
            Tell(
                _lt("Follow up the rejected conformity opinion of %(order)s"),
                actor=True,
                activity=ACT + "conformity",
                note=_lt(
                    "Find out with the customer and production what does not "
                    "conform, then send the conformity request again."
                ),
                days=1,
                when=[("kefu_conformity_state", "=", "rejected")],
            ),
        ),
    ),
    "confirm_payment": Step(
        "action_kefu_confirm_payment",
        KEFU_RELEASED_STAGES,
        None,
        (GROUP_FINANCE,),
        [
            ("kefu_ship_state", "=", "awaiting_payment"),
            ("kefu_payment_received_at", "=", False),
        ],
        flag="Can Confirm the Payment",
        lead=170,
    ),
    "grant_payment_exception": Step(
        "action_kefu_grant_payment_exception",
        KEFU_RELEASED_STAGES,
        None,
        (GROUP_FINANCE,),
        [
            ("kefu_ship_state", "=", "awaiting_payment"),
            ("kefu_amount_due", ">", 0),
        ],
        flag="Can Grant a Payment Exception",
        reason="Grant a Payment Exception",
        help=_lt(
            "Shipping may be approved before the payment has arrived. The "
            "reason is kept in the order's history."
        ),
    ),
    "approve_shipping": Step(
        "action_kefu_approve_shipping",
        KEFU_RELEASED_STAGES,
        None,
        (GROUP_FINANCE,),
        [
            ("kefu_ship_state", "=", "awaiting_payment"),
            "|",
            ("kefu_payment_received_at", "!=", False),
            ("kefu_payment_exception_at", "!=", False),
        ],
        flag="Can Approve Shipping",
        lead=160,
        done=("payment",),
        tells=(Tell(_lt("Shipping approved by %(user)s."), (GROUP_SHIPPING,)),),
    ),
    # Shipping validates the delivery (Odoo's): the order is then shipped.
    "deliver": Step(
        "action_kefu_deliver",
        ("released",),
        None,
        (GROUP_SHIPPING,),
        [
            ("kefu_ship_state", "!=", "awaiting_payment"),
            ("delivery_status", "!=", "full"),
            "|",
            ("kefu_grade_id.ship_requires_conformity", "=", False),
            ("kefu_conformity_state", "=", "accepted"),
        ],
        flag="Can Deliver",
        lead=175,
    ),
    "confirm_arrival": Step(
        "action_kefu_confirm_arrival",
        ("shipped",),
        "done",
        (GROUP_CLERK,),
        flag="Can Confirm the Arrival",
        lead=180,
        dialog="arrival",
        done=("arrival",),
    ),
    # Odoo's own cancel, before the production order is out: customer service.
    "cancel": Step(
        "action_cancel",
        KEFU_OPEN_STAGES,
        "cancel",
        (GROUP_CLERK,),
        [("state", "!=", "sale")],
        flag="Can Cancel",
    ),
    # Once it is out (also while a change order is under review), only the
    # supervisor, with a reason; production is told.
    "cancel_released": Step(
        "action_kefu_cancel_released",
        (*KEFU_OPEN_STAGES, "released"),
        "cancel",
        (GROUP_SUPERVISOR,),
        [("state", "=", "sale")],
        flag="Can Cancel the Production Order",
        reason="Cancel the Production Order",
        help=_lt(
            "The released production order will be cancelled. Production is "
            "told at once; the reason is kept in the order's history."
        ),
        grave=True,
        tells=(
            Tell(CANCELLED, (GROUP_PRODUCTION,)),
            Tell(
                groups=(GROUP_PRODUCTION,), activity=ACT + "cancelled", note=CANCELLED
            ),
        ),
    ),
    # The flow's own transitions: no group takes them, no button shows them;
    # Odoo's code or another step reaches them, and they pass the same gate
    # (the row lock, the stage). Only entering and leaving the flow's scope
    # (no stage <-> intake, sale_order_scope.py) is not a step of the flow.
    # Goods left (the delivery validated): shipped, or done at once when the
    # customer's grade does not track the arrival (F17).
    "ship": Step("_kefu_after_delivery", ("released",), "shipped", ()),
    # The content changed after the sheet went out: what was sent or returned
    # no longer stands; the order is reviewed again.
    "reopen": Step("_kefu_void_signed", ("sheet_sent", "returned"), "review", ()),
    # Odoo cancelled the order: one of the two cancel steps, its cancel
    # wizard, or the customer declining on the portal.
    "cancelled": Step("_action_cancel", (*KEFU_OPEN_STAGES, "released"), "cancel", ()),
    # Odoo's Set to Quotation on a cancelled order: it starts over at intake.
    "restart": Step("action_draft", ("cancel",), "intake", ()),
}
