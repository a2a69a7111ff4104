# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Every role's part of one order in the Chinese web client.

The order is brought, through the real steps and as the real users, to where
the role acts; the tour (static/tests/tours/kefu_<role>_tour.js) then clicks
that part as the role's user, in zh_CN, and fails on any English word or error
dialog on the screens it visits (kefu_tour_utils.js, ``chineseScreen``)."""

import datetime
import json
import re

import polib
from lxml import etree

from odoo import Command, fields
from odoo.tests import HttpCase, tagged
from odoo.tools import file_open, mute_logger

from ..models.kefu_flow import KEFU_FLOW
from .common import KefuCase, return_proof

ROLE_KEYS = ("clerk", "technician", "producer", "finance", "assistant", "shipper")
# One phone order to shipped, as the tours below click it: each step's tour, in
# the order of the walk. readme/USAGE.md gives what each costs.
WALK = (
    "kefu_clerk_tour",
    "kefu_technician_tour",
    "kefu_production_tour",
    "kefu_clerk_tour_release",
    "kefu_production_tour_release",
    "kefu_assistant_tour",
    "kefu_clerk_tour_conformity",
    "kefu_finance_tour_payment",
    "kefu_shipping_tour",
)
# The screens of the walk, each as the user who reaches it: (model, view, its
# type, role); view None is the model's default view of that type. The flow's
# dialogs are added from its table (each step's ``opens``), as the clerk.
SCREENS = (
    *(("sale.order", "sale.view_order_form", "form", key) for key in ROLE_KEYS),
    *(
        ("sale.order", "kefu_order_flow.sale_order_view_list_kefu_my_work", "list", key)
        for key in ROLE_KEYS
    ),
    ("kefu.tech.confirmation", None, "form", "technician"),
    ("kefu.production.confirmation", None, "form", "producer"),
    ("kefu.completion.statement", None, "form", "producer"),
    ("kefu.monitoring", None, "form", "assistant"),
    ("account.payment.register", None, "form", "finance"),
    ("stock.picking", "stock.view_picking_form", "form", "shipper"),
)
# Latin words a Chinese screen may show: a currency code, a file type; and
# codes (an example order reference, PO0032).
LATIN_ALLOWED = {"CNY", "PDF"}
CODE = re.compile(r"\b[A-Z]+\d+\b")
# What a tour's step costs its user: a click (a button, a menu, a choice in a
# list, a file chosen), or a field typed in.
COUNT_STEPS = """
const tours = odoo.loader.modules.get("@web/core/registry").registry
    .category("web_tour.tours");
const clicks = (step) => step.run === "click" || (typeof step.run === "function"
    && /\\.click\\(\\)|DataTransfer/.test(String(step.run)));
const typed = (step) => typeof step.run === "string" && step.run.startsWith("edit");
const expected = %s;
const wrong = Object.keys(expected).flatMap((name) => {
    const steps = tours.get(name).steps();
    const counted = [steps.filter(clicks).length, steps.filter(typed).length];
    return counted.join() === expected[name].join()
        ? []
        : [`${name}: ${counted[0]} clicks, ${counted[1]} typed, not ${expected[name]}`];
});
if (wrong.length) {
    console.error("not what readme/USAGE.md says: " + wrong.join("; "));
} else {
    console.log("test successful");
}
"""


@tagged("post_install", "-at_install")
class TestRoleTours(KefuCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._load_zh_cn_everywhere()
        # The users act as in the web client: in their language, with the
        # chatter on (creation and tracking lines), so that the steps taken here
        # write what the tours then read.
        cls.env = cls.env(context={"lang": "zh_CN"})
        # The navigation bar shows the company: a Chinese one, like the demo's.
        cls.company.name = "上海华膜包装材料有限公司"
        cls.env.ref("stock.warehouse0").name = "上海华膜成品仓"
        # Its journals' payment methods in Chinese, as the demo names them:
        # Odoo stores their names as made, in the language of the day.
        cls.env["account.payment.method.line"].search(
            [("journal_id.company_id", "=", cls.company.id), ("code", "=", "manual")]
        ).name = "手工收付款"
        # Each department opens on its work, as the demo's users do.
        my_work = cls.env.ref("kefu_order_flow.sale_order_action_kefu_my_work")
        for key in ROLE_KEYS:
            getattr(cls, key).write({"lang": "zh_CN", "action_id": my_work.id})
        # Chinese customers: what is sent to them (the deposit notice, logged
        # in the chatter) is written in their language.
        (cls.customer_a | cls.customer_b | cls.customer_c).lang = "zh_CN"
        cls.payment_term = cls.env["account.payment.term"].create(
            {
                "name": "月结 30 天",
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 100, "nb_days": 30}
                    )
                ],
            }
        )
        # The customer's terms come with it on a new order.
        cls.customer_b.property_payment_term_id = cls.payment_term
        cls._stock_film()

    @classmethod
    def _load_zh_cn_everywhere(cls):
        """zh_CN for the web client's own words too (Odoo's add-ons), loaded
        when the database does not have the language yet."""
        lang = (
            cls.env["res.lang"]
            .with_context(active_test=False)
            .search([("code", "=", "zh_CN")])
        )
        if not lang.active:
            cls.env["res.lang"]._activate_lang("zh_CN")
            cls.env["ir.module.module"].search(
                [("state", "=", "installed")]
            )._update_translations(["zh_CN"])
        cls._load_zh_cn()

    def _today(self, days=0):
        today = fields.Date.context_today(self.env["sale.order"].with_user(self.clerk))
        return today + datetime.timedelta(days=days)

    def _tour(self, name, user, url="/odoo"):
        self.start_tour(url, name, login=user.login)

    def _new_order(self, **vals):
        return self._order(
            lines=[self._line(qty=500.0)],
            kefu_requested_date=self._today(30),
            **vals,
        )

    def _request(self, model, order, note="请确认"):
        """The clerk opens a department's request: what to confirm, by when."""
        return (
            self.env[model]
            .with_user(self.clerk)
            .create(
                {
                    "order_id": order.id,
                    "request_note": note,
                    "request_deadline": self._today(2),
                }
            )
        )

    def _signed(self, order):
        """In review, both departments signed (dates ahead of today)."""
        self._to_review(order)
        self._sign_tech(order)
        self._sign_production(
            order,
            production_date=self._today(2),
            completion=self._today(10),
        )
        return order

    def _released(self, order):
        self._signed(order)
        order.with_user(self.clerk).action_kefu_send_sheet()
        order.with_user(self.clerk).action_kefu_register_return(
            True, **return_proof(order.with_user(self.clerk))
        )
        order.with_user(self.clerk).action_confirm()
        self.assertEqual(order.kefu_stage, "released")
        return order

    # ------------------------------------------------------------------
    def test_the_walk_costs_what_the_readme_says(self):
        """The clicks and typed fields of each step of the walk, counted off
        the tours themselves in the browser, are those readme/USAGE.md gives,
        step by step and in all."""
        with file_open("kefu_order_flow/readme/USAGE.md") as usage:
            readme = usage.read()
        # | `kefu_clerk_tour` | customer service: … | 12 | 7 |, then the total.
        rows = re.findall(r"^\| `(\w+)` \|.*\| (\d+) \| (\d+) \|$", readme, re.M)
        table = {tour: [int(clicks), int(typed)] for tour, clicks, typed in rows}
        self.assertEqual(list(table), list(WALK))
        total = re.search(r"^\|.*\| \*\*(\d+)\*\* \| \*\*(\d+)\*\* \|$", readme, re.M)
        self.assertEqual(
            [int(total[1]), int(total[2])],
            [
                sum(cost[0] for cost in table.values()),
                sum(cost[1] for cost in table.values()),
            ],
        )
        # What a day at the desk may cost: one phone order to shipped in 40
        # clicks and 15 typed fields at most, customer service's share 20.
        self.assertLessEqual(int(total[1]), 40)
        self.assertLessEqual(int(total[2]), 15)
        clerk = [clicks for tour, (clicks, _typed) in table.items() if "clerk" in tour]
        self.assertLessEqual(sum(clerk), 20)
        self.browser_js(
            "/odoo", COUNT_STEPS % json.dumps(table), login=self.clerk.login
        )

    def test_the_walks_screens_have_no_english_term(self):
        """The terms of every screen of the walk, whichever installed module
        wrote them (Odoo's sale, stock and account forms, the add-on's), as
        the user who reaches it gets them in zh_CN: labels, buttons, pages,
        placeholders, choices and texts, unless the view always hides them."""
        dialogs = {
            self.env.ref(f"kefu_order_flow.kefu_{step.opens}_wizard_action").res_model
            for step in KEFU_FLOW.values()
            if step.opens
        }
        english = []
        for model, view, view_type, key in (
            *SCREENS,
            *((model, None, "form", "clerk") for model in sorted(dialogs)),
        ):
            user = getattr(self, key)
            views = (
                self.env[model]
                .with_user(user)
                .get_views([(view and self.env.ref(view).id, view_type)])
            )
            arch = etree.fromstring(views["views"][view_type]["arch"])
            terms = _shown_terms(arch, model, views["models"])
            english += [
                f"{model} ({key}): {term}"
                for term in sorted(terms)
                if set(re.findall(r"[A-Za-z]{2,}", CODE.sub("", term))) - LATIN_ALLOWED
            ]
        self.assertFalse(english, "English on the screens:\n" + "\n".join(english))

    def test_odoos_terms_the_addon_translates_are_in_effect(self):
        """Each term of i18n_extra/zh_CN.po (Odoo's own, left in English by
        Odoo's zh_CN) reads in Chinese where it shows: a record's field, or
        a view's text."""
        with file_open("kefu_order_flow/i18n_extra/zh_CN.po") as po:
            entries = polib.pofile(po.read())
        for entry in entries:
            for ref, _line in entry.occurrences:
                kind, rest = ref.split(":", 1)
                model_field, xmlid = rest.split(":")
                model, field = model_field.split(",")
                with self.subTest(ref=ref):
                    record = self.env.ref(xmlid).with_context(lang="zh_CN")
                    if kind == "model":
                        self.assertEqual(record[field], entry.msgstr)
                    else:  # model_terms: a view's text
                        self.assertIn(entry.msgstr, record[field])
                        self.assertNotIn(entry.msgid, record[field])

    def test_clerk(self):
        # Yesterday's order is on the board already.
        self._to_review(self._new_order(customer=self.customer_a))
        self._tour("kefu_clerk_tour", self.clerk)
        order = self.env["sale.order"].search(
            [
                ("partner_id", "=", self.customer_b.id),
                ("create_uid", "=", self.clerk.id),
            ]
        )
        self.assertEqual(len(order), 1)
        self.assertEqual(
            (order.kefu_stage, order.kefu_price_state, order.kefu_channel),
            ("review", "ok", "phone"),
        )
        self.assertEqual(order.kefu_requested_date, self._today(30))
        self.assertEqual(order.payment_term_id, self.payment_term)
        self.assertEqual(order.kefu_memo_ids.recorded_by, self.clerk)
        self.assertEqual(
            (
                order.order_line.product_id,
                order.order_line.kefu_spec,
                order.order_line.product_uom_qty,
                order.order_line.price_unit,
            ),
            (self.film, "20μm × 1000mm", 500.0, 20.0),
        )
        # The requests are opened empty: the departments answer.
        for request in (
            order.kefu_tech_confirmation_ids,
            order.kefu_production_confirmation_ids,
        ):
            self.assertEqual(len(request), 1)
            self.assertEqual(request.state, "draft")
            self.assertEqual(request.request_deadline, self._today(2))
            self.assertIn("成品完成日期", request.request_note)
        self.assertFalse(order.kefu_tech_confirmation_ids.can_produce)
        self.assertFalse(order.kefu_tech_confirmation_ids.material_note)
        self.assertFalse(order.kefu_production_confirmation_ids.completion_date)

        order.kefu_tech_confirmation_ids.with_user(self.technician).write(
            {"can_produce": True, "material_note": "BOPP 原膜库存 5 吨"}
        )
        order.kefu_tech_confirmation_ids.with_user(self.technician).action_sign()
        order.kefu_production_confirmation_ids.with_user(self.producer).write(
            {"production_date": self._today(2), "completion_date": self._today(10)}
        )
        order.kefu_production_confirmation_ids.with_user(self.producer).action_sign()
        self._tour("kefu_clerk_tour_release", self.clerk)
        self.assertEqual((order.kefu_stage, order.state), ("released", "sale"))
        self.assertEqual(order.kefu_return_state, "accepted")
        self.assertEqual(order.kefu_return_ids.recorded_by, self.clerk)

    def test_technician(self):
        order = self._to_review(self._new_order())
        request = self._request(
            "kefu.tech.confirmation", order, "能否按原配方生产，原膜库存是否足够"
        )
        self._request("kefu.production.confirmation", order)
        # Told by an activity; the request waits in its work.
        self.assertIn(self.technician, order.activity_ids.user_id)
        self._tour("kefu_technician_tour", self.technician)
        self.assertEqual(request.state, "signed")
        self.assertEqual(request.signed_by, self.technician)
        self.assertTrue(request.can_produce)
        self.assertIn("原膜库存", request.material_note)

    def test_production(self):
        order = self._to_review(self._new_order())
        self._sign_tech(order)
        request = self._request("kefu.production.confirmation", order)
        self._tour("kefu_production_tour", self.producer)
        self.assertEqual(request.state, "signed")
        self.assertEqual(request.signed_by, self.producer)
        self.assertEqual(
            (request.production_date, request.completion_date),
            (self._today(2), self._today(10)),
        )

        order.with_user(self.clerk).action_kefu_send_sheet()
        order.with_user(self.clerk).action_kefu_register_return(
            True, **return_proof(order.with_user(self.clerk))
        )
        order.with_user(self.clerk).action_confirm()
        self._tour("kefu_production_tour_release", self.producer)
        self.assertEqual(order.kefu_production_ack_by, self.producer)
        statement = order.kefu_completion_statement_ids
        self.assertEqual(statement.state, "signed")
        self.assertEqual(statement.signed_by, self.producer)
        self.assertEqual(statement.line_ids.quantity, 500.0)
        self.assertEqual(statement.completion_date, self._today())

    def test_clerk_conformity(self):
        order = self._released(self._new_order())
        order.with_user(self.producer).action_kefu_acknowledge_production()
        self._completion(order, 500.0)
        self._tour("kefu_clerk_tour_conformity", self.clerk)
        self.assertEqual(order.kefu_conformity_state, "accepted")
        opinion = self.env["kefu.sheet.return"].search(
            [("order_id", "=", order.id), ("kind", "=", "conformity")]
        )
        self.assertTrue(opinion.accepted)
        self.assertEqual(opinion.recorded_by, self.clerk)
        self.assertTrue(opinion.attachment_id)

    def test_finance(self):
        self.customer_b.kefu_deposit_percent = 30
        order = self._signed(self._new_order())
        order.with_user(self.clerk).action_kefu_send_sheet()
        order.with_user(self.clerk).action_kefu_register_return(
            True, **return_proof(order.with_user(self.clerk))
        )
        self.assertEqual(order.kefu_deposit_state, "awaiting")
        self._tour("kefu_finance_tour_deposit", self.finance)
        self.assertEqual(order.kefu_deposit_state, "received")
        self.assertEqual(order.kefu_deposit_received_by, self.finance)

        order.with_user(self.clerk).action_confirm()
        order.with_user(self.producer).action_kefu_acknowledge_production()
        self._completion(order, 500.0)
        self.assertEqual(order.kefu_ship_state, "awaiting_payment")
        self._tour("kefu_finance_tour_payment", self.finance)
        self.assertEqual(order.kefu_payment_received_by, self.finance)
        self.assertEqual(order.kefu_ship_state, "approved")
        self.assertEqual(order.kefu_ship_approved_by, self.finance)

    def test_assistant(self):
        order = self._released(self._new_order())
        self._tour("kefu_assistant_tour", self.assistant)
        entry = order.kefu_monitoring_ids
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.recorded_by, self.assistant)
        self.assertEqual(entry.quantity_done, 300.0)

    def test_shipping(self):
        order = self._released(self._new_order())
        order.with_user(self.producer).action_kefu_acknowledge_production()
        self._conformity_accepted(order, 500.0)
        # The refusal is a UserError: Odoo's HTTP layer logs it as a warning.
        with mute_logger("odoo.http"):
            self._tour("kefu_shipping_tour_waiting", self.shipper)
        self.assertEqual(order.picking_ids.state, "assigned")
        self.assertEqual(order.kefu_stage, "released")

        order.with_user(self.finance).action_kefu_confirm_payment()
        order.with_user(self.finance).action_kefu_approve_shipping()
        self._tour("kefu_shipping_tour", self.shipper)
        self.assertEqual(order.picking_ids.state, "done")
        self.assertEqual(order.kefu_stage, "done")


def _shown_terms(node, model, models, labelled=False):
    """The words the view ``node`` of ``model`` shows (``models``: the fields
    of each model of the view, as get_views gives them); a field's own label
    where ``labelled`` (in a form's group, a list's column)."""
    if not isinstance(node.tag, str):  # a comment: only what follows it
        return {node.tail.strip()} - {""} if node.tail else set()
    if {node.get("invisible"), node.get("column_invisible")} & {"1", "True"}:
        return set()
    terms = {node.get(attr) for attr in ("string", "placeholder", "sum")}
    terms |= {node.text, node.tail} if node.tag != "field" else {node.tail}
    field = node.tag == "field" and models[model]["fields"].get(node.get("name"))
    if field:
        if labelled and not node.get("nolabel") and node.get("string") is None:
            terms.add(field["string"])
        terms |= {label for _value, label in field.get("selection") or ()}
        model = field.get("relation") or model
    for child in node:
        terms |= _shown_terms(child, model, models, node.tag in ("group", "list"))
    return {term.strip() for term in terms if term and term.strip()}
