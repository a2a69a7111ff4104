# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""The flow declared once: every step of KEFU_FLOW has its method, its flag
and its button on the order form, and every flow button has its step."""

import ast

from lxml import etree

from odoo.tests import TransactionCase, tagged

from ..models.kefu_common import KEFU_SEND_STEPS
from ..models.kefu_flow_mixin import KEFU_FLOW


@tagged("post_install", "-at_install")
class TestFlowTable(TransactionCase):
    def _header_buttons(self):
        arch = self.env["sale.order"].get_view(
            self.env.ref("sale.view_order_form").id, "form"
        )["arch"]
        return etree.fromstring(arch).xpath("//header/button")

    def test_every_step_has_a_button_and_every_button_a_step(self):
        order = self.env["sale.order"]
        buttons = {}
        for button in self._header_buttons():
            invisible = button.get("invisible", "")
            if "kefu_can_" in invisible:
                self.assertRegex(invisible, r"^not kefu_can_\w+$", button.get("name"))
                buttons[invisible.removeprefix("not kefu_can_")] = button
        self.assertEqual(set(buttons), set(KEFU_FLOW))
        for name, step in KEFU_FLOW.items():
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

    def test_dialog_buttons_open_their_step(self):
        """A button that opens a dialog (Send, a written step) names its step
        in the context: the dialog takes the step of the button's row."""
        send = str(self.env.ref("kefu_order_flow.kefu_send_wizard_action").id)
        written = str(self.env.ref("kefu_order_flow.kefu_step_wizard_action").id)
        dialogs = 0
        for button in self._header_buttons():
            row = button.get("invisible", "").removeprefix("not kefu_can_")
            context = ast.literal_eval(button.get("context") or "{}")
            if button.get("name") == send:
                step = KEFU_SEND_STEPS[context["default_document"]]
                self.assertEqual(step, KEFU_FLOW[row].action)
                dialogs += 1
            elif button.get("name") == written:
                self.assertEqual(
                    f"action_kefu_{context['default_step']}", KEFU_FLOW[row].action
                )
                dialogs += 1
        self.assertEqual(dialogs, 11)

    def test_flow_buttons_all_read_the_table(self):
        """No header button of the flow guards itself in the view."""
        for button in self._header_buttons():
            name = button.get("name") or ""
            if name.startswith("action_kefu_") or "kefu" in name:
                with self.subTest(button=name):
                    self.assertRegex(button.get("invisible", ""), r"^not kefu_can_")
