# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Orders in and out of the flow's scope (``kefu.flow.scope``).

An order some scope selects starts in intake when it is created, or when its
company, team or what a scope's filter reads changes while it is a quotation
outside the flow. Until its sheet is sent it may leave the scope again; after
that it may not. An order outside the scope has no flow stage (``kefu_stage``
is False): the flow's gates, guards and crons leave it to Odoo.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError

from .kefu_common import is_transition, transition

# Before the sheet is sent, an order may still leave the flow.
KEFU_LEAVABLE_STAGES = ("intake", "review", "cancel")


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------------
    kefu_in_scope = fields.Boolean(
        string="In the Order Flow",
        compute="_compute_kefu_in_scope",
        help="The order goes through the order flow: it has a flow stage, or, "
        "not saved yet, a scope selects its company and team.",
    )

    # ------------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------------
    @api.depends("kefu_stage", "company_id", "team_id")
    def _compute_kefu_in_scope(self):
        new = self.filtered(lambda order: not order._origin)
        selected = self.env["kefu.flow.scope"]._kefu_select(new)
        for order in self:
            order.kefu_in_scope = (
                order in selected if order in new else bool(order.kefu_stage)
            )

    # ------------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders._kefu_apply_scope(created=True)
        if not is_transition(self):
            for order, vals in zip(orders, vals_list, strict=True):
                if order.kefu_stage:
                    # What the flow refuses over write, an order of the flow
                    # is not created with (confirmed, with its totals typed in),
                    # whether from the values or from a context default.
                    order._kefu_check_workflow_vals({**vals, "state": order.state})
        return orders

    @api.model
    def check_field_access_rights(self, operation, field_names):
        names = super().check_field_access_rights(operation, field_names)
        if field_names or self.env.su:
            return names
        # All the fields, as Odoo's read() without names asks: the flow's
        # registers a user may not read (a salesperson outside customer
        # service, Odoo's own sales tests) are left out, as fields of groups
        # the user is not in are.
        return [
            name
            for name in names
            if not (
                name.startswith("kefu_")
                and self._fields[name].type == "one2many"
                and not self.env[self._fields[name].comodel_name].has_access("read")
            )
        ]

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------
    def _kefu_apply_scope(self, created=False):
        """Put the new orders and the quotations a scope selects in intake (an
        order Odoo already confirmed stays Odoo's), and take the orders it no
        longer selects out of the flow (refused once a sheet was sent)."""
        if not self:
            return
        selected = self.env["kefu.flow.scope"]._kefu_select(self)
        entering = (selected - self.filtered("kefu_stage")).filtered(
            lambda order: created or order.state in ("draft", "sent")
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
