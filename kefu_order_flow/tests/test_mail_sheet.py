# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Send Confirmation Sheet, Send Conformity Request, Send Deposit Notice: one
dialog per step; by mail through Odoo's composer (the
step is taken when the mail is sent) or as a fax sent by hand (taken at once);
the same step either way, with the channel and the recipients in the chatter."""

import xmlrpc.client

from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from odoo.addons.base.controllers.rpc import RPC_FAULT_CODE_ACCESS_ERROR

from ..tools.kefu_roles import ROLES
from .common import KefuCase, return_proof
from .role_matrix import ROLE_MATRIX

FAX = "021-5555 0100"
FAX_MAIL = "862155550100@fax.example.com"
CONTACT_MAIL = "wang@customer-b.example.com"


def refused_roles(action):
    """The roles the role table refuses ``action`` (an access error)."""
    codes = next(
        row[3].split()
        for row in ROLE_MATRIX
        if row[0] == "sale.order" and row[1] == action
    )
    return [role.key for role, code in zip(ROLES, codes, strict=True) if code == "A"]


class SendCase(KefuCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The mails' language is the contact's (English here, Chinese below).
        cls.env["res.lang"]._activate_lang("en_US")
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "王 经理",
                "parent_id": cls.customer_b.id,
                "email": CONTACT_MAIL,
                "lang": "en_US",
            }
        )
        cls.customer_b.with_user(cls.supervisor).write(
            {"kefu_fax_email": FAX_MAIL, "kefu_fax": FAX}
        )

    def _ready(self, customer=None, **vals):
        """An order whose sheet may go out: reviewed, both confirmations signed."""
        order = self._order(customer, **vals)
        self._to_review(order)
        self._sign_tech(order)
        self._sign_production(order)
        return order


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 02:00:00")
class TestMailSheet(SendCase):
    def _dialog(self, order, document, user=None):
        return (
            self.env["kefu.send.wizard"]
            .with_user(user or self.clerk)
            .with_context(default_order_id=order.id, default_document=document)
            .create({})
        )

    def _composer(self, action):
        self.assertEqual(action["res_model"], "mail.compose.message")
        return (
            self.env["mail.compose.message"]
            .with_user(self.clerk)
            .with_context(**action["context"])
            .create({})
        )

    def _notes(self, order):
        return order.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("mail.mt_note")
        )

    # The sheet ---------------------------------------------------------------
    def test_sheet_by_mail_through_the_composer(self):
        order = self._ready(partner_id=self.contact.id)
        messages = order.message_ids
        dialog = self._dialog(order, "sheet")
        self.assertEqual(dialog.channel, "mail")
        self.assertEqual(dialog.mail_to, f"{CONTACT_MAIL}, {FAX_MAIL}")
        composer = self._composer(dialog.action_send())
        # The composer holds the PDF of the version it sends, nothing is
        # recorded before the mail goes out.
        pdf = composer.attachment_ids
        self.assertEqual(pdf.name, f"{order.name}-v1.pdf")
        self.assertEqual(pdf.res_model, "mail.compose.message")
        self.assertIn("version 1", composer.subject)
        fingerprint = order._kefu_sheet_next().fingerprint
        self.assertIn(fingerprint, composer.body)
        self.assertEqual(
            sorted(composer.partner_ids.mapped("email")), [FAX_MAIL, CONTACT_MAIL]
        )
        self.assertEqual(order.kefu_stage, "review")
        self.assertFalse(order.kefu_sheet_version_ids)
        self.assertEqual(order.message_ids, messages)

        composer.action_send_mail()
        version = order.kefu_sheet_version_id
        self.assertEqual(order.kefu_stage, "sheet_sent")
        self.assertEqual(order.kefu_return_state, "pending")
        self.assertEqual(version.version, 1)
        self.assertEqual(version.fingerprint, fingerprint)
        self.assertEqual(version.sent_by, self.clerk)
        # The PDF mailed is the version's, and it prints that version's code.
        self.assertEqual(version.attachment_id, pdf)
        self.assertEqual((pdf.res_model, pdf.res_id), ("sale.order", order.id))
        self.assertIn(version._get_qr_payload().encode(), pdf.raw)
        mail = order.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(mail.attachment_ids, pdf)
        self.assertEqual(mail.partner_ids, composer.partner_ids)
        note = self._notes(order) - messages
        self.assertEqual(len(note), 1)
        for text in ("version 1", "by mail", CONTACT_MAIL, FAX_MAIL):
            self.assertIn(text, note.body)
        self.assertIn(version.fingerprint, note.body)

    def test_sheet_by_hand_fax(self):
        order = self._ready(partner_id=self.contact.id)
        dialog = self._dialog(order, "sheet")
        dialog.channel = "fax"
        self.assertEqual(dialog.fax, FAX)
        action = dialog.action_send()
        self.assertEqual(
            action["report_name"], "kefu_order_flow.report_kefu_confirmation_sheet"
        )
        self.assertTrue(action["close_on_report_download"])
        self.assertNotIn(None, action.values())
        self.assertNotIn(None, action["context"].values())
        version = order.kefu_sheet_version_id
        self.assertEqual((order.kefu_stage, version.version), ("sheet_sent", 1))
        note = self._notes(order)[:1]
        self.assertIn(f"faxed by hand to {FAX}", note.body)
        self.assertIn(version.fingerprint, note.body)
        self.assertEqual(version.attachment_id, note.attachment_ids)

    def test_hand_fax_without_a_fax_number(self):
        order = self._ready(self.customer_c)
        dialog = self._dialog(order, "sheet")
        # Nothing to mail to: the dialog proposes the fax, and warns.
        self.assertEqual((dialog.channel, dialog.fax), ("fax", False))
        arch = etree.fromstring(dialog.get_view()["arch"])
        [warning] = arch.xpath("//div[hasclass('alert-warning')]")
        values = {"channel": dialog.channel, "fax": dialog.fax}
        self.assertFalse(safe_eval(warning.get("invisible"), values))
        values["fax"] = "021-5778 1234"
        self.assertTrue(safe_eval(warning.get("invisible"), values))
        dialog.action_send()
        note = self._notes(order)[:1]
        self.assertIn("no fax number is on file", note.body)
        self.assertEqual(order.kefu_stage, "sheet_sent")

    def test_discarded_dialog_or_mail_records_nothing(self):
        order = self._ready(partner_id=self.contact.id)
        messages = order.message_ids
        self._dialog(order, "sheet")  # closed without sending
        self._composer(self._dialog(order, "sheet").action_send())  # discarded
        self.assertEqual(order.kefu_stage, "review")
        self.assertFalse(order.kefu_sheet_version_ids)
        self.assertEqual(order.message_ids, messages)
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "sale.order"), ("res_id", "=", order.id)]
            )
        )
        # The step is still there to take.
        order.with_user(self.clerk).action_kefu_send_sheet()
        self.assertEqual(order.kefu_sheet_version, 1)

    def test_the_composer_send_keeps_the_gates(self):
        order = self._ready(partner_id=self.contact.id)
        composer = self._composer(
            order.with_user(self.clerk).action_kefu_send_sheet(channel="mail")
        )
        # The content changed after the PDF was prepared: refused.
        order.with_user(self.clerk).kefu_special_notes = "卷芯改为 6 寸"
        with (
            self.assertRaisesRegex(UserError, "changed since this mail"),
            self.env.cr.savepoint(),
        ):
            composer.action_send_mail()
        self.assertFalse(order.kefu_sheet_version_ids)
        # Prepared again, it goes; a second mail of the same version does not.
        composer = self._composer(
            order.with_user(self.clerk).action_kefu_send_sheet(channel="mail")
        )
        again = self._composer(
            order.with_user(self.clerk).action_kefu_send_sheet(channel="mail")
        )
        composer.action_send_mail()
        with (
            self.assertRaisesRegex(UserError, "waiting for its return"),
            self.env.cr.savepoint(),
        ):
            again.action_send_mail()
        self.assertEqual(order.kefu_sheet_version, 1)
        # The PDF must go with the mail.
        order.with_user(self.clerk).action_kefu_register_return(
            False, reject_reason="stamp"
        )
        composer = self._composer(
            order.with_user(self.clerk).action_kefu_send_sheet(channel="mail")
        )
        composer.attachment_ids = False
        with (
            self.assertRaisesRegex(UserError, "must go with the mail"),
            self.env.cr.savepoint(),
        ):
            composer.action_send_mail()
        self.assertEqual(order.kefu_sheet_version, 1)
        with self.assertRaisesRegex(UserError, "not by"):
            order.with_user(self.clerk).action_kefu_send_sheet(channel="pigeon")
        # A mail that claims to send the sheet without its PDF is no sending.
        with (
            self.assertRaisesRegex(UserError, "PDF goes with the mail"),
            self.env.cr.savepoint(),
        ):
            order.with_user(self.clerk).with_context(
                kefu_send={"document": "sheet"}
            ).message_post(body="确认书", partner_ids=self.contact.ids)
        with (
            self.assertRaisesRegex(UserError, "no recipient"),
            self.env.cr.savepoint(),
        ):
            order.with_user(self.clerk).with_context(
                kefu_send={"document": "sheet"}
            ).message_post(body="确认书")
        self.assertEqual(order.kefu_sheet_version, 1)

    def test_only_the_roles_of_the_step_send(self):
        order = self._ready(partner_id=self.contact.id)
        refused = refused_roles("action_kefu_send_sheet")
        self.assertIn("finance", refused)
        for key in refused:
            user = getattr(self, key)
            with self.subTest(role=key):
                for channel in ("fax", "mail"):
                    with self.assertRaises(AccessError):
                        order.with_user(user).action_kefu_send_sheet(channel=channel)
                # The composer's send is the same step, with the same gate.
                with self.assertRaises(AccessError):
                    order.with_user(user).with_context(
                        kefu_send={"document": "sheet"}
                    ).message_post(body="确认书", partner_ids=self.contact.ids)
                with self.assertRaises(AccessError):
                    self._dialog(order, "sheet", user)
        self.assertFalse(order.kefu_sheet_version_ids)
        order.with_user(self.clerk).action_kefu_send_sheet()
        order.with_user(self.clerk).action_kefu_register_return(
            True, **return_proof(order.with_user(self.clerk))
        )
        # Nor does the clerk once the sheet came back.
        with self.assertRaisesRegex(UserError, "this step needs stage"):
            order.with_user(self.clerk).action_kefu_send_sheet(channel="mail")

    def test_template_renders_in_chinese(self):
        self._load_zh_cn()
        self.contact.lang = "zh_CN"
        order = self._ready(partner_id=self.contact.id)
        template = self.env.ref("kefu_order_flow.mail_template_kefu_sheet")
        subject = template._render_field("subject", order.ids, compute_lang=True)
        body = template._render_field("body_html", order.ids, compute_lang=True)
        self.assertIn("订单确认书", subject[order.id])
        self.assertIn("第 1 版", subject[order.id])
        self.assertIn("内容指纹", str(body[order.id]))
        order.with_user(self.clerk).action_kefu_send_sheet()
        self.assertIn(order.kefu_sheet_version_id.fingerprint, str(body[order.id]))

    # The conformity request and the deposit notice ---------------------------
    def test_conformity_request_by_mail_and_by_hand(self):
        order = self._order(partner_id=self.contact.id)
        self._to_released(order)
        self._completion(order, 100)
        with self.assertRaises(AccessError):
            order.with_user(self.finance).action_kefu_send_conformity(channel="mail")
        composer = self._composer(self._dialog(order, "conformity").action_send())
        self.assertEqual(composer.attachment_ids.name, f"{order.name}-conformity.pdf")
        self.assertIn("conformity request", composer.subject)
        self.assertIn(FAX_MAIL, composer.partner_ids.mapped("email"))
        self.assertEqual(order.kefu_conformity_state, "none")
        composer.action_send_mail()
        self.assertEqual(order.kefu_conformity_state, "sent")
        self.assertIn("sent by mail to", self._notes(order)[:1].body)
        chase = self.env.ref("kefu_order_flow.mail_activity_kefu_conformity")
        self.assertIn(chase, order.activity_ids.activity_type_id)
        order.with_user(self.clerk).action_kefu_register_conformity(
            False, reject_reason="stamp"
        )
        dialog = self._dialog(order, "conformity")
        dialog.channel = "fax"
        action = dialog.action_send()
        self.assertEqual(
            action["report_name"], "kefu_order_flow.report_kefu_conformity"
        )
        self.assertEqual(order.kefu_conformity_state, "sent")
        self.assertIn(f"faxed by hand to {FAX}", self._notes(order)[:1].body)
        with self.assertRaisesRegex(UserError, "waiting for its return"):
            order.with_user(self.clerk).action_kefu_send_conformity(channel="mail")

    def test_deposit_notice_by_mail_and_by_hand(self):
        self.customer_b.with_user(self.supervisor).kefu_deposit_percent = 30
        order = self._order(partner_id=self.contact.id)
        self._to_returned(order)
        self.assertEqual(order.kefu_deposit_state, "awaiting")
        with self.assertRaises(AccessError):
            order.with_user(self.finance).action_kefu_send_deposit()
        composer = self._composer(self._dialog(order, "deposit").action_send())
        self.assertIn("deposit", composer.subject)
        self.assertIn(FAX_MAIL, composer.partner_ids.mapped("email"))
        notes = self._notes(order)
        composer.action_send_mail()
        note = (self._notes(order) - notes).filtered(
            lambda m: "Deposit notice" in m.body
        )
        self.assertIn("sent by mail to", note.body)
        # The notice is the deposit's down-payment invoice: faxed by hand, its
        # PDF opens to be faxed.
        invoice = order.invoice_ids
        self.assertEqual(invoice.amount_total, order.kefu_deposit_amount)
        dialog = self._dialog(order, "deposit")
        dialog.channel = "fax"
        action = dialog.action_send()
        self.assertEqual(action["report_name"], "account.report_invoice_with_payments")
        self.assertEqual(action["context"]["active_ids"], invoice.ids)
        self.assertIn(f"faxed by hand to {FAX}", self._notes(order)[:1].body)
        self.assertEqual(order.invoice_ids, invoice, "one invoice for one deposit")
        order.with_user(self.finance).action_kefu_confirm_deposit()
        for channel in ("fax", "mail"):
            with self.assertRaisesRegex(UserError, "not awaiting a deposit"):
                order.with_user(self.clerk).action_kefu_send_deposit(channel=channel)


@tagged("post_install", "-at_install")
class TestSendOverRpc(SendCase, HttpCase):
    """The step over XML-RPC, as another program would take it."""

    def _call(self, user, method, order, *args, **kwargs):
        return self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            user.id,
            user.login.ljust(8, "x"),  # new_test_user's password
            "sale.order",
            method,
            [order.ids, *args],
            kwargs,
        )

    def _refused(self, user, method, order, *args, **kwargs):
        # The server logs each refused call as a warning: expected here.
        with (
            mute_logger("odoo.http"),
            self.assertRaises(xmlrpc.client.Fault) as refusal,
        ):
            self._call(user, method, order, *args, **kwargs)
        self.assertEqual(refusal.exception.faultCode, RPC_FAULT_CODE_ACCESS_ERROR)

    @freeze_time("2026-03-02 02:00:00")
    def test_send_over_rpc(self):
        order = self._ready(partner_id=self.contact.id)
        for key in refused_roles("action_kefu_send_sheet"):
            user = getattr(self, key)
            with self.subTest(role=key):
                self._refused(user, "action_kefu_send_sheet", order)
                self._refused(user, "action_kefu_send_sheet", order, "mail")
                # The composer's send, forged: the same step, the same gate.
                self._refused(
                    user,
                    "message_post",
                    order,
                    body="确认书",
                    partner_ids=self.contact.ids,
                    context={"kefu_send": {"document": "sheet"}},
                )
        self.assertFalse(order.kefu_sheet_version_ids)
        # Without arguments: the fax sent by hand, its PDF's action back.
        action = self._call(self.clerk, "action_kefu_send_sheet", order)
        self.assertEqual(action["type"], "ir.actions.report")
        order.invalidate_recordset()
        self.assertEqual(
            (order.kefu_stage, order.kefu_sheet_version), ("sheet_sent", 1)
        )
        note = order.message_ids.filtered(lambda m: "Confirmation sheet" in m.body)
        self.assertIn(f"faxed by hand to {FAX}", note.body)
