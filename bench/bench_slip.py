#!/usr/bin/env python3
"""Benchmark of the slippage cron ``sale.order._cron_kefu_slip(today=...)``.

For each size (default 2,000 and 100,000) it bulk-inserts waiting orders
(stage ``sheet_sent``) with one SQL INSERT, then times the cron (call + flush)
and counts its SQL queries, next to one plain
``UPDATE sale_order SET kefu_slip_days = ... WHERE id = ANY(those ids)``.
By default every size runs in its own transaction, rolled back at the end:
the database is left as it was (but no update can be HOT, see --steady).
With --steady the orders are committed, the table is vacuumed between runs,
and the orders are deleted at the end.

    python3 bench/bench_slip.py --db kefu_bench [--orders 2000,100000]

Targets: the same query count at every size, and the cron within
5x the plain UPDATE.
"""

import argparse
import cProfile
import datetime
import io
import pstats
import re
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
TARGET_RATIO = 5.0
BENCH_PARTNER = "基准测试客户 (bench_slip)"
BENCH_PRICELIST = "Bench CNY (bench_slip)"


class QueryLog:
    """A query hook of odoo.sql_db: every query with its duration."""

    def __init__(self):
        self.queries = []

    def __call__(self, cr, query, params, start, delay):
        text = query.decode() if isinstance(query, bytes) else str(query)
        self.queries.append((" ".join(text.split()), delay))

    def __enter__(self):
        thread = threading.current_thread()
        self._saved = getattr(thread, "query_hooks", ())
        thread.query_hooks = (*self._saved, self)
        return self

    def __exit__(self, *exc):
        threading.current_thread().query_hooks = self._saved

    def summary(self, top=8):
        groups = {}
        for text, delay in self.queries:
            key = re.sub(r"\d+", "N", text)[:110]
            count, total = groups.get(key, (0, 0.0))
            groups[key] = (count + 1, total + delay)
        rows = sorted(groups.items(), key=lambda item: -item[1][1])[:top]
        return [f"{total:8.3f}s {count:5d}x  {key}" for key, (count, total) in rows]


def setup(env):
    """Company in Shanghai, a grade-B customer, a CNY price list."""
    env.company.partner_id.tz = "Asia/Shanghai"
    cny = env.ref("base.CNY")
    cny.active = True
    pricelist = env["product.pricelist"].create(
        {"name": BENCH_PRICELIST, "currency_id": cny.id}
    )
    grade = env.ref("kefu_order_flow.grade_b")
    partner = env["res.partner"].create(
        {"name": BENCH_PARTNER, "is_company": True, "kefu_grade_id": grade.id}
    )
    env.flush_all()
    return {
        "company": env.company.id,
        "partner": partner.id,
        "pricelist": pricelist.id,
        "currency": cny.id,
        "grade": grade.id,
        "warehouse": env["stock.warehouse"]
        .search([("company_id", "=", env.company.id)], limit=1)
        .id,
        "uid": SUPERUSER_ID,
        "payment_term": env.ref("account.account_payment_term_30days").id,
    }


# (column, SQL expression) of the inserted orders; ``sent`` is the time the
# sheet was sent, ``g`` the row number.
ORDER_COLUMNS = [
    ("name", "'BENCH/' || lpad(g::text, 6, '0')"),
    ("company_id", "%(company)s"),
    ("partner_id", "%(partner)s"),
    ("partner_invoice_id", "%(partner)s"),
    ("partner_shipping_id", "%(partner)s"),
    ("pricelist_id", "%(pricelist)s"),
    ("currency_id", "%(currency)s"),
    ("currency_rate", "1.0"),
    ("payment_term_id", "%(payment_term)s"),
    ("user_id", "%(uid)s"),
    ("warehouse_id", "%(warehouse)s"),
    ("state", "'draft'"),
    ("date_order", "sent"),
    ("picking_policy", "'direct'"),
    ("invoice_status", "'no'"),
    ("amount_untaxed", "1000"),
    ("amount_tax", "130"),
    ("amount_total", "1130"),
    ("locked", "FALSE"),
    ("kefu_stage", "'sheet_sent'"),
    ("kefu_price_state", "'ok'"),
    ("kefu_return_state", "'pending'"),
    ("kefu_ship_state", "'not_required'"),
    ("kefu_grade_id", "%(grade)s"),
    ("kefu_channel", "'fax'"),
    ("kefu_requested_date", "%(base)s::date + 30"),
    ("kefu_sheet_sent_at", "sent"),
    ("kefu_completion_date", "%(base)s::date + 10"),
    ("kefu_sheet_date", "%(base)s::date + 10"),
    ("kefu_slip_days", "0"),
    ("kefu_planned_date", "%(base)s::date + 10"),
    ("kefu_deposit_state", "'not_required'"),
    ("kefu_deposit_required", "FALSE"),
    ("kefu_deposit_amount", "0"),
    ("create_uid", "%(uid)s"),
    ("write_uid", "%(uid)s"),
    ("create_date", "sent"),
    ("write_date", "sent"),
]


def _other_required_columns(env):
    """NOT NULL columns of sale_order that ORDER_COLUMNS leaves out (the add-on
    grows): filled with the field's default, else its first selection value."""
    cr = env.cr
    cr.execute(
        """
        SELECT column_name FROM information_schema.columns
         WHERE table_name = 'sale_order' AND is_nullable = 'NO'
           AND column_default IS NULL AND column_name != 'id'
        """
    )
    known = {column for column, _expr in ORDER_COLUMNS}
    model = env["sale.order"]
    values = {}
    for (column,) in cr.fetchall():
        if column in known:
            continue
        field = model._fields.get(column)
        value = model.default_get([column]).get(column) if field else None
        if value is None and field and field.type == "selection":
            value = field.get_values(env)[0]
        if value is None:
            sys.exit(f"bench_slip: no value for NOT NULL column sale_order.{column}")
        values[column] = value
    return values


def insert_orders(env, count, ids):
    """One INSERT ... SELECT generate_series: ``count`` orders waiting for the
    signed sheet, sent 0-29 days before BASE_DAY at various hours."""
    cr = env.cr
    columns = list(ORDER_COLUMNS)
    params = dict(ids, count=count, base=BASE_DAY)
    for column, value in _other_required_columns(env).items():
        columns.append((column, f"%(x_{column})s"))
        params[f"x_{column}"] = value
    cr.execute(
        f"""
        INSERT INTO sale_order ({", ".join(f'"{col}"' for col, _e in columns)})
        SELECT {", ".join(expr for _col, expr in columns)}
          FROM generate_series(1, %(count)s) g,
               LATERAL (SELECT %(base)s::timestamp
                               - (g %% 30) * interval '1 day'
                               - (g %% 24) * interval '1 hour' AS sent) s
     RETURNING id
        """,
        params,
    )
    order_ids = [row[0] for row in cr.fetchall()]
    cr.execute("ANALYZE sale_order")
    return order_ids


def run_cron(env, today):
    """Time and count the cron (call, then the flush of what it left)."""
    cr = env.cr
    env.invalidate_all()
    with QueryLog() as log:
        count0, start = cr.sql_log_count, time.perf_counter()
        changed = env["sale.order"]._cron_kefu_slip(today=today)
        call = time.perf_counter() - start
        env.flush_all()
        total = time.perf_counter() - start
        queries = cr.sql_log_count - count0
    return {
        "changed": changed,
        "call": call,
        "flush": total - call,
        "seconds": total,
        "queries": queries,
        "sql_seconds": sum(delay for _text, delay in log.queries),
        "log": log,
    }


def run_plain(env, order_ids, value):
    cr = env.cr
    start = time.perf_counter()
    cr.execute(
        "UPDATE sale_order SET kefu_slip_days = %s WHERE id = ANY(%s)",
        (value, order_ids),
    )
    return time.perf_counter() - start, cr.rowcount


def _measure(registry, order_ids, repeat, profile, between=None):
    """Cron and plain UPDATE runs, alternating; ``between(cr)`` ends each run."""
    crons, plains, noop, profile_text = [], [], None, None

    def step(fn):
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            result = fn(env)
            if between:
                between(cr)
        return result

    count = len(order_ids)
    for run in range(repeat):
        # A new day each run: every order's slip changes.
        today = BASE_DAY + datetime.timedelta(days=run + 1)
        result = step(lambda env, today=today: run_cron(env, today))
        if result["changed"] != count:
            sys.exit(f"cron changed {result['changed']} of {count} orders")
        crons.append(result)
        seconds, rows = step(lambda env, run=run: run_plain(env, order_ids, 1000 + run))
        assert rows == count
        plains.append(seconds)
    # Same day twice: the second run changes nothing (idempotent re-run).
    last = BASE_DAY + datetime.timedelta(days=repeat)
    step(lambda env: run_cron(env, last))
    noop = step(lambda env: run_cron(env, last))
    if noop["changed"]:
        sys.exit(f"the re-run changed {noop['changed']} orders")
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        step(lambda env: run_cron(env, last + datetime.timedelta(days=5)))
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
        profile_text = out.getvalue()
    return crons, plains, noop, profile_text


class _Transaction:
    """One cursor for the whole size, rolled back: registry.cursor() look-alike."""

    def __init__(self, cr):
        self.cr = cr

    def cursor(self):
        return self

    def __enter__(self):
        return self.cr

    def __exit__(self, *exc):
        return False


def _psql(db, db_user, sql):
    subprocess.run(
        ["psql", "-U", db_user, "-d", db, "-qtAc", sql], check=True, timeout=600
    )


def _cleanup(registry, saved_tz):
    """Delete what a --steady run committed (also the leftovers of a crash)."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        cr.execute("DELETE FROM sale_order WHERE name LIKE 'BENCH/%%'")
        env["res.partner"].search([("name", "=", BENCH_PARTNER)]).unlink()
        env["product.pricelist"].search([("name", "=", BENCH_PRICELIST)]).unlink()
        if saved_tz is not None:
            env.company.partner_id.tz = saved_tz or False


def bench_size(registry, count, repeat, profile, steady, db, db_user):
    if not steady:
        # Everything in one transaction, rolled back at the end.
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            try:
                ids = setup(env)
                start = time.perf_counter()
                order_ids = insert_orders(env, count, ids)
                insert_seconds = time.perf_counter() - start
                measured = _measure(_Transaction(cr), order_ids, repeat, profile)
            finally:
                cr.rollback()
    else:
        # Committed rows, VACUUM between runs (updates can be HOT, as in a
        # database whose cron runs every day); deleted at the end.
        _cleanup(registry, None)
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            saved_tz = env.company.partner_id.tz or ""
            ids = setup(env)
            start = time.perf_counter()
            order_ids = insert_orders(env, count, ids)
            insert_seconds = time.perf_counter() - start
        try:
            _psql(db, db_user, "VACUUM ANALYZE sale_order")

            def vacuum(cr):
                cr.commit()
                _psql(db, db_user, "VACUUM sale_order")

            measured = _measure(registry, order_ids, repeat, profile, vacuum)
        finally:
            _cleanup(registry, saved_tz)
            _psql(db, db_user, "VACUUM ANALYZE sale_order")
    crons, plains, noop, profile_text = measured
    best = min(crons, key=lambda result: result["seconds"])
    return {
        "orders": count,
        "insert": insert_seconds,
        "cron": best,
        "cron_median": statistics.median(r["seconds"] for r in crons),
        "plain": min(plains),
        "plain_median": statistics.median(plains),
        "noop": noop,
        "profile": profile_text,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="database with kefu_order_flow")
    parser.add_argument("--db-user", default="odoo")
    parser.add_argument(
        "--orders",
        default="2000,100000",
        help="comma-separated sizes (default 2000,100000)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per size (min)")
    parser.add_argument(
        "--profile", action="store_true", help="cProfile one more cron run per size"
    )
    parser.add_argument(
        "--steady",
        action="store_true",
        help="commit the orders and VACUUM between runs (HOT updates, as in a "
        "live database); the orders are deleted at the end",
    )
    parser.add_argument(
        "--queries", action="store_true", help="print the cron's queries by time"
    )
    args = parser.parse_args()
    sizes = [int(size) for size in args.orders.split(",")]
    registry = _odoo.load_registry(args.db, args.db_user, ["--log-level=warn"])
    results = [
        bench_size(
            registry, n, args.repeat, args.profile, args.steady, args.db, args.db_user
        )
        for n in sizes
    ]

    print()
    print(
        f"{'orders':>8} {'insert s':>9} {'cron s':>8} {'(call':>7} {'flush)':>7} "
        f"{'sql s':>7} {'queries':>8} {'UPDATE s':>9} {'ratio':>6} "
        f"{'no-op s':>8} {'no-op q':>8}"
    )
    for res in results:
        cron = res["cron"]
        ratio = cron["seconds"] / res["plain"] if res["plain"] else float("inf")
        res["ratio"] = ratio
        print(
            f"{res['orders']:>8} {res['insert']:>9.3f} {cron['seconds']:>8.3f} "
            f"{cron['call']:>7.3f} {cron['flush']:>7.3f} {cron['sql_seconds']:>7.3f} "
            f"{cron['queries']:>8} {res['plain']:>9.3f} {ratio:>6.1f} "
            f"{res['noop']['seconds']:>8.3f} {res['noop']['queries']:>8}"
        )
    print(
        f"(best of {args.repeat}; medians: "
        + ", ".join(
            f"{r['orders']}: cron {r['cron_median']:.3f}s / UPDATE "
            f"{r['plain_median']:.3f}s"
            for r in results
        )
        + ")"
    )
    same_queries = len({res["cron"]["queries"] for res in results}) == 1
    within = all(res["ratio"] <= TARGET_RATIO for res in results)
    print(f"same query count at every size: {'yes' if same_queries else 'NO'}")
    print(
        f"cron within {TARGET_RATIO:g}x the plain UPDATE: {'yes' if within else 'NO'}"
    )
    for res in results:
        if args.queries or not (same_queries and within):
            print(f"\nqueries of the cron at {res['orders']} orders (by time):")
            print("\n".join(res["cron"]["log"].summary()))
        if res["profile"]:
            print(f"\nprofile of the cron at {res['orders']} orders:")
            print(res["profile"])
    return 0 if same_queries and within else 1


if __name__ == "__main__":
    sys.exit(main())
