#!/usr/bin/env python3
"""Benchmark of the integrity check ``sale.order.kefu_check_integrity()``.

It releases one order through the add-on's own records (two lines, a sheet
version in force), then copies it in SQL into ``--orders`` released orders,
each with its lines, taxes and version, and writes each copy's true content
fingerprint. It times the check on all of them (expected: no problem), then
moves one line of ``--moved`` orders in SQL and times it again (expected:
exactly those orders, twice each: the content and the stale stored
fingerprint). Everything runs in one transaction, rolled back at the end.

    python3 bench/bench_integrity.py --db kefu_bench [--orders 100000]

Target: 100,000 released orders in under 30 s on a 2-core machine, with a
number of queries that does not grow with the orders but by batch.
"""

import argparse
import datetime
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _odoo  # noqa: E402

_odoo.ensure_odoo(__file__)

from odoo import SUPERUSER_ID, Command, api  # noqa: E402

TARGET_SECONDS = 30.0


def released_order(env):
    """One released order, as the flow leaves it: content, version, state."""
    # Importable once the registry has loaded the add-on.
    from odoo.addons.kefu_order_flow.models.kefu_common import transition

    env.company.partner_id.tz = "Asia/Shanghai"
    partner = env["res.partner"].create(
        {
            "name": "基准测试客户 (bench_integrity)",
            "is_company": True,
            "kefu_grade_id": env.ref("kefu_order_flow.grade_b").id,
        }
    )
    products = env["product.product"].create(
        [
            {"name": f"膜 {code}", "default_code": code, "type": "consu"}
            for code in ("BENCH-1", "BENCH-2")
        ]
    )
    order = env["sale.order"].create(
        {
            "partner_id": partner.id,
            "payment_term_id": env.ref("account.account_payment_term_30days").id,
            "kefu_requested_date": datetime.date.today() + datetime.timedelta(days=20),
            "order_line": [
                Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_qty": 100,
                        "price_unit": 20,
                        "kefu_spec": "20μm × 1000mm",
                        "kefu_packaging": "纸芯 3 寸",
                        "kefu_tolerance_pct": 5,
                    }
                )
                for product in products
            ],
        }
    )
    version = transition(env["kefu.sheet.version"]).create(
        {
            **order._prepare_kefu_sheet_version_vals(),
            "sent_at": datetime.datetime(2026, 3, 2, 2),
            "sent_by": SUPERUSER_ID,
        }
    )
    transition(order).write(
        {"kefu_sheet_version_id": version.id, "kefu_stage": "released"}
    )
    env.flush_all()
    env.cr.execute("UPDATE sale_order SET state = 'sale' WHERE id = %s", [order.id])
    return order


def _columns(cr, table, leave_out):
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
        [table],
    )
    return [name for (name,) in cr.fetchall() if name not in leave_out]


def copy_order(env, order, count):
    """``count`` copies of ``order`` in SQL, with lines, taxes and a version
    each; returns their ids."""
    cr = env.cr
    cols = _columns(cr, "sale_order", {"id", "name", "access_token"})
    cr.execute(
        f"""
        INSERT INTO sale_order (name, {", ".join(cols)})
        SELECT 'BENCH/' || lpad(g::text, 6, '0'), {", ".join(cols)}
          FROM sale_order, generate_series(1, %s) g
         WHERE id = %s
     RETURNING id
        """,
        [count, order.id],
    )
    ids = [row[0] for row in cr.fetchall()]
    line_cols = _columns(cr, "sale_order_line", {"id", "order_id"})
    cr.execute(
        f"""
        INSERT INTO sale_order_line (order_id, {", ".join(line_cols)})
        SELECT o.id, {", ".join(f"l.{c}" for c in line_cols)}
          FROM unnest(%s::int[]) o(id), sale_order_line l
         WHERE l.order_id = %s
        """,
        [ids, order.id],
    )
    cr.execute(
        """
        INSERT INTO account_tax_sale_order_line_rel (sale_order_line_id, account_tax_id)
        SELECT new.id, rel.account_tax_id
          FROM sale_order_line new
          JOIN sale_order_line old
            ON old.order_id = %s AND old.product_id = new.product_id
          JOIN account_tax_sale_order_line_rel rel ON rel.sale_order_line_id = old.id
         WHERE new.order_id = ANY(%s)
        """,
        [order.id, ids],
    )
    version_cols = _columns(cr, "kefu_sheet_version", {"id", "order_id"})
    cr.execute(
        f"""
        WITH v AS (
            INSERT INTO kefu_sheet_version (order_id, {", ".join(version_cols)})
            SELECT o.id, {", ".join(f"v.{c}" for c in version_cols)}
              FROM unnest(%s::int[]) o(id), kefu_sheet_version v
             WHERE v.id = %s
         RETURNING id, order_id)
        UPDATE sale_order SET kefu_sheet_version_id = v.id
          FROM v WHERE sale_order.id = v.order_id
        """,
        [ids, order.kefu_sheet_version_id.id],
    )
    # Each copy's own fingerprint (its lines have their own ids).
    fingerprints = env["sale.order"]._kefu_fingerprints_from_rows(ids)
    cr.execute(
        """
        WITH f AS (SELECT * FROM unnest(%s::int[], %s::text[]) f(id, code)),
             o AS (UPDATE sale_order so SET kefu_content_fingerprint = f.code,
                          kefu_contract_fingerprint = f.code
                     FROM f WHERE so.id = f.id)
        UPDATE kefu_sheet_version v SET content_fingerprint = f.code
          FROM f WHERE v.order_id = f.id
        """,
        [list(fingerprints), list(fingerprints.values())],
    )
    cr.execute(
        "ANALYZE sale_order; ANALYZE sale_order_line; ANALYZE kefu_sheet_version"
    )
    return ids


def timed_check(env):
    env.invalidate_all()
    count0, start = env.cr.sql_log_count, time.perf_counter()
    problems = env["sale.order"].kefu_check_integrity()
    return problems, time.perf_counter() - start, env.cr.sql_log_count - count0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="database with kefu_order_flow")
    parser.add_argument("--db-user", default="odoo")
    parser.add_argument("--orders", type=int, default=100000)
    parser.add_argument("--moved", type=int, default=10)
    args = parser.parse_args()
    registry = _odoo.load_registry(args.db, args.db_user)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        try:
            start = time.perf_counter()
            order = released_order(env)
            ids = copy_order(env, order, args.orders - 1)
            print(
                f"{args.orders} released orders made in "
                f"{time.perf_counter() - start:.1f} s"
            )
            problems, seconds, queries = timed_check(env)
            print(
                f"clean:  {seconds:6.2f} s, {queries} queries, {len(problems)} problems"
            )
            if problems:
                sys.exit(f"expected no problem, got e.g. {problems[:3]}")
            moved = ids[:: max(1, len(ids) // args.moved)][: args.moved]
            cr.execute(
                "UPDATE sale_order_line SET kefu_spec = 'moved' "
                "WHERE order_id = ANY(%s)",
                [moved],
            )
            problems, seconds_moved, queries = timed_check(env)
            found = sorted({p["order_id"] for p in problems})
            print(
                f"moved:  {seconds_moved:6.2f} s, {queries} queries, {len(problems)} "
                f"problems on {len(found)} orders"
            )
            if found != sorted(moved) or len(problems) != 2 * len(moved):
                sys.exit("the check did not find exactly the orders moved")
        finally:
            cr.rollback()
    verdict = "within" if max(seconds, seconds_moved) < TARGET_SECONDS else "OVER"
    print(f"{verdict} the {TARGET_SECONDS:.0f} s target")


if __name__ == "__main__":
    main()
