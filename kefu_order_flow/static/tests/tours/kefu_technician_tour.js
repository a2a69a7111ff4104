/** @odoo-module **/
// Copyright 2026 Kefu Order Flow Developers
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import {registry} from "@web/core/registry";
import {
    chineseScreen,
    takeStep,
} from "@kefu_order_flow/../tests/tours/kefu_tour_utils";

// The technical department finds the clerk's request in its work, answers it
// in writing and signs it (tests/test_role_tours.py).
registry.category("web_tour.tours").add("kefu_technician_tour", {
    steps: () => [
        ...takeStep("填写技术确认"),
        chineseScreen("the request", ".o_form_view .o_field_widget[name=material_note]"),
        {
            content: "it can be produced",
            trigger: ".o_field_widget[name=can_produce] input",
            run: "click",
        },
        {
            content: "the raw-material statement, in writing",
            trigger: ".o_field_widget[name=material_note] textarea",
            run: "edit BOPP 原膜库存 5 吨，按原配方可以生产。",
        },
        {
            content: "sign",
            trigger: ".o_form_statusbar button[name=action_sign]",
            run: "click",
        },
        {
            content: "signed",
            trigger: ".o_field_widget[name=state] .o_arrow_button_current[data-value=signed]",
        },
        chineseScreen(
            "the signed confirmation",
            ".o_form_view .o_field_widget[name=state]:has(.o_arrow_button_current[data-value=signed])",
            true
        ),
    ],
});
