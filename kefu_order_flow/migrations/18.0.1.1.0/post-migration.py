# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""18.0.1.1.0: each sheet version keeps the content it was sent with.

Versions sent by 18.0.1.0.0 kept only a fingerprint of what 18.0.1.0.0 counted
as the sheet (``_legacy_items`` below, as that release computed it). For the
version in force of each order, that fingerprint is computed again from the
order as it is: where it is the one sent, the order still says what was sent,
and its content today becomes the version's content. Where it is not, the
content was moved without voiding the version: the version keeps no content
and its printed fingerprint stands for it, which no content has, so the
integrity check and every gate report the order until a change order and a
new sheet settle it. Superseded and void versions keep no content (their
order has moved on since). The printed fingerprint of every version stays as
the customer has it on paper: returned scans still match their QR code."""

import logging

from odoo import SUPERUSER_ID, api

from odoo.addons.kefu_order_flow.models.kefu_common import transition
from odoo.addons.kefu_order_flow.tools import kefu_fingerprint

_logger = logging.getLogger(__name__)


def _legacy_items(order):
    """The sheet items as 18.0.1.0.0 fingerprinted them."""
    lines = order.order_line.filtered(
        lambda line: not line.display_type and not line.is_downpayment
    )
    return {
        "customer": order.partner_id.commercial_partner_id.id,
        "contact": order.partner_id.id,
        "delivery": order.partner_shipping_id.id,
        "payment_term": order.payment_term_id.id,
        "pricelist": order.pricelist_id.id,
        "currency": order.currency_id.name,
        "requested": order.kefu_requested_date,
        "special": order.kefu_special_notes or "",
        "sheet_date": order.kefu_sheet_date,
        "lines": [
            [
                line.product_id.id,
                line.name,
                round(line.product_uom_qty, 6),
                line.product_uom.id,
                round(line.price_unit, 6),
                round(line.discount, 6),
                sorted(line.tax_id.ids),
                line.kefu_spec or "",
                line.kefu_packaging or "",
                round(line.kefu_tolerance_pct, 6),
            ]
            for line in lines.sorted(lambda li: li.id)
        ],
    }


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    versions = env["kefu.sheet.version"].search(
        [("state", "=", "current"), ("content_fingerprint", "=", False)]
    )
    kept = moved = 0
    for sheet in versions:
        order = sheet.order_id.with_context(active_test=False)
        if kefu_fingerprint.fingerprint(_legacy_items(order)) == sheet.fingerprint:
            vals = {
                "content": order._kefu_sheet_content(),
                "content_fingerprint": order.kefu_content_fingerprint,
            }
            kept += 1
        else:
            # Never the fingerprint of a content: the order differs until
            # settled.
            vals = {"content_fingerprint": sheet.fingerprint}
            moved += 1
            _logger.info(
                "%s: the order differs from sheet version %s as sent; the version "
                "keeps no content and the integrity check reports the order.",
                order.name,
                sheet.version,
            )
        # The order's signed fingerprint follows the version (a stored compute).
        transition(sheet).write(vals)
    _logger.info(
        "sheet versions in force: %s keep their content, %s differ from the order",
        kept,
        moved,
    )
