# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Grades and deposits (F12), the release of the production order (F14),
which is Odoo's ``action_confirm()`` behind the flow's blockers, and the change
order (改单) of a released order."""

import datetime

import pytz
from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError

from ..tools import kefu_dates
from .kefu_common import (
    KEFU_LOCKED_STAGES,
    KEFU_TRANSITION,
    is_transition,
    kefu_arguments,
    transition,
)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------------
    kefu_production_ack_by = fields.Many2one(
        "res.users",
        string="Production Order Acknowledged By",
        copy=False,
        readonly=True,
        tracking=True,
    )
    kefu_production_ack_at = fields.Datetime(
        string="Acknowledged At", copy=False, readonly=True
    )
    kefu_override_reason = fields.Text(
        string="Override Reason", copy=False, readonly=True, tracking=True
    )
    kefu_override_by = fields.Many2one(
        "res.users", string="Overridden By", copy=False, readonly=True
    )
    kefu_override_at = fields.Datetime(
        string="Overridden At", copy=False, readonly=True
    )
    kefu_ship_state = fields.Selection(
        [
            ("not_required", "No Approval Needed"),
            ("awaiting_payment", "Awaiting Payment"),
            ("approved", "Approved"),
        ],
        string="Shipping",
        default="not_required",
        required=True,
        copy=False,
        readonly=True,
        tracking=True,
    )
    # Whoever reads the order reads the same blockers (a salesperson may not
    # read the confirmations they come from).
    kefu_release_blockers = fields.Text(
        string="Release Blockers",
        compute="_compute_kefu_release_blockers",
        compute_sudo=True,
    )

    # ------------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------------
    @api.depends(
        "kefu_stage",
        "kefu_missing_items",
        "kefu_price_state",
        "kefu_grade_id",
        "kefu_return_state",
        "kefu_sheet_received_at",
        "kefu_deposit_state",
        "kefu_tech_confirmation_id",
        "kefu_production_confirmation_id",
        "kefu_content_fingerprint",
        "state",
    )
    def _compute_kefu_release_blockers(self):
        for order in self:
            order.kefu_release_blockers = "\n".join(order._get_kefu_release_blockers())

    # ------------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------------
    def _confirmation_error_message(self):
        return super()._confirmation_error_message() or self._kefu_blockers_message()

    def _kefu_blockers_message(self):
        blockers = self._get_kefu_release_blockers()
        if blockers and self.env.context.get("kefu_override") is not KEFU_TRANSITION:
            return self.env._(
                "The production order of %(order)s cannot be released:\n%(blockers)s",
                order=self.name,
                blockers="\n".join(blockers),
            )
        return False

    def action_confirm(self):
        """Release the production order (F12, F14): every blocker gone, or the
        supervisor's override. Orders outside the flow's scope are Odoo's."""
        if not self.filtered("kefu_stage"):
            return super().action_confirm()
        core = self.filtered(lambda o: not o.kefu_stage)
        if core:
            super(SaleOrder, core).action_confirm()
            self -= core  # noqa: PLW0642
        if self._kefu_is_customer_side():
            # Portal signature or online payment: the customer never meets an
            # internal gate; customer service checks what came in and releases.
            if not self.env.su:
                self.check_access("write")
            self._kefu_record_customer_action()
            return True
        step = self._kefu_enter("release")
        # A change order is released again: Odoo's order is confirmed already.
        changed = self.filtered(lambda o: o.state == "sale")
        for order in self:
            error = (
                order._kefu_blockers_message()
                if order in changed
                else order._confirmation_error_message()
            )
            if error:
                raise UserError(error)
        for order in self:
            vals = {
                "kefu_stage": step.target,
                "kefu_ship_state": "awaiting_payment"
                if order.kefu_grade_id.ship_requires_payment
                else "not_required",
            }
            if order.kefu_stage == "sheet_sent":
                # Released before the signed return: the slip stops (F13).
                vals["kefu_slip_days"] = order._kefu_slip_days()
            if order.kefu_return_state != "accepted":
                vals.update(
                    kefu_backfill_alerted=False,
                    kefu_backfill_pending=True,
                    kefu_backfill_deadline=kefu_dates.add_days(
                        order._kefu_local_today(), order.kefu_grade_id.backfill_days
                    ),
                )
            transition(order).write(vals)
            transition(order).write(
                {"commitment_date": order._kefu_commitment_datetime()}
            )
        res = True
        if self - changed:
            res = super(SaleOrder, transition(self - changed)).action_confirm()
        for order in self.filtered("kefu_backfill_pending"):
            order.activity_schedule(
                "kefu_order_flow.mail_activity_kefu_backfill",
                date_deadline=order.kefu_backfill_deadline,
                summary=self.env._(
                    "Back-fill the signed sheet of %(order)s", order=order.name
                ),
                user_id=self.env.user.id,
            )
        self._kefu_step_done("release")
        return res

    @kefu_arguments(reason="text")
    def action_kefu_override_release(self, reason):
        """The supervisor releases despite blockers, with a reason (the one
        sanctioned way around the gate), logged in the chatter."""
        self.ensure_one()
        reason = (reason or "").strip()
        self._kefu_enter("override_release")
        if len(reason) < 4:
            raise UserError(
                self.env._("An override needs a reason (at least 4 characters).")
            )
        # A commercial decision past the waits (the signed return, the deposit),
        # never past the written confirmations or an unresolved price.
        unconfirmed = self._get_kefu_review_blockers()
        if unconfirmed:
            raise UserError(
                self.env._(
                    "The override releases past the signed return and the deposit "
                    "only; %(order)s still lacks:\n%(blockers)s",
                    order=self.name,
                    blockers="\n".join(unconfirmed),
                )
            )
        blockers = self._get_kefu_release_blockers()
        self.message_post(
            body=Markup("%s<br/>%s<ul>%s</ul>")
            % (
                self.env._(
                    "Release overridden by %(user)s. Reason: %(reason)s",
                    user=self.env.user.name,
                    reason=reason,
                ),
                self.env._("Blockers overridden:"),
                Markup().join(Markup("<li>%s</li>") % b for b in blockers),
            ),
            subtype_xmlid="mail.mt_note",
        )
        transition(self).write(
            {
                "kefu_override_reason": reason,
                "kefu_override_by": self.env.user.id,
                "kefu_override_at": fields.Datetime.now(),
            }
        )
        return self.with_context(kefu_override=KEFU_TRANSITION).action_confirm()

    @kefu_arguments(reason="text")
    def action_kefu_change_order(self, reason):
        """Change order (改单): a released order's content changes only this way.
        Back to review while Odoo's order stays confirmed; deliveries wait until
        it is released again, which needs what a first release needs."""
        self.ensure_one()
        reason = (reason or "").strip()
        step = self._kefu_enter("change_order")
        if len(reason) < 4:
            raise UserError(
                self.env._("A change order needs a reason (at least 4 characters).")
            )
        transition(self).write(
            {
                "kefu_stage": step.target,
                "kefu_return_state": "none",
                "kefu_backfill_pending": False,
                "kefu_backfill_deadline": False,
                "kefu_production_ack_by": False,
                "kefu_production_ack_at": False,
            }
        )
        self._kefu_step_done("change_order", reason=reason)
        return True

    def action_kefu_acknowledge_production(self):
        """The production supervisor signs for the production order (F14)."""
        self._kefu_enter("acknowledge_production")
        for order in self:
            if order.kefu_production_ack_at:
                raise UserError(
                    self.env._(
                        "The production order of %(order)s was already acknowledged.",
                        order=order.name,
                    )
                )
        # Production reads the order only: its signature is the authorisation.
        orders = self.sudo()
        transition(orders).write(
            {
                "kefu_production_ack_by": self.env.user.id,
                "kefu_production_ack_at": fields.Datetime.now(),
            }
        )
        for order in orders:
            order.message_post(
                body=self.env._(
                    "Production order acknowledged by %(user)s.",
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        self._kefu_step_done("acknowledge_production")
        return True

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------
    def _get_kefu_release_blockers(self):
        """Every reason the production order cannot be released now (F12)."""
        self.ensure_one()
        if not self.kefu_stage:  # outside the flow's scope: Odoo's order
            return []
        if self.kefu_stage == "cancel":
            return [self.env._("The order is cancelled.")]
        if self.kefu_stage in KEFU_LOCKED_STAGES:
            return []
        grade = self.kefu_grade_id
        if not grade:
            return [
                self.env._(
                    "The customer has no grade: set one on the customer (supervisor)."
                )
            ]
        if self.kefu_stage == "intake":
            return [
                self.env._(
                    "The order is still in intake: complete it and start the review."
                )
            ]
        blockers = []
        if self.kefu_stage == "review":
            blockers = self._get_kefu_review_blockers()
            blockers.append(
                self.env._("The confirmation sheet has not been sent (clerk).")
            )
        elif self.kefu_return_state != "accepted" and not grade.release_before_return:
            blockers.append(
                self.env._(
                    "The signed confirmation sheet has not come back: grade "
                    "%(grade)s waits for the signed return (customer, clerk).",
                    grade=grade.name,
                )
            )
        elif self.kefu_return_state == "rejected":
            blockers.append(
                self.env._(
                    "The customer's return of the sheet was rejected: an early "
                    "release waits for a new version to be sent (clerk)."
                )
            )
        elif self.kefu_return_state != "accepted" and not self.kefu_sheet_received_at:
            blockers.append(
                self.env._(
                    "%(grade)s may release before the signed return only once the "
                    "customer confirmed the fax arrived clearly (clerk: Fax Received "
                    "Clearly).",
                    grade=grade.name,
                )
            )
        # Once sent, the version is the question: Send Sheet made it only with
        # the review clear, and nothing the review checks moves but with the
        # content, which the version compares.
        version = self.kefu_sheet_version_id
        contract = self.kefu_stage != "review" and version._kefu_contract_error()
        if contract:
            blockers.append(contract)
        if self.kefu_deposit_state == "awaiting":
            blockers.append(
                self.env._(
                    "The deposit of %(amount)s has not been received (finance).",
                    amount=self.currency_id.format(self.kefu_deposit_amount),
                )
            )
        return blockers

    def _kefu_is_customer_side(self):
        """Called by the portal or an online payment, not by customer service.

        The customer path only records what happened, it never releases: a caller
        who claims it through the context gains nothing.
        """
        if is_transition(self):
            return False
        return self.env.user.share or (
            self.env.su and bool(self.env.context.get("kefu_customer_side"))
        )

    def _kefu_record_customer_action(self):
        # Recorded by OdooBot: the acting user is a customer or the public user.
        for order in self.with_user(SUPERUSER_ID):
            if order.signed_on and order.kefu_return_state == "pending":
                summary = self.env._(
                    "The customer signed %(order)s online: check the signature as "
                    "the signed return",
                    order=order.name,
                )
            else:
                summary = self.env._(
                    "The customer acted on %(order)s online: check it and release "
                    "the production order when nothing blocks it",
                    order=order.name,
                )
            order.activity_schedule(
                "kefu_order_flow.mail_activity_kefu_online",
                summary=summary,
                user_id=(order.kefu_sheet_sent_by or order.user_id).id
                or self.env.ref("base.user_admin").id,
            )

    def _is_confirmation_amount_reached(self):
        # An online payment confirms nothing while the flow has blockers.
        return super()._is_confirmation_amount_reached() and not (
            self._get_kefu_release_blockers()
        )

    def _kefu_commitment_datetime(self):
        """The planned date as Odoo's commitment date (noon, company's local time)."""
        self.ensure_one()
        if not self.kefu_planned_date:
            return self.commitment_date
        tz = pytz.timezone(self.company_id.partner_id.tz or "UTC")
        local = tz.localize(
            datetime.datetime.combine(self.kefu_planned_date, datetime.time(12))
        )
        return local.astimezone(pytz.utc).replace(tzinfo=None)
