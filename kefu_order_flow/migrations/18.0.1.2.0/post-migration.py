# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""From 18.0.1.0.0, where every sales order went through the flow, to the
flow's scopes (``kefu.flow.scope``).

The orders keep their stages: ``kefu_stage`` only lost its ``required`` (Odoo
drops the column's NOT NULL itself). So that nothing changes until an
administrator narrows it, every company gets one scope without team or filter:
its new orders keep entering the flow, as they did.
"""

from odoo import SUPERUSER_ID, api

SCOPE_NAMES = {
    "en_US": "All orders of %s (kept at the upgrade)",
    "zh_CN": "%s 全部订单（升级时保留）",
}


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    Scope = env["kefu.flow.scope"].with_context(active_test=False)
    languages = {code for code, _name in env["res.lang"].get_installed()}
    for company in env["res.company"].with_context(active_test=False).search([]):
        if Scope.search_count([("company_id", "=", company.id)]):
            continue
        scope = Scope.create(
            {"name": SCOPE_NAMES["en_US"] % company.name, "company_id": company.id}
        )
        if "zh_CN" in languages:
            scope.with_context(lang="zh_CN").name = SCOPE_NAMES["zh_CN"] % company.name
