# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""To 18.0.1.3.0, where a company may keep the flow's money in Accounting
(``res.company.kefu_money_in_accounting``, on for new companies).

A company that already runs the flow keeps confirming the amounts received on
the order, as its finance does today, until an administrator turns the setting
on: the column is made here, off, before Odoo would fill it with the default.
The receipts already recorded stay as they are and keep counting.
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "ALTER TABLE res_company ADD COLUMN IF NOT EXISTS "
        "kefu_money_in_accounting boolean"
    )
    cr.execute(
        "UPDATE res_company SET kefu_money_in_accounting = FALSE "
        "WHERE kefu_money_in_accounting IS NULL"
    )
