# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The signed return (F11): registering what came back from the customer (what a
return needs to count is the return model's, kefu_sheet_return.py), and
the back-fill of grade A's early release (F12)."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from .kefu_common import (
    GROUP_PRODUCTION,
    GROUP_SUPERVISOR,
    in_company_lang,
    kefu_arguments,
    transition,
)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------------
    kefu_return_state = fields.Selection(
        [
            ("none", "Not Sent"),
            ("pending", "Awaiting Return"),
            ("rejected", "Rejected"),
            ("accepted", "Accepted"),
        ],
        string="Signed Return",
        default="none",
        required=True,
        copy=False,
        readonly=True,
        tracking=True,
    )
    kefu_return_ids = fields.One2many(
        "kefu.sheet.return", "order_id", string="Returns", readonly=True
    )
    kefu_backfill_pending = fields.Boolean(
        string="Back-fill Pending", copy=False, readonly=True, tracking=True
    )
    kefu_backfill_deadline = fields.Date(
        string="Back-fill Deadline", copy=False, readonly=True
    )
    kefu_backfill_alerted = fields.Boolean(
        string="Overdue Back-fill Reported", copy=False, readonly=True
    )

    # ------------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------------
    @kefu_arguments(
        accepted="flag",
        note="text",
        reject_reason="text",
        sheet_version="number",
        attachment_id="record_id",
        signer="name_or_id",
    )
    def action_kefu_register_return(
        self,
        accepted,
        note=False,
        reject_reason=False,
        sheet_version=False,
        attachment_id=False,
        signer=False,
    ):
        """Record the signed sheet that came back from the customer (F11).

        An accepted return of the current version, with its scan
        (``attachment_id``) and the customer's person who signed or stamped it
        (``signer``), moves the order to ``returned`` (or clears the back-fill
        of an early release); a rejected one, with its reason, keeps it waiting
        for a corrected sheet.
        """
        self.ensure_one()
        step = self._kefu_enter("register_return")
        backfill = self.kefu_stage == "released"
        if backfill and not self.kefu_backfill_pending:
            self._kefu_refuse_stage(("sheet_sent",))
        if not backfill and self.kefu_return_state != "pending":
            raise UserError(
                self.env._(
                    "No sheet of %(order)s is waiting for its return: send a new "
                    "version first.",
                    order=self.name,
                )
            )
        current = self.kefu_sheet_version_id
        if current.state != "current":
            raise UserError(
                self.env._(
                    "Version %(version)s of the sheet of %(order)s no longer stands "
                    "(%(state)s): send a new version first.",
                    version=current.version,
                    order=self.name,
                    state=dict(
                        current._fields["state"]._description_selection(self.env)
                    ).get(current.state, "-"),
                )
            )
        version = sheet_version or self.kefu_sheet_version
        if version != self.kefu_sheet_version:
            raise UserError(
                self.env._(
                    "This return answers sheet version %(version)s, but version "
                    "%(last)s was sent last: only a return of the last version counts.",
                    version=version,
                    last=self.kefu_sheet_version,
                )
            )
        self.env["kefu.sheet.return"]._kefu_register(
            self,
            "sheet",
            accepted,
            note,
            reject_reason,
            attachment_id,
            sheet_version=current,
            signer=signer,
        )
        if not accepted:
            transition(self).write({"kefu_return_state": "rejected"})
            if backfill:
                self._kefu_alert_backfill(
                    self.env._("the back-filled sheet was rejected")
                )
            return True
        vals = {"kefu_return_state": "accepted"}
        if backfill:
            vals.update(kefu_backfill_pending=False, kefu_backfill_deadline=False)
        else:
            # The sheet is back: the slip stops (F13).
            vals["kefu_stage"] = step.target
            vals["kefu_slip_days"] = self._kefu_slip_days()
        transition(self).write(vals)
        self._kefu_step_done("register_return")
        return True

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------
    def _kefu_alert_backfill(self, why):
        """A back-fill that failed (rejected, or past its deadline) goes to the
        customer-service supervisors and the production supervisor."""
        self.ensure_one()
        summary = self.env._(
            "Back-fill of %(order)s: %(why)s", order=self.name, why=why
        )
        for user in self._kefu_department_users(GROUP_SUPERVISOR):
            self.activity_schedule(
                "kefu_order_flow.mail_activity_kefu_backfill",
                summary=summary,
                user_id=user.id,
            )
        self._kefu_tell(summary, self._kefu_department_users(GROUP_PRODUCTION))

    @api.model
    def _cron_kefu_backfill_overdue(self, batch=200):
        """Early releases whose signed sheet is past its back-fill deadline: tell
        the supervisors once (a second run finds the alert already there),
        ``batch`` orders a run; the cron runs again at once while some wait."""
        domain = [
            ("kefu_backfill_pending", "=", True),
            ("kefu_backfill_deadline", "<", self._kefu_local_today()),
            ("kefu_backfill_alerted", "=", False),
        ]
        orders = self.search(domain, limit=batch)
        for order in orders:
            order = in_company_lang(order, order.company_id)
            order._kefu_alert_backfill(order.env._("past its deadline"))
        transition(orders).write({"kefu_backfill_alerted": True})
        self.env["ir.cron"]._notify_progress(
            done=len(orders), remaining=self.search_count(domain)
        )
        return len(orders)
