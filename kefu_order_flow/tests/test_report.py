# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import shutil
import subprocess
import tempfile
import unicodedata
import unittest

from freezegun import freeze_time

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
        cls._load_zh_cn()
        cls.customer_b.lang = "zh_CN"
        cls.pricelist.currency_id = cls.env.ref("base.CNY")

    def _pdf_text(self, order):
        pdf, _kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "kefu_order_flow.action_report_kefu_confirmation_sheet", order.ids
            )
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
