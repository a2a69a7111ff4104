# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
import io

from freezegun import freeze_time
from PIL import Image, ImageDraw

from odoo.tests import HttpCase, tagged

from .common import KefuCase


def signature_png():
    """A drawn signature, as Odoo's signature widget posts it (base64 PNG)."""
    image = Image.new("RGBA", (300, 100), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(10, 80), (90, 20), (160, 70), (290, 30)], "black", 4)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


@tagged("post_install", "-at_install")
class TestPortalSignature(KefuCase, HttpCase):
    """The portal signature as the return of the current version, over HTTP
    through sale's own controller."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "王 经理",
                "parent_id": cls.customer_b.id,
                "email": "wang@customer-b.example.com",
            }
        )
        cls.customer_b.with_user(cls.supervisor).kefu_signer_ids = cls.contact

    def _sent_order(self):
        order = self._order(partner_id=self.contact.id, require_signature=True)
        self._to_sheet_sent(order)
        return order

    def _page(self, order):
        url = order.get_portal_url()
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return response.text

    def _sign(self, order, fingerprint, name="王 经理"):
        url = order.get_portal_url(
            suffix="/accept", query_string=f"&kefu_fingerprint={fingerprint}"
        )
        return self.make_jsonrpc_request(
            url, {"name": name, "signature": signature_png()}
        )

    @freeze_time("2026-03-02 02:00:00")
    def test_portal_signature_is_the_return_of_the_current_version(self):
        order = self._sent_order()
        version = order.kefu_sheet_version_id
        page = self._page(order)
        self.assertIn(version.fingerprint, page)
        self.assertIn("/report/barcode/QR/KEFU:", page)
        self.assertIn(f"kefu_fingerprint={version.fingerprint}", page)
        result = self._sign(order, version.fingerprint)
        self.assertFalse(result.get("error"), result)
        order.invalidate_recordset()
        ret = order.kefu_return_ids
        self.assertEqual(order.kefu_stage, "returned")
        self.assertEqual(order.kefu_return_state, "accepted")
        self.assertTrue(ret.accepted)
        self.assertEqual(ret.sheet_version_id, version)
        self.assertEqual(ret.signer, "王 经理")
        self.assertEqual(ret.attachment_id.mimetype, "image/png")
        self.assertEqual(ret.attachment_id.datas, order.signature)
        # Never a release by itself; the clerk is asked to check.
        self.assertIn(order.state, ("draft", "sent"))
        self.assertTrue(
            order.activity_ids.filtered(lambda a: a.user_id == self.clerk),
            "the clerk who sent the sheet has an activity",
        )

    @freeze_time("2026-03-02 02:00:00")
    def test_an_outdated_version_cannot_be_signed(self):
        order = self._sent_order()
        old = order.kefu_sheet_version_id.fingerprint
        order.order_line.with_user(self.clerk).product_uom_qty = 120
        self._sign_tech(order)
        self._sign_production(order)
        order.with_user(self.clerk).action_kefu_check_prices()
        order.with_user(self.clerk).action_kefu_send_sheet()
        self.assertEqual(order.kefu_sheet_version, 2)
        for fingerprint in (old, ""):
            result = self._sign(order, fingerprint)
            self.assertIn("no longer the one waiting", result.get("error", ""))
        order.invalidate_recordset()
        self.assertFalse(order.signature)
        self.assertFalse(order.kefu_return_ids)
        self.assertEqual(order.kefu_return_state, "pending")
        # The current version can be.
        result = self._sign(order, order.kefu_sheet_version_id.fingerprint)
        self.assertFalse(result.get("error"), result)
        order.invalidate_recordset()
        self.assertEqual(order.kefu_return_ids.sheet_version, 2)

    @freeze_time("2026-03-02 02:00:00")
    def test_not_before_the_sheet_is_sent(self):
        order = self._order(partner_id=self.contact.id, require_signature=True)
        self._to_review(order)
        result = self._sign(order, "")
        self.assertTrue(result.get("error"))
        order.invalidate_recordset()
        self.assertFalse(order.signature)
