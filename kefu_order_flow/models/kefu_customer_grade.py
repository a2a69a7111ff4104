# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

from ..tools import kefu_dates
from .kefu_common import GROUP_SUPERVISOR, check_percents, in_company_lang


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
    # The measurable criteria of the standard (客户等级划分标准). A customer is
    # suggested the first grade, in the standard's order, whose criteria it
    # meets; one that meets none, the last grade.
    min_revenue_12m = fields.Float(
        string="Minimum 12-Month Revenue",
        digits="Account",
        tracking=True,
        help="Untaxed amount invoiced to the customer (posted invoices less credit "
        "notes, company currency) over the last twelve months; for a company "
        "that does not keep its money in Accounting, the money finance confirmed "
        "on the customer's orders.",
    )
    max_payment_delay_days = fields.Integer(
        string="Maximum Payment Delay (Days)",
        default=30,
        tracking=True,
        help="Average days past the due date at which the customer paid its "
        "posted invoices of the last twelve months (an invoice still unpaid after "
        "its due date counts until today).",
    )
    max_rejected_returns = fields.Integer(
        string="Maximum Rejected Returns or Open Problems",
        default=5,
        tracking=True,
        help="Signed sheets returned and rejected over the last twelve months plus "
        "production problems still open.",
    )

    _sql_constraints = [
        (
            "deposit_percent_range",
            "CHECK(deposit_percent >= 0 AND deposit_percent <= 100)",
            "The deposit percent of a grade must be between 0 and 100.",
        ),
        (
            "criteria_positive",
            "CHECK(min_revenue_12m >= 0 AND max_payment_delay_days >= 0 "
            "AND max_rejected_returns >= 0)",
            "The criteria of a grade cannot be negative.",
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

    # ------------------------------------------------------------------
    # Grade suggestions (客户等级划分标准)
    # ------------------------------------------------------------------
    def _kefu_check_reviewer(self):
        if not (
            self.env.su
            or self.env.user.has_group(GROUP_SUPERVISOR)
            or self.env.user.has_group("base.group_system")
        ):
            raise AccessError(
                self.env._(
                    "Only the customer service supervisor reviews customer grades."
                )
            )

    @api.model
    def _get_kefu_today(self):
        tz = self.env.company.partner_id.tz
        return kefu_dates.local_date(fields.Datetime.now(), tz)

    @api.model
    def _kefu_partner_filter(self, alias, partners):
        """SQL keeping the rows of ``alias`` whose commercial partner is one of
        ``partners`` (all when None)."""
        if partners is None:
            return SQL("TRUE")
        return SQL(
            "%s.commercial_partner_id = ANY(%s)",
            SQL.identifier(alias),
            list(partners.ids),
        )

    @api.model
    def _get_kefu_grade_figures(self, partners=None, today=None):
        """The figures of the standard per customer, in four queries whatever
        the number of customers: ``{partner id: {"revenue", "payment_delay",
        "rejected_returns", "open_problems"}}``.

        Customers are the commercial partners with a grade or with orders in
        the flow (or ``partners``).
        """
        today = today or self._get_kefu_today()
        start = today - relativedelta(months=12)
        cr = self.env.cr
        self.env.flush_all()
        partner_filter = self._kefu_partner_filter("m", partners)
        # Invoices: revenue, and the days past due at which each was paid (the
        # date of its last reconciliation), or is still unpaid.
        cr.execute(
            SQL(
                """
                WITH inv AS (
                    SELECT m.id, m.commercial_partner_id AS partner_id, m.move_type,
                           m.amount_untaxed_signed, m.payment_state,
                           COALESCE(m.invoice_date_due, m.invoice_date) AS due
                      FROM account_move m
                     WHERE m.state = 'posted'
                       AND m.move_type IN ('out_invoice', 'out_refund')
                       AND m.invoice_date > %(start)s
                       AND m.invoice_date <= %(today)s
                       AND %(partner_filter)s
                ),
                paid AS (
                    SELECT l.move_id, MAX(apr.max_date) AS paid_on
                      FROM account_move_line l
                      JOIN inv ON inv.id = l.move_id
                      JOIN account_partial_reconcile apr
                        ON apr.debit_move_id = l.id
                     WHERE l.display_type = 'payment_term'
                     GROUP BY l.move_id
                )
                SELECT inv.partner_id,
                       SUM(inv.amount_untaxed_signed),
                       AVG(
                           CASE
                             WHEN inv.move_type != 'out_invoice' THEN NULL
                             WHEN inv.payment_state IN ('paid', 'in_payment')
                             THEN GREATEST(paid.paid_on - inv.due, 0)
                             WHEN inv.payment_state = 'reversed' THEN NULL
                             WHEN inv.due < %(today)s
                             THEN %(today)s - inv.due
                           END
                       )
                  FROM inv
             LEFT JOIN paid ON paid.move_id = inv.id
                 GROUP BY inv.partner_id
                """,
                start=start,
                today=today,
                partner_filter=partner_filter,
            )
        )
        invoiced = {
            row[0]: (row[1] or 0.0, float(row[2] or 0.0)) for row in cr.fetchall()
        }
        # A company that does not keep its money in Accounting has no invoices
        # from the flow: the money finance confirmed on its orders counts.
        partner_filter = self._kefu_partner_filter("p", partners)
        cr.execute(
            SQL(
                """
                SELECT p.commercial_partner_id, SUM(r.amount)
                  FROM kefu_money_receipt r
                  JOIN sale_order so ON so.id = r.order_id
                  JOIN res_company c ON c.id = so.company_id
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE NOT c.kefu_money_in_accounting
                   AND r.partial_id IS NULL
                   AND r.received_at::date > %(start)s
                   AND r.received_at::date <= %(today)s
                   AND %(partner_filter)s
                 GROUP BY p.commercial_partner_id
                """,
                start=start,
                today=today,
                partner_filter=partner_filter,
            )
        )
        for partner_id, received in cr.fetchall():
            revenue, delay = invoiced.get(partner_id, (0.0, 0.0))
            invoiced[partner_id] = (revenue + received, delay)
        cr.execute(
            SQL(
                """
                SELECT p.commercial_partner_id,
                       COUNT(*) FILTER (WHERE issue.kind = 'return'),
                       COUNT(*) FILTER (WHERE issue.kind = 'problem')
                  FROM (SELECT r.order_id, 'return' AS kind
                          FROM kefu_sheet_return r
                         WHERE r.kind = 'sheet' AND NOT r.accepted
                           AND r.recorded_at >= %(start)s
                        UNION ALL
                        SELECT m.order_id, 'problem'
                          FROM kefu_monitoring m
                         WHERE m.is_open_problem) issue
                  JOIN sale_order so ON so.id = issue.order_id
                  JOIN res_partner p ON p.id = so.partner_id
                 WHERE %(partner_filter)s
                 GROUP BY p.commercial_partner_id
                """,
                start=start,
                partner_filter=partner_filter,
            )
        )
        issues = {row[0]: (row[1], row[2]) for row in cr.fetchall()}
        if partners is None:
            # The company's customers: those with a grade, or with orders in the
            # flow; not every partner Odoo ever invoiced.
            partners = self.env["res.partner"].search(
                [
                    ("parent_id", "=", False),
                    "|",
                    ("kefu_grade_id", "!=", False),
                    ("sale_order_ids.kefu_stage", "!=", False),
                ]
            )
        figures = {}
        for partner in partners.commercial_partner_id:
            revenue, delay = invoiced.get(partner.id, (0.0, 0.0))
            returns, problems = issues.get(partner.id, (0, 0))
            figures[partner.id] = {
                "revenue": revenue,
                "payment_delay": round(delay, 1),
                "rejected_returns": returns,
                "open_problems": problems,
            }
        return figures

    def _kefu_meets(self, figure):
        self.ensure_one()
        return (
            figure["revenue"] >= self.min_revenue_12m
            and figure["payment_delay"] <= self.max_payment_delay_days
            and figure["rejected_returns"] + figure["open_problems"]
            <= self.max_rejected_returns
        )

    @api.model
    def _get_kefu_standard(self, company=None):
        company = company or self.env.company
        return self.search(
            ["|", ("company_id", "=", False), ("company_id", "=", company.id)]
        )

    @api.model
    def _get_kefu_suggestions(self, partners=None, today=None):
        """``[(partner, current grade, suggested grade, figures)]`` for every
        customer whose figures suggest another grade than its own."""
        figures = self._get_kefu_grade_figures(partners, today)
        grades = self._get_kefu_standard()
        if not grades:
            return []
        suggestions = []
        for partner in self.env["res.partner"].browse(figures):
            figure = figures[partner.id]
            suggested = next(
                (grade for grade in grades if grade._kefu_meets(figure)), grades[-1]
            )
            if suggested != partner.kefu_grade_id:
                suggestions.append((partner, partner.kefu_grade_id, suggested, figure))
        return suggestions

    @api.model
    def _kefu_format_figures(self, figure):
        revenue = f"{figure['revenue']:,.2f}"
        return self.env._(
            "12-month revenue %(revenue)s, average payment delay %(delay)s days, "
            "%(returns)s rejected return(s), %(problems)s open problem(s).",
            revenue=revenue,
            delay=figure["payment_delay"],
            returns=figure["rejected_returns"],
            problems=figure["open_problems"],
        )

    @api.model
    def _get_kefu_reviewer(self):
        supervisors = (
            self.env.ref(GROUP_SUPERVISOR)
            .sudo()
            .users.filtered(
                lambda user: (
                    user.active
                    and not user.share
                    and self.env.company in user.company_ids
                )
            )
        )
        return supervisors.sorted("id")[:1] or self.env.user

    @api.model
    def _cron_kefu_suggest_grades(self, today=None, batch=200):
        """Monthly: where the standard's criteria suggest another grade, ask the
        customer service supervisor to review it (an activity on the customer,
        with the figures). Nothing changes a grade here. The figures of every
        customer come in three queries; the activities are written ``batch`` a
        run, and the cron runs again at once while customers wait for theirs
        (a customer whose activity says the same is done)."""
        # A cron has no user's language: the supervisor reads the company's.
        grades = in_company_lang(self)
        summary = grades.env._("Review the customer grade")
        todo = self.env.ref("mail.mail_activity_data_todo")
        waiting = []
        for partner, current, suggested, figure in grades._get_kefu_suggestions(
            today=today
        ):
            note = Markup("<p>%s</p><p>%s</p>") % (
                grades.env._(
                    "The grade standard suggests %(suggested)s instead of %(current)s.",
                    suggested=suggested.name,
                    current=current.name or grades.env._("no grade"),
                ),
                grades._kefu_format_figures(figure),
            )
            activity = partner.activity_ids.filtered(
                lambda act: act.activity_type_id == todo and act.summary == summary
            )[:1]
            if not activity or activity.note != note:
                waiting.append((partner, activity, note))
        reviewer = grades._get_kefu_reviewer()
        for partner, activity, note in waiting[:batch]:
            if activity:
                activity.note = note
            else:
                partner.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=summary,
                    note=note,
                    user_id=reviewer.id,
                )
        done = min(len(waiting), batch)
        self.env["ir.cron"]._notify_progress(done=done, remaining=len(waiting) - done)
        return done

    def action_kefu_review_grades(self):
        self._kefu_check_reviewer()
        return self.env["ir.actions.act_window"]._for_xml_id(
            "kefu_order_flow.kefu_grade_review_action"
        )
