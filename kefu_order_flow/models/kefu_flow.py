# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The order flow in one file: the table of its steps, ``KEFU_FLOW``, and the
gate every step passes, which reads it: ``_kefu_enter(step)`` before the step,
``_kefu_step_done(step)`` once taken, with the hand-offs it makes. What the
flow shows each desk (buttons, My Work) is in kefu_flow_desk.py."""

import datetime

from markupsafe import Markup, escape

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL, format_date
from odoo.tools.translate import LazyGettext, LazyTranslate

from ..tools import kefu_dates
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
    is_transition,
)
from .kefu_step import Step, Tell

_lt = LazyTranslate(__name__)

# The table and what its rows share are laid out by hand, a row a step: the
# method, the stages it starts from and the one it leads to, the groups that
# take it, when its button shows; then its flag, its lead, its dialog, and what
# it hands off (the columns: kefu_step.py).
# fmt: off
# The planned date slipped while the signed sheet was missing (F13), said when
# the slip stops (the return, or an early release).
SLIPPED = Tell(_lt("The delivery date slipped %(days)s day(s) while the signed "
                   "sheet was missing: planned date %(date)s."),
               when=[("kefu_slip_days", ">", 0)])
# Once the customer signed, the deposit is due (F12): the customer is sent the
# notice, the salesperson follows it, finance confirms it.
DEPOSIT = [("kefu_stage", "=", "returned"), ("kefu_deposit_state", "=", "awaiting")]
CANCELLED = _lt("Production order %(order)s cancelled by %(user)s. Reason: %(reason)s")

KEFU_FLOW = {
    "start_review": Step(
        "action_kefu_start_review", ("intake",), "review", (GROUP_CLERK,),
        flag="Can Start Review", lead=60),
    "check_prices": Step(
        "action_kefu_check_prices", ("intake", "review"), None, (GROUP_CLERK,),
        flag="Can Check Prices", lead=70,
        lead_when=[("kefu_price_state", "=", "unchecked")]),
    "request_confirmations": Step(
        "action_kefu_request_confirmations", ("review",), None, (GROUP_CLERK,),
        [("kefu_confirmations_requested", "=", False)],
        flag="Can Ask Technical and Production", lead=80, dialog="request",
        # Once prices are settled: a doubt waits for the supervisor first.
        lead_when=[("kefu_price_state", "in", ("ok", "confirmed"))]),
    # Each department answers in its own statement, the one asked for or new.
    "answer_technical": Step(
        "action_kefu_answer_technical", ("review",), None, (GROUP_TECHNICAL,),
        [("kefu_tech_confirmation_id", "=", False)],
        flag="Can Answer the Technical Confirmation", lead=84,
        lead_when=[("kefu_confirmations_requested", "=", True)]),
    "answer_production": Step(
        "action_kefu_answer_production", ("review",), None, (GROUP_PRODUCTION,),
        [("kefu_production_confirmation_id", "=", False)],
        flag="Can Answer the Production Confirmation", lead=86,
        lead_when=[("kefu_confirmations_requested", "=", True)]),
    "escalate_prices": Step(
        "action_kefu_escalate_prices", ("intake", "review"), None, (GROUP_CLERK,),
        [("kefu_price_state", "=", "mismatch")], flag="Can Escalate Prices", lead=50,
        tells=(Tell(groups=(GROUP_SUPERVISOR, GROUP_DIRECTOR), salesperson=True,
                    activity=ACT + "prices", note="%(doubts)s"),)),
    "confirm_prices": Step(
        "action_kefu_confirm_prices", ("intake", "review"), None,
        (GROUP_SUPERVISOR, GROUP_DIRECTOR), [("kefu_price_state", "=", "escalated")],
        salesperson=True, flag="Can Confirm Prices", lead=20,
        reason="Confirm the Prices", done=("prices",),
        help=_lt("A price differs from past sales or the price execution plan: say "
                 "in writing which prices stand and why. Customer service, the "
                 "supervisor and the director are answered by it.")),
    "flag_spec_doubt": Step(
        "action_kefu_flag_spec_doubt", ("intake", "review"), None, (GROUP_CLERK,),
        [("kefu_spec_doubt", "=", False)],
        flag="Can Raise a Specification Doubt", reason="Raise a Specification Doubt",
        help=_lt("Say what is doubtful about the specification: the check stays "
                 "doubtful until the doubt is escalated and confirmed.")),
    "record_formula_choice": Step(
        "action_kefu_record_formula_choice", ("review",), None, (GROUP_CLERK,),
        [("kefu_formula_choice_needed", "=", True)],
        flag="Can Record the Formula Choice", lead=40,
        reason="Record the Customer's Formula Choice",
        help=_lt("The process formula changed: record what the customer chose. The "
                 "old formula needs the customer's written confirmation.")),
    "agree_sheet_date": Step(
        "action_kefu_agree_sheet_date", ("review",), None,
        (GROUP_SUPERVISOR, GROUP_DIRECTOR),
        [("kefu_sheet_date_agreement_needed", "=", True)],
        salesperson=True, flag="Can Agree to the Sheet Date", lead=30,
        reason="Agree to the Sheet Date",
        help=_lt("The sheet date is later than the completion date: say why "
                 "(payment method, urgency). The agreement is recorded in your "
                 "name.")),
    "send_sheet": Step(
        "action_kefu_send_sheet", ("review", "sheet_sent"), "sheet_sent",
        (GROUP_CLERK,),
        ["|", ("kefu_stage", "=", "review"), ("kefu_return_state", "=", "rejected")],
        flag="Can Send the Sheet", lead=90, document="sheet",
        # Only once nothing keeps it from going out: before, the form says
        # what is missing and who must act (prices, the signed statements).
        lead_when=[("kefu_sheet_ready", "=", True)]),
    "mark_sheet_received": Step(
        "action_kefu_mark_sheet_received", ("sheet_sent",), None, (GROUP_CLERK,),
        [("kefu_sheet_received_at", "=", False)], flag="Can Mark the Fax Received"),
    "register_return": Step(
        "action_kefu_register_return", ("sheet_sent", "released"), "returned",
        (GROUP_CLERK,),
        ["|", ("kefu_return_state", "=", "pending"),
         ("kefu_backfill_pending", "=", True)],
        flag="Can Register the Return", lead=100, dialog="return",
        done=("backfill",),  # not the online one: the clerk checks it still
        tells=(
            SLIPPED._replace(when=[("kefu_stage", "=", "returned"), *SLIPPED.when]),
            Tell(template="kefu_order_flow.mail_template_kefu_deposit", when=DEPOSIT),
            Tell(salesperson=True, activity=ACT + "deposit_follow_up", when=DEPOSIT),
            Tell(groups=(GROUP_FINANCE,), activity=ACT + "deposit", when=DEPOSIT))),
    "confirm_deposit": Step(
        "action_kefu_confirm_deposit", KEFU_OPEN_STAGES + KEFU_RELEASED_STAGES,
        None, (GROUP_FINANCE,), [("kefu_deposit_state", "=", "awaiting")],
        flag="Can Confirm the Deposit", lead=110),
    "send_deposit": Step(
        "action_kefu_send_deposit", KEFU_OPEN_STAGES + KEFU_RELEASED_STAGES,
        None, (GROUP_CLERK,), [("kefu_deposit_state", "=", "awaiting")],
        flag="Can Send the Deposit Notice", document="deposit"),
    "release": Step(
        "action_confirm", KEFU_OPEN_STAGES, "released", (GROUP_CLERK,),
        [("kefu_stage", "!=", "intake"), ("kefu_release_blockers", "=", False)],
        flag="Can Release", lead=120, tells=(
            SLIPPED._replace(
                when=[("kefu_backfill_pending", "=", True), *SLIPPED.when]),
            # The assistant monitors production (F15); customer service,
            # whose groups include the assistant's, released it.
            Tell(_lt("Production order released (planned date %(date)s). "
                     "Salesperson, shipping clerk, warehouse keeper, technical "
                     "department and customer service assistant: please take "
                     "note."),
                 (GROUP_SHIPPING, GROUP_TECHNICAL, (GROUP_ASSISTANT, GROUP_CLERK)),
                 salesperson=True),
            # Production acknowledges by the next local day (F14).
            Tell(groups=(GROUP_PRODUCTION,), activity=ACT + "release", days=1))),
    "override_release": Step(
        "action_kefu_override_release", ("sheet_sent", "returned"), "released",
        (GROUP_SUPERVISOR,), [("kefu_release_blockers", "!=", False)],
        flag="Can Override the Gate", reason="Override the Release Gate", grave=True,
        help=_lt("The production order will be released although the flow blocks "
                 "it. The reason and the blockers are kept in the order's "
                 "history.")),
    "change_order": Step(
        "action_kefu_change_order", ("released",), "review", (GROUP_CLERK,),
        flag="Can Open a Change Order", reason="Open a Change Order",
        help=_lt("The order goes back to review. Production keeps the released "
                 "production order until the changed order, confirmed again and "
                 "signed by the customer, is released; deliveries wait for it."),
        tells=(
            Tell(_lt("Change order opened by %(user)s: %(reason)s. Production: "
                     "the released production order stands until the changed "
                     "order is released again; deliveries wait for it."),
                 (GROUP_PRODUCTION,)),
            Tell(_lt("Change order on %(order)s"), (GROUP_PRODUCTION,),
                 activity="mail.mail_activity_data_warning", note="%(reason)s"))),
    "acknowledge_production": Step(
        "action_kefu_acknowledge_production", ("released",), None,
        (GROUP_PRODUCTION,), [("kefu_production_ack_at", "=", False)],
        flag="Can Acknowledge the Production Order", lead=10, done=("release",)),
    "answer_completion": Step(
        "action_kefu_answer_completion", ("released",), None, (GROUP_PRODUCTION,),
        [("kefu_production_ack_at", "!=", False),
         ("kefu_completion_statement_id", "=", False)],
        flag="Can Sign the Completion Statement", lead=125),
    # Customer service follows production against the sheet (F15) until
    # production states what it completed.
    "monitor": Step(
        "action_kefu_monitor", ("released",), None, (GROUP_ASSISTANT,),
        [("kefu_completion_statement_id", "=", False)],
        flag="Can Record Monitoring", lead=128),
    "accept_quantity": Step(
        "action_kefu_accept_quantity", KEFU_RELEASED_STAGES, None, (GROUP_SUPERVISOR,),
        [("kefu_quantity_out_of_tolerance", "=", True),
         ("kefu_quantity_accepted_at", "=", False)],
        flag="Can Accept the Quantity", lead=130, reason="Accept the Quantity Produced",
        help=_lt("The quantity produced is outside the tolerance: accepting it "
                 "lets the conformity request go out without completing the "
                 "quantity.")),
    "send_conformity": Step(
        "action_kefu_send_conformity", KEFU_RELEASED_STAGES, None, (GROUP_CLERK,),
        [("kefu_conformity_state", "in", ("none", "rejected")),
         ("kefu_completion_statement_ids", "!=", False)],
        flag="Can Send the Conformity Request", lead=140, document="conformity",
        tells=(Tell(actor=True, activity=ACT + "conformity", days=3),)),
    "register_conformity": Step(
        "action_kefu_register_conformity", (*KEFU_RELEASED_STAGES, "done"), None,
        (GROUP_CLERK,), [("kefu_conformity_state", "=", "sent")],
        flag="Can Register the Conformity Opinion", lead=150,
        dialog="conformity", done=("conformity",), tells=(
            Tell(_lt("Follow up the rejected conformity opinion of %(order)s"),
                 actor=True, activity=ACT + "conformity", days=1,
                 note=_lt("Find out with the customer and production what does "
                          "not conform, then send the conformity request again."),
                 when=[("kefu_conformity_state", "=", "rejected")]),)),
    "confirm_payment": Step(
        "action_kefu_confirm_payment", KEFU_RELEASED_STAGES, None, (GROUP_FINANCE,),
        [("kefu_ship_state", "=", "awaiting_payment"),
         ("kefu_payment_received_at", "=", False)],
        flag="Can Confirm the Payment", lead=170),
    "grant_payment_exception": Step(
        "action_kefu_grant_payment_exception", KEFU_RELEASED_STAGES, None,
        (GROUP_FINANCE,),
        [("kefu_ship_state", "=", "awaiting_payment"), ("kefu_amount_due", ">", 0)],
        flag="Can Grant a Payment Exception", reason="Grant a Payment Exception",
        help=_lt("Shipping may be approved before the payment has arrived. The "
                 "reason is kept in the order's history.")),
    "approve_shipping": Step(
        "action_kefu_approve_shipping", KEFU_RELEASED_STAGES, None, (GROUP_FINANCE,),
        [("kefu_ship_state", "=", "awaiting_payment"),
         "|", ("kefu_payment_received_at", "!=", False),
         ("kefu_payment_exception_at", "!=", False)],
        flag="Can Approve Shipping", lead=160, done=("payment",),
        tells=(Tell(_lt("Shipping approved by %(user)s."), (GROUP_SHIPPING,)),)),
    # Shipping validates the delivery (Odoo's): the order is then shipped.
    "deliver": Step(
        "action_kefu_deliver", ("released",), None, (GROUP_SHIPPING,),
        [("kefu_ship_state", "!=", "awaiting_payment"),
         ("delivery_status", "!=", "full"),
         "|", ("kefu_grade_id.ship_requires_conformity", "=", False),
         ("kefu_conformity_state", "=", "accepted")],
        flag="Can Deliver", lead=175),
    "confirm_arrival": Step(
        "action_kefu_confirm_arrival", ("shipped",), "done", (GROUP_CLERK,),
        flag="Can Confirm the Arrival", lead=180, dialog="arrival", done=("arrival",)),
    # Odoo's own cancel, before the production order is out: customer service.
    "cancel": Step(
        "action_cancel", KEFU_OPEN_STAGES, "cancel", (GROUP_CLERK,),
        [("state", "!=", "sale")], flag="Can Cancel"),
    # Once it is out (also while a change order is under review), only the
    # supervisor, with a reason; production is told.
    "cancel_released": Step(
        "action_kefu_cancel_released", (*KEFU_OPEN_STAGES, "released"), "cancel",
        (GROUP_SUPERVISOR,), [("state", "=", "sale")],
        flag="Can Cancel the Production Order",
        reason="Cancel the Production Order", grave=True,
        help=_lt("The released production order will be cancelled. Production is "
                 "told at once; the reason is kept in the order's history."),
        tells=(
            Tell(CANCELLED, (GROUP_PRODUCTION,)),
            Tell(groups=(GROUP_PRODUCTION,), activity=ACT + "cancelled",
                 note=CANCELLED))),
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
# fmt: on


class KefuFlowMixin(models.AbstractModel):
    """The gate of the order flow: every step starts with ``_kefu_enter()`` and
    ends with ``_kefu_step_done()``, both read off ``KEFU_FLOW``."""

    _name = "kefu.flow.mixin"
    _description = "Customer Service Order Flow"

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

    def _kefu_step_done(self, name, **values):
        """The step ``name`` was taken on these orders: the hand-offs it ends
        are done, whom it tells is told (its row's ``done`` and ``tells``;
        ``values`` fill their texts), in the step's transaction."""
        step = KEFU_FLOW[name]
        for activity in step.done:
            self._kefu_hand_off_done(ACT + activity)
        for order in self:
            tells = [t for t in step.tells if order.sudo().filtered_domain(t.when)]
            # Everyone the step tells, looked up at once, then tell by tell: a
            # pair (group, but_not_group) looks up its group, _member() sorts.
            groups = {
                g if isinstance(g, str) else g[0] for t in tells for g in t.groups
            }
            include = any(t.salesperson for t in tells) and order.user_id
            everyone = self.env["res.users"]
            if groups or include:
                everyone = order._kefu_department_users(*groups, include=include)
            for tell in tells:
                order._kefu_apply_tell(tell, everyone, values)

    def _kefu_apply_tell(self, tell, everyone, values):
        self.ensure_one()
        if tell.template:
            template = self.env.ref(tell.template, raise_if_not_found=False)
            if template:
                self.message_post_with_source(template, subtype_xmlid="mail.mt_comment")
            return
        values = {
            "order": self.name,
            "user": self.env.user.name,
            "date": format_date(self.env, self.kefu_planned_date) or "-",
            "days": self.kefu_slip_days,
            **values,
        }
        users = everyone.filtered(
            lambda user: (
                (tell.salesperson and user == self.user_id)
                or any(_member(user, group) for group in tell.groups)
            )
        )
        if tell.actor or (tell.salesperson and not tell.groups and not self.user_id):
            users |= self.env.user
        text = tell.text and self._kefu_text(tell.text) % values
        if not tell.activity:
            return self._kefu_tell(text, users)
        return self._kefu_hand_off(
            tell.activity,
            users,
            text,
            # What a user typed (a reason) is escaped; a step's own Markup is not.
            note=tell.note and Markup(escape(self._kefu_text(tell.note))) % values,
            date=tell.days and kefu_dates.add_days(self._kefu_local_today(), tell.days),
        )

    def _kefu_text(self, text):
        """``text`` of the table in the user's language (else English)."""
        if isinstance(text, LazyGettext):
            return text._translate(self.env.lang or "en_US")
        return text

    def _kefu_department_users(self, *groups, include=None):
        """The active internal users of any of ``groups`` (xml ids) who work
        for the order's company, and the users ``include``, with their
        partners, in one query."""
        self.ensure_one()
        group_ids = [self.env["ir.model.data"]._xmlid_to_res_id(g) for g in groups]
        domain = [
            ("groups_id", "in", group_ids),
            ("share", "=", False),
            ("company_ids", "in", self.company_id.ids),
        ]
        if include:
            domain = expression.OR([domain, [("id", "in", include.ids)]])
        # Reading a group's members is an administrator's right; whom to tell
        # is the flow's decision, not the acting user's.
        return self.env["res.users"].sudo().search_fetch(domain, ["partner_id"])

    def _kefu_hand_off(self, activity_type, users, summary=None, note=None, date=None):
        """One activity of ``activity_type`` (an xml id) for each of ``users``,
        at once; the activity is the notice (no e-mail)."""
        self.ensure_one()
        if not users:
            return self.env["mail.activity"]
        act_type = self.env["mail.activity.type"].browse(
            self.env["ir.model.data"]._xmlid_to_res_id(activity_type, True)
        )
        vals = {
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
            "activity_type_id": act_type.id,
            "summary": summary or act_type.summary,
            "note": note or act_type.default_note,
            "date_deadline": date or act_type._get_date_deadline(),
            "automated": True,  # the flow's: activity_feedback() finds it
        }
        # The acting user may not write the order (production and finance read
        # it only): telling the next department is the flow's doing.
        return (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create([dict(vals, user_id=user.id) for user in users])
        )

    def _kefu_tell(self, body, users):
        """A note in the order's chatter to ``users`` (none: a note only), the
        flow's doing whoever acts. Their notices go out from Odoo's queue of
        scheduled notifications (the next second), not in the acting request,
        and do not make them followers (who get every later mail)."""
        self.ensure_one()
        if not users:
            return self.sudo().message_post(body=body, subtype_xmlid="mail.mt_note")
        # The queue would give the order its portal token (the customer's link
        # in the mails), writing the order's row while a user may be changing
        # it: the step that tells, which holds the row, does it. Likewise the
        # customer's sign-up state, which each mail about the order renders
        # (auth_signup) and the queue would write on the customer's row while
        # another order of the customer notifies it: set here, once.
        self._portal_ensure_token()
        customer = self.partner_id.sudo()  # its sign-up state is the admin's
        if customer.signup_type != "signup":
            customer.signup_get_auth_param()
        return (
            self.sudo()
            .with_context(mail_post_autofollow=False)
            .message_post(
                body=body,
                partner_ids=users.partner_id.ids,
                subtype_xmlid="mail.mt_note",
                scheduled_date=self.env.cr.now() + datetime.timedelta(seconds=1),
            )
        )

    def _kefu_hand_off_done(self, activity_type):
        """The department's activities are done, whoever of it took the step
        (another user's: the flow's rights)."""
        self.sudo().activity_feedback(
            [activity_type],
            feedback=self.env._("Done by %(user)s", user=self.env.user.name),
        )

    def _kefu_local_today(self):
        """Today in the order's company: the flow's calendar (due dates)."""
        tz = self.company_id.partner_id.tz or self.env.company.partner_id.tz
        return kefu_dates.local_date(fields.Datetime.now(), tz)

    def _kefu_slip_days(self):
        """The days the sheet has waited for its signed return, from its first
        sending to today, as the slip cron counts them (F13)."""
        tz = self.company_id.partner_id.tz
        return kefu_dates.slip_days(self.kefu_sheet_sent_at, fields.Datetime.now(), tz)

    def _kefu_user_in(self, groups):
        return any(self.env.user.has_group(group) for group in groups)

    def _kefu_is_salesperson(self, step):
        return step.salesperson and self.user_id == self.env.user

    def _kefu_lock(self):
        """Take the orders' rows for this transaction: a second user acting on the
        same order at the same time gets a clear error, never a double transition."""
        if not self.ids:
            return
        # SKIP LOCKED, not NOWAIT: a row held elsewhere is missing from the
        # answer and the transaction stays usable. A row changed and committed
        # since this transaction began fails to lock (serialization failure,
        # REPEATABLE READ): Odoo runs the request again, which then sees the
        # change. The expected end of a collision, not a bad query to log.
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


def _member(user, group):
    """Whether ``user`` is in ``group``: an xml id, or (group, but_not_group)."""
    if isinstance(group, str):
        return user._has_group(group)
    return user._has_group(group[0]) and not user._has_group(group[1])
