"""Drive a live Odoo server (the add-on installed) over XML-RPC and JSON-RPC.

The whole order flow runs over XML-RPC, Odoo's classic external API, each role
as its own user with only that role's group, as an integration would: every
public method must return something XML-RPC can marshal.
"""

import base64
import datetime
import http.cookiejar
import json
import re
import urllib.request
import xmlrpc.client

import pytest

import odoo_harness as h
import odoo_run

LOGIN = PASSWORD = "admin"  # Odoo's default admin password on a new database

# One user per role: login -> the group that the role has.
ROLES = {
    "rpc_clerk": "kefu_order_flow.group_kefu_clerk",
    "rpc_technician": "kefu_order_flow.group_kefu_technical",
    "rpc_producer": "kefu_order_flow.group_kefu_production",
    "rpc_finance": "kefu_order_flow.group_kefu_finance",
    "rpc_shipper": "kefu_order_flow.group_kefu_shipping",
}


@pytest.fixture(scope="module")
def server(odoo, suite_run):
    db, run = suite_run
    state = h.psql(
        f"SELECT state FROM ir_module_module WHERE name = '{h.ADDON}'", db=db
    )
    if state != "installed":
        pytest.fail(f"{h.ADDON} is not installed ({state!r})\n{run.summary()}")
    port = h.free_port()
    try:
        with odoo_run.serve(
            odoo_run.server_cmd(odoo, db, port), port, h.LOG_DIR / "live.log"
        ) as url:
            yield url, db
    except odoo_run.ServerError as exc:
        pytest.fail(str(exc), pytrace=False)


class Client:
    """execute_kw for one user, keyword arguments passed through."""

    def __init__(self, url, db, login, password):
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
        self.uid = common.authenticate(db, login, password, {})
        assert self.uid, f"{login} could not authenticate over XML-RPC"
        self.login = login
        self._args = (db, self.uid, password)
        self._models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object")

    def __call__(self, model, method, *args, **kw):
        try:
            return self._models.execute_kw(*self._args, model, method, list(args), kw)
        except xmlrpc.client.Fault as exc:
            # Say which call failed, and its last line, before Odoo's traceback.
            last = (exc.faultString.strip().splitlines() or [""])[-1]
            where = f"{model}.{method} as {self.login}: {last}"
            raise xmlrpc.client.Fault(
                exc.faultCode, f"{where}\n{exc.faultString}"
            ) from None

    def ref(self, xmlid):
        module, name = xmlid.split(".")
        rows = self(
            "ir.model.data",
            "search_read",
            [("module", "=", module), ("name", "=", name)],
            fields=["res_id"],
        )
        assert rows, f"no record {xmlid}"
        return rows[0]["res_id"]


@pytest.fixture(scope="module")
def rpc(server):
    return Client(*server, LOGIN, PASSWORD)


@pytest.fixture(scope="module")
def users(server, rpc):
    """A client per role, each user created by admin over XML-RPC."""
    clients = {}
    for login, group in ROLES.items():
        rpc(
            "res.users",
            "create",
            {
                "name": login,
                "login": login,
                "password": login,
                "email": f"{login}@example.com",
                "tz": "Asia/Shanghai",
                "groups_id": [(6, 0, [rpc.ref(group)])],
            },
        )
        clients[login.removeprefix("rpc_")] = Client(*server, login, login)
    return clients


def test_module_installed(rpc):
    mods = rpc(
        "ir.module.module", "search_read", [("name", "=", h.ADDON)], fields=["state"]
    )
    assert [m["state"] for m in mods] == ["installed"]


def test_grades(rpc):
    grades = rpc("kefu.customer.grade", "search_read", [], fields=["code"])
    assert sorted(g["code"] for g in grades) == ["A", "B", "C"]


def test_deposit_percent_bounds(rpc):
    partner = rpc("res.partner", "create", {"name": "kefu live rpc test"})
    with pytest.raises(xmlrpc.client.Fault) as exc:
        rpc("res.partner", "write", [partner], {"kefu_deposit_percent": 150})
    text = exc.value.faultString
    assert re.search(r"(?<![\d.])0(?![\d.])", text) and "100" in text, text


def _stage(rpc, order):
    fields = ["kefu_stage", "state", "kefu_release_blockers", "kefu_ship_state"]
    return rpc("sale.order", "read", [order], fields)[0]


def test_whole_flow_over_xmlrpc(rpc, users):
    """A grade B order from intake to done, every step by the role that owns it
    (technical and production sign, finance confirms the payment, the
    warehouse ships), and every call's result marshalled by XML-RPC."""
    clerk, technician = users["clerk"], users["technician"]
    producer, finance, shipper = users["producer"], users["finance"], users["shipper"]
    today = datetime.date.today()

    # Admin's set-up: the company's day, grade B's price plan, a customer, a film.
    company = rpc("res.users", "read", [rpc.uid], ["company_id"])[0]["company_id"]
    company_partner = rpc("res.company", "read", [company[0]], ["partner_id"])
    rpc(
        "res.partner",
        "write",
        [company_partner[0]["partner_id"][0]],
        {"tz": "Asia/Shanghai"},
    )
    # The company's orders go through the flow (a fresh install has no scope).
    rpc("kefu.flow.scope", "create", {"name": "客服部 (RPC)", "company_id": company[0]})
    grade_b = rpc.ref("kefu_order_flow.grade_b")
    pricelist = rpc("product.pricelist", "create", {"name": "价格执行方案 B (RPC)"})
    rpc("kefu.customer.grade", "write", [grade_b], {"pricelist_id": pricelist})
    customer = rpc(
        "res.partner",
        "create",
        {"name": "乙级客户 (XML-RPC)", "is_company": True, "kefu_grade_id": grade_b},
    )
    film = rpc(
        "product.product",
        "create",
        {
            "name": "BOPP 印刷膜 (RPC)",
            "default_code": "RPC-BOPP-20",
            "type": "consu",
            "list_price": 20.0,
        },
    )

    # Intake (F1-F3): the clerk records the order and a memo entry.
    order = clerk(
        "sale.order",
        "create",
        {
            "partner_id": customer,
            "payment_term_id": rpc.ref("account.account_payment_term_30days"),
            "kefu_channel": "fax",
            "kefu_requested_date": str(today + datetime.timedelta(days=30)),
            "kefu_special_notes": "电晕处理 ≥ 38 达因",
            "order_line": [
                (
                    0,
                    0,
                    {
                        "product_id": film,
                        "product_uom_qty": 100.0,
                        "price_unit": 20.0,
                        "kefu_spec": "20μm × 1000mm",
                        "kefu_packaging": "纸芯 3 寸, 托盘",
                        "kefu_tolerance_pct": 5.0,
                    },
                )
            ],
        },
    )
    clerk(
        "kefu.order.memo",
        "create",
        {"order_id": order, "content": "客户传真下单 BOPP 100 kg"},
    )
    assert clerk("sale.order", "read", [order], ["kefu_missing_items"])[0][
        "kefu_missing_items"
    ] in (False, "")

    # Review (F4-F8): prices, then technical and production sign their part.
    clerk("sale.order", "action_kefu_start_review", [order])
    clerk("sale.order", "action_kefu_check_prices", [order])
    assert (
        clerk("sale.order", "read", [order], ["kefu_price_state"])[0][
            "kefu_price_state"
        ]
        == "ok"
    )
    tech = technician(
        "kefu.tech.confirmation",
        "create",
        {"order_id": order, "can_produce": True, "material_note": "BOPP 原膜库存 5 吨"},
    )
    technician("kefu.tech.confirmation", "action_sign", [tech])
    prod = producer(
        "kefu.production.confirmation",
        "create",
        {
            "order_id": order,
            "production_date": str(today + datetime.timedelta(days=3)),
            "completion_date": str(today + datetime.timedelta(days=8)),
            "quantity_note": "100 kg",
        },
    )
    producer("kefu.production.confirmation", "action_sign", [prod])
    states = [
        technician("kefu.tech.confirmation", "read", [tech], ["state"])[0]["state"],
        producer("kefu.production.confirmation", "read", [prod], ["state"])[0]["state"],
    ]
    assert states == ["signed", "signed"]

    # The sheet (F9-F11): sent, then the signed scan comes back.
    clerk("sale.order", "action_kefu_send_sheet", [order])
    assert _stage(clerk, order)["kefu_stage"] == "sheet_sent"
    clerk("sale.order", "action_kefu_mark_sheet_received", [order])
    scan = clerk(
        "ir.attachment",
        "create",
        {
            "name": "回传确认书.pdf",
            "datas": base64.b64encode(b"%PDF-1.4 signed sheet").decode(),
            "res_model": "sale.order",
            "res_id": order,
        },
    )
    clerk(
        "sale.order",
        "action_kefu_register_return",
        [order],
        accepted=True,
        attachment_id=scan,
        signer="采购部 张经理",
    )
    assert _stage(clerk, order)["kefu_stage"] == "returned"

    # Release (F12, F14): nothing blocks a grade B order without deposit.
    clerk("sale.order", "action_confirm", [order])
    released = _stage(clerk, order)
    assert (released["kefu_stage"], released["state"]) == ("released", "sale")
    assert released["kefu_ship_state"] == "awaiting_payment"

    # Conformity (F16): production states the quantity made, the customer's
    # opinion comes back accepted; the delivery waits for it.
    statement = producer(
        "kefu.completion.statement",
        "create",
        {"order_id": order, "completion_date": str(today), "quantity": 100.0},
    )
    producer("kefu.completion.statement", "action_sign", [statement])
    clerk("sale.order", "action_kefu_send_conformity", [order])
    clerk("sale.order", "action_kefu_register_conformity", [order], accepted=True)

    # Shipping (F17, F18): finance confirms the payment and approves.
    finance("sale.order", "action_kefu_confirm_payment", [order])
    finance("sale.order", "action_kefu_approve_shipping", [order])
    assert _stage(finance, order)["kefu_ship_state"] == "approved"

    # The warehouse ships: the grade B order is done (no arrival tracking).
    pickings = shipper(
        "stock.picking",
        "search",
        [("sale_id", "=", order), ("picking_type_code", "=", "outgoing")],
    )
    assert len(pickings) == 1, pickings
    moves = shipper("stock.move", "search", [("picking_id", "=", pickings[0])])
    for move in shipper("stock.move", "read", moves, ["product_uom_qty"]):
        shipper(
            "stock.move",
            "write",
            [move["id"]],
            {"quantity": move["product_uom_qty"], "picked": True},
        )
    shipper("stock.picking", "button_validate", pickings)
    picking = shipper("stock.picking", "read", pickings, ["state"])[0]
    assert picking["state"] == "done"
    assert _stage(clerk, order)["kefu_stage"] == "done"


def test_json_rpc_authenticate(server):
    url, db = server
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def post(path, params):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params})
        req = urllib.request.Request(
            url + path, body.encode(), {"Content-Type": "application/json"}
        )
        with opener.open(req, timeout=60) as r:
            reply = json.load(r)
        assert "error" not in reply, reply["error"]
        return reply["result"]

    session = post(
        "/web/session/authenticate", {"db": db, "login": LOGIN, "password": PASSWORD}
    )
    assert session["uid"], session
    codes = post(
        "/web/dataset/call_kw",
        {
            "model": "kefu.customer.grade",
            "method": "search_read",
            "args": [[]],
            "kwargs": {"fields": ["code"]},
        },
    )
    assert sorted(g["code"] for g in codes) == ["A", "B", "C"]


def test_server_log_clean(server):
    """The server logged no ERROR/CRITICAL while serving the calls above
    (expected user errors are logged as WARNING by odoo.http)."""
    log = h.LOG_DIR / "live.log"
    bad = [
        "\n".join(r["lines"][:20])
        for r in odoo_run.parse_log(log.read_text(errors="replace"))
        if r["level"] in ("ERROR", "CRITICAL")
    ]
    assert not bad, f"{log}:\n" + "\n\n".join(bad)
