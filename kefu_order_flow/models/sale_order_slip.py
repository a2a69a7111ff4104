# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Slippage (F13): while the signed sheet is not back, the planned date slips
one local day per day. Computed from the dates, never accumulated."""

import logging

from psycopg2.errors import SerializationFailure

from odoo import api, fields, models
from odoo.tools import SQL

from ..tools import kefu_dates

_logger = logging.getLogger(__name__)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------------
    kefu_slip_days = fields.Integer(string="Slip Days", copy=False, readonly=True)
    kefu_planned_date = fields.Date(
        string="Planned Date",
        compute="_compute_kefu_planned_date",
        store=True,
        help="Sheet date plus the days slipped while the signed sheet is missing.",
    )

    # ------------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------------
    @api.depends("kefu_sheet_date", "kefu_slip_days")
    def _compute_kefu_planned_date(self):
        for order in self:
            order.kefu_planned_date = kefu_dates.add_days(
                order.kefu_sheet_date, order.kefu_slip_days
            )

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------
    @api.model
    def _cron_kefu_slip(self, today=None):
        """Recompute the slip of every order waiting for its signed sheet.

        Computed, not accumulated: whole local days from the day the sheet was
        first sent to ``today`` (a date of the company's local calendar; default:
        now in each company's timezone). One UPDATE whatever the number of orders;
        orders a user is changing right now are skipped, not waited for (their
        transition sets the slip itself, or the next run catches them).
        """
        self.env["sale.order"].flush_model()
        day = (
            SQL("%s::date", today)
            if today
            else SQL(
                "(%s::timestamp AT TIME ZONE 'UTC'"
                " AT TIME ZONE COALESCE(partner.tz, 'UTC'))::date",
                fields.Datetime.now(),
            )
        )
        sent_day = SQL(
            "(so.kefu_sheet_sent_at AT TIME ZONE 'UTC'"
            " AT TIME ZONE COALESCE(partner.tz, 'UTC'))::date"
        )
        slip = SQL("GREATEST(%s - %s, 0)", day, sent_day)
        query = SQL(
            """
                UPDATE sale_order so
                   SET kefu_slip_days = %(slip)s,
                       kefu_planned_date = so.kefu_sheet_date + %(slip)s
                  FROM res_company company
                  JOIN res_partner partner ON partner.id = company.partner_id
                 WHERE company.id = so.company_id
                   AND so.id IN (
                           SELECT id
                             FROM sale_order
                            WHERE kefu_stage = 'sheet_sent'
                              AND kefu_sheet_sent_at IS NOT NULL
                              FOR NO KEY UPDATE SKIP LOCKED)
                   AND (so.kefu_slip_days IS DISTINCT FROM %(slip)s
                        OR so.kefu_planned_date IS DISTINCT FROM
                           so.kefu_sheet_date + %(slip)s)
                RETURNING so.id
                """,
            slip=slip,
        )
        try:
            # Odoo runs the job in a REPEATABLE READ snapshot: an order a user
            # changed and committed since it began cannot be locked, even with
            # SKIP LOCKED. Then this run leaves the slip to the next one.
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(query, log_exceptions=False)
                ids = [row[0] for row in self.env.cr.fetchall()]
        except SerializationFailure:
            _logger.info("Slip not updated: orders changed under it; next run.")
            return 0
        # The UPDATE wrote both stored fields; nothing stored depends on them.
        self.env["sale.order"].invalidate_model(["kefu_slip_days", "kefu_planned_date"])
        return len(ids)
