# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.sale.controllers.portal import CustomerPortal


class KefuCustomerPortal(CustomerPortal):
    @http.route()
    def portal_quote_accept(
        self, order_id, access_token=None, name=None, signature=None
    ):
        """Odoo's portal signature, as the signed return of the sheet version
        the customer saw: the page posts that version's fingerprint, and a
        signature of a version no longer current is refused (F11)."""
        token = access_token or request.httprequest.args.get("access_token")
        try:
            order_sudo = self._document_check_access(
                "sale.order", order_id, access_token=token
            )
        except (AccessError, MissingError):
            order_sudo = None
        signs_sheet = order_sudo is not None and order_sudo._kefu_portal_signs_sheet()
        if signs_sheet:
            error = order_sudo._kefu_portal_signature_error(
                request.httprequest.args.get("kefu_fingerprint"), name
            )
            if error:
                return {"error": error}
        # Odoo's controller confirms as OdooBot (sudo): say it is the
        # customer's action, which records and never releases (F14).
        request.update_context(kefu_customer_side=True)
        result = super().portal_quote_accept(
            order_id, access_token=access_token, name=name, signature=signature
        )
        if signs_sheet and not result.get("error"):
            order_sudo._kefu_register_portal_return(name)
        return result
