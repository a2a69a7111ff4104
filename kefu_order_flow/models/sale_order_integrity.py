# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The integrity check: anyone may ask whether every released or done order
is still what its customer signed, the way an auditor checks Odoo's
inalterability hashes. It reads the database set by set (no ORM record per
order), recomputes each content fingerprint from the rows themselves (a value
moved behind the ORM's back is found too) and compares the production order,
the deliveries and the money gate with the version in force."""

from collections import defaultdict

from odoo import api, models
from odoo.tools import SQL

from ..tools import kefu_fingerprint
from .kefu_common import GROUP_SUPERVISOR, KEFU_LOCKED_STAGES, in_company_lang
from .kefu_sheet_item_mixin import item_converter

# Rows read per query: bounded memory on any number of orders.
KEFU_INTEGRITY_BATCH = 20000
KEFU_INTEGRITY_ACTIVITY = "kefu_order_flow.mail_activity_kefu_integrity"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    @api.model
    def kefu_check_integrity(self):
        """Every released, shipped or done order of the user's companies whose
        content, production order, deliveries or money gate differ from the
        sheet version in force: ``[{"order_id", "problem"}]``, empty when all
        hold."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM sale_order WHERE kefu_stage IN %s "
                "AND company_id IN %s ORDER BY id",
                KEFU_LOCKED_STAGES,
                tuple(self.env.companies.ids),
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        problems = []
        for start in range(0, len(ids), KEFU_INTEGRITY_BATCH):
            problems += self._kefu_integrity_batch(
                ids[start : start + KEFU_INTEGRITY_BATCH]
            )
        return problems

    @api.model
    def action_kefu_check_integrity(self):
        """The menu's check: says that all hold, or lists what does not and
        opens the orders concerned."""
        problems = self.kefu_check_integrity()
        checked = self.search_count([("kefu_stage", "in", KEFU_LOCKED_STAGES)])
        if not problems:
            return _notification(
                self.env._("Integrity check"),
                self.env._(
                    "All %(count)s released, shipped or done orders are what their "
                    "customers signed.",
                    count=checked,
                ),
                "success",
            )
        orders = self.browse(dict.fromkeys(p["order_id"] for p in problems))
        names = dict(zip(orders.ids, orders.mapped("name"), strict=True))
        return _notification(
            self.env._(
                "Integrity check: %(count)s of %(checked)s orders differ",
                count=len(orders),
                checked=checked,
            ),
            "\n".join(f"{names[p['order_id']]}: {p['problem']}" for p in problems),
            "warning",
            next_action={
                "type": "ir.actions.act_window",
                "name": self.env._("Orders that differ from their signed sheet"),
                "res_model": "sale.order",
                "views": [[False, "list"], [False, "form"]],
                "domain": [("id", "in", orders.ids)],
                "context": {"create": False},
            },
        )

    @api.model
    def _kefu_integrity_batch(self, ids):
        problems = []
        fingerprints = self._kefu_fingerprints_from_rows(ids)
        self.env.cr.execute(
            SQL(
                """
            SELECT so.id, so.state, so.kefu_content_fingerprint,
                   v.id IS NOT NULL AND v.state = 'current', v.content_fingerprint,
                   v.version, so.kefu_override_at IS NOT NULL
              FROM sale_order so
         LEFT JOIN kefu_sheet_version v ON v.id = so.kefu_sheet_version_id
             WHERE so.id = ANY(%s)
                """,
                ids,
            )
        )
        for (
            order_id,
            state,
            stored,
            in_force,
            signed,
            version,
            overridden,
        ) in self.env.cr.fetchall():
            now = fingerprints[order_id]
            if not in_force:
                if not overridden:
                    problems.append(
                        (order_id, self.env._("No sheet version in force."))
                    )
            elif now != signed:
                problems.append(
                    (
                        order_id,
                        self.env._(
                            "The content differs from sheet version %(version)s "
                            "(%(signed)s, now %(now)s).",
                            version=version,
                            signed=signed or self.env._("not recorded"),
                            now=now,
                        ),
                    )
                )
            if stored != now:
                problems.append(
                    (
                        order_id,
                        self.env._(
                            "The stored content fingerprint %(stored)s is not the "
                            "content's (%(now)s): it was written behind the flow.",
                            stored=stored,
                            now=now,
                        ),
                    )
                )
            if state != "sale":
                problems.append(
                    (order_id, self.env._("The production order is not confirmed."))
                )
        problems += self._kefu_delivery_problems(ids)
        problems += self._kefu_money_problems(ids)
        return [{"order_id": order_id, "problem": text} for order_id, text in problems]

    @api.model
    def _kefu_fingerprints_from_rows(self, ids):
        """The content fingerprint of each order in ``ids``, computed from its
        rows as ``_kefu_sheet_content()`` computes it from its records."""
        content = {
            order_id: {"order": values, "lines": {}}
            for order_id, values, _none in self._kefu_item_rows(
                self, SQL("t.id = ANY(%s)", ids)
            )
        }
        lines = self._kefu_item_rows(
            self.env["sale.order.line"],
            # _kefu_content_lines(): no down payment without a quantity.
            SQL(
                "t.order_id = ANY(%s) AND NOT (COALESCE(t.is_downpayment, FALSE) "
                "AND COALESCE(t.product_uom_qty, 0) = 0)",
                ids,
            ),
            extra="order_id",
        )
        for line_id, values, order_id in lines:
            content[order_id]["lines"][str(line_id)] = values
        return {
            order_id: kefu_fingerprint.fingerprint(items)
            for order_id, items in content.items()
        }

    @api.model
    def _kefu_item_rows(self, model, where, extra=None):
        """``(id, {item: value}, extra)`` of the rows of ``model`` (table
        ``t``) that ``where`` selects, read from its table and its many2many
        tables and valued as the content values them."""
        fields_ = model._kefu_sheet_item_fields()
        columns = [f for f in fields_ if f.column_type]
        convert = [(f.name, item_converter(f)) for f in columns]
        related = {}
        for field in fields_:
            if field.type == "many2many":
                self.env.cr.execute(
                    SQL(
                        "SELECT r.%s, r.%s FROM %s r JOIN %s t ON t.id = r.%s WHERE %s",
                        SQL.identifier(field.column1),
                        SQL.identifier(field.column2),
                        SQL.identifier(field.relation),
                        SQL.identifier(model._table),
                        SQL.identifier(field.column1),
                        where,
                    )
                )
                related[field] = ids_by_record = defaultdict(list)
                for record_id, other_id in self.env.cr.fetchall():
                    ids_by_record[record_id].append(other_id)
        self.env.cr.execute(
            SQL(
                "SELECT t.id, %s, %s FROM %s t WHERE %s",
                SQL(", ").join(SQL.identifier("t", f.name) for f in columns),
                SQL.identifier("t", extra) if extra else SQL("NULL"),
                SQL.identifier(model._table),
                where,
            )
        )
        for row in self.env.cr.fetchall():
            values = {
                name: conv(raw)
                for (name, conv), raw in zip(convert, row[1:-1], strict=True)
            }
            for field, ids_by_record in related.items():
                values[field.name] = item_converter(field)(ids_by_record[row[0]])
            yield row[0], values, row[-1]

    @api.model
    def _kefu_delivery_problems(self, ids):
        """Deliveries done to another address than the signed one, and
        products delivered beyond their line's tolerance."""
        self.env.cr.execute(
            SQL(
                """
            SELECT DISTINCT p.sale_id
              FROM stock_picking p
              JOIN stock_picking_type t ON t.id = p.picking_type_id
              JOIN sale_order so ON so.id = p.sale_id
             WHERE p.sale_id = ANY(%s) AND t.code = 'outgoing' AND p.state = 'done'
               AND p.partner_id IS DISTINCT FROM so.partner_shipping_id
                """,
                ids,
            )
        )
        problems = [
            (order_id, self.env._("A delivery went to another address than signed."))
            for (order_id,) in self.env.cr.fetchall()
        ]
        self.env.cr.execute(
            SQL(
                """
            SELECT DISTINCT order_id FROM sale_order_line
             WHERE order_id = ANY(%s) AND display_type IS NULL
               AND qty_delivered > product_uom_qty
                   * (1 + COALESCE(kefu_tolerance_pct, 0) / 100.0) + 0.000001
                """,
                ids,
            )
        )
        problems += [
            (order_id, self.env._("More was delivered than signed, beyond tolerance."))
            for (order_id,) in self.env.cr.fetchall()
        ]
        return problems

    @api.model
    def _kefu_money_problems(self, ids):
        """Shipping approved while money is still due beyond finance's written
        exception: of the sheet's total (``_get_kefu_sheet_total()``), which
        no discount or down payment line lowers."""
        self.env.cr.execute(
            SQL(
                """
            SELECT so.id
              FROM sale_order so
              JOIN (SELECT order_id, SUM(price_total) AS total
                      FROM sale_order_line
                     WHERE order_id = ANY(%s) AND display_type IS NULL
                       AND NOT COALESCE(is_downpayment, FALSE)
                       AND product_uom_qty > 0 AND price_unit > 0
                  GROUP BY order_id) sheet ON sheet.order_id = so.id
         LEFT JOIN (SELECT order_id, SUM(amount) AS received
                      FROM kefu_money_receipt WHERE order_id = ANY(%s)
                  GROUP BY order_id) money ON money.order_id = so.id
             WHERE so.kefu_ship_state = 'approved'
               AND sheet.total - COALESCE(money.received, 0)
                   - COALESCE(so.kefu_payment_exception_amount, 0) > 0.005
                """,
                ids,
                ids,
            )
        )
        return [
            (order_id, self.env._("Shipping was approved with money still due."))
            for (order_id,) in self.env.cr.fetchall()
        ]

    @api.model
    def _cron_kefu_check_integrity(self):
        """Daily: tell each company's customer service supervisors, in the
        company's language, of every order that no longer is what its customer
        signed (once: an open alert is not repeated)."""
        problems = []
        for company in self.env["res.company"].search([]):
            orders = in_company_lang(self, company).with_company(company)
            found = orders.with_context(
                allowed_company_ids=company.ids
            ).kefu_check_integrity()
            problems += found
            by_order = defaultdict(list)
            for problem in found:
                by_order[problem["order_id"]].append(problem["problem"])
            for order in orders.browse(by_order):
                alert = order.env.ref(KEFU_INTEGRITY_ACTIVITY)
                if alert in order.activity_ids.activity_type_id:
                    continue
                order._kefu_hand_off(
                    KEFU_INTEGRITY_ACTIVITY,
                    order._kefu_department_users(GROUP_SUPERVISOR),
                    order.env._(
                        "Not what the customer signed: %(order)s", order=order.name
                    ),
                    "\n".join(by_order[order.id]),
                )
        return problems


def _notification(title, message, kind, next_action=None):
    params = {"title": title, "message": message, "type": kind, "sticky": True}
    if next_action:
        params["next"] = next_action
    return {
        "type": "ir.actions.client",
        "tag": "display_notification",
        "params": params,
    }
