# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What the flow (kefu_flow.py) shows each desk, read off its table: the flags
its buttons show by, the step each order waits for and My Work's button; the
refusals its gate gives (a group, a stage); and, once an order is cancelled or
done, the removal of the hand-offs that lost their reason."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.safe_eval import safe_eval

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
    """Reads ``KEFU_FLOW`` for the order: the ``kefu_can_<step>`` flags its
    buttons show by, and the step each user takes next."""

    _inherit = "kefu.flow.mixin"

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
