# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The clients: each drives orders through the flow as its users would."""

import base64
import datetime
import json
import queue
import threading
import time

from .rpc import RpcError

MAX_STEPS = 60  # transitions of one order before it is given up


ORDER_FIELDS = [
    "name",
    "state",
    "kefu_stage",
    "kefu_waiting_step",  # the add-on says which step the order waits for
    "kefu_can_release",  # read as the clerk: an A order may go out early
    "kefu_deposit_state",
    "kefu_sheet_version",
    "order_line",
]


class Desk(threading.Thread):
    """One client: a clerk, a second clerk, a supervisor, a technician, a
    production supervisor, a finance clerk and a shipping clerk, taking orders
    from the queue one after the other through the whole flow."""

    def __init__(self, index, sessions, fixture, work, stats, stop, args):
        super().__init__(name=f"desk-{index}", daemon=True)
        self.s = {role: group[index] for role, group in sessions.items()}
        self.fixture, self.work, self.stats = fixture, work, stats
        self.stop, self.args = stop, args
        self.today = datetime.date.today()

    # helpers ----------------------------------------------------------------
    def timed(self, step, role, model, method, *args, **kwargs):
        start = time.perf_counter()
        try:
            result = self.s[role].call(model, method, *args, **kwargs)
        except RpcError as exc:
            self.stats.error(step, exc)
            raise
        self.stats.ok(step, time.perf_counter() - start)
        return result

    def act(self, step, role, order_id, method, *args, **kwargs):
        return self.timed(step, role, "sale.order", method, [order_id], *args, **kwargs)

    def days(self, count):
        return (self.today + datetime.timedelta(days=count)).isoformat()

    def scan(self, order, what):
        pdf = b"%PDF-1.4\n% scan of the signed " + what.encode() + b"\n%%EOF\n"
        return self.timed(
            "attach scan",
            "clerk",
            "ir.attachment",
            "create",
            {
                "name": f"{order['name']}-{what}-scan.pdf",
                "datas": base64.b64encode(pdf).decode(),
                "res_model": "sale.order",
                "res_id": order["id"],
                "mimetype": "application/pdf",
            },
        )

    def read(self, order_id):
        return self.s["clerk"].call(
            "sale.order", "read", [order_id], fields=ORDER_FIELDS
        )[0]

    # the order --------------------------------------------------------------
    def create(self, plan):
        lines = []
        for number in range(self.args.lines):
            product = self.fixture.products[
                (plan.index + number) % len(self.fixture.products)
            ]
            lines.append(self._line(product, 500 + 10 * number + plan.index % 7))
        if plan.mismatch:
            lines.append(self._line(self.fixture.mismatch_product, 300, price=1.0))
        order_id = self.timed(
            "create quotation",
            "clerk",
            "sale.order",
            "create",
            {
                "partner_id": self.fixture.customers[plan.customer],
                "company_id": self.fixture.company,
                "team_id": self.fixture.team,
                "payment_term_id": self.fixture.payment_term,
                "kefu_channel": "fax",
                "kefu_requested_date": self.days(20),
                "kefu_special_notes": "每卷贴批号标签。",
                "order_line": lines,
            },
        )
        self.timed(
            "memo",
            "clerk",
            "kefu.order.memo",
            "create",
            {"order_id": order_id, "content": f"传真订单 {plan.index}，已逐项核对。"},
        )
        return order_id

    @staticmethod
    def _line(product, qty, price=None):
        vals = {
            "product_id": product,
            "product_uom_qty": qty,
            "kefu_spec": "20μm × 1000mm",
            "kefu_packaging": "纸芯 3 寸，托盘",
            "kefu_tolerance_pct": 5.0,
        }
        if price is not None:
            vals["price_unit"] = price
        return (0, 0, vals)

    def run(self):
        while not self.stop.is_set():
            try:
                plan = self.work.get_nowait()
            except queue.Empty:
                return
            try:
                self.drive(plan)
            except RpcError:
                pass  # counted; the order stays unfinished and fails the run
            except Exception as exc:  # noqa: BLE001 - a bug of the bench itself
                self.stats.error("bench", RpcError("bench error", repr(exc)))

    def drive(self, plan):
        plan.order_id = self.create(plan)
        failures = 0
        for _step in range(MAX_STEPS):
            if self.stop.is_set():
                return
            order = self.read(plan.order_id)
            if order["kefu_stage"] == "done":
                plan.done = True
                return
            name = self.choose(plan, order)
            plan.steps.append(name)
            try:
                self.take(name, plan, order)
                failures = 0
            except RpcError:
                # Counted. A user reloads and tries again; three refusals in a
                # row is a bug (of the flow or of this bench): give the order up.
                failures += 1
                if failures >= 3:
                    raise
                time.sleep(0.2)

    def choose(self, plan, o):
        """The step the add-on says the order waits for, but where the plan
        takes another path the flow allows: an A order released before its
        signed sheet is back, a collision staged on purpose."""
        name = o["kefu_waiting_step"]
        if not name:
            exc = RpcError("bench: nothing waits", f"{o['name']} in {o['kefu_stage']}")
            self.stats.error("next step", exc)
            raise exc
        if plan.early and o["state"] == "draft" and o["kefu_can_release"]:
            name = self.fixture.step_of("action_confirm")
        if plan.collide and not plan.outcome:
            collision = getattr(self, f"collide_{plan.collide}")
            if self.fixture.flow[name]["action"] == collision.action:
                return collision.__name__
        return name

    def take(self, name, plan, o):
        """Take the step ``name`` as a user of its group: with what a user
        would give the step where it asks for something (a method of this
        class named after the step's method), else as its button does."""
        if name.startswith("collide_"):
            return getattr(self, name)(plan, o)
        step = self.fixture.flow[name]
        role = self.fixture.role_of(step["groups"])
        given = getattr(self, step["action"], None)
        if given:
            return given(name, role, plan, o)
        return self.act(name, role, plan.order_id, step["action"])

    # what the users give the steps that ask for something -------------------
    def action_kefu_request_confirmations(self, name, role, plan, o):
        self.act(
            name,
            role,
            plan.order_id,
            "action_kefu_request_confirmations",
            "请确认能否按订单生产，以及生产和完工日期。",
            self.days(2),
        )

    def action_kefu_confirm_prices(self, name, role, plan, o):
        self.act(
            name,
            role,
            plan.order_id,
            "action_kefu_confirm_prices",
            "老客户年度协议价，业务员电话确认。",
        )

    def answer(self, name, role, plan, method, vals):
        """A department answers in its statement (the one asked for, or a new
        one) and signs it."""
        action = self.act(name, role, plan.order_id, method)
        model = action["res_model"]
        if action.get("res_id"):
            rec = action["res_id"]
            self.timed(f"{name} (write)", role, model, "write", [rec], vals)
        else:
            vals = dict(vals, order_id=plan.order_id)
            rec = self.timed(f"{name} (create)", role, model, "create", vals)
        self.timed(f"{name} (sign)", role, model, "action_sign", [rec])

    def action_kefu_answer_technical(self, name, role, plan, o):
        self.answer(
            name,
            role,
            plan,
            "action_kefu_answer_technical",
            {
                "can_produce": True,
                "material_note": "BOPP 原膜库存 8 吨，工艺配方未变。",
            },
        )

    def action_kefu_answer_production(self, name, role, plan, o):
        self.answer(
            name,
            role,
            plan,
            "action_kefu_answer_production",
            {
                "production_date": self.days(1),
                "completion_date": self.days(6),
                "quantity_note": "按订单数量",
            },
        )

    def action_kefu_answer_completion(self, name, role, plan, o):
        lines = self.s[role].call(
            "sale.order.line", "read", o["order_line"], fields=["product_uom_qty"]
        )
        self.answer(
            name,
            role,
            plan,
            "action_kefu_answer_completion",
            {
                "completion_date": self.days(5),
                "quantity": sum(line["product_uom_qty"] for line in lines),
            },
        )

    def action_kefu_register_return(self, name, role, plan, o):
        """The first version of some plans comes back with a blurred stamp."""
        if plan.reject_first and o["kefu_sheet_version"] == 1 and not plan.rejected:
            plan.rejected = True
            kwargs = {"note": "盖章模糊", "reject_reason": "stamp"}
            accepted = False
        else:
            kwargs = {
                "note": "签字盖章清晰。",
                "signer": self.fixture.signers[plan.customer],
            }
            accepted = True
        kwargs["attachment_id"] = self.scan(o, "sheet")
        self.act(
            name,
            role,
            plan.order_id,
            "action_kefu_register_return",
            accepted,
            **kwargs,
        )

    def action_kefu_register_conformity(self, name, role, plan, o):
        self.act(
            name,
            role,
            plan.order_id,
            "action_kefu_register_conformity",
            True,
            attachment_id=self.scan(o, "conformity"),
        )

    def action_kefu_deliver(self, name, role, plan, o):
        self.act(name, role, plan.order_id, "action_kefu_deliver")
        deliver(self, role, plan.order_id)

    def action_kefu_confirm_arrival(self, name, role, plan, o):
        self.act(
            name, role, plan.order_id, "action_kefu_confirm_arrival", "采购部 李经理"
        )

    # deliberate collisions ------------------------------------------------------------
    def race(self, calls):
        """Run ``calls`` [(step, role, model, method, args, kwargs)] at once;
        return one result or RpcError per call."""
        barrier = threading.Barrier(len(calls))
        results = [None] * len(calls)

        def one(index, call):
            step, role, model, method, args, kwargs = call
            barrier.wait()
            try:
                results[index] = self.timed(step, role, model, method, *args, **kwargs)
            except RpcError as exc:
                results[index] = exc

        threads = [
            threading.Thread(target=one, args=(index, call))
            for index, call in enumerate(calls)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return results

    def collide_clerks(self, plan, o):
        """Two clerks press Confirm on the same order at the same moment."""
        step = "release"
        call = ("sale.order", "action_confirm", [[plan.order_id]], {})
        first, second = self.race(
            [(step, "clerk", *call), (step + " [2nd clerk]", "clerk2", *call)]
        )
        plan.outcome = outcome(first, second)
        self.stats.collision("two clerks release", plan.outcome)

    def collide_finance(self, plan, o):
        """Finance confirms the deposit while the clerk changes a quantity."""
        line = o["order_line"][0]
        qty = self.s["clerk"].call(
            "sale.order.line", "read", [line], fields=["product_uom_qty"]
        )[0]["product_uom_qty"]
        deposit, change = self.race(
            [
                (
                    "confirm deposit",
                    "finance",
                    "sale.order",
                    "action_kefu_confirm_deposit",
                    [[plan.order_id]],
                    {},
                ),
                (
                    "change order line",
                    "clerk",
                    "sale.order.line",
                    "write",
                    [[line], {"product_uom_qty": qty + 10}],
                    {},
                ),
            ]
        )
        plan.outcome = outcome(deposit, change, ("finance", "clerk"))
        if plan.outcome == "both succeeded":
            # One after the other: which came first shows in the deposit (the
            # change raised the deposit due after finance had confirmed it).
            state = self.read(plan.order_id)["kefu_deposit_state"]
            first = "finance" if state == "awaiting" else "clerk"
            plan.outcome = f"both succeeded, {first} first"
        self.stats.collision("finance vs order change", plan.outcome)

    # What each collision stands in for: the step it takes at once from two sides.
    collide_clerks.action = "action_confirm"
    collide_finance.action = "action_kefu_confirm_deposit"


def outcome(first, second, names=("1st", "2nd")):
    """ "<who won>" / "both" / "neither", with the loser's error kind."""
    failed = [isinstance(result, RpcError) for result in (first, second)]
    if not any(failed):
        return "both succeeded"
    if all(failed):
        return f"neither ({first.kind}; {second.kind})"
    winner, loser = (names[0], second) if failed[1] else (names[1], first)
    return f"{winner} won, other: {loser.kind}"


def deliver(desk, role, order_id, step="validate delivery"):
    """The shipping user sets the quantities and validates the delivery."""
    session = desk.s[role]
    pickings = session.call(
        "stock.picking",
        "search_read",
        [
            ("sale_id", "=", order_id),
            ("picking_type_code", "=", "outgoing"),
            ("state", "not in", ("done", "cancel")),
        ],
        fields=["move_ids"],
    )
    for picking in pickings:
        moves = session.call(
            "stock.move", "read", picking["move_ids"], fields=["product_uom_qty"]
        )
        for move in moves:
            session.call(
                "stock.move",
                "write",
                [move["id"]],
                {"quantity": move["product_uom_qty"], "picked": True},
            )
        context = dict(session.context, skip_sms=True)
        result = desk.timed(
            step,
            role,
            "stock.picking",
            "button_validate",
            [picking["id"]],
            context=context,
        )
        if isinstance(result, dict):
            raise RpcError("bench: delivery wizard", json.dumps(result)[:200])
