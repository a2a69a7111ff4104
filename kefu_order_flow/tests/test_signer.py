# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import KefuCase


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 02:00:00")
class TestDesignatedSigner(KefuCase):
    """The customer's fax data and designated signers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.signer = cls.env["res.partner"].create(
            {"name": "王 经理", "parent_id": cls.customer_b.id}
        )
        cls.other = cls.env["res.partner"].create(
            {"name": "李 仓管", "parent_id": cls.customer_b.id}
        )
        cls.customer_b.with_user(cls.supervisor).write(
            {
                "kefu_fax": "+86 21 5555 0100",
                "kefu_fax_email": "fax-5555-0100@fax.example.com",
                "kefu_signer_ids": [(6, 0, cls.signer.ids)],
            }
        )

    def _sent(self):
        return self._to_sheet_sent(self._order())

    def test_designated_signer_by_name_or_contact(self):
        order = self._sent()
        order.with_user(self.clerk).action_kefu_register_return(
            True, attachment_id=self._scan(order), signer="  王   经理 "
        )
        self.assertEqual(order.kefu_stage, "returned")
        ret = order.kefu_return_ids
        self.assertEqual(ret.signer, "王 经理")
        self.assertFalse(ret.signer_confirmed_by)
        order2 = self._sent()
        order2.with_user(self.clerk).action_kefu_register_return(
            True, attachment_id=self._scan(order2), signer=self.signer.id
        )
        self.assertEqual(order2.kefu_return_ids.signer, "王 经理")

    def test_other_signer_needs_the_supervisor(self):
        order = self._sent()
        with self.assertRaisesRegex(UserError, "supervisor must confirm"):
            order.with_user(self.clerk).action_kefu_register_return(
                True, attachment_id=self._scan(order), signer="李 仓管"
            )
        self.assertEqual(order.kefu_return_state, "pending")
        self.assertFalse(order.kefu_return_ids)
        order.with_user(self.supervisor).action_kefu_register_return(
            True, attachment_id=self._scan(order), signer=self.other.id
        )
        self.assertEqual(order.kefu_stage, "returned")
        self.assertEqual(order.kefu_return_ids.signer_confirmed_by, self.supervisor)
        self.assertTrue(
            any("confirmed by" in str(b) for b in order.message_ids.mapped("body"))
        )

    def test_a_rejection_needs_no_designated_signer(self):
        order = self._sent()
        order.with_user(self.clerk).action_kefu_register_return(
            False, reject_reason="other", note="不清楚", signer="李 仓管"
        )
        self.assertEqual(order.kefu_return_state, "rejected")

    def test_company_refuses_other_signers(self):
        self.company.kefu_signer_policy = "refuse"
        order = self._sent()
        for user in (self.clerk, self.supervisor):
            with self.assertRaisesRegex(UserError, "is refused"):
                order.with_user(user).action_kefu_register_return(
                    True, attachment_id=self._scan(order), signer="李 仓管"
                )
        self._load_zh_cn()
        with self.assertRaisesRegex(UserError, "指定签字人"):
            order.with_user(self.supervisor).with_context(
                lang="zh_CN"
            ).action_kefu_register_return(
                True, attachment_id=self._scan(order), signer="李 仓管"
            )

    def test_no_list_no_check(self):
        order = self._to_sheet_sent(self._order(customer=self.customer_c))
        order.with_user(self.clerk).action_kefu_register_return(
            True, attachment_id=self._scan(order), signer="任何人"
        )
        self.assertEqual(order.kefu_stage, "returned")

    def test_policy_fields_reach_contacts_only_through_the_company(self):
        designated = self.env["kefu.sheet.return"]._kefu_is_designated_signer
        self.assertTrue(designated(self.customer_b, self.signer))
        self.assertFalse(designated(self.customer_b, "李 仓管"))
        self.assertFalse(designated(self.customer_b, False))
        # A contact asks its company's list.
        self.assertTrue(designated(self.other, "王 经理"))
