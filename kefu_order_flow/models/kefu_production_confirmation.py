# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from .kefu_common import transition


class KefuProductionConfirmation(models.Model):
    """Production confirmation (生产确认, F8)."""

    _name = "kefu.production.confirmation"
    _inherit = ["kefu.signed.mixin"]
    _description = "Production Confirmation"
    _kefu_sign_group = "kefu_order_flow.group_kefu_production"
    _kefu_request_activity = "kefu_order_flow.mail_activity_kefu_production_request"
    _kefu_answer_fields = ("production_date", "completion_date", "quantity_note")

    production_date = fields.Date()
    completion_date = fields.Date(
        help="Date the finished goods are complete, after rewinding (复卷).",
    )
    quantity_note = fields.Text(
        string="Quantity Remarks",
        help="What production adds about the quantities (batches, rolls, a "
        "split delivery): each line's quantity and unit are signed as listed.",
    )
    # What production is about to sign for, read off the order's lines.
    lines_to_confirm = fields.Text(compute="_compute_lines_to_confirm")
    line_summary = fields.Text(
        string="Lines Confirmed",
        readonly=True,
        copy=False,
        help="Each line's quantity, packaging and tolerance as production "
        "confirmed them when signing (F8, F14).",
    )

    @api.depends("state", "order_id")
    def _compute_lines_to_confirm(self):
        for rec in self:
            rec.lines_to_confirm = rec.state == "draft" and rec._kefu_line_summary()

    @api.constrains("production_date", "completion_date")
    def _check_dates(self):
        for rec in self:
            if (
                rec.production_date
                and rec.completion_date
                and rec.completion_date < rec.production_date
            ):
                raise ValidationError(
                    self.env._(
                        "The completion date %(completion)s cannot precede the "
                        "production date %(production)s.",
                        completion=format_date(self.env, rec.completion_date),
                        production=format_date(self.env, rec.production_date),
                    )
                )

    def _kefu_check_content(self):
        # Production dates its schedule from the technical raw-material statement.
        if not self.order_id.kefu_tech_confirmation_id:
            raise UserError(
                self.env._(
                    "Production signs after the technical department has signed its "
                    "raw-material statement for %(order)s.",
                    order=self.order_id.name,
                )
            )
        if not self.order_id.order_line._kefu_sheet_lines():
            raise UserError(
                self.env._("The order has no line for production to confirm.")
            )
        if not self.production_date or not self.completion_date:
            raise UserError(
                self.env._(
                    "A production confirmation needs a production date and a "
                    "completion date."
                )
            )
        today = fields.Date.context_today(self)
        if self.completion_date > today + relativedelta(years=3):
            raise UserError(
                self.env._(
                    "The completion date %(date)s is more than three years ahead.",
                    date=format_date(self.env, self.completion_date),
                )
            )
        if self.completion_date < today:
            raise UserError(
                self.env._(
                    "The completion date %(date)s is in the past.",
                    date=format_date(self.env, self.completion_date),
                )
            )

    def action_sign(self):
        self.ensure_one()
        self._kefu_check_signer()
        if self.state == "draft":
            # What production signs for: each line's quantity, packaging and
            # tolerance, frozen with the signature.
            transition(self).write({"line_summary": self._kefu_line_summary()})
        return super().action_sign()

    def _kefu_line_summary(self):
        """Each line of the order as production confirms it, one per row."""
        return "\n".join(
            self.env._(
                "%(product)s: %(quantity)s %(unit)s, packaging %(packaging)s, "
                "tolerance ±%(tolerance)s%%",
                product=line.product_id.display_name,
                quantity=line.product_uom_qty,
                unit=line.product_uom.name,
                packaging=line.kefu_packaging or "-",
                tolerance=line.kefu_tolerance_pct,
            )
            for line in self.order_id.order_line._kefu_sheet_lines()
        )

    def _kefu_summary(self):
        return self.env._(
            "Production %(production)s, completion %(completion)s, quantity: "
            "%(quantity)s; lines: %(lines)s",
            production=format_date(self.env, self.production_date),
            completion=format_date(self.env, self.completion_date),
            quantity=self.quantity_note or "-",
            lines=self.line_summary or "-",
        )
