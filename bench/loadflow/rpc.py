# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A JSON-RPC client: one logged-in user per session, errors by kind."""

import http.client
import http.cookiejar
import json
import queue
import re
import threading
import urllib.error
import urllib.request

LOCK_RE = re.compile(r"someone else|正在被其他用户修改")


class RpcError(Exception):
    def __init__(self, kind, message):
        super().__init__(f"{kind}: {message}")
        self.kind = kind
        self.message = message


def classify(name, message):
    short = (name or "?").rsplit(".", 1)[-1]
    if name == "odoo.exceptions.UserError":
        if LOCK_RE.search(message):
            return "UserError: lock"
        return "UserError: refused"
    if name and name.startswith("psycopg2"):
        return f"PostgreSQL {short}"
    return f"server {short}"


class Session:
    """One logged-in user: its own cookie jar, hence its own Odoo session."""

    def __init__(self, url, db, login, password, timeout):
        self.url, self.db, self.login_name = url, db, login
        self.password, self.timeout = password, timeout
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar)
        )
        self.context = {}
        self.uid = None

    def post(self, path, params):
        body = json.dumps(
            {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}
        ).encode()
        request = urllib.request.Request(
            self.url + path, body, {"Content-Type": "application/json"}
        )
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                reply = json.load(response)
        except urllib.error.HTTPError as exc:
            raise RpcError(f"HTTP {exc.code}", str(exc)) from None
        except TimeoutError as exc:
            raise RpcError("timeout", str(exc)) from None
        except (OSError, http.client.HTTPException) as exc:
            raise RpcError("connection lost", repr(exc)) from None
        if "error" in reply:
            data = reply["error"].get("data") or {}
            message = data.get("message") or reply["error"].get("message", "")
            raise RpcError(classify(data.get("name"), message), message)
        return reply["result"]

    def authenticate(self):
        result = self.post(
            "/web/session/authenticate",
            {"db": self.db, "login": self.login_name, "password": self.password},
        )
        if not result.get("uid"):
            raise RuntimeError(f"{self.login_name} could not log in")
        self.uid = result["uid"]
        self.context = result.get("user_context") or {}
        return self

    def call(self, model, method, *args, **kwargs):
        kwargs.setdefault("context", dict(self.context))
        return self.post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


def login_all(url, db, logins, timeout):
    """{role: [Session, ...]}, logged in in parallel."""
    sessions = {
        role: [Session(url, db, login, login, timeout) for login in names]
        for role, names in logins.items()
    }
    flat = [s for group in sessions.values() for s in group]
    with_threads(lambda s: s.authenticate(), flat, 8)
    return sessions


def with_threads(func, items, count):
    items = list(items)
    errors = []
    work = queue.Queue()
    for item in items:
        work.put(item)

    def run():
        while True:
            try:
                item = work.get_nowait()
            except queue.Empty:
                return
            try:
                func(item)
            except Exception as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
