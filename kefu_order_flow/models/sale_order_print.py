# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What the printed documents need beyond the order's fields: whom to call and
fax on both sides. (The salesperson is Odoo's: the customer's, else the user
who records the order.)"""

from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _kefu_print_contacts(self):
        """The customer's contact, phone and fax, as the sheet prints them."""
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        contact = self.partner_id if self.partner_id != customer else False
        if not contact:
            contact = customer.child_ids.filtered(
                lambda child: child.type == "contact" and child.active
            )[:1]
        person = contact or customer
        return {
            "contact": contact,
            "phone": person.phone or person.mobile or customer.phone,
            "fax": person.kefu_fax or customer.kefu_fax,
        }
