# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""A step reads in three files: the concern's, the flow's (kefu_flow.py) and
the record it answers to. Traced while a release and a return run: every
method of the add-on that the step's own code calls, down the chain of the
add-on's calls. What Odoo's code calls (computes, Odoo's own steps) is
Odoo's, and so is what the ORM's and the mail thread's API does (write,
create, message_post: the add-on's overrides there act for any caller). The
shared helpers of kefu_common.py and the plain functions of tools/ are not
counted (docs/ARCHITECTURE.md)."""

import datetime
import sys
from pathlib import Path

from freezegun import freeze_time

from odoo.models import BaseModel
from odoo.tests import tagged

from odoo.addons.mail.models.mail_thread import MailThread

from .common import NOW, KefuCase, return_proof

MODELS = str(Path(__file__).resolve().parent.parent / "models") + "/"
HELPERS = MODELS + "kefu_common.py"


# Odoo's own frames a chain passes through: a record set's functional helpers
# calling the add-on's lambda.
THROUGH = {"filtered", "filtered_domain", "mapped", "sorted", "grouped"}


def _framework(frame):
    """Whether the frame runs the ORM's or the mail thread's own API (write,
    create, message_post), as the add-on overrides it for every caller."""
    records = frame.f_locals.get("self")
    name = frame.f_code.co_name
    return isinstance(records, BaseModel) and (
        name in BaseModel.__dict__ or name in MailThread.__dict__
    )


def _walk(step):
    """The files of the add-on's models whose methods ``step`` reaches."""
    files = set()
    entry = []

    def profile(frame, event, _arg):
        if event != "call" or not frame.f_code.co_filename.startswith(MODELS):
            return
        if not entry:
            entry.append(frame)
        if _framework(frame) and frame is not entry[0]:
            return
        chain = frame.f_back
        while chain is not entry[0]:
            if chain.f_code.co_filename.startswith(MODELS):
                if _framework(chain):
                    return
            elif chain.f_code.co_name not in THROUGH:
                return
            chain = chain.f_back
        if frame.f_code.co_filename != HELPERS:
            files.add(Path(frame.f_code.co_filename).name)

    sys.setprofile(profile)
    try:
        step()
    finally:
        sys.setprofile(None)
    return files


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestCodeWalks(KefuCase):
    def test_releasing_reads_in_three_files(self):
        order = self._to_returned(self._order())
        walk = _walk(order.with_user(self.clerk).action_confirm)
        self.assertEqual(order.kefu_stage, "released")
        self.assertEqual(
            walk, {"sale_order_release.py", "kefu_flow.py", "kefu_sheet_version.py"}
        )

    def test_registering_the_return_reads_in_three_files(self):
        # Every check a return passes and every hand-off it makes: a list of
        # signers, a deposit due, a slip of two days.
        signer = self.env["res.partner"].create(
            {"name": "采购部 张经理", "parent_id": self.customer_b.id}
        )
        self.customer_b.with_user(self.supervisor).kefu_signer_ids = signer
        self.grade_b.deposit_percent = 30
        order = self._to_sheet_sent(self._order())
        proof = return_proof(order.with_user(self.clerk))
        with freeze_time(NOW + datetime.timedelta(days=2)):
            walk = _walk(
                lambda: order.with_user(self.clerk).action_kefu_register_return(
                    True, **proof
                )
            )
        self.assertEqual(
            (order.kefu_stage, order.kefu_slip_days, order.kefu_deposit_state),
            ("returned", 2, "awaiting"),
        )
        self.assertEqual(
            walk, {"sale_order_return.py", "kefu_flow.py", "kefu_sheet_return.py"}
        )
