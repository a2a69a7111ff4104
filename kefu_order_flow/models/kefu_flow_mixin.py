# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Reads the flow's table (kefu_flow.py) for the order: the gate each step
starts with, the flags its buttons show by, the step it waits for, and the
hand-offs once a step is taken: the flow tells the next department it is its
turn with an activity of the flow's own types
(data/mail_activity_type_data.xml) or a note, marks the activities a step
ends done, and removes what no longer applies when the order is cancelled or
done."""

import datetime

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import SQL, format_date
from odoo.tools.safe_eval import safe_eval
from odoo.tools.translate import LazyGettext

from ..tools import kefu_dates
from .kefu_common import ACT, is_transition
from .kefu_flow import KEFU_FLOW

# Read off the table, never written twice: the steps users take (each with its
# flag and button); the steps that may lead, in the order they lead; the
# documents of the send dialog; the written steps.
KEFU_USER_STEPS = {name: step for name, step in KEFU_FLOW.items() if step.groups}
# What comes next on an order, as the lists say it: the steps that may lead,
# named by their flag without its "Can".
KEFU_NEXT_SELECTION = [
    (name, step.flag.removeprefix("Can "))
    for name, step in KEFU_FLOW.items()
    if step.lead
]
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
            for name, step in KEFU_USER_STEPS.items()
        }
    )
    kefu_next_step = fields.Selection(
        KEFU_NEXT_SELECTION,
        string="Next Step",
        compute="_compute_kefu_can",
        search="_search_kefu_next_step",
        help="The flow's step this user takes next: its button is the form's "
        "primary one, and the order is in this user's work (My Work).",
    )
    kefu_waiting_step = fields.Selection(
        KEFU_NEXT_SELECTION,
        string="Waiting Step",
        compute="_compute_kefu_waiting",
        help="The flow's next step, whoever takes it (the groups of its row).",
    )

    def _compute_kefu_waiting(self):
        for order in self:
            order.kefu_waiting_step = order._kefu_lead(
                lambda name, order=order: (
                    order.kefu_stage in KEFU_FLOW[name].sources
                    and order.sudo().filtered_domain(KEFU_FLOW[name].show)
                )
            )

    @api.depends("kefu_stage", "kefu_in_scope")
    @api.depends_context("uid")
    def _compute_kefu_can(self):
        for name, step in KEFU_USER_STEPS.items():
            in_group = self._kefu_user_in(step.groups)
            # The hint reads registers a department may not (a technician
            # has no completion statements): it only hides a button, the
            # step's own gates run as the user.
            shown = self.sudo().filtered_domain(step.show) if step.show else self
            for order in self:
                # A new order of the flow is in intake once saved, which the
                # web client does before it takes a step.
                stage = order.kefu_stage or (
                    not order.id and order.kefu_in_scope and "intake"
                )
                order[f"kefu_can_{name}"] = (
                    order in shown
                    and stage in step.sources
                    and (in_group or order._kefu_is_salesperson(step))
                )
        for order in self:
            order.kefu_next_step = order._kefu_lead(
                lambda name, order=order: order[f"kefu_can_{name}"]
            )

    def _kefu_lead(self, open_step):
        """The first step of ``KEFU_NEXT_STEPS`` that ``open_step(name)``
        allows on the order and whose lead condition holds; False if none."""
        self.ensure_one()
        return next(
            (
                name
                for name, condition in KEFU_NEXT_STEPS
                if open_step(name) and self.sudo().filtered_domain(condition)
            ),
            False,
        )

    @api.model
    def get_kefu_flow(self):
        """The steps users take, for a client over RPC (the load benchmark,
        an integration): {step: its method, the groups that take it, the
        stages it starts from and the one it leads to}. Which step an order
        waits for is its field ``kefu_waiting_step``."""
        return {
            name: {
                "action": step.action,
                "groups": list(step.groups),
                "sources": list(step.sources),
                "target": step.target or False,
            }
            for name, step in KEFU_USER_STEPS.items()
        }

    def action_kefu_take_next_step(self):
        """My Work's button: the user's next step on the order, taken as the
        form's primary button takes it, in its dialog if it has one."""
        self.ensure_one()
        name = self.kefu_next_step
        if not name:
            raise UserError(
                self.env._("Nothing on %(order)s waits for you.", order=self.name)
            )
        step = KEFU_FLOW[name]
        if not step.opens:
            # A step with a money dialog opens it (the form's button asks so).
            return getattr(self.with_context(kefu_payment_dialog=True), step.action)()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            f"kefu_order_flow.kefu_{step.opens}_wizard_action"
        )
        context = safe_eval(action["context"], {"active_id": self.id})
        if step.reason:
            context["default_step"] = name
        if step.document:
            context["default_document"] = step.document
        return dict(action, context=context)

    def _search_kefu_next_step(self, operator, value):
        """The orders whose next step for this user is ``value`` (one, a list,
        or any with ``!= False``). Only an order in a stage some step leads
        from can have one: those are computed, the only way to know it."""
        if operator not in ("=", "!=", "in", "not in"):
            return NotImplemented
        wanted = set(value) if operator in ("in", "not in") else {value}
        positive = operator in ("=", "in")
        stages = {
            stage
            for name, _when in KEFU_NEXT_STEPS
            for stage in KEFU_FLOW[name].sources
        }
        orders = self.search([("kefu_stage", "in", list(stages))])
        matched = orders.filtered(
            lambda order: (order.kefu_next_step in wanted) == positive
        )
        # The other orders have no next step: in the answer when it asks for
        # none.
        if (False in wanted) == positive:
            return [("id", "not in", (orders - matched).ids)]
        return [("id", "in", matched.ids)]

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

    def _kefu_step_done(self, name, **values):
        """The step ``name`` was taken on these orders: the hand-offs it ends
        are done, and whom it tells is told (its row's ``done`` and
        ``tells``; ``values`` fill their texts). In the step's transaction: a
        step refused after this leaves nothing."""
        step = KEFU_FLOW[name]
        for activity in step.done:
            self._kefu_hand_off_done(ACT + activity)
        for order in self:
            tells = [
                tell
                for tell in step.tells
                if not tell.when or order.sudo().filtered_domain(tell.when)
            ]
            # Everyone the step tells, looked up at once, then tell by tell.
            everyone = self.env["res.users"]
            if any(tell.groups or tell.salesperson for tell in tells):
                # A pair (group, but_not_group) looks up its group; _member()
                # leaves out the others.
                everyone = order._kefu_department_users(
                    *{
                        group if isinstance(group, str) else group[0]
                        for tell in tells
                        for group in tell.groups
                    },
                    include=order.user_id
                    if any(tell.salesperson for tell in tells)
                    else None,
                )
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
        """``text`` of the table in the user's language (a user without one
        reads the English source)."""
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
        created at once; the activity itself is the notice (no e-mail).
        ``summary``: the type's own by default."""
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
        flow's doing whoever acts: in the chatter at once; their inbox notices
        and mails go out from Odoo's queue of scheduled notifications (the
        next second: Odoo counts in seconds), not inside the request of
        whoever acts. It does not make them followers (Odoo's default on a
        sales order), who would get a copy of every later mail of the order."""
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
        """The step was taken: the department's activities are done, whoever
        of the department (or above) took it."""
        # Marking another user's activity done needs the flow's rights.
        self.sudo().activity_feedback(
            [activity_type],
            feedback=self.env._("Done by %(user)s", user=self.env.user.name),
        )

    def _kefu_clear_hand_offs(self):
        """Cancelled or done: the flow's open activities lost their reason."""
        types = (
            self.env["ir.model.data"]
            .sudo()
            .search(
                [
                    ("module", "=", "kefu_order_flow"),
                    ("model", "=", "mail.activity.type"),
                ]
            )
        )
        # Whoever ends the order removes every department's reminders.
        self.sudo().activity_ids.filtered(
            lambda act: act.activity_type_id.id in types.mapped("res_id")
        ).unlink()

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


def _member(user, group):
    """Whether ``user`` is in ``group``: an xml id, or (group, but_not_group)."""
    if isinstance(group, str):
        return user._has_group(group)
    return user._has_group(group[0]) and not user._has_group(group[1])
