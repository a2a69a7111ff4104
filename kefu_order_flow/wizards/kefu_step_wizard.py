# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models
from odoo.exceptions import UserError

# The steps that need a written reason (and, for the formula, the customer's
# document), with the order method each calls.
KEFU_REASON_STEPS = [
    ("flag_spec_doubt", "Raise a Specification Doubt"),
    ("record_formula_choice", "Record the Customer's Formula Choice"),
    ("agree_sheet_date", "Agree to the Sheet Date"),
    ("accept_quantity", "Accept the Quantity Produced"),
    ("grant_payment_exception", "Grant a Payment Exception"),
]


class KefuStepWizard(models.TransientModel):
    """A step of the flow that is taken with something written: the reason, and
    for a changed formula the customer's choice and document. The order's
    method checks everything; this only collects the input."""

    _name = "kefu.step.wizard"
    _description = "Written Step of the Order Flow"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    step = fields.Selection(KEFU_REASON_STEPS, required=True, readonly=True)
    reason = fields.Text()
    formula_choice = fields.Selection(
        [
            ("old", "Old Formula, Confirmed in Writing"),
            ("new", "New Formula, Accepted on the Sheet"),
        ],
        string="Customer's Choice",
    )
    document = fields.Binary(string="Customer's Written Confirmation")
    document_name = fields.Char()

    def action_apply(self):
        self.ensure_one()
        order = self.order_id
        if self.step == "record_formula_choice":
            attachment = self.env["ir.attachment"]
            if self.document:
                attachment = attachment.create(
                    {
                        "name": self.document_name or "formula.pdf",
                        "datas": self.document,
                        "res_model": "sale.order",
                        "res_id": order.id,
                    }
                )
            order.action_kefu_record_formula_choice(
                self.formula_choice, attachment_id=attachment.id
            )
        elif self.step in dict(KEFU_REASON_STEPS):
            getattr(order, f"action_kefu_{self.step}")(self.reason)
        else:
            raise UserError(self.env._("Unknown step."))
        return {"type": "ir.actions.act_window_close"}
