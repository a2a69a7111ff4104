# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Take the demo orders through the flow, each step as the user of its role.

The demo XML records the orders in intake; workflow fields change only through
the flow's actions, and each action checks the acting user's group, so the
orders reach their stages here through the same calls the buttons make. Only
the dates that need the past (a sheet sent days ago, an overdue back-fill) are
written directly, through the transition context, as demo data.
"""

import datetime

from odoo import fields

from .models.kefu_common import transition

DEMO = "kefu_order_flow.demo_"


def post_init_hook(env):
    if not env.ref(f"{DEMO}order_intake", raise_if_not_found=False):
        return
    env = env(context=dict(env.context, mail_notify_force_send=False))
    # The demo company's users read Chinese: load every module's zh_CN terms.
    env["ir.module.module"].search([("state", "=", "installed")])._update_translations(
        ["zh_CN"]
    )
    # Odoo names the new company's warehouse after the company: give it a code.
    env["stock.warehouse"].search(
        [("company_id", "=", env.ref(f"{DEMO}company").id)]
    ).write({"name": "万国彩印成品仓", "code": "WGCY"})
    DemoFlow(env).run()


class DemoFlow:
    def __init__(self, env):
        self.env = env
        self.users = {
            role: env.ref(f"{DEMO}user_{role}")
            for role in (
                "clerk",
                "assistant",
                "supervisor",
                "technician",
                "production",
                "finance",
                "shipping",
            )
        }
        self.now = fields.Datetime.now()
        self.today = env["sale.order"]._kefu_local_today()

    def order(self, name, role="clerk"):
        return self.env.ref(f"{DEMO}order_{name}").with_user(self.users[role])

    def days(self, count):
        return self.today + datetime.timedelta(days=count)

    @staticmethod
    def backdate(order, sent, **vals):
        """Demo only: put the sending of the sheet (and other steps) in the past."""
        transition(order.sudo()).write(dict(vals, kefu_sheet_sent_at=sent))
        transition(order.sudo().kefu_sheet_version_ids).write({"sent_at": sent})

    # Steps ------------------------------------------------------------
    def review(self, name):
        order = self.order(name)
        order.action_kefu_start_review()
        order.action_kefu_check_prices()

    def sign_tech(self, name, material):
        tech = (
            self.env["kefu.tech.confirmation"]
            .with_user(self.users["technician"])
            .create(
                {
                    "order_id": self.order(name).id,
                    "can_produce": True,
                    "material_note": material,
                }
            )
        )
        tech.action_sign()

    def sign_production(self, name, start, end, quantity):
        prod = (
            self.env["kefu.production.confirmation"]
            .with_user(self.users["production"])
            .create(
                {
                    "order_id": self.order(name).id,
                    "production_date": self.days(start),
                    "completion_date": self.days(end),
                    "quantity_note": quantity,
                }
            )
        )
        prod.action_sign()

    def send(self, name, material, quantity, start=2, end=8):
        self.review(name)
        self.sign_tech(name, material)
        self.sign_production(name, start, end, quantity)
        order = self.order(name)
        order.action_kefu_send_sheet()
        order.action_kefu_mark_sheet_received()
        return order

    def release(self, name, material, quantity, start=1, end=6):
        order = self.send(name, material, quantity, start, end)
        order.action_kefu_register_return(True, note="客户签字盖章清晰，已核对无误。")
        order.action_confirm()
        self.order(name, "production").action_kefu_acknowledge_production()
        return order

    def pay_and_approve(self, name):
        order = self.order(name, "finance")
        order.action_kefu_confirm_payment()
        order.action_kefu_approve_shipping()

    def deliver(self, name):
        order = self.order(name, "shipping")
        picking = order.picking_ids.filtered(
            lambda p: p.state not in ("done", "cancel")
        )
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        # Validated in the warehouse, not texted to the customer (stock_sms).
        picking.with_context(skip_sms=True).button_validate()

    def monitor(self, name, progress, quantity=0.0):
        self.env["kefu.monitoring"].with_user(self.users["assistant"]).create(
            {
                "order_id": self.order(name).id,
                "progress": progress,
                "quantity_done": quantity,
            }
        )

    # The orders -------------------------------------------------------
    def run(self):
        # Review: price below the plan, escalated and confirmed by the
        # supervisor; technical signed, production still to answer.
        self.review("review")
        self.order("review").action_kefu_escalate_prices()
        self.order("review", "supervisor").action_kefu_confirm_prices()
        self.sign_tech("review", "BOPP 消光原膜库存 3.5 吨，工艺配方未变。")

        # Sheet sent two days ago, signed return still missing: slipping.
        order = self.send("slipping", "BOPP 原膜库存 8 吨，配方未变。", "3000 kg")
        sent = self.now - datetime.timedelta(days=2)
        self.backdate(order, sent)
        self.env["sale.order"]._cron_kefu_slip()

        # Return rejected: the stamp cannot be read.
        order = self.send("rejected", "PE 粒子库存充足，配方未变。", "900 kg")
        order.action_kefu_register_return(
            False, note="回传件盖章模糊，无法辨认公司名称。", reject_reason="stamp"
        )

        # Clean return, 30 % deposit awaited before release.
        order = self.send(
            "deposit", "PET、CPP 原膜库存充足。", "PET 2000 kg，CPP 1000 kg"
        )
        order.action_kefu_register_return(True, note="签字盖章清晰。")

        # Grade A released before the signed return; back-fill now overdue.
        order = self.send(
            "backfill", "镀铝原膜库存 2 吨，配方未变。", "1800 kg", start=1, end=5
        )
        order.action_confirm()
        self.order("backfill", "production").action_kefu_acknowledge_production()
        self.monitor("backfill", "已上机镀铝，完成约 40%。", 700)
        sent = self.now - datetime.timedelta(days=5)
        self.backdate(order, sent, kefu_backfill_deadline=self.days(-2))
        order.sudo().activity_ids.filtered(
            lambda act: act.user_id == self.users["clerk"]
        ).date_deadline = self.days(-2)

        # Released, payment confirmed and shipping approved by finance.
        self.release(
            "approved", "BOPP、CPP 原膜库存充足，配方未变。", "BOPP 2500 kg，CPP 800 kg"
        )
        self.monitor("approved", "印刷完成，复卷中。", 3100)
        self.pay_and_approve("approved")

        # Grade A delivered: arrival to be confirmed with the customer.
        self.release("shipped", "PET 原膜库存充足。", "1000 kg")
        self.deliver("shipped")

        # Paid, approved, delivered: done.
        self.release("done", "PE 粒子库存充足。", "500 kg")
        self.pay_and_approve("done")
        self.deliver("done")
