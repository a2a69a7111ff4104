"""Drive a locally installed Odoo 18 for the pytest suite.

Finds Odoo and PostgreSQL, builds cached template databases with the add-on's
dependencies, runs Odoo against fresh copies and parses its log.  Plain
subprocess calls only: psql/createdb/dropdb for PostgreSQL, the ``odoo``
script for Odoo (its Python is only asked for the version and addons path).
"""

import ast
import fcntl
import hashlib
import json
import os
import re
import shutil
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


# --- discovery -------------------------------------------------------------

NOT_FOUND = "Odoo 18 not found (set ODOO_BIN or put odoo on PATH)"


class OdooUnusable(Exception):
    """Odoo was found but cannot run the tests: an error with the reason, never
    a skip (a skip is only for a machine without any Odoo)."""


def odoo_required():
    """CI (or KEFU_REQUIRE_ODOO=1) wants the Odoo suite: no Odoo is a failure."""
    flags = (os.environ.get("CI", ""), os.environ.get("KEFU_REQUIRE_ODOO", ""))
    return any(flag.lower() not in ("", "0", "false", "no") for flag in flags)


def find_odoo():
    """The odoo script: $ODOO_BIN, else `odoo` on PATH; None when there is none.
    Raises OdooUnusable when $ODOO_BIN names nothing."""
    env_bin = os.environ.get("ODOO_BIN")
    if env_bin:
        # a non-executable script is fine: it is run with its Python
        path = shutil.which(env_bin) or (env_bin if os.path.isfile(env_bin) else None)
        if not path:
            raise OdooUnusable(f"ODOO_BIN={env_bin} is not a file")
        return path
    return shutil.which("odoo")


def _shebang(odoo_bin):
    with open(os.path.realpath(odoo_bin), "rb") as f:
        return f.readline().decode(errors="replace")


def odoo_python(odoo_bin):
    """Python interpreter of the odoo script from $ODOO_PYTHON or its #! line;
    None when neither tells (a shell wrapper: odoo_info asks the script)."""
    if os.environ.get("ODOO_PYTHON"):
        py = shutil.which(os.environ["ODOO_PYTHON"])
        if not py:
            raise OdooUnusable(f"ODOO_PYTHON={os.environ['ODOO_PYTHON']} not found")
        return py
    first = _shebang(odoo_bin)
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


# Printed by Odoo's Python, either run directly (`python -c`, with the script's
# folder on sys.path as odoo-bin has it) or fed to `odoo shell` on stdin.
_INFO_SNIPPET = """
import json, os, sys
import odoo
from odoo import release
root = os.path.dirname(os.path.abspath(odoo.__file__))
paths = [os.path.join(root, "addons"), os.path.join(os.path.dirname(root), "addons")]
print("KEFU_ODOO_INFO " + json.dumps({
    "version": release.version,
    "major": release.version_info[0],
    "root": root,
    "python": sys.executable,
    "mtime": os.path.getmtime(os.path.join(root, "release.py")),
    "addons": [p for p in paths if os.path.isdir(p)],
}))
"""
_INFO_MARK = "KEFU_ODOO_INFO "


def _probe(cmd, stdin, what):
    try:
        proc = subprocess.run(
            cmd, input=stdin, capture_output=True, text=True, timeout=120
        )
    except subprocess.TimeoutExpired:
        raise OdooUnusable(f"{what} did not answer within 120 s") from None
    except OSError as exc:
        raise OdooUnusable(f"cannot run {what}: {exc}") from None
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(_INFO_MARK):
            return json.loads(line[len(_INFO_MARK) :])
    last = (proc.stderr.strip().splitlines() or [f"exit status {proc.returncode}"])[-1]
    raise OdooUnusable(f"{what} could not import odoo: {last}")


def odoo_info(odoo_bin):
    """What the tests need to know about the Odoo of ``odoo_bin``: version,
    source root, its Python, its own addons folders and the command that runs
    it.  Raises OdooUnusable with the reason."""
    py = odoo_python(odoo_bin)
    if py:
        folder = os.path.dirname(os.path.realpath(odoo_bin))
        prelude = f"import sys\nsys.path.insert(0, {folder!r})\n"
        info = _probe([py, "-c", prelude + _INFO_SNIPPET], None, py)
        # Run the script with that Python when it is a Python script (so that
        # ODOO_PYTHON also works for a source checkout's `#!/usr/bin/env python3`).
        is_python = "python" in _shebang(odoo_bin)
        info["cmd"] = [py, os.path.realpath(odoo_bin)] if is_python else [odoo_bin]
    else:
        # A wrapper (shell script, ...): ask Odoo itself, through `odoo shell`
        # without a database, which runs what it reads on stdin.
        cmd = [odoo_bin, "shell", "--no-http", "--log-level=critical", "-d", ""]
        info = _probe(cmd, _INFO_SNIPPET, f"`{odoo_bin} shell`")
        info["cmd"] = [odoo_bin]
    if info["major"] != 18:
        raise OdooUnusable(f"{odoo_bin} is Odoo {info['version']}, not Odoo 18")
    info["bin"] = odoo_bin
    return info


def discover():
    """The Odoo 18 to test with (odoo_info's dict) and PostgreSQL checked;
    None when this machine has no Odoo at all.  Raises OdooUnusable when an
    Odoo is there but cannot be used, or PostgreSQL refuses."""
    odoo_bin = find_odoo()
    if not odoo_bin:
        return None
    info = odoo_info(odoo_bin)
    reason = check_postgres()
    if reason:
        raise OdooUnusable(reason)
    return info


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
    # A superuser may create databases whatever its CREATEDB flag says.
    sql = "SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user"
    cmd = ["psql", *pg_args(), "-d", "postgres", "-tAc", sql]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
    except subprocess.TimeoutExpired:
        return "PostgreSQL did not answer within 20 s"
    where = os.environ.get("PGHOST", "local socket")
    if proc.returncode:
        err = (proc.stderr.strip().splitlines() or ["?"])[-1]
        return f"PostgreSQL not reachable as role {DB_USER} ({where}): {err}"
    if proc.stdout.strip() != "t":
        return (
            f"PostgreSQL role {DB_USER} may not create databases "
            f"(ALTER ROLE {DB_USER} CREATEDB, or set KEFU_DB_USER)"
        )
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


class TemplateNotCopyable(RuntimeError):
    """PostgreSQL refused to copy a template database: another role made it."""


def copy_db(template, name):
    cmd = ["createdb", *pg_args(), "-T", template, name]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if "permission denied to copy database" in proc.stderr:
        raise TemplateNotCopyable(proc.stderr.strip())
    if proc.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stderr}")
    if filestore(template).is_dir():
        shutil.copytree(filestore(template), filestore(name))


def _role_slug(role):
    return re.sub(r"[^a-z0-9]", "", role.lower())[:16] or "role"


def template_name(info, depends, demo, role=None, kind=None, key=()):
    """The cached template's name, keyed by Odoo, the modules, demo data, the
    PostgreSQL role that makes and copies it (PostgreSQL lets only its owner
    copy a database) and ``key`` (what else its content depends on)."""
    role = role or DB_USER
    key = json.dumps(
        [info["version"], info["root"], info["mtime"], sorted(depends), role, *key]
    )
    digest = hashlib.sha1(key.encode()).hexdigest()[:12]
    kind = kind or ("demo" if demo else "nodemo")
    return f"kefu_tpl_{kind}_{digest}"


def ensure_template(info, depends, demo, name=None, build=None):
    """Return the name of a template db with `depends` installed (or what
    ``build(db)`` makes in a fresh database), building it under a temporary
    name and renaming it when complete (so an interrupted build is never
    used).  A file lock serialises concurrent builds."""
    name = name or template_name(info, depends, demo)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    with open(DATA_DIR / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if db_exists(name) and filestore(name).is_dir():
            return name
        building = f"{name}_building"
        drop_db(name)
        drop_db(building)
        start = time.monotonic()
        (build or _install_depends)(info, building, depends, demo)
        comment = json.dumps({"odoo": info["version"], "depends": sorted(depends)})
        psql(f"COMMENT ON DATABASE {building} IS '{comment}'")
        psql(f"ALTER DATABASE {building} RENAME TO {name}")
        filestore(building).mkdir(parents=True, exist_ok=True)
        filestore(building).rename(filestore(name))
        print(f"built template {name} in {time.monotonic() - start:.0f}s")
        return name


def _install_depends(info, db, depends, demo):
    from odoo_run import run_odoo  # noqa: PLC0415 - it imports this module

    result = run_odoo(
        info, db, ["-i", ",".join(depends)], demo=demo, log_name=f"template-{db}"
    )
    problems = result.problems()
    if result.returncode or problems:
        raise RuntimeError(
            f"building template {db} failed (rc={result.returncode}), "
            f"log {result.log_path}:\n" + "\n".join(problems[:20])
        )
    quoted = ",".join(f"'{d}'" for d in depends)
    installed = psql(
        "SELECT count(*) FROM ir_module_module "
        f"WHERE name IN ({quoted}) AND state = 'installed'",
        db=db,
    )
    if int(installed) != len(set(depends)):
        raise RuntimeError(f"template {db}: dependencies not all installed")


def db_from_template(info, depends, demo, name, template=None, build=None):
    """Create ``name`` as a copy of the cached template (built when missing).
    A template this role may not copy (another role made it under the same
    name) is rebuilt under a name keyed by this role, and the run says so.
    Returns the template used."""
    template = template or template_name(info, depends, demo)
    ensure_template(info, depends, demo, template, build)
    try:
        copy_db(template, name)
    except TemplateNotCopyable:
        own = f"{template}_{_role_slug(DB_USER)}"
        print(
            f"template {template} belongs to another PostgreSQL role: "
            f"{DB_USER} rebuilds it as {own}"
        )
        ensure_template(info, depends, demo, own, build)
        copy_db(own, name)
        template = own
    return template


def fresh_db_name(purpose):
    return f"kefu_test_{purpose}_{uuid.uuid4().hex[:8]}"


KEPT_DBS = []
TIMINGS = []  # (what, seconds), printed at the end of the pytest run


def keep_db():
    return os.environ.get("KEFU_KEEP_DB") == "1"


def main(argv):
    """``python3 tests/odoo_harness.py python``, for .ci/run and tools/: print
    the Python of the Odoo 18 found.  Exit 0; 1 when there is no Odoo (the
    reason on stderr); 2 when an Odoo is there but unusable."""
    if argv[1:] != ["python"]:
        print(f"usage: {argv[0]} python", file=sys.stderr)
        return 64
    try:
        odoo_bin = find_odoo()
        if not odoo_bin:
            print(NOT_FOUND, file=sys.stderr)
            return 1
        info = odoo_info(odoo_bin)
    except OdooUnusable as exc:
        print(exc, file=sys.stderr)
        return 2
    print(info["python"])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
