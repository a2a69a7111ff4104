#!/usr/bin/env python3
"""Screenshots of a running kefu_order_flow demo: each department's step of
the walk, the board, each role's list and a released order's form, as the
demo users see them.

    python3 tools/serve_demo.py --db kefu --port 8069      # in another shell
    python3 tools/shoot_demo.py --db kefu --url http://127.0.0.1:8069

Logs in as each demo user (password = login) over JSON-RPC, hands the
session cookie to a headless Chromium driven over the DevTools protocol
(``pip install websocket-client``), opens the role's menu entry in the
Customer Service app and saves a PNG 1400 px wide, cut to the height of
the content, into kefu_order_flow/static/description/ (README.md, "What
it looks like").  Runs ``optipng`` on them when it is installed, and names
the list columns whose label is cut short.
"""

import argparse
import base64
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import websocket

OUT_DIR = Path(__file__).resolve().parent.parent / "kefu_order_flow/static/description"
WIDTH = 1400
HEIGHT = 900

# (file, login, menu entry of the Customer Service app, view, default filter
# dropped so that the list shows the role's records, not only what waits)
LISTS = [
    ("screenshot_kanban.png", "kefu_clerk", "kefu_sale_order_menu", "kanban", False),
    ("screenshot_list_clerk.png", "kefu_clerk", "kefu_sale_order_menu", "list", False),
    (
        "screenshot_list_technician.png",
        "kefu_technician",
        "kefu_tech_confirmation_menu",
        "list",
        False,
    ),
    (
        "screenshot_list_production.png",
        "kefu_production",
        "kefu_production_order_menu",
        "list",
        True,
    ),
    ("screenshot_list_finance.png", "kefu_finance", "kefu_finance_menu", "list", False),
    (
        "screenshot_list_assistant.png",
        "kefu_assistant",
        "kefu_monitoring_menu",
        "list",
        True,
    ),
    (
        "screenshot_list_shipping.png",
        "kefu_shipping",
        "kefu_shipping_ready_menu",
        "list",
        False,
    ),
]
# The walk of one order (readme/USAGE.md, "One order, click by click"), as
# each department sees it: (role, login, the steps to show, the first the
# demo has an order waiting for). The clerk's My Work, then for each what the
# row's Take the Step opens, left unsaved.
WALK = [
    ("clerk", "kefu_clerk", ("request_confirmations", "send_sheet", "register_return")),
    ("technician", "kefu_technician", ("answer_technical",)),
    ("production", "kefu_production", ("answer_production", "answer_completion")),
    ("assistant", "kefu_assistant", ("monitor",)),
    ("finance", "kefu_finance", ("confirm_payment", "confirm_deposit")),
    ("shipping", "kefu_shipping", ("deliver",)),
]
# (file, notebook page) of a released order's form, as the clerk
FORM_PAGES = [
    ("screenshot_form.png", "kefu_intake"),
    ("screenshot_form_review.png", "kefu_review"),
    ("screenshot_form_sheet.png", "kefu_sheet"),
    ("screenshot_form_production.png", "kefu_production"),
]

# Bottom of what is worth showing: the last list row (or its totals), board
# card or form sheet, and a margin that stops short of the chatter under the form.
CONTENT_BOTTOM = """(() => {
    const parts = [...document.querySelectorAll(
        '.o_control_panel, .o_data_row, .o_list_table tfoot, .o_kanban_record, '
        + '.o_kanban_header, .o_form_sheet, .o_view_nocontent, .modal-content')]
        .filter(e => e.tagName !== 'TFOOT' || e.innerText.trim());
    const bottom = Math.max(...parts.map(e => e.getBoundingClientRect().bottom)) + 16;
    const chatter = document.querySelector('.o-mail-Form-chatter');
    const top = chatter ? chatter.getBoundingClientRect().top : bottom;
    return Math.ceil(Math.min(bottom, top));
})()"""

# Column labels the list cuts short (shown with an ellipsis).
CUT_HEADERS = """[...document.querySelectorAll('.o_list_table thead th .text-truncate')]
    .filter(label => label.scrollWidth > label.clientWidth + 1)
    .map(label => label.innerText)"""


class Odoo:
    def __init__(self, url, db):
        self.url, self.db = url.rstrip("/"), db

    def rpc(self, path, params, session_id=None):
        headers = {"Content-Type": "application/json"}
        if session_id:
            headers["Cookie"] = f"session_id={session_id}"
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params})
        request = urllib.request.Request(self.url + path, body.encode(), headers)
        with urllib.request.urlopen(request) as response:
            reply = json.loads(response.read())
            cookie = response.headers.get("Set-Cookie", "")
        if "error" in reply:
            raise RuntimeError(reply["error"]["data"]["message"])
        return reply["result"], cookie

    def login(self, login):
        """The session id of ``login`` (password = login, as in the demo)."""
        params = {"db": self.db, "login": login, "password": login}
        _result, cookie = self.rpc("/web/session/authenticate", params)
        return cookie.split("session_id=", 1)[1].split(";", 1)[0]

    def call(self, session_id, model, method, *args, **kwargs):
        params = {"model": model, "method": method, "args": args, "kwargs": kwargs}
        return self.rpc("/web/dataset/call_kw", params, session_id)[0]


class Chrome:
    """A headless Chromium and one of its tabs, over the DevTools protocol."""

    def __init__(self, binary, port=9334):
        self.profile = tempfile.mkdtemp(prefix="kefu-shots-")
        self.proc = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                f"--window-size={WIDTH},{HEIGHT}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        tab = None
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json") as r:
                    tab = next(t for t in json.loads(r.read()) if t["type"] == "page")
                break
            except (OSError, StopIteration):
                time.sleep(0.2)
        if tab is None:
            self.close()
            sys.exit(f"{binary} did not start")
        self.ws = websocket.create_connection(tab["webSocketDebuggerUrl"], timeout=60)
        self.last_id = 0
        self.call("Page.enable")
        self.resize(HEIGHT)

    def call(self, method, **params):
        self.last_id += 1
        self.ws.send(
            json.dumps({"id": self.last_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.last_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def js(self, expression):
        result = self.call(
            "Runtime.evaluate",
            expression=expression,
            awaitPromise=True,
            returnByValue=True,
        )
        return result.get("result", {}).get("value")

    def wait(self, selector, timeout=60):
        end = time.time() + timeout
        while time.time() < end:
            if self.js(f"!!document.querySelector({json.dumps(selector)})"):
                time.sleep(1.5)  # let the last RPCs and the fonts settle
                return
            time.sleep(0.3)
        raise TimeoutError(f"{selector} not shown at {self.js('location.href')}")

    def resize(self, height):
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=WIDTH,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def open(self, url, session_id, selector):
        host = urllib.request.urlparse(url).hostname
        self.call(
            "Network.setCookie",
            name="session_id",
            value=session_id,
            domain=host,
            path="/",
        )
        self.resize(HEIGHT)
        self.call("Page.navigate", url=url)
        self.wait(selector)

    def select_menu(self, xmlid):
        """Open a menu entry the way a click in the navbar does."""
        find = f"menus.getAll().find(m => m.xmlid === {json.dumps(xmlid)})"
        self.js(
            "(() => { const menus = odoo.__WOWL_DEBUG__.root.env.services.menu;"
            f" menus.selectMenu({find}); }})()"
        )

    def click(self, selector):
        self.js(f"document.querySelector({json.dumps(selector)}).click()")

    def shot(self, path):
        """Save the page, cut just below its content."""
        self.js(
            "document.querySelectorAll('.o_notification_close').forEach(b => b.click())"
        )
        height = self.js(CONTENT_BOTTOM)
        if height > HEIGHT:  # let the content grow out of its scroll box
            self.resize(height)
            time.sleep(1)
            height = self.js(CONTENT_BOTTOM)
        clip = {"x": 0, "y": 0, "width": WIDTH, "height": height, "scale": 1}
        data = self.call("Page.captureScreenshot", format="png", clip=clip)["data"]
        path.write_bytes(base64.b64decode(data))
        cut = self.js(CUT_HEADERS)
        self.resize(HEIGHT)
        print(
            f"{path.name}: {WIDTH}x{height}" + (f", labels cut: {cut}" if cut else "")
        )

    def close(self):
        if getattr(self, "ws", None):
            self.ws.close()
        self.proc.terminate()
        self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def shoot_lists(odoo, chrome, out):
    for name, login, menu, view, unfiltered in LISTS:
        chrome.open(f"{odoo.url}/odoo", odoo.login(login), ".o_main_navbar")
        chrome.select_menu(f"kefu_order_flow.{menu}")
        chrome.wait(".o_action_manager .o_view_controller")
        if chrome.js(f"!document.querySelector('.o_action_manager .o_{view}_view')"):
            chrome.click(f".o_switch_view.o_{view}")
        if unfiltered:
            chrome.wait(".o_searchview_facet")
            chrome.click(".o_searchview_facet .o_facet_remove")
        chrome.wait(".o_kanban_record" if view == "kanban" else ".o_data_row")
        chrome.shot(out / name)


def shoot_walk(odoo, chrome, out):
    """The first department's home, and the step each takes from its own;
    returns the files written."""
    shots = []
    for role, login, steps in WALK:
        sid = odoo.login(login)
        waiting = {
            order["kefu_next_step"]: order["name"]
            for order in odoo.call(
                sid,
                "sale.order",
                "search_read",
                [("kefu_next_step", "in", list(steps))],
                fields=["name", "kefu_next_step"],
                order="id desc",
            )
        }
        step = next((step for step in steps if step in waiting), None)
        if step is None:
            sys.exit(f"nothing waits for {login} in the demo data: {steps}")
        chrome.open(f"{odoo.url}/odoo", sid, ".o_list_view .o_data_row")
        if not shots:
            shots.append(out / f"screenshot_walk_{role}.png")
            chrome.shot(shots[-1])
        chrome.click(
            f".o_data_row:has(td[data-tooltip='{waiting[step]}']) "
            "button[name=action_kefu_take_next_step]"
        )
        chrome.wait(".modal .o_form_view, .o_action_manager .o_form_view")
        shots.append(out / f"screenshot_walk_{role}_step.png")
        chrome.shot(shots[-1])
        # Left as it was: the dialog discarded before the next user logs in.
        chrome.js("document.querySelector('.modal .btn-close')?.click()")
    return shots


def released_order(odoo, sid):
    orders = odoo.call(
        sid,
        "sale.order",
        "search_read",
        [("kefu_stage", "=", "released"), ("kefu_ship_state", "=", "approved")],
        fields=["name"],
        limit=1,
        order="id",
    )
    if not orders:
        sys.exit("no released order with shipping approved in the demo data")
    return orders[0]["id"]


def shoot_form(odoo, chrome, out):
    sid = odoo.login("kefu_clerk")
    order_id = released_order(odoo, sid)
    chrome.open(
        f"{odoo.url}/odoo/action-kefu_order_flow.sale_order_action_kefu/{order_id}",
        sid,
        ".o_form_view .o_notebook",
    )
    for name, page in FORM_PAGES:
        chrome.click(f'.o_notebook .nav-link[name="{page}"]')
        chrome.wait(f'.o_notebook .nav-link.active[name="{page}"]')
        chrome.shot(out / name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default="kefu")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    args = parser.parse_args()
    odoo = Odoo(args.url, args.db)
    chrome = Chrome(args.chromium)
    try:
        walk = shoot_walk(odoo, chrome, args.out)
        shoot_lists(odoo, chrome, args.out)
        shoot_form(odoo, chrome, args.out)
    finally:
        chrome.close()
    if shutil.which("optipng"):
        shots = walk + [args.out / name for name, *_ in LISTS + FORM_PAGES]
        subprocess.run(["optipng", "-quiet", "-o2", *map(str, shots)], check=True)


if __name__ == "__main__":
    main()
