# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""To 18.0.1.5.0, where the customer's insistence on the old formula (F7) is
the customer's choice, recorded by customer service with the customer's
written confirmation (Record the Customer's Formula Choice), no longer a box
the technical department ticks on its statement.

A technical confirmation whose box was ticked told that the formula question
was open: it now says the process formula changed, so the order waits for the
customer's recorded choice, or keeps the one recorded. Odoo drops the box's
column with its field once the upgrade has loaded the add-on: this runs before.
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        SELECT 1 FROM information_schema.columns
         WHERE table_name = 'kefu_tech_confirmation'
           AND column_name = 'old_formula_confirmed'
        """
    )
    if not cr.fetchone():
        return
    cr.execute(
        """
        UPDATE kefu_tech_confirmation
           SET formula_changed = TRUE
         WHERE old_formula_confirmed AND formula_changed IS NOT TRUE
        """
    )
