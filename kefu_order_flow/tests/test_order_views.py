# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The order's views as the clerk and finance use them: the form's pages, the
clerk's filters and searches (their domains evaluated as the web client does,
in the user's time zone), the board's folded stages, finance's amounts."""

import datetime
from types import SimpleNamespace

import pytz
from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
from lxml import etree

from odoo import fields
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import NOW, KefuCase

DT = datetime.datetime
D = datetime.date
PAGES = {
    "kefu_intake": ("Intake", "接单"),
    "kefu_review": ("Review", "评审"),
    "kefu_sheet": ("Sheet and Return", "确认书与回传"),
    "kefu_production": ("Production and Shipping", "生产与发货"),
}


def web_client_context(user):
    """What a search view's domain is evaluated with in the web client, for
    ``user``: ``context_today()`` and ``datetime`` with ``to_utc()`` (py.js)."""
    tz = pytz.timezone(user.tz)

    class LocalDatetime(datetime.datetime):
        def to_utc(self):
            return tz.localize(self).astimezone(pytz.utc).replace(tzinfo=None)

    today = fields.Date.context_today(user.env["res.users"].with_user(user))
    return {
        "context_today": lambda: today,
        "datetime": SimpleNamespace(
            datetime=LocalDatetime,
            date=datetime.date,
            time=datetime.time,
            timedelta=datetime.timedelta,
        ),
        "relativedelta": relativedelta,
        "uid": user.id,
    }


@tagged("post_install", "-at_install")
@freeze_time(NOW)  # Monday 2 March 2026, 10:00 in Shanghai
class TestOrderViews(KefuCase):
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

    # The search view as the clerk gets it -----------------------------------
    def _search_arch(self):
        views = (
            self.env["sale.order"]
            .with_user(self.clerk)
            .get_views([(self.env.ref("sale.view_sales_order_filter").id, "search")])
        )
        return etree.fromstring(views["views"]["search"]["arch"])

    def _filter(self, name):
        """Orders the clerk finds with the filter ``name``."""
        node = self._search_arch().xpath(f"//filter[@name='{name}']")[0]
        domain = safe_eval(node.get("domain"), web_client_context(self.clerk))
        return self.env["sale.order"].with_user(self.clerk).search(domain)

    def _search(self, label, term):
        """Orders the clerk finds typing ``term`` in the search field ``label``."""
        node = self._search_arch().xpath(f"//field[@string='{label}']")[0]
        domain = safe_eval(node.get("filter_domain"), {"self": term})
        return self.env["sale.order"].with_user(self.clerk).search(domain)

    def _created_at(self, order, utc):
        # The ORM writes create_date from the transaction's clock, not freezegun's.
        self.env.cr.execute(
            "UPDATE sale_order SET create_date = %s WHERE id = %s", (utc, order.id)
        )
        order.invalidate_recordset(["create_date"])

    def _assert_finds(self, found, inside, outside):
        self.assertEqual(found & (inside | outside), inside)

    # The form ---------------------------------------------------------------
    def test_form_pages(self):
        self._load_zh_cn()
        form = self.env.ref("sale.view_order_form").id
        for lang, index in (("en_US", 0), ("zh_CN", 1)):
            arch = (
                self.env["sale.order"]
                .with_user(self.clerk)
                .with_context(lang=lang)
                .get_views([(form, "form")])["views"]["form"]["arch"]
            )
            pages = {
                page.get("name"): page.get("string")
                for page in etree.fromstring(arch).xpath("//notebook/page")
            }
            with self.subTest(lang=lang):
                for name, labels in PAGES.items():
                    self.assertEqual(pages.get(name), labels[index])
                self.assertNotIn("kefu", pages)

    # The clerk's filters ----------------------------------------------------
    def test_new_today(self):
        today = self._order()
        self._created_at(today, DT(2026, 3, 1, 16, 30))  # 00:30 today in Shanghai
        yesterday = self._order()
        self._created_at(yesterday, DT(2026, 3, 1, 15, 30))  # 23:30 yesterday
        self._assert_finds(self._filter("kefu_new_today"), today, yesterday)

    def test_reply_due_today(self):
        due = self._order(kefu_reply_promise_at=DT(2026, 3, 2, 9, 0))  # 17:00
        overdue = self._order(kefu_reply_promise_at=DT(2026, 3, 1, 5, 0))
        tomorrow = self._order(kefu_reply_promise_at=DT(2026, 3, 2, 17, 0))  # 01:00
        answered = self._to_sheet_sent(
            self._order(kefu_reply_promise_at=DT(2026, 3, 2, 9, 0))
        )
        none = self._order()
        self._assert_finds(
            self._filter("kefu_reply_today"),
            due | overdue,
            tomorrow | answered | none,
        )

    def test_due_this_week(self):
        sunday = self._order(kefu_sheet_date=D(2026, 3, 8))
        monday = self._order(kefu_sheet_date=D(2026, 3, 2))
        next_monday = self._order(kefu_sheet_date=D(2026, 3, 9))
        last_sunday = self._order(kefu_sheet_date=D(2026, 3, 1))
        self.assertEqual(sunday.kefu_planned_date, D(2026, 3, 8))
        # The delivery date, in Shanghai: Sunday 23:00, Monday 00:30.
        committed = self._order(commitment_date=DT(2026, 3, 8, 15, 0))
        committed_late = self._order(commitment_date=DT(2026, 3, 8, 16, 30))
        committed_early = self._order(commitment_date=DT(2026, 3, 1, 15, 59))
        self._assert_finds(
            self._filter("kefu_due_this_week"),
            sunday | monday | committed,
            next_monday | last_sunday | committed_late | committed_early,
        )
        with freeze_time("2026-03-08 10:00:00"):  # Sunday, the same week
            self._assert_finds(
                self._filter("kefu_due_this_week"),
                sunday | monday | committed,
                next_monday | last_sunday | committed_late | committed_early,
            )

    def test_return_awaited(self):
        sent = self._to_sheet_sent(self._order())
        rejected = self._to_sheet_sent(self._order())
        rejected.with_user(self.clerk).action_kefu_register_return(
            False, reject_reason="stamp"
        )
        self.assertEqual(rejected.kefu_return_state, "rejected")
        returned = self._to_returned(self._order())
        review = self._to_review(self._order())
        self._assert_finds(
            self._filter("kefu_return_awaited"), sent | rejected, returned | review
        )

    def test_slipping(self):
        sent = self._to_sheet_sent(self._order())
        returned = self._to_returned(self._order())
        on_time = self._to_sheet_sent(self._order())
        for order in sent | returned:
            self.transition(order).write({"kefu_slip_days": 2})
        self._assert_finds(self._filter("kefu_slipping"), sent | returned, on_time)

    # The clerk's searches ---------------------------------------------------
    def test_search_by_phone_and_fax(self):
        self.customer_a.write({"phone": "0571-8765 4321", "kefu_fax": "0571-8765 4399"})
        self.customer_b.mobile = "139 1234 5678"
        contact = self.env["res.partner"].create(
            {"name": "采购 小李", "parent_id": self.customer_a.id}
        )
        by_contact = self._order(contact)
        order_a = self._order(self.customer_a)
        order_b = self._order(self.customer_b)
        label = "Customer Phone/Fax"
        self._assert_finds(
            self._search(label, "8765 4321"), order_a | by_contact, order_b
        )
        self._assert_finds(self._search(label, "4399"), order_a | by_contact, order_b)
        self._assert_finds(self._search(label, "1234 5678"), order_b, order_a)

    def test_search_by_specification(self):
        thin = self._order()
        thick = self._order(lines=[self._line(kefu_spec="25μm × 800mm")])
        self._assert_finds(self._search("Specification", "25μm"), thick, thin)
        self._assert_finds(self._search("Specification", "1000mm"), thin, thick)

    # The board --------------------------------------------------------------
    def test_board_folds_the_closed_stages(self):
        orders = self._order() | self._to_review(self._order())
        cancelled = self._order()
        cancelled.with_user(self.clerk).action_cancel()
        groups = (
            self.env["sale.order"]
            .with_user(self.clerk)
            .web_read_group(
                [("id", "in", (orders | cancelled).ids)], ["kefu_stage"], ["kefu_stage"]
            )["groups"]
        )
        folded = {group["kefu_stage"]: group["__fold"] for group in groups}
        self.assertEqual(
            folded,
            {
                "intake": False,
                "review": False,
                "sheet_sent": False,
                "returned": False,
                "released": False,
                "shipped": True,
                "done": True,
                "cancel": True,
            },
        )

    # Finance's list ---------------------------------------------------------
    def _assert_awaited(self, order, kind, share):
        self.assertEqual(order.kefu_awaited_kind, kind)
        self.assertAlmostEqual(order.kefu_awaited_amount, order.amount_total * share)

    def test_amount_awaited_and_its_kind(self):
        order = self._to_returned(self._order(self.customer_deposit))
        self._assert_awaited(order, "deposit", 0.3)
        order.with_user(self.finance).action_kefu_confirm_deposit()
        self._assert_awaited(order, False, 0)
        order.with_user(self.clerk).action_confirm()
        self.assertEqual(order.kefu_ship_state, "awaiting_payment")
        self._assert_awaited(order, "payment", 0.7)
        self._assert_awaited(self._to_review(self._order()), False, 0)

    def test_finance_list_shows_the_amount_awaited(self):
        order = self._to_returned(self._order(self.customer_deposit))
        action = self.env.ref("kefu_order_flow.sale_order_action_kefu_finance")
        list_view = action.view_ids.filtered(lambda v: v.view_mode == "list").view_id
        arch = (
            self.env["sale.order"]
            .with_user(self.finance)
            .get_views([(list_view.id, "list")])["views"]["list"]["arch"]
        )
        columns = etree.fromstring(arch).xpath("/list/field/@name")
        self.assertIn("kefu_awaited_kind", columns)
        self.assertIn("kefu_awaited_amount", columns)
        found = (
            self.env["sale.order"]
            .with_user(self.finance)
            .web_search_read(
                safe_eval(action.domain),
                {"kefu_awaited_kind": {}, "kefu_awaited_amount": {}},
            )["records"]
        )
        self.assertIn(
            {
                "id": order.id,
                "kefu_awaited_kind": "deposit",
                "kefu_awaited_amount": order.kefu_deposit_amount,
            },
            found,
        )
