# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.1.1.0: the deposit percent becomes a term of the order, fixed when the
sheet is sent. Until now every order read its customer's percent; each order
keeps the percent it reads today (the column exists before the ORM sees the
field, so the ORM does not recompute it)."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        "ALTER TABLE sale_order ADD COLUMN IF NOT EXISTS kefu_deposit_percent numeric"
    )
    cr.execute(
        """
        UPDATE sale_order so
           SET kefu_deposit_percent = COALESCE(commercial.kefu_deposit_percent, 0)
          FROM res_partner partner
          JOIN res_partner commercial
            ON commercial.id = COALESCE(partner.commercial_partner_id, partner.id)
         WHERE partner.id = so.partner_id
        """
    )
