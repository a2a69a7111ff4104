# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.kefu_flow_mixin import KEFU_FLOW, KEFU_REASON_STEPS


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
        helps = self._get_step_helps()
        for wizard in self:
            wizard.step_help = helps.get(wizard.step, False)
            wizard.grave = bool(wizard.step) and KEFU_FLOW[wizard.step].grave

    def _get_step_helps(self):
        """What each step does, shown above its input."""
        return {
            "flag_spec_doubt": self.env._(
                "Say what is doubtful about the specification: the check stays "
                "doubtful until the doubt is escalated and confirmed."
            ),
            "record_formula_choice": self.env._(
                "The process formula changed: record what the customer chose. The "
                "old formula needs the customer's written confirmation."
            ),
            "agree_sheet_date": self.env._(
                "The sheet date is later than the completion date: say why (payment "
                "method, urgency). The agreement is recorded in your name."
            ),
            "accept_quantity": self.env._(
                "The quantity produced is outside the tolerance: accepting it lets "
                "the conformity request go out without completing the quantity."
            ),
            "grant_payment_exception": self.env._(
                "Shipping may be approved before the payment has arrived. The "
                "reason is kept in the order's history."
            ),
            "override_release": self.env._(
                "The production order will be released although the flow blocks "
                "it. The reason and the blockers are kept in the order's history."
            ),
            "change_order": self.env._(
                "The order goes back to review. Production keeps the released "
                "production order until the changed order, confirmed again and "
                "signed by the customer, is released; deliveries wait for it."
            ),
            "cancel_released": self.env._(
                "The released production order will be cancelled. Production is "
                "told at once; the reason is kept in the order's history."
            ),
        }

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
