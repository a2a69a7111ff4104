# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Load benchmark of the whole order flow on Odoo's multi-process server.

On a fresh copy of a database with the add-on and its demo data, starts
``odoo --workers=N --max-cron-threads=1`` on a free loopback port, forces the
slippage cron to run every minute, and lets K concurrent clients drive M orders
over JSON-RPC from intake to done, each step as a user of its role (K users per
role, created by the admin over RPC): memo, review, price check (and, for some
orders, the escalation confirmed by a supervisor), signed technical and
production confirmations, the sheet (PDF rendered on the server), returns with
a scan (some rejected first: a second version is sent), deposits, release,
production acknowledgement, completion statement, conformity, payment and
shipping approval (B/C), delivery by the shipping user, arrival (A; some A
orders released before the signed return and back-filled).

Some clients collide on purpose: two clerks release one order at the same
moment, and finance confirms a deposit while the clerk changes the order. Those
must end in a translated UserError for one side (or one after the other), never
in a server error, a deadlock, a request out of Odoo's retries, or a
serialization failure at any statement but the flow's row lock (where it is the
normal end of a collision the other side committed first: Odoo runs the request
again). The server log is read for them.

At the end the invariants are checked over SQL and printed as a table; then the
same load runs through core Odoo alone (quotation -> action_confirm -> delivery)
on a copy of the same template without the add-on, with the same server
settings, so that the add-on's cost is a ratio measured in one run.

    python3 bench/load_flow.py --workers 2 --clients 8 --orders 200
    python3 bench/load_flow.py --workers 4 --clients 16 --orders 400 --max-minutes 90

Exit status 0 when every order finished, every invariant holds and no error of
a bad kind was seen; 1 otherwise. Plain Python 3 (standard library only); Odoo
and PostgreSQL are found as the tests find them (tests/odoo_harness.py).
"""

import argparse
import json
import queue
import sys
import threading
import time
import uuid
from pathlib import Path

from . import h
from .core import CoreDesk, CoreFixture, core_invariants
from .desk import Desk
from .fixture import Fixture, make_plans
from .invariants import check_invariants
from .report import (
    Stats,
    is_good,
    load_average,
    load_figures,
    print_table,
    summarize,
    timing_table,
)
from .rpc import Session, login_all
from .server import (
    force_slip_cron,
    odoo_server,
    prepare_addon_db,
    prepare_core_db,
    read_server_log,
    settle_crons,
    smtp_sink,
)


def run_load(label, url, db, desk_class, fixture_class, args, tag):
    admin = Session(url, db, "admin", "admin", args.rpc_timeout).authenticate()
    fixture = fixture_class(admin, args.clients, tag)
    sessions = login_all(url, db, fixture.logins, args.rpc_timeout)
    plans = make_plans(args.orders, args.collide_every if label == "add-on" else 0)
    work = queue.Queue()
    for plan in plans:
        work.put(plan)
    stats, stop = Stats(), threading.Event()
    desks = [
        desk_class(index, sessions, fixture, work, stats, stop, args)
        for index in range(args.clients)
    ]
    print(f"[{label}] {args.orders} orders, {args.clients} clients ...", flush=True)
    loads = [load_average()]
    start = time.monotonic()
    for desk in desks:
        desk.start()
    deadline = start + args.max_minutes * 60
    last_report = start
    while any(desk.is_alive() for desk in desks):
        time.sleep(1)
        now = time.monotonic()
        if int(now - start) % 10 == 0:
            loads.append(load_average())
        if now > deadline and not stop.is_set():
            print(f"[{label}] time limit reached: stopping the clients", flush=True)
            stop.set()
        if now - last_report >= 60:
            last_report = now
            done = sum(plan.done for plan in plans)
            print(f"[{label}] {now - start:.0f}s: {done} orders done", flush=True)
    elapsed = time.monotonic() - start
    loads.append(load_average())
    stats.loads = loads
    return plans, stats, elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="HTTP worker processes")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--orders", type=int, default=200, help="orders to drive")
    parser.add_argument("--lines", type=int, default=2, help="lines per order")
    parser.add_argument(
        "--collide-every", type=int, default=10, help="two clerks race on 1 in N"
    )
    parser.add_argument("--max-minutes", type=float, default=45, help="per load")
    parser.add_argument("--rpc-timeout", type=float, default=300)
    parser.add_argument(
        "--report-server",
        choices=("own", "same"),
        default="own",
        help="where wkhtmltopdf fetches the sheet's CSS (see odoo_server)",
    )
    parser.add_argument("--from-db", help="copy this database (add-on installed)")
    parser.add_argument(
        "--core-from-db", help="copy this database for the core baseline"
    )
    parser.add_argument("--no-core", action="store_true", help="skip the baseline")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--json", help="write the figures here")
    args = parser.parse_args()
    if not (1 <= args.workers <= 16 and 1 <= args.clients <= 64):
        parser.error("1-16 workers, 1-64 clients")
    if not 1 <= args.orders <= 5000 or not 1 <= args.lines <= 50:
        parser.error("1-5000 orders, 1-50 lines")

    try:
        info = h.discover()
    except h.OdooUnusable as exc:
        sys.exit(str(exc))
    if not info:
        sys.exit(h.NOT_FOUND)
    tag = uuid.uuid4().hex[:6]
    h.LOG_DIR.mkdir(parents=True, exist_ok=True)
    databases, result, ok = [], {}, True
    try:
        with smtp_sink() as sink:
            db = prepare_addon_db(info, args, tag)
            databases.append(db)
            settle_crons(db)
            force_slip_cron(db)
            log_path = h.LOG_DIR / f"load-{tag}-addon.log"
            with odoo_server(info, db, args, log_path, sink.server_address[1]) as url:
                plans, stats, elapsed = run_load(
                    "add-on", url, db, Desk, Fixture, args, tag
                )
            rate = summarize("add-on", plans, stats, elapsed)
            invariants, paths = check_invariants(db, plans)
            bad_log, retries, refused, (cron_runs, cron_failed) = read_server_log(
                log_path
            )
            # A collision at the flow's row lock ends in a serialization
            # failure when the other side committed first (REPEATABLE READ):
            # Odoo runs the request again and it refuses or proceeds. What
            # must not happen: a deadlock, a request out of tries (a 500), a
            # statement other than the lock refused (logged as a bad query).
            fatal = {k: v for k, v in retries.items() if k != "serialization_failure"}
            invariants.append(
                (
                    "no deadlock, no request out of Odoo's retries",
                    len(plans),
                    sum(fatal.values()),
                    "; ".join(f"{k}: {v}" for k, v in fatal.items()) or "-",
                )
            )
            invariants.append(
                (
                    "no serialization failure past the flow's row lock "
                    "(bad queries in the log)",
                    len(plans),
                    sum(refused.values()),
                    "; ".join(f"{k}: {v}" for k, v in sorted(refused.items())) or "-",
                )
            )
            invariants.append(
                (
                    "no ERROR/WARNING in the server log (odoo.http user errors aside)",
                    1,
                    sum(bad_log.values()),
                    "; ".join(list(bad_log)[:2]) or "-",
                )
            )
            minutes = int(elapsed // 60)
            invariants.append(
                (
                    "slippage cron ran each minute (the cron worker polls every "
                    "~60 s: at least 80 %) and never failed",
                    max(minutes, 1),
                    cron_failed + int(cron_runs < 0.8 * minutes),
                    f"{cron_runs} runs, {cron_failed} failed, {elapsed / 60:.1f} min",
                )
            )
            print_table(
                "add-on: invariants",
                ("invariant", "checked", "broken", "examples"),
                invariants,
            )
            print(
                "\nrequests Odoo ran again after a serialization failure: "
                f"{retries.get('serialization_failure', 0)} (the other side of a "
                "collision had committed; "
                f"{sum(refused.values())} of them at a statement other than the "
                "row lock, see the invariant above)"
            )
            print_table(
                "add-on: chatter messages / open activities per path",
                ("path", "orders", "messages", "activities"),
                [
                    (
                        path,
                        len(values),
                        "/".join(str(m) for m in sorted({v[0] for v in values})),
                        "/".join(str(a) for a in sorted({v[1] for v in values})),
                    )
                    for path, values in sorted(paths.items())
                ],
            )
            bad_errors = {
                f"{kind} @ {step}": n
                for (kind, step), n in stats.errors.items()
                if not is_good(kind)
            }
            ok = not bad_errors and all(row[2] == 0 for row in invariants)
            result["addon"] = {
                "orders_per_min": rate,
                "elapsed_s": elapsed,
                "done": sum(p.done for p in plans),
                "timings": timing_table(stats),
                "errors": {f"{k} @ {s}": n for (k, s), n in stats.errors.items()},
                "collisions": {
                    f"{w}: {o}": n for (w, o), n in stats.collisions.items()
                },
                "invariants": invariants,
                "retries": retries,
                "load_average": load_figures(stats.loads),
                "mails_sent": sink.count,
                "server_log": str(log_path),
            }
            if not args.no_core:
                core_db = prepare_core_db(info, args, tag)
                databases.append(core_db)
                settle_crons(core_db)
                core_log = h.LOG_DIR / f"load-{tag}-core.log"
                with odoo_server(
                    info, core_db, args, core_log, sink.server_address[1]
                ) as url:
                    core_plans, core_stats, core_elapsed = run_load(
                        "core", url, core_db, CoreDesk, CoreFixture, args, tag
                    )
                core_rate = summarize("core", core_plans, core_stats, core_elapsed)
                core_checks = core_invariants(core_db, core_plans)
                print_table(
                    "core: invariants",
                    ("invariant", "checked", "broken", "examples"),
                    core_checks,
                )
                ok = (
                    ok and not core_stats.errors and all(r[2] == 0 for r in core_checks)
                )
                ratio = core_rate / rate if rate else float("inf")
                print(
                    f"\n== add-on {rate:.1f} orders/min vs core {core_rate:.1f} "
                    f"orders/min: the full flow costs {ratio:.1f}x core Odoo's "
                    f"quotation -> confirm -> delivery (workers={args.workers}, "
                    f"clients={args.clients}, orders={args.orders})"
                )
                result["core"] = {
                    "orders_per_min": core_rate,
                    "load_average": load_figures(core_stats.loads),
                    "elapsed_s": core_elapsed,
                    "timings": timing_table(core_stats),
                    "errors": {
                        f"{k} @ {s}": n for (k, s), n in core_stats.errors.items()
                    },
                    "ratio": ratio,
                }
    finally:
        if args.json:
            Path(args.json).write_text(json.dumps(result, indent=1, default=str))
        for db in databases:
            if args.keep_db:
                print(f"kept database {db}")
            else:
                h.drop_db(db)
    print(f"\n{'OK' if ok else 'FAILED'}: see the tables above")
