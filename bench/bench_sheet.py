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
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _odoo  # noqa: E402

_odoo.ensure_odoo(__file__)

from odoo import SUPERUSER_ID, Command, api, fields  # noqa: E402

REPORT = "kefu_order_flow.action_report_kefu_confirmation_sheet"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def odoo_server(db, db_user, port, log_path):
    """A server for wkhtmltopdf's asset requests; stopped (by its pid) on exit."""
    cmd = [
        sys.executable,
        "-m",
        "odoo",
        "server",
        *_odoo.server_args(db, db_user),
        "--http-port",
        str(port),
        "--http-interface",
        "127.0.0.1",
        "--db-filter",
        f"^{db}$",
        "--max-cron-threads",
        "0",
        "--workers",
        "0",
        "--log-level",
        "warn",
    ]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}/web/health"
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                sys.exit(
                    f"the Odoo server stopped (exit {proc.returncode}): {log_path}"
                )
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                sys.exit(f"the Odoo server did not answer on port {port}: {log_path}")
            time.sleep(0.5)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


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
    # Straight to "sent" (the benchmark measures the render, not the flow): in
    # SQL, so that it does not depend on how the flow guards its fields.
    env.flush_all()
    now = fields.Datetime.now()
    env.cr.execute(
        """UPDATE sale_order
              SET kefu_stage = 'sheet_sent', kefu_price_state = 'ok',
                  kefu_return_state = 'pending', kefu_sheet_version = 1,
                  kefu_sheet_date = %s, kefu_sheet_sent_at = %s,
                  kefu_sheet_version_sent_at = %s
            WHERE id = %s""",
        (today + datetime.timedelta(days=12), now, now, order.id),
    )
    env.invalidate_all()
    env.flush_all()
    return order


def render(env, order):
    start = time.perf_counter()
    pdf, _kind = env["ir.actions.report"]._render_qweb_pdf(REPORT, order.ids)
    return pdf, time.perf_counter() - start


def render_html(env, order):
    """The QWeb part alone: the rest of a PDF render is wkhtmltopdf's."""
    start = time.perf_counter()
    env["ir.actions.report"]._render_qweb_html(REPORT, order.ids)
    return time.perf_counter() - start


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
    args = parser.parse_args()

    registry = _odoo.load_registry(args.db, args.db_user, ["--log-level=warn"])
    out = Path(args.out).resolve()
    port = args.port or free_port()
    log_path = out.with_suffix(".server.log")
    with odoo_server(args.db, args.db_user, port, log_path) as url:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            try:
                params = env["ir.config_parameter"]
                params.set_param("web.base.url", url)
                params.set_param("report.url", url)
                start = time.perf_counter()
                order = make_order(env, args.lines)
                setup = time.perf_counter() - start
                pdf, first = render(env, order)
                env.invalidate_all()
                pdf, second = render(env, order)
                env.invalidate_all()
                html = render_html(env, order)
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
    print(
        f"  of which QWeb HTML {html:.2f}s, wkhtmltopdf about {second - html:.2f}s "
        f"(target: under 2 s for 200 lines)"
    )
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
