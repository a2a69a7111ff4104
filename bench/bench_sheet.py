#!/usr/bin/env python3
"""Benchmark of the confirmation sheet: render a large order to PDF.

Creates (in a transaction rolled back at the end) a CNY order of ``--lines``
lines for a Chinese customer (lang zh_CN, the add-on's translations loaded),
renders ``kefu_order_flow.action_report_kefu_confirmation_sheet`` with
wkhtmltopdf, prints the seconds and writes the PDF to ``--out``.

wkhtmltopdf fetches the report's CSS from a running Odoo server, so the script
starts one on a free port (``odoo server -d <db> --http-port <port>``), points
``report.url`` at it for the render, and stops it at the end.

    python3 bench/bench_sheet.py --db kefu_bench --out /tmp/sheet-200.pdf
    python3 bench/bench_sheet.py --db kefu_bench --lines 3 --out /tmp/sheet-3.pdf --png
"""

import argparse
import contextlib
import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _odoo  # noqa: E402

_odoo.ensure_odoo(__file__)

from odoo import SUPERUSER_ID, Command, api, fields  # noqa: E402

REPORT = "kefu_order_flow.action_report_kefu_confirmation_sheet"


def make_order(env, lines):
    """A CNY order of ``lines`` lines for a zh_CN customer, in stage sheet_sent."""
    env["res.lang"]._activate_lang("zh_CN")
    env["ir.module.module"].search(
        [("name", "=", "kefu_order_flow")]
    )._update_translations(["zh_CN"])
    company = env.company
    company.write(
        {
            "name": "示例薄膜有限公司",
            "street": "浦东新区张江路 88 号",
            "city": "上海",
            "zip": "201203",
            "country_id": env.ref("base.cn").id,
            "phone": "+86 21 5555 0100",
            "email": "kefu@example.com",
        }
    )
    company.partner_id.tz = "Asia/Shanghai"
    cny = env.ref("base.CNY")
    cny.active = True
    pricelist = env["product.pricelist"].create(
        {"name": "价格执行方案 B (bench)", "currency_id": cny.id}
    )
    grade = env.ref("kefu_order_flow.grade_b")
    customer = env["res.partner"].create(
        {
            "name": "华东包装材料有限公司",
            "is_company": True,
            "lang": "zh_CN",
            "kefu_grade_id": grade.id,
            "property_product_pricelist": pricelist.id,
            "phone": "+86 512 6666 0200",
            "city": "苏州",
            "country_id": env.ref("base.cn").id,
        }
    )
    uom_kg = env.ref("uom.product_uom_kgm")
    kinds = ["BOPP 印刷膜", "PET 复合膜", "CPP 流延膜", "PE 保护膜", "铝箔复合膜"]
    products = env["product.product"].create(
        [
            {
                "name": f"{kinds[index % len(kinds)]} {12 + index % 40}μm",
                "default_code": f"FM-{index + 1:04d}",
                "type": "consu",
                "list_price": 18.5 + (index % 17) * 1.25,
                "uom_id": uom_kg.id,
                "uom_po_id": uom_kg.id,
            }
            for index in range(lines)
        ]
    )
    salesperson = env["res.users"].create(
        {"name": "吴明", "login": "kefu_bench_salesperson", "tz": "Asia/Shanghai"}
    )
    today = fields.Date.context_today(company.partner_id)
    order = env["sale.order"].create(
        {
            "partner_id": customer.id,
            "user_id": salesperson.id,
            "pricelist_id": pricelist.id,
            "payment_term_id": env.ref("account.account_payment_term_30days").id,
            "kefu_channel": "fax",
            "kefu_requested_date": today + datetime.timedelta(days=20),
            "kefu_special_notes": "卷芯内径 76mm，每卷附合格证；外箱标注批号。",
            "order_line": [
                Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_qty": 100.0 + 12.5 * index,
                        "price_unit": product.list_price,
                        "kefu_spec": f"{12 + index % 40}μm × {800 + index % 30 * 10}mm",
                        "kefu_packaging": "纸芯 3 寸，托盘缠绕膜包装",
                        "kefu_tolerance_pct": 5.0,
                    }
                )
                for index, product in enumerate(products)
            ],
        }
    )
    from odoo.addons.kefu_order_flow.models.kefu_common import transition

    transition(order).write(
        {
            "kefu_stage": "sheet_sent",
            "kefu_price_state": "ok",
            "kefu_return_state": "pending",
            "kefu_sheet_date": today + datetime.timedelta(days=12),
            "kefu_sheet_sent_at": fields.Datetime.now(),
        }
    )
    # The version as a send records it: the sheet prints its number and
    # fingerprint.
    version = order._kefu_new_sheet_version(fields.Datetime.now())
    transition(order).write({"kefu_sheet_version_id": version.id})
    env.flush_all()
    return order


def build_report_assets(registry):
    """Build the report's asset bundles in a transaction of their own, committed
    before the render. Otherwise the render builds them in the benchmark's
    transaction (rolled back at the end), and the server that wkhtmltopdf asks
    for the CSS tries to build them too and waits on that transaction's rows
    while the transaction waits on wkhtmltopdf (the new attachment's company
    key waits on the company the benchmark renamed): both until the server's
    real-time limit."""
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        for name in ("web.report_assets_common", "web.report_assets_pdf"):
            bundle = env["ir.qweb"]._get_asset_bundle(name)
            if bundle.stylesheets:
                bundle.css()
            if bundle.javascripts:
                bundle.js()


def render(env, order):
    start = time.perf_counter()
    pdf, _kind = env["ir.actions.report"]._render_qweb_pdf(REPORT, order.ids)
    return pdf, time.perf_counter() - start


def timed(func):
    start = time.perf_counter()
    result = func()
    return result, time.perf_counter() - start


def breakdown(env, order, out, profile=False):
    """Where a render's time goes, each part alone on cold records, as
    ``_render_qweb_pdf`` chains them: the add-on's own computes, QWeb's HTML,
    Odoo's preparation of it, wkhtmltopdf through Odoo, and the wkhtmltopdf
    binary alone on the same HTML (its CSS fetched from the server)."""
    from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin
    from odoo.addons.kefu_order_flow.tools import kefu_fingerprint

    report = env["ir.actions.report"]._get_report(REPORT)
    version = order.kefu_sheet_version_id
    parts = []
    env.invalidate_all()
    parts.append(
        (
            "fingerprint",
            timed(lambda: kefu_fingerprint.fingerprint(order._kefu_sheet_content()))[1],
        )
    )
    parts.append(("amount in words", timed(order._kefu_amount_in_words)[1]))
    parts.append(("QR code (PNG, base64)", timed(version._get_qr_src)[1]))
    env.invalidate_all()
    actions = env["ir.actions.report"].with_context(debug=False)
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
    (html, _kind), seconds = timed(
        lambda: actions._render_qweb_html(REPORT, order.ids, data={"debug": False})
    )
    if profile:
        profiler.disable()
        stats = pstats.Stats(profiler).sort_stats("cumulative")
        stats.print_stats(r"kefu_order_flow|ir_qweb|fields\.py", 25)
    parts.append(("QWeb HTML (whole template, computes included)", seconds))
    (bodies, _ids, header, footer, args), seconds = timed(
        lambda: report.with_context(debug=False)._prepare_html(
            html, report_model=report.model
        )
    )
    parts.append(("Odoo's _prepare_html", seconds))
    _pdf, seconds = timed(
        lambda: actions._run_wkhtmltopdf(
            bodies,
            report_ref=REPORT,
            header=header,
            footer=footer,
            specific_paperformat_args=args,
        )
    )
    parts.append(("wkhtmltopdf through Odoo (_run_wkhtmltopdf)", seconds))
    # The binary alone, on the same HTML, with the same options.
    body = out.with_suffix(".body.html")
    body.write_text(bodies[0])
    command = [
        _get_wkhtmltopdf_bin(),
        *report._build_wkhtmltopdf_args(
            report.get_paperformat(), False, specific_paperformat_args=args
        ),
        str(body),
        str(out.with_suffix(".alone.pdf")),
    ]
    _run, seconds = timed(
        lambda: subprocess.run(command, capture_output=True, check=False)
    )
    parts.append(("wkhtmltopdf binary alone, same HTML and options", seconds))
    return parts, len(html)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="database with kefu_order_flow")
    parser.add_argument("--db-user", default="odoo")
    parser.add_argument("--lines", type=int, default=200)
    parser.add_argument("--out", required=True, help="where to write the PDF")
    parser.add_argument(
        "--png", action="store_true", help="also page 1 as <out>.png (pdftoppm)"
    )
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument(
        "--breakdown",
        action="store_true",
        help="also time each part of the render alone (see breakdown())",
    )
    parser.add_argument(
        "--profile", action="store_true", help="with --breakdown: cProfile of QWeb"
    )
    parser.add_argument(
        "--print-delay",
        help="report.print_delay (ms) for this run: wkhtmltopdf's "
        "--javascript-delay, Odoo's default 1000",
    )
    args = parser.parse_args()

    registry = _odoo.load_registry(args.db, args.db_user, ["--log-level=warn"])
    out = Path(args.out).resolve()
    port = args.port or _odoo.odoo_harness.free_port()
    log_path = out.with_suffix(".server.log")
    build_report_assets(registry)
    with _odoo.server(args.db, args.db_user, port, log_path) as url:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            try:
                params = env["ir.config_parameter"]
                params.set_param("web.base.url", url)
                params.set_param("report.url", url)
                if args.print_delay is not None:
                    params.set_param("report.print_delay", args.print_delay)
                start = time.perf_counter()
                order = make_order(env, args.lines)
                setup = time.perf_counter() - start
                pdf, first = render(env, order)
                env.invalidate_all()
                pdf, second = render(env, order)
                if args.breakdown:
                    parts, html_size = breakdown(env, order, out, args.profile)
            finally:
                cr.rollback()
    out.write_bytes(pdf)
    pages = "?"
    with contextlib.suppress(OSError, subprocess.CalledProcessError):
        info = subprocess.run(
            ["pdfinfo", str(out)], capture_output=True, text=True, check=True
        ).stdout
        pages = next(
            line.split()[-1] for line in info.splitlines() if line.startswith("Pages")
        )
    print(
        f"lines {args.lines}: setup {setup:.2f}s, render {first:.2f}s (first), "
        f"{second:.2f}s (again); {pages} page(s), {len(pdf) / 1024:.0f} KiB -> {out}"
    )
    if args.breakdown:
        print(f"breakdown (seconds; the HTML is {html_size / 1024:.0f} KiB):")
        for what, seconds in parts:
            print(f"  {seconds:6.3f}  {what}")
    if args.png:
        prefix = str(out.with_suffix(""))
        subprocess.run(
            ["pdftoppm", "-r", "110", "-png", "-f", "1", "-l", "1", "-singlefile"]
            + [str(out), prefix],
            check=True,
        )
        print(f"page 1 -> {prefix}.png")
    if os.environ.get("KEFU_BENCH_KEEP_LOG") != "1":
        log_path.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
