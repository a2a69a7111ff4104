# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .kefu_common import (
    derived_fields,
    is_transition,
    model_label,
    refuse_flow_fields,
    without_defaults,
)


class KefuRegisterMixin(models.AbstractModel):
    """An entry of one of the flow's registers (memo, returns, monitoring): who
    recorded it and when, as the server saw it; kept as written. A correction
    is a new entry."""

    _name = "kefu.register.mixin"
    _description = "Register Entry"
    _order = "recorded_at desc, id desc"

    recorded_by = fields.Many2one(
        "res.users", required=True, readonly=True, default=lambda self: self.env.user
    )
    recorded_at = fields.Datetime(
        required=True, readonly=True, default=fields.Datetime.now
    )
    # Fields of an entry that only one of the flow's actions sets (Resolve):
    # like the fields it computes, never from the caller's context defaults.
    _kefu_action_fields = ()

    @api.depends("order_id.name")
    def _compute_display_name(self):
        # Every register of the flow belongs to an order (``order_id``).
        for entry in self:
            number = entry._origin.id and entry.sudo().search_count(
                [("order_id", "=", entry.order_id.id), ("id", "<=", entry._origin.id)]
            )
            entry.display_name = entry.env._(
                "%(entry)s %(order)s / %(number)s",
                entry=model_label(entry),
                order=entry.order_id.sudo().name or "",
                number=number or "-",
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:  # nobody records in someone else's name
            for vals in vals_list:
                refuse_flow_fields(self, derived_fields(self, vals))
                vals.update(recorded_by=self.env.uid, recorded_at=fields.Datetime.now())
        self = without_defaults(  # noqa: PLW0642
            self,
            lambda name: (
                name in self._kefu_action_fields or bool(derived_fields(self, [name]))
            ),
        )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and not is_transition(self):
            raise UserError(
                self.env._(
                    "A %(entry)s cannot be changed once saved; record a new entry "
                    "instead.",
                    entry=model_label(self),
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_recorded(self):
        if not self.env.su:
            raise UserError(
                self.env._(
                    "A %(entry)s cannot be deleted; record a correction instead.",
                    entry=model_label(self),
                )
            )
