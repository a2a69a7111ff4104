# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Cancelling a flow order: customer service before release; after release,
the supervisor cancels the production order, with a reason production is told.
Nothing signed survives a cancel; a cancelled order set back to quotation starts
over at intake."""

from odoo import SUPERUSER_ID, models
from odoo.exceptions import UserError

from .kefu_common import (
    KEFU_OPEN_STAGES,
    is_transition,
    kefu_arguments,
    transition,
)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------------
    def _action_cancel(self):
        # Odoo's cancel wizard (sale.order.cancel) and the portal's decline
        # land here without action_cancel(): the same rule applies.
        in_flow = self.filtered("kefu_stage")
        if not is_transition(self):
            in_flow._kefu_check_cancel()
        step = transition(in_flow)._kefu_enter("cancelled")
        res = super()._action_cancel()
        # Nothing signed survives a cancel: a later sheet needs new signed
        # statements.
        for order in in_flow:
            order._kefu_void_signed(self.env._("Order cancelled"))
        transition(in_flow).write({"kefu_stage": step.target})
        return res

    def action_draft(self):
        """A cancelled order set back to quotation starts over at intake: what
        was sent or returned no longer stands."""
        orders = self.filtered(lambda o: o.state == "cancel" and o.kefu_stage)
        step = transition(orders)._kefu_enter("restart")
        res = super().action_draft()
        transition(orders).write(
            {
                "kefu_stage": step.target,
                "kefu_return_state": "none",
                "kefu_price_state": "unchecked",
                "kefu_sheet_sent_at": False,
                "kefu_slip_days": 0,
            }
        )
        return res

    # ------------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------------
    def action_cancel(self):
        """Cancelling is the flow's decision: customer service before the
        release; a released production order only through
        ``action_kefu_cancel_released`` (the supervisor, with a reason)."""
        if not is_transition(self):
            self.filtered("kefu_stage")._kefu_check_cancel()
        return super().action_cancel()

    @kefu_arguments(reason="text")
    def action_kefu_cancel_released(self, reason):
        """The supervisor cancels a released production order with a reason;
        production is told at once (chatter and an activity)."""
        self.ensure_one()
        reason = (reason or "").strip()
        self._kefu_enter("cancel_released")
        if self.state != "sale":
            raise UserError(
                self.env._(
                    "The production order of %(order)s was never released: cancel "
                    "the order itself.",
                    order=self.name,
                )
            )
        if len(reason) < 4:
            raise UserError(
                self.env._(
                    "Cancelling a released production order needs a reason (at "
                    "least 4 characters)."
                )
            )
        # The supervisor may not cancel the warehouse's pickings or the draft
        # invoices: the cancellation is the flow's, decided above.
        transition(self).sudo()._action_cancel()
        self._kefu_step_done("cancel_released", reason=reason)
        return True

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------
    def _kefu_check_cancel(self):
        """Refuse a cancel outside the flow's rule (see ``action_cancel``)."""
        if self.env.uid == SUPERUSER_ID:  # scripts, crons: not a person's click
            return
        # A changed order under review (改单) is still a released one.
        open_orders = self.filtered(
            lambda o: o.kefu_stage in KEFU_OPEN_STAGES and o.state != "sale"
        )
        others = self - open_orders - self.filtered(lambda o: o.kefu_stage == "cancel")
        if others:
            if self.env.su:  # Odoo's own code: never a released production order
                others[:1]._kefu_refuse_released_cancel()
            # The supervisor's step, with its group and stage checks.
            others._kefu_enter("cancel_released")
            others[:1]._kefu_refuse_released_cancel()
        # The customer declining a quotation on the portal (sudo) may; over
        # RPC, customer service only.
        if open_orders and not self.env.su:
            open_orders._kefu_enter("cancel")

    def _kefu_refuse_released_cancel(self):
        raise UserError(
            self.env._(
                "The production order of %(order)s is released: only the customer "
                "service supervisor cancels it, with a reason (Cancel Production "
                "Order), so that production is told.",
                order=self.name,
            )
        )
