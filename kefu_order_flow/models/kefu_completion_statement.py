# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from .kefu_common import KEFU_RELEASED_STAGES, transition


class KefuCompletionStatement(models.Model):
    """Production's signed statement of the actual completion (F15)."""

    _name = "kefu.completion.statement"
    _inherit = ["kefu.signed.mixin"]
    _description = "Production Completion Statement"
    _kefu_sign_group = "kefu_order_flow.group_kefu_production"

    # Stated when the goods are complete: today, unless production says otherwise.
    completion_date = fields.Date(
        string="Actual Completion Date", default=fields.Date.context_today
    )
    quantity = fields.Float(
        string="Quantity Produced",
        digits="Product Unit",
        help="The total; the sum of the lines when the statement has lines.",
    )
    line_ids = fields.One2many(
        "kefu.completion.statement.line", "statement_id", string="Quantities per Line"
    )

    @api.model_create_multi
    def create(self, vals_list):
        statements = super().create(vals_list)
        for statement, vals in zip(statements, vals_list, strict=True):
            lines = statement.order_id.order_line._kefu_sheet_lines()
            if not statement.line_ids and len(lines) == 1 and "quantity" in vals:
                # One line ordered: the quantity stated is that line's.
                transition(statement).write(
                    {
                        "line_ids": [
                            Command.create(
                                {
                                    "order_line_id": lines.id,
                                    "quantity": statement.quantity,
                                }
                            )
                        ]
                    }
                )
        return statements

    def _kefu_sum_lines(self):
        """The total follows the lines."""
        for statement in self.filtered("line_ids"):
            total = sum(statement.line_ids.mapped("quantity"))
            if statement.quantity != total:
                transition(statement).write({"quantity": total})

    def _kefu_check_content(self):
        if self.order_id.kefu_stage not in KEFU_RELEASED_STAGES:
            raise UserError(
                self.env._("Completion is stated for a released production order only.")
            )
        if not self.completion_date or self.quantity <= 0:
            raise UserError(
                self.env._(
                    "A completion statement needs the completion date and a "
                    "quantity greater than zero."
                )
            )

    def _kefu_on_signed(self):
        res = super()._kefu_on_signed()
        self.order_id.sudo()._kefu_check_tolerance(self.quantity)
        self.order_id._kefu_ask_payment()
        return res

    def _kefu_summary(self):
        return self.env._(
            "Completed %(date)s, quantity %(quantity)s",
            date=format_date(self.env, self.completion_date),
            quantity=self.quantity,
        )
