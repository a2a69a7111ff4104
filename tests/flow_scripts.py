"""Odoo-side scripts of the data tests (test_upgrade.py, test_uninstall.py).

Not imported by pytest: odoo_run.odoo_shell() feeds this file to `odoo
shell` (then data_scripts.py, what a factory's data holds) and calls one of
their entry points with the shell's ``env``; what the entry point returns
comes back as JSON.  Everything here uses only the flow's
public methods (``action_kefu_*``, ``action_confirm``, ``action_sign``) as the
user of each role, the way the demo data and the buttons do, so that the same
script drives the release and the working tree.
"""

import datetime
import inspect

from odoo import Command

# The role groups; the users of the roles are logged in as kefu_<role>, as the
# demo's are (demo/kefu_demo_company.xml) and factory_orders() makes them.
ROLE_GROUPS = {
    "clerk": "group_kefu_clerk",
    "supervisor": "group_kefu_supervisor",
    "technician": "group_kefu_technical",
    "production": "group_kefu_production",
    "finance": "group_kefu_finance",
    "shipping": "group_kefu_shipping",
}
OPEN = ("intake", "review", "sheet_sent", "returned", "released", "shipped")


def _as(env, records, role):
    user = env["res.users"].search([("login", "=", f"kefu_{role}")])
    assert user, f"no user kefu_{role}"
    return records.with_user(user).with_context(lang="zh_CN")


def _in_days(days):
    return datetime.date.today() + datetime.timedelta(days=days)


# --- the steps, each as the role that owns it -------------------------------------


def complete_sheet_items(env, order):
    """The clerk fills in what the customer left out (the demo's fax order
    lacks its requested date and a line's packaging)."""
    clerk = _as(env, order, "clerk")
    if not order.kefu_requested_date:
        clerk.kefu_requested_date = _in_days(30)
    if not order.payment_term_id:
        clerk.payment_term_id = env.ref("account.account_payment_term_30days")
    for line in clerk.order_line.filtered(lambda x: not x.display_type):
        line.kefu_spec = line.kefu_spec or "20μm × 1000mm"
        line.kefu_packaging = line.kefu_packaging or "纸芯 3 寸, 托盘"


def sign_confirmations(env, order):
    """Technical and production sign their confirmations, when not signed yet."""
    if not order.kefu_tech_confirmation_id:
        tech = _as(env, env["kefu.tech.confirmation"], "technician").create(
            {"order_id": order.id, "can_produce": True, "material_note": "原膜库存充足"}
        )
        tech.action_sign()
    if not order.kefu_production_confirmation_id:
        prod = _as(env, env["kefu.production.confirmation"], "production").create(
            {
                "order_id": order.id,
                "production_date": _in_days(1),
                "completion_date": order.kefu_sheet_date or _in_days(6),
                "quantity_note": "按订单数量",
            }
        )
        prod.action_sign()


def record_old_formula(env, order):
    """The customer insists on the old formula, in writing (F7): the clerk
    records the choice with the customer's letter."""
    letter = _as(env, env["ir.attachment"], "clerk").create(
        {
            "name": "坚持按老工艺配方.pdf",
            "raw": b"%PDF-1.4 old formula",
            "res_model": "sale.order",
            "res_id": order.id,
        }
    )
    _as(env, order, "clerk").action_kefu_record_formula_choice(
        "old", attachment_id=letter.id
    )


def register_signed_return(env, order):
    """The customer's signed sheet comes back; the clerk attaches the scan."""
    clerk = _as(env, order, "clerk")
    scan = _as(env, env["ir.attachment"], "clerk").create(
        {
            "name": f"{order.name} 回传确认书.pdf",
            "raw": f"%PDF-1.4 signed return of {order.name}".encode(),
            "res_model": "sale.order",
            "res_id": order.id,
        }
    )
    clerk.action_kefu_register_return(
        True, attachment_id=scan.id, signer="采购部 赵经理"
    )


def ship(env, order):
    """Conformity, payment, approval, then the warehouse validates the delivery."""
    clerk, finance = _as(env, order, "clerk"), _as(env, order, "finance")
    if not order.kefu_production_ack_at:
        _as(env, order, "production").action_kefu_acknowledge_production()
    if not order.kefu_completion_statement_ids.filtered(lambda s: s.state == "signed"):
        statement = _as(env, env["kefu.completion.statement"], "production").create(
            {
                "order_id": order.id,
                "completion_date": _in_days(0),
                "quantity": sum(order.order_line.mapped("product_uom_qty")),
            }
        )
        statement.action_sign()
    if order.kefu_conformity_state != "accepted":
        clerk.action_kefu_send_conformity()
        clerk.action_kefu_register_conformity(True, note="客户确认成品符合")
    if order.kefu_ship_state == "awaiting_payment":
        if order.kefu_amount_due > 0:
            finance.action_kefu_confirm_payment()
        finance.action_kefu_approve_shipping()
    pickings = _as(env, order, "shipping").picking_ids.filtered(
        lambda p: p.picking_type_code == "outgoing" and p.state != "done"
    )
    for move in pickings.move_ids:
        move.write({"quantity": move.product_uom_qty, "picked": True})
    result = pickings.with_context(skip_sms=True).button_validate()
    assert result is True, f"{order.name}: validating the delivery asked {result}"


def next_step(env, order):
    """Take ``order`` one stage further, as the role that owns the step; the
    name of what was done."""
    clerk = _as(env, order, "clerk")
    stage = order.kefu_stage
    if stage == "intake":
        complete_sheet_items(env, order)
        clerk.action_kefu_start_review()
    elif stage == "review" and order.kefu_price_state in ("unchecked", "mismatch"):
        clerk.action_kefu_check_prices()
        if order.kefu_price_state == "mismatch":
            clerk.action_kefu_escalate_prices()
    elif stage == "review" and order.kefu_price_state == "escalated":
        confirm = _as(env, order, "supervisor").action_kefu_confirm_prices
        # In writing since 18.0.1.4.0; the release confirms with a click.
        args = (
            ("老客户协议价",)
            if "reason" in inspect.signature(confirm).parameters
            else ()
        )
        confirm(*args)
    elif stage == "review":
        sign_confirmations(env, order)
        if order.kefu_formula_choice_needed:
            record_old_formula(env, order)
        clerk.action_kefu_send_sheet()
    elif stage == "sheet_sent" and order.kefu_return_state == "rejected":
        clerk.action_kefu_send_sheet()  # a new version, for a clean return
    elif stage == "sheet_sent":
        if not order.kefu_sheet_received_at:
            clerk.action_kefu_mark_sheet_received()
        register_signed_return(env, order)
    elif stage == "returned":
        if order.kefu_deposit_state == "awaiting":
            _as(env, order, "finance").action_kefu_confirm_deposit()
        clerk.action_confirm()
    elif stage == "released" and order.kefu_backfill_pending:
        register_signed_return(env, order)
    elif stage == "released":
        ship(env, order)
    elif stage == "shipped":
        clerk.action_kefu_confirm_arrival("收货人 李先生")
    else:
        raise AssertionError(f"{order.name}: no step from stage {stage}")
    return f"{stage}/{order.kefu_price_state}"


def _new_order(env, vals, lines, ref):
    """A new order recorded by the clerk, with its memo entry."""
    order = _as(env, env["sale.order"], "clerk").create(
        {
            **vals,
            "client_order_ref": ref,
            "kefu_channel": "phone",
            "order_line": [Command.create(line) for line in lines],
            "kefu_memo_ids": [Command.create({"content": f"客户来电下单 {ref}"})],
        }
    )
    return order.with_user(env.uid)


def _like(env, demo_order, ref):
    """A new order with the customer and lines of a demo order."""
    src = env.ref(f"kefu_order_flow.{demo_order}")
    vals = {
        "company_id": src.company_id.id,
        "partner_id": src.partner_id.id,
        "payment_term_id": src.payment_term_id.id,
        "pricelist_id": src.pricelist_id.id,
        "kefu_requested_date": src.kefu_requested_date,
    }
    fields = ["product_uom_qty", "price_unit", "kefu_spec", "kefu_packaging"]
    lines = [
        {f: line[f] for f in [*fields, "kefu_tolerance_pct"]}
        | {"product_id": line.product_id.id}
        for line in src.order_line
    ]
    return _new_order(env, vals, lines, ref)


def _until(env, order, stop):
    """Take ``order`` step by step until ``stop(order)``; the steps taken."""
    steps = []
    while not stop(order) and len(steps) < 20:
        try:
            steps.append(next_step(env, order))
        except Exception as exc:
            raise RuntimeError(f"{order.name} after {steps}: {exc}") from exc
    return steps


# --- entry points -----------------------------------------------------------------


def stage_orders(env):
    """The stages the release's demo lacks, through the release's own methods:
    a price escalated to the supervisor, a deposit and a payment received, a
    change order, a cancelled order."""

    def stage_is(*stages):
        return lambda o: o.kefu_stage in stages

    escalated = _like(env, "demo_order_review", "UP-ESCALATED")
    _until(env, escalated, lambda o: o.kefu_price_state == "escalated")

    paid = _like(env, "demo_order_deposit", "UP-DEPOSIT")
    _until(env, paid, stage_is("released"))
    _as(env, paid, "finance").action_kefu_confirm_payment(amount=1000.0)

    changed = _like(env, "demo_order_slipping", "UP-CHANGE")
    _until(env, changed, stage_is("released"))
    _as(env, changed, "production").action_kefu_acknowledge_production()
    _as(env, changed, "clerk").action_kefu_change_order("客户要求改包装为 6 寸纸芯")

    cancelled = _like(env, "demo_order_slipping", "UP-CANCEL")
    _until(env, cancelled, stage_is("review"))
    _as(env, cancelled, "clerk").action_cancel()
    env.cr.commit()
    return {
        o.client_order_ref: o.kefu_stage for o in escalated | paid | changed | cancelled
    }


def factory_orders(env):
    """A factory without demo data: one user per role, a grade B customer, a
    film in stock, and orders in intake, sheet sent, released and done."""
    env.company.partner_id.write({"tz": "Asia/Shanghai", "email": "kefu@example.com"})
    # The company's orders go through the flow (a fresh install has no scope).
    env["kefu.flow.scope"].create({"name": "客服部", "company_id": env.company.id})
    for role, group in ROLE_GROUPS.items():
        env["res.users"].create(
            {
                "name": role,
                "login": f"kefu_{role}",
                "email": f"kefu_{role}@example.com",
                "tz": "Asia/Shanghai",
                "groups_id": [Command.set([env.ref(f"kefu_order_flow.{group}").id])],
            }
        )
    grade = env.ref("kefu_order_flow.grade_b")
    grade.pricelist_id = env["product.pricelist"].create({"name": "价格执行方案 B"})
    customer = env["res.partner"].create(
        {"name": "乙级客户有限公司", "is_company": True, "kefu_grade_id": grade.id}
    )
    film = env["product.product"].create(
        {
            "name": "BOPP 印刷膜",
            "default_code": "BOPP-20",
            "is_storable": True,
            "list_price": 20.0,
        }
    )
    stock = env.ref("stock.warehouse0").lot_stock_id
    env["stock.quant"]._update_available_quantity(film, stock, 1000)
    vals = {
        "partner_id": customer.id,
        "payment_term_id": env.ref("account.account_payment_term_30days").id,
        "kefu_requested_date": _in_days(30),
    }
    line = {
        "product_id": film.id,
        "product_uom_qty": 100,
        "price_unit": 20.0,
        "kefu_spec": "20μm × 1000mm",
        "kefu_packaging": "纸芯 3 寸, 托盘",
        "kefu_tolerance_pct": 5.0,
    }
    stages = {}
    for i, stage in enumerate(["intake", "sheet_sent", "released", "done"]):
        order = _new_order(env, vals, [line], f"FACTORY-{i}")
        _until(env, order, lambda o, stage=stage: o.kefu_stage == stage)
        stages[order.name] = order.kefu_stage
    env.cr.commit()
    return stages


def flow_orders(env):
    return (
        env["sale.order"]
        .with_context(active_test=False)
        .search([("kefu_stage", "!=", False)], order="id")
    )


def drive_to_done(env):
    """Every order of the demo factory still in the flow, step by step to
    done; the steps taken.  (Odoo's own demo orders, of another company, stand
    in intake whatever their state: the flow never had them.)"""
    factory = env.ref("kefu_order_flow.demo_company")
    done = {}
    orders = flow_orders(env).filtered(
        lambda o: o.company_id == factory and o.kefu_stage in OPEN
    )
    for order in orders:
        steps = _until(env, order, lambda o: o.kefu_stage == "done")
        done[order.name] = {"steps": steps, "stage": order.kefu_stage}
    env.cr.commit()
    return done
