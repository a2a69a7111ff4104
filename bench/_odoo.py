"""Load Odoo 18 as a library for the benchmarks in this folder.

``python3 bench/bench_xxx.py`` works with any Python: when ``import odoo`` fails,
the script is run again with the Python of the Odoo that the tests find
($ODOO_BIN, else ``odoo`` on PATH; $ODOO_PYTHON overrides), with the folder
that holds the ``odoo`` package on PYTHONPATH (a source install is not on
its Python's path: odoo-bin puts it there).
"""

import contextlib
import os
import shutil
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "tests"))
import odoo_harness  # noqa: E402
import odoo_run  # noqa: E402

_REEXEC = "KEFU_BENCH_REEXEC"


def odoo_runtime():
    """(Odoo's Python, the folder holding the ``odoo`` package or None), found
    as the tests find them; None when there is no Odoo."""
    try:
        odoo_bin = odoo_harness.find_odoo()
        if not odoo_bin:
            python = shutil.which(os.environ.get("ODOO_PYTHON") or "")
            return (python, None) if python else None
        info = odoo_harness.odoo_info(odoo_bin)
    except odoo_harness.OdooUnusable as exc:
        sys.exit(f"Odoo found but unusable: {exc}")
    return info["python"], os.path.dirname(info["root"])


def ensure_odoo(script):
    """Import odoo, re-running ``script`` with Odoo's Python when needed."""
    try:
        import odoo  # noqa: F401
    except ImportError:
        runtime = odoo_runtime()
        if not runtime or os.environ.get(_REEXEC):
            sys.exit(
                "odoo is not importable: run with Odoo's Python, or set ODOO_BIN "
                "(the odoo script) or ODOO_PYTHON"
            )
        python, source = runtime
        os.environ[_REEXEC] = "1"
        if source:
            path = [source, *filter(None, [os.environ.get("PYTHONPATH")])]
            os.environ["PYTHONPATH"] = os.pathsep.join(path)
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


@contextlib.contextmanager
def server(db, db_user, port, log_path):
    """An Odoo server of this Python on ``db``, started and awaited by the
    harness's ``serve()`` (as the tests start theirs); yields its URL."""
    cmd = [
        sys.executable,
        "-m",
        "odoo",
        "server",
        *server_args(db, db_user),
        "--http-port",
        str(port),
        "--http-interface",
        "127.0.0.1",
        "--db-filter",
        f"^{db}$",
        "--max-cron-threads",
        "0",
        "--workers",
        "0",
        "--log-level",
        "warn",
    ]
    try:
        with odoo_run.serve(cmd, port, log_path) as url:
            yield url
    except odoo_run.ServerError as exc:
        sys.exit(f"the Odoo server for the benchmark: {exc}")


def flow_company(env):
    """The company of ``env``, in Shanghai and in the flow's scope."""
    company = env.company
    company.partner_id.tz = "Asia/Shanghai"
    if not env["kefu.flow.scope"].search_count([("company_id", "=", company.id)]):
        env["kefu.flow.scope"].create({"name": "bench", "company_id": company.id})
    return company
