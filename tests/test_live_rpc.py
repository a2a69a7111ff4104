"""Drive a live Odoo server (the add-on installed) over XML-RPC and JSON-RPC."""

import http.cookiejar
import json
import re
import subprocess
import time
import urllib.request
import xmlrpc.client

import pytest

import odoo_harness as h

LOGIN = PASSWORD = "admin"  # Odoo's default admin password on a new database


@pytest.fixture(scope="module")
def server(odoo, suite_run):
    db, run = suite_run
    state = h.psql(
        f"SELECT state FROM ir_module_module WHERE name = '{h.ADDON}'", db=db
    )
    if state != "installed":
        pytest.fail(f"{h.ADDON} is not installed ({state!r})\n{run.summary()}")
    port = h.free_port()
    cmd = h.odoo_cmd(odoo, db, ["--db-filter", f"^{db}$"], http_port=port)
    h.LOG_DIR.mkdir(parents=True, exist_ok=True)
    log = open(h.LOG_DIR / "live.log", "w")  # closed in the finally below
    proc = subprocess.Popen(
        cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                pytest.fail(f"odoo exited with {proc.returncode}, see {log.name}")
            try:
                with urllib.request.urlopen(f"{url}/web/health", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"odoo not healthy after 120 s, see {log.name}")
            time.sleep(1)
        yield url, db
    finally:
        h.stop_process(proc)
        log.close()


@pytest.fixture(scope="module")
def rpc(server):
    url, db = server
    common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
    uid = common.authenticate(db, LOGIN, PASSWORD, {})
    assert uid, "admin/admin could not authenticate over XML-RPC"
    models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def call(model, method, *args, **kw):
        return models.execute_kw(db, uid, PASSWORD, model, method, list(args), kw)

    return call


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
        for r in h.parse_log(log.read_text(errors="replace"))
        if r["level"] in ("ERROR", "CRITICAL")
    ]
    assert not bad, f"{log}:\n" + "\n\n".join(bad)
