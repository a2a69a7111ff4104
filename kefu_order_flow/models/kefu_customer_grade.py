# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .kefu_common import check_percents


class KefuCustomerGrade(models.Model):
    """A grade of the customer grade classification standard (客户等级划分标准).

    The grade decides when the production order may be released (F12), whether
    shipping waits for finance (F18) and whether arrival is tracked (F17).
    """

    _name = "kefu.customer.grade"
    _description = "Customer Grade"
    _inherit = ["mail.thread"]
    _order = "sequence, code"

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True)
    criteria = fields.Html(
        translate=True,
        help="The written classification standard for this grade.",
    )
    release_before_return = fields.Boolean(
        string="Release Before Signed Return",
        tracking=True,
        help="The production order may be issued before the signed confirmation "
        "sheet is back; the sheet is back-filled later (F12).",
    )
    backfill_days = fields.Integer(
        string="Back-fill Days",
        default=3,
        tracking=True,
        help="Days after an early release within which the signed sheet must be "
        "back-filled.",
    )
    deposit_percent = fields.Float(
        string="Deposit (%)",
        digits=(5, 2),
        tracking=True,
        help="Default deposit (定金) in percent of the order total for customers "
        "of this grade; a customer may override it.",
    )
    ship_requires_payment = fields.Boolean(
        string="Ship Only After Payment",
        tracking=True,
        help="Deliveries wait until finance has confirmed the payment and "
        "approved shipping (F18).",
    )
    ship_requires_conformity = fields.Boolean(
        string="Ship Only After Conformity",
        default=True,
        tracking=True,
        help="Deliveries wait for the customer's accepted conformity opinion "
        "(成品符合意见, F16).",
    )
    track_arrival = fields.Boolean(
        tracking=True,
        help="Customer service records and confirms the arrival of the goods "
        "with the customer (F17).",
    )
    pricelist_id = fields.Many2one(
        "product.pricelist",
        string="Price Execution Plan",
        tracking=True,
        check_company=True,
        help="The price list in force for customers of this grade "
        "(价格执行方案); it becomes their default price list.",
    )
    partner_count = fields.Integer(compute="_compute_partner_count")

    _sql_constraints = [
        (
            "deposit_percent_range",
            "CHECK(deposit_percent >= 0 AND deposit_percent <= 100)",
            "The deposit percent of a grade must be between 0 and 100.",
        ),
        (
            "backfill_days_positive",
            "CHECK(backfill_days >= 0)",
            "The back-fill days of a grade cannot be negative.",
        ),
    ]

    def _compute_partner_count(self):
        groups = self.env["res.partner"]._read_group(
            [("kefu_grade_id", "in", self.ids)], ["kefu_grade_id"], ["__count"]
        )
        counts = {grade.id: count for grade, count in groups}
        for grade in self:
            grade.partner_count = counts.get(grade.id, 0)

    @api.constrains("code", "company_id", "active")
    def _check_code(self):
        for grade in self:
            code = (grade.code or "").strip()
            if not code:
                raise ValidationError(self.env._("A customer grade needs a code."))
            if len(code) > 8 or " " in code:
                raise ValidationError(
                    self.env._(
                        "A grade code is at most 8 characters without spaces, not "
                        "%(code)s.",
                        code=code,
                    )
                )
            duplicate = self.with_context(active_test=False).search_count(
                [
                    ("id", "!=", grade.id),
                    ("code", "=ilike", code),
                    ("company_id", "in", [grade.company_id.id, False]),
                ],
                limit=1,
            )
            if duplicate:
                raise ValidationError(
                    self.env._(
                        "The grade code %(code)s is already used in this company.",
                        code=code,
                    )
                )

    @api.constrains("deposit_percent")
    def _check_deposit_percent(self):
        check_percents(self, ["deposit_percent"])

    def action_view_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.res_partner_action_customer"
        )
        action["domain"] = [("kefu_grade_id", "=", self.id)]
        action["context"] = {"default_kefu_grade_id": self.id}
        return action
