# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .kefu_common import (
    KEFU_CONFIRMING_STAGES,
    KEFU_SHORT_TEXT,
    check_percents,
    check_text_lengths,
    is_transition,
)
from .sale_order_price import KEFU_PRICE_LINE_FIELDS

# Changing one of these after the confirmations were signed voids them.
KEFU_CONTENT_FIELDS = frozenset(
    {
        "product_id",
        "product_uom_qty",
        "product_uom",
        "price_unit",
        "discount",
        "kefu_spec",
        "kefu_packaging",
        "kefu_tolerance_pct",
    }
)
KEFU_LINE_WORKFLOW_FIELDS = frozenset(
    {"kefu_list_price", "kefu_last_price", "kefu_price_flag"}
)


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    kefu_spec = fields.Char(string="Specification")
    kefu_packaging = fields.Char(string="Packaging Requirements")
    kefu_tolerance_pct = fields.Float(
        string="Tolerance (±%)",
        digits=(5, 2),
        help="Allowed quantity deviation (允许误差), in percent.",
    )
    kefu_list_price = fields.Float(
        string="Price List Price", digits="Product Price", copy=False, readonly=True
    )
    kefu_last_price = fields.Float(
        string="Last Confirmed Price", digits="Product Price", copy=False, readonly=True
    )
    kefu_price_flag = fields.Boolean(string="Price Differs", copy=False, readonly=True)

    _sql_constraints = [
        (
            "kefu_tolerance_pct_range",
            "CHECK(kefu_tolerance_pct >= 0 AND kefu_tolerance_pct <= 100)",
            "The tolerance must be between 0 and 100 percent.",
        ),
    ]

    @api.constrains("kefu_spec", "kefu_packaging")
    def _check_kefu_text_lengths(self):
        check_text_lengths(
            self, {"kefu_spec": KEFU_SHORT_TEXT, "kefu_packaging": KEFU_SHORT_TEXT}
        )

    @api.constrains("kefu_tolerance_pct")
    def _check_kefu_tolerance_pct(self):
        check_percents(self, ["kefu_tolerance_pct"])

    def _kefu_check_vals(self, vals):
        if not is_transition(self) and KEFU_LINE_WORKFLOW_FIELDS.intersection(vals):
            raise UserError(
                self.env._("The price check fields are set by Check Prices only.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._kefu_check_vals(vals)
        lines = super().create(vals_list)
        lines._kefu_priced().order_id._kefu_price_changed()
        lines.order_id._kefu_content_changed(self.env._("line added"))
        lines.order_id._kefu_check_ship_approval()
        return lines

    def write(self, vals):
        self._kefu_check_vals(vals)
        changed = self.env["sale.order"]
        if KEFU_CONTENT_FIELDS.intersection(vals):
            changed = self.order_id.filtered(
                lambda order: order.kefu_stage in KEFU_CONFIRMING_STAGES
            )
        res = super().write(vals)
        if KEFU_PRICE_LINE_FIELDS.intersection(vals):
            self._kefu_priced().order_id._kefu_price_changed()
        changed._kefu_content_changed(self.env._("line changed"))
        if KEFU_CONTENT_FIELDS.intersection(vals):
            self.order_id._kefu_check_ship_approval()
        return res

    def unlink(self):
        orders = self.order_id
        self._kefu_priced().order_id._kefu_price_changed()
        res = super().unlink()
        orders.exists()._kefu_content_changed(self.env._("line removed"))
        return res

    def _kefu_priced(self):
        """The lines whose prices the check compares (no section, note or down
        payment)."""
        return self.filtered(
            lambda line: not line.display_type and not line.is_downpayment
        )
