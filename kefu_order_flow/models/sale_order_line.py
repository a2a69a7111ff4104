# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import UserError

from .kefu_common import (
    KEFU_SHORT_TEXT,
    check_percents,
    check_text_lengths,
    field_labels,
    is_transition,
)
from .sale_order_price import KEFU_PRICE_LINE_FIELDS

KEFU_LINE_WORKFLOW_FIELDS = frozenset(
    {"kefu_list_price", "kefu_last_price", "kefu_price_flag"}
)


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    kefu_spec = fields.Char(string="Specification", kefu_sheet_item=True)
    kefu_packaging = fields.Char(string="Packaging Requirements", kefu_sheet_item=True)
    kefu_tolerance_pct = fields.Float(
        string="Tolerance (±%)",
        kefu_sheet_item=True,
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

    def _kefu_sheet_lines(self):
        """The lines that are sheet items (no section, note or down payment)."""
        return self.filtered(
            lambda line: not line.display_type and not line.is_downpayment
        )

    def _kefu_describe(self, what):
        return self.env._(
            "%(what)s: %(products)s",
            what=what,
            products=", ".join(self.mapped("product_id.display_name")),
        )

    def _kefu_lock_orders(self, orders):
        """A user's change to the sheet items takes the order's row first, as
        every step of the flow does: a clerk changing a line while finance
        confirms the deposit gets the flow's translated refusal, or comes
        after it, never in the middle of it."""
        if not is_transition(self):
            orders.filtered("kefu_stage")._kefu_lock()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._kefu_check_vals(vals)
        self._kefu_lock_orders(
            self.env["sale.order"].browse(
                {vals["order_id"] for vals in vals_list if vals.get("order_id")}
            )
        )
        lines = super().create(vals_list)
        added = lines._kefu_sheet_lines()
        if added and not is_transition(self):
            added.order_id._kefu_lines_changed(
                added._kefu_describe(self.env._("line added"))
            )
            added.order_id._kefu_price_changed()
        # Whichever kind of line it is: the content decides.
        lines.order_id._kefu_content_moved()
        lines.order_id._kefu_check_ship_approval()
        return lines

    def write(self, vals):
        self._kefu_check_vals(vals)
        items = [
            field.name for field in self._kefu_sheet_item_fields() if field.name in vals
        ]
        if items or KEFU_PRICE_LINE_FIELDS.intersection(vals):
            self._kefu_lock_orders(self.order_id)
        res = super().write(vals)
        if items and not is_transition(self):
            self._kefu_sheet_lines().order_id._kefu_lines_changed(
                self._kefu_describe(
                    self.env._(
                        "line changed (%(fields)s)",
                        fields=field_labels(self, items),
                    )
                )
            )
        if KEFU_PRICE_LINE_FIELDS.intersection(vals):
            self._kefu_sheet_lines().order_id._kefu_price_changed()
        self.order_id._kefu_content_moved()
        if items:
            self.order_id._kefu_check_ship_approval()
        return res

    def unlink(self):
        self._kefu_lock_orders(self.order_id)
        removed = self._kefu_sheet_lines()
        what = removed and removed._kefu_describe(self.env._("line removed"))
        changed = removed.order_id
        orders = self.order_id
        res = super().unlink()
        changed.exists()._kefu_lines_changed(what)
        changed.exists()._kefu_price_changed()
        orders.exists()._kefu_content_moved()
        return res
