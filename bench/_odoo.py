"""Load Odoo 18 as a library for the benchmarks in this folder.

``python3 bench/bench_xxx.py`` works with any Python: when ``import odoo`` fails,
the script is run again with the Python of the ``odoo`` script ($ODOO_BIN, else
``odoo`` on PATH; $ODOO_PYTHON overrides), read from its ``#!`` line.
"""

import os
import shutil
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
_REEXEC = "KEFU_BENCH_REEXEC"


def odoo_python():
    """The Python interpreter of the installed ``odoo`` script, or None."""
    if os.environ.get("ODOO_PYTHON"):
        return shutil.which(os.environ["ODOO_PYTHON"])
    odoo_bin = os.environ.get("ODOO_BIN") or shutil.which("odoo")
    if not odoo_bin or not os.path.isfile(odoo_bin):
        return None
    with open(os.path.realpath(odoo_bin), "rb") as handle:
        first = handle.readline().decode(errors="replace")
    if not first.startswith("#!"):
        return None
    argv = first[2:].split()
    if argv and os.path.basename(argv[0]) == "env":
        argv = [arg for arg in argv[1:] if not arg.startswith("-") and "=" not in arg]
        return shutil.which(argv[0]) if argv else None
    return argv[0] if argv else None


def ensure_odoo(script):
    """Import odoo, re-running ``script`` with Odoo's Python when needed."""
    try:
        import odoo  # noqa: F401
    except ImportError:
        python = odoo_python()
        if not python or os.environ.get(_REEXEC):
            sys.exit(
                "odoo is not importable: run with Odoo's Python, or set ODOO_BIN "
                "(the odoo script) or ODOO_PYTHON"
            )
        os.environ[_REEXEC] = "1"
        os.execv(python, [python, str(script), *sys.argv[1:]])


def addons_path():
    """Odoo's own addons folders plus this repository (the add-on's parent)."""
    import odoo

    root = Path(odoo.__file__).resolve().parent
    paths = [root / "addons", root.parent / "addons"]
    return ",".join([str(path) for path in paths if path.is_dir()] + [str(REPO_ROOT)])


def server_args(db, db_user):
    """Command-line options shared by the library set-up and a started server."""
    args = ["-d", db, "--db_user", db_user, "--addons-path", addons_path()]
    if os.environ.get("PGHOST"):
        args += ["--db_host", os.environ["PGHOST"]]
    if os.environ.get("PGPORT"):
        args += ["--db_port", os.environ["PGPORT"]]
    if os.environ.get("PGPASSWORD"):
        args += ["--db_password", os.environ["PGPASSWORD"]]
    return args


def load_registry(db, db_user, extra=()):
    """parse_config + the database's registry (the add-on must be installed)."""
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config([*server_args(db, db_user), *extra])
    registry = Registry(db)
    with registry.cursor() as cr:
        cr.execute("SELECT state FROM ir_module_module WHERE name = 'kefu_order_flow'")
        row = cr.fetchone()
    if not row or row[0] != "installed":
        sys.exit(f"kefu_order_flow is not installed in database {db}")
    return registry
