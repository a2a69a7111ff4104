# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Read the QR codes of a returned scan, page by page. Needs no Odoo.

PDFs are rasterised by poppler's ``pdftoppm`` (Debian ``poppler-utils``, which
the add-on already needs for its report checks): it draws any PDF a fax gateway
or a phone app produces (CCITT G3/G4, JBIG2, JPEG, Flate images) at a chosen
resolution, is packaged by every distribution, and runs as a separate process
that a malformed file cannot crash Odoo with. Images (PNG, JPEG, TIFF with any
number of pages) are opened by Pillow. Codes are read by ``zxing-cpp``.
"""

import io
import os
import re
import subprocess
import tempfile

from PIL import Image, ImageOps, ImageSequence

# A fax is 200 × 100 dpi (fine: 200 × 200): PDF pages are drawn at 200 dpi.
PDF_DPI = 200
PDF_TIMEOUT = 120  # seconds for the whole file
MAX_PAGES = 500
# Pixels past which a page is scaled down before reading (a 600 dpi A4 photo).
MAX_SIDE = 2600


class ScanError(ValueError):
    """The file is not a scan that can be read (not a PDF or an image)."""


def kind_of(data):
    """'pdf', 'image' or None, from the file's first bytes."""
    head = data[:8]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")):
        return "image"
    return None


# The document information a PDF writer leaves: wkhtmltopdf (Odoo's report
# engine) names itself as the creator, Odoo's own PDF writer as "Odoo".
_PDF_MAKER = re.compile(rb"/(?:Creator|Producer)\s*\(((?:\\.|[^\\)])*)\)")


def printed_by_report(data):
    """Whether ``data`` is a PDF that Odoo's report engine printed: a document
    the company sent, never the scan of one that came back."""
    if kind_of(data) != "pdf":
        return False
    for maker in _PDF_MAKER.findall(data):
        if maker.startswith(b"\xfe\xff"):  # UTF-16 text string
            text = maker[2:].decode("utf-16-be", "replace")
        else:
            text = maker.decode("latin-1")
        if "wkhtmltopdf" in text.lower() or text.strip() == "Odoo":
            return True
    return False


def pages_of(data):
    """The pages of a scan as greyscale Pillow images with square pixels."""
    kind = kind_of(data)
    if kind == "pdf":
        return _pdf_pages(data)
    if kind == "image":
        return _image_pages(data)
    raise ScanError("not a PDF, PNG, JPEG or TIFF file")


def _square(image):
    """A fax image is twice as dense across as down (200 × 100 dpi): stretch
    it to square pixels so the code's squares are square again."""
    image = ImageOps.exif_transpose(image)
    x_dpi, y_dpi = (float(value or 0) for value in image.info.get("dpi") or (0, 0))
    if x_dpi and y_dpi and abs(x_dpi - y_dpi) > 1:
        if y_dpi < x_dpi:
            size = (image.width, round(image.height * x_dpi / y_dpi))
        else:
            size = (round(image.width * y_dpi / x_dpi), image.height)
        image = image.resize(size, Image.Resampling.NEAREST)
    image = image.convert("L")
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    return image


def _image_pages(data):
    try:
        image = Image.open(io.BytesIO(data))
        pages = []
        for frame in ImageSequence.Iterator(image):
            page = frame.copy()
            page.info.setdefault("dpi", image.info.get("dpi"))
            pages.append(_square(page))
            if len(pages) >= MAX_PAGES:
                break
        return pages
    except (OSError, Image.DecompressionBombError) as error:
        raise ScanError(str(error)) from error


def _pdf_pages(data):
    with tempfile.TemporaryDirectory(prefix="kefu_scan_") as tmp:
        source = os.path.join(tmp, "scan.pdf")
        with open(source, "wb") as file:
            file.write(data)
        try:
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    str(PDF_DPI),
                    "-gray",
                    "-l",
                    str(MAX_PAGES),
                    source,
                    os.path.join(tmp, "page"),
                ],
                check=True,
                capture_output=True,
                timeout=PDF_TIMEOUT,
            )
        except FileNotFoundError as error:
            raise ScanError("pdftoppm (poppler-utils) is not installed") from error
        except subprocess.CalledProcessError as error:
            raise ScanError(error.stderr.decode(errors="replace")[:300]) from error
        except subprocess.TimeoutExpired as error:
            raise ScanError("the PDF took too long to draw") from error
        names = sorted(
            (name for name in os.listdir(tmp) if name.startswith("page")),
            key=lambda name: int(name.rsplit("-", 1)[1].split(".")[0]),
        )
        pages = []
        for name in names:
            with Image.open(os.path.join(tmp, name)) as image:
                image.load()
                pages.append(_square(image))
        return pages


def read_page(image):
    """The texts of the QR codes on one page, best first (may be empty)."""
    import zxingcpp  # an external dependency: imported when a scan is read

    formats = zxingcpp.BarcodeFormat.QRCode
    texts = []
    # Local thresholds first (uneven faxes and photos), then a global one
    # (clean black-and-white scans), then the page at half size (noise).
    for binarizer in (
        zxingcpp.Binarizer.LocalAverage,
        zxingcpp.Binarizer.GlobalHistogram,
    ):
        for result in zxingcpp.read_barcodes(
            image, formats=formats, binarizer=binarizer
        ):
            if result.text and result.text not in texts:
                texts.append(result.text)
        if texts:
            break
    return texts


def read_scan(data):
    """One list of QR texts per page of the scan ``data`` (bytes)."""
    return [read_page(page) for page in pages_of(data)]
