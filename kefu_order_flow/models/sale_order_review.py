# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Intake and review (F1-F8): the reply promised to the customer, the sheet
items still missing, the start of the review, the written request to technical
and production and, when technical cannot produce as ordered, sampling or the
customer's written choice of formula."""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_datetime

from ..tools import kefu_dates
from .kefu_common import kefu_arguments, transition


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # Whoever reads the order reads the same answer (a clerk may not read
    # every statement's answer fields).
    kefu_confirmations_requested = fields.Boolean(
        string="Departments Asked",
        compute="_compute_kefu_confirmations_requested",
        compute_sudo=True,
        help="Technical and production both have a written confirmation of this "
        "order to answer, or have signed one.",
    )

    # ------------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------------
    @api.depends(
        "kefu_tech_confirmation_ids.state", "kefu_production_confirmation_ids.state"
    )
    def _compute_kefu_confirmations_requested(self):
        for order in self:
            order.kefu_confirmations_requested = not order._kefu_unasked()

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

    # ------------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------------
    @kefu_arguments(note="text", deadline="date")
    def action_kefu_request_confirmations(self, note, deadline):
        """Ask technical (F6) and production (F8) in writing what to confirm and
        by when: a written confirmation for each department not asked yet, to
        answer and sign, and an activity for its members."""
        self.ensure_one()
        self._kefu_enter("request_confirmations")
        note = (note or "").strip()
        if len(note) < 4:
            raise UserError(
                self.env._(
                    "Say what technical and production must confirm (at least 4 "
                    "characters)."
                )
            )
        if not deadline or deadline < self._kefu_local_today():
            raise UserError(self.env._("The answer is needed by a date from today on."))
        unasked = self._kefu_unasked()
        if not unasked:
            raise UserError(
                self.env._(
                    "Technical and production were both asked already for %(order)s.",
                    order=self.name,
                )
            )
        for model in unasked:
            # Created as the clerk: the statement tells its department.
            self.env[model].create(
                {
                    "order_id": self.id,
                    "request_note": note,
                    "request_deadline": deadline,
                }
            )
        return True

    def action_kefu_answer_technical(self):
        """Technical answers in writing (F6): the confirmation asked for, or a
        new one."""
        return self._kefu_answer("answer_technical", "kefu.tech.confirmation")

    def action_kefu_answer_production(self):
        """Production answers in writing (F8): the confirmation asked for, or a
        new one."""
        return self._kefu_answer("answer_production", "kefu.production.confirmation")

    def action_kefu_start_review(self):
        """The review starts (F3) once the memo and every sheet item are
        there; it checks the prices at once."""
        step = self._kefu_enter("start_review")
        for order in self:
            # The memo is the record of what the customer said (F2).
            if not order.kefu_memo_ids:
                raise UserError(
                    self.env._(
                        "%(order)s cannot go to review: record what the customer "
                        "said in the customer information memo first.",
                        order=order.name,
                    )
                )
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
                    "kefu_stage": step.target,
                    "kefu_grade_id": (
                        order.partner_id.commercial_partner_id.kefu_grade_id.id
                    ),
                }
            )
        # The review starts with the prices (F5): a doubt is escalated before
        # the departments are asked.
        self.action_kefu_check_prices()
        return True

    @kefu_arguments(choice="text", attachment_id="record_id")
    def action_kefu_record_formula_choice(self, choice, attachment_id=False):
        """Record the customer's written answer to a changed process formula (F7):
        ``old`` (the old formula, confirmed in writing: ``attachment_id`` is the
        customer's document) or ``new`` (the new formula, printed on the sheet and
        accepted by signing it)."""
        self.ensure_one()
        self._kefu_enter("record_formula_choice")
        tech = self.kefu_tech_confirmation_id
        if not tech or not tech.formula_changed:
            raise UserError(
                self.env._(
                    "No signed technical confirmation of %(order)s reports a changed "
                    "formula: there is no choice to record.",
                    order=self.name,
                )
            )
        if choice not in ("old", "new"):
            raise UserError(
                self.env._(
                    "The customer's choice is the old formula or the new formula."
                )
            )
        if choice == "new" and not tech.can_produce:
            raise UserError(
                self.env._(
                    "The technical department cannot produce %(order)s with the new "
                    "formula: only the old formula can be confirmed.",
                    order=self.name,
                )
            )
        document = self.env["ir.attachment"]
        if choice == "old":
            document = self.env["kefu.sheet.return"]._kefu_proof(self, attachment_id)
            if not document:
                raise UserError(
                    self.env._(
                        "Attach the customer's written confirmation of the old "
                        "formula: a verbal answer is not valid."
                    )
                )
        # The statement is frozen: the flow adds the customer's answer to it.
        transition(tech.sudo()).write(
            {
                "customer_choice": choice,
                "customer_document_id": document.id,
                "customer_choice_by": self.env.user.id,
            }
        )
        self.message_post(
            body=self.env._(
                "Customer's choice of formula recorded by %(user)s: %(choice)s "
                "%(document)s",
                user=self.env.user.name,
                choice=dict(
                    tech._fields["customer_choice"]._description_selection(self.env)
                )[choice],
                document=document.name or "",
            ),
            subtype_xmlid="mail.mt_note",
        )
        return True

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------
    def _kefu_unasked(self):
        """The statements (model names) no department was asked for yet: none
        of this order in draft or signed."""
        self.ensure_one()
        return [
            statements._name
            for statements in (
                self.kefu_tech_confirmation_ids,
                self.kefu_production_confirmation_ids,
            )
            if not statements.filtered(lambda s: s.state in ("draft", "signed"))
        ]

    def _kefu_formula_choice_needed(self):
        """Whether the latest signed technical confirmation waits for the
        customer's written choice of formula."""
        self.ensure_one()
        tech = self.kefu_tech_confirmation_id
        return bool(tech and tech._kefu_choice_blocker())

    def _get_kefu_missing_items(self):
        """The items of the confirmation sheet still missing, in the user's language."""
        self.ensure_one()
        missing = []
        if not self.partner_id:
            missing.append(self.env._("Customer"))
        if not self.payment_term_id:
            missing.append(self.env._("Payment method (payment terms)"))
        if not self.kefu_requested_date:
            missing.append(self.env._("Requested date"))
        lines = self.order_line._kefu_sheet_lines()
        if not lines:
            missing.append(self.env._("At least one order line"))
        for index, line in enumerate(lines, start=1):
            label = line.product_id.display_name or self.env._(
                "line %(index)s", index=index
            )
            if not line.product_id.default_code:
                missing.append(self.env._("%(line)s: product code", line=label))
            if not (line.kefu_spec or "").strip():
                missing.append(self.env._("%(line)s: specification", line=label))
            if not (line.kefu_packaging or "").strip():
                missing.append(self.env._("%(line)s: packaging", line=label))
            if line.product_uom_qty <= 0:
                missing.append(self.env._("%(line)s: quantity", line=label))
            if line.price_unit <= 0:
                missing.append(self.env._("%(line)s: unit price", line=label))
        return missing

    def _kefu_schedule_reply_reminder(self):
        """Remind the clerk of the reply promised to the customer (F4): the
        activity falls due the day before the promise, or on it if it is today."""
        for order in self:
            tz = order.company_id.partner_id.tz
            due = kefu_dates.local_date(order.kefu_reply_promise_at, tz)
            order.activity_schedule(
                "kefu_order_flow.mail_activity_kefu_reply",
                date_deadline=max(
                    kefu_dates.add_days(due, -1), order._kefu_local_today()
                ),
                summary=self.env._(
                    "Reply promised to the customer by %(when)s (%(order)s)",
                    when=format_datetime(
                        self.env, order.kefu_reply_promise_at, tz=tz, dt_format="short"
                    ),
                    order=order.name,
                ),
                user_id=self.env.user.id,
            )

    def _kefu_request_sampling(self):
        """The order cannot be produced as asked: suggest new-product sampling (F7)."""
        self.ensure_one()
        transition(self).write({"kefu_sampling_required": True})
        self.activity_schedule(
            "kefu_order_flow.mail_activity_kefu_sampling",
            summary=self.env._("Tell the customer: cannot produce as ordered"),
            note=self.env._(
                "The technical department cannot produce %(order)s as ordered. "
                "Apologise to the customer, propose alternatives and the new-product "
                "sampling flow; if the customer insists on the old formula, record "
                "that choice on the order with the customer's written confirmation "
                "(Record the Customer's Formula Choice).",
                order=self.name,
            ),
            user_id=(self.user_id or self.env.user).id,
        )
