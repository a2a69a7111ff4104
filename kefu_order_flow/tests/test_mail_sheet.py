# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import KefuCase, return_proof


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 02:00:00")
class TestMailSheet(KefuCase):
    """The sheet by mail and fax-to-mail through Odoo's composer (issue 12,
    item 2 / step 6)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._load_zh_cn()
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "王 经理",
                "parent_id": cls.customer_b.id,
                "email": "wang@customer-b.example.com",
            }
        )
        cls.customer_b.with_user(cls.supervisor).write(
            {"kefu_fax_email": "862155550100@fax.example.com"}
        )

    def _composer(self, order):
        action = order.with_user(self.clerk).action_kefu_mail_sheet()
        self.assertEqual(action["res_model"], "mail.compose.message")
        return (
            self.env["mail.compose.message"]
            .with_user(self.clerk)
            .with_context(**action["context"])
            .create({})
        )

    def test_mail_the_version_as_sent(self):
        order = self._order(partner_id=self.contact.id)
        self._to_sheet_sent(order)
        version = order.kefu_sheet_version_id
        composer = self._composer(order)
        self.assertEqual(composer.attachment_ids, version.attachment_id)
        self.assertIn("version 1", composer.subject)
        self.assertIn(version.fingerprint, composer.body)
        self.assertEqual(
            sorted(composer.partner_ids.mapped("email")),
            ["862155550100@fax.example.com", "wang@customer-b.example.com"],
        )
        composer._action_send_mail()
        message = order.message_ids.filtered(
            lambda m: m.message_type == "comment" and m.attachment_ids
        )[:1]
        self.assertEqual(message.attachment_ids, version.attachment_id)
        self.assertEqual(message.partner_ids, composer.partner_ids)
        # The same transition as a fax by hand: nothing more moves.
        self.assertEqual(order.kefu_stage, "sheet_sent")
        self.assertEqual(order.kefu_sheet_version, 1)

    def test_template_renders_in_chinese(self):
        self.contact.lang = "zh_CN"
        order = self._order(partner_id=self.contact.id)
        self._to_sheet_sent(order)
        template = self.env.ref("kefu_order_flow.mail_template_kefu_sheet")
        subject = template._render_field("subject", order.ids, compute_lang=True)
        body = template._render_field("body_html", order.ids, compute_lang=True)
        self.assertIn("订单确认书", subject[order.id])
        self.assertIn("第 1 版", subject[order.id])
        self.assertIn("内容指纹", str(body[order.id]))
        self.assertIn(order.kefu_sheet_version_id.fingerprint, str(body[order.id]))

    def test_only_the_clerk_and_only_while_waiting(self):
        order = self._order(partner_id=self.contact.id)
        self._to_sheet_sent(order)
        with self.assertRaises(AccessError):
            order.with_user(self.finance).action_kefu_mail_sheet()
        order.with_user(self.clerk).action_kefu_register_return(
            True, **return_proof(order)
        )
        with self.assertRaisesRegex(UserError, "this step needs stage"):
            order.with_user(self.clerk).action_kefu_mail_sheet()

    def test_deposit_notice_by_mail(self):
        self.customer_b.with_user(self.supervisor).kefu_deposit_percent = 30
        order = self._order(partner_id=self.contact.id)
        self._to_returned(order)
        self.assertEqual(order.kefu_deposit_state, "awaiting")
        action = order.with_user(self.clerk).action_kefu_mail_deposit()
        composer = (
            self.env["mail.compose.message"]
            .with_user(self.clerk)
            .with_context(**action["context"])
            .create({})
        )
        self.assertIn("deposit", composer.subject)
        composer._action_send_mail()
        self.assertTrue(
            order.message_ids.filtered(lambda m: "deposit" in (m.subject or ""))
        )
        order.with_user(self.finance).action_kefu_confirm_deposit()
        with self.assertRaisesRegex(UserError, "not awaiting a deposit"):
            order.with_user(self.clerk).action_kefu_mail_deposit()

    def test_conformity_request_by_mail(self):
        order = self._order(partner_id=self.contact.id)
        self._to_released(order)
        self._completion(order, 100)
        order.with_user(self.clerk).action_kefu_send_conformity()
        with self.assertRaises(AccessError):
            order.with_user(self.finance).action_kefu_mail_conformity()
        action = order.with_user(self.clerk).action_kefu_mail_conformity()
        composer = (
            self.env["mail.compose.message"]
            .with_user(self.clerk)
            .with_context(**action["context"])
            .create({})
        )
        self.assertEqual(composer.attachment_ids.name, f"{order.name}-conformity.pdf")
        self.assertIn("conformity request", composer.subject)
        self.assertIn(
            "862155550100@fax.example.com", composer.partner_ids.mapped("email")
        )
        composer._action_send_mail()
        order.with_user(self.clerk).action_kefu_register_conformity(True)
        with self.assertRaisesRegex(UserError, "this step needs stage|waiting"):
            order.with_user(self.clerk).action_kefu_mail_conformity()
