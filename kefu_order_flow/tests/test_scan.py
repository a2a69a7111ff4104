# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import base64
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from odoo.addons.base.tests.test_ir_cron import CronMixinCase

from ..tools import kefu_qr
from . import fax
from .common import KefuCase


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 02:00:00")
class TestScanMatch(KefuCase, HttpCase):
    """Returned scans matched by the sheet's QR code:
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


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 02:00:00")
class TestScanInbox(KefuCase, HttpCase, CronMixinCase):
    """The Returned Sheets inbox and its mail alias."""

    _send = TestScanMatch._send
    _sent_order = TestScanMatch._sent_order
    _sheet_pdf = TestScanMatch._sheet_pdf

    def _batch(self, *orders, blank_after=1):
        pages = [fax.fax_pdf(self._sheet_pdf(order))[0] for order in orders]
        pages.insert(blank_after, fax.blank_page())
        return fax.to_pdf(pages)

    def test_drop_one_file_with_many_returns(self):
        order, order2, order3 = (self._sent_order() for _i in range(3))
        batch = self._batch(order, order2)
        # order3's sheet went out again after a change: its old page is flagged.
        old_page = fax.to_png(fax.fax_pdf(self._sheet_pdf(order3))[0])
        order3.order_line.with_user(self.clerk).product_uom_qty = 150
        self._sign_tech(order3)
        self._sign_production(order3)
        order3.with_user(self.clerk).action_kefu_check_prices()
        self._send(order3)
        Attachment = self.env["ir.attachment"].with_user(self.clerk)
        files = Attachment.create({"name": "fax-0302.pdf", "raw": batch}) | (
            Attachment.create({"name": "photo.png", "raw": old_page})
        )
        inbox = (
            self.env["kefu.scan.inbox"]
            .with_user(self.clerk)
            .create({"file_ids": [(6, 0, files.ids)]})
        )
        pages = inbox.page_ids.sorted(lambda p: (p.file_id.id, p.page))
        self.assertEqual(
            [(p.page, p.order_id, p.version, p.state) for p in pages],
            [
                (1, order, 1, "draft"),
                (2, order.browse(), 0, "unread"),
                (3, order2, 1, "draft"),
                (1, order3, 1, "superseded"),
            ],
        )
        self.assertEqual((inbox.to_check_count, inbox.unread_count), (3, 1))
        first, blank, third, old = pages
        # The check stays human: accept with the signer, or reject with a reason.
        first.signer = "王 经理"
        first.action_accept()
        self.assertEqual(order.kefu_stage, "returned")
        self.assertEqual(first.state, "accepted")
        self.assertEqual(first.return_id.sheet_version_id, order.kefu_sheet_version_id)
        self.assertEqual(first.return_id.attachment_id.res_id, order.id)
        third.write({"reject_reason": "other", "note": "缺盖章"})
        third.action_reject()
        self.assertEqual(order2.kefu_return_state, "rejected")
        with self.assertRaisesRegex(UserError, "no longer the current version"):
            old.action_accept()
        self.assertEqual(order3.kefu_return_state, "pending")
        # The version a page answers is its code's: no caller re-binds the old
        # page to the version in force, nor makes a page of its own.
        current = order3.kefu_sheet_version_id
        with self.assertRaisesRegex(UserError, "only through the order flow"):
            old.write({"sheet_version_id": current.id, "state": "draft"})
        with self.assertRaisesRegex(UserError, "Read New Files"):
            self.env["kefu.scan.page"].with_user(self.clerk).create(
                {
                    "inbox_id": inbox.id,
                    "order_id": order3.id,
                    "sheet_version_id": current.id,
                    "state": "draft",
                }
            )
        self.assertEqual((old.version, old.state), (1, "superseded"))
        # A page without a code waits for the clerk to choose its order.
        with self.assertRaisesRegex(UserError, "Choose the order"):
            blank.action_accept()
        blank.order_id = order3
        self.assertEqual(blank.sheet_version_id, order3.kefu_sheet_version_id)
        blank.signer = "张三"
        blank.action_accept()
        self.assertEqual(order3.kefu_stage, "returned")
        with self.assertRaisesRegex(UserError, "matched by its QR code"):
            first.order_id = order2

    def test_alias_creates_the_inbox_entry(self):
        order = self._sent_order()
        batch = self._batch(order)
        alias = self.env.ref("kefu_order_flow.mail_alias_kefu_returns")
        self.assertEqual(alias.alias_model_id.model, "kefu.scan.inbox")
        message = MIMEMultipart()
        message["From"] = "Fax Gateway <fax-gateway@fax.example.com>"
        message["To"] = "kefu-returns@film.example.com"
        message["Subject"] = "Fax from +86 21 5555 0100 (2 pages)"
        message["Message-Id"] = "<fax-0302-0001@fax.example.com>"
        message["Date"] = "Mon, 02 Mar 2026 10:00:00 +0800"
        message.attach(MIMEText("2 pages received.", "plain"))
        part = MIMEApplication(batch, "pdf")
        part.add_header("Content-Disposition", "attachment", filename="fax.pdf")
        message.attach(part)
        cron = self.env.ref("kefu_order_flow.ir_cron_kefu_read_scans")
        with self.capture_triggers(cron.id) as triggers:
            thread_id = self.env["mail.thread"].message_process(
                False, message.as_bytes()
            )
        inbox = self.env["kefu.scan.inbox"].browse(thread_id)
        self.assertEqual(inbox.name, "Fax from +86 21 5555 0100 (2 pages)")
        self.assertIn("fax-gateway@fax.example.com", inbox.email_from)
        self.assertEqual(inbox.file_ids.mapped("name"), ["fax.pdf"])
        # The gateway only files the pages: the reader runs in its own
        # transaction, triggered at once.
        self.assertFalse(inbox.page_ids)
        self.assertTrue(inbox.to_read)
        self.assertEqual(len(triggers.records), 1)
        self.assertEqual(self.env["kefu.scan.inbox"]._cron_kefu_read_scans(), 1)
        self.assertFalse(inbox.to_read)
        self.assertEqual(self.env["kefu.scan.inbox"]._cron_kefu_read_scans(), 0)
        self.assertEqual(
            [(p.page, p.order_id, p.state) for p in inbox.page_ids.sorted("page")],
            [(1, order, "draft"), (2, order.browse(), "unread")],
        )
