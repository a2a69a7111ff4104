# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Reads the flow's table (kefu_flow.py) for the order: the gate each step
starts with, the flags its buttons show by, the step it waits for."""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .kefu_common import ACT, is_transition
from .kefu_flow import (
    KEFU_FLOW,
    KEFU_NEXT_SELECTION,
    KEFU_NEXT_STEPS,
    KEFU_USER_STEPS,
)


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

    @api.depends_context("uid")
    def _compute_kefu_can(self):
        for name, step in KEFU_USER_STEPS.items():
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
        self._kefu_step_done(step)
        return step

    def _kefu_step_done(self, step):
        """The hand-offs ``step`` ends are done, in the step's transaction: a
        step refused further on leaves them open."""
        for activity in step.done:
            self._kefu_hand_off_done(ACT + activity)

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
