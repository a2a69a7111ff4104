# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from markupsafe import Markup

from odoo import Command, api, fields, models


class KefuGradeReview(models.TransientModel):
    """The supervisor's review of the grades the standard suggests: every
    suggestion with its figures; only the accepted ones are applied."""

    _name = "kefu.grade.review"
    _description = "Review Customer Grades"

    line_ids = fields.One2many(
        "kefu.grade.review.line", "review_id", string="Suggestions"
    )

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if "line_ids" in fields_list:
            Grade = self.env["kefu.customer.grade"]
            Grade._kefu_check_reviewer()
            res["line_ids"] = [
                Command.create(
                    {
                        "partner_id": partner.id,
                        "current_grade_id": current.id,
                        "suggested_grade_id": suggested.id,
                        "revenue_12m": figure["revenue"],
                        "payment_delay_days": figure["payment_delay"],
                        "rejected_returns": figure["rejected_returns"],
                        "open_problems": figure["open_problems"],
                    }
                )
                for partner, current, suggested, figure in (
                    Grade._get_kefu_suggestions()
                )
            ]
        return res

    def action_apply(self):
        """Give the accepted customers their suggested grade, with a note in
        their chatter; the other suggestions change nothing."""
        self.ensure_one()
        self.env["kefu.customer.grade"]._kefu_check_reviewer()
        todo = self.env.ref("mail.mail_activity_data_todo")
        summary = self.env._("Review the customer grade")
        for line in self.line_ids.filtered("accept"):
            partner = line.partner_id
            previous = partner.kefu_grade_id
            partner.kefu_grade_id = line.suggested_grade_id
            figures = self.env["kefu.customer.grade"]._kefu_format_figures(
                {
                    "revenue": line.revenue_12m,
                    "payment_delay": line.payment_delay_days,
                    "rejected_returns": line.rejected_returns,
                    "open_problems": line.open_problems,
                }
            )
            partner.message_post(
                body=Markup("<p>%s</p><p>%s</p>")
                % (
                    self.env._(
                        "Customer grade changed from %(previous)s to %(grade)s by "
                        "%(user)s after the grade review.",
                        previous=previous.name or self.env._("no grade"),
                        grade=line.suggested_grade_id.name,
                        user=self.env.user.name,
                    ),
                    figures,
                ),
                subtype_xmlid="mail.mt_note",
            )
            partner.activity_ids.filtered(
                lambda act: act.activity_type_id == todo and act.summary == summary
            ).action_feedback(
                feedback=self.env._(
                    "Grade changed to %(grade)s.", grade=line.suggested_grade_id.name
                )
            )
        return {"type": "ir.actions.act_window_close"}


class KefuGradeReviewLine(models.TransientModel):
    _name = "kefu.grade.review.line"
    _description = "Customer Grade Suggestion"
    _order = "partner_id"

    review_id = fields.Many2one("kefu.grade.review", required=True, ondelete="cascade")
    accept = fields.Boolean()
    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    current_grade_id = fields.Many2one("kefu.customer.grade")
    suggested_grade_id = fields.Many2one("kefu.customer.grade", required=True)
    revenue_12m = fields.Float(string="12-Month Revenue", digits="Account")
    payment_delay_days = fields.Float(
        string="Average Payment Delay (Days)", digits=(16, 1)
    )
    rejected_returns = fields.Integer()
    open_problems = fields.Integer()
