# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import KefuCase


@tagged("post_install", "-at_install")
class TestGradePartner(KefuCase):
    def test_seed_grade_policies(self):
        self.assertEqual(
            [self.grade_a.code, self.grade_b.code, self.grade_c.code], ["A", "B", "C"]
        )
        self.assertTrue(self.grade_a.release_before_return)
        self.assertFalse(self.grade_a.ship_requires_payment)
        self.assertTrue(self.grade_a.track_arrival)
        for grade in self.grade_b | self.grade_c:
            self.assertFalse(grade.release_before_return)
            self.assertTrue(grade.ship_requires_payment)
            self.assertFalse(grade.track_arrival)
        for grade in self.grade_a | self.grade_b | self.grade_c:
            self.assertEqual(grade.deposit_percent, 0)

    def test_deposit_percent_follows_grade_unless_overridden(self):
        self.grade_b.deposit_percent = 30
        self.assertEqual(self.customer_b.kefu_deposit_percent, 30)
        self.customer_b.kefu_deposit_percent = 50
        self.assertTrue(self.customer_b.kefu_deposit_override)
        self.grade_b.deposit_percent = 20
        self.assertEqual(self.customer_b.kefu_deposit_percent, 50)
        self.customer_b.kefu_deposit_override = False
        self.assertEqual(self.customer_b.kefu_deposit_percent, 20)

    def test_deposit_percent_out_of_range_refused(self):
        for value in (-1, 100.01, 150):
            with self.subTest(value=value), self.assertRaises(ValidationError):
                with self.env.cr.savepoint():
                    self.customer_b.kefu_deposit_percent = value
                    self.customer_b.flush_recordset()
        self.assertEqual(self.customer_b.kefu_deposit_percent, 0)
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.grade_b.deposit_percent = 101

    def test_contact_inherits_grade(self):
        contact = self.env["res.partner"].create(
            {"name": "采购 小李", "parent_id": self.customer_a.id}
        )
        self.assertEqual(contact.kefu_grade_id, self.grade_a)

    def test_grade_pricelist_is_customer_default(self):
        self.assertEqual(self.customer_b.property_product_pricelist, self.pricelist)
        order = Form(self.env["sale.order"].with_user(self.clerk))
        order.partner_id = self.customer_b
        self.assertEqual(order.pricelist_id, self.pricelist)

    def test_duplicate_grade_code_refused(self):
        with self.assertRaises(ValidationError):
            self.env["kefu.customer.grade"].create({"name": "Another A", "code": "a"})

    def test_only_supervisor_and_admin_change_grades(self):
        for user in (self.clerk, self.assistant, self.technician, self.finance):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.grade_b.with_user(user).deposit_percent = 10
        self.grade_b.with_user(self.supervisor).deposit_percent = 10
        self.grade_b.with_user(self.director).backfill_days = 5
        self.assertEqual(self.grade_b.deposit_percent, 10)
        admin = self.env.ref("base.user_admin")
        self.grade_b.with_user(admin).deposit_percent = 15
        self.assertEqual(self.grade_b.deposit_percent, 15)
        # Everybody internal reads grades.
        self.assertEqual(self.grade_a.with_user(self.technician).code, "A")

    def test_grade_in_other_company_invisible(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        grade = self.env["kefu.customer.grade"].create(
            {"name": "Other D", "code": "D", "company_id": other.id}
        )
        with mute_logger("odoo.addons.base.models.ir_rule"):
            with self.assertRaises(AccessError):
                grade.with_user(self.supervisor).read(["code"])

    def test_only_supervisor_sets_customer_grade_and_deposit(self):
        editor = new_test_user(
            self.env,
            login="partner_editor",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
        )
        for user in (editor, self.clerk, self.salesman, self.finance):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.customer_b.with_user(user).kefu_grade_id = self.grade_a
            with self.assertRaises(AccessError):
                self.customer_b.with_user(user).kefu_deposit_percent = 10
            with self.assertRaises(AccessError):
                self.env["res.partner"].with_user(user).create(
                    {"name": "自评A级", "kefu_grade_id": self.grade_a.id}
                )
        self.customer_b.with_user(self.supervisor).kefu_grade_id = self.grade_a
        self.assertEqual(self.customer_b.kefu_grade_id, self.grade_a)
        # Whoever may edit customers still edits them and adds contacts.
        self.customer_b.with_user(editor).phone = "+86 21 5555 0101"
        contact = (
            self.env["res.partner"]
            .with_user(editor)
            .create({"name": "采购 小王", "parent_id": self.customer_b.id})
        )
        self.assertEqual(contact.kefu_grade_id, self.grade_a)
