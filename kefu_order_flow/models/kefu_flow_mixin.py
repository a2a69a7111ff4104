# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The order flow, declared once.

Each row of ``KEFU_FLOW`` is one step a user can take: the method that takes
it, the stages it starts from, the stage it leads to (None: the stage stays),
the groups that may take it, and when its button shows besides that. One entry
point, ``_kefu_enter()``, reads the row: group, then the order's row lock,
then the stage. The buttons' visibility comes from the same rows
(``kefu_can_<step>``), so a view never repeats a guard. Every step takes the
lock. What a step checks beyond that (the sheet's blockers, an amount) stays in
its own method, as a gate with its own message; ``show`` is only the hint that
keeps a button out of sight when it could not succeed.
"""

from typing import NamedTuple

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .kefu_common import (
    GROUP_CLERK,
    GROUP_DIRECTOR,
    GROUP_FINANCE,
    GROUP_PRODUCTION,
    GROUP_SUPERVISOR,
    KEFU_OPEN_STAGES,
    KEFU_RELEASED_STAGES,
    is_transition,
)


class Step(NamedTuple):
    action: str  # the method that takes the step
    sources: tuple  # stages it starts from
    target: str | None  # stage it leads to, None when the stage stays
    groups: tuple  # any of these groups may take it
    show: tuple | list = ()  # domain: when its button shows, besides group and stage
    salesperson: bool = False  # the order's own salesperson may take it too
    flag: str = ""  # label of its flag kefu_can_<step>, which shows its button
    # The form's one primary button is the first step (lowest ``lead``) the
    # user can take now whose ``lead_when`` domain also holds; 0: never leads
    # (mails, side paths, exceptions).
    lead: int = 0
    lead_when: tuple | list = ()
    # Taken in the written-step dialog (kefu.step.wizard): its title there, and
    # whether it cannot be taken back (the dialog warns in red).
    reason: str = ""
    grave: bool = False
    document: str = ""  # the document it sends, in the send dialog


KEFU_FLOW = {
    "start_review": Step(
        "action_kefu_start_review",
        ("intake",),
        "review",
        (GROUP_CLERK,),
        flag="Can Start Review",
        lead=6,
    ),
    "check_prices": Step(
        "action_kefu_check_prices",
        ("intake", "review"),
        None,
        (GROUP_CLERK,),
        flag="Can Check Prices",
        lead=7,
        lead_when=[("kefu_price_state", "=", "unchecked")],
    ),
    "request_confirmations": Step(
        "action_kefu_request_confirmations",
        ("review",),
        None,
        (GROUP_CLERK,),
        [("kefu_confirmations_requested", "=", False)],
        flag="Can Ask Technical and Production",
        lead=8,
        # Once prices are settled: a doubt waits for the supervisor first.
        lead_when=[("kefu_price_state", "in", ("ok", "confirmed"))],
    ),
    "escalate_prices": Step(
        "action_kefu_escalate_prices",
        ("intake", "review"),
        None,
        (GROUP_CLERK,),
        [("kefu_price_state", "=", "mismatch")],
        flag="Can Escalate Prices",
        lead=5,
    ),
    "confirm_prices": Step(
        "action_kefu_confirm_prices",
        ("intake", "review"),
        None,
        (GROUP_SUPERVISOR, GROUP_DIRECTOR),
        [("kefu_price_state", "=", "escalated")],
        salesperson=True,
        flag="Can Confirm Prices",
        lead=2,
    ),
    "flag_spec_doubt": Step(
        "action_kefu_flag_spec_doubt",
        ("intake", "review"),
        None,
        (GROUP_CLERK,),
        [("kefu_spec_doubt", "=", False)],
        flag="Can Raise a Specification Doubt",
        reason="Raise a Specification Doubt",
    ),
    "record_formula_choice": Step(
        "action_kefu_record_formula_choice",
        ("review",),
        None,
        (GROUP_CLERK,),
        [("kefu_formula_choice_needed", "=", True)],
        flag="Can Record the Formula Choice",
        lead=4,
        reason="Record the Customer's Formula Choice",
    ),
    "agree_sheet_date": Step(
        "action_kefu_agree_sheet_date",
        ("review",),
        None,
        (GROUP_SUPERVISOR, GROUP_DIRECTOR),
        [("kefu_sheet_date_agreement_needed", "=", True)],
        salesperson=True,
        flag="Can Agree to the Sheet Date",
        lead=3,
        reason="Agree to the Sheet Date",
    ),
    "send_sheet": Step(
        "action_kefu_send_sheet",
        ("review", "sheet_sent"),
        "sheet_sent",
        (GROUP_CLERK,),
        ["|", ("kefu_stage", "=", "review"), ("kefu_return_state", "=", "rejected")],
        flag="Can Send the Sheet",
        lead=9,
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
        lead=10,
    ),
    "confirm_deposit": Step(
        "action_kefu_confirm_deposit",
        KEFU_OPEN_STAGES + KEFU_RELEASED_STAGES,
        None,
        (GROUP_FINANCE,),
        [("kefu_deposit_state", "=", "awaiting")],
        flag="Can Confirm the Deposit",
        lead=11,
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
        lead=12,
    ),
    "override_release": Step(
        "action_kefu_override_release",
        ("sheet_sent", "returned"),
        "released",
        (GROUP_SUPERVISOR,),
        [("kefu_release_blockers", "!=", False)],
        flag="Can Override the Gate",
        reason="Override the Release Gate",
        grave=True,
    ),
    "change_order": Step(
        "action_kefu_change_order",
        ("released",),
        "review",
        (GROUP_CLERK,),
        flag="Can Open a Change Order",
        reason="Open a Change Order",
    ),
    "acknowledge_production": Step(
        "action_kefu_acknowledge_production",
        ("released",),
        None,
        (GROUP_PRODUCTION,),
        [("kefu_production_ack_at", "=", False)],
        flag="Can Acknowledge the Production Order",
        lead=1,
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
        lead=13,
        reason="Accept the Quantity Produced",
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
        lead=14,
        document="conformity",
    ),
    "register_conformity": Step(
        "action_kefu_register_conformity",
        (*KEFU_RELEASED_STAGES, "done"),
        None,
        (GROUP_CLERK,),
        [("kefu_conformity_state", "=", "sent")],
        flag="Can Register the Conformity Opinion",
        lead=15,
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
        lead=17,
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
        lead=16,
    ),
    "confirm_arrival": Step(
        "action_kefu_confirm_arrival",
        ("shipped",),
        "done",
        (GROUP_CLERK,),
        flag="Can Confirm the Arrival",
        lead=18,
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
        grave=True,
    ),
}
# Read off the table, never written twice: the steps that may lead, in the
# order they lead; the documents of the send dialog; the written steps.
KEFU_NEXT_STEPS = tuple(
    (name, step.lead_when)
    for name, step in sorted(KEFU_FLOW.items(), key=lambda item: item[1].lead)
    if step.lead
)
KEFU_SEND_STEPS = {
    step.document: name for name, step in KEFU_FLOW.items() if step.document
}
KEFU_REASON_STEPS = [
    (name, step.reason) for name, step in KEFU_FLOW.items() if step.reason
]


class KefuFlowMixin(models.AbstractModel):
    """Reads ``KEFU_FLOW`` for the order: the checks each step starts with and
    the ``kefu_can_<step>`` flags its buttons show by."""

    _name = "kefu.flow.mixin"
    _description = "Customer Service Order Flow"

    # One flag per step, kefu_can_<step>: whether its button shows.
    locals().update(
        {
            f"kefu_can_{name}": fields.Boolean(
                string=step.flag, compute="_compute_kefu_can"
            )
            for name, step in KEFU_FLOW.items()
        }
    )
    kefu_next_step = fields.Char(
        string="Next Step",
        compute="_compute_kefu_can",
        help="The flow's step this user takes next: its button is the form's "
        "primary one.",
    )

    @api.depends_context("uid")
    def _compute_kefu_can(self):
        for name, step in KEFU_FLOW.items():
            in_group = self._kefu_user_in(step.groups)
            # The hint reads registers a department may not (a technician
            # has no completion statements): it only hides a button, the
            # step's own gates run as the user.
            shown = self.sudo().filtered_domain(step.show) if step.show else self
            for order in self:
                order[f"kefu_can_{name}"] = (
                    order in shown
                    and order.kefu_stage in step.sources
                    and (in_group or order._kefu_is_salesperson(step))
                )
        for order in self:
            order.kefu_next_step = next(
                (
                    name
                    for name, condition in KEFU_NEXT_STEPS
                    if order[f"kefu_can_{name}"]
                    and order.sudo().filtered_domain(condition)
                ),
                False,
            )

    def _kefu_user_in(self, groups):
        return any(self.env.user.has_group(group) for group in groups)

    def _kefu_is_salesperson(self, step):
        return step.salesperson and self.user_id == self.env.user

    def _kefu_enter(self, name):
        """Start the step ``name`` (a key of ``KEFU_FLOW``): refuse a user
        outside its groups, take the orders' rows, refuse an order outside its
        stages. Returns the step (its ``target`` is the stage to write)."""
        step = KEFU_FLOW[name]
        # The flow's own code (an override, a demo step) has passed this gate.
        if not is_transition(self) and not self._kefu_user_in(step.groups):
            for order in self:
                if not order._kefu_is_salesperson(step):
                    self._kefu_refuse_group(step.groups)
        self._kefu_lock()
        for order in self:
            if order.kefu_stage not in step.sources:
                order._kefu_refuse_stage(step.sources)
        return step

    def _kefu_refuse_group(self, groups):
        names = ", ".join(self.env.ref(group).sudo().name for group in groups)
        raise AccessError(
            self.env._(
                "This step of the order flow is reserved to: %(groups)s.",
                groups=names,
            )
        )

    def _kefu_refuse_stage(self, stages):
        if not self.kefu_stage:
            raise UserError(
                self.env._(
                    "%(order)s is not in the order flow: no scope of the flow "
                    "selects it (Customer Service › Configuration › Order Flow "
                    "Scopes).",
                    order=self.name,
                )
            )
        labels = dict(self._fields["kefu_stage"]._description_selection(self.env))
        raise UserError(
            self.env._(
                "%(order)s is in stage %(stage)s; this step needs stage %(needed)s.",
                order=self.name,
                stage=labels[self.kefu_stage],
                needed=" / ".join(labels[stage] for stage in stages),
            )
        )

    def _kefu_lock(self):
        """Take the orders' rows for this transaction: a second user acting on the
        same order at the same time gets a clear error, never a double transition."""
        if not self.ids:
            return
        # SKIP LOCKED, not NOWAIT: a row held elsewhere is simply missing from
        # the answer, and the transaction stays usable (no savepoint needed).
        # A row another transaction changed and committed since this one
        # began cannot be locked under Odoo's REPEATABLE READ: PostgreSQL
        # refuses with a serialization failure, and Odoo runs the request
        # again, which then sees that change (and refuses or proceeds). That
        # is the expected end of a collision, not a bad query to log.
        self.env.cr.execute(
            SQL(
                "SELECT id FROM %s WHERE id IN %s FOR NO KEY UPDATE SKIP LOCKED",
                SQL.identifier(self._table),
                tuple(self.ids),
            ),
            log_exceptions=False,
        )
        held = self - self.browse(row[0] for row in self.env.cr.fetchall())
        if held:
            raise UserError(
                self.env._(
                    "%(orders)s is being changed by someone else right now; reload "
                    "and try again.",
                    orders=", ".join(held.mapped("name")),
                )
            )
