# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .kefu_common import (
    GROUP_ASSISTANT,
    KEFU_LONG_TEXT,
    KEFU_RELEASED_STAGES,
    check_text_lengths,
    kefu_arguments,
    transition,
)


class KefuMonitoring(models.Model):
    """A progress check of a released order by the CS assistant (F15).

    Entries are kept as written; a problem is closed by recording its resolution.
    """

    _name = "kefu.monitoring"
    _inherit = ["kefu.register.mixin"]
    _description = "Production Monitoring Entry"
    _order = "date desc, id desc"
    _kefu_action_fields = ("resolved_by", "resolved_at", "resolution")  # Resolve

    order_id = fields.Many2one(
        "sale.order", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    progress = fields.Text(required=True)
    quantity_done = fields.Float(string="Quantity Produced", digits="Product Unit")
    quality_note = fields.Text(string="Quality Remarks")
    is_problem = fields.Boolean(string="Problem")
    resolved_by = fields.Many2one("res.users", readonly=True)
    resolved_at = fields.Datetime(readonly=True)
    resolution = fields.Text(readonly=True)
    is_open_problem = fields.Boolean(
        compute="_compute_is_open_problem", store=True, string="Open Problem"
    )

    _sql_constraints = [
        (
            "quantity_done_positive",
            "CHECK(quantity_done >= 0)",
            "The quantity produced cannot be negative.",
        ),
    ]

    @api.depends("is_problem", "resolved_at")
    def _compute_is_open_problem(self):
        for entry in self:
            entry.is_open_problem = entry.is_problem and not entry.resolved_at

    @api.constrains("progress", "quality_note")
    def _check_text_lengths(self):
        check_text_lengths(
            self, {"progress": KEFU_LONG_TEXT, "quality_note": KEFU_LONG_TEXT}
        )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if any(key in vals for key in self._kefu_action_fields):
                raise UserError(self.env._("A problem is closed with Resolve."))
        entries = super().create(vals_list)
        for entry in entries:
            if entry.order_id.kefu_stage not in KEFU_RELEASED_STAGES:
                raise UserError(
                    self.env._(
                        "Production of %(order)s is monitored once its production "
                        "order is released.",
                        order=entry.order_id.name,
                    )
                )
            if entry.is_problem:
                entry.order_id._kefu_problem_reported(entry)
        return entries

    @kefu_arguments(resolution="text")
    def action_resolve(self, resolution):
        """Close an open problem with a written resolution."""
        if not self.env.user.has_group(GROUP_ASSISTANT):
            raise AccessError(
                self.env._("Only customer service closes a production problem.")
            )
        if not (resolution or "").strip():
            raise UserError(self.env._("Describe how the problem was resolved."))
        for entry in self:
            if not entry.is_open_problem:
                raise UserError(self.env._("Only an open problem can be resolved."))
        transition(self.sudo()).write(
            {
                "resolved_by": self.env.user.id,
                "resolved_at": fields.Datetime.now(),
                "resolution": resolution,
            }
        )
        for entry in self:
            entry.order_id.message_post(
                body=self.env._(
                    "Production problem resolved by %(user)s: %(resolution)s",
                    user=self.env.user.name,
                    resolution=resolution,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True
