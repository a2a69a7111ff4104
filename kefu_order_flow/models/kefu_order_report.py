# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index


class KefuOrderReport(models.Model):
    """How the desk is doing: one row per order of the flow, read from the
    order and its registers by one SQL query (no Python loop).

    Dates that depend on "today" (an open order already late) use the company's
    local day, computed from the server's clock (``fields.Datetime.now()``) when
    the query runs.
    """

    _name = "kefu.order.report"
    _description = "Customer Service Order Analysis"
    _auto = False
    _rec_name = "order_id"
    _order = "date_order desc, order_id desc"
    # What the query reads: flushed before every search on the report.
    _depends = {
        "sale.order": [
            "company_id",
            "partner_id",
            "user_id",
            "date_order",
            "amount_untaxed",
            "currency_rate",
            "kefu_stage",
            "kefu_grade_id",
            "kefu_sheet_sent_at",
            "kefu_sheet_sent_by",
            "kefu_slip_days",
            "kefu_completion_date",
            "kefu_requested_date",
            "kefu_reply_promise_at",
        ],
        "kefu.sheet.return": ["order_id", "kind", "accepted", "recorded_at"],
        "kefu.completion.statement": ["order_id", "state", "completion_date"],
        "kefu.monitoring": ["order_id", "is_problem", "is_open_problem"],
        "stock.picking": ["sale_id", "state", "date_done", "picking_type_id"],
        "stock.picking.type": ["code"],
        "res.company": ["currency_id", "partner_id"],
        "res.partner": ["tz"],
    }

    # ------------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------------
    order_id = fields.Many2one("sale.order", string="Order", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    grade_id = fields.Many2one(
        "kefu.customer.grade", string="Customer Grade", readonly=True
    )
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    clerk_id = fields.Many2one(
        "res.users",
        string="Clerk",
        readonly=True,
        help="Who sent the confirmation sheet.",
    )
    kefu_stage = fields.Selection(
        selection="_selection_kefu_stage", string="Flow Stage", readonly=True
    )
    date_order = fields.Datetime(string="Order Date", readonly=True)
    sheet_sent_at = fields.Datetime(string="Sheet First Sent", readonly=True)
    returned_at = fields.Datetime(
        string="Signed Return Accepted",
        readonly=True,
        help="When the first clean signed return of the sheet was accepted.",
    )
    return_hours = fields.Float(
        string="Return Hours",
        digits=(16, 2),
        aggregator="avg",
        readonly=True,
        help="Wall-clock hours from the first sending of the sheet to the "
        "accepted signed return.",
    )
    slip_days = fields.Integer(
        string="Slip Days",
        aggregator="avg",
        readonly=True,
        help="Days the delivery date slipped while the signed sheet was missing; "
        "empty for an order whose sheet was never sent.",
    )
    completion_date = fields.Date(
        string="Promised Completion",
        readonly=True,
        help="Production's written completion date (F8).",
    )
    completed_on = fields.Date(
        string="Actual Completion",
        readonly=True,
        help="The completion date of production's signed completion statement.",
    )
    completion_delay_days = fields.Integer(
        string="Completion Delay (Days)",
        aggregator="avg",
        readonly=True,
        help="Actual completion minus the promised completion date; for an order "
        "not completed yet and already past that date, the days late so far.",
    )
    on_time_completion = fields.Float(
        string="On-Time Completion",
        aggregator="avg",
        readonly=True,
        help="1 when completed on or before the promised date, 0 when later or "
        "still not completed after it, empty while not due: the average is the "
        "on-time rate.",
    )
    requested_date = fields.Date(string="Requested Date", readonly=True)
    delivered_on = fields.Date(
        string="Delivered On",
        readonly=True,
        help="The company's local day on which the last delivery was validated.",
    )
    delivery_delay_days = fields.Integer(
        string="Delivery Delay (Days)",
        aggregator="avg",
        readonly=True,
        help="Delivery day minus the requested date; for an order not delivered "
        "yet and already past that date, the days late so far.",
    )
    on_time_delivery = fields.Float(
        string="On-Time Delivery",
        aggregator="avg",
        readonly=True,
        help="1 when delivered on or before the requested date, 0 when later or "
        "still not delivered after it, empty while not due: the average is the "
        "on-time rate.",
    )
    reply_overdue = fields.Boolean(
        string="Reply Overdue",
        readonly=True,
        help="The reply promised to the customer (F4) came after the promised "
        "time, or is still missing after it.",
    )
    problem_count = fields.Integer(string="Problems", readonly=True)
    open_problem_count = fields.Integer(string="Open Problems", readonly=True)
    amount_untaxed = fields.Monetary(
        string="Untaxed Amount",
        currency_field="currency_id",
        readonly=True,
        help="In the company's currency.",
    )

    # ------------------------------------------------------------------
    # SELECTIONS
    # ------------------------------------------------------------------
    @api.model
    def _selection_kefu_stage(self):
        # The order's own stages, translated as the order translates them.
        return (
            self.env["sale.order"]
            ._fields["kefu_stage"]
            ._description_selection(self.env)
        )

    # ------------------------------------------------------------------
    # THE QUERY
    # ------------------------------------------------------------------
    def _with_sheet_sent(self):
        """First sending of the sheet and the clerk who sent it, per order: the
        one place to repoint when sendings become records of their own."""
        return SQL(
            """
            SELECT so.id AS order_id,
                   so.kefu_sheet_sent_at AS sent_at,
                   so.kefu_sheet_sent_by AS clerk_id
              FROM sale_order so
             WHERE so.kefu_sheet_sent_at IS NOT NULL
            """
        )

    def _with_returned(self):
        return SQL(
            """
            SELECT r.order_id, MIN(r.recorded_at) AS returned_at
              FROM kefu_sheet_return r
             WHERE r.kind = 'sheet' AND r.accepted
             GROUP BY r.order_id
            """
        )

    def _with_completed(self):
        return SQL(
            """
            SELECT c.order_id, MAX(c.completion_date) AS completed_on
              FROM kefu_completion_statement c
             WHERE c.state = 'signed'
             GROUP BY c.order_id
            """
        )

    def _with_problems(self):
        return SQL(
            """
            SELECT m.order_id,
                   COUNT(*) AS problem_count,
                   COUNT(*) FILTER (WHERE m.is_open_problem) AS open_problem_count
              FROM kefu_monitoring m
             WHERE m.is_problem
             GROUP BY m.order_id
            """
        )

    def _with_delivered(self):
        return SQL(
            """
            SELECT p.sale_id AS order_id, MAX(p.date_done) AS done_at
              FROM stock_picking p
              JOIN stock_picking_type t ON t.id = p.picking_type_id
             WHERE p.sale_id IS NOT NULL
               AND p.state = 'done'
               AND t.code = 'outgoing'
             GROUP BY p.sale_id
            """
        )

    def _query(self):
        now = fields.Datetime.now()

        def local_day(column):
            return SQL(
                "(%s AT TIME ZONE 'UTC' AT TIME ZONE COALESCE(cp.tz, 'UTC'))::date",
                column,
            )

        today = local_day(SQL("%s::timestamp", now))
        open_ = SQL("so.kefu_stage != 'cancel'")
        completion_delay = SQL(
            """CASE
                 WHEN done.completed_on IS NOT NULL
                 THEN done.completed_on - so.kefu_completion_date
                 WHEN %(open)s AND %(today)s > so.kefu_completion_date
                 THEN %(today)s - so.kefu_completion_date
               END""",
            open=open_,
            today=today,
        )
        delivered_on = local_day(SQL("dlv.done_at"))
        delivery_delay = SQL(
            """CASE
                 WHEN dlv.done_at IS NOT NULL
                 THEN %(delivered_on)s - so.kefu_requested_date
                 WHEN %(open)s AND %(today)s > so.kefu_requested_date
                 THEN %(today)s - so.kefu_requested_date
               END""",
            delivered_on=delivered_on,
            open=open_,
            today=today,
        )
        return SQL(
            """
            WITH sent AS (%(sent)s),
                 returned AS (%(returned)s),
                 completed AS (%(completed)s),
                 problems AS (%(problems)s),
                 delivered AS (%(delivered)s)
            SELECT so.id AS id,
                   so.id AS order_id,
                   so.company_id,
                   company.currency_id,
                   so.partner_id,
                   so.kefu_grade_id AS grade_id,
                   so.user_id,
                   sent.clerk_id,
                   so.kefu_stage,
                   so.date_order,
                   sent.sent_at AS sheet_sent_at,
                   ret.returned_at,
                   ROUND(
                       (EXTRACT(EPOCH FROM ret.returned_at - sent.sent_at)
                        / 3600.0)::numeric, 2
                   ) AS return_hours,
                   CASE WHEN sent.sent_at IS NOT NULL
                        THEN COALESCE(so.kefu_slip_days, 0)
                   END AS slip_days,
                   so.kefu_completion_date AS completion_date,
                   done.completed_on,
                   %(completion_delay)s AS completion_delay_days,
                   CASE WHEN %(completion_delay)s IS NOT NULL
                        THEN (%(completion_delay)s <= 0)::int::float
                   END AS on_time_completion,
                   so.kefu_requested_date AS requested_date,
                   %(delivered_on)s AS delivered_on,
                   %(delivery_delay)s AS delivery_delay_days,
                   CASE WHEN %(delivery_delay)s IS NOT NULL
                        THEN (%(delivery_delay)s <= 0)::int::float
                   END AS on_time_delivery,
                   COALESCE(
                       so.kefu_reply_promise_at < COALESCE(
                           sent.sent_at,
                           CASE WHEN so.kefu_stage IN ('intake', 'review')
                                THEN %(now)s::timestamp
                           END
                       ),
                       FALSE
                   ) AS reply_overdue,
                   COALESCE(prob.problem_count, 0) AS problem_count,
                   COALESCE(prob.open_problem_count, 0) AS open_problem_count,
                   so.amount_untaxed
                       / CASE COALESCE(so.currency_rate, 0)
                              WHEN 0 THEN 1.0 ELSE so.currency_rate
                         END AS amount_untaxed
              FROM sale_order so
              JOIN res_company company ON company.id = so.company_id
              JOIN res_partner cp ON cp.id = company.partner_id
         LEFT JOIN sent ON sent.order_id = so.id
         LEFT JOIN returned ret ON ret.order_id = so.id
         LEFT JOIN completed done ON done.order_id = so.id
         LEFT JOIN problems prob ON prob.order_id = so.id
         LEFT JOIN delivered dlv ON dlv.order_id = so.id
             WHERE so.kefu_stage IS NOT NULL
            """,
            sent=self._with_sheet_sent(),
            returned=self._with_returned(),
            completed=self._with_completed(),
            problems=self._with_problems(),
            delivered=self._with_delivered(),
            completion_delay=completion_delay,
            delivered_on=delivered_on,
            delivery_delay=delivery_delay,
            now=now,
        )

    @property
    def _table_query(self):
        return self._query()

    def init(self):
        # Read by the report's aggregates (see bench/bench_report.py).
        cr = self.env.cr
        create_index(
            cr,
            "kefu_sheet_return_accepted_sheet_index",
            "kefu_sheet_return",
            ["order_id", "recorded_at"],
            where="kind = 'sheet' AND accepted",
        )
        create_index(
            cr,
            "kefu_completion_statement_signed_index",
            "kefu_completion_statement",
            ["order_id", "completion_date"],
            where="state = 'signed'",
        )

    # ------------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------------
    def action_open_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.order_id.id,
            "views": [[False, "form"]],
        }
