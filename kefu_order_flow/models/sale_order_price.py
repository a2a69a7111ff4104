# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The price check (F5): order prices against the price execution plan and the
customer's last released price; doubts go to the salesperson, the supervisor
and the director until someone with the right confirms."""

from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .kefu_common import (
    GROUP_CLERK,
    GROUP_DIRECTOR,
    GROUP_SUPERVISOR,
    KEFU_SHORT_TEXT,
    kefu_arguments,
    transition,
)

# A change to one of these after a check makes the check stale, in every stage.
KEFU_PRICE_ORDER_FIELDS = frozenset({"partner_id", "pricelist_id", "currency_id"})
KEFU_PRICE_LINE_FIELDS = frozenset(
    {"product_id", "product_uom_qty", "product_uom", "price_unit", "discount"}
)

# A new check, a doubt or a change: no confirmation of the prices stands.
PRICE_UNCONFIRMED = {
    "kefu_price_confirmed_by": False,
    "kefu_price_confirmed_at": False,
    "kefu_price_confirmed_reason": False,
}


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------------
    kefu_price_state = fields.Selection(
        [
            ("unchecked", "Not Checked"),
            ("ok", "Prices OK"),
            ("mismatch", "Price Mismatch"),
            ("escalated", "Escalated"),
            ("confirmed", "Confirmed"),
        ],
        string="Price Check",
        default="unchecked",
        required=True,
        copy=False,
        readonly=True,
        tracking=True,
    )
    kefu_price_confirmed_by = fields.Many2one(
        "res.users", string="Prices Confirmed By", copy=False, readonly=True
    )
    kefu_price_confirmed_at = fields.Datetime(
        string="Prices Confirmed At", copy=False, readonly=True
    )
    kefu_price_confirmed_reason = fields.Text(
        string="Why the Prices Stand",
        copy=False,
        readonly=True,
        help="The written answer to the price doubt: which prices stand and why.",
    )
    kefu_pricelist_doubt = fields.Boolean(
        string="Price List Differs From the Plan",
        copy=False,
        readonly=True,
        help="At the last check, the order's price list was not the price execution "
        "plan of the customer's grade.",
    )
    kefu_spec_doubt = fields.Char(
        string="Specification Doubt",
        copy=False,
        readonly=True,
        tracking=True,
        help="A doubt about the specification (规格疑处) raised by customer service; "
        "it is settled like a doubtful price, by escalation and confirmation.",
    )

    # ------------------------------------------------------------------
    # CRUD HOOKS
    # ------------------------------------------------------------------
    def _kefu_price_stale(self, vals):
        """The orders whose price check ``vals`` would make stale (a new price
        list or customer), read before the write."""
        names = KEFU_PRICE_ORDER_FIELDS.intersection(vals)
        return self.filtered(
            lambda order: any(
                order._fields[name].convert_to_write(order[name], order) != vals[name]
                for name in names
            )
        )

    # ------------------------------------------------------------------
    # ACTION METHODS
    # ------------------------------------------------------------------
    def action_kefu_check_prices(self):
        """Compare unit prices with the price execution plan and the last price."""
        self._kefu_enter("check_prices")
        for order in self:
            lines = order.order_line.filtered(
                lambda line: not line.display_type and line.product_id
            )
            if not lines:
                raise UserError(
                    self.env._("%(order)s has no line to check.", order=order.name)
                )
            plan = order._kefu_price_plan()
            list_prices = order._get_kefu_list_prices(lines, plan)
            last_prices = order._get_kefu_last_prices(lines.product_id)
            # An order priced by another list than the grade's plan is itself a
            # doubt, and so is a specification doubt not yet settled.
            pricelist_doubt = bool(plan) and order.pricelist_id != plan
            mismatch = pricelist_doubt or bool(order.kefu_spec_doubt)
            for line in lines:
                list_price = list_prices[line.id]
                last_price = last_prices.get(line.product_id.id, 0.0)
                # What the customer pays per unit: a discount is a price too.
                price = line.price_unit * (1 - line.discount / 100)
                flag = order.currency_id.compare_amounts(price, list_price) or (
                    last_price and order.currency_id.compare_amounts(price, last_price)
                )
                mismatch = mismatch or bool(flag)
                transition(line).write(
                    {
                        "kefu_list_price": list_price,
                        "kefu_last_price": last_price,
                        "kefu_price_flag": bool(flag),
                    }
                )
            transition(order).write(
                {
                    "kefu_price_state": "mismatch" if mismatch else "ok",
                    **PRICE_UNCONFIRMED,
                    "kefu_pricelist_doubt": pricelist_doubt,
                }
            )
        return True

    @kefu_arguments(note="text")
    def action_kefu_flag_spec_doubt(self, note):
        """Customer service doubts a specification (F5: 规格疑处): the order's
        check is doubtful until the doubt is escalated and confirmed."""
        self._kefu_enter("flag_spec_doubt")
        note = (note or "").strip()
        if len(note) < 4:
            raise UserError(
                self.env._(
                    "Say what is doubtful about the specification (at least 4 "
                    "characters)."
                )
            )
        if len(note) > KEFU_SHORT_TEXT:
            raise UserError(
                self.env._(
                    "The specification doubt is too long: at most %(limit)s "
                    "characters.",
                    limit=KEFU_SHORT_TEXT,
                )
            )
        for order in self:
            transition(order).write(
                {
                    "kefu_spec_doubt": note,
                    "kefu_price_state": "mismatch",
                    **PRICE_UNCONFIRMED,
                }
            )
            order.message_post(
                body=self.env._(
                    "Specification doubt raised by %(user)s: %(note)s",
                    user=self.env.user.name,
                    note=note,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_kefu_escalate_prices(self):
        """Ask the salesperson, the supervisor and the director to settle prices."""
        self._kefu_enter("escalate_prices")
        for order in self:
            if order.kefu_price_state != "mismatch":
                raise UserError(
                    self.env._(
                        "Only a price mismatch can be escalated (%(order)s).",
                        order=order.name,
                    )
                )
        for order in self:
            lines = order.order_line.filtered("kefu_price_flag")
            doubts = [
                self.env._(
                    "%(product)s: %(price)s (price list %(list)s, last %(last)s)",
                    product=line.product_id.display_name,
                    price=line.price_unit,
                    list=line.kefu_list_price,
                    last=line.kefu_last_price or "-",
                )
                for line in lines
            ]
            if order.kefu_pricelist_doubt:
                doubts.append(
                    self.env._(
                        "The order's price list %(list)s is not the grade's price "
                        "execution plan %(plan)s.",
                        list=order.pricelist_id.display_name or "-",
                        plan=order._kefu_price_plan().display_name or "-",
                    )
                )
            if order.kefu_spec_doubt:
                doubts.append(
                    self.env._(
                        "Specification doubt: %(note)s", note=order.kefu_spec_doubt
                    )
                )
            note = Markup("<ul>%s</ul>") % Markup().join(
                Markup("<li>%s</li>") % doubt for doubt in doubts
            )
            transition(order).write({"kefu_price_state": "escalated"})
            order._kefu_step_done("escalate_prices", doubts=note)
        return True

    @kefu_arguments(reason="text")
    def action_kefu_confirm_prices(self, reason):
        """The supervisor or the director, or the order's own salesperson if he is
        not customer service, confirms doubtful prices once they were escalated,
        in writing: which prices stand and why (F5)."""
        self._kefu_enter("confirm_prices")
        self._kefu_check_not_clerk()
        reason = (reason or "").strip()
        if len(reason) < 4:
            raise UserError(
                self.env._(
                    "Say in writing which prices stand and why (at least 4 characters)."
                )
            )
        for order in self:
            if order.kefu_price_state == "mismatch":
                raise UserError(
                    self.env._(
                        "The doubt on %(order)s must be escalated to the salesperson, "
                        "the supervisor and the director before it is confirmed.",
                        order=order.name,
                    )
                )
            if order.kefu_price_state != "escalated":
                raise UserError(
                    self.env._(
                        "%(order)s has no price mismatch to confirm; check prices "
                        "first.",
                        order=order.name,
                    )
                )
        # The escalation's activities are done before the answer is posted.
        self._kefu_step_done("confirm_prices")
        for order in self:
            spec_doubt = order.kefu_spec_doubt
            transition(order).write(
                {
                    "kefu_price_state": "confirmed",
                    "kefu_price_confirmed_by": self.env.user.id,
                    "kefu_price_confirmed_at": fields.Datetime.now(),
                    "kefu_price_confirmed_reason": reason,
                    "kefu_spec_doubt": False,
                }
            )
            body = self.env._(
                "Prices confirmed by %(user)s: %(reason)s",
                user=self.env.user.name,
                reason=reason,
            )
            if spec_doubt:
                body = self.env._(
                    "Prices and specification confirmed by %(user)s (specification "
                    "doubt: %(note)s): %(reason)s",
                    user=self.env.user.name,
                    note=spec_doubt,
                    reason=reason,
                )
            prices = Markup("").join(
                Markup("<li>%s</li>")
                % self.env._(
                    "%(product)s: %(price)s per %(unit)s",
                    product=line.product_id.display_name,
                    price=order.currency_id.format(line.price_unit),
                    unit=line.product_uom.name,
                )
                for line in order.order_line._kefu_sheet_lines()
            )
            order.message_post(
                body=Markup("%s<ul>%s</ul>") % (body, prices),
                subtype_xmlid="mail.mt_note",
            )
        return True

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------
    def _kefu_check_not_clerk(self):
        """Customer service never agrees with itself: a clerk confirms a doubt or
        a loosened date for nobody, even as the order's salesperson; the
        salesperson, the supervisor or the director does."""
        if self.env.user.has_group(GROUP_CLERK) and not self._kefu_user_in(
            (GROUP_SUPERVISOR, GROUP_DIRECTOR)
        ):
            raise AccessError(
                self.env._(
                    "Customer service cannot agree with itself, even as the order's "
                    "salesperson: the salesperson, the supervisor or the director "
                    "agrees."
                )
            )

    def _kefu_price_changed(self):
        """Something the check compared changed: the check no longer stands, in
        whatever stage the order is (called by the order and its lines)."""
        stale = self.filtered(lambda order: order.kefu_price_state != "unchecked")
        if stale:
            transition(stale).write(
                {
                    "kefu_price_state": "unchecked",
                    **PRICE_UNCONFIRMED,
                }
            )

    def _kefu_price_plan(self):
        """The price execution plan of the order's grade (F5)."""
        self.ensure_one()
        grade = (
            self.kefu_grade_id or self.partner_id.commercial_partner_id.kefu_grade_id
        )
        return grade.pricelist_id

    def _get_kefu_list_prices(self, lines, pricelist=None):
        """Unit price of each line by the price execution plan (the order's price
        list without one), with one rule search."""
        self.ensure_one()
        pricelist = pricelist or self.pricelist_id
        date = self.date_order or fields.Datetime.now()
        rules = pricelist._get_applicable_rules(lines.product_id, date)
        prices = {}
        for line in lines:
            qty = line.product_uom._compute_quantity(
                line.product_uom_qty, line.product_id.uom_id, raise_if_failure=False
            )
            rule = next(
                (
                    rule
                    for rule in rules
                    if rule._is_applicable_for(line.product_id, qty)
                ),
                rules.browse(),
            )
            prices[line.id] = rule._compute_price(
                line.product_id,
                line.product_uom_qty,
                line.product_uom,
                date=date,
                currency=self.currency_id,
            )
        return prices

    def _get_kefu_last_prices(self, products):
        """The customer's last released net unit price per product, in one query."""
        self.ensure_one()
        self.env["sale.order.line"].flush_model(
            ["order_id", "product_id", "price_unit", "discount", "state"]
        )
        self.env["sale.order"].flush_model(["partner_id", "date_order", "state"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT ON (line.product_id) line.product_id,
                       line.price_unit * (1 - COALESCE(line.discount, 0) / 100)
                  FROM sale_order_line line
                  JOIN sale_order so ON so.id = line.order_id
                  JOIN res_partner partner ON partner.id = so.partner_id
                 WHERE so.state = 'sale'
                   AND so.id != %(order)s
                   AND so.currency_id = %(currency)s
                   AND partner.commercial_partner_id = (
                           SELECT commercial_partner_id
                             FROM res_partner
                            WHERE id = %(partner)s)
                   AND line.product_id IN %(products)s
                   AND line.display_type IS NULL
              ORDER BY line.product_id, so.date_order DESC, line.id DESC
                """,
                order=self.id or 0,
                currency=self.currency_id.id,
                partner=self.partner_id.id,
                products=tuple(products.ids) or (0,),
            )
        )
        return dict(self.env.cr.fetchall())
