# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Two users, or a user and the cron, on one order at the same time.

These tests need separate transactions that see each other's data, so they
build their data in committed transactions of their own (unique names, removed
at the end) instead of the test's transaction: committing is their point.
"""
# pylint: disable=invalid-commit

import datetime
import uuid
from datetime import timedelta

from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from ..models.kefu_flow_desk import KEFU_USER_STEPS
from ..tools.kefu_roles import ROLE_BY_KEY
from .common import NOW, return_proof
from .role_matrix import ACTION_ARGS

D = datetime.date


@tagged("post_install", "-at_install")
class TestConcurrency(TransactionCase):
    def setUp(self):
        super().setUp()
        self.tag = uuid.uuid4().hex[:8]
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            env.company.partner_id.tz = "Asia/Shanghai"
            self.scope = (
                env["kefu.flow.scope"]
                .create({"name": f"并发 {self.tag}", "company_id": env.company.id})
                .id
            )

            def user(login, role):
                return new_test_user(
                    env,
                    login=f"{login}-{self.tag}",
                    groups=ROLE_BY_KEY[role].group,
                ).id

            self.clerk1 = user("clerk1", "clerk")
            self.clerk2 = user("clerk2", "clerk")
            self.technician = user("tech", "technician")
            self.producer = user("prod", "producer")
            self.finance = user("finance", "finance")
            self.customer = (
                env["res.partner"]
                .create(
                    {
                        "name": f"并发客户 {self.tag}",
                        "kefu_grade_id": env.ref("kefu_order_flow.grade_b").id,
                    }
                )
                .id
            )
            self.product = (
                env["product.product"]
                .create(
                    {
                        "name": f"Concurrency film {self.tag}",
                        "default_code": f"C-{self.tag}",
                        "list_price": 10,
                    }
                )
                .id
            )
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            orders = env["sale.order"].search([("partner_id", "=", self.customer)])
            orders.picking_ids.action_cancel()
            orders.with_context(disable_cancel_warning=True)._action_cancel()
            orders.kefu_tech_confirmation_ids.unlink()
            orders.kefu_production_confirmation_ids.unlink()
            orders.unlink()
            # Moves keep the product: archive what cannot go, so other tests
            # (and the clerk's tour searching "BOPP") never meet it.
            env["product.product"].browse(self.product).active = False
            env["kefu.flow.scope"].browse(self.scope).unlink()
            env["res.partner"].browse(self.customer).active = False
            # Nor its users: the flow hands work over to every active member
            # of a department.
            env["res.users"].search(
                [("login", "=like", f"%-{self.tag}")]
            ).active = False

    def _env(self, cr, uid):
        return api.Environment(cr, uid, {"tracking_disable": True})

    def _committed_order(self, stage):
        """An order brought to ``stage`` by the real transitions, committed."""
        with self.registry.cursor() as cr:
            clerk = self._env(cr, self.clerk1)
            order = clerk["sale.order"].create(
                {
                    "partner_id": self.customer,
                    "payment_term_id": clerk.ref(
                        "account.account_payment_term_30days"
                    ).id,
                    "kefu_requested_date": D(2026, 3, 20),
                    "kefu_memo_ids": [Command.create({"content": "客户来电"})],
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product,
                                "product_uom_qty": 10,
                                "price_unit": 10,
                                "kefu_spec": "20μm",
                                "kefu_packaging": "托盘",
                            }
                        )
                    ],
                }
            )
            order.action_kefu_start_review()
            order.action_kefu_check_prices()
            tech = self._env(cr, self.technician)["kefu.tech.confirmation"].create(
                {"order_id": order.id, "can_produce": True, "material_note": "库存充足"}
            )
            tech.action_sign()
            prod = self._env(cr, self.producer)["kefu.production.confirmation"]
            prod.create(
                {
                    "order_id": order.id,
                    "production_date": D(2026, 3, 5),
                    "completion_date": D(2026, 3, 10),
                }
            ).action_sign()
            order.action_kefu_send_sheet()
            if stage == "returned":
                order.action_kefu_register_return(True, **return_proof(order))
            return order.id

    @freeze_time(NOW)
    def test_every_step_takes_the_row_lock(self):
        """Group, then lock, then stage: whoever holds the order's row makes
        every step of the flow refuse at once, whatever the stage."""
        with self.registry.cursor() as cr:
            everyone = new_test_user(
                self._env(cr, SUPERUSER_ID),
                login=f"everyone-{self.tag}",
                groups=",".join(
                    ROLE_BY_KEY[role].group
                    for role in (
                        "director",
                        "technician",
                        "producer",
                        "finance",
                        "shipper",
                    )
                ),
            ).id
        order_id = self._committed_order("sheet_sent")
        with self.registry.cursor() as holder, self.registry.cursor() as cr:
            holder.execute(
                "SELECT id FROM sale_order WHERE id = %s FOR UPDATE", [order_id]
            )
            order = self._env(cr, everyone)["sale.order"].browse(order_id)
            for name, step in KEFU_USER_STEPS.items():
                with (
                    self.subTest(step=name),
                    self.assertRaisesRegex(UserError, "someone else"),
                ):
                    getattr(order, step.action)(*ACTION_ARGS.get(step.action, ()))
            cr.rollback()
            holder.rollback()

    @freeze_time(NOW)
    def test_two_clerks_release_once(self):
        order_id = self._committed_order("returned")
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            first = self._env(cr1, self.clerk1)["sale.order"].browse(order_id)
            second = self._env(cr2, self.clerk2)["sale.order"].browse(order_id)
            first.action_confirm()
            with self.assertRaisesRegex(UserError, "someone else"):
                second.action_confirm()
            cr1.commit()
            cr2.rollback()
            second.invalidate_recordset()
            with self.assertRaises(UserError):
                second.action_confirm()
            cr2.rollback()
        with self.registry.cursor() as cr:
            order = self._env(cr, SUPERUSER_ID)["sale.order"].browse(order_id)
            self.assertEqual(order.state, "sale")
            self.assertEqual(len(order.picking_ids), 1)

    def test_cron_skips_an_order_being_returned(self):
        with freeze_time(NOW):
            order_id = self._committed_order("sheet_sent")
        with freeze_time(NOW + timedelta(days=2)):
            with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
                clerk = self._env(cr1, self.clerk1)["sale.order"].browse(order_id)
                clerk.action_kefu_register_return(True, **return_proof(clerk))
                # The cron runs while the clerk's transaction is open: no wait.
                self._env(cr2, SUPERUSER_ID)["sale.order"]._cron_kefu_slip(
                    today=D(2026, 3, 9)
                )
                cr2.commit()
                cr1.commit()
        with self.registry.cursor() as cr:
            order = self._env(cr, SUPERUSER_ID)["sale.order"].browse(order_id)
            self.assertEqual(order.kefu_stage, "returned")
            self.assertEqual(order.kefu_slip_days, 2)  # frozen at the return
            self.assertEqual(order.kefu_planned_date, D(2026, 3, 12))

    def test_return_waits_for_a_running_cron_then_succeeds(self):
        with freeze_time(NOW):
            order_id = self._committed_order("sheet_sent")
        with freeze_time(NOW + timedelta(days=2)):
            with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
                cron = self._env(cr2, SUPERUSER_ID)["sale.order"]
                cron._cron_kefu_slip(today=D(2026, 3, 4))
                clerk = self._env(cr1, self.clerk1)["sale.order"].browse(order_id)
                with self.assertRaisesRegex(UserError, "someone else"):
                    clerk.action_kefu_register_return(True, **return_proof(clerk))
                cr1.rollback()
                cr2.commit()
                clerk.invalidate_recordset()
                clerk.action_kefu_register_return(True, **return_proof(clerk))
                cr1.commit()
        with self.registry.cursor() as cr:
            order = self._env(cr, SUPERUSER_ID)["sale.order"].browse(order_id)
            self.assertEqual((order.kefu_stage, order.kefu_slip_days), ("returned", 2))

    def test_cron_killed_half_way_and_rerun(self):
        with freeze_time(NOW):
            order_id = self._committed_order("sheet_sent")
        with self.registry.cursor() as cr:
            self._env(cr, SUPERUSER_ID)["sale.order"]._cron_kefu_slip(
                today=D(2026, 3, 5)
            )
            cr.rollback()  # the worker died before committing
        with self.registry.cursor() as cr:
            order = self._env(cr, SUPERUSER_ID)["sale.order"].browse(order_id)
            self.assertEqual(order.kefu_slip_days, 0)
            order.env["sale.order"]._cron_kefu_slip(today=D(2026, 3, 5))
            order.env["sale.order"]._cron_kefu_slip(today=D(2026, 3, 5))
            cr.commit()
            order.invalidate_recordset()
            self.assertEqual(order.kefu_slip_days, 3)

    @freeze_time(NOW)
    def test_line_change_and_deposit_take_turns(self):
        """A clerk changing a line takes the order's row as the flow's steps
        do: finance confirming the deposit meanwhile is refused with the
        flow's message, and the other way round."""
        with self.registry.cursor() as cr:
            partner = self._env(cr, SUPERUSER_ID)["res.partner"].browse(self.customer)
            partner.kefu_deposit_percent = 30
        order_id = self._committed_order("returned")
        with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
            clerk = self._env(cr1, self.clerk1)["sale.order"].browse(order_id)
            finance = self._env(cr2, self.finance)["sale.order"].browse(order_id)
            clerk.order_line.product_uom_qty = 20
            with self.assertRaisesRegex(UserError, "someone else"):
                finance.action_kefu_confirm_deposit()
            cr2.rollback()
            cr1.rollback()
            clerk.invalidate_recordset()
            finance.invalidate_recordset()
            finance.action_kefu_confirm_deposit()
            with self.assertRaisesRegex(UserError, "someone else"):
                clerk.order_line.product_uom_qty = 20
            cr1.rollback()
            cr2.rollback()

    def test_cron_leaves_an_order_changed_since_it_began_to_the_next_run(self):
        """Under REPEATABLE READ an order a clerk changed and committed after
        the cron's transaction began cannot be locked, SKIP LOCKED or not: the
        run updates nothing and does not fail; the next one catches up."""
        with freeze_time(NOW):
            order_id = self._committed_order("sheet_sent")
        with freeze_time(NOW + timedelta(days=2)):
            with self.registry.cursor() as cr1, self.registry.cursor() as cr2:
                cr2.execute("SELECT id FROM sale_order WHERE id = %s", [order_id])
                clerk = self._env(cr1, self.clerk1)["sale.order"].browse(order_id)
                clerk.origin = "PO-2026-031"  # not a sheet item
                cr1.commit()
                cron = self._env(cr2, SUPERUSER_ID)["sale.order"]
                self.assertEqual(cron._cron_kefu_slip(today=D(2026, 3, 4)), 0)
                cr2.commit()
                self.assertEqual(cron._cron_kefu_slip(today=D(2026, 3, 4)), 1)
                cr2.commit()
        with self.registry.cursor() as cr:
            order = self._env(cr, SUPERUSER_ID)["sale.order"].browse(order_id)
            self.assertEqual(order.kefu_slip_days, 2)
