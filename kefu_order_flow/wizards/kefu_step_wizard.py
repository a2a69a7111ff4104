# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.kefu_flow import KEFU_FLOW
from ..models.kefu_flow_desk import KEFU_REASON_STEPS


class KefuStepWizard(models.TransientModel):
    """A step of the flow that is taken with something written (the steps of
    ``KEFU_FLOW`` with a ``reason`` title): the reason, and for a changed
    formula the customer's choice and document. Each calls the order's method
    of its step, which checks who may take it and that the reason is given;
    this only collects the input."""

    _name = "kefu.step.wizard"
    _description = "Written Step of the Order Flow"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    step = fields.Selection(KEFU_REASON_STEPS, required=True, readonly=True)
    step_help = fields.Text(compute="_compute_step_help")
    grave = fields.Boolean(compute="_compute_step_help")
    blockers = fields.Text(related="order_id.kefu_release_blockers")
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

    @api.depends("step")
    def _compute_step_help(self):
        for wizard in self:
            step = KEFU_FLOW.get(wizard.step)
            # A user without a language reads the English source.
            lang = self.env.lang or "en_US"
            wizard.step_help = step and step.help._translate(lang)
            wizard.grave = bool(step and step.grave)

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
            getattr(order, KEFU_FLOW[self.step].action)(self.reason)
        else:
            raise UserError(self.env._("Unknown step."))
        return {"type": "ir.actions.act_window_close"}
