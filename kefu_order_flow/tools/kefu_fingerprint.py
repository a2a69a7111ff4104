# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The fingerprint of a confirmation sheet's content. Needs no Odoo."""

import base64
import hashlib
import json


def dumps(items):
    """``items`` (JSON-serialisable sheet content) as canonical JSON text."""
    return json.dumps(
        items, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )


def fingerprint(items):
    """A short code of ``items``.

    The same content gives the same code on every run and every machine; any
    difference gives another. Eight base-32 characters in two groups of four
    (``ABCD-2345``) survive a fax and are read out over the phone without doubt.
    """
    # Eight base-32 characters are the first five bytes of the digest.
    digest = hashlib.sha256(dumps(items).encode()).digest()
    code = base64.b32encode(digest[:5]).decode()
    return f"{code[:4]}-{code[4:]}"
