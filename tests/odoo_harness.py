"""Drive a locally installed Odoo 18 for the pytest suite.

Finds Odoo and PostgreSQL, builds cached template databases with the add-on's
dependencies, runs Odoo against fresh copies and parses its log.  Plain
subprocess calls only: psql/createdb/dropdb for PostgreSQL, the ``odoo``
script for Odoo (its Python is only asked for the version and addons path).
"""

import ast
import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
ADDON = "kefu_order_flow"
ADDON_DIR = REPO_ROOT / ADDON
LOG_DIR = REPO_ROOT / "tests" / ".logs"
DB_USER = os.environ.get("KEFU_DB_USER", "odoo")
DATA_DIR = Path(
    os.environ.get("KEFU_ODOO_DATA_DIR")
    or Path.home() / ".cache" / "kefu_order_flow" / "odoo-data"
)
ODOO_TIMEOUT = int(os.environ.get("KEFU_ODOO_TIMEOUT", "1800"))

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


# --- discovery -------------------------------------------------------------


def find_odoo():
    """Return (odoo_bin, None) or (None, reason)."""
    env_bin = os.environ.get("ODOO_BIN")
    if env_bin:
        # a non-executable script is fine: it is run with its Python
        path = shutil.which(env_bin) or (env_bin if os.path.isfile(env_bin) else None)
        if not path:
            return None, f"ODOO_BIN={env_bin} is not a file"
        return path, None
    path = shutil.which("odoo")
    if not path:
        return None, "Odoo 18 not found (set ODOO_BIN or put odoo on PATH)"
    return path, None


def odoo_python(odoo_bin):
    """Python interpreter of the odoo script: $ODOO_PYTHON or its shebang."""
    if os.environ.get("ODOO_PYTHON"):
        return shutil.which(os.environ["ODOO_PYTHON"])
    with open(os.path.realpath(odoo_bin), "rb") as f:
        first = f.readline().decode(errors="replace")
    if not first.startswith("#!"):
        return None
    argv = first[2:].split()
    if argv and os.path.basename(argv[0]) == "env":
        argv = [a for a in argv[1:] if not a.startswith("-") and "=" not in a]
        interp = shutil.which(argv[0]) if argv else None
    else:
        interp = argv[0] if argv else None
    if not interp or not os.path.basename(interp).startswith("python"):
        return None
    return interp


_INFO_SNIPPET = """
import json, os, sys
sys.path.insert(0, os.path.dirname(os.path.realpath(sys.argv[1])))
import odoo
from odoo import release
root = os.path.dirname(os.path.abspath(odoo.__file__))
paths = [os.path.join(root, "addons"), os.path.join(os.path.dirname(root), "addons")]
print(json.dumps({
    "version": release.version,
    "major": release.version_info[0],
    "root": root,
    "mtime": os.path.getmtime(os.path.join(root, "release.py")),
    "addons": [p for p in paths if os.path.isdir(p)],
}))
"""


def odoo_info(odoo_bin):
    """Return (info dict, None) or (None, reason)."""
    py = odoo_python(odoo_bin)
    if not py:
        return None, f"cannot tell the Python of {odoo_bin} (set ODOO_PYTHON)"
    proc = subprocess.run(
        [py, "-c", _INFO_SNIPPET, odoo_bin],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if proc.returncode:
        last = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return None, f"cannot import odoo with {py}: {last}"
    info = json.loads(proc.stdout.strip().splitlines()[-1])
    if info["major"] != 18:
        return None, f"Odoo 18 not found: {odoo_bin} is Odoo {info['version']}"
    info["bin"] = odoo_bin
    info["python"] = py
    # Run the script with that Python when it is a Python script (so that
    # ODOO_PYTHON also works for a source checkout's `#!/usr/bin/env python3`).
    with open(os.path.realpath(odoo_bin), "rb") as f:
        is_python = b"python" in f.readline()
    info["cmd"] = [py, os.path.realpath(odoo_bin)] if is_python else [odoo_bin]
    return info, None


def pg_args():
    return ["-U", DB_USER]


def psql(sql, db="postgres"):
    cmd = ["psql", *pg_args(), "-d", db, "-v", "ON_ERROR_STOP=1", "-tAc", sql]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if proc.returncode:
        raise RuntimeError(f"psql failed: {sql}\n{proc.stderr}")
    return proc.stdout.strip()


def check_postgres():
    """Return None when PostgreSQL is usable as DB_USER, else a reason."""
    for tool in ("psql", "createdb", "dropdb"):
        if not shutil.which(tool):
            return f"PostgreSQL client `{tool}` not found (install postgresql-client)"
    cmd = ["psql", *pg_args(), "-d", "postgres", "-tAc", "SELECT rolcreatedb"]
    cmd[-1] += " FROM pg_roles WHERE rolname = current_user"
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
    except subprocess.TimeoutExpired:
        return "PostgreSQL did not answer within 20 s"
    where = os.environ.get("PGHOST", "local socket")
    if proc.returncode:
        err = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return f"PostgreSQL not reachable as role {DB_USER} ({where}): {err}"
    if proc.stdout.strip() != "t":
        return f"PostgreSQL role {DB_USER} may not create databases"
    return None


def read_manifest():
    return ast.literal_eval((ADDON_DIR / "__manifest__.py").read_text())


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- databases ---------------------------------------------------------------


def _run(cmd):
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stderr}")


def db_exists(name):
    return psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"


def filestore(name):
    return DATA_DIR / "filestore" / name


def drop_db(name):
    _run(["dropdb", *pg_args(), "--if-exists", "--force", name])
    shutil.rmtree(filestore(name), ignore_errors=True)


def copy_db(template, name):
    _run(["createdb", *pg_args(), "-T", template, name])
    if filestore(template).is_dir():
        shutil.copytree(filestore(template), filestore(name))


def template_name(info, depends, demo):
    key = json.dumps([info["version"], info["root"], info["mtime"], sorted(depends)])
    digest = hashlib.sha1(key.encode()).hexdigest()[:12]
    return f"kefu_tpl_{'demo' if demo else 'nodemo'}_{digest}"


def ensure_template(info, depends, demo):
    """Return the name of a template db with `depends` installed, building it
    under a temporary name and renaming it when complete (so an interrupted
    build is never used).  A file lock serialises concurrent builds."""
    name = template_name(info, depends, demo)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    with open(DATA_DIR / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if db_exists(name) and filestore(name).is_dir():
            return name
        building = f"{name}_building"
        drop_db(name)
        drop_db(building)
        start = time.monotonic()
        result = run_odoo(
            info,
            building,
            ["-i", ",".join(depends)],
            demo=demo,
            log_name=f"template-{name}",
        )
        problems = result.problems()
        if result.returncode or problems:
            raise RuntimeError(
                f"building template {name} failed (rc={result.returncode}), "
                f"log {result.log_path}:\n" + "\n".join(problems[:20])
            )
        quoted = ",".join(f"'{d}'" for d in depends)
        installed = psql(
            "SELECT count(*) FROM ir_module_module "
            f"WHERE name IN ({quoted}) AND state = 'installed'",
            db=building,
        )
        if int(installed) != len(set(depends)):
            raise RuntimeError(f"template {name}: dependencies not all installed")
        comment = json.dumps({"odoo": info["version"], "depends": sorted(depends)})
        psql(f"COMMENT ON DATABASE {building} IS '{comment}'")
        psql(f"ALTER DATABASE {building} RENAME TO {name}")
        filestore(building).mkdir(parents=True, exist_ok=True)
        filestore(building).rename(filestore(name))
        print(f"built template {name} in {time.monotonic() - start:.0f}s")
        return name


def fresh_db_name(purpose):
    return f"kefu_test_{purpose}_{uuid.uuid4().hex[:8]}"


KEPT_DBS = []


def keep_db():
    return os.environ.get("KEFU_KEEP_DB") == "1"


# --- running Odoo --------------------------------------------------------------


def odoo_cmd(info, db, extra, demo=False, http_port=None):
    cmd = [*info["cmd"], "-d", db, "--db_user", DB_USER]
    if os.environ.get("PGHOST"):
        cmd += ["--db_host", os.environ["PGHOST"]]
    if os.environ.get("PGPORT"):
        cmd += ["--db_port", os.environ["PGPORT"]]
    addons = [*info["addons"], str(REPO_ROOT)]
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


def run_odoo(info, db, extra, demo=False, log_name=None, http_port=None):
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    log_path = LOG_DIR / f"{log_name or db}.log"
    cmd = [*odoo_cmd(info, db, extra, demo, http_port), "--stop-after-init"]
    start = time.monotonic()
    with open(log_path, "w") as log:
        log.write("# " + " ".join(cmd) + "\n")
        log.flush()
        proc = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
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


if __name__ == "__main__":
    # Used by .ci/run: print the Python interpreter of the Odoo found, if any.
    odoo_bin, _ = find_odoo()
    py = odoo_python(odoo_bin) if odoo_bin else None
    if py:
        print(py)
    sys.exit(0 if py else 1)
