#!/usr/bin/env python3
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
import base64
import contextlib
import datetime
import http.client
import http.cookiejar
import json
import os
import queue
import re
import socketserver
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "tests"))
import odoo_harness as h  # noqa: E402

ADDON = h.ADDON
X = f"{ADDON}."
ROLES = {
    # role: (group xml ids, lang)
    "clerk": ([f"{X}group_kefu_clerk"], "zh_CN"),
    "clerk2": ([f"{X}group_kefu_clerk"], "zh_CN"),  # the colliding second clerk
    "supervisor": ([f"{X}group_kefu_supervisor"], "zh_CN"),
    "technician": ([f"{X}group_kefu_technical"], "zh_CN"),
    "production": ([f"{X}group_kefu_production"], "zh_CN"),
    "finance": ([f"{X}group_kefu_finance"], "zh_CN"),
    "shipping": ([f"{X}group_kefu_shipping"], "zh_CN"),
}
CORE_ROLES = {
    "sales": (["sales_team.group_sale_salesman_all_leads"], "en_US"),
    "stock": (["stock.group_stock_user"], "en_US"),
}
LOCK_RE = re.compile(r"someone else|正在被其他用户修改")
CJK_RE = re.compile(r"[\u4e00-\u9fff]")
# What Odoo logs when it retries a request after a concurrency error.
RETRY_RE = re.compile(
    r"(serialization_failure|deadlock_detected|lock_not_available), "
    r"(\d+ tries left|maximum number of tries reached)",
    re.IGNORECASE,
)
BAD_QUERY_RE = re.compile(r"bad query: b.\s*(UPDATE|SELECT|INSERT|DELETE)\W+(\w+)")
MAX_STEPS = 60  # transitions of one order before it is given up
GOOD_KINDS = ("UserError: lock", "UserError: already done")


# --- a JSON-RPC client -------------------------------------------------------


class RpcError(Exception):
    def __init__(self, kind, message):
        super().__init__(f"{kind}: {message}")
        self.kind = kind
        self.message = message


def classify(name, message):
    short = (name or "?").rsplit(".", 1)[-1]
    if name == "odoo.exceptions.UserError":
        if LOCK_RE.search(message):
            return "UserError: lock"
        return "UserError: refused"
    if name and name.startswith("psycopg2"):
        return f"PostgreSQL {short}"
    return f"server {short}"


class Session:
    """One logged-in user: its own cookie jar, hence its own Odoo session."""

    def __init__(self, url, db, login, password, timeout):
        self.url, self.db, self.login_name = url, db, login
        self.password, self.timeout = password, timeout
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar)
        )
        self.context = {}
        self.uid = None

    def post(self, path, params):
        body = json.dumps(
            {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}
        ).encode()
        request = urllib.request.Request(
            self.url + path, body, {"Content-Type": "application/json"}
        )
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                reply = json.load(response)
        except urllib.error.HTTPError as exc:
            raise RpcError(f"HTTP {exc.code}", str(exc)) from None
        except TimeoutError as exc:
            raise RpcError("timeout", str(exc)) from None
        except (OSError, http.client.HTTPException) as exc:
            raise RpcError("connection lost", repr(exc)) from None
        if "error" in reply:
            data = reply["error"].get("data") or {}
            message = data.get("message") or reply["error"].get("message", "")
            raise RpcError(classify(data.get("name"), message), message)
        return reply["result"]

    def authenticate(self):
        result = self.post(
            "/web/session/authenticate",
            {"db": self.db, "login": self.login_name, "password": self.password},
        )
        if not result.get("uid"):
            raise RuntimeError(f"{self.login_name} could not log in")
        self.uid = result["uid"]
        self.context = result.get("user_context") or {}
        return self

    def call(self, model, method, *args, **kwargs):
        kwargs.setdefault("context", dict(self.context))
        return self.post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


# --- a mail sink: the server's notifications go somewhere --------------------


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


# --- databases and the server ------------------------------------------------


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
    run = h.run_odoo(info, db, ["-i", ADDON], demo=True, log_name=f"{db}-install")
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
    cmd = h.server_cmd(info, db, port, extra, demo=True)
    with h.serve(cmd, port, log_path, timeout=240) as url:
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
    records = h.parse_log(text)
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
            for logger, msg in h.WARNING_ALLOWLIST
        )
        if rec["level"] in ("ERROR", "CRITICAL") or (
            rec["level"] == "WARNING" and rec["logger"] != "odoo.http" and not allowed
        ):
            key = f"{rec['level']} {rec['logger']}: {rec['msg'][:90]}"
            bad[key] = bad.get(key, 0) + 1
    return bad, retries, refused, (cron_runs, cron_failed)


# --- admin set-up over RPC ---------------------------------------------------


def xmlids(admin, names):
    """{"module.name": res_id} for the given xml ids."""
    out = {}
    for name in names:
        module, _, short = name.partition(".")
        rows = admin.call(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", short)],
            fields=["res_id"],
        )
        if not rows:
            raise RuntimeError(f"xml id {name} not found")
        out[name] = rows[0]["res_id"]
    return out


def create_users(admin, roles, clients, tag, company_id=None):
    """K users per role, password = login; returns {role: [login, ...]}."""
    groups = xmlids(admin, {g for gids, _lang in roles.values() for g in gids})
    vals, logins = [], {}
    for role, (gids, lang) in roles.items():
        for index in range(clients):
            login = f"load_{tag}_{role}_{index}"
            logins.setdefault(role, []).append(login)
            user = {
                "name": f"{role} {index} ({tag})",
                "login": login,
                "password": login,
                "email": f"{login}@load.example.com",
                "lang": lang,
                "tz": "Asia/Shanghai",
                "groups_id": [(6, 0, [groups[g] for g in gids])],
            }
            if company_id:
                user.update(company_id=company_id, company_ids=[(6, 0, [company_id])])
            vals.append(user)
    # A few at a time: hashing the passwords of a hundred users in one request
    # takes longer than a worker is allowed to (limit_time_real).
    for start in range(0, len(vals), 8):
        admin.call(
            "res.users",
            "create",
            vals[start : start + 8],
            context={"no_reset_password": True},
        )
    return logins


def login_all(url, db, logins, timeout):
    """{role: [Session, ...]}, logged in in parallel."""
    sessions = {
        role: [Session(url, db, login, login, timeout) for login in names]
        for role, names in logins.items()
    }
    flat = [s for group in sessions.values() for s in group]
    with_threads(lambda s: s.authenticate(), flat, 8)
    return sessions


def with_threads(func, items, count):
    items = list(items)
    errors = []
    work = queue.Queue()
    for item in items:
        work.put(item)

    def run():
        while True:
            try:
                item = work.get_nowait()
            except queue.Empty:
                return
            try:
                func(item)
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


# --- figures -----------------------------------------------------------------


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = {}
        self.errors = {}  # (kind, step) -> count
        self.samples = {}  # kind -> message
        self.collisions = {}  # (kind of collision, outcome) -> count

    def ok(self, step, seconds):
        with self.lock:
            self.times.setdefault(step, []).append(seconds)

    def error(self, step, exc):
        kind = exc.kind
        if kind.startswith("UserError") and not CJK_RE.search(exc.message):
            kind += " (untranslated)"
        with self.lock:
            self.errors[(kind, step)] = self.errors.get((kind, step), 0) + 1
            self.samples.setdefault(kind, exc.message[:160])
        return kind

    def collision(self, what, outcome):
        with self.lock:
            key = (what, outcome)
            self.collisions[key] = self.collisions.get(key, 0) + 1


def percentile(values, pct):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def timing_table(stats):
    rows = []
    for step, values in sorted(stats.times.items()):
        rows.append(
            (
                step,
                len(values),
                f"{percentile(values, 50) * 1000:.0f}",
                f"{percentile(values, 95) * 1000:.0f}",
                f"{max(values) * 1000:.0f}",
            )
        )
    return rows


def print_table(title, header, rows):
    print(f"\n{title}")
    if not rows:
        print("  (none)")
        return
    widths = [
        max(len(str(cell)) for cell in column)
        for column in zip(header, *rows, strict=False)
    ]
    line = "| " + " | ".join(f"{{:{w}}}" for w in widths) + " |"
    print(line.format(*header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print(line.format(*[str(cell) for cell in row]))


# --- the add-on's flow, driven like the desk drives it -----------------------


@dataclass
class Plan:
    index: int
    customer: str  # key in Fixture.customers
    grade: str
    deposit: bool
    mismatch: bool  # a line below the price plan: escalated, then confirmed
    reject_first: bool  # first return rejected, second version sent
    early: bool  # grade A released before the signed return, back-filled
    collide: str = ""  # "clerks" (release) or "finance" (deposit vs change)
    outcome: str = ""
    order_id: int = 0
    done: bool = False
    steps: list = field(default_factory=list)

    def path(self):
        bits = [self.grade]
        for flag in ("deposit", "mismatch", "reject_first", "early"):
            if getattr(self, flag):
                bits.append(flag)
        if self.collide:
            bits.append(f"{self.collide}:{self.outcome or '?'}")
        return "+".join(bits)


CUSTOMERS = [
    # key, grade, deposit percent
    ("a1", "A", 0),
    ("b1", "B", 30),
    ("c1", "C", 0),
    ("a2", "A", 0),
    ("b2", "B", 0),
    ("c2", "C", 0),
]


def make_plans(count, collide_every):
    plans = []
    for index in range(count):
        key, grade, deposit = CUSTOMERS[index % len(CUSTOMERS)]
        turn = index // len(CUSTOMERS)
        plan = Plan(
            index=index,
            customer=key,
            grade=grade,
            deposit=bool(deposit),
            mismatch=index % 10 == 3,
            reject_first=index % 7 == 2,
            early=grade == "A" and turn % 2 == 0,
        )
        if plan.deposit and turn % 2 == 1:
            plan.collide = "finance"
        elif not plan.early and collide_every and index % collide_every == 5:
            plan.collide = "clerks"
        plans.append(plan)
    return plans


class Fixture:
    """Customers, products, users of the add-on's run (created by the admin)."""

    def __init__(self, admin, clients, tag):
        refs = xmlids(
            admin,
            [
                f"{X}demo_company",
                f"{X}grade_a",
                f"{X}grade_b",
                f"{X}grade_c",
                f"{X}demo_pricelist_a",
                f"{X}demo_pricelist_b",
                f"{X}demo_pricelist_c",
                f"{X}demo_product_bopp",
                f"{X}demo_product_bopp_matte",
                f"{X}demo_product_pet",
                f"{X}demo_product_cpp",
                "account.account_payment_term_30days",
            ],
        )
        self.company = refs[f"{X}demo_company"]
        self.payment_term = refs["account.account_payment_term_30days"]
        self.products = [
            refs[f"{X}demo_product_bopp"],
            refs[f"{X}demo_product_pet"],
            refs[f"{X}demo_product_bopp_matte"],
        ]
        # Only mismatch orders use this one, below the plan: the last price
        # of the others stays the plan's price.
        self.mismatch_product = refs[f"{X}demo_product_cpp"]
        self.customers = {}
        for key, grade, deposit in CUSTOMERS:
            letter = grade.lower()
            self.customers[key] = admin.call(
                "res.partner",
                "create",
                {
                    "name": f"压测客户 {key.upper()} ({tag})",
                    "is_company": True,
                    "lang": "zh_CN",
                    "tz": "Asia/Shanghai",
                    "email": f"{key}-{tag}@customer.example.com",
                    "kefu_grade_id": refs[f"{X}grade_{letter}"],
                    "kefu_deposit_percent": deposit,
                    "property_product_pricelist": refs[f"{X}demo_pricelist_{letter}"],
                },
            )
        self.logins = create_users(admin, ROLES, clients, tag, self.company)
        # The ``signer`` of an accepted return, where the add-on has it:
        # a contact of the customer (many2one) or a name.
        returned = admin.call(
            "kefu.sheet.return", "fields_get", attributes=["type", "relation"]
        )
        signer = returned.get("signer_id") or returned.get("signer") or {}
        self.signers = {}
        if signer.get("type") == "many2one":
            for key, partner in self.customers.items():
                self.signers[key] = admin.call(
                    "res.partner",
                    "create",
                    {"name": "采购部 李经理", "parent_id": partner, "type": "contact"},
                )
        elif signer:
            self.signers = {key: "采购部 李经理" for key in self.customers}


ORDER_FIELDS = [
    "name",
    "state",
    "kefu_stage",
    "kefu_price_state",
    "kefu_return_state",
    "kefu_deposit_state",
    "kefu_ship_state",
    "kefu_payment_received_at",
    "kefu_backfill_pending",
    "kefu_conformity_state",
    "kefu_production_ack_at",
    "kefu_sheet_received_at",
    "kefu_sheet_version",
    "kefu_memo_ids",
    "kefu_tech_confirmation_ids",
    "kefu_production_confirmation_ids",
    "kefu_completion_statement_ids",
    "order_line",
]


class Desk(threading.Thread):
    """One client: a clerk, a second clerk, a supervisor, a technician, a
    production supervisor, a finance clerk and a shipping clerk, taking orders
    from the queue one after the other through the whole flow."""

    def __init__(self, index, sessions, fixture, work, stats, stop, args):
        super().__init__(name=f"desk-{index}", daemon=True)
        self.s = {role: group[index] for role, group in sessions.items()}
        self.fixture, self.work, self.stats = fixture, work, stats
        self.stop, self.args = stop, args
        self.today = datetime.date.today()
        self.signer_supported = None if getattr(fixture, "signers", None) else False

    # helpers ----------------------------------------------------------------
    def timed(self, step, role, model, method, *args, **kwargs):
        start = time.perf_counter()
        try:
            result = self.s[role].call(model, method, *args, **kwargs)
        except RpcError as exc:
            self.stats.error(step, exc)
            raise
        self.stats.ok(step, time.perf_counter() - start)
        return result

    def act(self, step, role, order_id, method, *args, **kwargs):
        return self.timed(step, role, "sale.order", method, [order_id], *args, **kwargs)

    def days(self, count):
        return (self.today + datetime.timedelta(days=count)).isoformat()

    def scan(self, order, what):
        pdf = b"%PDF-1.4\n% scan of the signed " + what.encode() + b"\n%%EOF\n"
        return self.timed(
            "attach scan",
            "clerk",
            "ir.attachment",
            "create",
            {
                "name": f"{order['name']}-{what}-scan.pdf",
                "datas": base64.b64encode(pdf).decode(),
                "res_model": "sale.order",
                "res_id": order["id"],
                "mimetype": "application/pdf",
            },
        )

    def read(self, order_id):
        return self.s["clerk"].call(
            "sale.order", "read", [order_id], fields=ORDER_FIELDS
        )[0]

    def signed(self, model, ids, role="clerk"):
        if not ids:
            return False
        rows = self.s[role].call(model, "read", ids, fields=["state"])
        return any(row["state"] == "signed" for row in rows)

    # the order --------------------------------------------------------------
    def create(self, plan):
        lines = []
        for number in range(self.args.lines):
            product = self.fixture.products[
                (plan.index + number) % len(self.fixture.products)
            ]
            lines.append(self._line(product, 500 + 10 * number + plan.index % 7))
        if plan.mismatch:
            lines.append(self._line(self.fixture.mismatch_product, 300, price=1.0))
        order_id = self.timed(
            "create quotation",
            "clerk",
            "sale.order",
            "create",
            {
                "partner_id": self.fixture.customers[plan.customer],
                "company_id": self.fixture.company,
                "payment_term_id": self.fixture.payment_term,
                "kefu_channel": "fax",
                "kefu_requested_date": self.days(20),
                "kefu_special_notes": "每卷贴批号标签。",
                "order_line": lines,
            },
        )
        self.timed(
            "memo",
            "clerk",
            "kefu.order.memo",
            "create",
            {"order_id": order_id, "content": f"传真订单 {plan.index}，已逐项核对。"},
        )
        return order_id

    @staticmethod
    def _line(product, qty, price=None):
        vals = {
            "product_id": product,
            "product_uom_qty": qty,
            "kefu_spec": "20μm × 1000mm",
            "kefu_packaging": "纸芯 3 寸，托盘",
            "kefu_tolerance_pct": 5.0,
        }
        if price is not None:
            vals["price_unit"] = price
        return (0, 0, vals)

    def run(self):
        while not self.stop.is_set():
            try:
                plan = self.work.get_nowait()
            except queue.Empty:
                return
            try:
                self.drive(plan)
            except RpcError:
                pass  # counted; the order stays unfinished and fails the run
            except Exception as exc:  # noqa: BLE001 - a bug of the bench itself
                self.stats.error("bench", RpcError("bench error", repr(exc)))

    def drive(self, plan):
        plan.order_id = self.create(plan)
        failures = 0
        for _step in range(MAX_STEPS):
            if self.stop.is_set():
                return
            order = self.read(plan.order_id)
            step = self.next_step(plan, order)
            if step is None:
                plan.done = True
                return
            plan.steps.append(step.__name__)
            try:
                step(plan, order)
                failures = 0
            except RpcError:
                # Counted. A user reloads and tries again; three refusals in a
                # row is a bug (of the flow or of this bench): give the order up.
                failures += 1
                if failures >= 3:
                    raise
                time.sleep(0.2)

    def next_step(self, plan, o):  # noqa: C901 - one branch per stage
        stage = o["kefu_stage"]
        if stage == "intake":
            return self.start_review
        if stage == "review":
            if o["kefu_price_state"] == "unchecked":
                return self.check_prices
            if o["kefu_price_state"] == "mismatch":
                return self.escalate
            if o["kefu_price_state"] == "escalated":
                return self.confirm_prices
            if not self.signed(
                "kefu.tech.confirmation", o["kefu_tech_confirmation_ids"]
            ):
                return self.sign_tech
            if not self.signed(
                "kefu.production.confirmation", o["kefu_production_confirmation_ids"]
            ):
                return self.sign_production
            return self.send_sheet
        if stage == "sheet_sent":
            if not o["kefu_sheet_received_at"]:
                return self.mark_received
            if o["kefu_return_state"] == "rejected":
                return self.send_sheet
            if plan.early and o["state"] == "draft":
                return self.release
            if plan.reject_first and o["kefu_sheet_version"] == 1:
                return self.reject_return
            return self.accept_return
        if stage == "returned":
            if o["kefu_deposit_state"] == "awaiting":
                if plan.collide == "finance" and not plan.outcome:
                    return self.collide_finance
                return self.confirm_deposit
            if plan.collide == "clerks" and not plan.outcome:
                return self.collide_clerks
            return self.release
        if stage == "released":
            if o["kefu_backfill_pending"]:
                return self.accept_return
            if not o["kefu_production_ack_at"]:
                return self.acknowledge
            if not self.signed(
                "kefu.completion.statement", o["kefu_completion_statement_ids"]
            ):
                return self.sign_completion
            if o["kefu_conformity_state"] in ("none", "rejected"):
                return self.send_conformity
            if o["kefu_conformity_state"] == "sent":
                return self.register_conformity
            if o["kefu_ship_state"] == "awaiting_payment":
                if not o["kefu_payment_received_at"]:
                    return self.confirm_payment
                return self.approve_shipping
            return self.deliver
        if stage == "shipped":
            return self.confirm_arrival
        if stage == "done":
            return None
        raise RpcError("bench: unexpected stage", f"{o['name']} in {stage}")

    # steps ------------------------------------------------------------------------
    def start_review(self, plan, o):
        self.act("start review", "clerk", plan.order_id, "action_kefu_start_review")

    def check_prices(self, plan, o):
        self.act("check prices", "clerk", plan.order_id, "action_kefu_check_prices")

    def escalate(self, plan, o):
        self.act(
            "escalate prices", "clerk", plan.order_id, "action_kefu_escalate_prices"
        )

    def confirm_prices(self, plan, o):
        self.act(
            "confirm prices", "supervisor", plan.order_id, "action_kefu_confirm_prices"
        )

    def sign_tech(self, plan, o):
        rec = self.timed(
            "technical confirmation",
            "technician",
            "kefu.tech.confirmation",
            "create",
            {
                "order_id": plan.order_id,
                "can_produce": True,
                "material_note": "BOPP 原膜库存 8 吨，工艺配方未变。",
            },
        )
        self.timed(
            "sign technical",
            "technician",
            "kefu.tech.confirmation",
            "action_sign",
            [rec],
        )

    def sign_production(self, plan, o):
        rec = self.timed(
            "production confirmation",
            "production",
            "kefu.production.confirmation",
            "create",
            {
                "order_id": plan.order_id,
                "production_date": self.days(1),
                "completion_date": self.days(6),
                "quantity_note": "按订单数量",
            },
        )
        self.timed(
            "sign production",
            "production",
            "kefu.production.confirmation",
            "action_sign",
            [rec],
        )

    def send_sheet(self, plan, o):
        self.act("send sheet (PDF)", "clerk", plan.order_id, "action_kefu_send_sheet")

    def mark_received(self, plan, o):
        self.act(
            "fax received", "clerk", plan.order_id, "action_kefu_mark_sheet_received"
        )

    def reject_return(self, plan, o):
        self.act(
            "register return",
            "clerk",
            plan.order_id,
            "action_kefu_register_return",
            False,
            note="盖章模糊",
            reject_reason="stamp",
            attachment_id=self.scan(o, "sheet"),
        )

    def accept_return(self, plan, o):
        kwargs = {"note": "签字盖章清晰。", "attachment_id": self.scan(o, "sheet")}
        if self.signer_supported is not False:
            kwargs["signer"] = self.fixture.signers[plan.customer]
        try:
            self.act(
                "register return",
                "clerk",
                plan.order_id,
                "action_kefu_register_return",
                True,
                **kwargs,
            )
            self.signer_supported = self.signer_supported or "signer" in kwargs
        except RpcError as exc:
            # ``signer`` is not on every version of the add-on.
            if (
                "signer" in kwargs
                and "signer" in exc.message
                and "argument" in exc.message
            ):
                self.signer_supported = False
                with self.stats.lock:  # not an error of the flow
                    self.stats.errors.pop((exc.kind, "register return"), None)
                    self.stats.samples.pop(exc.kind, None)
                kwargs.pop("signer")
                self.act(
                    "register return",
                    "clerk",
                    plan.order_id,
                    "action_kefu_register_return",
                    True,
                    **kwargs,
                )
            else:
                raise

    def confirm_deposit(self, plan, o):
        self.act(
            "confirm deposit", "finance", plan.order_id, "action_kefu_confirm_deposit"
        )

    def release(self, plan, o):
        self.act("release (action_confirm)", "clerk", plan.order_id, "action_confirm")

    def acknowledge(self, plan, o):
        self.act(
            "production acknowledges",
            "production",
            plan.order_id,
            "action_kefu_acknowledge_production",
        )

    def sign_completion(self, plan, o):
        lines = self.s["production"].call(
            "sale.order.line", "read", o["order_line"], fields=["product_uom_qty"]
        )
        rec = self.timed(
            "completion statement",
            "production",
            "kefu.completion.statement",
            "create",
            {
                "order_id": plan.order_id,
                "completion_date": self.days(5),
                "quantity": sum(line["product_uom_qty"] for line in lines),
            },
        )
        self.timed(
            "sign completion",
            "production",
            "kefu.completion.statement",
            "action_sign",
            [rec],
        )

    def send_conformity(self, plan, o):
        self.act(
            "send conformity", "clerk", plan.order_id, "action_kefu_send_conformity"
        )

    def register_conformity(self, plan, o):
        self.act(
            "register conformity",
            "clerk",
            plan.order_id,
            "action_kefu_register_conformity",
            True,
            attachment_id=self.scan(o, "conformity"),
        )

    def confirm_payment(self, plan, o):
        self.act(
            "confirm payment", "finance", plan.order_id, "action_kefu_confirm_payment"
        )

    def approve_shipping(self, plan, o):
        self.act(
            "approve shipping", "finance", plan.order_id, "action_kefu_approve_shipping"
        )

    def deliver(self, plan, o):
        deliver(self, "shipping", plan.order_id)

    def confirm_arrival(self, plan, o):
        self.act(
            "confirm arrival",
            "clerk",
            plan.order_id,
            "action_kefu_confirm_arrival",
            "采购部 李经理",
        )

    # deliberate collisions ------------------------------------------------------------
    def race(self, calls):
        """Run ``calls`` [(step, role, model, method, args, kwargs)] at once;
        return one result or RpcError per call."""
        barrier = threading.Barrier(len(calls))
        results = [None] * len(calls)

        def one(index, call):
            step, role, model, method, args, kwargs = call
            barrier.wait()
            try:
                results[index] = self.timed(step, role, model, method, *args, **kwargs)
            except RpcError as exc:
                results[index] = exc

        threads = [
            threading.Thread(target=one, args=(index, call))
            for index, call in enumerate(calls)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return results

    def collide_clerks(self, plan, o):
        """Two clerks press Confirm on the same order at the same moment."""
        step = "release (action_confirm)"
        call = ("sale.order", "action_confirm", [[plan.order_id]], {})
        first, second = self.race(
            [(step, "clerk", *call), (step + " [2nd clerk]", "clerk2", *call)]
        )
        plan.outcome = outcome(first, second)
        self.stats.collision("two clerks release", plan.outcome)

    def collide_finance(self, plan, o):
        """Finance confirms the deposit while the clerk changes a quantity."""
        line = o["order_line"][0]
        qty = self.s["clerk"].call(
            "sale.order.line", "read", [line], fields=["product_uom_qty"]
        )[0]["product_uom_qty"]
        deposit, change = self.race(
            [
                (
                    "confirm deposit",
                    "finance",
                    "sale.order",
                    "action_kefu_confirm_deposit",
                    [[plan.order_id]],
                    {},
                ),
                (
                    "change order line",
                    "clerk",
                    "sale.order.line",
                    "write",
                    [[line], {"product_uom_qty": qty + 10}],
                    {},
                ),
            ]
        )
        plan.outcome = outcome(deposit, change, ("finance", "clerk"))
        if plan.outcome == "both succeeded":
            # One after the other: which came first shows in the deposit (the
            # change raised the deposit due after finance had confirmed it).
            state = self.read(plan.order_id)["kefu_deposit_state"]
            first = "finance" if state == "awaiting" else "clerk"
            plan.outcome = f"both succeeded, {first} first"
        self.stats.collision("finance vs order change", plan.outcome)


def outcome(first, second, names=("1st", "2nd")):
    """ "<who won>" / "both" / "neither", with the loser's error kind."""
    failed = [isinstance(result, RpcError) for result in (first, second)]
    if not any(failed):
        return "both succeeded"
    if all(failed):
        return f"neither ({first.kind}; {second.kind})"
    winner, loser = (names[0], second) if failed[1] else (names[1], first)
    return f"{winner} won, other: {loser.kind}"


def deliver(desk, role, order_id, step="validate delivery"):
    """The shipping user sets the quantities and validates the delivery."""
    session = desk.s[role]
    pickings = session.call(
        "stock.picking",
        "search_read",
        [
            ("sale_id", "=", order_id),
            ("picking_type_code", "=", "outgoing"),
            ("state", "not in", ("done", "cancel")),
        ],
        fields=["move_ids"],
    )
    for picking in pickings:
        moves = session.call(
            "stock.move", "read", picking["move_ids"], fields=["product_uom_qty"]
        )
        for move in moves:
            session.call(
                "stock.move",
                "write",
                [move["id"]],
                {"quantity": move["product_uom_qty"], "picked": True},
            )
        context = dict(session.context, skip_sms=True)
        result = desk.timed(
            step,
            role,
            "stock.picking",
            "button_validate",
            [picking["id"]],
            context=context,
        )
        if isinstance(result, dict):
            raise RpcError("bench: delivery wizard", json.dumps(result)[:200])


# --- invariants over SQL -----------------------------------------------------


def sql_rows(db, sql):
    out = h.psql(sql, db=db)
    return [line.split("|") for line in out.splitlines() if line]


def check_invariants(db, plans):
    """[(invariant, orders checked, broken, example)]."""
    # The other invariants are about orders the run finished; one stopped half
    # way (time limit, a bug) is reported by the first row.
    ids = [plan.order_id for plan in plans if plan.order_id and plan.done]
    if not ids:
        return [("orders finished", len(plans), len(plans), "none")], {}
    idlist = ",".join(map(str, ids))
    rows = []

    def check(name, sql, checked=None):
        broken = sql_rows(db, sql)
        example = ", ".join("/".join(cell for cell in row) for row in broken[:3])
        rows.append((name, checked or len(ids), len(broken), example or "-"))

    unfinished = [plan for plan in plans if plan.order_id and not plan.done]
    rows.append(
        (
            "every order driven to done",
            len(plans),
            len(plans) - sum(plan.done for plan in plans),
            ", ".join(f"#{p.index}:{p.steps[-1:]}" for p in unfinished[:3]) or "-",
        )
    )
    check(
        "released exactly once: state sale, stage done",
        f"SELECT name, state, kefu_stage FROM sale_order WHERE id IN ({idlist})"
        " AND (state != 'sale' OR kefu_stage != 'done')",
    )
    check(
        "exactly one outgoing picking, done",
        f"""SELECT so.name, count(p.id), string_agg(p.state, ',')
              FROM sale_order so
              LEFT JOIN stock_picking p ON p.sale_id = so.id
              LEFT JOIN stock_picking_type t ON t.id = p.picking_type_id
                    AND t.code = 'outgoing'
             WHERE so.id IN ({idlist})
          GROUP BY so.name
            HAVING count(t.id) != 1 OR bool_or(p.state != 'done')""",
    )
    check(
        "one stock move per order line (procured once)",
        f"""SELECT so.name, l.id, count(m.id) FROM sale_order so
              JOIN sale_order_line l ON l.order_id = so.id
              LEFT JOIN stock_move m ON m.sale_line_id = l.id
             WHERE so.id IN ({idlist}) AND l.display_type IS NULL
          GROUP BY so.name, l.id HAVING count(m.id) != 1""",
    )
    # The release gates, at the time of the release (date_order = confirmation).
    check(
        "no order released with blockers (gates at release time, full deposit)",
        f"""SELECT so.name, concat_ws(' ',
                   CASE WHEN so.kefu_price_state NOT IN ('ok', 'confirmed')
                        THEN 'prices' END,
                   CASE WHEN NOT EXISTS (SELECT 1 FROM kefu_tech_confirmation c
                         WHERE c.order_id = so.id AND c.state = 'signed'
                           AND c.signed_at <= so.date_order) THEN 'technical' END,
                   CASE WHEN NOT EXISTS (SELECT 1 FROM kefu_production_confirmation c
                         WHERE c.order_id = so.id AND c.state = 'signed'
                           AND c.signed_at <= so.date_order) THEN 'production' END,
                   CASE WHEN so.kefu_sheet_sent_at IS NULL
                          OR so.kefu_sheet_sent_at > so.date_order THEN 'sheet' END,
                   CASE WHEN NOT g.release_before_return AND NOT EXISTS (
                        SELECT 1 FROM kefu_sheet_return r WHERE r.order_id = so.id
                           AND r.kind = 'sheet' AND r.accepted
                           AND r.recorded_at <= so.date_order) THEN 'return' END,
                   CASE WHEN so.kefu_deposit_required AND (
                        so.kefu_deposit_received_at IS NULL
                        OR so.kefu_deposit_received_at > so.date_order
                        OR so.kefu_deposit_received_amount
                           < so.kefu_deposit_amount - 0.005)
                        THEN 'deposit' END)
              FROM sale_order so JOIN kefu_customer_grade g ON g.id = so.kefu_grade_id
             WHERE so.id IN ({idlist}) AND so.state = 'sale'
               AND (so.kefu_price_state NOT IN ('ok', 'confirmed')
                 OR NOT EXISTS (SELECT 1 FROM kefu_tech_confirmation c
                         WHERE c.order_id = so.id AND c.state = 'signed'
                           AND c.signed_at <= so.date_order)
                 OR NOT EXISTS (SELECT 1 FROM kefu_production_confirmation c
                         WHERE c.order_id = so.id AND c.state = 'signed'
                           AND c.signed_at <= so.date_order)
                 OR so.kefu_sheet_sent_at IS NULL
                 OR so.kefu_sheet_sent_at > so.date_order
                 OR (NOT g.release_before_return AND NOT EXISTS (
                        SELECT 1 FROM kefu_sheet_return r WHERE r.order_id = so.id
                           AND r.kind = 'sheet' AND r.accepted
                           AND r.recorded_at <= so.date_order))
                 OR (so.kefu_deposit_required AND (
                        so.kefu_deposit_received_at IS NULL
                        OR so.kefu_deposit_received_at > so.date_order
                        OR so.kefu_deposit_received_amount
                           < so.kefu_deposit_amount - 0.005)))""",
    )
    check(
        "no B/C order shipped without approved full payment",
        f"""SELECT so.name, so.kefu_ship_state, so.amount_total,
                   so.kefu_ship_approved_amount, so.kefu_payment_received_amount
              FROM sale_order so
              JOIN kefu_customer_grade g ON g.id = so.kefu_grade_id
              JOIN stock_picking p ON p.sale_id = so.id AND p.state = 'done'
             WHERE so.id IN ({idlist}) AND g.ship_requires_payment
               AND (so.kefu_ship_state != 'approved'
                 OR so.kefu_ship_approved_at IS NULL
                 OR so.kefu_ship_approved_at > p.date_done
                 OR so.kefu_payment_received_at > so.kefu_ship_approved_at
                 OR so.kefu_ship_approved_amount < so.amount_total - 0.005
                 OR COALESCE(so.kefu_payment_received_amount, 0)
                    + COALESCE(so.kefu_deposit_received_amount, 0)
                    < so.amount_total - 0.005)""",
    )
    # Versions: each send keeps the PDF as sent (<order>-v<n>.pdf). Its
    # create_date has microseconds, the return's recorded_at whole seconds: a
    # return recorded in the second its version was sent compares equal.
    sheets = f"""(SELECT a.res_id AS order_id,
                         date_trunc('second', a.create_date) AS create_date,
                         substring(a.name from '-v([0-9]+)\\.pdf$')::int AS version
                    FROM ir_attachment a JOIN sale_order so ON so.id = a.res_id
                   WHERE a.res_model = 'sale.order' AND so.id IN ({idlist})
                     AND a.name = so.name || '-v'
                         || substring(a.name from '-v([0-9]+)\\.pdf$') || '.pdf')"""
    check(
        "every accepted return bound to the version current then",
        f"""SELECT so.name, r.sheet_version,
                   (SELECT max(s.version) FROM {sheets} s
                     WHERE s.order_id = r.order_id AND s.create_date <= r.recorded_at)
              FROM kefu_sheet_return r JOIN sale_order so ON so.id = r.order_id
             WHERE so.id IN ({idlist}) AND r.kind = 'sheet' AND r.accepted
               AND r.sheet_version IS DISTINCT FROM
                   (SELECT max(s.version) FROM {sheets} s
                     WHERE s.order_id = r.order_id
                       AND s.create_date <= r.recorded_at)""",
    )
    check(
        "sheet versions 1..n, one PDF each, n = the order's version",
        f"""SELECT so.name, so.kefu_sheet_version, count(s.version),
                   count(DISTINCT s.version), max(s.version)
              FROM sale_order so LEFT JOIN {sheets} s ON s.order_id = so.id
             WHERE so.id IN ({idlist})
          GROUP BY so.id, so.name, so.kefu_sheet_version
            HAVING count(s.version) != so.kefu_sheet_version
                OR count(DISTINCT s.version) != so.kefu_sheet_version
                OR max(s.version) != so.kefu_sheet_version""",
    )
    if sql_rows(db, "SELECT to_regclass('kefu_sheet_version') IS NOT NULL") == [["t"]]:
        check(
            "accepted return linked to the version record current then",
            f"""SELECT so.name, v.version FROM kefu_sheet_return r
                  JOIN sale_order so ON so.id = r.order_id
                  LEFT JOIN kefu_sheet_version v ON v.id = r.sheet_version_id
                 WHERE so.id IN ({idlist}) AND r.kind = 'sheet' AND r.accepted
                   AND (v.id IS NULL OR v.sent_at > r.recorded_at OR EXISTS (
                        SELECT 1 FROM kefu_sheet_version w
                         WHERE w.order_id = r.order_id AND w.sent_at > v.sent_at
                           AND w.sent_at <= r.recorded_at))""",
        )
    local = "(({0}) AT TIME ZONE 'UTC' AT TIME ZONE COALESCE(cp.tz, 'UTC'))::date"
    end = """LEAST(so.date_order, (SELECT min(r.recorded_at) FROM kefu_sheet_return r
                WHERE r.order_id = so.id AND r.kind = 'sheet' AND r.accepted))"""
    expected = (
        f"GREATEST({local.format(end)} - {local.format('so.kefu_sheet_sent_at')}, 0)"
    )
    check(
        "slip days = local days from sheet sent to return/release; "
        "planned = sheet date + slip",
        f"""SELECT so.name, so.kefu_slip_days, {expected}
              FROM sale_order so
              JOIN res_company c ON c.id = so.company_id
              JOIN res_partner cp ON cp.id = c.partner_id
             WHERE so.id IN ({idlist})
               AND (so.kefu_slip_days IS DISTINCT FROM {expected}
                 OR so.kefu_planned_date IS DISTINCT FROM
                    so.kefu_sheet_date + so.kefu_slip_days)""",
    )
    counts = {
        int(row[0]): (int(row[1]), int(row[2]))
        for row in sql_rows(
            db,
            f"""SELECT so.id,
                  (SELECT count(*) FROM mail_message m
                    WHERE m.model = 'sale.order' AND m.res_id = so.id),
                  (SELECT count(*) FROM mail_activity a
                    WHERE a.res_model = 'sale.order' AND a.res_id = so.id)
                 FROM sale_order so WHERE so.id IN ({idlist})""",
        )
    }
    paths = {}
    for plan in plans:
        if plan.done and plan.order_id in counts:
            paths.setdefault(plan.path(), []).append(counts[plan.order_id])
    uneven = {
        path: sorted(set(values))
        for path, values in paths.items()
        if len(set(values)) > 1
    }
    rows.append(
        (
            "chatter messages and open activities equal along each path",
            len(ids),
            sum(len(paths[path]) for path in uneven),
            "; ".join(f"{p}: {v[:4]}" for p, v in list(uneven.items())[:2]) or "-",
        )
    )
    return rows, paths


# --- the core baseline -------------------------------------------------------


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


# --- one load ----------------------------------------------------------------


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


def load_average():
    """The machine's 1-minute load average (other processes included)."""
    with contextlib.suppress(OSError, ValueError):
        return float(Path("/proc/loadavg").read_text().split()[0])
    return float("nan")


def load_figures(loads):
    return {
        "start": loads[0],
        "mean": round(sum(loads) / len(loads), 2),
        "max": max(loads),
        "end": loads[-1],
    }


def summarize(label, plans, stats, elapsed):
    done = sum(plan.done for plan in plans)
    rate = done / (elapsed / 60) if elapsed else 0.0
    load = load_figures(stats.loads)
    print(
        f"\n== {label}: {done}/{len(plans)} orders in {elapsed:.0f}s"
        f" = {rate:.1f} orders/min (load average {load['start']} at the start,"
        f" mean {load['mean']}, max {load['max']}, {load['end']} at the end;"
        f" {os.cpu_count()} cores)"
    )
    print_table(
        f"{label}: time per transition (ms, client side)",
        ("transition", "n", "p50", "p95", "max"),
        timing_table(stats),
    )
    error_rows = [
        (kind, step, count, "ok (collision)" if is_good(kind) else "BAD")
        for (kind, step), count in sorted(stats.errors.items())
    ]
    print_table(f"{label}: errors by kind", ("kind", "step", "n", ""), error_rows)
    for kind, sample in sorted(stats.samples.items()):
        print(f"  e.g. {kind}: {sample}")
    if stats.collisions:
        print_table(
            f"{label}: deliberate collisions",
            ("collision", "outcome", "n"),
            [(what, how, n) for (what, how), n in sorted(stats.collisions.items())],
        )
    return rate


def is_good(kind):
    """Errors that collisions are expected to produce: translated UserErrors."""
    return kind.startswith("UserError") and "untranslated" not in kind


# --- main --------------------------------------------------------------------


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
    return 0 if ok else 1


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
    sys.exit(130)
