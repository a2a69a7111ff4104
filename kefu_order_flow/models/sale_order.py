# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import datetime

import psycopg2
import pytz
from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, float_compare, mute_logger

from ..tools import cn_amount, kefu_dates
from .kefu_common import (
    KEFU_LONG_TEXT,
    KEFU_SHORT_TEXT,
    KEFU_TRANSITION,
    check_text_lengths,
    is_transition,
    transition,
)

KEFU_CHANNELS = [
    ("phone", "Phone"),
    ("fax", "Fax"),
    ("visit", "Visit"),
    ("verbal", "Verbal"),
    ("salesperson", "Salesperson's Hand-Written Order"),
]
KEFU_STAGES = [
    ("intake", "Intake"),
    ("review", "Review"),
    ("sheet_sent", "Sheet Sent"),
    ("returned", "Returned"),
    ("released", "Released"),
    ("shipped", "Shipped"),
    ("done", "Done"),
    ("cancel", "Cancelled"),
]
# Stages in which the sheet's content is under confirmation: changing what the
# customer ordered voids the confirmations and the sheet sent.
KEFU_CONFIRMING_STAGES = ("review", "sheet_sent", "returned")

GROUP_CLERK = "kefu_order_flow.group_kefu_clerk"
GROUP_SUPERVISOR = "kefu_order_flow.group_kefu_supervisor"
GROUP_DIRECTOR = "kefu_order_flow.group_kefu_director"
GROUP_FINANCE = "kefu_order_flow.group_kefu_finance"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # Fields only the flow's transitions may write (see write()).
    _kefu_workflow_fields = frozenset(
        {
            "kefu_stage",
            "kefu_grade_id",
            "kefu_price_state",
            "kefu_price_confirmed_by",
            "kefu_price_confirmed_at",
            "kefu_sheet_version",
            "kefu_sheet_sent_at",
            "kefu_sheet_version_sent_at",
            "kefu_sheet_received_at",
            "kefu_sheet_sent_by",
            "kefu_production_ack_by",
            "kefu_production_ack_at",
            "kefu_override_reason",
            "kefu_override_by",
            "kefu_override_at",
            "kefu_return_state",
            "kefu_slip_days",
            "kefu_planned_date",
            "kefu_deposit_received_amount",
            "kefu_deposit_received_at",
            "kefu_deposit_received_by",
            "kefu_deposit_state",
            "kefu_backfill_pending",
            "kefu_backfill_deadline",
            "kefu_sampling_required",
            "kefu_ship_state",
            "kefu_quantity_out_of_tolerance",
            "kefu_conformity_state",
            "kefu_conformity_sent_at",
            "kefu_payment_received_amount",
            "kefu_payment_received_at",
            "kefu_payment_received_by",
            "kefu_ship_approved_by",
            "kefu_ship_approved_at",
            "kefu_ship_approved_amount",
            "kefu_arrival_confirmed_at",
            "kefu_arrival_confirmed_by",
            "kefu_arrival_contact",
            "kefu_arrival_note",
        }
    )

    # ------------------------------------------------------------------
    # Intake (F1-F4)
    # ------------------------------------------------------------------
    kefu_channel = fields.Selection(
        KEFU_CHANNELS,
        string="Intake Channel",
        default="phone",
        tracking=True,
        help="How the order reached customer service (F1).",
    )
    kefu_memo_ids = fields.One2many(
        "kefu.order.memo", "order_id", string="Customer Information Memo"
    )
    kefu_requested_date = fields.Date(
        string="Requested Date",
        tracking=True,
        copy=False,
        help="The delivery date the customer asked for.",
    )
    kefu_special_notes = fields.Text(string="Special Requirements")
    kefu_supervision_notes = fields.Text(
        string="Supervision Notes",
        help="What the customer service assistant watches during production (F15).",
    )
    kefu_reply_promise_at = fields.Datetime(
        string="Reply Promised For",
        tracking=True,
        copy=False,
        help="When the customer or salesperson was told they would have the sheet "
        "or an answer (F4).",
    )
    kefu_reply_overdue = fields.Boolean(
        string="Reply Overdue",
        compute="_compute_kefu_reply_overdue",
        search="_search_kefu_reply_overdue",
    )
    kefu_missing_items = fields.Text(
        string="Missing Sheet Items", compute="_compute_kefu_missing_items"
    )

    # ------------------------------------------------------------------
    # Stage and grade
    # ------------------------------------------------------------------
    kefu_stage = fields.Selection(
        KEFU_STAGES,
        string="Flow Stage",
        default="intake",
        required=True,
        copy=False,
        readonly=True,
        index=True,
        tracking=True,
        group_expand="_group_expand_kefu_stage",
    )
    kefu_grade_id = fields.Many2one(
        "kefu.customer.grade",
        string="Customer Grade",
        compute="_compute_kefu_grade_id",
        store=True,
        index="btree_not_null",
        tracking=True,
        help="The customer's grade when the order was taken (a snapshot).",
    )

    # ------------------------------------------------------------------
    # Price check (F5)
    # ------------------------------------------------------------------
    kefu_price_state = fields.Selection(
        [
            ("unchecked", "Not Checked"),
            ("ok", "Prices OK"),
            ("mismatch", "Price Mismatch"),
            ("escalated", "Escalated"),
            ("confirmed", "Confirmed"),
        ],
        string="Price Check",
        default="unchecked",
        required=True,
        copy=False,
        readonly=True,
        tracking=True,
    )
    kefu_price_confirmed_by = fields.Many2one(
        "res.users", string="Prices Confirmed By", copy=False, readonly=True
    )
    kefu_price_confirmed_at = fields.Datetime(
        string="Prices Confirmed At", copy=False, readonly=True
    )

    # ------------------------------------------------------------------
    # Written confirmations (F6-F8)
    # ------------------------------------------------------------------
    kefu_tech_confirmation_ids = fields.One2many(
        "kefu.tech.confirmation", "order_id", string="Technical Confirmations"
    )
    kefu_production_confirmation_ids = fields.One2many(
        "kefu.production.confirmation", "order_id", string="Production Confirmations"
    )
    kefu_sampling_required = fields.Boolean(
        string="New-Product Sampling",
        copy=False,
        readonly=True,
        tracking=True,
        help="The technical department cannot produce the order as asked: the "
        "new-product sampling flow (新品开发打样流程) is suggested (F7).",
    )

    # ------------------------------------------------------------------
    # The sheet and its dates (F9, F10, F13)
    # ------------------------------------------------------------------
    kefu_completion_date = fields.Date(
        string="Completion Date",
        compute="_compute_kefu_completion_date",
        store=True,
        help="From the latest signed production confirmation.",
    )
    kefu_sheet_date = fields.Date(
        string="Sheet Date",
        compute="_compute_kefu_sheet_date",
        store=True,
        readonly=False,
        copy=False,
        tracking=True,
        help="The date printed on the sheet (预交日): when the finished goods are "
        "complete, not the shipping date.",
    )
    kefu_sheet_date_reason = fields.Char(
        string="Loosened Because",
        copy=False,
        tracking=True,
        help="Why the sheet date is later than the completion date (payment "
        "method, urgency), as agreed with the salesperson.",
    )
    kefu_sheet_date_agreed_by = fields.Many2one(
        "res.users", string="Agreed By", copy=False, tracking=True
    )
    kefu_sheet_version = fields.Integer(
        string="Sheet Version", copy=False, readonly=True
    )
    kefu_sheet_sent_at = fields.Datetime(
        string="Sheet First Sent", copy=False, readonly=True
    )
    kefu_sheet_version_sent_at = fields.Datetime(
        string="Version Sent", copy=False, readonly=True
    )
    kefu_sheet_sent_by = fields.Many2one(
        "res.users", string="Sheet Sent By", copy=False, readonly=True
    )
    kefu_sheet_received_at = fields.Datetime(
        string="Fax Received Clearly", copy=False, readonly=True, tracking=True
    )
    kefu_slip_days = fields.Integer(string="Slip Days", copy=False, readonly=True)
    kefu_planned_date = fields.Date(
        string="Planned Date",
        compute="_compute_kefu_planned_date",
        store=True,
        help="Sheet date plus the days slipped while the signed sheet is missing.",
    )

    # ------------------------------------------------------------------
    # Return, deposit, release, shipping (F11-F18)
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
    kefu_deposit_percent = fields.Float(
        string="Deposit (%)",
        related="partner_id.commercial_partner_id.kefu_deposit_percent",
    )
    kefu_deposit_required = fields.Boolean(
        string="Deposit Required", compute="_compute_kefu_deposit", store=True
    )
    kefu_deposit_amount = fields.Monetary(
        string="Deposit Amount", compute="_compute_kefu_deposit", store=True
    )
    kefu_deposit_received_amount = fields.Monetary(
        string="Deposit Received", copy=False, readonly=True
    )
    kefu_deposit_received_at = fields.Datetime(
        string="Deposit Received On", copy=False, readonly=True
    )
    kefu_deposit_received_by = fields.Many2one(
        "res.users", string="Deposit Confirmed By", copy=False, readonly=True
    )
    kefu_deposit_state = fields.Selection(
        [
            ("not_required", "Not Required"),
            ("awaiting", "Awaiting Deposit"),
            ("received", "Received"),
        ],
        string="Deposit",
        compute="_compute_kefu_deposit",
        store=True,
        tracking=True,
    )
    kefu_backfill_pending = fields.Boolean(
        string="Back-fill Pending", copy=False, readonly=True, tracking=True
    )
    kefu_backfill_deadline = fields.Date(
        string="Back-fill Deadline", copy=False, readonly=True
    )
    kefu_production_ack_by = fields.Many2one(
        "res.users",
        string="Production Order Acknowledged By",
        copy=False,
        readonly=True,
        tracking=True,
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
    kefu_production_ack_at = fields.Datetime(
        string="Acknowledged At", copy=False, readonly=True
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
    kefu_release_blockers = fields.Text(
        string="Release Blockers", compute="_compute_kefu_release_blockers"
    )

    # ------------------------------------------------------------------
    # After release (F15-F18)
    # ------------------------------------------------------------------
    kefu_monitoring_ids = fields.One2many(
        "kefu.monitoring", "order_id", string="Production Monitoring"
    )
    kefu_open_problem = fields.Boolean(
        string="Open Production Problem",
        compute="_compute_kefu_open_problem",
        store=True,
    )
    kefu_completion_statement_ids = fields.One2many(
        "kefu.completion.statement", "order_id", string="Completion Statements"
    )
    kefu_quantity_out_of_tolerance = fields.Boolean(
        string="Quantity Out of Tolerance", copy=False, readonly=True, tracking=True
    )
    kefu_conformity_state = fields.Selection(
        [
            ("none", "Not Requested"),
            ("sent", "Awaiting Opinion"),
            ("rejected", "Rejected"),
            ("accepted", "Conforms"),
        ],
        string="Conformity Opinion",
        default="none",
        required=True,
        copy=False,
        readonly=True,
        tracking=True,
    )
    kefu_conformity_sent_at = fields.Datetime(
        string="Conformity Request Sent", copy=False, readonly=True
    )
    kefu_payment_received_amount = fields.Monetary(
        string="Payment Received", copy=False, readonly=True
    )
    kefu_payment_received_at = fields.Datetime(
        string="Payment Received On", copy=False, readonly=True
    )
    kefu_payment_received_by = fields.Many2one(
        "res.users", string="Payment Confirmed By", copy=False, readonly=True
    )
    kefu_ship_approved_by = fields.Many2one(
        "res.users", string="Shipping Approved By", copy=False, readonly=True
    )
    kefu_ship_approved_at = fields.Datetime(
        string="Shipping Approved At", copy=False, readonly=True
    )
    kefu_ship_approved_amount = fields.Monetary(
        string="Amount Approved for Shipping", copy=False, readonly=True
    )
    kefu_arrival_expected = fields.Date(
        string="Expected Arrival", copy=False, tracking=True
    )
    kefu_arrival_confirmed_at = fields.Datetime(
        string="Arrival Confirmed", copy=False, readonly=True, tracking=True
    )
    kefu_arrival_confirmed_by = fields.Many2one(
        "res.users", string="Arrival Confirmed By", copy=False, readonly=True
    )
    kefu_arrival_contact = fields.Char(
        string="Confirmed With", copy=False, readonly=True
    )
    kefu_arrival_note = fields.Text(string="Arrival Remarks", copy=False, readonly=True)

    # ------------------------------------------------------------------
    # Compute
    # ------------------------------------------------------------------
    @api.constrains(
        "kefu_special_notes", "kefu_supervision_notes", "kefu_sheet_date_reason"
    )
    def _check_kefu_text_lengths(self):
        check_text_lengths(
            self,
            {
                "kefu_special_notes": KEFU_LONG_TEXT,
                "kefu_supervision_notes": KEFU_LONG_TEXT,
                "kefu_sheet_date_reason": KEFU_SHORT_TEXT,
            },
        )

    @api.constrains("kefu_requested_date", "date_order")
    def _check_kefu_requested_date(self):
        for order in self.filtered("kefu_requested_date"):
            ordered = (order.date_order or fields.Datetime.now()).date()
            if not (
                ordered - relativedelta(days=30)
                <= order.kefu_requested_date
                <= ordered + relativedelta(years=3)
            ):
                raise ValidationError(
                    self.env._(
                        "The requested date %(date)s of %(order)s is implausible: it "
                        "must lie between 30 days before and three years after the "
                        "order date.",
                        date=order.kefu_requested_date,
                        order=order.name,
                    )
                )

    @api.depends("kefu_reply_promise_at", "kefu_stage")
    def _compute_kefu_reply_overdue(self):
        now = fields.Datetime.now()
        for order in self:
            order.kefu_reply_overdue = bool(
                order.kefu_reply_promise_at
                and order.kefu_reply_promise_at < now
                and order.kefu_stage in ("intake", "review")
            )

    def _search_kefu_reply_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on Reply Overdue."))
        domain = [
            ("kefu_reply_promise_at", "<", fields.Datetime.now()),
            ("kefu_stage", "in", ("intake", "review")),
        ]
        return domain if (operator == "=") == value else ["!", "&", *domain]

    @api.depends(
        "payment_term_id",
        "kefu_requested_date",
        "order_line.display_type",
        "order_line.product_id.default_code",
        "order_line.kefu_spec",
        "order_line.kefu_packaging",
        "order_line.product_uom_qty",
        "order_line.price_unit",
    )
    def _compute_kefu_missing_items(self):
        for order in self:
            order.kefu_missing_items = "\n".join(order._get_kefu_missing_items())

    def _get_kefu_missing_items(self):
        """The items of the confirmation sheet still missing, in the user's language."""
        self.ensure_one()
        _ = self.env._
        missing = []
        if not self.partner_id:
            missing.append(_("Customer"))
        if not self.payment_term_id:
            missing.append(_("Payment method (payment terms)"))
        if not self.kefu_requested_date:
            missing.append(_("Requested date"))
        lines = self.order_line.filtered(
            lambda line: not line.display_type and not line.is_downpayment
        )
        if not lines:
            missing.append(_("At least one order line"))
        for index, line in enumerate(lines, start=1):
            label = line.product_id.display_name or _("line %(index)s", index=index)
            if not line.product_id.default_code:
                missing.append(_("%(line)s: product code", line=label))
            if not (line.kefu_spec or "").strip():
                missing.append(_("%(line)s: specification", line=label))
            if not (line.kefu_packaging or "").strip():
                missing.append(_("%(line)s: packaging", line=label))
            if line.product_uom_qty <= 0:
                missing.append(_("%(line)s: quantity", line=label))
            if line.price_unit <= 0:
                missing.append(_("%(line)s: unit price", line=label))
        return missing

    def _group_expand_kefu_stage(self, stages, domain):
        return [key for key, _label in KEFU_STAGES if key != "cancel"]

    @api.depends("partner_id")
    def _compute_kefu_grade_id(self):
        for order in self:
            order.kefu_grade_id = order.partner_id.commercial_partner_id.kefu_grade_id

    @api.depends(
        "kefu_production_confirmation_ids.state",
        "kefu_production_confirmation_ids.completion_date",
    )
    def _compute_kefu_completion_date(self):
        for order in self:
            order.kefu_completion_date = (
                order._get_kefu_signed(order.kefu_production_confirmation_ids)
            ).completion_date

    @api.depends("kefu_completion_date")
    def _compute_kefu_sheet_date(self):
        for order in self:
            if not order.kefu_sheet_date or (
                order.kefu_completion_date
                and order.kefu_sheet_date < order.kefu_completion_date
            ):
                order.kefu_sheet_date = order.kefu_completion_date

    @api.depends("kefu_sheet_date", "kefu_slip_days")
    def _compute_kefu_planned_date(self):
        for order in self:
            order.kefu_planned_date = kefu_dates.add_days(
                order.kefu_sheet_date, order.kefu_slip_days
            )

    @api.depends(
        "partner_id.commercial_partner_id.kefu_deposit_percent",
        "amount_total",
        "kefu_deposit_received_at",
    )
    def _compute_kefu_deposit(self):
        for order in self:
            percent = order.partner_id.commercial_partner_id.kefu_deposit_percent
            order.kefu_deposit_required = percent > 0
            order.kefu_deposit_amount = order.currency_id.round(
                order.amount_total * percent / 100
            )
            if order.kefu_deposit_received_at:
                order.kefu_deposit_state = "received"
            elif percent > 0:
                order.kefu_deposit_state = "awaiting"
            else:
                order.kefu_deposit_state = "not_required"

    @api.depends(
        "kefu_stage",
        "kefu_missing_items",
        "kefu_price_state",
        "kefu_grade_id",
        "kefu_return_state",
        "kefu_deposit_state",
        "kefu_tech_confirmation_ids.state",
        "kefu_production_confirmation_ids.state",
        "state",
    )
    def _compute_kefu_release_blockers(self):
        for order in self:
            order.kefu_release_blockers = "\n".join(order._get_kefu_release_blockers())

    @api.depends("kefu_monitoring_ids.is_open_problem")
    def _compute_kefu_open_problem(self):
        for order in self:
            order.kefu_open_problem = any(
                order.kefu_monitoring_ids.mapped("is_open_problem")
            )

    def _get_kefu_signed(self, confirmations):
        """The latest signed statement among ``confirmations``."""
        signed = confirmations.filtered(lambda rec: rec.state == "signed")
        return signed.sorted(lambda rec: (rec.signed_at, rec.id), reverse=True)[:1]

    def _get_kefu_review_blockers(self):
        """What keeps the sheet from being sent: prices and both confirmations."""
        self.ensure_one()
        _ = self.env._
        blockers = [
            _("Missing sheet item: %(item)s", item=item)
            for item in self._get_kefu_missing_items()
        ]
        if self.kefu_price_state not in ("ok", "confirmed"):
            blockers.append(
                _("Prices are not checked or not confirmed (clerk, supervisor).")
            )
        tech = self._get_kefu_signed(self.kefu_tech_confirmation_ids)
        if not tech:
            blockers.append(
                _("No signed technical confirmation (technical department).")
            )
        elif not tech.is_positive:
            blockers.append(
                _(
                    "The technical department cannot produce the order as asked: "
                    "new-product sampling or the customer's written choice of the "
                    "old formula is needed."
                )
            )
        if not self._get_kefu_signed(self.kefu_production_confirmation_ids):
            blockers.append(
                _("No signed production confirmation (production department).")
            )
        if self.kefu_sheet_date and self.kefu_completion_date:
            if self.kefu_sheet_date < self.kefu_completion_date:
                blockers.append(_("The sheet date cannot precede the completion date."))
            elif self.kefu_sheet_date > self.kefu_completion_date and not (
                self.kefu_sheet_date_reason and self.kefu_sheet_date_agreed_by
            ):
                blockers.append(
                    _(
                        "The sheet date is later than the completion date: record "
                        "the reason and the salesperson who agreed."
                    )
                )
        return blockers

    def _get_kefu_release_blockers(self):
        """Every reason the production order cannot be released now (F12)."""
        self.ensure_one()
        _ = self.env._
        if self.kefu_stage == "cancel":
            return [_("The order is cancelled.")]
        if self.state not in ("draft", "sent"):
            return []
        grade = self.kefu_grade_id
        if not grade:
            return [
                _("The customer has no grade: set one on the customer (supervisor).")
            ]
        if self.kefu_stage == "intake":
            return [
                _("The order is still in intake: complete it and start the review.")
            ]
        blockers = self._get_kefu_review_blockers()
        if self.kefu_stage == "review":
            blockers.append(_("The confirmation sheet has not been sent (clerk)."))
        elif self.kefu_return_state != "accepted" and not grade.release_before_return:
            blockers.append(
                _(
                    "The signed confirmation sheet has not come back: grade "
                    "%(grade)s waits for the signed return (customer, clerk).",
                    grade=grade.name,
                )
            )
        if self.kefu_deposit_state == "awaiting":
            blockers.append(
                _(
                    "The deposit of %(amount)s has not been received (finance).",
                    amount=self.currency_id.format(self.kefu_deposit_amount),
                )
            )
        return blockers

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def _kefu_check_workflow_vals(self, vals):
        if is_transition(self):
            return
        protected = sorted(self._kefu_workflow_fields.intersection(vals))
        if protected:
            names = ", ".join(
                self._fields[name].get_description(self.env)["string"]
                for name in protected
            )
            raise UserError(
                self.env._(
                    "These fields change only through the order flow's actions: "
                    "%(fields)s.",
                    fields=names,
                )
            )
        if vals.get("state") == "sale":
            raise UserError(
                self.env._(
                    "An order becomes a production order only through Confirm "
                    "(release), which checks every gate."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        if not is_transition(self):
            for vals in vals_list:
                self._kefu_check_workflow_vals(vals)
            # Workflow fields never come from context defaults either.
            context = {
                key: value
                for key, value in self.env.context.items()
                if not (
                    key.startswith("default_kefu_")
                    and key[len("default_") :] in self._kefu_workflow_fields
                )
                and key != "default_state"
            }
            self = self.with_env(self.env(context=context))  # noqa: PLW0642
        orders = super().create(vals_list)
        orders.filtered("kefu_reply_promise_at")._kefu_schedule_reply_reminder()
        return orders

    def write(self, vals):
        self._kefu_check_workflow_vals(vals)
        if "kefu_sheet_date" in vals and not is_transition(self):
            for order in self:
                if order.kefu_stage not in ("intake", "review"):
                    raise UserError(
                        self.env._(
                            "The sheet date of %(order)s can change only before the "
                            "sheet is sent.",
                            order=order.name,
                        )
                    )
        res = super().write(vals)
        if vals.get("kefu_reply_promise_at"):
            self._kefu_schedule_reply_reminder()
        if vals.get("kefu_arrival_expected"):
            self._kefu_schedule_arrival_check()
        return res

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _kefu_require_group(self, *xmlids):
        if not any(self.env.user.has_group(xmlid) for xmlid in xmlids):
            groups = ", ".join(self.env.ref(xmlid).sudo().name for xmlid in xmlids)
            raise AccessError(
                self.env._(
                    "This step of the order flow is reserved to: %(groups)s.",
                    groups=groups,
                )
            )

    def _kefu_lock(self):
        """Take the orders' rows for this transaction: a second user acting on the
        same order at the same time gets a clear error, never a double transition."""
        if not self.ids:
            return
        try:
            with self.env.cr.savepoint(flush=False), mute_logger("odoo.sql_db"):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM sale_order WHERE id IN %s"
                        " FOR NO KEY UPDATE NOWAIT",
                        tuple(self.ids),
                    )
                )
        except psycopg2.errors.LockNotAvailable:
            raise UserError(
                self.env._(
                    "%(orders)s is being changed by someone else right now; reload "
                    "and try again.",
                    orders=", ".join(self.mapped("name")),
                )
            ) from None

    def _kefu_require_stage(self, *stages):
        for order in self:
            if order.kefu_stage not in stages:
                labels = dict(
                    self._fields["kefu_stage"]._description_selection(self.env)
                )
                raise UserError(
                    self.env._(
                        "%(order)s is in stage %(stage)s; this step needs stage "
                        "%(needed)s.",
                        order=order.name,
                        stage=labels[order.kefu_stage],
                        needed=" / ".join(labels[stage] for stage in stages),
                    )
                )

    def action_kefu_start_review(self):
        self._kefu_require_group(GROUP_CLERK)
        self._kefu_lock()
        self._kefu_require_stage("intake")
        for order in self:
            missing = order._get_kefu_missing_items()
            if missing:
                raise UserError(
                    self.env._(
                        "%(order)s cannot go to review; missing sheet items:\n"
                        "%(items)s",
                        order=order.name,
                        items="\n".join(missing),
                    )
                )
        for order in self:
            transition(order).write(
                {
                    "kefu_stage": "review",
                    "kefu_grade_id": (
                        order.partner_id.commercial_partner_id.kefu_grade_id.id
                    ),
                }
            )
        return True

    def action_kefu_check_prices(self):
        """Compare unit prices with the price execution plan and the last price (F5)."""
        self._kefu_require_group(GROUP_CLERK)
        self._kefu_require_stage("intake", "review")
        for order in self:
            lines = order.order_line.filtered(
                lambda line: not line.display_type and line.product_id
            )
            if not lines:
                raise UserError(
                    self.env._("%(order)s has no line to check.", order=order.name)
                )
            list_prices = order._get_kefu_list_prices(lines)
            last_prices = order._get_kefu_last_prices(lines.product_id)
            mismatch = False
            for line in lines:
                list_price = list_prices[line.id]
                last_price = last_prices.get(line.product_id.id, 0.0)
                # What the customer pays per unit: a discount is a price too.
                price = line.price_unit * (1 - line.discount / 100)
                flag = order.currency_id.compare_amounts(price, list_price) or (
                    last_price and order.currency_id.compare_amounts(price, last_price)
                )
                mismatch = mismatch or bool(flag)
                transition(line).write(
                    {
                        "kefu_list_price": list_price,
                        "kefu_last_price": last_price,
                        "kefu_price_flag": bool(flag),
                    }
                )
            transition(order).write(
                {
                    "kefu_price_state": "mismatch" if mismatch else "ok",
                    "kefu_price_confirmed_by": False,
                    "kefu_price_confirmed_at": False,
                }
            )
        return True

    def _get_kefu_list_prices(self, lines):
        """Unit price of each line by the order's price list, with one rule search."""
        self.ensure_one()
        pricelist = self.pricelist_id
        date = self.date_order or fields.Datetime.now()
        rules = pricelist._get_applicable_rules(lines.product_id, date)
        prices = {}
        for line in lines:
            qty = line.product_uom._compute_quantity(
                line.product_uom_qty, line.product_id.uom_id, raise_if_failure=False
            )
            rule = next(
                (
                    rule
                    for rule in rules
                    if rule._is_applicable_for(line.product_id, qty)
                ),
                rules.browse(),
            )
            prices[line.id] = rule._compute_price(
                line.product_id,
                line.product_uom_qty,
                line.product_uom,
                date=date,
                currency=self.currency_id,
            )
        return prices

    def _get_kefu_last_prices(self, products):
        """The customer's last released net unit price per product, in one query."""
        self.ensure_one()
        self.env["sale.order.line"].flush_model(
            ["order_id", "product_id", "price_unit", "discount", "state"]
        )
        self.env["sale.order"].flush_model(["partner_id", "date_order", "state"])
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (line.product_id) line.product_id,
                       line.price_unit * (1 - COALESCE(line.discount, 0) / 100)
                  FROM sale_order_line line
                  JOIN sale_order so ON so.id = line.order_id
                  JOIN res_partner partner ON partner.id = so.partner_id
                 WHERE so.state = 'sale'
                   AND so.id != %(order)s
                   AND so.currency_id = %(currency)s
                   AND partner.commercial_partner_id = %(customer)s
                   AND line.product_id IN %(products)s
                   AND line.display_type IS NULL
              ORDER BY line.product_id, so.date_order DESC, line.id DESC
                """,
                order=self.id or 0,
                currency=self.currency_id.id,
                customer=self.partner_id.commercial_partner_id.id,
                products=tuple(products.ids) or (0,),
            )
        )
        return dict(self.env.cr.fetchall())

    def action_kefu_escalate_prices(self):
        """Ask the salesperson, the supervisor and the director to settle prices."""
        self._kefu_require_group(GROUP_CLERK)
        for order in self:
            if order.kefu_price_state != "mismatch":
                raise UserError(
                    self.env._(
                        "Only a price mismatch can be escalated (%(order)s).",
                        order=order.name,
                    )
                )
        users = (
            self.env.ref(GROUP_SUPERVISOR).users | self.env.ref(GROUP_DIRECTOR).users
        ).filtered(lambda user: not user.share and user.active)
        for order in self:
            lines = order.order_line.filtered("kefu_price_flag")
            note = Markup("<ul>%s</ul>") % Markup().join(
                Markup("<li>%s</li>")
                % self.env._(
                    "%(product)s: %(price)s (price list %(list)s, last %(last)s)",
                    product=line.product_id.display_name,
                    price=line.price_unit,
                    list=line.kefu_list_price,
                    last=line.kefu_last_price or "-",
                )
                for line in lines
            )
            for user in (order.user_id | users).filtered(lambda u: u.active):
                order.activity_schedule(
                    "mail.mail_activity_data_todo",
                    summary=self.env._(
                        "Confirm the prices of %(order)s", order=order.name
                    ),
                    note=note,
                    user_id=user.id,
                )
            transition(order).write({"kefu_price_state": "escalated"})
        return True

    def action_kefu_confirm_prices(self):
        """The salesperson, a supervisor or the director confirms doubtful prices."""
        for order in self:
            if order.user_id != self.env.user:
                self._kefu_require_group(GROUP_SUPERVISOR, GROUP_DIRECTOR)
            if order.kefu_price_state not in ("mismatch", "escalated"):
                raise UserError(
                    self.env._(
                        "%(order)s has no price mismatch to confirm; check prices "
                        "first.",
                        order=order.name,
                    )
                )
            transition(order).write(
                {
                    "kefu_price_state": "confirmed",
                    "kefu_price_confirmed_by": self.env.user.id,
                    "kefu_price_confirmed_at": fields.Datetime.now(),
                }
            )
            order.message_post(
                body=self.env._(
                    "Prices confirmed by %(user)s.", user=self.env.user.name
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _kefu_request_sampling(self, confirmation):
        """The order cannot be produced as asked: suggest new-product sampling (F7)."""
        self.ensure_one()
        transition(self).write({"kefu_sampling_required": True})
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Tell the customer: cannot produce as ordered"),
            note=self.env._(
                "The technical department cannot produce %(order)s as ordered. "
                "Apologise to the customer, propose alternatives and the new-product "
                "sampling flow; if the customer insists on the old formula, record "
                "that choice in a new technical confirmation.",
                order=self.name,
            ),
            user_id=(self.user_id or self.env.user).id,
        )

    def action_kefu_send_sheet(self):
        """Print the confirmation sheet and record that it was faxed (F9)."""
        self._kefu_require_group(GROUP_CLERK)
        self._kefu_lock()
        self._kefu_require_stage("review", "sheet_sent")
        now = fields.Datetime.now()
        for order in self:
            if (
                order.kefu_stage == "sheet_sent"
                and order.kefu_return_state != "rejected"
            ):
                raise UserError(
                    self.env._(
                        "Version %(version)s of the sheet of %(order)s is waiting for "
                        "its return; a new version is sent after a rejected return.",
                        version=order.kefu_sheet_version,
                        order=order.name,
                    )
                )
            blockers = order._get_kefu_review_blockers()
            if blockers:
                raise UserError(
                    self.env._(
                        "The confirmation sheet of %(order)s cannot be sent yet:\n"
                        "%(blockers)s",
                        order=order.name,
                        blockers="\n".join(blockers),
                    )
                )
        for order in self:
            transition(order).write(
                {
                    "kefu_stage": "sheet_sent",
                    "kefu_return_state": "pending",
                    "kefu_sheet_version": order.kefu_sheet_version + 1,
                    "kefu_sheet_sent_at": order.kefu_sheet_sent_at or now,
                    "kefu_sheet_version_sent_at": now,
                    "kefu_sheet_sent_by": self.env.user.id,
                    "kefu_sheet_received_at": False,
                }
            )
        # The sheet as sent is kept with the order; if it cannot be rendered,
        # nothing above is committed either.
        report = self.env.ref("kefu_order_flow.action_report_kefu_confirmation_sheet")
        for order in self:
            pdf, _kind = report.sudo()._render_qweb_pdf(report, order.ids)
            order.message_post(
                body=self.env._(
                    "Confirmation sheet version %(version)s sent to the customer.",
                    version=order.kefu_sheet_version,
                ),
                attachments=[
                    (f"{order.name}-v{order.kefu_sheet_version}.pdf", pdf),
                ],
                subtype_xmlid="mail.mt_note",
            )
        return report.report_action(self)

    def action_kefu_mark_sheet_received(self):
        """The customer confirmed the fax arrived and is legible (F9)."""
        self._kefu_require_group(GROUP_CLERK)
        self._kefu_require_stage("sheet_sent")
        transition(self).write({"kefu_sheet_received_at": fields.Datetime.now()})
        return True

    def action_kefu_register_return(
        self,
        accepted,
        note=False,
        reject_reason=False,
        sheet_version=False,
        attachment_id=False,
    ):
        """Record the signed sheet that came back from the customer (F11).

        An accepted return of the last version sent moves the order to
        ``returned`` (or clears the back-fill of an early release); a rejected one
        keeps it waiting for a corrected sheet.
        """
        self._kefu_require_group(GROUP_CLERK)
        self._kefu_lock()
        self.ensure_one()
        order = self
        backfill = order.kefu_stage == "released" and order.kefu_backfill_pending
        if not backfill:
            order._kefu_require_stage("sheet_sent")
            if order.kefu_return_state != "pending":
                raise UserError(
                    self.env._(
                        "No sheet of %(order)s is waiting for its return: send a new "
                        "version first.",
                        order=order.name,
                    )
                )
        version = sheet_version or order.kefu_sheet_version
        if version != order.kefu_sheet_version:
            raise UserError(
                self.env._(
                    "This return answers sheet version %(version)s, but version "
                    "%(last)s was sent last: only a return of the last version counts.",
                    version=version,
                    last=order.kefu_sheet_version,
                )
            )
        ret = order._kefu_create_return(
            "sheet", accepted, note, reject_reason, attachment_id, version
        )
        if not accepted:
            transition(order).write({"kefu_return_state": "rejected"})
            return True
        vals = {"kefu_return_state": "accepted"}
        if backfill:
            vals.update(kefu_backfill_pending=False, kefu_backfill_deadline=False)
        else:
            vals.update(order._kefu_prepare_slip_freeze(ret.recorded_at))
            vals["kefu_stage"] = "returned"
        transition(order).write(vals)
        if not backfill:
            order._kefu_post_slip_message()
            if order.kefu_deposit_state == "awaiting":
                order._kefu_notify_deposit()
        return True

    def _kefu_create_return(
        self, kind, accepted, note, reject_reason, attachment_id, version=0
    ):
        """Keep what came back from the customer, accepted or not, in history."""
        self.ensure_one()
        if not accepted and not (reject_reason or (note or "").strip()):
            raise UserError(self.env._("Say why the returned document is rejected."))
        ret = (
            self.env["kefu.sheet.return"]
            .sudo()
            .create(
                {
                    "order_id": self.id,
                    "kind": kind,
                    "sheet_version": version,
                    "accepted": bool(accepted),
                    "reject_reason": False if accepted else (reject_reason or "other"),
                    "note": note or False,
                    "attachment_id": attachment_id or False,
                    "recorded_by": self.env.user.id,
                    "recorded_at": fields.Datetime.now(),
                }
            )
        )
        self.message_post(body=ret._get_summary(), subtype_xmlid="mail.mt_note")
        return ret

    def _kefu_notify_deposit(self):
        """Tell the customer the deposit is due, and the salesperson to follow it."""
        self.ensure_one()
        template = self.env.ref(
            "kefu_order_flow.mail_template_kefu_deposit", raise_if_not_found=False
        )
        if template:
            self.message_post_with_source(template, subtype_xmlid="mail.mt_comment")
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=self.env._("Follow up the deposit of %(order)s", order=self.name),
            user_id=(self.user_id or self.env.user).id,
        )

    def action_kefu_confirm_deposit(self, amount=None, received_at=None):
        """Finance confirms the deposit arrived (F12). Never releases by itself."""
        self._kefu_require_group(GROUP_FINANCE)
        self._kefu_lock()
        for order in self:
            if order.kefu_deposit_state != "awaiting":
                raise UserError(
                    self.env._("%(order)s is not awaiting a deposit.", order=order.name)
                )
            received = order.kefu_deposit_amount if amount is None else amount
            if (
                order.currency_id.compare_amounts(received, order.kefu_deposit_amount)
                < 0
            ):
                raise UserError(
                    self.env._(
                        "The amount received (%(received)s) is less than the deposit "
                        "due (%(due)s).",
                        received=order.currency_id.format(received),
                        due=order.currency_id.format(order.kefu_deposit_amount),
                    )
                )
            order._kefu_mark_deposit_received(received, received_at)
        return True

    def _kefu_mark_deposit_received(self, amount, received_at=None):
        self.ensure_one()
        transition(self).write(
            {
                "kefu_deposit_received_amount": amount,
                "kefu_deposit_received_at": received_at or fields.Datetime.now(),
                "kefu_deposit_received_by": self.env.user.id,
            }
        )
        self.message_post(
            body=self.env._(
                "Deposit of %(amount)s received, confirmed by %(user)s.",
                amount=self.currency_id.format(amount),
                user=self.env.user.name,
            ),
            subtype_xmlid="mail.mt_note",
        )

    # Release of the production order (F12, F14) is Odoo's action_confirm().
    def _confirmation_error_message(self):
        error = super()._confirmation_error_message()
        if error:
            return error
        blockers = self._get_kefu_release_blockers()
        if blockers and self.env.context.get("kefu_override") is not KEFU_TRANSITION:
            return self.env._(
                "The production order of %(order)s cannot be released:\n%(blockers)s",
                order=self.name,
                blockers="\n".join(blockers),
            )
        return False

    def action_confirm(self):
        if self._kefu_is_customer_side():
            # Portal signature or online payment: the customer never meets an
            # internal gate; customer service checks what came in and releases.
            if not self.env.su:
                self.check_access("write")
            self._kefu_record_customer_action()
            return True
        if not is_transition(self):
            self._kefu_require_group(GROUP_CLERK)
        self._kefu_lock()
        for order in self:
            error = order._confirmation_error_message()
            if error:
                raise UserError(error)
        now = fields.Datetime.now()
        for order in self:
            vals = {
                "kefu_stage": "released",
                "kefu_ship_state": "awaiting_payment"
                if order.kefu_grade_id.ship_requires_payment
                else "not_required",
            }
            if order.kefu_return_state != "accepted":
                vals.update(order._kefu_prepare_slip_freeze(now))
                vals.update(
                    kefu_backfill_pending=True,
                    kefu_backfill_deadline=kefu_dates.add_days(
                        order._kefu_local_today(), order.kefu_grade_id.backfill_days
                    ),
                )
            transition(order).write(vals)
            transition(order).write(
                {"commitment_date": order._kefu_commitment_datetime()}
            )
        res = super(SaleOrder, transition(self)).action_confirm()
        for order in self:
            order._kefu_after_release()
        return res

    def action_kefu_override_release(self, reason):
        """The supervisor releases despite blockers, with a reason (the one
        sanctioned way around the gate), logged in the chatter."""
        self.ensure_one()
        self._kefu_require_group(GROUP_SUPERVISOR)
        reason = (reason or "").strip()
        if len(reason) < 4:
            raise UserError(
                self.env._("An override needs a reason (at least 4 characters).")
            )
        self._kefu_require_stage("review", "sheet_sent", "returned")
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
                "mail.mail_activity_data_todo",
                summary=summary,
                user_id=(order.kefu_sheet_sent_by or order.user_id).id
                or self.env.ref("base.user_admin").id,
            )

    def _is_confirmation_amount_reached(self):
        # An online payment confirms nothing while the flow has blockers.
        return super()._is_confirmation_amount_reached() and not (
            self._get_kefu_release_blockers()
        )

    def _action_cancel(self):
        res = super()._action_cancel()
        transition(self).write({"kefu_stage": "cancel"})
        return res

    def action_draft(self):
        """A cancelled order set back to quotation starts over at intake: what
        was sent or returned no longer stands."""
        orders = self.filtered(lambda o: o.state == "cancel")
        res = super().action_draft()
        transition(orders).write(
            {
                "kefu_stage": "intake",
                "kefu_return_state": "none",
                "kefu_price_state": "unchecked",
            }
        )
        return res

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

    def _kefu_after_release(self):
        self.ensure_one()
        if self.kefu_backfill_pending:
            self._kefu_post_slip_message()
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=self.kefu_backfill_deadline,
                summary=self.env._(
                    "Back-fill the signed sheet of %(order)s", order=self.name
                ),
                user_id=self.env.user.id,
            )
        shipping = self.env.ref("kefu_order_flow.group_kefu_shipping").users
        partners = (self.user_id | shipping.filtered("active")).partner_id
        self.message_post(
            body=self.env._(
                "Production order released (planned date %(date)s). Salesperson, "
                "shipping clerk and warehouse keeper: please take note.",
                date=self.kefu_planned_date or "-",
            ),
            partner_ids=partners.ids,
            subtype_xmlid="mail.mt_note",
        )

    def action_kefu_acknowledge_production(self):
        """The production supervisor signs for the production order (F14)."""
        self._kefu_require_group("kefu_order_flow.group_kefu_production")
        self._kefu_require_stage("released")
        for order in self:
            if order.kefu_production_ack_at:
                raise UserError(
                    self.env._(
                        "The production order of %(order)s was already acknowledged.",
                        order=order.name,
                    )
                )
        transition(self.sudo()).write(
            {
                "kefu_production_ack_by": self.env.user.id,
                "kefu_production_ack_at": fields.Datetime.now(),
            }
        )
        for order in self:
            order.sudo().message_post(
                body=self.env._(
                    "Production order acknowledged by %(user)s.",
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    # ------------------------------------------------------------------
    # After release (F15-F18)
    # ------------------------------------------------------------------
    def _kefu_report_problem(self, entry):
        """A monitoring problem reaches the supervisor and the salesperson at once."""
        self.ensure_one()
        order = self.sudo()
        supervisors = self.env.ref(GROUP_SUPERVISOR).users.filtered("active")
        for user in supervisors:
            order.activity_schedule(
                "mail.mail_activity_data_warning",
                summary=self.env._("Production problem on %(order)s", order=self.name),
                note=entry.progress,
                user_id=user.id,
            )
        order.message_post(
            body=self.env._(
                "Production problem reported by %(user)s: %(progress)s %(quality)s",
                user=self.env.user.name,
                progress=entry.progress,
                quality=entry.quality_note or "",
            ),
            partner_ids=self.user_id.partner_id.ids,
            subtype_xmlid="mail.mt_note",
        )

    def _get_kefu_tolerance_range(self):
        """(lowest, highest) acceptable quantity from the lines' tolerances."""
        self.ensure_one()
        lines = self.order_line.filtered(
            lambda line: not line.display_type and not line.is_downpayment
        )
        low = sum(
            line.product_uom_qty * (1 - line.kefu_tolerance_pct / 100) for line in lines
        )
        high = sum(
            line.product_uom_qty * (1 + line.kefu_tolerance_pct / 100) for line in lines
        )
        return low, high

    def _kefu_check_tolerance(self, quantity):
        """Flag a produced quantity outside the allowed deviation (允许误差)."""
        self.ensure_one()
        low, high = self._get_kefu_tolerance_range()
        outside = (
            float_compare(quantity, low, precision_digits=3) < 0
            or float_compare(quantity, high, precision_digits=3) > 0
        )
        transition(self.sudo()).write({"kefu_quantity_out_of_tolerance": outside})
        if outside:
            self.sudo().message_post(
                body=self.env._(
                    "The quantity produced, %(quantity)s, is outside the tolerance "
                    "(%(low)s to %(high)s).",
                    quantity=quantity,
                    low=round(low, 3),
                    high=round(high, 3),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return not outside

    def action_kefu_send_conformity(self):
        """Send the written conformity request once the goods conform (F16)."""
        self._kefu_require_group(GROUP_CLERK)
        self._kefu_require_stage("released", "shipped")
        for order in self:
            if order.kefu_conformity_state not in ("none", "rejected"):
                raise UserError(
                    self.env._(
                        "The conformity request of %(order)s is waiting for its "
                        "return or was accepted.",
                        order=order.name,
                    )
                )
            statement = order._get_kefu_signed(order.kefu_completion_statement_ids)
            if not statement:
                raise UserError(
                    self.env._(
                        "%(order)s has no signed completion statement from production.",
                        order=order.name,
                    )
                )
        transition(self).write(
            {
                "kefu_conformity_state": "sent",
                "kefu_conformity_sent_at": fields.Datetime.now(),
            }
        )
        for order in self:
            order.message_post(
                body=self.env._("Conformity request sent to the customer."),
                subtype_xmlid="mail.mt_note",
            )
        return self.env.ref(
            "kefu_order_flow.action_report_kefu_conformity"
        ).report_action(self)

    def action_kefu_register_conformity(
        self, accepted, note=False, reject_reason=False, attachment_id=False
    ):
        """Record the customer's stamped conformity opinion (成品符合意见, F16)."""
        self._kefu_require_group(GROUP_CLERK)
        self.ensure_one()
        if self.kefu_conformity_state != "sent":
            raise UserError(
                self.env._(
                    "No conformity request of %(order)s is waiting for its return.",
                    order=self.name,
                )
            )
        self._kefu_create_return(
            "conformity", accepted, note, reject_reason, attachment_id
        )
        transition(self).write(
            {"kefu_conformity_state": "accepted" if accepted else "rejected"}
        )
        return True

    def _kefu_ship_blocked(self):
        """Whether deliveries of this order must wait for finance (F18)."""
        self.ensure_one()
        return self.kefu_ship_state == "awaiting_payment" or (
            self.kefu_ship_state == "approved"
            and self.currency_id.compare_amounts(
                self.amount_total, self.kefu_ship_approved_amount
            )
            > 0
        )

    def action_kefu_confirm_payment(self, amount=None, received_at=None):
        """Finance confirms the payment arrived (F18)."""
        self._kefu_require_group(GROUP_FINANCE)
        self._kefu_lock()
        for order in self:
            if order.kefu_ship_state != "awaiting_payment":
                raise UserError(
                    self.env._(
                        "%(order)s is not waiting for a payment before shipping.",
                        order=order.name,
                    )
                )
            received = order.amount_total if amount is None else amount
            if order.currency_id.compare_amounts(received, 0) <= 0:
                raise UserError(
                    self.env._("The payment received must be greater than zero.")
                )
            transition(order).write(
                {
                    "kefu_payment_received_amount": received,
                    "kefu_payment_received_at": received_at or fields.Datetime.now(),
                    "kefu_payment_received_by": self.env.user.id,
                }
            )
            order.message_post(
                body=self.env._(
                    "Payment of %(amount)s confirmed by %(user)s.",
                    amount=order.currency_id.format(received),
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_kefu_approve_shipping(self):
        """Finance approves shipping once the payment is confirmed (F18)."""
        self._kefu_require_group(GROUP_FINANCE)
        self._kefu_lock()
        for order in self:
            if order.kefu_ship_state != "awaiting_payment":
                raise UserError(
                    self.env._(
                        "%(order)s is not waiting for a shipping approval.",
                        order=order.name,
                    )
                )
            if not order.kefu_payment_received_at:
                raise UserError(
                    self.env._(
                        "Confirm the payment of %(order)s before approving shipping.",
                        order=order.name,
                    )
                )
        for order in self:
            transition(order).write(
                {
                    "kefu_ship_state": "approved",
                    "kefu_ship_approved_by": self.env.user.id,
                    "kefu_ship_approved_at": fields.Datetime.now(),
                    "kefu_ship_approved_amount": order.amount_total,
                }
            )
            order.message_post(
                body=self.env._(
                    "Shipping approved by %(user)s.", user=self.env.user.name
                ),
                partner_ids=self.env.ref("kefu_order_flow.group_kefu_shipping")
                .users.filtered("active")
                .partner_id.ids,
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _kefu_check_ship_approval(self):
        """An approval covers the amount approved: a larger order needs a new one."""
        for order in self.filtered(lambda o: o.kefu_ship_state == "approved"):
            if order._kefu_ship_blocked():
                transition(order).write(
                    {
                        "kefu_ship_state": "awaiting_payment",
                        "kefu_ship_approved_by": False,
                        "kefu_ship_approved_at": False,
                        "kefu_payment_received_at": False,
                        "kefu_payment_received_amount": 0,
                        "kefu_payment_received_by": False,
                    }
                )
                order.message_post(
                    body=self.env._(
                        "The order amount grew after shipping was approved: finance "
                        "must confirm the payment and approve again."
                    ),
                    subtype_xmlid="mail.mt_note",
                )

    def _kefu_after_delivery(self):
        """Goods left: shipped, and done at once unless arrival is tracked (F17)."""
        for order in self.filtered(
            lambda o: o.kefu_stage == "released" and o.delivery_status == "full"
        ):
            stage = "shipped" if order.kefu_grade_id.track_arrival else "done"
            transition(order.sudo()).write({"kefu_stage": stage})

    def _kefu_schedule_arrival_check(self):
        for order in self.filtered(lambda o: o.kefu_grade_id.track_arrival):
            order.activity_schedule(
                "mail.mail_activity_data_call",
                date_deadline=order.kefu_arrival_expected,
                summary=self.env._(
                    "Confirm the arrival of %(order)s with the customer",
                    order=order.name,
                ),
                user_id=(order.kefu_sheet_sent_by or self.env.user).id,
            )

    def action_kefu_confirm_arrival(self, contact, arrived_at=None, note=False):
        """Customer service confirmed the arrival with the customer (F17)."""
        self._kefu_require_group(GROUP_CLERK)
        self._kefu_require_stage("shipped")
        if not (contact or "").strip():
            raise UserError(
                self.env._("Say with whom at the customer the arrival was confirmed.")
            )
        transition(self).write(
            {
                "kefu_stage": "done",
                "kefu_arrival_confirmed_at": arrived_at or fields.Datetime.now(),
                "kefu_arrival_confirmed_by": self.env.user.id,
                "kefu_arrival_contact": contact,
                "kefu_arrival_note": note or False,
            }
        )
        for order in self:
            order.message_post(
                body=self.env._(
                    "Arrival confirmed with %(contact)s by %(user)s. %(note)s",
                    contact=contact,
                    user=self.env.user.name,
                    note=note or "",
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    # ------------------------------------------------------------------
    # Slippage (F13)
    # ------------------------------------------------------------------
    def _kefu_prepare_slip_freeze(self, end):
        """Slip days up to ``end`` (a UTC datetime). The cron only counts orders in
        ``sheet_sent``, so the value stays as it is once the order leaves it."""
        self.ensure_one()
        tz = self.company_id.partner_id.tz
        days = 0
        if self.kefu_sheet_sent_at:
            days = kefu_dates.slip_days(
                kefu_dates.local_date(self.kefu_sheet_sent_at, tz),
                kefu_dates.local_date(end, tz),
            )
        return {"kefu_slip_days": days}

    def _kefu_post_slip_message(self):
        self.ensure_one()
        if self.kefu_slip_days:
            self.message_post(
                body=self.env._(
                    "The delivery date slipped %(days)s day(s) while the signed sheet "
                    "was missing: planned date %(date)s.",
                    days=self.kefu_slip_days,
                    date=self.kefu_planned_date,
                ),
                subtype_xmlid="mail.mt_note",
            )

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
        self.env.cr.execute(
            SQL(
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
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        # The UPDATE wrote both stored fields; nothing stored depends on them.
        self.env["sale.order"].invalidate_model(["kefu_slip_days", "kefu_planned_date"])
        return len(ids)

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _kefu_on_content_change(self, reason):
        """What the customer ordered changed: signed answers and the sent sheet no
        longer match. Void the confirmations and go back to review."""
        for order in self.filtered(lambda o: o.kefu_stage in KEFU_CONFIRMING_STAGES):
            voided = len(order.kefu_tech_confirmation_ids._kefu_void(reason)) + len(
                order.kefu_production_confirmation_ids._kefu_void(reason)
            )
            vals = {"kefu_price_state": "unchecked"}
            if order.kefu_stage != "review":
                vals.update(kefu_stage="review", kefu_return_state="none")
            transition(order).write(vals)
            if voided or "kefu_stage" in vals:
                order.message_post(
                    body=self.env._(
                        "The order changed (%(reason)s): %(count)s signed "
                        "confirmation(s) voided; the order must be confirmed again "
                        "and a new sheet version sent.",
                        reason=reason,
                        count=voided,
                    ),
                    subtype_xmlid="mail.mt_note",
                )

    def _kefu_schedule_reply_reminder(self):
        """Remind the clerk of the reply promised to the customer (F4): the
        activity falls due the day before the promise, or on it if it is today."""
        for order in self:
            tz = order.company_id.partner_id.tz
            due = kefu_dates.local_date(order.kefu_reply_promise_at, tz)
            order.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=max(
                    kefu_dates.add_days(due, -1), order._kefu_local_today()
                ),
                summary=self.env._(
                    "Reply promised to the customer by %(when)s (%(order)s)",
                    when=fields.Datetime.context_timestamp(
                        order, order.kefu_reply_promise_at
                    ).strftime("%Y-%m-%d %H:%M"),
                    order=order.name,
                ),
                user_id=self.env.user.id,
            )

    def _kefu_local_today(self):
        tz = self.company_id.partner_id.tz or self.env.company.partner_id.tz
        return kefu_dates.local_date(fields.Datetime.now(), tz)

    def _kefu_amount_in_words(self):
        """The total in words: 人民币大写 for CNY, Odoo's own words otherwise."""
        self.ensure_one()
        if self.currency_id.name == "CNY":
            return cn_amount.amount_to_cn_upper(self.amount_total)
        return self.currency_id.amount_to_text(self.amount_total)
