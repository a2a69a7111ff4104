"""Shared fixtures.  The Odoo fixtures skip (one-line reason) only when this
machine has no Odoo at all, and fail instead when CI (or KEFU_REQUIRE_ODOO=1)
is set.  An Odoo that is there but cannot be used (no Python to tell, not
Odoo 18, PostgreSQL refusing) is an error with the reason.  See
odoo_harness.py for the machinery.

Environment: ODOO_BIN, ODOO_PYTHON, KEFU_DB_USER (default odoo), PGHOST, PGPORT,
KEFU_KEEP_DB=1 (keep the fresh databases), KEFU_ODOO_DATA_DIR (filestore,
default ~/.cache/kefu_order_flow/odoo-data), KEFU_ODOO_TIMEOUT (seconds).
"""

import time

import pytest

import odoo_harness as h
import odoo_run
import release_db


@pytest.fixture(scope="session")
def odoo():
    """Information about the Odoo 18 found (see odoo_harness.odoo_info)."""
    try:
        info = h.discover()
    except h.OdooUnusable as exc:
        pytest.fail(f"Odoo found but unusable: {exc}", pytrace=False)
    if info is None:
        if h.odoo_required():
            pytest.fail(
                f"{h.NOT_FOUND}: CI (or KEFU_REQUIRE_ODOO) requires the add-on's "
                "Odoo suite and the live-server tests, which cannot run here",
                pytrace=False,
            )
        pytest.skip(h.NOT_FOUND)
    if not (h.ADDON_DIR / "__manifest__.py").is_file():
        pytest.fail(f"{h.ADDON_DIR}/__manifest__.py is missing")
    return info


@pytest.fixture(scope="session")
def depends():
    return list(h.read_manifest().get("depends") or ["base"])


@pytest.fixture(scope="session")
def fresh_db(odoo, depends):
    """Factory: a new database copied from the (cached) template, or from the
    database ``template``, dropped at the end of the session unless
    KEFU_KEEP_DB=1."""
    created = []

    def make(purpose, demo=False, template=None):
        name = h.fresh_db_name(purpose)
        if template:
            h.copy_db(template, name)
        else:
            h.db_from_template(odoo, depends, demo, name)
        created.append(name)
        return name

    yield make
    for name in created:
        if h.keep_db():
            h.KEPT_DBS.append(name)
        else:
            h.drop_db(name)


@pytest.fixture(scope="session")
def suite_run(odoo, fresh_db):
    """Install the add-on with its tests on a fresh no-demo database.
    Returns (db, OdooRun); the db is reused by the live-server tests."""
    db = fresh_db("suite")
    run = odoo_run.run_odoo(
        odoo,
        db,
        [
            "-i",
            h.ADDON,
            "--test-enable",
            "--test-tags",
            f"/{h.ADDON}",
            "--log-level=test",
        ],
        log_name="suite",
    )
    print(run.summary())
    return db, run


@pytest.fixture(scope="session")
def release(odoo):
    """(template, tree): the cached database of the last release with orders
    in every stage, and the folder holding the release's add-on."""
    start = time.monotonic()
    try:
        template, tree = release_db.ensure_release_template(odoo)
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    h.TIMINGS.append(("release database", time.monotonic() - start))
    return template, tree


@pytest.fixture(scope="session")
def upgraded(odoo, release, fresh_db):
    """A copy of the release database upgraded to the working tree with
    ``-u``: {"db", "before", "after" (snapshots), "run" (the upgrade's log),
    "ticked" (the statements whose old-formula box the release ticked)}."""
    template, tree = release
    db = fresh_db("up", template=template)
    start = time.monotonic()
    ticked, _run = odoo_run.odoo_shell(odoo, db, "insist_on_old_formula", root=tree)
    before, _run = odoo_run.odoo_shell(odoo, db, "snapshot", root=tree)
    cmd = odoo_run.odoo_cmd(odoo, db, ["-u", h.ADDON], demo=True)
    run = odoo_run.run_odoo(odoo, db, [], cmd=cmd, log_name=f"{db}-upgrade")
    if run.returncode:
        problems = "\n\n".join(run.problems()[:10])
        pytest.fail(f"-u {h.ADDON} failed: {run.summary()}\n{problems}", pytrace=False)
    after, _run = odoo_run.odoo_shell(odoo, db, "snapshot")
    h.TIMINGS.append(("upgrade and its snapshots", time.monotonic() - start))
    return {"db": db, "before": before, "after": after, "run": run, "ticked": ticked}


@pytest.fixture(scope="session")
def upgraded_gaps(odoo, release, fresh_db):
    """A copy of the release database with what 18.0.1.6.0's migration mends
    (data_scripts.leave_gaps_for_the_upgrade), upgraded: {"left" (what was
    left), "after" (gaps_after_the_upgrade), "run"}."""
    template, tree = release
    db = fresh_db("gaps", template=template)
    left, _run = odoo_run.odoo_shell(odoo, db, "leave_gaps_for_the_upgrade", root=tree)
    cmd = odoo_run.odoo_cmd(odoo, db, ["-u", h.ADDON], demo=True)
    run = odoo_run.run_odoo(odoo, db, [], cmd=cmd, log_name=f"{db}-upgrade")
    if run.returncode:
        problems = "\n\n".join(run.problems()[:10])
        pytest.fail(f"-u {h.ADDON} failed: {run.summary()}\n{problems}", pytrace=False)
    after, _run = odoo_run.odoo_shell(odoo, db, "gaps_after_the_upgrade")
    return {"left": left, "after": after, "run": run}


def pytest_terminal_summary(terminalreporter):
    for what, seconds in h.TIMINGS:
        terminalreporter.write_line(f"duration: {what} {seconds:.0f}s")
    for name in h.KEPT_DBS:
        terminalreporter.write_line(f"KEFU_KEEP_DB=1: kept database {name}")
