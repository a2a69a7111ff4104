#!/usr/bin/env python3
"""Benchmark of the order analysis ``kefu.order.report`` over many orders.

Inserts ``--orders`` orders (default 100,000) of ``--customers`` customers over
twelve months with SQL (``INSERT ... SELECT generate_series``), with what the
report reads beside them: accepted and rejected sheet returns, signed completion
statements, production problems and validated deliveries. Then it times the
report as the pivot asks for it (``read_group`` by customer and month, as a
user under record rules), best of ``--repeat`` runs. By default everything runs
in one transaction that is rolled back: the database is left as it was.

    python3 bench/bench_report.py --db kefu_bench [--orders 100000] [--steady]
        [--explain]

With --steady the data is committed and vacuumed before measuring (as in a live
database, where autovacuum keeps the visibility map: index-only scans), and
deleted at the end.

Target: under one second at 100,000 orders.
"""

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _odoo  # noqa: E402

_odoo.ensure_odoo(__file__)

from odoo import SUPERUSER_ID, api  # noqa: E402

BASE_DAY = datetime.date(2026, 3, 2)
TARGET_SECONDS = 1.0
MEASURES = [
    "__count",
    "slip_days:avg",
    "return_hours:avg",
    "on_time_completion:avg",
    "on_time_delivery:avg",
    "problem_count:sum",
    "amount_untaxed:sum",
]


def setup(env, customers):
    env.company.partner_id.tz = "Asia/Shanghai"
    cny = env.ref("base.CNY")
    cny.active = True
    grade = env.ref("kefu_order_flow.grade_b")
    partner_ids = (
        env["res.partner"]
        .create(
            [
                {
                    "name": f"bench_report {n}",
                    "is_company": True,
                    "kefu_grade_id": grade.id,
                }
                for n in range(customers)
            ]
        )
        .ids
    )
    warehouse = env["stock.warehouse"].search(
        [("company_id", "=", env.company.id)], limit=1
    )
    return {
        "company": env.company.id,
        "partners": partner_ids,
        "currency": cny.id,
        "grade": grade.id,
        "pricelist": env["product.pricelist"]
        .create({"name": "Bench CNY (bench_report)", "currency_id": cny.id})
        .id,
        "warehouse": warehouse.id,
        "out_type": warehouse.out_type_id.id,
        "stock": warehouse.lot_stock_id.id,
        "customer_loc": env.ref("stock.stock_location_customers").id,
        "uid": SUPERUSER_ID,
        "payment_term": env.ref("account.account_payment_term_30days").id,
    }


# (column, SQL expression) of the inserted orders; g is the row number, ordered
# the order's time (over 365 days before BASE_DAY), p its customer.
STAGES = "(ARRAY['intake','review','sheet_sent','returned','released','shipped',"
STAGES += "'done','done','done','cancel'])[1 + g %% 10]"
ORDER_COLUMNS = [
    ("name", "'BENCHR/' || lpad(g::text, 6, '0')"),
    ("company_id", "%(company)s"),
    ("partner_id", "p"),
    ("partner_invoice_id", "p"),
    ("partner_shipping_id", "p"),
    ("pricelist_id", "%(pricelist)s"),
    ("currency_id", "%(currency)s"),
    ("currency_rate", "1.0"),
    ("payment_term_id", "%(payment_term)s"),
    ("user_id", "%(uid)s"),
    ("warehouse_id", "%(warehouse)s"),
    ("state", "CASE WHEN g %% 10 BETWEEN 4 AND 8 THEN 'sale' ELSE 'draft' END"),
    ("date_order", "ordered"),
    ("picking_policy", "'direct'"),
    ("invoice_status", "'no'"),
    ("amount_untaxed", "1000 + g %% 500"),
    ("amount_tax", "130"),
    ("amount_total", "1130 + g %% 500"),
    ("locked", "FALSE"),
    ("kefu_stage", STAGES),
    ("kefu_price_state", "'ok'"),
    ("kefu_return_state", "'none'"),
    ("kefu_ship_state", "'not_required'"),
    ("kefu_grade_id", "%(grade)s"),
    ("kefu_channel", "'fax'"),
    ("kefu_requested_date", "ordered::date + 20"),
    ("kefu_reply_promise_at", "ordered + interval '4 hours'"),
    ("kefu_sheet_version", "CASE WHEN g %% 10 >= 2 THEN 1 ELSE 0 END"),
    (
        "kefu_sheet_sent_at",
        "CASE WHEN g %% 10 >= 2 THEN ordered + (g %% 7) * interval '1 hour' END",
    ),
    ("kefu_sheet_sent_by", "CASE WHEN g %% 10 >= 2 THEN %(uid)s END"),
    ("kefu_completion_date", "ordered::date + 10"),
    ("kefu_sheet_date", "ordered::date + 10"),
    ("kefu_slip_days", "g %% 4"),
    ("kefu_planned_date", "ordered::date + 10 + g %% 4"),
    ("kefu_deposit_state", "'not_required'"),
    ("kefu_deposit_required", "FALSE"),
    ("kefu_deposit_amount", "0"),
    ("create_uid", "%(uid)s"),
    ("write_uid", "%(uid)s"),
    ("create_date", "ordered"),
    ("write_date", "ordered"),
]


def _other_required_columns(env, table, model, known):
    cr = env.cr
    cr.execute(
        """
        SELECT column_name FROM information_schema.columns
         WHERE table_name = %s AND is_nullable = 'NO'
           AND column_default IS NULL AND column_name != 'id'
        """,
        (table,),
    )
    values = {}
    for (column,) in cr.fetchall():
        if column in known:
            continue
        field = env[model]._fields.get(column)
        value = env[model].default_get([column]).get(column) if field else None
        if value is None and field and field.type == "selection":
            value = field.get_values(env)[0]
        if value is None:
            sys.exit(f"bench_report: no value for NOT NULL column {table}.{column}")
        values[column] = value
    return values


def _progress(what, start):
    print(f"  {what}: {time.perf_counter() - start:.1f}s", file=sys.stderr)


def insert_data(env, count, ids):
    """Orders, then their returns, completions, problems and deliveries: one
    INSERT ... SELECT each."""
    cr = env.cr
    columns = list(ORDER_COLUMNS)
    params = dict(ids, count=count, base=BASE_DAY, ncust=len(ids["partners"]))
    known = {column for column, _expr in columns}
    for column, value in _other_required_columns(
        env, "sale_order", "sale.order", known
    ).items():
        columns.append((column, f"%(x_{column})s"))
        params[f"x_{column}"] = value
    cr.execute(
        f"""
        INSERT INTO sale_order ({", ".join(f'"{col}"' for col, _e in columns)})
        SELECT {", ".join(expr for _col, expr in columns)}
          FROM generate_series(1, %(count)s) g,
               LATERAL (SELECT %(base)s::timestamp
                               - (g %% 365) * interval '1 day'
                               - (g %% 24) * interval '1 hour' AS ordered,
                               (%(partners)s::int[])[1 + g %% %(ncust)s] AS p) s
        """,
        params,
    )
    start = time.perf_counter()
    cr.execute("ANALYZE sale_order")
    cr.execute("SELECT id FROM sale_order WHERE name LIKE 'BENCHR/%%'")
    order_ids = [row[0] for row in cr.fetchall()]
    _progress("orders", start)
    # A rejected return for one order in five, an accepted one once returned.
    cr.execute(
        """
        INSERT INTO kefu_sheet_return (order_id, company_id, kind, sheet_version,
                                       accepted, recorded_by, recorded_at)
        SELECT so.id, so.company_id, 'sheet', 1, FALSE, %(uid)s,
               so.kefu_sheet_sent_at + interval '2 hours'
          FROM sale_order so
         WHERE so.name LIKE 'BENCHR/%%' AND so.kefu_sheet_sent_at IS NOT NULL
           AND so.id %% 5 = 0
        UNION ALL
        SELECT so.id, so.company_id, 'sheet', 1, TRUE, %(uid)s,
               so.kefu_sheet_sent_at + (so.id %% 50) * interval '1 hour'
          FROM sale_order so
         WHERE so.name LIKE 'BENCHR/%%'
           AND so.kefu_stage IN ('returned', 'released', 'shipped', 'done')
        """,
        ids,
    )
    _progress("returns", start)
    cr.execute(
        """
        INSERT INTO kefu_completion_statement (order_id, company_id, state,
                                               completion_date, quantity)
        SELECT so.id, so.company_id, 'signed',
               so.kefu_completion_date + (so.id %% 5) - 2, 100
          FROM sale_order so
         WHERE so.name LIKE 'BENCHR/%%' AND so.kefu_stage IN ('shipped', 'done')
        """,
        ids,
    )
    _progress("completions", start)
    cr.execute(
        """
        INSERT INTO kefu_monitoring (order_id, company_id, date, progress,
                                     is_problem, is_open_problem, recorded_by,
                                     recorded_at)
        SELECT so.id, so.company_id, so.date_order::date + 3, 'bench',
               so.id %% 3 = 0, so.id %% 6 = 0, %(uid)s, so.date_order
          FROM sale_order so
         WHERE so.name LIKE 'BENCHR/%%'
           AND so.kefu_stage IN ('released', 'shipped', 'done')
        """,
        ids,
    )
    _progress("problems", start)
    picking = {
        "name": "'BENCHR/OUT/' || so.id",
        "picking_type_id": "%(out_type)s",
        "location_id": "%(stock)s",
        "location_dest_id": "%(customer_loc)s",
        "move_type": "'direct'",
        "state": "'done'",
        "company_id": "so.company_id",
        "partner_id": "so.partner_id",
        "sale_id": "so.id",
        "scheduled_date": "so.date_order",
        "date": "so.date_order",
        "date_done": "so.date_order + (18 + so.id %% 6) * interval '1 day'",
        "create_date": "so.date_order",
        "write_date": "so.date_order",
    }
    for column, value in _other_required_columns(
        env, "stock_picking", "stock.picking", set(picking)
    ).items():
        picking[column] = f"%(p_{column})s"
        ids = dict(ids, **{f"p_{column}": value})
    cr.execute(
        f"""
        INSERT INTO stock_picking ({", ".join(picking)})
        SELECT {", ".join(picking.values())}
          FROM sale_order so
         WHERE so.name LIKE 'BENCHR/%%' AND so.kefu_stage IN ('shipped', 'done')
        """,
        ids,
    )
    _progress("deliveries", start)
    for table in (
        "sale_order",
        "kefu_sheet_return",
        "kefu_completion_statement",
        "kefu_monitoring",
        "stock_picking",
        "res_partner",
    ):
        cr.execute(f"ANALYZE {table}")
    return order_ids


def _backend_cpu(cr):
    """CPU seconds used so far by this cursor's PostgreSQL backend (Linux, same
    host): with the Python side's, what the report costs whatever else runs on
    the machine."""
    cr.execute("SELECT pg_backend_pid()")
    try:
        with open(f"/proc/{cr.fetchone()[0]}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_report(env, user_id):
    """(wall seconds, CPU seconds, groups) of one read_group by customer and
    month, as the pivot asks for it."""
    report = env(user=user_id)["kefu.order.report"]
    env.invalidate_all()
    cpu = _backend_cpu(env.cr) + time.process_time()
    start = time.perf_counter()
    groups = report.read_group(
        [], MEASURES, ["partner_id", "date_order:month"], lazy=False
    )
    wall = time.perf_counter() - start
    cpu = _backend_cpu(env.cr) + time.process_time() - cpu
    return wall, cpu, groups


class ReportQuery:
    """A query hook of odoo.sql_db: keeps the report's query and its parameters."""

    query, params = "", None

    def __call__(self, cr, query, params, start, delay):
        if "kefu_sheet_return" in query:
            self.query, self.params = query, params

    def __enter__(self):
        thread = threading.current_thread()
        self._saved = getattr(thread, "query_hooks", ())
        thread.query_hooks = (*self._saved, self)
        return self

    def __exit__(self, *exc):
        threading.current_thread().query_hooks = self._saved


def explain_report(env, user_id):
    """EXPLAIN ANALYZE of the query the pivot's read_group runs."""
    with ReportQuery() as last:
        run_report(env, user_id)
    env.cr.execute("EXPLAIN (ANALYZE, BUFFERS) " + last.query, last.params)
    return "\n".join(row[0] for row in env.cr.fetchall())


TABLES = (
    "sale_order",
    "kefu_sheet_return",
    "kefu_completion_statement",
    "kefu_monitoring",
    "stock_picking",
)


def _psql(db, db_user, sql):
    subprocess.run(
        ["psql", "-U", db_user, "-d", db, "-qtAc", sql], check=True, timeout=600
    )


def cleanup(registry):
    """Delete what a --steady run committed (also the leftovers of a crash)."""
    with registry.cursor() as cr:
        cr.execute("DELETE FROM stock_picking WHERE name LIKE 'BENCHR/%%'")
        cr.execute("DELETE FROM sale_order WHERE name LIKE 'BENCHR/%%'")
        cr.execute("DELETE FROM res_partner WHERE name LIKE 'bench_report %%'")
        cr.execute(
            "DELETE FROM product_pricelist WHERE name->>'en_US' = "
            "'Bench CNY (bench_report)'"
        )


def measure(registry, args):
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        # an administrator, under the record rules (not the superuser)
        user_id = env.ref("base.user_admin").id
        runs, cpus, groups = [], [], None
        for _run in range(args.repeat):
            seconds, cpu, groups = run_report(env, user_id)
            runs.append(seconds)
            cpus.append(cpu)
        cr.execute("SELECT count(*) FROM sale_order WHERE name LIKE 'BENCHR/%%'")
        inserted = cr.fetchone()[0]
        plan = explain_report(env, user_id) if args.explain else None
        cr.rollback()
    return runs, cpus, groups, inserted, plan


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="database with kefu_order_flow")
    parser.add_argument("--db-user", default="odoo")
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--explain", action="store_true", help="print the plan of the report query"
    )
    parser.add_argument(
        "--steady",
        action="store_true",
        help="commit the data and VACUUM ANALYZE it before measuring (index-only "
        "scans, as in a live database); the data is deleted at the end",
    )
    args = parser.parse_args()
    registry = _odoo.load_registry(args.db, args.db_user, ["--log-level=warn"])
    if args.steady:
        cleanup(registry)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        start = time.perf_counter()
        ids = setup(env, args.customers)
        insert_data(env, args.orders, ids)
        insert_seconds = time.perf_counter() - start
        if args.steady:
            cr.commit()
        else:
            # One transaction, rolled back at the end.
            runs, cpus, groups = [], [], None
            user_id = env.ref("base.user_admin").id
            for _run in range(args.repeat):
                seconds, cpu, groups = run_report(env, user_id)
                runs.append(seconds)
                cpus.append(cpu)
            cr.execute("SELECT count(*) FROM sale_order WHERE name LIKE 'BENCHR/%%'")
            inserted = cr.fetchone()[0]
            plan = explain_report(env, user_id) if args.explain else None
            cr.rollback()
    if args.steady:
        try:
            for table in TABLES:
                _psql(args.db, args.db_user, f"VACUUM ANALYZE {table}")
            runs, cpus, groups, inserted, plan = measure(registry, args)
        finally:
            cleanup(registry)
            for table in TABLES:
                _psql(args.db, args.db_user, f"VACUUM ANALYZE {table}")
    if plan:
        print(plan)
    best, median = min(runs), statistics.median(runs)
    print()
    print(
        f"{'orders':>8} {'customers':>9} {'insert s':>9} {'groups':>7} "
        f"{'best s':>7} {'median s':>9} {'CPU s':>6}"
    )
    print(
        f"{inserted:>8} {args.customers:>9} {insert_seconds:>9.2f} {len(groups):>7} "
        f"{best:>7.3f} {median:>9.3f} {min(cpus):>6.3f}"
    )
    assert inserted == args.orders, inserted
    ok = best < TARGET_SECONDS
    print(
        f"report grouped by customer and month under {TARGET_SECONDS:g} s: "
        f"{'yes' if ok else 'NO'} (best of {args.repeat}; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; CPU s = the "
        "PostgreSQL backend's and Python's CPU time, what it takes on an idle "
        "machine)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
