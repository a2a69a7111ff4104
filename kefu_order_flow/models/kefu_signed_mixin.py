# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .kefu_common import (
    KEFU_LONG_TEXT,
    check_text_lengths,
    field_labels,
    is_transition,
    model_label,
    transition,
    without_defaults,
)

# Set by Sign (and by an order change, which voids), never by the caller.
KEFU_SIGNATURE_FIELDS = ("state", "signed_by", "signed_at", "void_reason")


class KefuSignedMixin(models.AbstractModel):
    """A written statement with a signer, a time and content (书写说明).

    Verbal answers are invalid: a statement counts once signed, and a signed
    statement is frozen. A new answer is a new record; the history stays.
    """

    _name = "kefu.signed.mixin"
    _description = "Signed Written Statement"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _kefu_sign_group = False  # xml id of the group whose members sign
    _kefu_answer_fields = ()  # the department's answer: only its members write it
    # xml id of the activity type by which customer service asks the signing
    # department for this statement (False: nobody asks for it)
    _kefu_request_activity = False

    order_id = fields.Many2one(
        "sale.order", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="order_id.company_id", store=True)
    partner_id = fields.Many2one(related="order_id.partner_id", string="Customer")
    state = fields.Selection(
        [("draft", "Draft"), ("signed", "Signed"), ("void", "Void")],
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    note = fields.Text()
    signed_by = fields.Many2one("res.users", readonly=True, copy=False)
    signed_at = fields.Datetime(readonly=True, copy=False)
    signature = fields.Image(max_width=1024, max_height=1024, copy=False)
    void_reason = fields.Char(readonly=True, copy=False)
    # A request opened by customer service: what to confirm, and by when.
    request_note = fields.Text(string="What to Confirm")
    request_deadline = fields.Date(string="Answer By")
    can_answer = fields.Boolean(compute="_compute_can_answer")

    @api.depends("order_id.name")
    def _compute_display_name(self):
        for rec in self:
            if not rec.order_id:
                rec.display_name = model_label(rec)
                continue
            # Its number among the order's statements of its kind, whoever reads.
            number = rec._origin.id and rec.sudo().search_count(
                [("order_id", "=", rec.order_id.id), ("id", "<=", rec._origin.id)]
            )
            rec.display_name = rec.env._(
                "%(document)s %(order)s / %(number)s",
                document=model_label(rec),
                order=rec.order_id.sudo().name,
                number=number or "-",
            )

    @api.depends("state")
    @api.depends_context("uid")
    def _compute_can_answer(self):
        # A signed or void statement is frozen: nobody answers it any more,
        # and its form shows it read-only rather than refusing on save.
        for rec in self:
            rec.can_answer = rec.state == "draft" and rec.env.user.has_group(
                rec._kefu_sign_group
            )

    @api.constrains("note", "request_note")
    def _check_note_length(self):
        check_text_lengths(
            self, {"note": KEFU_LONG_TEXT, "request_note": KEFU_LONG_TEXT}
        )

    def _kefu_check_signer(self):
        if not self.env.user.has_group(self._kefu_sign_group):
            group = self.env.ref(self._kefu_sign_group).sudo()
            raise AccessError(
                self.env._(
                    "Only members of %(group)s may sign a %(document)s.",
                    group=group.name,
                    document=model_label(self),
                )
            )

    def _kefu_check_content(self):
        """Raise a UserError when the statement is not complete enough to sign."""

    def _kefu_answers_own(self):
        """Whether the acting user may write the department's answer."""
        return (
            is_transition(self)
            or self.env.su
            or self.env.user.has_group(self._kefu_sign_group)
        )

    def _kefu_check_answer(self, vals_list, operation):
        """Customer service opens the request; the department writes the answer."""
        if self._kefu_answers_own():
            return
        self.check_access(operation)  # no rights at all: that error first
        for vals in vals_list:
            answered = [name for name in self._kefu_answer_fields if vals.get(name)]
            if answered:
                group = self.env.ref(self._kefu_sign_group).sudo()
                raise UserError(
                    self.env._(
                        "%(fields)s of a %(document)s are answered by %(group)s; "
                        "open the request with what to confirm and by when.",
                        fields=field_labels(self, answered),
                        document=model_label(self),
                        group=group.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        self._kefu_check_answer(vals_list, "create")
        if not is_transition(self):
            # Nobody signs, nor answers for the department, by a context default.
            answers = () if self._kefu_answers_own() else self._kefu_answer_fields
            self = without_defaults(  # noqa: PLW0642
                self, lambda name: name in KEFU_SIGNATURE_FIELDS or name in answers
            )
        for vals in vals_list:
            if not is_transition(self) and any(
                key in vals for key in KEFU_SIGNATURE_FIELDS
            ):
                raise UserError(
                    self.env._(
                        "A statement is created as a draft and signed with Sign."
                    )
                )
        records = super().create(vals_list)
        if not is_transition(self) and not self.env.user.has_group(
            self._kefu_sign_group
        ):
            # Opened by customer service for the department to answer.
            for rec in records:
                rec.order_id._kefu_statement_requested(rec)
        return records

    def write(self, vals):
        self._kefu_check_answer([vals], "write")
        if not self.env.su and not is_transition(self):
            if any(key in vals for key in KEFU_SIGNATURE_FIELDS):
                raise UserError(
                    self.env._("A statement is signed with Sign, never by editing it.")
                )
            if self.filtered(lambda rec: rec.state != "draft"):
                raise UserError(
                    self.env._(
                        "A signed or void statement cannot be changed; record a new "
                        "statement instead."
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_signed(self):
        if not self.env.su and self.filtered(lambda rec: rec.state != "draft"):
            raise UserError(self.env._("A signed or void statement cannot be deleted."))

    def action_sign(self):
        self.ensure_one()
        self._kefu_check_signer()
        if self.state != "draft":
            raise UserError(self.env._("Only a draft statement can be signed."))
        self._kefu_check_content()
        # A statement answers for the order as the customer signed it.
        self.order_id._kefu_check_contract()
        transition(self).write(
            {
                "state": "signed",
                "signed_by": self.env.user.id,
                "signed_at": fields.Datetime.now(),
            }
        )
        self._kefu_on_signed()
        return True

    def _kefu_on_signed(self):
        """Signed: the order notes it and sets off what follows; a statement
        adds its own consequences (sampling, tolerance)."""
        return self.order_id._kefu_statement_signed(self)

    def _kefu_summary(self):
        self.ensure_one()
        return self.note or ""

    # API for the order ------------------------------------------------
    def _kefu_latest_signed(self):
        """The latest signed statement among these."""
        signed = self.filtered(lambda rec: rec.state == "signed")
        return signed.sorted(lambda rec: (rec.signed_at, rec.id), reverse=True)[:1]

    def _kefu_void(self, reason):
        """Void signed statements (an order change made them obsolete); returns
        how many."""
        signed = self.filtered(lambda rec: rec.state == "signed")
        # The clerk who changes the order may not write another department's
        # statement: voiding it is the flow's consequence of the change.
        transition(signed.sudo()).write({"state": "void", "void_reason": reason})
        return len(signed)
