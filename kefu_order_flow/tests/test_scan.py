# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from ..tools import kefu_qr
from . import fax
from .common import KefuCase


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 02:00:00")
class TestScanMatch(KefuCase, HttpCase):
    """Returned scans matched by the sheet's QR code (issue 12, items 3 and 4):
    sheets rendered by the real report (an HttpCase: wkhtmltopdf fetches the
    report's assets from the test server), faxed (200 × 100 dpi, turned, black
    and white) and read back."""

    def setUp(self):
        super().setUp()
        self.order = self._sent_order()
        self.order2 = self._sent_order()

    def _send(self, order):
        # A real PDF kept with the version, not the HTML tests get by default.
        order.with_user(self.clerk).with_context(
            force_report_rendering=True
        ).action_kefu_send_sheet()

    def _sent_order(self):
        order = self._order()
        self._to_review(order)
        self._sign_tech(order)
        self._sign_production(order)
        self._send(order)
        return order

    def _sheet_pdf(self, order):
        return base64.b64decode(order.kefu_sheet_version_id.attachment_id.datas)

    def _scan(self, data, name="scan.bin"):
        return (
            self.env["ir.attachment"]
            .with_user(self.clerk)
            .create({"name": name, "raw": data})
        )

    def _match(self, attachment):
        return (
            self.env["sale.order"].with_user(self.clerk).kefu_match_scan(attachment.id)
        )

    def test_sheet_carries_its_code(self):
        version = self.order.kefu_sheet_version_id
        payload = version._get_qr_payload()
        self.assertEqual(
            kefu_qr.parse(payload),
            {
                "order_id": self.order.id,
                "name": self.order.name,
                "version": 1,
                "fingerprint": version.fingerprint,
            },
        )
        self.assertTrue(version._get_qr_url().startswith("/report/barcode/QR/KEFU:"))
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "kefu_order_flow.action_report_kefu_confirmation_sheet", self.order.ids
            )[0]
            .decode()
        )
        self.assertIn(payload, html)
        self.assertIn("data:image/png;base64,", html)

    def test_faxed_png_matches_order_and_version(self):
        page = fax.fax_pdf(self._sheet_pdf(self.order), angle=3)[0]
        self.assertEqual(page.mode, "1")
        result = self._match(self._scan(fax.to_png(page), "fax.png"))
        self.assertEqual(
            result,
            [
                {
                    "page": 1,
                    "order_id": self.order.id,
                    "version": 1,
                    "current": True,
                    "fingerprint": self.order.kefu_sheet_version_id.fingerprint,
                }
            ],
        )

    def test_faxed_tiff_turned_the_other_way(self):
        pages = fax.fax_pdf(self._sheet_pdf(self.order2), angle=-2)
        result = self._match(self._scan(fax.to_tiff(pages), "fax.tif"))
        self.assertEqual(result[0]["order_id"], self.order2.id)
        self.assertTrue(result[0]["current"])

    def test_superseded_scan_after_a_content_change(self):
        order = self._sent_order()
        old_scan = self._scan(
            fax.to_png(fax.fax_pdf(self._sheet_pdf(order))[0]), "old.png"
        )
        old_fingerprint = order.kefu_sheet_version_id.fingerprint
        order.order_line.with_user(self.clerk).product_uom_qty = 120
        self._sign_tech(order)
        self._sign_production(order)
        order.with_user(self.clerk).action_kefu_check_prices()
        self._send(order)
        self.assertEqual(order.kefu_sheet_version, 2)
        self.assertNotEqual(order.kefu_sheet_version_id.fingerprint, old_fingerprint)
        [page] = self._match(old_scan)
        self.assertEqual(
            (page["order_id"], page["version"], page["current"]),
            (order.id, 1, False),
        )
        self.assertEqual(page["fingerprint"], old_fingerprint)
        with self.assertRaisesRegex(UserError, "only a return of the last version"):
            order.with_user(self.clerk).action_kefu_register_return(
                True, sheet_version=page["version"], attachment_id=old_scan.id
            )
        self.assertEqual(order.kefu_return_state, "pending")

    def test_three_page_pdf_two_returns_one_blank(self):
        pages = [
            fax.fax_pdf(self._sheet_pdf(self.order), angle=2)[0],
            fax.blank_page(),
            fax.fax_pdf(self._sheet_pdf(self.order2), angle=-3)[0],
        ]
        result = self._match(self._scan(fax.to_pdf(pages), "batch.pdf"))
        self.assertEqual(
            [(r["page"], r["order_id"], r["current"]) for r in result],
            [(1, self.order.id, True), (2, False, False), (3, self.order2.id, True)],
        )

    def test_foreign_or_doctored_codes_match_nothing(self):
        version = self.order.kefu_sheet_version_id
        sale = self.env["sale.order"]
        for text in (
            "hello",
            kefu_qr.payload(self.order.id, "S99999", 1, version.fingerprint),
            kefu_qr.payload(self.order.id, self.order.name, 1, "AAAA-AAAA"),
            kefu_qr.payload(self.order.id, self.order.name, 7, version.fingerprint),
        ):
            self.assertFalse(sale._kefu_match_page(1, [text])["order_id"], text)

    def test_not_a_scan(self):
        with self.assertRaisesRegex(UserError, "cannot be read as a scan"):
            self._match(self._scan(b"plain text", "note.txt"))
