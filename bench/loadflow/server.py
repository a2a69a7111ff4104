# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The databases, the mail sink and Odoo's multi-process server of a load."""

import contextlib
import re
import socketserver
import threading
from pathlib import Path

import odoo_run

from . import ADDON, h

# What Odoo logs when it retries a request after a concurrency error.
RETRY_RE = re.compile(
    r"(serialization_failure|deadlock_detected|lock_not_available), "
    r"(\d+ tries left|maximum number of tries reached)",
    re.IGNORECASE,
)
BAD_QUERY_RE = re.compile(r"bad query: b.\s*(UPDATE|SELECT|INSERT|DELETE)\W+(\w+)")


class _SmtpSink(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept and drop mail (no relay, loopback only)."""

    def handle(self):
        self.wfile.write(b"220 kefu-load sink\r\n")
        in_data = False
        for line in self.rfile:
            if in_data:
                if line.rstrip(b"\r\n") == b".":
                    in_data = False
                    self.server.count += 1
                    self.wfile.write(b"250 OK\r\n")
                continue
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.wfile.write(b"250-kefu-load\r\n250 8BITMIME\r\n")
            elif verb == b"DATA":
                in_data = True
                self.wfile.write(b"354 end with .\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 OK\r\n")


@contextlib.contextmanager
def smtp_sink():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SmtpSink)
    server.daemon_threads = True
    server.count = 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def set_params(db, params):
    for key, value in params.items():
        h.psql(
            "INSERT INTO ir_config_parameter (key, value, create_uid, write_uid,"
            " create_date, write_date) VALUES "
            f"('{key}', '{value}', 1, 1, now(), now())"
            " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            db=db,
        )


def prepare_addon_db(info, args, tag):
    """A fresh database with the add-on and its demo data."""
    db = f"kefu_load_{tag}"
    if args.from_db:
        h.copy_db(args.from_db, db)
        return db
    h.db_from_template(info, list(h.read_manifest()["depends"]), True, db)
    run = odoo_run.run_odoo(
        info, db, ["-i", ADDON], demo=True, log_name=f"{db}-install"
    )
    problems = run.problems()
    if run.returncode or problems:
        raise RuntimeError(f"installing {ADDON} failed: {run.log_path}\n{problems}")
    return db


def prepare_core_db(info, args, tag):
    """The same template (sale_management, sale_stock, demo data), no add-on."""
    db = f"kefu_load_core_{tag}"
    if args.core_from_db:
        h.copy_db(args.core_from_db, db)
        return db
    h.db_from_template(info, list(h.read_manifest()["depends"]), True, db)
    return db


@contextlib.contextmanager
def start_server(info, db, extra, log_path, port):
    """``odoo`` on ``port`` (loopback), started and awaited by the harness's
    ``serve()``; stopped with its children on exit."""
    cmd = odoo_run.server_cmd(info, db, port, extra, demo=True)
    with odoo_run.serve(cmd, port, log_path, timeout=240) as url:
        yield url


@contextlib.contextmanager
def odoo_server(info, db, args, log_path, smtp_port):
    """``odoo --workers=N --max-cron-threads=1`` on a free loopback port.

    wkhtmltopdf, started by a worker that renders the sheet, fetches the
    report's CSS from ``report.url``. Pointed at the same server, N workers
    rendering N sheets at once wait for a free worker that never comes, until
    limit_time_real kills them (``--report-server same`` shows it). By default
    ``report.url`` points at a second, single-process Odoo on the same
    database that only serves those asset requests (``--report-server own``).
    """
    port = h.free_port()
    url = f"http://127.0.0.1:{port}"
    extra = [
        "--workers",
        str(args.workers),
        "--max-cron-threads",
        "1",
        "--gevent-port",
        str(h.free_port()),
        "--smtp",
        "127.0.0.1",
        "--smtp-port",
        str(smtp_port),
        "--log-level",
        "info",
    ]
    with contextlib.ExitStack() as stack:
        report_url = url
        if args.report_server == "own":
            assets_log = log_path.with_name(log_path.stem + "-assets.log")
            report_url = stack.enter_context(
                start_server(
                    info,
                    db,
                    ["--workers", "0", "--log-level", "warn"],
                    assets_log,
                    h.free_port(),
                )
            )
        set_params(
            db,
            {
                "web.base.url": url,
                "web.base.url.freeze": "True",
                "report.url": report_url,
            },
        )
        yield stack.enter_context(start_server(info, db, extra, log_path, port))


def settle_crons(db):
    """A fresh copy has every cron of Odoo due at once (auto-vacuum included):
    set each one's next call one interval ahead, as on a server that has been
    running, so that the cron worker's first pass measures the load."""
    h.psql(
        "UPDATE ir_cron SET nextcall = (now() AT TIME ZONE 'UTC')"
        " + (interval_number || ' ' || interval_type)::interval",
        db=db,
    )


def force_slip_cron(db):
    h.psql(
        "UPDATE ir_cron SET interval_number = 1, interval_type = 'minutes',"
        " nextcall = now() AT TIME ZONE 'UTC', active = true"
        " WHERE id = (SELECT res_id FROM ir_model_data WHERE module = "
        f"'{ADDON}' AND name = 'ir_cron_kefu_slip')",
        db=db,
    )


def read_server_log(log_path):
    """Problems and concurrency retries the server logged during the load."""
    text = Path(log_path).read_text(errors="replace")
    records = odoo_run.parse_log(text)
    bad, retries, refused, cron_runs, cron_failed = {}, {}, {}, 0, 0
    for rec in records:
        bad_query = BAD_QUERY_RE.search(rec["msg"])
        if bad_query:
            key = f"{bad_query[1]} {bad_query[2]}"
            refused[key] = refused.get(key, 0) + 1
        match = RETRY_RE.search(rec["msg"])
        if match:
            key = match[1].lower()
            if match[2].startswith("maximum"):
                key += " (out of tries)"
            retries[key] = retries.get(key, 0) + 1
        if "Customer service: slip" in rec["msg"]:
            if " done in " in rec["msg"]:
                cron_runs += 1
            elif rec["msg"].rstrip().endswith(" failed"):
                cron_failed += 1
        allowed = any(
            re.search(logger, rec["logger"]) and re.search(msg, rec["msg"])
            for logger, msg in odoo_run.WARNING_ALLOWLIST
        )
        if rec["level"] in ("ERROR", "CRITICAL") or (
            rec["level"] == "WARNING" and rec["logger"] != "odoo.http" and not allowed
        ):
            key = f"{rec['level']} {rec['logger']}: {rec['msg'][:90]}"
            bad[key] = bad.get(key, 0) + 1
    return bad, retries, refused, (cron_runs, cron_failed)
