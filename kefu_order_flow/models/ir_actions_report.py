# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The flow's printed documents are static HTML: wkhtmltopdf need not wait for
scripts."""

from odoo import models

KEFU_PAPERFORMAT = "kefu_order_flow.paperformat_kefu_sheet"


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
