# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""After release (F15-F18): monitoring problems, the produced quantity against
the tolerance, the payment gate before shipping, the delivery and the arrival
of grade A goods (the conformity opinion: sale_order_conformity.py)."""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from .kefu_common import (
    GROUP_SUPERVISOR,
    kefu_arguments,
    model_label,
    transition,
)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # FIELDS
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
    kefu_completion_statement_id = fields.Many2one(
        "kefu.completion.statement",
        string="Completion Statement in Force",
        compute="_compute_kefu_completion_statement_id",
        store=True,
        help="The latest signed completion statement, which the conformity "
        "opinion quotes.",
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
    kefu_quantity_accepted_reason = fields.Text(
        string="Quantity Accepted Because", copy=False, readonly=True, tracking=True
    )
    kefu_quantity_accepted_by = fields.Many2one(
        "res.users", string="Quantity Accepted By", copy=False, readonly=True
    )
    kefu_quantity_accepted_at = fields.Datetime(
        string="Quantity Accepted At", copy=False, readonly=True
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
    # COMPUTE METHODS
    # ------------------------------------------------------------------
    @api.depends("kefu_monitoring_ids.is_open_problem")
    def _compute_kefu_open_problem(self):
        for order in self:
            order.kefu_open_problem = any(
                order.kefu_monitoring_ids.mapped("is_open_problem")
            )

    @api.depends(
        "kefu_completion_statement_ids.state",
        "kefu_completion_statement_ids.signed_at",
    )
    def _compute_kefu_completion_statement_id(self):
        for order in self:
            order.kefu_completion_statement_id = (
                order.kefu_completion_statement_ids._kefu_latest_signed()
            )

    # ------------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------------
    @kefu_arguments(reason="text")
    def action_kefu_accept_quantity(self, reason):
        """The supervisor accepts a produced quantity outside the tolerance, with
        a reason (F15, F16); otherwise production completes the quantity."""
        self.ensure_one()
        self._kefu_enter("accept_quantity")
        reason = (reason or "").strip()
        if len(reason) < 4:
            raise UserError(
                self.env._(
                    "Accepting a quantity out of tolerance needs a reason (at least "
                    "4 characters)."
                )
            )
        if not self.kefu_quantity_out_of_tolerance or self.kefu_quantity_accepted_at:
            raise UserError(
                self.env._(
                    "The quantity produced for %(order)s is not out of tolerance, or "
                    "was already accepted.",
                    order=self.name,
                )
            )
        transition(self).write(
            {
                "kefu_quantity_accepted_reason": reason,
                "kefu_quantity_accepted_by": self.env.user.id,
                "kefu_quantity_accepted_at": fields.Datetime.now(),
            }
        )
        self.message_post(
            body=self.env._(
                "Quantity out of tolerance accepted by %(user)s: %(reason)s",
                user=self.env.user.name,
                reason=reason,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return True

    @kefu_arguments(reason="text")
    def action_kefu_approve_shipping(self):
        """Finance approves shipping once the money due has arrived (F18)."""
        self._kefu_enter("approve_shipping")
        # Finance approves shipping what the customer signed.
        self._kefu_check_contract()
        for order in self:
            if order.kefu_ship_state != "awaiting_payment":
                raise UserError(
                    self.env._(
                        "%(order)s is not waiting for a shipping approval.",
                        order=order.name,
                    )
                )
            paid = order.kefu_payment_received_at and not (
                order.currency_id.compare_amounts(order.kefu_amount_due, 0)
            )
            excepted = order.kefu_payment_exception_at and (
                order.currency_id.compare_amounts(
                    order.kefu_amount_due, order.kefu_payment_exception_amount
                )
                <= 0
            )
            if not (paid or excepted):
                raise UserError(
                    self.env._(
                        "Confirm the payment of %(order)s before approving shipping "
                        "(or record finance's written exception): %(due)s is still "
                        "due.",
                        order=order.name,
                        due=order.currency_id.format(order.kefu_amount_due),
                    )
                )
        for order in self:
            transition(order).write(
                {
                    "kefu_ship_state": "approved",
                    "kefu_ship_approved_by": self.env.user.id,
                    "kefu_ship_approved_at": fields.Datetime.now(),
                    "kefu_ship_approved_amount": order._get_kefu_sheet_total(),
                }
            )
        self._kefu_step_done("approve_shipping")
        return True

    def action_kefu_monitor(self):
        """Customer service records how production goes against the sheet
        (F15): a monitoring entry, in a dialog over the order."""
        self.ensure_one()
        self._kefu_enter("monitor")
        return {
            "type": "ir.actions.act_window",
            "name": model_label(self.env["kefu.monitoring"]),
            "res_model": "kefu.monitoring",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def action_kefu_answer_completion(self):
        """Production states in writing what it completed (F14)."""
        return self._kefu_answer("answer_completion", "kefu.completion.statement")

    def action_kefu_deliver(self):
        """Shipping opens the delivery to validate: once it is done, the order
        is shipped (the flow's step ``ship``)."""
        self.ensure_one()
        self._kefu_enter("deliver")
        return self.action_view_delivery()

    @kefu_arguments(contact="text", arrived_at="past_datetime", note="text")
    def action_kefu_confirm_arrival(self, contact, arrived_at=None, note=False):
        """Customer service confirmed the arrival with the customer (F17)."""
        step = self._kefu_enter("confirm_arrival")
        if not (contact or "").strip():
            raise UserError(
                self.env._("Say with whom at the customer the arrival was confirmed.")
            )
        # Before the order is done, which removes the hand-offs still open.
        self._kefu_step_done("confirm_arrival")
        transition(self).write(
            {
                "kefu_stage": step.target,
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
    # BUSINESS METHODS (also the API of stock pickings and monitoring)
    # ------------------------------------------------------------------
    def _kefu_problem_reported(self, entry):
        """A monitoring problem reaches the supervisor and the salesperson at once."""
        self.ensure_one()
        # The assistant reports; the activities and the note are the flow's.
        order = self.sudo()
        for user in self._kefu_department_users(GROUP_SUPERVISOR):
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

    def _get_kefu_tolerance_range(self, product=None):
        """(lowest, highest) acceptable quantity from the lines' tolerances: of
        the whole order, or of ``product`` in its unit."""
        self.ensure_one()
        lines = self.order_line._kefu_sheet_lines()
        if product is not None:
            lines = lines.filtered(lambda line: line.product_id == product)
        quantities = [
            (
                line.product_uom_qty
                if product is None
                else line.product_uom._compute_quantity(
                    line.product_uom_qty, product.uom_id
                ),
                line.kefu_tolerance_pct,
            )
            for line in lines
        ]
        low = sum(qty * (1 - pct / 100) for qty, pct in quantities)
        high = sum(qty * (1 + pct / 100) for qty, pct in quantities)
        return low, high

    def _kefu_check_tolerance(self, quantity):
        """Flag a produced quantity outside the allowed deviation (允许误差)."""
        self.ensure_one()
        low, high = self._get_kefu_tolerance_range()
        outside = (
            float_compare(quantity, low, precision_digits=3) < 0
            or float_compare(quantity, high, precision_digits=3) > 0
        )
        # A new statement is a new answer: an earlier acceptance no longer holds.
        transition(self).write(
            {
                "kefu_quantity_out_of_tolerance": outside,
                "kefu_quantity_accepted_reason": False,
                "kefu_quantity_accepted_by": False,
                "kefu_quantity_accepted_at": False,
            }
        )
        if outside:
            self.message_post(
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

    def _kefu_ship_blocked(self):
        """Whether deliveries of this order must wait for finance (F18)."""
        self.ensure_one()
        return self.kefu_ship_state == "awaiting_payment" or (
            self.kefu_ship_state == "approved"
            and self.currency_id.compare_amounts(
                self._get_kefu_sheet_total(), self.kefu_ship_approved_amount
            )
            > 0
        )

    def _kefu_check_ship_approval(self):
        """An approval covers the amount approved: a larger order needs a new one."""
        for order in self.filtered(lambda o: o.kefu_ship_state == "approved"):
            if order._kefu_ship_blocked():
                transition(order).write(
                    {
                        "kefu_ship_state": "awaiting_payment",
                        "kefu_ship_approved_by": False,
                        "kefu_ship_approved_at": False,
                        "kefu_ship_approved_amount": 0,
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
            step = transition(order)._kefu_enter("ship")
            stage = step.target if order.kefu_grade_id.track_arrival else "done"
            transition(order).write({"kefu_stage": stage})

    def _kefu_schedule_arrival_check(self):
        for order in self.filtered(lambda o: o.kefu_grade_id.track_arrival):
            order.activity_schedule(
                "kefu_order_flow.mail_activity_kefu_arrival",
                date_deadline=order.kefu_arrival_expected,
                summary=self.env._(
                    "Confirm the arrival of %(order)s with the customer",
                    order=order.name,
                ),
                user_id=(order.kefu_sheet_sent_by or self.env.user).id,
            )
