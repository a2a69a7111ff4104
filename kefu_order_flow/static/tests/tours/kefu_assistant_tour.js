/** @odoo-module **/
// Copyright 2026 Kefu Order Flow Developers
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import {registry} from "@web/core/registry";
import {
    chineseScreen,
    takeStep,
} from "@kefu_order_flow/../tests/tours/kefu_tour_utils";

// The assistant follows production of a released order from its work
// (tests/test_role_tours.py).
registry.category("web_tour.tours").add("kefu_assistant_tour", {
    steps: () => [
        ...takeStep("记录生产监督"),
        chineseScreen("the monitoring entry", ".modal .o_field_widget[name=progress]"),
        {
            content: "the progress",
            trigger: ".modal .o_field_widget[name=progress] textarea",
            run: "edit 已上机印刷，进度正常",
        },
        {
            content: "the quantity produced so far",
            trigger: ".modal .o_field_widget[name=quantity_done] input",
            run: "edit 300",
        },
        {
            content: "save the entry",
            trigger: ".modal .o_form_button_save:enabled",
            run: "click",
        },
        chineseScreen("my work, the entry saved", "body:not(:has(.modal)) .o_list_view"),
    ],
});
