# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.tools import SQL

# The covering partial indexes of the report's query, name -> (table, key,
# included columns, condition): init() makes them; the uninstall hook drops
# them, since Odoo's uninstall leaves those on its own tables.
REPORT_INDEXES = {
    # the sent CTE: a second, narrow read of sale_order
    "kefu_order_report_sheet_sent_index": (
        "sale_order",
        "id",
        "kefu_sheet_sent_at, kefu_sheet_sent_by",
        "kefu_sheet_sent_at IS NOT NULL",
    ),
    "kefu_order_report_returned_index": (
        "kefu_sheet_return",
        "order_id",
        "recorded_at",
        "kind = 'sheet' AND accepted",
    ),
    "kefu_order_report_completed_index": (
        "kefu_completion_statement",
        "order_id",
        "completion_date",
        "state = 'signed'",
    ),
    "kefu_order_report_delivered_index": (
        "stock_picking",
        "sale_id",
        "date_done, picking_type_id",
        "sale_id IS NOT NULL AND state = 'done'",
    ),
}


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
        "stock.picking": [
            "sale_id",
            "state",
            "date_done",
            "picking_type_id",
            "company_id",
        ],
        "stock.picking.type": ["code"],
        "res.company": ["currency_id", "partner_id"],
        "res.partner": ["tz"],
    }

    # ------------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------------
    order_id = fields.Many2one("sale.order", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    grade_id = fields.Many2one(
        "kefu.customer.grade", string="Customer Grade", readonly=True
    )
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    clerk_id = fields.Many2one(
        "res.users",
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
        digits=(16, 2),
        aggregator="avg",
        readonly=True,
        help="Wall-clock hours from the first sending of the sheet to the "
        "accepted signed return.",
    )
    slip_days = fields.Float(
        digits=(16, 1),
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
    completion_delay_days = fields.Float(
        string="Completion Delay (Days)",
        digits=(16, 1),
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
    requested_date = fields.Date(readonly=True)
    delivered_on = fields.Date(
        readonly=True,
        help="The company's local day on which the last delivery was validated.",
    )
    delivery_delay_days = fields.Float(
        string="Delivery Delay (Days)",
        digits=(16, 1),
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

    # What happened to the order after the sheet went out, one branch per
    # register, each as (order_id, returned_at, completed_on, problem,
    # open_problem, done_at): read in one pass and joined once.
    def _events_returned(self):
        """Accepted signed returns of the sheet."""
        return SQL(
            """
            SELECT r.order_id, r.recorded_at, NULL::date, FALSE, FALSE,
                   NULL::timestamp
              FROM kefu_sheet_return r
             WHERE r.kind = 'sheet' AND r.accepted
            """
        )

    def _events_completed(self):
        """Production's signed completion statements."""
        return SQL(
            """
            SELECT c.order_id, NULL::timestamp, c.completion_date, FALSE, FALSE,
                   NULL::timestamp
              FROM kefu_completion_statement c
             WHERE c.state = 'signed'
            """
        )

    def _events_problems(self):
        """Production problems reported while monitoring."""
        return SQL(
            """
            SELECT m.order_id, NULL::timestamp, NULL::date, TRUE, m.is_open_problem,
                   NULL::timestamp
              FROM kefu_monitoring m
             WHERE m.is_problem
            """
        )

    def _events_delivered(self):
        """Validated deliveries to the customer."""
        return SQL(
            """
            SELECT p.sale_id, NULL::timestamp, NULL::date, FALSE, FALSE, p.date_done
              FROM stock_picking p
              JOIN stock_picking_type t ON t.id = p.picking_type_id
             WHERE p.sale_id IS NOT NULL
               AND p.state = 'done'
               AND t.code = 'outgoing'
            """
        )

    def _with_events(self):
        return SQL(
            """
            SELECT e.order_id,
                   MIN(e.returned_at) AS returned_at,
                   MAX(e.completed_on) AS completed_on,
                   COUNT(*) FILTER (WHERE e.problem) AS problem_count,
                   COUNT(*) FILTER (WHERE e.open_problem) AS open_problem_count,
                   MAX(e.done_at) AS done_at
              FROM (%s UNION ALL %s UNION ALL %s UNION ALL %s)
                AS e (order_id, returned_at, completed_on, problem, open_problem,
                      done_at)
             GROUP BY e.order_id
            """,
            self._events_returned(),
            self._events_completed(),
            self._events_problems(),
            self._events_delivered(),
        )

    def _with_company_day(self, now):
        """Each company's currency, time zone and local day at ``now``: computed
        once per company, not per row."""
        return SQL(
            """
            SELECT company.id AS company_id,
                   company.currency_id,
                   COALESCE(cp.tz, 'UTC') AS tz,
                   (%s::timestamp AT TIME ZONE 'UTC'
                    AT TIME ZONE COALESCE(cp.tz, 'UTC'))::date AS today
              FROM res_company company
              JOIN res_partner cp ON cp.id = company.partner_id
            """,
            now,
        )

    def _query(self):
        now = fields.Datetime.now()

        def late(column):  # an open order past the date, not done yet
            return SQL("so.kefu_stage != 'cancel' AND cd.today > %s", SQL(column))

        return SQL(
            """
            WITH company_day AS MATERIALIZED (%(company_day)s),
                 sent AS (%(sent)s),
                 events AS (%(events)s)
            SELECT so.id AS id,
                   so.id AS order_id,
                   so.company_id,
                   cd.currency_id,
                   so.partner_id,
                   so.kefu_grade_id AS grade_id,
                   so.user_id,
                   sent.clerk_id,
                   so.kefu_stage,
                   so.date_order,
                   sent.sent_at AS sheet_sent_at,
                   ev.returned_at,
                   date_part('epoch', ev.returned_at - sent.sent_at) / 3600.0
                       AS return_hours,
                   CASE WHEN sent.sent_at IS NOT NULL
                        THEN COALESCE(so.kefu_slip_days, 0)::float
                   END AS slip_days,
                   so.kefu_completion_date AS completion_date,
                   ev.completed_on,
                   CASE WHEN ev.completed_on IS NOT NULL
                        THEN (ev.completed_on - so.kefu_completion_date)::float
                        WHEN %(completion_late)s
                        THEN (cd.today - so.kefu_completion_date)::float
                   END AS completion_delay_days,
                   CASE WHEN ev.completed_on IS NOT NULL
                        THEN (ev.completed_on <= so.kefu_completion_date)::int::float
                        WHEN %(completion_late)s THEN 0::float
                   END AS on_time_completion,
                   so.kefu_requested_date AS requested_date,
                   %(delivered_on)s AS delivered_on,
                   CASE WHEN ev.done_at IS NOT NULL
                        THEN (%(delivered_on)s - so.kefu_requested_date)::float
                        WHEN %(delivery_late)s
                        THEN (cd.today - so.kefu_requested_date)::float
                   END AS delivery_delay_days,
                   CASE WHEN ev.done_at IS NOT NULL
                        THEN (%(delivered_on)s <= so.kefu_requested_date)::int::float
                        WHEN %(delivery_late)s THEN 0::float
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
                   COALESCE(ev.problem_count, 0) AS problem_count,
                   COALESCE(ev.open_problem_count, 0) AS open_problem_count,
                   so.amount_untaxed
                       / CASE COALESCE(so.currency_rate, 0)
                              WHEN 0 THEN 1.0 ELSE so.currency_rate
                         END AS amount_untaxed
              FROM sale_order so
              JOIN company_day cd ON cd.company_id = so.company_id
         LEFT JOIN sent ON sent.order_id = so.id
         LEFT JOIN events ev ON ev.order_id = so.id
             WHERE so.kefu_stage IS NOT NULL
            """,
            company_day=self._with_company_day(now),
            sent=self._with_sheet_sent(),
            events=self._with_events(),
            delivered_on=SQL(
                "(ev.done_at AT TIME ZONE 'UTC' AT TIME ZONE cd.tz)::date"
            ),
            completion_late=late("so.kefu_completion_date"),
            delivery_late=late("so.kefu_requested_date"),
            now=now,
        )

    @property
    def _table_query(self):
        return self._query()

    def init(self):
        """Covering partial indexes for what the query reads, so that each
        source is one index-only scan instead of a pass over a wide table (see
        bench/bench_report.py)."""
        for name, (table, key, include, where) in REPORT_INDEXES.items():
            self.env.cr.execute(
                SQL(
                    "CREATE INDEX IF NOT EXISTS %s ON %s (%s) INCLUDE (%s) WHERE %s",
                    SQL.identifier(name),
                    SQL.identifier(table),
                    SQL(key),
                    SQL(include),
                    SQL(where),
                )
            )

    @api.model
    def _read_group(self, *args, **kwargs):
        # The pivot, the graph and the dashboard group the whole view: a wide
        # query of many expressions that PostgreSQL's JIT compiles for longer
        # (0.5 s and more at 100,000 orders) than it then runs. Off for the rest
        # of this transaction only.
        self.env.cr.execute("SET LOCAL jit = off")
        return super()._read_group(*args, **kwargs)

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
