#!/usr/bin/env python3
"""Serve the kefu_order_flow demo with a local Odoo 18, without Docker.

    python3 tools/serve_demo.py [--db kefu] [--port 8069] [--update]

Finds Odoo and PostgreSQL the way the tests do (``ODOO_BIN`` or ``odoo`` on
PATH, ``ODOO_PYTHON``, ``KEFU_DB_USER``, ``PGHOST``/``PGPORT``).  The first run
creates the database with the add-on, its demo data and zh_CN; later runs
reuse it (``--update`` upgrades the add-on first, after a pull).  Then it
serves the database on http://localhost:8069, prints the logins, and runs
until Ctrl-C.  Odoo's log and the filestore are under
~/.cache/kefu_order_flow/ (``KEFU_ODOO_DATA_DIR`` moves them).
"""

import argparse
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import odoo_harness as h  # noqa: E402
import odoo_run  # noqa: E402

LOG_DIR = h.DATA_DIR.parent / "logs"


def addon_state(db):
    if not h.db_exists(db):
        return None
    return h.psql(
        "SELECT state FROM ir_module_module WHERE name = 'kefu_order_flow'", db=db
    )


def install(info, db, update):
    """Create ``db`` (from the tests' cached template with the dependencies
    and their demo data) and install or upgrade the add-on in it."""
    state = addon_state(db)
    if state == "installed" and not update:
        print(f"database {db}: kefu_order_flow installed, reusing it")
        return
    if state is None:
        print(f"database {db}: creating it with sale_management and sale_stock")
        h.db_from_template(info, h.read_manifest()["depends"], True, db)
    step = "-u" if state == "installed" else "-i"
    what = "upgrading" if step == "-u" else "installing"
    log_path = LOG_DIR / f"install-{db}.log"
    print(
        f"database {db}: {what} kefu_order_flow with its demo data and zh_CN "
        f"(a minute or two; log: {log_path})"
    )
    run = odoo_run.run_odoo(
        info,
        db,
        [step, h.ADDON, "--load-language=zh_CN"],
        demo=True,
        log_path=log_path,
    )
    problems = run.problems()
    if run.returncode or addon_state(db) != "installed":
        sys.exit(
            f"{what} kefu_order_flow failed (exit {run.returncode}), see {log_path}"
            + "".join(f"\n{p}" for p in problems[:5])
        )
    for problem in problems:
        print(f"warning from Odoo:\n{problem}")
    print(f"database {db}: ready in {run.duration:.0f}s")


def demo_logins(db):
    """(login, name) of the demo users, one per role; their password is their login."""
    rows = h.psql(
        "SELECT u.login || '|' || p.name FROM res_users u "
        "JOIN res_partner p ON p.id = u.partner_id "
        "WHERE u.login LIKE 'kefu\\_%' AND u.active ORDER BY u.id",
        db=db,
    )
    return [tuple(row.split("|", 1)) for row in rows.splitlines() if row]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="kefu", help="database (default: kefu)")
    parser.add_argument("--port", type=int, default=8069, help="default: 8069")
    parser.add_argument(
        "--update", action="store_true", help="upgrade the add-on before serving"
    )
    args = parser.parse_args()
    # Ctrl-C, and a plain kill, stop the server too (it runs in its own session).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated: server stopped"))

    try:
        info = h.discover()
    except h.OdooUnusable as exc:
        sys.exit(f"Odoo found but unusable: {exc}")
    if info is None:
        sys.exit(
            f"{h.NOT_FOUND}.\nInstall it (README, 'Run it'), or use Docker: "
            "docker compose up -d"
        )
    if not odoo_run.port_free(args.port):
        sys.exit(
            f"port {args.port} is in use (is `docker compose up` running?): stop "
            "that server or pass --port"
        )
    print(f"Odoo {info['version']}: {' '.join(info['cmd'])}")
    install(info, args.db, args.update)

    log_path = LOG_DIR / f"server-{args.db}.log"
    cmd = odoo_run.server_cmd(
        info, args.db, args.port, ["--max-cron-threads", "1"], demo=True
    )
    try:
        with odoo_run.serve(cmd, args.port, log_path, timeout=300) as url:
            print(f"\nkefu_order_flow demo: {url.replace('127.0.0.1', 'localhost')}")
            print(f"database {args.db}; logins:\n")
            print(f"  {'admin / admin':<36} administrator")
            for login, name in demo_logins(args.db):
                print(f"  {f'{login} / {login}':<36} {name}")
            print(f"\nOdoo's log: {log_path}\nCtrl-C stops the server.")
            sys.stdout.flush()
            try:
                while url.proc.poll() is None:
                    time.sleep(1)
            except KeyboardInterrupt:
                print("\nstopping the server")
                return 0
            sys.exit(f"the server stopped (exit {url.proc.returncode}): {log_path}")
    except odoo_run.ServerError as exc:
        sys.exit(str(exc))


if __name__ == "__main__":
    sys.exit(main())
