"""Install the add-on on fresh databases and run its Odoo test suite."""

import re

import pytest

import odoo_harness as h
import odoo_run

# Where the demo XML takes each demo order (demo/kefu_demo_sale_order_flow.xml).
DEMO_STAGES = {
    "demo_order_approved": "released",
    "demo_order_backfill": "released",
    "demo_order_deposit": "returned",
    "demo_order_done": "done",
    "demo_order_intake": "intake",
    "demo_order_intake_fax": "intake",
    "demo_order_rejected": "sheet_sent",
    "demo_order_review": "review",
    "demo_order_shipped": "shipped",
    "demo_order_slipping": "sheet_sent",
}

# The demo's department users (demo/kefu_demo_company.xml), each with work.
DEMO_DEPARTMENTS = (
    "clerk",
    "assistant",
    "supervisor",
    "director",
    "technician",
    "production",
    "finance",
    "shipping",
)


def _addon_has_tests():
    tests = h.ADDON_DIR / "tests"
    return any(p.name.startswith("test_") for p in tests.glob("*.py"))


def _report(run, problems):
    shown = "\n\n".join(problems[:15])
    more = f"\n... and {len(problems) - 15} more" if len(problems) > 15 else ""
    return f"{run.summary()}\n{len(problems)} problem(s):\n{shown}{more}"


def test_addon_suite(suite_run):
    """-i kefu_order_flow --test-enable: no failure, no error, no warning."""
    _db, run = suite_run
    allow = []
    if not _addon_has_tests():
        # Odoo warns "0 failed, 0 error(s) of 0 tests" when nothing ran.
        allow.append((r"^odoo\.tests\.result$", r" of 0 tests when loading"))
    problems = run.problems(allow)
    if problems:
        pytest.fail(_report(run, problems), pytrace=False)
    assert run.returncode == 0, run.summary()
    result = run.test_result()
    assert result is not None, f"no test report in the log\n{run.summary()}"
    failed, errors, _ran = result
    assert failed == 0 and errors == 0, run.summary()
    # A skipped Odoo test (the tour without Chromium, ...) did not test anything.
    skipped = run.skipped()
    assert not skipped, f"{len(skipped)} Odoo test(s) skipped:\n" + "\n".join(skipped)
    if _addon_has_tests():
        assert run.addon_test_count() > 0, f"no {h.ADDON} test ran\n{run.summary()}"


def test_install_with_demo(odoo, fresh_db):
    """-i kefu_order_flow on a database with demo data: clean log."""
    db = fresh_db("demo", demo=True)
    run = odoo_run.run_odoo(odoo, db, ["-i", h.ADDON], demo=True, log_name="demo")
    print(run.summary())
    problems = run.problems()
    if problems:
        pytest.fail(_report(run, problems), pytrace=False)
    assert run.returncode == 0, run.summary()
    state = h.psql(
        f"SELECT state FROM ir_module_module WHERE name = '{h.ADDON}'", db=db
    )
    if state != "installed":
        pytest.fail(f"{h.ADDON} state is {state!r} after install\n{run.summary()}")
    # The demo XML took each order to its stage, in Chinese.
    rows = h.psql(
        "SELECT d.name, o.kefu_stage FROM sale_order o JOIN ir_model_data d "
        "ON d.model = 'sale.order' AND d.res_id = o.id "
        f"WHERE d.module = '{h.ADDON}' ORDER BY d.name",
        db=db,
    )
    stages = dict(line.split("|") for line in rows.splitlines())
    assert stages == DEMO_STAGES, run.summary()
    summaries = h.psql(
        "SELECT a.summary FROM mail_activity a JOIN ir_model_data d "
        "ON d.model = 'sale.order' AND d.res_id = a.res_id "
        f"WHERE a.res_model = 'sale.order' AND d.module = '{h.ADDON}'",
        db=db,
    ).splitlines()
    assert summaries, "the demo orders have no activity"
    assert all(re.search(r"[\u4e00-\u9fff]", s) for s in summaries), summaries
    # Validating a delivery of the factory asks for no SMS.
    sms = h.psql(
        "SELECT stock_move_sms_validation FROM res_company c JOIN ir_model_data d "
        "ON d.model = 'res.company' AND d.res_id = c.id "
        f"WHERE d.module = '{h.ADDON}' AND d.name = 'demo_company'",
        db=db,
    )
    assert sms == "f", sms
    # Its payment methods are named in Chinese (finance's payment dialog).
    methods = h.psql(
        "SELECT l.name FROM account_payment_method_line l "
        "JOIN account_journal j ON j.id = l.journal_id "
        "JOIN ir_model_data d ON d.model = 'res.company' AND d.res_id = j.company_id "
        f"WHERE d.module = '{h.ADDON}' AND d.name = 'demo_company'",
        db=db,
    ).splitlines()
    assert methods and all(re.search(r"[\u4e00-\u9fff]", m) for m in methods), methods
    # Each department opens Customer Service on its own waiting work.
    homes, _run = odoo_run.odoo_shell(odoo, db, "homes")
    for role in DEMO_DEPARTMENTS:
        home = homes[f"kefu_{role}"]
        assert home["action"] == f"{h.ADDON}.sale_order_action_kefu_my_work", home
        assert home["orders"], f"nothing waits for {role} on the demo"
        assert all(home["orders"].values()), (role, home)
