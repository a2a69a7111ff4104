# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from ..models.kefu_common import KEFU_REJECT_REASONS, KEFU_RETURN_KINDS


class KefuReturnWizard(models.TransientModel):
    """Register the signed confirmation sheet the customer sent back (F11)."""

    _name = "kefu.return.wizard"
    _description = "Register a Returned Confirmation Sheet"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade")
    kind = fields.Selection(
        KEFU_RETURN_KINDS,
        required=True,
        default="sheet",
    )
    sheet_version = fields.Integer()
    result = fields.Selection(
        [("accepted", "Accepted: clean signed return"), ("rejected", "Rejected")],
        required=True,
        default="accepted",
    )
    reject_reason = fields.Selection(KEFU_REJECT_REASONS)
    note = fields.Text()
    signer = fields.Char(
        string="Signed By (Customer)",
        help="The customer's person who signed or stamped the returned sheet.",
    )
    signer_warning = fields.Char(compute="_compute_signer_warning")
    scan = fields.Binary(string="Returned Scan")
    scan_name = fields.Char()

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        order = self.env["sale.order"].browse(
            values.get("order_id") or self.env.context.get("active_id")
        )
        if order:
            values.setdefault("order_id", order.id)
            values.setdefault("sheet_version", order.kefu_sheet_version)
        return values

    @api.depends("order_id", "signer", "result", "kind")
    def _compute_signer_warning(self):
        for wizard in self:
            customer = wizard.order_id.partner_id.commercial_partner_id
            wizard.signer_warning = (
                wizard.kind == "sheet"
                and wizard.result == "accepted"
                and wizard.signer
                and not self.env["kefu.sheet.return"]._kefu_is_designated_signer(
                    customer, wizard.signer
                )
                and self.env._(
                    "Not a designated signer of the customer (%(signers)s): the "
                    "supervisor confirms this return.",
                    signers=", ".join(customer.kefu_signer_ids.mapped("name")),
                )
            )

    def action_register(self):
        self.ensure_one()
        attachment = self.env["ir.attachment"]
        if self.scan:
            attachment = attachment.create(
                {
                    "name": self.scan_name
                    or self.env._("Signed sheet v%(v)s", v=self.sheet_version),
                    "datas": self.scan,
                    "res_model": "sale.order",
                    "res_id": self.order_id.id,
                }
            )
        if self.kind == "conformity":
            self.order_id.action_kefu_register_conformity(
                self.result == "accepted",
                note=self.note,
                reject_reason=self.reject_reason,
                attachment_id=attachment.id,
            )
        else:
            self.order_id.action_kefu_register_return(
                self.result == "accepted",
                note=self.note,
                reject_reason=self.reject_reason,
                sheet_version=self.sheet_version,
                attachment_id=attachment.id,
                signer=self.signer,
            )
        return {"type": "ir.actions.act_window_close"}
