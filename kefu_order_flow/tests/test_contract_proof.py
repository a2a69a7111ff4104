# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Proof is proof of this order: the scan of an accepted return, the
conformity opinion and the customer's formula document are files filed on the
order (or a returned page matched to it), never the PDF the company sent,
another order's scan or any attachment id the clerk can name."""

from freezegun import freeze_time

from odoo.tests import tagged

from .common import NOW, KefuCase, return_proof


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestContractProof(KefuCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._load_zh_cn()

    def _file(self, name="回传件.pdf", raw=b"%PDF-1.4 scanned", record=None):
        """A file as the clerk uploads it: on ``record``, or on nothing."""
        vals = {"name": name, "raw": raw}
        if record is not None:
            vals.update(res_model=record._name, res_id=record.id)
        return self.env["ir.attachment"].with_user(self.clerk).create(vals)

    def _register(self, order, attachment_id):
        def call(env):
            return (
                order.with_env(env)
                .with_user(self.clerk)
                .action_kefu_register_return(
                    True, attachment_id=attachment_id, signer="采购部 张经理"
                )
            )

        return call

    def _assert_not_accepted(self, order, attachment_id, pattern):
        self.assertRefused(self._register(order, attachment_id), pattern)
        self.assertEqual(order.kefu_return_state, "pending")
        self.assertFalse(order.kefu_return_ids)

    def test_the_sheet_as_sent_is_no_proof(self):
        order = self._to_sheet_sent(self._order())
        sent = order.kefu_sheet_version_id.attachment_id
        self.assertTrue(sent)
        self._assert_not_accepted(order, sent.id, "the company printed")
        # Nor a copy of it uploaded again, nor any PDF Odoo's reports print.
        copy = self._file("确认书.pdf", sent.sudo().raw, order)
        self._assert_not_accepted(order, copy.id, "the company printed")
        printed = b"%PDF-1.4\n1 0 obj\n<< /Creator (" + (
            "\ufeffwkhtmltopdf 0.12.6".encode("utf-16-be") + b") >>\nendobj\n"
        )
        reprint = self._file("确认书 v1.pdf", printed, order)
        self._assert_not_accepted(order, reprint.id, "the company printed")

    def test_another_orders_scan_is_no_proof(self):
        order = self._to_sheet_sent(self._order())
        other = self._to_sheet_sent(self._order())
        scan = return_proof(other)["attachment_id"]
        self._assert_not_accepted(order, scan, "is not a document of")
        self._register(other, scan)(self.env)
        self.assertEqual(other.kefu_return_state, "accepted")

    def test_a_file_filed_nowhere_is_no_proof(self):
        order = self._to_sheet_sent(self._order())
        self._assert_not_accepted(order, self._file().id, "is not a document of")
        self._assert_not_accepted(order, str(self._file().id), "whole number")
        self._register(order, self._file(record=order).id)(self.env)
        self.assertEqual(order.kefu_stage, "returned")

    def test_a_returned_page_matched_to_the_order_is_proof(self):
        order = self._to_sheet_sent(self._order())
        other = self._to_sheet_sent(self._order())
        inbox = self.env["kefu.scan.inbox"].with_user(self.clerk).create({})

        def page_image(page_order):
            page = self.transition(self.env["kefu.scan.page"]).create(
                {
                    "inbox_id": inbox.id,
                    "page": 1,
                    "image": self._file().datas,
                    "order_id": page_order.id,
                    "sheet_version_id": page_order.kefu_sheet_version_id.id,
                    "state": "draft",
                }
            )
            return (
                self.env["ir.attachment"]
                .sudo()
                .search(
                    [
                        ("res_model", "=", "kefu.scan.page"),
                        ("res_field", "=", "image"),
                        ("res_id", "=", page.id),
                    ]
                )
            )

        self._assert_not_accepted(order, page_image(other).id, "is not a document of")
        self._register(order, page_image(order).id)(self.env)
        self.assertEqual(order.kefu_return_state, "accepted")

    def test_conformity_opinion_is_proof_of_this_order(self):
        order = self._to_released(self._order())
        other = self._to_sheet_sent(self._order())
        self._completion(order)
        order.with_user(self.clerk).action_kefu_send_conformity()
        self.assertRefused(
            lambda env: (
                order.with_env(env)
                .with_user(self.clerk)
                .action_kefu_register_conformity(
                    True, attachment_id=return_proof(other)["attachment_id"]
                )
            ),
            "is not a document of",
        )
        self.assertEqual(order.kefu_conformity_state, "sent")
        order.with_user(self.clerk).action_kefu_register_conformity(
            True, attachment_id=self._file("符合意见.pdf", record=order).id
        )
        self.assertEqual(order.kefu_conformity_state, "accepted")

    def test_formula_document_is_proof_of_this_order(self):
        order = self._to_review(self._order())
        self._sign_tech(order, can_produce=False, formula_changed=True)
        self._sign_production(order)
        other = self._order()
        for document in (self._file("坚持旧配方.pdf"), self._file(record=other)):
            self.assertRefused(
                lambda env, document=document: (
                    order.with_env(env)
                    .with_user(self.clerk)
                    .action_kefu_record_formula_choice("old", attachment_id=document.id)
                ),
                "is not a document of",
            )
        document = self._file("坚持旧配方.pdf", record=order)
        order.with_user(self.clerk).action_kefu_record_formula_choice(
            "old", attachment_id=document.id
        )
        self.assertEqual(order.kefu_tech_confirmation_id.customer_document_id, document)
