# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Demo data only (demo/kefu_demo_sale_order_flow.xml).

The demo orders reach their stages through the flow's own actions; the one
thing the flow cannot do is let time pass. This puts a sent sheet in the past,
and states a completion in one call (a ``<record>`` added to the demo would be
created again, unsigned, when a database with the demo is upgraded).
"""

import datetime

from odoo import api, fields, models

from .kefu_common import transition


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _kefu_demo_backdate_sheet(self, days, backfill_overdue_days=None):
        """Demo only: the sheet went out ``days`` ago; with
        ``backfill_overdue_days``, the back-fill of an early release (and the
        clerk's activity for it) fell due that many days ago."""
        sent = fields.Datetime.now() - datetime.timedelta(days=days)
        for order in self:
            vals = {"kefu_sheet_sent_at": sent}
            transition(order.kefu_sheet_version_id).write({"sent_at": sent})
            if backfill_overdue_days is not None:
                deadline = order._kefu_local_today() - datetime.timedelta(
                    days=backfill_overdue_days
                )
                order.activity_ids.filtered_domain(
                    [("date_deadline", "=", order.kefu_backfill_deadline)]
                ).date_deadline = deadline
                vals["kefu_backfill_deadline"] = deadline
            transition(order).write(vals)

    def _kefu_demo_complete(self, quantity):
        """Demo only: production states today's completion of ``quantity``
        and signs it, as the user of the ``<function>``."""
        for order in self:
            statement = self.env["kefu.completion.statement"].create(
                {
                    "order_id": order.id,
                    "completion_date": order._kefu_local_today(),
                    "quantity": quantity,
                }
            )
            statement.action_sign()

    @api.model
    def _kefu_demo_no_delivery_sms(self, company_id):
        """Demo only: the factory sends no SMS when goods leave (Odoo's SMS is
        an online service the demo has no account for), so validating a
        delivery asks nothing more; where Odoo's stock SMS is installed."""
        company = self.env["res.company"].browse(company_id)
        if "stock_move_sms_validation" in company._fields:
            company.stock_move_sms_validation = False
