# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The flow's printed documents: a sheet sent is the PDF as sent, the
production order prints only what the customer signed, and both are static
HTML that wkhtmltopdf need not wait for."""

from odoo import models
from odoo.tools import pdf

from .kefu_common import KEFU_TRANSITION

KEFU_PAPERFORMAT = "kefu_order_flow.paperformat_kefu_sheet"
KEFU_SHEET_REPORT = "kefu_order_flow.report_kefu_confirmation_sheet"
KEFU_PRODUCTION_REPORT = "kefu_order_flow.report_kefu_production_order"


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _build_wkhtmltopdf_args(
        self,
        paperformat_id,
        landscape,
        specific_paperformat_args=None,
        set_viewport_size=False,
    ):
        args = super()._build_wkhtmltopdf_args(
            paperformat_id,
            landscape,
            specific_paperformat_args=specific_paperformat_args,
            set_viewport_size=set_viewport_size,
        )
        # The sheet, the production order and the conformity opinion (the
        # reports of this paper format) have no header or footer script and
        # their QR code inline: nothing for wkhtmltopdf to wait for. Odoo makes
        # it wait report.print_delay (1 s by default) on every render, two
        # thirds of a 200-line sheet's time (bench/bench_sheet.py --breakdown).
        ours = self.env["ir.model.data"]._xmlid_to_res_id(KEFU_PAPERFORMAT)
        if paperformat_id.id == ours and "--javascript-delay" in args:
            args[args.index("--javascript-delay") + 1] = "0"
        return args

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        report = self._get_report(report_ref)
        ids = [res_ids] if isinstance(res_ids, int) else list(res_ids or [])
        orders = self.env["sale.order"].browse(ids)
        if report.report_name == KEFU_PRODUCTION_REPORT:
            # Production is given only what the customer signed.
            orders._kefu_check_contract()
        if (
            report.report_name != KEFU_SHEET_REPORT
            or not ids
            or self.env.context.get("kefu_sheet_next") is KEFU_TRANSITION
        ):
            return super()._render_qweb_pdf(report_ref, res_ids, data)
        # A version sent is the document the customer has: printed again, it
        # is the PDF as sent, never a new rendering.
        sent = {
            order.id: order._kefu_contract_version().sudo().attachment_id.raw
            for order in orders
        }
        if not any(sent.values()):
            return super()._render_qweb_pdf(report_ref, res_ids, data)
        pdfs = []
        for res_id in ids:
            rendered = not sent[res_id] and super()._render_qweb_pdf(
                report_ref, [res_id], data
            )
            pdfs.append(sent[res_id] or rendered[0])
        return (pdfs[0] if len(pdfs) == 1 else pdf.merge_pdf(pdfs)), "pdf"
