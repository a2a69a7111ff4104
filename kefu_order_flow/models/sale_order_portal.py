# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The portal signature (Odoo's, on /my/orders/<id>) as the signed return of
the sheet version the customer sees (F11). It never releases by itself."""

from odoo import SUPERUSER_ID, models

from .kefu_common import in_company_lang, transition


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _has_to_be_signed(self):
        """The customer signs the sheet version waiting for its return, and
        nothing else: not before the sheet is sent, not an outdated version."""
        self.ensure_one()
        if not self.kefu_stage:  # outside the flow's scope: Odoo's rule
            return super()._has_to_be_signed()
        version = self.kefu_sheet_version_id
        return (
            self.kefu_stage == "sheet_sent"
            and self.kefu_return_state == "pending"
            and version.state == "current"
            and self.state in ("draft", "sent")
            and not self.is_expired
            and self.require_signature
            and not (self.signed_on and self.signed_on >= version.sent_at)
        )

    def _kefu_portal_signs_sheet(self):
        """Whether a portal signature of this order is a return of its sheet."""
        self.ensure_one()
        return self.kefu_stage in ("sheet_sent", "returned", "released")

    def _kefu_portal_signature_error(self, fingerprint, signer):
        """Why the customer cannot sign now (the page's version is outdated, or
        the signer is refused), or False."""
        self.ensure_one()
        version = self.kefu_sheet_version_id
        if (
            not self._has_to_be_signed()
            or not fingerprint
            or fingerprint != version.fingerprint
        ):
            return self.env._(
                "This version of the confirmation sheet is no longer the one "
                "waiting for your signature: reload the page and check the current "
                "version before signing."
            )
        customer = self.partner_id.commercial_partner_id
        Return = self.env["kefu.sheet.return"]
        if self.company_id.kefu_signer_policy == "refuse" and not (
            Return._kefu_is_designated_signer(customer, signer)
        ):
            return self.env._(
                "Only a designated signer of %(customer)s may sign the "
                "confirmation sheet.",
                customer=customer.name,
            )
        return False

    def _kefu_register_portal_return(self, signer):
        """Register the portal signature as the accepted return of the current
        version, with the signature image as the proof; the clerk is told by
        the activity the customer's action schedules. A signer who is not a
        designated signer leaves the return to the clerk and the supervisor."""
        self.ensure_one()
        # Recorded by OdooBot: the acting user is the customer or the public
        # user; the notes are for the staff, in the company's language.
        order = in_company_lang(self.with_user(SUPERUSER_ID), self.company_id)
        version = order.kefu_sheet_version_id
        if not order.env["kefu.sheet.return"]._kefu_is_designated_signer(
            order.partner_id, signer
        ):
            order.message_post(
                body=order.env._(
                    "Version %(version)s of the sheet was signed on the portal by "
                    "%(signer)s, who is not a designated signer: the supervisor "
                    "checks it and registers the return.",
                    version=version.version,
                    signer=signer,
                ),
                subtype_xmlid="mail.mt_note",
            )
            return False
        scan = order.env["ir.attachment"].create(
            {
                "name": f"{order.name}-v{version.version}-signature.png",
                "datas": order.signature,
                "res_model": "sale.order",
                "res_id": order.id,
            }
        )
        return transition(order).action_kefu_register_return(
            True,
            note=order.env._(
                "Signed on the portal by %(signer)s (version %(version)s, "
                "fingerprint %(fingerprint)s).",
                signer=signer,
                version=version.version,
                fingerprint=version.fingerprint,
            ),
            sheet_version=version.version,
            attachment_id=scan.id,
            signer=signer,
        )
