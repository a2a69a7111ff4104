# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The text of the QR code printed on a confirmation sheet. Needs no Odoo.

``KEFU:<order id>:<order number>:<version>:<fingerprint>``: the order's id
finds it, its number and the fingerprint check that the code belongs to the
order and to the content that was sent. Upper case, digits and ``:-/`` stay in
the QR code's alphanumeric mode, the densest one: fewer, larger modules that a
fax at 100 dpi still resolves.
"""

import re

PREFIX = "KEFU"
_PAYLOAD = re.compile(
    r"^KEFU:(?P<order_id>\d+):(?P<name>.+):(?P<version>\d+):"
    r"(?P<fingerprint>[A-Z2-7]{4}-[A-Z2-7]{4})$"
)


def payload(order_id, order_name, version, fingerprint):
    """The QR text of one sent version."""
    return f"{PREFIX}:{int(order_id)}:{order_name}:{int(version)}:{fingerprint}"


def parse(text):
    """The parts of a QR text read from a scan, or None if it is not ours."""
    match = _PAYLOAD.match((text or "").strip())
    if not match:
        return None
    return {
        "order_id": int(match["order_id"]),
        "name": match["name"],
        "version": int(match["version"]),
        "fingerprint": match["fingerprint"],
    }
