# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Each role opens the records it works on the way the web client does: the
form view as that user (``get_views``), then ``web_read`` of the fields that
form shows, sub-lists included. No access error for anyone."""

import ast

from freezegun import freeze_time
from lxml import etree

from odoo.tests import tagged

from .common import KefuCase

X2MANY = ("one2many", "many2many")


def form_spec(env, model, arch):
    """The ``web_read`` specification the web client builds from a form arch."""
    return _node_spec(env, model, etree.fromstring(arch))


def _node_spec(env, model, node):
    spec = {}
    for child in node.iterchildren():
        if not isinstance(child.tag, str):
            continue
        if child.tag != "field":
            spec.update(_node_spec(env, model, child))
            continue
        field = env[model]._fields[child.get("name")]
        if field.type == "many2one":
            spec[field.name] = {"fields": {"display_name": {}}}
        elif field.type in X2MANY:
            sub = {}
            for view in child.iterchildren("list", "kanban", "form"):
                sub.update(_node_spec(env, field.comodel_name, view))
            spec[field.name] = {"fields": sub or {"display_name": {}}}
        else:
            spec[field.name] = {}
    return spec


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 02:00:00")
class TestRoleForms(KefuCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._stock_film()

    def _open(self, record, user, view_ref=None):
        """Open ``record``'s form as ``user``; returns what the client reads."""
        record = record.with_user(user)
        view_id = self.env.ref(view_ref).id if view_ref else False
        self.env.invalidate_all()
        views = record.get_views([(view_id, "form")])
        arch = views["views"]["form"]["arch"]
        spec = form_spec(record.env, record._name, arch)
        self.assertIn("display_name", spec | {"display_name": {}})
        values = record.web_read(spec | {"display_name": {}})[0]
        return values, arch

    def _full_order(self):
        """A released order with every register filled: memo, confirmations,
        sheet version, return, monitoring, completion, money received."""
        order = self._to_released(self._order())
        self.env["kefu.order.memo"].with_user(self.clerk).create(
            {"order_id": order.id, "content": "客户来电催货"}
        )
        self.env["kefu.monitoring"].with_user(self.assistant).create(
            {"order_id": order.id, "progress": "印刷中", "is_problem": True}
        )
        self._completion(order)
        order.with_user(self.finance).action_kefu_confirm_payment()
        self.assertTrue(order.kefu_return_ids)
        self.assertTrue(order.kefu_money_receipt_ids)
        self.assertTrue(order.kefu_monitoring_ids)
        return order

    def test_every_role_opens_the_order_form(self):
        order = self._full_order()
        review = self._to_review(self._order())
        for role in (
            "clerk",
            "assistant",
            "supervisor",
            "director",
            "technician",
            "producer",
            "finance",
            "shipper",
            "salesman",
        ):
            for record in (order, review):
                with self.subTest(role=role, stage=record.kefu_stage):
                    values, _arch = self._open(
                        record, getattr(self, role), "sale.view_order_form"
                    )
                    self.assertEqual(values["id"], record.id)

    def test_add_a_line_only_for_who_may_create(self):
        """A register on the order offers "Add a line" to the roles that may
        create its records, and to no one else."""
        order = self._full_order()
        cases = (
            ("kefu_memo_ids", ("clerk", "assistant"), ("technician", "finance")),
            ("kefu_tech_confirmation_ids", ("clerk", "technician"), ("producer",)),
            (
                "kefu_production_confirmation_ids",
                ("clerk", "producer"),
                ("technician", "finance"),
            ),
            (
                "kefu_completion_statement_ids",
                ("producer",),
                ("clerk", "assistant", "finance"),
            ),
        )
        for field, may, may_not in cases:
            for role in may + may_not:
                with self.subTest(field=field, role=role):
                    _values, arch = self._open(
                        order, getattr(self, role), "sale.view_order_form"
                    )
                    (sub,) = etree.fromstring(arch).xpath(
                        f"//field[@name='{field}']/list"
                    )
                    self.assertEqual(sub.get("create") != "False", role in may)

    def test_departments_do_not_read_what_is_not_theirs(self):
        order = self._full_order()
        for role, hidden in (
            ("technician", ("kefu_money_receipt_ids", "kefu_return_ids")),
            ("producer", ("kefu_money_receipt_ids", "kefu_return_ids")),
        ):
            with self.subTest(role=role):
                values, _arch = self._open(
                    order, getattr(self, role), "sale.view_order_form"
                )
                for name in hidden:
                    self.assertNotIn(name, values)

    def test_departments_open_their_statements(self):
        order = self._full_order()
        cases = (
            (order.kefu_tech_confirmation_ids, ("technician", "clerk", "producer")),
            (order.kefu_production_confirmation_ids, ("producer", "clerk")),
            (order.kefu_completion_statement_ids, ("producer", "clerk", "finance")),
            (order.kefu_monitoring_ids, ("assistant", "producer")),
        )
        for records, roles in cases:
            for role in roles:
                with self.subTest(model=records._name, role=role):
                    values, _arch = self._open(records[:1], getattr(self, role))
                    self.assertTrue(values["display_name"])

    def test_production_acknowledges_from_its_menu(self):
        order = self._to_released(self._order())
        action = self.env.ref("kefu_order_flow.sale_order_action_kefu_production")
        menu = self.env.ref("kefu_order_flow.kefu_production_order_menu")
        visible = self.env["ir.ui.menu"].with_user(self.producer)._visible_menu_ids()
        self.assertIn(menu.id, visible)
        domain = ast.literal_eval(action.domain)
        found = (
            self.env["sale.order"]
            .with_user(self.producer)
            .web_search_read(domain, {"name": {}, "kefu_stage": {}})
        )
        self.assertIn(order.id, [rec["id"] for rec in found["records"]])
        values, arch = self._open(order, self.producer, "sale.view_order_form")
        self.assertTrue(values["kefu_can_acknowledge_production"])
        self.assertIn('name="action_kefu_acknowledge_production"', arch)
        order.with_user(self.producer).action_kefu_acknowledge_production()
        self.assertEqual(order.kefu_production_ack_by, self.producer)
        values, _arch = self._open(order, self.producer, "sale.view_order_form")
        self.assertFalse(values["kefu_can_acknowledge_production"])

    def test_every_record_has_a_display_name(self):
        order = self._full_order()
        tech = order.kefu_tech_confirmation_ids
        self.assertEqual(tech.display_name, f"Technical Confirmation {order.name} / 1")
        records = (
            order.kefu_production_confirmation_ids,
            order.kefu_completion_statement_ids,
            order.kefu_memo_ids,
            order.kefu_monitoring_ids,
            order.kefu_return_ids,
        )
        for record in records:
            with self.subTest(model=record._name):
                self.assertRegex(record[:1].display_name, rf"\S {order.name} / \d+$")
        self._load_zh_cn()
        zh_tech = tech.with_context(lang="zh_CN")
        self.assertEqual(zh_tech.display_name, f"技术确认 {order.name} / 1")
        # The technician reads the name of its own confirmation in its language.
        self.technician.lang = "zh_CN"
        self.env.invalidate_all()
        self.assertEqual(
            tech.with_user(self.technician)
            .with_context(lang="zh_CN")
            .read(["display_name"])[0]["display_name"],
            f"技术确认 {order.name} / 1",
        )

    def test_assistant_records_monitoring_in_a_form_of_its_own(self):
        """The register allows no editing in place, so the order's monitoring
        list opens the entry's form: the entry's fields, not Odoo's generated
        form with every technical field."""
        order = self._to_released(self._order())
        views = (
            self.env["kefu.monitoring"]
            .with_user(self.assistant)
            .get_views([(False, "form")])
        )
        form = views["views"]["form"]
        self.assertEqual(
            form["id"], self.env.ref("kefu_order_flow.kefu_monitoring_view_form").id
        )
        names = set(etree.fromstring(form["arch"]).xpath("//field/@name"))
        self.assertLessEqual(
            {"date", "progress", "quantity_done", "quality_note", "is_problem"}, names
        )
        self.assertFalse({"company_id", "order_id", "is_open_problem"} & names)
        # The order's list is not editable in place for the assistant.
        _values, arch = self._open(order, self.assistant, "sale.view_order_form")
        (monitoring,) = etree.fromstring(arch).xpath(
            "//field[@name='kefu_monitoring_ids']/list"
        )
        self.assertIn(monitoring.get("edit"), ("0", "false", "False"))
