# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The baseline: the same clients on core Odoo alone (quotation,
action_confirm, delivery), so that the add-on's cost is a ratio measured in
one run."""

from .desk import Desk, deliver
from .fixture import CORE_ROLES, CUSTOMERS, create_users, xmlids
from .invariants import sql_rows


class CoreDesk(Desk):
    """The same clients on core Odoo: quotation, action_confirm, delivery."""

    def __init__(self, index, sessions, fixture, work, stats, stop, args):
        super().__init__(index, sessions, fixture, work, stats, stop, args)

    def drive(self, plan):
        lines = [
            (
                0,
                0,
                {
                    "product_id": self.fixture.products[
                        (plan.index + number) % len(self.fixture.products)
                    ],
                    "product_uom_qty": 500 + 10 * number + plan.index % 7,
                },
            )
            for number in range(self.args.lines)
        ]
        plan.order_id = self.timed(
            "create quotation",
            "sales",
            "sale.order",
            "create",
            {
                "partner_id": self.fixture.customers[plan.customer],
                "order_line": lines,
            },
        )
        self.timed(
            "action_confirm", "sales", "sale.order", "action_confirm", [plan.order_id]
        )
        deliver(self, "stock", plan.order_id)
        plan.done = True


class CoreFixture:
    def __init__(self, admin, clients, tag):
        uom = xmlids(admin, ["uom.product_uom_kgm"])["uom.product_uom_kgm"]
        self.products = [
            admin.call(
                "product.product",
                "create",
                {
                    "name": name,
                    "default_code": code,
                    "type": "consu",
                    "list_price": price,
                    "uom_id": uom,
                    "uom_po_id": uom,
                },
            )
            for name, code, price in (
                ("BOPP 光膜", f"BOPP-20-{tag}", 20.0),
                ("PET 印刷膜", f"PET-12-{tag}", 26.0),
                ("BOPP 消光膜", f"BOPP-M18-{tag}", 24.0),
            )
        ]
        self.customers = {
            key: admin.call(
                "res.partner",
                "create",
                {"name": f"Load customer {key} ({tag})", "is_company": True},
            )
            for key, _grade, _deposit in CUSTOMERS
        }
        self.logins = create_users(admin, CORE_ROLES, clients, tag)


def core_invariants(db, plans):
    ids = ",".join(str(p.order_id) for p in plans if p.order_id) or "0"
    broken = sql_rows(
        db,
        f"""SELECT so.name FROM sale_order so
             WHERE so.id IN ({ids}) AND (so.state != 'sale' OR (
                SELECT count(*) FROM stock_picking p
                 WHERE p.sale_id = so.id AND p.state = 'done') != 1)""",
    )
    done = sum(plan.done for plan in plans)
    return [
        ("every order confirmed and delivered once", len(plans), len(broken), "-"),
        ("orders finished", len(plans), len(plans) - done, "-"),
    ]
