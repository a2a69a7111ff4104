#!/usr/bin/env python3
"""Benchmark of the returned-scan reader: pages per second.

Builds a returned batch of ``--pages`` fax pages (200 × 100 dpi, black and
white, each turned by a different small angle) from a confirmation sheet PDF,
one page in ten blank, as one PDF (what a fax-to-mail gateway sends) and as
one multi-page TIFF, and times ``kefu_order_flow/tools/kefu_scan.read_scan``
(poppler + Pillow + zxing-cpp: the work ``sale.order.kefu_match_scan`` does
per page besides one indexed search per code).

The sheet is ``--sheet`` (e.g. the PDF written by ``bench/bench_sheet.py
--lines 3``), else a stand-in A4 page drawn with Odoo's own QR engine
(reportlab): the same code size, level and text as on the sheet. Needs no
database; runs with Odoo's Python (found as the other benchmarks find it).

    python3 bench/bench_scan.py --pages 20
    python3 bench/bench_scan.py --pages 20 --sheet /tmp/sheet-3.pdf
"""

import argparse
import importlib.util
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _odoo  # noqa: E402

try:  # Pillow, reportlab and zxing-cpp are in Odoo's Python: run with it.
    import PIL  # noqa: F401
except ImportError:
    _python = _odoo.odoo_python()
    if not _python or os.environ.get("KEFU_BENCH_REEXEC"):
        sys.exit("Pillow is missing: run with Odoo's Python or set ODOO_PYTHON")
    os.environ["KEFU_BENCH_REEXEC"] = "1"
    os.execv(_python, [_python, __file__, *sys.argv[1:]])

ADDON = Path(__file__).resolve().parent.parent / "kefu_order_flow"


def load(name, path):
    """A module of the add-on that needs no Odoo, without importing the add-on."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


kefu_scan = load("kefu_scan", ADDON / "tools" / "kefu_scan.py")
kefu_qr = load("kefu_qr", ADDON / "tools" / "kefu_qr.py")
fax = load("fax", ADDON / "tests" / "fax.py")


def stand_in_sheet(order_id):
    """An A4 page (PDF) with the sheet's QR code (32 mm, level M) and text."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode import createBarcodeDrawing
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    payload = kefu_qr.payload(order_id, f"S{order_id:05d}", 1, "ABCD-2345")
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("Helvetica", 9)
    for row in range(60):
        pdf.drawString(15 * mm, (270 - row * 4) * mm, f"Line {row}: BOPP 20um x 1000mm")
    drawing = createBarcodeDrawing(
        "QR", value=payload, width=32 * mm, height=32 * mm, barLevel="M"
    )
    renderPDF.draw(drawing, pdf, 160 * mm, 245 * mm)
    pdf.drawString(150 * mm, 242 * mm, payload)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--sheet", help="a confirmation sheet PDF (first page used)")
    args = parser.parse_args()

    sheet = Path(args.sheet).read_bytes() if args.sheet else None
    pages = []
    for number in range(args.pages):
        if number % 10 == 9:
            pages.append(fax.blank_page())
            continue
        angle = (-3, -1.5, 1, 2.5, 3.5)[number % 5]
        source = sheet or stand_in_sheet(number + 1)
        pages.append(fax.fax_page(fax.rasterise(source)[0], angle))
    batches = {"PDF": fax.to_pdf(pages), "TIFF": fax.to_tiff(pages)}
    for kind, data in batches.items():
        start = time.perf_counter()
        found = kefu_scan.read_scan(data)
        seconds = time.perf_counter() - start
        read = sum(1 for texts in found if texts)
        print(
            f"{kind}: {len(found)} pages ({len(data) // 1024} KiB) in {seconds:.2f} s "
            f"= {len(found) / seconds:.1f} pages/s; codes read on {read} pages, "
            f"{len(found) - read} without"
        )


if __name__ == "__main__":
    sys.exit(main())
