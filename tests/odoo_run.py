"""Run Odoo for the pytest suite: its command lines, a run with its log
parsed (tests run, failures, unexpected warnings), a server on a free port.
Finding Odoo and PostgreSQL and the template databases are odoo_harness.py's.
"""

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from odoo_harness import (
    ADDON,
    DATA_DIR,
    DB_USER,
    LOG_DIR,
    ODOO_TIMEOUT,
    REPO_ROOT,
    _run,
    free_port,
)

# WARNING lines that Odoo itself may print and that say nothing about the
# add-on.  Keep this short and explain every entry; (logger regex, message regex).
# A plain `-i sale_management,sale_stock` install, with and without demo data,
# prints no WARNING at all on Odoo 18.0.
WARNING_ALLOWLIST = [
    # Debian's wkhtmltopdf is built on an unpatched Qt: Odoo always passes the
    # header switches and logs wkhtmltopdf's notice that it ignores them (the
    # confirmation sheet keeps everything in the page body for that reason).
    (
        r"^odoo\.addons\.base\.models\.ir_actions_report$",
        r"^wkhtmltopdf: The switch --(header|footer)-(spacing|html), is not "
        r"support using unpatched qt",
    ),
]

_LOG_RE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ "
    r"(?P<level>[A-Z]+) (?P<db>\S+) (?P<logger>\S+): (?P<msg>.*)$"
)
_BAD_LEVELS = ("WARNING", "ERROR", "CRITICAL")
_RESULT_RE = re.compile(
    r"(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<run>\d+) tests"
)
_STATS_RE = re.compile(rf"^{ADDON}: (?P<n>\d+) tests ")


# --- running Odoo --------------------------------------------------------------


def _connection_args():
    args = ["--db_user", DB_USER]
    if os.environ.get("PGHOST"):
        args += ["--db_host", os.environ["PGHOST"]]
    if os.environ.get("PGPORT"):
        args += ["--db_port", os.environ["PGPORT"]]
    return args


def odoo_db(info, *args):
    """Run Odoo's database manager on the command line (`odoo db dump|load
    …`, the filestore included); RuntimeError with its output when it fails."""
    cmd = [*info["cmd"], "db", *_connection_args(), "--data-dir", str(DATA_DIR)]
    _run([*cmd, *args])


def odoo_cmd(info, db, extra, demo=False, http_port=None, root=REPO_ROOT):
    """Odoo's command line for ``db``, the add-on taken from the folder
    ``root`` (this repository; another tree of it, or None: the add-on must
    then come from elsewhere)."""
    cmd = [*info["cmd"], "-d", db, *_connection_args()]
    addons = [*info["addons"], *([str(root)] if root else [])]
    addons += [p for p in os.environ.get("KEFU_EXTRA_ADDONS", "").split(",") if p]
    cmd += [
        "--addons-path",
        ",".join(addons),
        "--data-dir",
        str(DATA_DIR),
        "--http-interface",
        "127.0.0.1",
        "--http-port",
        str(http_port or free_port()),
        "--max-cron-threads",
        "0",
    ]
    if not demo:
        cmd.append("--without-demo=all")
    return cmd + list(extra)


# Fed to `odoo shell` together, in this order: the flow's steps, then what a
# factory's data holds (which uses the steps' helpers).
SCRIPTS = (
    REPO_ROOT / "tests" / "flow_scripts.py",
    REPO_ROOT / "tests" / "data_scripts.py",
)
_JSON_MARK = "KEFU_JSON "


def odoo_shell(info, db, entry, root=REPO_ROOT, log_name=None):
    """Call ``entry(env)`` of the ``SCRIPTS`` in `odoo shell` on ``db``
    (the add-on taken from ``root``); return (what it returned, read back
    from JSON, and the OdooRun of its log).  RuntimeError with the traceback
    when it fails."""
    log_path = LOG_DIR / f"{log_name or db}-{entry}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_path.unlink(missing_ok=True)
    shell = {**info, "cmd": [*info["cmd"], "shell"]}
    cmd = odoo_cmd(shell, db, ["--no-http", "--logfile", str(log_path)], root=root)
    call = f"json.dumps({entry}(env), default=str)"
    scripts = "\n".join(path.read_text() for path in SCRIPTS)
    source = f"{scripts}\nimport json\nprint({_JSON_MARK!r} + {call})\n"
    start = time.monotonic()
    proc = subprocess.run(
        cmd, input=source, capture_output=True, text=True, timeout=ODOO_TIMEOUT
    )
    log_path.touch()
    run = OdooRun(proc.returncode, log_path, time.monotonic() - start)
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(_JSON_MARK) and not proc.returncode:
            return json.loads(line[len(_JSON_MARK) :]), run
    raise RuntimeError(
        f"odoo shell {entry}() on {db} failed (rc={proc.returncode}), log "
        f"{log_path}:\n{proc.stderr[-4000:]}"
    )


class OdooRun:
    def __init__(self, returncode, log_path, duration):
        self.returncode = returncode
        self.log_path = log_path
        self.duration = duration
        self.records = parse_log(log_path.read_text(errors="replace"))

    def problems(self, allow=()):
        """One text block per WARNING/ERROR/CRITICAL record not allowed."""
        out = []
        for rec in self.records:
            if rec["level"] not in _BAD_LEVELS:
                continue
            if rec["level"] == "WARNING" and any(
                re.search(lg, rec["logger"]) and re.search(msg, rec["msg"])
                for lg, msg in [*WARNING_ALLOWLIST, *allow]
            ):
                continue
            lines = rec["lines"]
            if len(lines) > 20:  # keep the start and the exception at the end
                lines = [*lines[:5], "  [...]", *lines[-12:]]
            out.append("\n".join(lines))
        return out

    def test_result(self):
        """(failed, errors, run) from Odoo's final report, or None."""
        for rec in self.records:
            if rec["logger"] == "odoo.tests.result":
                m = _RESULT_RE.search(rec["msg"])
                if m and "when loading database" in rec["msg"]:
                    return int(m["failed"]), int(m["errors"]), int(m["run"])
        return None

    def skipped(self):
        """Odoo tests of the add-on that were skipped (a tour without Chromium,
        a missing Python module...): one line each."""
        prefix = f"odoo.addons.{ADDON}."
        return [
            rec["msg"]
            for rec in self.records
            if rec["level"] == "INFO"
            and rec["logger"].startswith(prefix)
            and rec["msg"].startswith("skipped ")
        ]

    def addon_test_count(self):
        count = 0
        for rec in self.records:
            if rec["logger"] == "odoo.tests.stats":
                m = _STATS_RE.match(rec["msg"])
                if m:
                    count += int(m["n"])
        return count

    def summary(self):
        keep = ("odoo.tests.result", "odoo.tests.stats")
        lines = [r["lines"][0] for r in self.records if r["logger"] in keep]
        lines.append(
            f"rc={self.returncode} in {self.duration:.0f}s, log {self.log_path}"
        )
        return "\n".join(lines)


def parse_log(text):
    """Split an Odoo log into records (first line + continuation lines)."""
    records = []
    for line in text.splitlines():
        m = _LOG_RE.match(line)
        if m:
            records.append({**m.groupdict(), "lines": [line]})
        elif records:
            records[-1]["lines"].append(line)
        elif line.strip():
            # output before the first log line (e.g. a crash on start-up)
            records.append(
                {"level": "RAW", "db": "", "logger": "", "msg": line, "lines": [line]}
            )
    return records


def run_odoo(
    info,
    db,
    extra,
    demo=False,
    log_name=None,
    http_port=None,
    cmd=None,
    cwd=None,
    log_path=None,
):
    """Run Odoo on ``db`` with ``extra`` options until it stops by itself;
    ``cmd`` replaces the whole command line (``--stop-after-init`` is added),
    ``cwd`` is where it runs; the log goes to ``log_path``, by default
    tests/.logs/<log_name or db>.log."""
    log_path = Path(log_path or LOG_DIR / f"{log_name or db}.log")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    cmd = [*(cmd or odoo_cmd(info, db, extra, demo, http_port)), "--stop-after-init"]
    start = time.monotonic()
    with open(log_path, "w") as log:
        log.write("# " + " ".join(cmd) + "\n")
        log.flush()
        proc = subprocess.Popen(
            cmd,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=cwd,
        )
        try:
            rc = proc.wait(timeout=ODOO_TIMEOUT)
        except subprocess.TimeoutExpired:
            stop_process(proc)
            msg = f"odoo did not finish in {ODOO_TIMEOUT}s: {log_path}"
            raise RuntimeError(msg) from None
    return OdooRun(rc, log_path, time.monotonic() - start)


def stop_process(proc, grace=15):
    """Stop a process started with start_new_session=True, and its children."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=grace)


class ServerError(RuntimeError):
    """An Odoo server that stopped or never answered."""


def server_cmd(info, db, port, extra=(), demo=False):
    """The command of an Odoo server on 127.0.0.1:``port`` for ``db`` alone."""
    extra = ["--db-filter", f"^{db}$", *extra]
    return odoo_cmd(info, db, extra, demo=demo, http_port=port)


class ServerURL(str):
    """The URL of a running server; ``proc`` is its process."""

    proc = None


def wait_healthy(proc, url, log_path, timeout=180):
    """Wait until Odoo's /web/health answers 200; ServerError if ``proc`` exits
    first or nothing answers within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise ServerError(
                f"odoo exited with {proc.returncode}, see {log_path}\n"
                + _tail(log_path)
            )
        try:
            with urllib.request.urlopen(f"{url}/web/health", timeout=5) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise ServerError(f"odoo not healthy after {timeout} s, see {log_path}")
        time.sleep(0.5)


@contextlib.contextmanager
def serve(cmd, port, log_path, timeout=180):
    """Run ``cmd`` (an Odoo server listening on 127.0.0.1:``port``) with its
    output in ``log_path``, wait until it is healthy and yield its URL; stop
    it, and its children, on exit.  The one way the tests, the benchmarks and
    tools/serve_demo.py start a server.  The URL's ``proc`` is the process."""
    if not port_free(port):
        raise ServerError(f"port {port} is already in use")
    log_path = Path(log_path)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    url = ServerURL(f"http://127.0.0.1:{port}")
    with open(log_path, "wb") as log:
        log.write(("# " + " ".join(map(str, cmd)) + "\n").encode())
        log.flush()
        proc = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        url.proc = proc
        try:
            wait_healthy(proc, url, log_path, timeout)
            yield url
        finally:
            stop_process(proc)


def port_free(port):
    """Nothing listens on 127.0.0.1:``port`` (connections closing in TIME_WAIT
    do not count: Odoo binds with SO_REUSEADDR too)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _tail(path, lines=15):
    try:
        text = Path(path).read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])
