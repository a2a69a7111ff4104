# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The signed version is the contract (F11): the content is the truth.

The sheet items are declared on the fields (``kefu_sheet_item=True``, see
``kefu_sheet_item_mixin``). ``kefu_content_fingerprint`` is the fingerprint of
the order's content now, recomputed whatever path moved a value; the version
in force keeps the content it was sent with. One invariant: from the sending
until the order is done, the content is the version's, or the version is void
(before release) or the change is refused (after release: a change order).
Every gate compares the two; ``kefu_check_integrity()`` checks them all.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import kefu_fingerprint
from .kefu_common import KEFU_CONTRACT_STAGES, KEFU_LOCKED_STAGES, transition


class SaleOrder(models.Model):
    _inherit = ["sale.order", "kefu.sheet.item.mixin"]
    _name = "sale.order"

    # Odoo's fields that the customer signs (the flow's own carry the
    # parameter where they are defined).
    partner_id = fields.Many2one(kefu_sheet_item=True)
    partner_shipping_id = fields.Many2one(kefu_sheet_item=True)
    payment_term_id = fields.Many2one(kefu_sheet_item=True)
    pricelist_id = fields.Many2one(kefu_sheet_item=True)
    currency_id = fields.Many2one(kefu_sheet_item=True)
    client_order_ref = fields.Char(kefu_sheet_item=True)

    kefu_content_fingerprint = fields.Char(
        string="Content Fingerprint",
        compute="_compute_kefu_content_fingerprint",
        store=True,
        help="The fingerprint of the sheet items as they are now. The sheet "
        "version in force stands only while it is the fingerprint of its content.",
    )
    kefu_contract_fingerprint = fields.Char(
        string="Signed Content Fingerprint",
        compute="_compute_kefu_contract_fingerprint",
        store=True,
        help="The content fingerprint of the sheet version in force, from its "
        "sending until the order is done; empty while none stands.",
    )
    kefu_content_changes = fields.Text(
        string="Changed Since Sent",
        compute="_compute_kefu_content_changes",
        compute_sudo=True,
        help="What differs between the order now and the sheet version in force, "
        "item by item.",
    )

    # ------------------------------------------------------------------
    # COMPUTE METHODS
    # ------------------------------------------------------------------
    @api.model
    def _kefu_content_depends(self):
        lines = self.env["sale.order.line"]._kefu_sheet_item_fields()
        return [
            *(field.name for field in self._kefu_sheet_item_fields()),
            "order_line",
            *(f"order_line.{field.name}" for field in lines),
        ]

    @api.depends(lambda self: self._kefu_content_depends())
    def _compute_kefu_content_fingerprint(self):
        for order in self:
            order.kefu_content_fingerprint = kefu_fingerprint.fingerprint(
                order._kefu_sheet_content()
            )

    @api.depends(
        "kefu_stage",
        "kefu_sheet_version_id.state",
        "kefu_sheet_version_id.content_fingerprint",
    )
    def _compute_kefu_contract_fingerprint(self):
        for order in self:
            order.kefu_contract_fingerprint = (
                order._kefu_contract_version().content_fingerprint
            )

    @api.depends("kefu_content_fingerprint", "kefu_contract_fingerprint")
    def _compute_kefu_content_changes(self):
        for order in self:
            order.kefu_content_changes = (
                order._kefu_content_differs() and order._kefu_content_diff_text()
            )

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------
    def _kefu_sheet_content(self):
        """The sheet items now: what a version sent keeps as its content."""
        self.ensure_one()
        return {
            "order": self._kefu_sheet_item_values(),
            "lines": {
                str(line.id): line._kefu_sheet_item_values()
                for line in self.order_line._kefu_content_lines()
            },
        }

    def _kefu_contract_version(self):
        """The version the content must be: the one in force from its sending
        until the order is done; none before or without one."""
        self.ensure_one()
        version = self.kefu_sheet_version_id
        if self.kefu_stage in KEFU_CONTRACT_STAGES and version.state == "current":
            return version
        return version.browse()

    def _kefu_content_diff(self, version=None):
        """What differs from ``version`` (default: the version in force), item
        by item: ``[{"item", "signed", "now"}]`` in the reader's language."""
        self.ensure_one()
        version = self._kefu_contract_version() if version is None else version
        if not version or version.content_fingerprint == self.kefu_content_fingerprint:
            return []
        if not version.content:
            # A version sent before the content was kept with it.
            return [
                {
                    "item": self.env._("Sheet content"),
                    "signed": self.env._(
                        "not recorded (fingerprint %(code)s)", code=version.fingerprint
                    ),
                    "now": self.kefu_content_fingerprint,
                }
            ]
        signed, now = version.content, self._kefu_sheet_content()
        diff = self._kefu_values_diff(self, "", signed["order"], now["order"])
        line_model = self.env["sale.order.line"]
        for key in sorted(set(signed["lines"]) | set(now["lines"]), key=_line_order):
            before = signed["lines"].get(key)
            after = now["lines"].get(key)
            label = line_model._kefu_content_line_label(after or before)
            if before is None or after is None:
                added = before is None
                diff.append(
                    {
                        "item": label,
                        "signed": "—" if added else self.env._("on the sheet"),
                        "now": self.env._("added") if added else self.env._("removed"),
                    }
                )
                continue
            diff += self._kefu_values_diff(line_model, f"{label} · ", before, after)
        return diff

    @api.model
    def _kefu_values_diff(self, model, prefix, before, after):
        return [
            {
                "item": prefix + model._kefu_sheet_item_label(name),
                "signed": model._kefu_sheet_item_display(name, before.get(name, False)),
                "now": model._kefu_sheet_item_display(name, value),
            }
            for name, value in after.items()
            if name in model._fields and before.get(name, False) != value
        ]

    def _kefu_content_diff_text(self, version=None):
        """The diff as lines of text, for errors and the chatter."""
        return "\n".join(
            self.env._(
                "%(item)s: %(signed)s → %(now)s",
                item=row["item"],
                signed=row["signed"],
                now=row["now"],
            )
            for row in self._kefu_content_diff(version)
        )

    def _kefu_content_differs(self):
        """The invariant, read from the order's row: a version stands and the
        content is no longer the one it was sent with."""
        self.ensure_one()
        return bool(
            self.kefu_contract_fingerprint
            and self.kefu_contract_fingerprint != self.kefu_content_fingerprint
        )

    def _kefu_contract_error(self):
        """Why the content cannot be used as it is, or False: it differs from
        the version in force."""
        self.ensure_one()
        return self._kefu_contract_version()._kefu_contract_error()

    def _kefu_check_contract(self):
        """The gates' check: refuse while the content differs from the version
        in force, whichever path moved it."""
        for order in self:
            error = order._kefu_contract_error()
            if error:
                raise UserError(error)

    def _kefu_content_moved(self):
        """Sheet items may have moved. Before release, a sheet sent no longer
        stands: its version is void and the order goes back to review (with
        the signed confirmations when lines changed). After release the change
        is refused: it goes through a change order."""
        for order in self.filtered("kefu_contract_fingerprint"):
            if not order._kefu_content_differs():
                continue
            version = order._kefu_contract_version()
            if order.kefu_stage in KEFU_LOCKED_STAGES:
                raise UserError(order._kefu_contract_error())
            lines_changed = (
                not version.content
                or version.content["lines"] != order._kefu_sheet_content()["lines"]
            )
            voided = order._kefu_void_signed(
                order._kefu_content_diff_text(version), statements=lines_changed
            )
            order.message_post(
                body=self.env._(
                    "Sheet version %(version)s (%(fingerprint)s) is void: the order "
                    "changed since it was sent, and %(count)s signed confirmation(s) "
                    "were voided. The order must be confirmed again and a new "
                    "version sent. Changed:\n%(diff)s",
                    version=version.version,
                    fingerprint=version.fingerprint,
                    count=voided,
                    diff=order._kefu_content_diff_text(version),
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _kefu_void_signed(self, reason, statements=True):
        """Nothing signed stands any more (a content change, a cancel): the
        version in force is void and, with ``statements``, the signed
        confirmations too; the order waits in review, or where it is. Returns
        how many confirmations were voided."""
        self.ensure_one()
        version = self.kefu_sheet_version_id.filtered(lambda v: v.state == "current")
        # Versions and statements are the flow's records: only its steps write
        # them, whoever's change made them obsolete.
        transition(version.sudo()).write({"state": "void", "void_reason": reason})
        voided = 0
        if statements:
            voided = self.kefu_tech_confirmation_ids._kefu_void(
                reason
            ) + self.kefu_production_confirmation_ids._kefu_void(reason)
            self._kefu_price_changed()
        if self.kefu_stage in ("sheet_sent", "returned"):
            step = transition(self)._kefu_enter("reopen")
            transition(self).write(
                {"kefu_stage": step.target, "kefu_return_state": "none"}
            )
        return voided


class SaleOrderLine(models.Model):
    _inherit = ["sale.order.line", "kefu.sheet.item.mixin"]
    _name = "sale.order.line"

    # Every line that prints or changes the total is content: products,
    # sections, notes, discounts and down payments with a quantity.
    display_type = fields.Selection(kefu_sheet_item=True)
    is_downpayment = fields.Boolean(kefu_sheet_item=True)
    product_id = fields.Many2one(kefu_sheet_item=True)
    name = fields.Text(kefu_sheet_item=True)
    product_uom_qty = fields.Float(kefu_sheet_item=True)
    product_uom = fields.Many2one(kefu_sheet_item=True)
    price_unit = fields.Float(kefu_sheet_item=True)
    discount = fields.Float(kefu_sheet_item=True)
    tax_id = fields.Many2many(kefu_sheet_item=True)
    product_packaging_id = fields.Many2one(kefu_sheet_item=True)
    product_packaging_qty = fields.Float(kefu_sheet_item=True)

    def _kefu_content_lines(self):
        """The lines that are content: all but the down payments Odoo's
        invoicing adds with no quantity (they change no total)."""
        return self.filtered(
            lambda line: not (line.is_downpayment and not line.product_uom_qty)
        )

    @api.model
    def _kefu_content_line_label(self, values):
        """A line of the content, named for a reader: its product, or its text."""
        product = self.env["product.product"].sudo().browse(values["product_id"] or [])
        name = product.exists().display_name or (values.get("name") or "")[:40]
        return self.env._("Line %(name)s", name=name)


def _line_order(key):
    """Lines in the order they were added (their ids)."""
    return (0, int(key)) if key.isdigit() else (1, key)
