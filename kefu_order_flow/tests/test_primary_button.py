# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""One primary button at a time, the flow's: each role opens an order in each
stage the way the web client does (the form as that user, groups applied, the
record's values as that user reads them), and of the header buttons whose
``invisible`` is false, at most one is primary, the step the role has to do."""

from freezegun import freeze_time
from lxml import etree

from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from ..models.kefu_flow import KEFU_FLOW
from .common import NOW, TODAY, KefuCase

ROLES = (
    "clerk",
    "assistant",
    "supervisor",
    "director",
    "technician",
    "producer",
    "finance",
    "shipper",
    "salesman",
)
CLERKS = ("clerk", "supervisor", "director")
START = "Start Review"
CHECK = "Check Prices"
ASK = "Ask Technical and Production"
ESCALATE = "Escalate Prices"
CONFIRM_PRICES = "Confirm Prices"
SEND = "Send Confirmation Sheet"
RETURN = "Register Return"
DEPOSIT = "Confirm Deposit Received"
RELEASE = "Release Production Order"
ACK = "Acknowledge Production Order"
ACCEPT = "Accept Quantity"
CONFORMITY = "Send Conformity Request"
OPINION = "Register Conformity Opinion"
PAYMENT = "Confirm Payment Received"
APPROVE = "Approve Shipping"
ARRIVAL = "Confirm Arrival"
ANSWER_TECHNICAL = "Answer Technical Confirmation"
ANSWER_PRODUCTION = "Answer Production Confirmation"
MONITOR = "Record Monitoring"
DELIVER = "Deliver"

# What each role has to do on an order in each state: the label of its one
# primary button; a role left out has nothing to do (no primary button).
EXPECTED = {
    "intake": dict.fromkeys(CLERKS, START),
    "review_unchecked": dict.fromkeys(CLERKS, CHECK),
    # Prices checked, the written confirmations not asked for yet: customer
    # service asks; once asked, each department answers in its statement.
    "review": dict.fromkeys(CLERKS, ASK),
    "review_asked": {"technician": ANSWER_TECHNICAL, "producer": ANSWER_PRODUCTION},
    "review_signed": dict.fromkeys(CLERKS, SEND),
    "mismatch": dict.fromkeys(CLERKS, ESCALATE),
    # The doubt is the supervisor's (or the salesperson's) to settle.
    "escalated": dict.fromkeys(("supervisor", "director", "salesman"), CONFIRM_PRICES),
    "sheet_sent": dict.fromkeys(CLERKS, RETURN),
    "sheet_sent_deposit": {**dict.fromkeys(CLERKS, RETURN), "finance": DEPOSIT},
    "returned_deposit": {"finance": DEPOSIT},
    "returned": dict.fromkeys(CLERKS, RELEASE),
    # Customer service follows production until it states what it completed.
    "released": {
        **dict.fromkeys((*CLERKS, "assistant"), MONITOR),
        "producer": ACK,
        "finance": PAYMENT,
    },
    "completed": {**dict.fromkeys(CLERKS, CONFORMITY), "finance": PAYMENT},
    "short": {
        "clerk": CONFORMITY,
        "supervisor": ACCEPT,
        "director": ACCEPT,
        "finance": PAYMENT,
    },
    "conformity_sent": {**dict.fromkeys(CLERKS, OPINION), "finance": PAYMENT},
    "paid": {"finance": APPROVE},
    "approved": {"shipper": DELIVER},
    "shipped": dict.fromkeys(CLERKS, ARRIVAL),
    "done": {},
}

# The stage of the order in each state.
STAGE = {
    "intake": "intake",
    "review_unchecked": "review",
    "review": "review",
    "review_signed": "review",
    "review_asked": "review",
    "mismatch": "review",
    "escalated": "review",
    "sheet_sent": "sheet_sent",
    "sheet_sent_deposit": "sheet_sent",
    "returned_deposit": "returned",
    "returned": "returned",
    "released": "released",
    "completed": "released",
    "short": "released",
    "conformity_sent": "released",
    "paid": "released",
    "approved": "released",
    "shipped": "shipped",
    "done": "done",
}


def is_primary(button):
    classes = (button.get("class") or "").split()
    return "btn-primary" in classes or "oe_highlight" in classes


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestPrimaryButton(KefuCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._stock_film()
        cls.customer_deposit = cls.env["res.partner"].create(
            {
                "name": "定金客户有限公司",
                "kefu_grade_id": cls.grade_b.id,
                "kefu_deposit_percent": 30.0,
                "is_company": True,
            }
        )

    # Orders in each state --------------------------------------------------
    def _orders(self):
        orders = {"intake": self._order()}
        order = self._order()
        order.with_user(self.clerk).action_kefu_start_review()
        # A line changed after the review's price check: checked again.
        order.order_line.product_uom_qty += 1
        orders["review_unchecked"] = order
        orders["review"] = self._to_review(self._order())
        order = self._to_review(self._order())
        self._sign_tech(order)
        self._sign_production(order)
        orders["review_signed"] = order
        order = self._to_review(self._order())
        order.with_user(self.clerk).action_kefu_request_confirmations(
            "请确认能否生产及完成日期", TODAY
        )
        orders["review_asked"] = order
        orders["mismatch"] = self._to_review(self._order(lines=[self._line(price=25)]))
        order = self._to_review(self._order(lines=[self._line(price=25)]))
        order.with_user(self.clerk).action_kefu_escalate_prices()
        orders["escalated"] = order
        orders["sheet_sent"] = self._to_sheet_sent(self._order())
        orders["sheet_sent_deposit"] = self._to_sheet_sent(
            self._order(self.customer_deposit)
        )
        orders["returned_deposit"] = self._to_returned(
            self._order(self.customer_deposit)
        )
        orders["returned"] = self._to_returned(self._order())
        orders["released"] = self._to_released(self._order())
        order = self._acknowledged(self._order())
        self._completion(order)
        orders["completed"] = order
        order = self._acknowledged(self._order())
        self._completion(order, quantity=50)
        orders["short"] = order
        order = self._acknowledged(self._order())
        self._completion(order)
        order.with_user(self.clerk).action_kefu_send_conformity()
        orders["conformity_sent"] = order
        order = self._conformity_accepted(self._acknowledged(self._order()))
        order.with_user(self.finance).action_kefu_confirm_payment()
        orders["paid"] = order
        order = self._conformity_accepted(self._acknowledged(self._order()))
        order.with_user(self.finance).action_kefu_confirm_payment()
        order.with_user(self.finance).action_kefu_approve_shipping()
        orders["approved"] = order
        orders["shipped"] = self._deliver(
            self._acknowledged(self._order(self.customer_a))
        )
        orders["done"] = self._deliver(self._acknowledged(self._order()))
        for state, order in orders.items():
            self.assertEqual(order.kefu_stage, STAGE[state], state)
        return orders

    def _acknowledged(self, order):
        self._to_released(order)
        order.with_user(self.producer).action_kefu_acknowledge_production()
        return order

    def _deliver(self, order):
        self._conformity_accepted(order)
        if order.kefu_ship_state == "awaiting_payment":
            order.with_user(self.finance).action_kefu_confirm_payment()
            order.with_user(self.finance).action_kefu_approve_shipping()
        for move in order.picking_ids.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        order.picking_ids.with_user(self.shipper).button_validate()
        return order

    # What the user sees ------------------------------------------------------
    def _visible_buttons(self, order, user, arch, fields):
        """The header buttons of ``arch`` shown on ``order`` to ``user``."""
        order = order.with_user(user)
        values = order.web_read(dict.fromkeys(fields, {}))[0]
        context = {**values, "context": {}, "uid": user.id}
        return [
            button
            for button in etree.fromstring(arch).xpath("//header//button")
            if not safe_eval(button.get("invisible") or "False", dict(context))
        ]

    def _form(self, user):
        views = (
            self.env["sale.order"]
            .with_user(user)
            .get_views([(self.env.ref("sale.view_order_form").id, "form")])
        )
        return views["views"]["form"]["arch"], views["models"]["sale.order"]["fields"]

    def test_one_primary_button_the_flow_step(self):
        orders = self._orders()
        self.env.invalidate_all()
        primaries = {}
        for role in ROLES:
            user = getattr(self, role)
            arch, fields = self._form(user)
            for state, order in orders.items():
                if not order.with_user(user).has_access("read"):
                    self.assertNotIn(role, EXPECTED[state])
                    continue
                with self.subTest(role=role, state=state):
                    shown = self._visible_buttons(order, user, arch, fields)
                    primary = [b for b in shown if is_primary(b)]
                    expected = EXPECTED[state].get(role)
                    self.assertEqual(
                        [b.get("string") for b in primary],
                        [expected] if expected else [],
                    )
                    if primary:
                        primaries[role, state] = order.with_user(user), primary[0]
                    # Odoo's Confirm never shows: the release is the flow's.
                    self.assertEqual(
                        {
                            b.get("string")
                            for b in shown
                            if b.get("name") == "action_confirm"
                        },
                        {RELEASE} if state == "returned" and role in CLERKS else set(),
                    )

        # My Work's Take the Step does what the primary button does: the same
        # method, or the same dialog with the same defaults.
        for (role, state), (order, button) in primaries.items():
            with self.subTest(role=role, state=state):
                if button.get("type") == "object":
                    self.assertEqual(
                        button.get("name"), KEFU_FLOW[order.kefu_next_step].action
                    )
                    continue
                action = self.env["ir.actions.act_window"].browse(
                    int(button.get("name"))
                )
                with self.env.cr.savepoint() as savepoint:
                    taken = order.action_kefu_take_next_step()
                    savepoint.rollback()
                context = {
                    **safe_eval(action.context, {"active_id": order.id}),
                    **safe_eval(button.get("context") or "{}"),
                }
                self.assertEqual(
                    (taken["res_model"], taken["target"], taken["context"]),
                    (action.res_model, "new", context),
                )

    def test_every_departments_home_is_its_work(self):
        """Each department opens Customer Service on My Work, and My Work
        lists exactly the orders whose primary button is the user's."""
        orders = self._orders()
        action = self.env.ref("kefu_order_flow.sale_order_action_kefu_my_work")
        my_work = self.env.ref("kefu_order_flow.kefu_my_work_menu")
        root = self.env.ref("kefu_order_flow.kefu_root_menu")
        fixtures = self.env["sale.order"].union(*orders.values())
        for role in ROLES:
            if role == "salesman":  # a salesperson works in Sales, not here
                continue
            user = getattr(self, role)
            with self.subTest(role=role):
                menus = self.env["ir.ui.menu"].with_user(user).load_menus(False)
                self.assertEqual(menus[root.id]["children"][0], my_work.id)
                self.env.invalidate_all()
                found = (
                    self.env["sale.order"]
                    .with_user(user)
                    .search(safe_eval(action.domain))
                )
                expected = {
                    order
                    for state, order in orders.items()
                    if EXPECTED[state].get(role)
                }
                self.assertEqual(set(found & fixtures), expected)
                self.assertTrue(expected, "every department has work here")

    def test_release_reads_as_the_production_order_in_chinese(self):
        self._load_zh_cn()
        arch = (
            self.env["sale.order"]
            .with_user(self.clerk)
            .with_context(lang="zh_CN")
            .get_views([(self.env.ref("sale.view_order_form").id, "form")])
        )["views"]["form"]["arch"]
        buttons = etree.fromstring(arch).xpath(
            "//header/button[@name='action_confirm']"
        )
        # Odoo's own Confirm shows only on orders outside the flow's scope.
        odoo_confirm = {
            button.get("invisible")
            for button in buttons
            if button.get("invisible", "").startswith("kefu_stage or ")
        }
        self.assertEqual(
            odoo_confirm,
            {"kefu_stage or state != 'sent'", "kefu_stage or state != 'draft'"},
        )
        labels = {
            button.get("string")
            for button in buttons
            if button.get("invisible") not in odoo_confirm
        }
        self.assertEqual(labels, {"下达生产指令单"})
