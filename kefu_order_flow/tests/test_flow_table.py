# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The flow declared once: every step of KEFU_FLOW has its method, its flag
and its button on the order form, and every flow button has its step. The
steps that can lead (KEFU_NEXT_STEPS) have a primary twin of that button."""

import ast
import re

from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from ..models.kefu_common import ACT
from ..models.kefu_flow import KEFU_FLOW
from ..models.kefu_flow_desk import KEFU_NEXT_STEPS, KEFU_SEND_STEPS, KEFU_USER_STEPS
from ..models.kefu_step import Tell
from .common import CJK, NOW, KefuCase

# A step's button: shown by its flag, set aside while its primary twin shows.
STEP_BUTTON = re.compile(r"not kefu_can_(\w+)(?: or kefu_next_step == '(\w+)')?")
# A primary twin: shown when its step is the next one.
TWIN_BUTTON = re.compile(r"kefu_next_step != '(\w+)'")


@tagged("post_install", "-at_install")
class TestFlowTable(TransactionCase):
    def _header_buttons(self):
        arch = self.env["sale.order"].get_view(
            self.env.ref("sale.view_order_form").id, "form"
        )["arch"]
        return etree.fromstring(arch).xpath("//header/button")

    def _step_buttons(self):
        """{step: its button}, checking each reads its own flag."""
        buttons = {}
        for button in self._header_buttons():
            invisible = button.get("invisible", "")
            if "kefu_can_" in invisible:
                match = STEP_BUTTON.fullmatch(invisible)
                self.assertTrue(match, f"{button.get('name')}: {invisible}")
                self.assertIn(match[2], (None, match[1]), invisible)
                self.assertNotIn(match[1], buttons, "one button per step")
                buttons[match[1]] = button
        return buttons

    def test_every_step_has_a_button_and_every_button_a_step(self):
        order = self.env["sale.order"]
        buttons = self._step_buttons()
        self.assertEqual(set(buttons), set(KEFU_USER_STEPS))
        for name, step in KEFU_USER_STEPS.items():
            with self.subTest(step=name):
                self.assertTrue(callable(getattr(order, step.action, None)))
                self.assertIn(f"kefu_can_{name}", order._fields)
                button = buttons[name]
                if button.get("type") == "object":
                    self.assertEqual(button.get("name"), step.action)
                self.assertTrue(
                    set(step.sources)
                    <= {
                        "intake",
                        "review",
                        "sheet_sent",
                        "returned",
                        "released",
                        "shipped",
                        "done",
                    }
                )
                if step.target:
                    self.assertIn(
                        step.target, dict(order._fields["kefu_stage"].selection)
                    )

    def test_flow_buttons_all_read_the_table(self):
        """No header button of the flow guards itself in the view."""
        for button in self._header_buttons():
            name = button.get("name") or ""
            if name.startswith("action_kefu_") or "kefu" in name:
                with self.subTest(button=name):
                    self.assertRegex(
                        button.get("invisible", ""),
                        r"^not kefu_can_|^kefu_next_step != ",
                    )

    def test_dialog_buttons_open_their_step(self):
        """A button that opens a dialog (Send, a written step) names its step
        in the context: the dialog takes the step of the button's row."""
        send = str(self.env.ref("kefu_order_flow.kefu_send_wizard_action").id)
        written = str(self.env.ref("kefu_order_flow.kefu_step_wizard_action").id)
        dialogs = 0
        for row, button in self._step_buttons().items():
            context = ast.literal_eval(button.get("context") or "{}")
            if button.get("name") == send:
                self.assertEqual(KEFU_SEND_STEPS[context["default_document"]], row)
                dialogs += 1
            elif button.get("name") == written:
                self.assertEqual(context["default_step"], row)
                dialogs += 1
        self.assertEqual(dialogs, 12)

    def test_steps_that_lead_have_a_primary_twin(self):
        """Each step of KEFU_NEXT_STEPS has one primary twin, the same button
        as its own (action, label, context); no other flow button is primary,
        and each step's button steps aside while its twin shows."""
        buttons = self._step_buttons()
        leading = [name for name, _condition in KEFU_NEXT_STEPS]
        self.assertLessEqual(set(leading), set(KEFU_USER_STEPS))
        twins = {}
        for button in self._header_buttons():
            match = TWIN_BUTTON.fullmatch(button.get("invisible", ""))
            if match:
                self.assertNotIn(match[1], twins, "one twin per step")
                twins[match[1]] = button
        self.assertEqual(set(twins), set(leading))
        for name in KEFU_USER_STEPS:
            with self.subTest(step=name):
                button = buttons[name]
                classes = (button.get("class") or "").split()
                self.assertNotIn("btn-primary", classes)
                self.assertNotIn("oe_highlight", classes)
                if name not in twins:
                    self.assertEqual(button.get("invisible"), f"not kefu_can_{name}")
                    continue
                twin = twins[name]
                self.assertIn("btn-primary", (twin.get("class") or "").split())
                for attribute in ("name", "type", "string", "context"):
                    self.assertEqual(twin.get(attribute), button.get(attribute))
                self.assertEqual(
                    button.get("invisible"),
                    f"not kefu_can_{name} or kefu_next_step == '{name}'",
                )

    def test_the_flows_own_transitions(self):
        """The rows no group takes are reached by code only: no flag, no
        button, a method RPC cannot call or Odoo's own; each leads somewhere."""
        order = self.env["sale.order"].create(
            {"partner_id": self.env["res.partner"].create({"name": "客户"}).id}
        )
        system = set(KEFU_FLOW) - set(KEFU_USER_STEPS)
        self.assertEqual(system, {"ship", "reopen", "cancelled", "restart"})
        for name in system:
            with self.subTest(step=name):
                step = KEFU_FLOW[name]
                self.assertNotIn(f"kefu_can_{name}", order._fields)
                self.assertTrue(callable(getattr(order, step.action, None)))
                self.assertTrue(step.target)
                self.assertFalse(step.lead or step.reason or step.document)
                # Only the flow's own code passes a gate without a group.
                with self.assertRaises(AccessError):
                    order.with_user(self.env.ref("base.user_admin"))._kefu_enter(name)

    def test_every_row_holds_its_columns(self):
        """The table is laid out by hand (no formatter): a row whose column
        lost its tuple (``(Tell(...))`` is not one) would fail far from it."""
        for name, step in KEFU_FLOW.items():
            with self.subTest(step=name):
                for column in (step.sources, step.groups, step.done, step.tells):
                    self.assertIsInstance(column, tuple)
                self.assertTrue(all(isinstance(s, str) for s in step.sources))
                self.assertTrue(all(isinstance(a, str) for a in step.done))
                self.assertTrue(all(isinstance(t, Tell) for t in step.tells))
                for domain in (
                    step.show,
                    step.lead_when,
                    *(t.when for t in step.tells),
                ):
                    self.assertIsInstance(domain, list | tuple)

    def test_hand_offs_a_step_ends_are_the_flows(self):
        """Each hand-off a row ends is one of the flow's activity types."""
        for name, step in KEFU_FLOW.items():
            for activity in step.done:
                with self.subTest(step=name, activity=activity):
                    self.assertEqual(
                        self.env.ref(ACT + activity)._name, "mail.activity.type"
                    )


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestStepHelp(KefuCase):
    def test_the_written_steps_dialog_explains_the_step_in_chinese(self):
        """A row's help is translated for the user who reads it."""
        self._load_zh_cn()
        order = self._order()
        for name, step in KEFU_USER_STEPS.items():
            if not step.reason:
                continue
            with self.subTest(step=name):
                self.assertTrue(step.help)
                wizard = (
                    self.env["kefu.step.wizard"]
                    .with_user(self.clerk)
                    .with_context(lang="zh_CN")
                    .new({"order_id": order.id, "step": name})
                )
                self.assertRegex(wizard.step_help, CJK)
