# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Orders in and out of the flow's scope (``kefu.flow.scope``).

An order some scope selects starts in intake when it is created, or when its
company, team or what a scope's filter reads changes while it is a quotation
outside the flow. Until its sheet is sent it may leave the scope again; after
that it may not. An order outside the scope has no flow stage (``kefu_stage``
is False): the flow's gates, guards and crons leave it to Odoo.
"""

from odoo import api, models
from odoo.exceptions import UserError

from .kefu_common import is_transition, transition

# Before the sheet is sent, an order may still leave the flow.
KEFU_LEAVABLE_STAGES = ("intake", "review", "cancel")


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders._kefu_apply_scope()
        if not is_transition(self):
            for order, vals in zip(orders, vals_list, strict=True):
                if order.kefu_stage:
                    # What the flow refuses over write, an order of the flow
                    # is not created with (confirmed, with its totals typed in),
                    # whether from the values or from a context default.
                    order._kefu_check_workflow_vals({**vals, "state": order.state})
        return orders

    def write(self, vals):
        res = super().write(vals)
        if not is_transition(self) and (
            self.env["kefu.flow.scope"]._kefu_trigger_fields().intersection(vals)
        ):
            self._kefu_apply_scope()
        return res

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------
    def _kefu_apply_scope(self):
        """Put the quotations a scope selects in intake, and take the orders
        it no longer selects out of the flow (refused once a sheet was sent)."""
        if not self:
            return
        selected = self.env["kefu.flow.scope"]._kefu_select(self)
        entering = (selected - self.filtered("kefu_stage")).filtered(
            lambda order: order.state in ("draft", "sent")
        )
        leaving = self.filtered("kefu_stage") - selected
        for order in leaving:
            if order.kefu_sheet_sent_at or order.kefu_stage not in (
                KEFU_LEAVABLE_STAGES
            ):
                raise UserError(
                    self.env._(
                        "%(order)s cannot leave the order flow: its confirmation "
                        "sheet was sent to the customer. Keep the company, sales "
                        "team and order filter that bring it into the flow's "
                        "scope, or cancel the order.",
                        order=order.name,
                    )
                )
        if entering:
            transition(entering).write({"kefu_stage": "intake"})
        for field in self.pool.field_computed[self._fields["kefu_deposit_state"]]:
            self.env.add_to_compute(field, entering | leaving)
        if leaving:
            transition(leaving).write({"kefu_stage": False})
            for order in leaving:
                order.message_post(
                    body=self.env._(
                        "%(order)s left the order flow: no scope of the flow "
                        "selects it any more.",
                        order=order.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
