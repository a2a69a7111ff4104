"""Odoo's own ``sale`` and ``sale_stock`` suites with the add-on installed.

The orders those suites create are outside the flow's scope (no scope selects
them), so they must end as they end on the same Odoo without the add-on: the
same failures, no more, no fewer. The add-on is installed on a fresh database
first; then Odoo runs the two modules' tests on it without updating anything,
which runs their ``post_install`` tests with the add-on's whole registry
loaded. (Their ``at_install`` tests run while the module itself is installed,
before any module that depends on it is loaded: the add-on can never be in
their registry.)
"""

import re

import pytest

import odoo_harness as h
import odoo_run

# Their post_install tests only: run outside an installation, the at_install
# tests of `sale` would meet the NOT NULL columns of every module installed
# after it (sale_stock's as much as the add-on's) in a registry without them.
CORE_TAGS = "post_install/sale,post_install/sale_stock"

# Measured on the same Odoo 18.0 without the add-on (a database with
# sale_management, sale_stock and spreadsheet_dashboard, no demo data, the
# same command): this many tests ran, and these failed: {test: reason}.
BASELINE_RUN = 298
_DISCOUNT = "odoo.addons.sale.tests.test_sale_order_discount:TestSaleOrderDiscount."
_NO_ES = (
    "fails without the add-on too: it expects Odoo's Spanish translation, and "
    "this Odoo 18.0 ships sale's zh_CN.po and sale.pot only"
)
BASELINE_FAILURES = {
    "odoo.addons.sale.tests.test_product_attribute_value:"
    "TestProductAttributeValue.test_attribute_values_deletion_or_archiving": (
        "fails without the add-on too: its tour looks for the menu Sales > "
        "Configuration > Attributes, shown only to the product variants group, "
        "which a database without demo data does not enable"
    ),
    _DISCOUNT + "test_discount_translation": _NO_ES,
    _DISCOUNT + "test_discount_translation_tax_groups": _NO_ES,
}

_FAILURE_RE = re.compile(r"^(?:FAIL|ERROR): (?P<test>\S+)")


def failed_tests(run):
    """``logger:Class.method`` of every failed or erroring Odoo test."""
    failed = set()
    for rec in run.records:
        if rec["level"] not in ("ERROR", "CRITICAL"):
            continue
        m = _FAILURE_RE.match(rec["msg"])
        if m:
            failed.add(f"{rec['logger']}:{m['test']}")
    return failed


def test_core_suites_as_without_the_addon(odoo, fresh_db):
    db = fresh_db("core")
    install = odoo_run.run_odoo(odoo, db, ["-i", h.ADDON], log_name="core-install")
    assert install.returncode == 0 and not install.problems(), install.summary()
    run = odoo_run.run_odoo(
        odoo,
        db,
        ["--test-tags", CORE_TAGS, "--log-level=test"],
        log_name="core-suites",
    )
    print(run.summary())
    result = run.test_result()
    assert result is not None, f"no test report in the log\n{run.summary()}"
    _failed, _errors, ran = result
    failed = failed_tests(run)
    new = sorted(failed - set(BASELINE_FAILURES))
    gone = sorted(set(BASELINE_FAILURES) - failed)
    if new or gone:
        pytest.fail(
            f"{run.summary()}\nfailing with the add-on only: {new}\n"
            f"failing without the add-on only: {gone}",
            pytrace=False,
        )
    assert ran == BASELINE_RUN, (
        f"{ran} tests ran, {BASELINE_RUN} without the add-on\n{run.summary()}"
    )
