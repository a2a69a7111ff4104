# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Grades come only from those who give them: the supervisor (or the director)
sets a customer's grade and deposit, whatever the path (a contact created or
turned into a company, an import, a merge), and a contact carries its
customer's."""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import KefuCase


@tagged("post_install", "-at_install")
class TestContractGrades(KefuCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._load_zh_cn()
        cls.editor = new_test_user(
            cls.env,
            login="partner_editor",
            groups="sales_team.group_sale_salesman,base.group_partner_manager",
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "采购 小李", "parent_id": cls.customer_a.id}
        )

    def _partners(self, user, env=None):
        return (env or self.env)["res.partner"].with_user(user)

    def test_a_company_created_under_a_customer_has_no_grade_of_its_own(self):
        self.assertRefused(
            lambda env: self._partners(self.editor, env).create(
                {
                    "name": "分公司",
                    "is_company": True,
                    "parent_id": self.customer_b.id,
                    "kefu_grade_id": self.grade_a.id,
                }
            ),
            "supervisor",
            AccessError,
        )
        # Nor through a context default (the grade's list of customers has one).
        self.assertRefused(
            lambda env: (
                self._partners(self.editor, env)
                .with_context(default_kefu_grade_id=self.grade_a.id)
                .create({"name": "新客户", "is_company": True})
            ),
            "supervisor",
            AccessError,
        )
        branch = self._partners(self.editor).create(
            {"name": "分公司", "is_company": True, "parent_id": self.customer_b.id}
        )
        self.assertFalse(branch.kefu_grade_id)
        branch = self._partners(self.supervisor).create(
            {
                "name": "分公司 2",
                "is_company": True,
                "parent_id": self.customer_b.id,
                "kefu_grade_id": self.grade_a.id,
            }
        )
        self.assertEqual(branch.kefu_grade_id, self.grade_a)

    def test_a_contact_carries_its_customers_grade(self):
        for user in (self.editor, self.supervisor):
            self.assertRefused(
                lambda env, user=user: (
                    self.contact.with_env(env)
                    .with_user(user)
                    .write({"kefu_grade_id": self.grade_c.id})
                ),
                "carries the grade and deposit of",
                AccessError,
            )
            self.assertRefused(
                lambda env, user=user: (
                    self.contact.with_env(env)
                    .with_user(user)
                    .write({"kefu_deposit_percent": 40.0})
                ),
                "carries the grade and deposit of",
                AccessError,
            )
        self.assertEqual(self.contact.kefu_grade_id, self.grade_a)
        self.assertEqual(self.customer_a.kefu_grade_id, self.grade_a)
        # Moved to another customer, it carries that customer's.
        self.contact.with_user(self.editor).parent_id = self.customer_b
        self.assertEqual(self.contact.kefu_grade_id, self.grade_b)

    def test_a_contact_turned_into_a_company_keeps_no_grade(self):
        for vals in (
            {"is_company": True},
            {"parent_id": False},
            {"is_company": True, "kefu_grade_id": self.grade_a.id},
        ):
            with self.subTest(vals=vals):
                contact = self.contact.copy({"parent_id": self.customer_a.id})
                self.assertEqual(contact.kefu_grade_id, self.grade_a)
                contact.with_user(self.editor).write(vals)
                self.assertEqual(contact.commercial_partner_id, contact)
                self.assertFalse(contact.kefu_grade_id)
        self.assertRefused(
            lambda env: (
                self.contact.with_env(env)
                .with_user(self.editor)
                .write({"is_company": True, "kefu_grade_id": self.grade_b.id})
            ),
            "supervisor",
            AccessError,
        )
        self.contact.with_user(self.supervisor).write({"is_company": True})
        self.assertEqual(self.contact.kefu_grade_id, self.grade_a)

    def test_a_company_turned_into_a_contact_takes_its_customers_grade(self):
        branch = self.env["res.partner"].create(
            {
                "name": "分公司",
                "is_company": True,
                "parent_id": self.customer_a.id,
                "kefu_grade_id": self.grade_c.id,
            }
        )
        branch.with_user(self.editor).write({"is_company": False})
        self.assertEqual(branch.commercial_partner_id, self.customer_a)
        self.assertEqual(branch.kefu_grade_id, self.grade_a)

    def test_import_sets_no_grade(self):
        fields = ["name", "is_company", "parent_id/.id", "kefu_grade_id/.id"]
        rows = [["导入分公司", "1", str(self.customer_b.id), str(self.grade_a.id)]]
        result = self._partners(self.editor).load(fields, rows)
        self.assertFalse(result["ids"])
        self.assertIn("supervisor", str(result["messages"]))
        self.assertFalse(self.env["res.partner"].search([("name", "=", "导入分公司")]))
        result = self._partners(self.supervisor).load(fields, rows)
        self.assertEqual(
            self.env["res.partner"].browse(result["ids"]).kefu_grade_id, self.grade_a
        )

    def _merge(self, user, partners, destination, env=None):
        wizard = (
            (env or self.env)["base.partner.merge.automatic.wizard"]
            .with_user(user)
            .create(
                {
                    "partner_ids": [(6, 0, partners.ids)],
                    "dst_partner_id": destination.id,
                }
            )
        )
        return wizard.action_merge()

    def test_merge_gives_no_grade(self):
        graded = self.env["res.partner"].create(
            {"name": "甲级 旧", "is_company": True, "kefu_grade_id": self.grade_a.id}
        )
        new = self._partners(self.editor).create({"name": "新客户", "is_company": True})
        self.assertRefused(
            lambda env: self._merge(self.editor, graded | new, new, env),
            "supervisor",
            AccessError,
        )
        self.assertFalse(new.kefu_grade_id)
        # Partners of the same grade merge: nothing changes hands.
        twin = self.env["res.partner"].create(
            {"name": "甲级 新", "is_company": True, "kefu_grade_id": self.grade_a.id}
        )
        self._merge(self.editor, graded | twin, twin)
        self.assertFalse(graded.exists())
        self.assertEqual(twin.kefu_grade_id, self.grade_a)
