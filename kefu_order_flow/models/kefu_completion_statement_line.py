# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .kefu_common import is_transition


class KefuCompletionStatementLine(models.Model):
    """The quantity produced of one order line, in that line's unit."""

    _name = "kefu.completion.statement.line"
    _description = "Completion Statement Line"
    _order = "statement_id, id"

    statement_id = fields.Many2one(
        "kefu.completion.statement", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="statement_id.company_id", store=True)
    order_line_id = fields.Many2one(
        "sale.order.line",
        required=True,
        ondelete="cascade",
        domain="[('order_id', '=', parent.order_id), ('display_type', '=', False)]",
    )
    product_id = fields.Many2one(related="order_line_id.product_id")
    ordered_qty = fields.Float(
        related="order_line_id.product_uom_qty", string="Ordered"
    )
    quantity = fields.Float(string="Quantity Produced", digits="Product Unit")
    product_uom = fields.Many2one(related="order_line_id.product_uom", string="Unit")

    _sql_constraints = [
        (
            "quantity_positive",
            "CHECK(quantity >= 0)",
            "The quantity produced cannot be negative.",
        ),
    ]

    @api.constrains("order_line_id", "statement_id")
    def _check_order_line(self):
        for line in self:
            if line.order_line_id.order_id != line.statement_id.order_id:
                raise UserError(
                    self.env._("A completion line belongs to a line of its own order.")
                )

    def _check_draft(self):
        if self.env.su or is_transition(self):
            return
        if self.statement_id.filtered(lambda rec: rec.state != "draft"):
            raise UserError(
                self.env._(
                    "A signed or void statement cannot be changed; record a new "
                    "statement instead."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._check_draft()
        lines.statement_id._kefu_sum_lines()
        return lines

    def write(self, vals):
        self._check_draft()
        res = super().write(vals)
        self.statement_id._kefu_sum_lines()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_signed(self):
        self._check_draft()
