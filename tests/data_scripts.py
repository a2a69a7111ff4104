"""Odoo-side scripts of the data tests: what a factory's database holds, read
after an upgrade, a restore or an uninstall.

Not imported by pytest: odoo_run.odoo_shell() feeds this file to `odoo shell`
after tests/flow_scripts.py, whose helpers (``_as``, ``flow_orders``) it uses.
"""

# ruff: noqa: F821  (the helpers of flow_scripts.py come first in the shell)

import datetime
import hashlib

from odoo import Command
from odoo.tools.safe_eval import safe_eval


def _checksum(att):
    return hashlib.sha1(att.raw or b"").hexdigest()


def _file(att):
    """What the attachment holds, byte for byte: its stored checksum, and the
    SHA-1 of the file in the filestore read again now."""
    if not att:
        return None
    return {"name": att.name, "checksum": att.checksum, "bytes_sha1": _checksum(att)}


def _rows(records, fields):
    return [{f: _value(r[f]) for f in fields} for r in records.sorted("id")]


def _value(value):
    if hasattr(value, "_name"):  # a record: what identifies it for a reader
        if value._name == "ir.attachment":
            return _file(value)
        return value.display_name if value else None
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return value


def snapshot(env):
    """Every order of the flow as a factory would check it after an upgrade
    or a restore: its stage, state, sent versions, returns, money, signed
    statements, memos and the bytes of every attachment it holds."""
    out = {}
    for order in flow_orders(env):
        attachments = _attachments(
            env, [("res_model", "=", "sale.order"), ("res_id", "=", order.id)]
        )
        out[order.name] = {
            "order": _rows(
                order,
                [
                    "client_order_ref",
                    "kefu_stage",
                    "state",
                    "kefu_price_state",
                    "kefu_return_state",
                    "kefu_deposit_state",
                    "kefu_ship_state",
                    "kefu_backfill_pending",
                    "kefu_sheet_version",
                    "amount_total",
                ],
            )[0],
            "versions": _rows(
                order.kefu_sheet_version_ids,
                ["version", "state", "fingerprint", "sent_at", "attachment_id"],
            ),
            "returns": _rows(
                env["kefu.sheet.return"].search([("order_id", "=", order.id)]),
                [
                    "sheet_version",
                    "accepted",
                    "reject_reason",
                    "signer",
                    "attachment_id",
                ],
            ),
            "receipts": _rows(
                env["kefu.money.receipt"].search([("order_id", "=", order.id)]),
                ["kind", "amount", "received_at", "recorded_by"],
            ),
            "technical": _rows(
                env["kefu.tech.confirmation"].search([("order_id", "=", order.id)]),
                ["state", "signed_by", "signed_at", "can_produce", "material_note"],
            ),
            "production": _rows(
                env["kefu.production.confirmation"].search(
                    [("order_id", "=", order.id)]
                ),
                ["state", "signed_by", "signed_at", "completion_date", "quantity_note"],
            ),
            "completion": _rows(
                env["kefu.completion.statement"].search([("order_id", "=", order.id)]),
                ["state", "signed_by", "signed_at", "quantity"],
            ),
            "memos": _rows(order.kefu_memo_ids, ["channel", "content", "recorded_at"]),
            "attachments": [_file(a) for a in attachments],
        }
    # The files of the flow's own records (scans, signatures, conformity).
    kefu = _attachments(env, [("res_model", "like", "kefu.%")])
    out["kefu records' files"] = [
        {"record": f"{a.res_model},{a.res_id},{a.res_field or ''}", **_file(a)}
        for a in kefu
    ]
    return out


def _attachments(env, domain):
    """Attachments, those of binary fields (signatures...) included, which
    Odoo's search leaves out unless asked for res_field."""
    has_field = ["|", ("res_field", "=", False), ("res_field", "!=", False)]
    return env["ir.attachment"].search(has_field + domain, order="id")


def integrity(env):
    """What a restored database must hold: each sent sheet's file, byte for
    byte as its checksum says, and the add-on's own integrity check."""
    problems = []
    for version in env["kefu.sheet.version"].search([]):
        att = version.attachment_id
        if not att:
            problems.append(f"{version.display_name}: no PDF")
        elif not att.raw or _checksum(att) != att.checksum:
            problems.append(f"{version.display_name}: {att.name} differs or is gone")
    orders = env["sale.order"]
    if hasattr(orders, "kefu_check_integrity"):
        problems += [str(p) for p in orders.kefu_check_integrity()]
    return problems


def uninstall(env):
    """Uninstall the add-on as Settings > Apps does."""
    module = env["ir.module.module"].search([("name", "=", "kefu_order_flow")])
    module.button_immediate_uninstall()
    env.cr.commit()
    return module.state


def core_sales(env):
    """Core Sales and Inventory without the add-on: every order reads; the
    factory's orders the flow had not released yet, and a new one, confirm
    and deliver."""
    orders = env["sale.order"].with_context(active_test=False).search([])
    read = orders.read(["name", "state", "amount_total", "partner_id", "order_line"])
    drafts = orders.filtered(
        lambda o: (
            (o.client_order_ref or "").startswith("FACTORY") and o.state == "draft"
        )
    )
    new = env["sale.order"].create(
        {
            "partner_id": drafts[0].partner_id.id,
            "order_line": [
                Command.create({"product_id": drafts[0].order_line[0].product_id.id})
            ],
        }
    )
    delivered = {}
    for order in drafts | new:
        order.action_confirm()
        for move in order.picking_ids.move_ids:
            move.write({"quantity": move.product_uom_qty, "picked": True})
        order.picking_ids.with_context(skip_sms=True).button_validate()
        delivered[order.name] = [order.state, *order.picking_ids.mapped("state")]
    env.cr.commit()
    return {"read": len(read), "delivered": delivered}


def homes(env):
    """What each demo user opens on (its home action), and the orders it
    lists with their next step."""
    found = {}
    users = env["res.users"].search(
        [("login", "=like", "kefu_%"), ("action_id", "!=", False)]
    )
    for user in users:
        action = env["ir.actions.act_window"].browse(user.action_id.id)
        orders = (
            env[action.res_model]
            .with_user(user)
            .search(safe_eval(action.domain or "[]"))
        )
        found[user.login] = {
            "action": action.get_external_id()[action.id],
            "orders": {order.name: order.kefu_next_step for order in orders},
        }
    return found


# The raw-material statement of the technical confirmation below, to find it.
INSISTED = "新配方原膜缺货，客户坚持按老工艺配方"


def insist_on_old_formula(env):
    """As release 18.0.1.0.0 let it: the technical department ticks
    'Customer Insists on Old Formula' on a new statement of an order in
    review; that statement, as old_formula_statements() reads it."""
    order = flow_orders(env).filtered(lambda o: o.kefu_stage == "review")[:1]
    tech = _as(env, env["kefu.tech.confirmation"], "technician").create(
        {
            "order_id": order.id,
            "can_produce": False,
            "old_formula_confirmed": True,
            "material_note": INSISTED,
        }
    )
    tech.action_sign()
    env.cr.commit()
    return old_formula_statements(env)


def old_formula_statements(env):
    """The statement insist_on_old_formula() signed: whether it says the
    formula changed, and whether its order waits for the customer's choice."""
    techs = env["kefu.tech.confirmation"].search([("material_note", "=", INSISTED)])
    return [
        {
            "id": tech.id,
            "formula_changed": tech.formula_changed,
            "choice_needed": tech.order_id.kefu_formula_choice_needed,
        }
        for tech in techs
    ]


def leave_gaps_for_the_upgrade(env):
    """What 18.0.1.6.0's migration mends, as a factory's database may hold it:
    a sheet sent with a review today's would stop (its price check undone, as
    if the review had not asked for it then), and a bank journal of the
    factory made by an administrator working in English (its payment methods
    named in English)."""
    order = flow_orders(env).filtered(lambda o: o.kefu_stage == "sheet_sent")[:1]
    env.cr.execute(
        "UPDATE sale_order SET kefu_price_state = 'unchecked' WHERE id = %s",
        [order.id],
    )
    company = env.ref("kefu_order_flow.demo_company")
    env["account.journal"].with_company(company).with_context(lang="en_US").create(
        {"name": "工商银行", "type": "bank", "code": "ICBC", "company_id": company.id}
    )
    env.cr.commit()
    return {"order": order.name, "version": order.kefu_sheet_version}


def gaps_after_the_upgrade(env):
    """What leave_gaps_for_the_upgrade() left, read after the upgrade: the
    orders with a void sheet version, the factory journal's payment methods
    and a payment term Odoo's zh_CN leaves in English, in zh_CN."""
    journal = env["account.journal"].search([("code", "=", "ICBC")])
    term = env.ref("account.account_payment_term_end_following_month")
    voided = env["sale.order"].search([("kefu_sheet_version_ids.state", "=", "void")])
    return {
        "orders": {
            order.name: {
                "stage": order.kefu_stage,
                "void_reasons": order.kefu_sheet_version_ids.filtered(
                    lambda v: v.state == "void"
                ).mapped("void_reason"),
                "notes": order.message_ids.mapped("body"),
            }
            for order in voided
        },
        "methods": (
            journal.inbound_payment_method_line_ids
            | journal.outbound_payment_method_line_ids
        ).mapped("name"),
        "term": term.with_context(lang="zh_CN").name,
    }
