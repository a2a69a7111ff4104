# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What a fax machine does to a sheet, for the scan tests and the benchmark.
Needs no Odoo: poppler's pdftoppm and Pillow.

A PDF page is drawn at 200 dpi, turned a few degrees (the paper went in
askew), sampled at 100 dpi down the page (a fax's standard resolution:
200 × 100 dpi) and cut to black and white at a fixed threshold, as a fax
machine's scanner does.
"""

import io
import os
import subprocess
import tempfile

from PIL import Image

FAX_DPI = (200, 100)


def rasterise(pdf, dpi=200):
    """The pages of ``pdf`` (bytes) as greyscale images at ``dpi``."""
    with tempfile.TemporaryDirectory(prefix="kefu_fax_") as tmp:
        source = os.path.join(tmp, "in.pdf")
        with open(source, "wb") as file:
            file.write(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-gray", source, os.path.join(tmp, "p")],
            check=True,
            capture_output=True,
        )
        names = sorted(
            (n for n in os.listdir(tmp) if n.startswith("p")),
            key=lambda n: int(n.rsplit("-", 1)[1].split(".")[0]),
        )
        pages = []
        for name in names:
            with Image.open(os.path.join(tmp, name)) as image:
                pages.append(image.convert("L"))
        return pages


def fax_page(page, angle=2.5, threshold=150):
    """One 200-dpi greyscale page as a fax receives it: 1-bit, 200 × 100 dpi."""
    turned = page.rotate(
        angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255
    )
    halved = turned.resize(
        (turned.width, turned.height * FAX_DPI[1] // FAX_DPI[0]),
        Image.Resampling.BILINEAR,
    )
    faxed = halved.point(lambda p: 255 if p > threshold else 0).convert("1")
    faxed.info["dpi"] = FAX_DPI
    return faxed


def fax_pdf(pdf, angle=2.5):
    """Every page of ``pdf`` as a fax receives it."""
    return [fax_page(page, angle) for page in rasterise(pdf)]


def blank_page():
    """An empty A4 page as a fax receives it."""
    page = Image.new("1", (1654, 1170), 1)
    page.info["dpi"] = FAX_DPI
    return page


def to_png(page):
    buffer = io.BytesIO()
    page.save(buffer, "PNG", dpi=FAX_DPI)
    return buffer.getvalue()


def to_tiff(pages):
    """A multi-page fax TIFF (CCITT group 4, 200 × 100 dpi), as gateways send."""
    buffer = io.BytesIO()
    pages[0].save(
        buffer,
        "TIFF",
        save_all=True,
        append_images=pages[1:],
        compression="group4",
        dpi=FAX_DPI,
    )
    return buffer.getvalue()


def to_pdf(pages):
    """A PDF of fax pages, as a fax-to-mail gateway sends it: each page
    stretched back to square pixels (200 dpi) in a page of its paper size."""
    square = [
        page.resize(
            (page.width, page.height * FAX_DPI[0] // FAX_DPI[1]),
            Image.Resampling.NEAREST,
        )
        for page in pages
    ]
    buffer = io.BytesIO()
    square[0].save(
        buffer, "PDF", save_all=True, append_images=square[1:], resolution=200.0
    )
    return buffer.getvalue()
