# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import shutil
import subprocess
import tempfile
import unicodedata
import unittest

from freezegun import freeze_time

from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import NOW, KefuCase

# pdftotext maps some glyphs of Noto Sans CJK SC that the font shares with a
# Kangxi or CJK radical back to the radical (户 -> U+2F3E). Map them back.
RADICALS = {"\u2f3e": "户", "\u2ec6": "角", "\u2f04": "乙", "\u2f49": "月"}


def plain(text):
    text = "".join(RADICALS.get(char, char) for char in text)
    return "".join(
        unicodedata.normalize("NFKC", char) if "\u2e80" <= char <= "\u2fdf" else char
        for char in text
    ).replace(" ", "")


@tagged("post_install", "-at_install")
class TestReport(KefuCase, HttpCase):
    """An HttpCase: wkhtmltopdf fetches the report assets from the test server,
    which must share the test's cursor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The sheets sent are kept as rendered: real PDFs here.
        cls.env = cls.env(context=dict(cls.env.context, force_report_rendering=True))
        cls._load_zh_cn()
        cls.customer_b.lang = "zh_CN"
        cls.pricelist.currency_id = cls.env.ref("base.CNY")

    def _pdf_text(self, order, report="action_report_kefu_confirmation_sheet"):
        pdf, _kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(f"kefu_order_flow.{report}", order.ids)
        )
        self.assertTrue(pdf.startswith(b"%PDF"))
        if not shutil.which("pdftotext"):
            raise unittest.SkipTest("pdftotext (poppler-utils) is not installed")
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(pdf)
            handle.flush()
            return subprocess.run(
                ["pdftotext", "-layout", handle.name, "-"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout

    def test_flow_documents_do_not_wait_for_scripts(self):
        """The flow's paper format renders without Odoo's script delay (it
        was 1 s of a 1.4 s render); other reports keep report.print_delay."""
        reports = self.env["ir.actions.report"]

        def delay(paperformat):
            args = reports._build_wkhtmltopdf_args(paperformat, False)
            return args[args.index("--javascript-delay") + 1]

        self.env["ir.config_parameter"].set_param("report.print_delay", "700")
        self.assertEqual(
            delay(self.env.ref("kefu_order_flow.paperformat_kefu_sheet")), "0"
        )
        self.assertEqual(delay(self.env.ref("base.paperformat_euro")), "700")

    @freeze_time(NOW)
    def test_sheet_pdf_in_chinese_with_upper_case_amount(self):
        order = self._order(order_line=[self._line(qty=500.5, price=20.0)])
        self.assertEqual(order.currency_id.name, "CNY")
        self._to_sheet_sent(order)
        text = plain(self._pdf_text(order))
        self.assertIn("销售部客户订单确认书", text)
        # 500.5 × 20 = 10010: 壹万零壹拾元整 (plus tax, if any)
        self.assertIn(order._kefu_amount_in_words(), text)
        self.assertIn("BOPP-20", text)

    @freeze_time("2026-03-02 02:00:00")
    def test_sheet_says_whom_to_call_and_the_customer_order_number(self):
        self.company.phone = "021-5555 0100"
        self.customer_b.user_id = self.salesman
        contact = self.env["res.partner"].create(
            {
                "name": "采购 小李",
                "parent_id": self.customer_b.id,
                "type": "contact",
                "phone": "139 1234 5678",
            }
        )
        self.company.partner_id.kefu_fax = "021-5555 0199"
        contact.kefu_fax = "0512-6666 0199"
        # The salesperson is the customer's, not the clerk who records the order.
        Order = self.env["sale.order"].with_user(self.clerk)
        order = Order.create(
            {
                "partner_id": self.customer_b.id,
                "client_order_ref": "PO-2026-0815",
                "payment_term_id": self.payment_term.id,
                "kefu_requested_date": "2026-03-20",
                "order_line": [self._line()],
            }
        )
        self.assertEqual(order.user_id, self.salesman)
        other = Order.create({"partner_id": self.customer_c.id})
        self.assertEqual(other.user_id, self.clerk, "the clerk only when none")
        self._to_sheet_sent(order)
        text = plain(self._pdf_text(order))
        for expected in ("021-555501", "PO-2026-0815", "采购小李", "13912345678"):
            self.assertIn(expected, text)
        self.assertIn(plain(self.salesman.name), text)
        self.assertIn("021-55550199", text)
        self.assertIn("0512-66660199", text)

    @freeze_time("2026-03-02 02:00:00")
    def test_production_order_has_no_price(self):
        order = self._to_released(self._order(lines=[self._line(qty=117)]))
        text = plain(self._pdf_text(order, "action_report_kefu_production_order"))
        self.assertIn("ProductionOrder", text)  # in the company's language
        self.assertIn("BOPP-20", text)
        self.assertIn("117", text)
        for price in ("20.00", "2,340", "单价", order._kefu_amount_in_words()):
            self.assertNotIn(price, text)
        sheet = plain(self._pdf_text(order))
        self.assertIn("2,340", sheet)

    @freeze_time("2026-03-02 02:00:00")
    def test_conformity_request_per_line_with_units(self):
        order = self._to_released(
            self._order(lines=[self._line(qty=60), self._line(self.film2, qty=40)])
        )
        film, film2 = order.order_line
        statement = (
            self.env["kefu.completion.statement"]
            .with_user(self.producer)
            .create(
                {
                    "order_id": order.id,
                    "completion_date": "2026-03-09",
                    "line_ids": [
                        Command.create({"order_line_id": film.id, "quantity": 59}),
                        Command.create({"order_line_id": film2.id, "quantity": 41}),
                    ],
                }
            )
        )
        statement.action_sign()
        text = plain(self._pdf_text(order, "action_report_kefu_conformity"))
        self.assertIn("BOPP-20·59.00kg", text)
        self.assertIn("PET-12·41.00kg", text)
