# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class KefuProductionConfirmation(models.Model):
    """Production confirmation (生产确认, F8)."""

    _name = "kefu.production.confirmation"
    _inherit = ["kefu.signed.mixin"]
    _description = "Production Confirmation"
    _kefu_sign_group = "kefu_order_flow.group_kefu_production"
    _kefu_answer_fields = ("production_date", "completion_date", "quantity_note")

    production_date = fields.Date()
    completion_date = fields.Date(
        help="Date the finished goods are complete, after rewinding (复卷).",
    )
    quantity_note = fields.Text(string="Quantity")

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
                        completion=rec.completion_date,
                        production=rec.production_date,
                    )
                )

    def _kefu_check_content(self):
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
                    date=self.completion_date,
                )
            )
        if self.completion_date < today:
            raise UserError(
                self.env._(
                    "The completion date %(date)s is in the past.",
                    date=self.completion_date,
                )
            )

    def _kefu_summary(self):
        return self.env._(
            "Production %(production)s, completion %(completion)s, quantity: "
            "%(quantity)s",
            production=self.production_date,
            completion=self.completion_date,
            quantity=self.quantity_note or "-",
        )
