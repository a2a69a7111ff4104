"""Load Odoo 18 as a library for the benchmarks in this folder.

``python3 bench/bench_xxx.py`` works with any Python: when ``import odoo`` fails,
the script is run again with the Python of the ``odoo`` script ($ODOO_BIN, else
``odoo`` on PATH; $ODOO_PYTHON overrides), read from its ``#!`` line.
"""

import os
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "tests"))
from odoo_harness import find_odoo  # noqa: E402
from odoo_harness import odoo_python as harness_odoo_python  # noqa: E402

_REEXEC = "KEFU_BENCH_REEXEC"


def odoo_python():
    """The Python interpreter of the installed ``odoo`` script, or None (found
    as the tests find it: $ODOO_PYTHON, else the #! line of $ODOO_BIN or odoo)."""
    odoo_bin, _reason = find_odoo()
    if not (odoo_bin or os.environ.get("ODOO_PYTHON")):
        return None
    return harness_odoo_python(odoo_bin)


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
        # The odoo script may be a link to odoo-bin beside the odoo package,
        # which its Python then finds only through the script's own folder.
        odoo_bin, _reason = find_odoo()
        if odoo_bin:
            source = os.path.dirname(os.path.realpath(odoo_bin))
            path = os.environ.get("PYTHONPATH")
            os.environ["PYTHONPATH"] = f"{source}{os.pathsep}{path}" if path else source
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
