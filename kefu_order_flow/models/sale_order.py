# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The order in the flow: its fields, the one ``write`` that keeps the flow's
fields to the flow, and what the statements, lines and registers tell it.

The flow's steps are declared in ``kefu_flow.KEFU_FLOW``; each concern
extends ``sale.order`` in a file of its own: intake and review (F1-F8,
``sale_order_review``), the price check (F5), the sheet (F9, F10), the return
(F11), the money (F12, F18), the release (F12, F14), the slippage (F13), what
follows release (F15-F18) and cancelling."""

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from .kefu_common import (
    ACT,
    GROUP_FINANCE,
    KEFU_CHANNELS,
    KEFU_FOLDED_STAGES,
    KEFU_LONG_TEXT,
    KEFU_SHORT_TEXT,
    KEFU_STAGES,
    check_text_lengths,
    derived_fields,
    is_transition,
    model_label,
    refuse_flow_fields,
    without_defaults,
)


class SaleOrder(models.Model):
    _inherit = ["sale.order", "kefu.flow.mixin"]
    _name = "sale.order"

    # Fields only the flow's steps may write (see write()), from every file
    # of the flow, besides the fields it computes and stores (derived_fields).
    _kefu_workflow_fields = frozenset(
        {
            "kefu_stage",
            "kefu_sampling_required",
            # sale_order_sheet.py
            "kefu_sheet_version",
            "kefu_sheet_version_id",
            "kefu_sheet_sent_at",
            "kefu_sheet_sent_by",
            "kefu_sheet_received_at",
            "kefu_sheet_date_reason",
            "kefu_sheet_date_agreed_by",
            "kefu_sheet_date_agreed_date",
            # sale_order_price.py
            "kefu_price_state",
            "kefu_price_confirmed_by",
            "kefu_price_confirmed_at",
            "kefu_price_confirmed_reason",
            "kefu_pricelist_doubt",
            "kefu_spec_doubt",
            # sale_order_release.py
            "kefu_return_state",
            "kefu_backfill_pending",
            "kefu_backfill_deadline",
            "kefu_backfill_alerted",
            "kefu_production_ack_by",
            "kefu_production_ack_at",
            "kefu_override_reason",
            "kefu_override_by",
            "kefu_override_at",
            "kefu_ship_state",
            # sale_order_slip.py
            "kefu_slip_days",
            # sale_order_shipping.py
            "kefu_quantity_out_of_tolerance",
            "kefu_conformity_state",
            "kefu_conformity_sent_at",
            "kefu_quantity_accepted_reason",
            "kefu_quantity_accepted_by",
            "kefu_quantity_accepted_at",
            "kefu_payment_exception_reason",
            "kefu_payment_exception_by",
            "kefu_payment_exception_at",
            "kefu_payment_exception_amount",
            "kefu_ship_approved_by",
            "kefu_ship_approved_at",
            "kefu_ship_approved_amount",
            "kefu_arrival_confirmed_at",
            "kefu_arrival_confirmed_by",
            "kefu_arrival_contact",
            "kefu_arrival_note",
            # Odoo's totals, computed from the lines: the deposit due and the
            # payment that ships B and C orders are measured against them.
            "amount_untaxed",
            "amount_tax",
            "amount_total",
        }
    )

    # ------------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------------
    # Intake (F1-F4)
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
        kefu_sheet_item=True,
        tracking=True,
        copy=False,
        help="The delivery date the customer asked for.",
    )
    kefu_special_notes = fields.Text(
        string="Special Requirements", kefu_sheet_item=True
    )
    kefu_supervision_notes = fields.Text(
        string="Supervision Notes",
        kefu_sheet_item=True,
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

    # Stage and grade
    kefu_stage = fields.Selection(
        KEFU_STAGES,
        string="Flow Stage",
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

    # Written confirmations (F6-F8)
    kefu_tech_confirmation_ids = fields.One2many(
        "kefu.tech.confirmation", "order_id", string="Technical Confirmations"
    )
    kefu_production_confirmation_ids = fields.One2many(
        "kefu.production.confirmation", "order_id", string="Production Confirmations"
    )
    # The statements in force, kept on the order: the gates read them with the
    # order's row instead of searching the statements at every step.
    kefu_tech_confirmation_id = fields.Many2one(
        "kefu.tech.confirmation",
        string="Technical Confirmation in Force",
        compute="_compute_kefu_tech_confirmation_id",
        store=True,
        help="The latest signed technical confirmation; none once an order "
        "change voided it.",
    )
    kefu_production_confirmation_id = fields.Many2one(
        "kefu.production.confirmation",
        string="Production Confirmation in Force",
        compute="_compute_kefu_production_confirmation_id",
        store=True,
        help="The latest signed production confirmation; none once an order "
        "change voided it.",
    )
    kefu_sampling_required = fields.Boolean(
        string="New-Product Sampling",
        copy=False,
        readonly=True,
        tracking=True,
        help="The technical department cannot produce the order as asked: the "
        "new-product sampling flow (新品开发打样流程) is suggested (F7).",
    )

    kefu_completion_date = fields.Date(
        string="Completion Date",
        kefu_sheet_item=True,
        compute="_compute_kefu_completion_date",
        store=True,
        help="From the latest signed production confirmation.",
    )

    # ------------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------------
    def _group_expand_kefu_stage(self, stages, domain):
        return [key for key, _label in KEFU_STAGES if key != "cancel"]

    @api.model
    def _read_group_fill_results(
        self,
        domain,
        groupby,
        annoted_aggregates,
        read_group_result,
        read_group_order=None,
    ):
        """Fold the board's closed stages, as Odoo folds a many2one's groups
        by their ``fold`` field (a selection has none)."""
        groups = super()._read_group_fill_results(
            domain, groupby, annoted_aggregates, read_group_result, read_group_order
        )
        if groupby == "kefu_stage":
            for group in groups:
                group["__fold"] = group["kefu_stage"] in KEFU_FOLDED_STAGES
        return groups

    @api.depends("partner_id")
    def _compute_kefu_grade_id(self):
        for order in self:
            order.kefu_grade_id = order.partner_id.commercial_partner_id.kefu_grade_id

    @api.depends(
        "kefu_tech_confirmation_ids.state", "kefu_tech_confirmation_ids.signed_at"
    )
    def _compute_kefu_tech_confirmation_id(self):
        for order in self:
            order.kefu_tech_confirmation_id = (
                order.kefu_tech_confirmation_ids._kefu_latest_signed()
            )

    @api.depends(
        "kefu_production_confirmation_ids.state",
        "kefu_production_confirmation_ids.signed_at",
    )
    def _compute_kefu_production_confirmation_id(self):
        for order in self:
            order.kefu_production_confirmation_id = (
                order.kefu_production_confirmation_ids._kefu_latest_signed()
            )

    @api.depends("kefu_production_confirmation_id.completion_date")
    def _compute_kefu_completion_date(self):
        for order in self:
            order.kefu_completion_date = (
                order.kefu_production_confirmation_id.completion_date
            )

    # ------------------------------------------------------------------
    # CONSTRAINT METHODS
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
                        date=format_date(self.env, order.kefu_requested_date),
                        order=order.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------------
    def _kefu_flow_fields(self, names):
        """Of ``names``, the fields only the flow's steps write."""
        return self._kefu_workflow_fields.intersection(names) | derived_fields(
            self, names
        )

    def _kefu_check_workflow_vals(self, vals):
        if is_transition(self):
            return
        names = self._kefu_flow_fields(vals)
        in_flow = self.filtered("kefu_stage")
        if not in_flow:
            # Odoo's own orders (outside the flow's scope, or not created yet):
            # only the flow's own fields are the flow's.
            names = {name for name in names if name.startswith("kefu_")}
        refuse_flow_fields(self, names)
        if in_flow and vals.get("state") == "sale":
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
            self = without_defaults(  # noqa: PLW0642
                self, lambda name: self._kefu_flow_fields([name])
            )
        orders = super().create(vals_list)
        orders.filtered("kefu_reply_promise_at")._kefu_schedule_reply_reminder()
        return orders

    def write(self, vals):
        """The order's one ``write``: the flow's fields are refused to callers,
        then each concern reacts to what was written (``_kefu_written``)."""
        self._kefu_check_workflow_vals(vals)
        stale_prices = self._kefu_price_stale(vals)
        res = super().write(vals)
        self._kefu_written(vals, stale_prices)
        return res

    def _kefu_written(self, vals, stale_prices):
        """What a write of ``vals`` sets off, in this order."""
        if not is_transition(self):
            # Whichever field was written: the content decides.
            self._kefu_content_moved()
        if vals.get("kefu_reply_promise_at"):
            self._kefu_schedule_reply_reminder()
        stale_prices._kefu_price_changed()
        if vals.get("kefu_arrival_expected"):
            self._kefu_schedule_arrival_check()
        if vals.get("kefu_stage") in ("done", "cancel"):
            self._kefu_clear_hand_offs()
        if not is_transition(self) and (
            self.env["kefu.flow.scope"]._kefu_trigger_fields().intersection(vals)
        ):
            self._kefu_apply_scope()

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------
    def _kefu_answer(self, name, model):
        """The step ``name``: a department opens its written statement of
        ``model`` for this order, the one asked for (a draft) or a new one."""
        self.ensure_one()
        self._kefu_enter(name)
        draft = self.env[model].search(
            [("order_id", "=", self.id), ("state", "=", "draft")],
            order="id desc",
            limit=1,
        )
        return {
            "type": "ir.actions.act_window",
            "name": model_label(self.env[model]),
            "res_model": model,
            "res_id": draft.id,
            "views": [(False, "form")],
            "target": "current",
            "context": {"default_order_id": self.id},
        }

    # ------------------------------------------------------------------
    # API FOR THE FLOW'S OWN RECORDS (statements, lines, monitoring)
    # ------------------------------------------------------------------
    def _kefu_statement_requested(self, statement):
        """Customer service asked another department for its written answer."""
        self.ensure_one()
        if not statement._kefu_request_activity:
            return
        self._kefu_hand_off(
            statement._kefu_request_activity,
            self._kefu_department_users(statement._kefu_sign_group),
            self.env._(
                "%(document)s requested for %(order)s",
                document=model_label(statement),
                order=self.name,
            ),
            note=statement.request_note,
            date=statement.request_deadline,
        )

    def _kefu_ask_payment(self):
        """Production completed an order that ships after payment: finance's
        turn."""
        if self.kefu_ship_state == "awaiting_payment":
            self._kefu_hand_off(
                ACT + "payment", self._kefu_department_users(GROUP_FINANCE)
            )

    def _kefu_statement_signed(self, statement):
        """A signed statement landed on the order: the request for it is
        answered, the chatter says so, and the content decides whether the sheet
        sent still stands (the statement adds its own consequences:
        ``_kefu_on_signed``)."""
        self.ensure_one()
        if statement._kefu_request_activity:
            # Before the order notes the signature, so that note comes last.
            self._kefu_hand_off_done(statement._kefu_request_activity)
        # The signer may only read the order: the signature is the authorisation
        # to note it in the chatter and to set off what follows.
        order = self.sudo()
        # Customer service, who asked for it, is told it is its turn again.
        requester = statement.sudo().create_uid.filtered(
            lambda user: not user._has_group(statement._kefu_sign_group)
        )
        order._kefu_tell(
            Markup("%s<br/>%s")
            % (
                self.env._(
                    "%(document)s signed by %(user)s.",
                    document=model_label(statement),
                    user=self.env.user.name,
                ),
                statement._kefu_summary(),
            ),
            requester,
        )
        # A statement that moves a sheet item (production's completion date)
        # voids the sheet sent, or is refused after release.
        order._kefu_content_moved()

    def _kefu_lines_changed(self, what):
        """Lines changed (``what``, in words) before the sheet went out: the
        signed confirmations answered other lines and no longer stand, and the
        prices are checked again. (Once sent, the content decides:
        ``_kefu_content_moved``.)"""
        for order in self.filtered(lambda o: o.kefu_stage == "review"):
            voided = order.kefu_tech_confirmation_ids._kefu_void(
                what
            ) + order.kefu_production_confirmation_ids._kefu_void(what)
            order._kefu_price_changed()
            if voided:
                order.message_post(
                    body=self.env._(
                        "Order lines changed (%(what)s): %(count)s signed "
                        "confirmation(s) voided. The order must be confirmed again.",
                        what=what,
                        count=voided,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
