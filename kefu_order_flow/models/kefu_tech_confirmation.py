# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .kefu_common import KEFU_LONG_TEXT, check_text_lengths, is_transition

# The customer's written answer to a changed formula, recorded by the flow only.
KEFU_CHOICE_FIELDS = frozenset(
    {"customer_choice", "customer_document_id", "customer_choice_by"}
)


class KefuTechConfirmation(models.Model):
    """Technical confirmation (技术确认, F6, F7)."""

    _name = "kefu.tech.confirmation"
    _inherit = ["kefu.signed.mixin"]
    _description = "Technical Confirmation"
    _kefu_sign_group = "kefu_order_flow.group_kefu_technical"
    _kefu_request_activity = "kefu_order_flow.mail_activity_kefu_tech_request"
    _kefu_answer_fields = ("can_produce", "formula_changed", "material_note")

    # Not pre-answered: the technical department ticks it when it signs.
    can_produce = fields.Boolean(help="The product can be produced as ordered.")
    formula_changed = fields.Boolean(
        string="Process Formula Changed", help="The process formula (工艺配方) changed."
    )
    material_note = fields.Text(
        string="Raw-Material Statement",
        help="Written statement of the raw-material stock; required to sign.",
    )
    is_positive = fields.Boolean(compute="_compute_is_positive")
    customer_choice = fields.Selection(
        [
            ("old", "Old Formula, Confirmed in Writing"),
            ("new", "New Formula, Accepted on the Sheet"),
        ],
        string="Customer's Written Choice",
        readonly=True,
        copy=False,
        tracking=True,
        help="What the customer chose in writing after the formula changed (F7): "
        "the old formula, with the customer's document attached, or the new one, "
        "printed on the confirmation sheet the customer signs.",
    )
    customer_document_id = fields.Many2one(
        "ir.attachment",
        string="Customer's Written Confirmation",
        readonly=True,
        copy=False,
    )
    customer_choice_by = fields.Many2one(
        "res.users", string="Choice Recorded By", readonly=True, copy=False
    )

    @api.depends("can_produce", "customer_choice")
    def _compute_is_positive(self):
        # The customer's written insistence on the old formula (F7) is an
        # answer too: the old formula is produced.
        for rec in self:
            rec.is_positive = rec.can_produce or rec.customer_choice == "old"

    @api.constrains("material_note")
    def _check_material_note_length(self):
        check_text_lengths(self, {"material_note": KEFU_LONG_TEXT})

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._kefu_check_choice_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._kefu_check_choice_vals(vals)
        return super().write(vals)

    def _kefu_check_choice_vals(self, vals):
        if not is_transition(self) and KEFU_CHOICE_FIELDS.intersection(vals):
            raise UserError(
                self.env._(
                    "The customer's choice of formula is recorded on the order "
                    "(Record the Customer's Formula Choice)."
                )
            )

    def _kefu_choice_blocker(self):
        """What the sheet waits for while the formula question is open, or False."""
        self.ensure_one()
        if self.formula_changed and not self.customer_choice:
            return self.env._(
                "The process formula changed: record the customer's written choice "
                "(the old formula confirmed in writing, or the new formula accepted "
                "on the sheet)."
            )
        return False

    def _kefu_check_content(self):
        if not (self.material_note or "").strip():
            raise UserError(
                self.env._(
                    "The raw-material statement is required: a verbal answer is "
                    "not valid."
                )
            )

    def _kefu_on_signed(self):
        res = super()._kefu_on_signed()
        if not self.is_positive:
            # Cannot produce as ordered: the order is sampled first.
            self.order_id.sudo()._kefu_request_sampling()
        return res

    def _kefu_summary(self):
        return self.env._(
            "Can produce: %(can)s; formula changed: %(changed)s; raw material: "
            "%(material)s",
            can=self.env._("yes") if self.can_produce else self.env._("no"),
            changed=self.env._("yes") if self.formula_changed else self.env._("no"),
            material=self.material_note,
        )
