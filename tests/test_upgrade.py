"""A factory's data survives us: the last release's database upgraded to the
working tree keeps every order as it was and runs on; Odoo's own backup of
it, restored, keeps every sent sheet and scan byte for byte."""

import time

import pytest

import odoo_harness as h
import odoo_run
from release_db import RELEASE_VERSION

# The stages the release database holds (its demo and release_db's staging).
STAGES = {
    "intake",
    "review",
    "sheet_sent",
    "returned",
    "released",
    "shipped",
    "done",
    "cancel",
}


def flatten(value, path=""):
    """{"S00012 versions[0].fingerprint": "…", …}: one entry per leaf."""
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = ((f"[{i}]", v) for i, v in enumerate(value))
    else:
        return {path: value}
    out = {}
    for key, item in items:
        sep = "" if key.startswith("[") or not path else "."
        out.update(flatten(item, f"{path}{sep}{key}" if path else key))
    return out


def diff(before, after):
    """Readable lines for every value that moved between two snapshots."""
    old, new = flatten(before), flatten(after)
    lines = []
    for key in sorted(old.keys() | new.keys()):
        if old.get(key, "<missing>") != new.get(key, "<missing>"):
            lines.append(
                f"{key}: {old.get(key, '<missing>')!r} -> {new.get(key, '<missing>')!r}"
            )
    return lines


def unreadable_files(snapshot):
    """Attachments whose bytes no longer give their stored checksum."""
    return [
        f"{key}: {value}"
        for key, value in flatten(snapshot).items()
        if key.endswith(".bytes_sha1")
        and value != flatten(snapshot)[key.replace(".bytes_sha1", ".checksum")]
    ]


def test_release_database_stands_in_every_stage(upgraded):
    before = dict(upgraded["before"])
    del before["kefu records' files"]  # none at the release: its files are the orders'
    stages = {o["order"]["kefu_stage"] for o in before.values()}
    assert stages >= STAGES, f"stages missing: {STAGES - stages}"
    orders = before.values()
    assert any(o["order"]["kefu_backfill_pending"] for o in orders)
    assert any(o["order"]["kefu_price_state"] == "escalated" for o in orders)
    assert any(r["accepted"] is False for o in orders for r in o["returns"])
    under_change = [
        o
        for o in orders
        if o["order"]["state"] == "sale" and o["order"]["kefu_stage"] == "review"
    ]
    assert under_change, "no order under a change order"
    kinds = {r["kind"] for o in orders for r in o["receipts"]}
    assert kinds >= {"deposit", "payment"}, kinds
    sent = [v for o in orders for v in o["versions"] if v["attachment_id"]]
    scans = [r for o in orders for r in o["returns"] if r["attachment_id"]]
    assert sent and scans, "no sent PDF or no returned scan in the filestore"
    assert not unreadable_files(before)


def test_upgrade_log_is_clean(upgraded):
    run = upgraded["run"]
    problems = run.problems()
    assert not problems, f"{run.summary()}\n" + "\n\n".join(problems[:15])
    assert run.returncode == 0, run.summary()


def test_upgrade_installs_the_working_tree_version(upgraded):
    version = h.psql(
        f"SELECT latest_version FROM ir_module_module WHERE name = '{h.ADDON}'",
        db=upgraded["db"],
    )
    assert version == h.read_manifest()["version"]

    def numbers(v):
        return [int(n) for n in v.split(".")]

    assert numbers(RELEASE_VERSION) <= numbers(version)


def test_upgrade_keeps_every_order(upgraded):
    """Stage, state, versions and fingerprints, returns, money, signed
    statements, memos and attachments, byte for byte."""
    moved = diff(upgraded["before"], upgraded["after"])
    assert not moved, f"{len(moved)} value(s) moved by the upgrade:\n" + "\n".join(
        moved[:60]
    )
    assert not unreadable_files(upgraded["after"])


def test_a_ticked_old_formula_box_becomes_the_customers_choice_to_record(
    odoo, upgraded
):
    """18.0.1.5.0 took the 'insists on the old formula' box off the technical
    statement: the customer's choice is recorded by customer service. A
    statement the release ticked now says the formula changed, so its order
    waits for the customer's recorded choice."""
    ticked = upgraded["ticked"]
    assert len(ticked) == 1 and not ticked[0]["formula_changed"], ticked
    after, _run = odoo_run.odoo_shell(odoo, upgraded["db"], "old_formula_statements")
    assert [t["id"] for t in after] == [ticked[0]["id"]]
    assert after[0]["formula_changed"] and after[0]["choice_needed"], after


def test_a_sheet_sent_before_todays_review_is_reviewed_again(upgraded_gaps):
    """18.0.1.6.0: a release asks the sheet version, not the review again, so
    a version must stand for a clear review. One sent under a review that
    today's would stop goes back to review, its version void, with the
    reason in its chatter (the clerk who sent it is told)."""
    name = upgraded_gaps["left"]["order"]
    order = upgraded_gaps["after"]["orders"][name]
    assert order["stage"] == "review"
    told = [
        reason
        for reason in order["void_reasons"]
        if any(reason.split("\n")[0] in note for note in order["notes"])
    ]
    assert told, order
    problems = upgraded_gaps["run"].problems()
    assert not problems, "\n\n".join(problems[:10])


def test_odoos_terms_left_in_english_read_in_chinese_after_the_upgrade(
    upgraded_gaps,
):
    """The add-on's translations of Odoo's terms reach the records Odoo never
    updates (a payment term), and a journal made in English gets its payment
    methods' names in its company's language."""
    assert upgraded_gaps["after"]["term"] == "次月月底"
    assert upgraded_gaps["after"]["methods"] == ["手工收付款", "手工收付款"]


def test_backup_restore_keeps_every_file(odoo, upgraded, tmp_path):
    """Odoo's own backup (a zip with the filestore, as the database manager
    makes it) restored into a new database: the same orders, the same bytes,
    and the integrity check passes."""
    dump = tmp_path / "backup.zip"
    restored = h.fresh_db_name("restored")
    start = time.monotonic()
    odoo_run.odoo_db(odoo, "dump", upgraded["db"], str(dump))
    odoo_run.odoo_db(odoo, "load", restored, str(dump))
    h.TIMINGS.append(("backup and restore", time.monotonic() - start))
    try:
        snapshot, _run = odoo_run.odoo_shell(odoo, restored, "snapshot")
        problems, _run = odoo_run.odoo_shell(odoo, restored, "integrity")
    finally:
        if not h.keep_db():
            h.drop_db(restored)
    moved = diff(upgraded["after"], snapshot)
    assert not moved, "the restore differs:\n" + "\n".join(moved[:60])
    assert not unreadable_files(snapshot)
    assert problems == []


def test_in_flight_orders_run_to_done(odoo, upgraded):
    """After the upgrade, every order still in the flow runs to done through
    the new code, each step as its role."""
    start = time.monotonic()
    try:
        result, run = odoo_run.odoo_shell(odoo, upgraded["db"], "drive_to_done")
    except RuntimeError as exc:
        pytest.fail(str(exc), pytrace=False)
    h.TIMINGS.append(("in-flight orders to done", time.monotonic() - start))
    stuck = {name: r for name, r in result.items() if r["stage"] != "done"}
    assert not stuck, stuck
    started = {r["steps"][0].split("/")[0] for r in result.values()}
    assert started == STAGES - {"done", "cancel"}, result
    problems = run.problems()
    assert not problems, "\n\n".join(problems[:10])
