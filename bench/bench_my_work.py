#!/usr/bin/env python3
"""Benchmark of My Work, every department's home: the search for the orders
whose next step is the user's own (``kefu_next_step != False``), which the
flow can only compute order by order.

For each size, that many open orders of the flow are spread over its stages
(put there with the flow's own transition writes), and the clerk's and
production's My Work are searched on cold records, timed, with Odoo's query
counter. Everything runs in one transaction, rolled back at the end.

    python3 bench/bench_my_work.py --db kefu_bench [--sizes 100,1000] [--rounds 5]

Target: under a second for 1,000 open orders, and a number of queries that
does not grow with the orders (the steps' conditions are read set-based).
"""

import argparse
import datetime
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _odoo  # noqa: E402

_odoo.ensure_odoo(__file__)

from odoo import SUPERUSER_ID, Command, api  # noqa: E402

TARGET_SECONDS = 1.0
STAGES = ("intake", "review", "sheet_sent", "returned", "released")


def fixture(env):
    _odoo.flow_company(env)
    partner = env["res.partner"].create(
        {
            "name": "基准测试客户 (bench_my_work)",
            "is_company": True,
            "kefu_grade_id": env.ref("kefu_order_flow.grade_b").id,
        }
    )
    product = env["product.product"].create(
        {"name": "膜", "default_code": "MYWORK-1", "type": "consu"}
    )
    users = {
        role: env["res.users"].create(
            {
                "name": f"bench_my_work {role}",
                "login": f"bench_my_work_{role}",
                "email": f"bench_my_work_{role}@example.com",
                "groups_id": [Command.link(env.ref(f"kefu_order_flow.{group}").id)],
            }
        )
        for role, group in (
            ("clerk", "group_kefu_clerk"),
            ("production", "group_kefu_production"),
        )
    }
    return partner, product, users


def open_orders(env, partner, product, count):
    from odoo.addons.kefu_order_flow.models.kefu_common import transition

    orders = env["sale.order"].create(
        [
            {
                "partner_id": partner.id,
                "kefu_requested_date": datetime.date.today()
                + datetime.timedelta(days=20),
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 100})
                ],
            }
            for _n in range(count)
        ]
    )
    for index, order in enumerate(orders):
        transition(order).write({"kefu_stage": STAGES[index % len(STAGES)]})
    return orders


def timed(env, call):
    env.flush_all()
    env.invalidate_all()
    count0, start = env.cr.sql_log_count, time.perf_counter()
    result = call()
    return time.perf_counter() - start, env.cr.sql_log_count - count0, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="database with kefu_order_flow")
    parser.add_argument("--db-user", default="odoo")
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    registry = _odoo.load_registry(args.db, args.db_user)
    failed = []
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        try:
            partner, product, users = fixture(env)
            made = 0
            for size in [int(n) for n in args.sizes.split(",")]:
                open_orders(env, partner, product, size - made)
                made = size
                for role, user in users.items():
                    my_work = env["sale.order"].with_user(user)
                    domain = [("kefu_next_step", "!=", False)]
                    samples = [
                        timed(env, lambda: my_work.search(domain))  # noqa: B023
                        for _round in range(args.rounds)
                    ]
                    seconds = statistics.median(s for s, _q, _r in samples)
                    queries = sorted({q for _s, q, _r in samples})
                    found = len(samples[0][2])
                    print(
                        f"{size:>5} open orders, {role:<10} My Work {found:>5} "
                        f"orders: median {seconds * 1000:6.0f} ms, queries {queries}"
                    )
                    if seconds > TARGET_SECONDS:
                        failed.append(f"{size} orders {role}: {seconds:.2f} s")
        finally:
            cr.rollback()
    if failed:
        sys.exit(f"over {TARGET_SECONDS} s: {failed}")


if __name__ == "__main__":
    main()
