"""Uninstalling the add-on leaves a database where core Sales and Inventory
work, and nothing of the add-on behind."""

import re
import time

import pytest

import odoo_harness as h
import odoo_run

# What Odoo keeps, rightly: records of the add-on that the factory's data still
# references (its activity types, by the orders' activities).  Odoo tries to
# delete each, PostgreSQL refuses, Odoo keeps it with its XML id and logs the
# refused query as an ERROR of odoo.sql_db.
KEPT = {"mail.activity.type": "mail_activity_type"}
_KEPT_MODELS = ", ".join(f"'{model}'" for model in KEPT)
_REFUSED_DELETE = re.compile(
    r"ERROR \S+ odoo\.sql_db: bad query: b'DELETE FROM \"(%s)\" WHERE id IN "
    r"\([\d, ]+\)'\nERROR:\s+update or delete on table \"\w+\" violates foreign key"
    % "|".join(KEPT.values())
)
# What the add-on may not leave behind: one query per kind, each listing names.
LEFTOVERS = {
    "ir.model.data records": (
        "SELECT model || ' ' || name FROM ir_model_data "
        f"WHERE module = '{h.ADDON}' AND model NOT IN ({_KEPT_MODELS})"
    ),
    "models": "SELECT model FROM ir_model WHERE model LIKE 'kefu.%'",
    "fields": (
        "SELECT model || '.' || name FROM ir_model_fields WHERE name LIKE 'kefu\\_%'"
    ),
    "views": "SELECT name FROM ir_ui_view WHERE arch_db::text ILIKE '%kefu%'",
    "crons": "SELECT cron_name::text FROM ir_cron WHERE cron_name::text ILIKE '%kefu%'",
    "server actions": (
        "SELECT name::text FROM ir_act_server WHERE code ILIKE '%kefu%' "
        "OR name::text ILIKE '%kefu%'"
    ),
    "reports": (
        "SELECT report_name FROM ir_act_report_xml WHERE report_name ILIKE '%kefu%'"
    ),
    "tables and views": (
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'public' AND table_name ILIKE '%kefu%'"
    ),
    "columns": (
        "SELECT table_name || '.' || column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND column_name ILIKE '%kefu%'"
    ),
    "indexes": "SELECT indexname FROM pg_indexes WHERE indexname ILIKE '%kefu%'",
    "constraints": "SELECT conname FROM pg_constraint WHERE conname ILIKE '%kefu%'",
}


@pytest.fixture(scope="module")
def uninstalled(odoo, fresh_db):
    """A factory's database (no demo data) with the add-on and orders in
    intake, sheet sent, released and done, then the add-on uninstalled as
    Settings > Apps does it."""
    db = fresh_db("uninstall")
    start = time.monotonic()
    install = ["-i", h.ADDON, "--load-language=zh_CN"]
    run = odoo_run.run_odoo(odoo, db, install, log_name=f"{db}-install")
    assert run.returncode == 0 and not run.problems(), run.summary()
    stages, _run = odoo_run.odoo_shell(odoo, db, "factory_orders")
    state, run = odoo_run.odoo_shell(odoo, db, "uninstall")
    h.TIMINGS.append(("install, orders, uninstall", time.monotonic() - start))
    return db, stages, state, run


def test_uninstall_is_clean(uninstalled):
    _db, stages, state, run = uninstalled
    assert sorted(stages.values()) == ["done", "intake", "released", "sheet_sent"]
    assert state == "uninstalled"
    problems = [p for p in run.problems() if not _REFUSED_DELETE.search(p)]
    assert not problems, f"{run.summary()}\n" + "\n\n".join(problems[:15])


@pytest.mark.parametrize("kind", LEFTOVERS)
def test_nothing_left_behind(uninstalled, kind):
    db = uninstalled[0]
    left = h.psql(LEFTOVERS[kind], db=db).splitlines()
    assert not left, f"{len(left)} {kind} left by {h.ADDON}: {left[:20]}"


def test_core_sales_and_inventory_work(odoo, uninstalled):
    """Without the add-on's code on the addons path: every order reads; those
    the flow had not released and a new one confirm and deliver."""
    db, stages = uninstalled[:2]
    result, run = odoo_run.odoo_shell(odoo, db, "core_sales", root=None)
    assert result["read"] == len(stages), result
    assert result["delivered"], result
    for name, states in result["delivered"].items():
        assert states[0] == "sale" and set(states[1:]) == {"done"}, (name, states)
    problems = run.problems()
    assert not problems, "\n\n".join(problems[:10])
