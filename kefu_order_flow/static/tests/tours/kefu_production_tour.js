/** @odoo-module **/
// Copyright 2026 Kefu Order Flow Developers
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import {registry} from "@web/core/registry";
import {
    chineseScreen,
    inDays,
    takeStep,
} from "@kefu_order_flow/../tests/tours/kefu_tour_utils";

// The production department's part of one order (tests/test_role_tours.py).

const signed = {
    content: "signed",
    trigger: ".o_field_widget[name=state] .o_arrow_button_current[data-value=signed]",
};
const sign = {
    content: "sign",
    trigger: ".o_form_statusbar button[name=action_sign]",
    run: "click",
};

// Before release: the production confirmation the clerk asked for.
registry.category("web_tour.tours").add("kefu_production_tour", {
    steps: () => [
        ...takeStep("填写生产确认"),
        chineseScreen(
            "the request",
            ".o_form_view .o_field_widget[name=production_date]"
        ),
        {
            content: "what it signs for: each line's quantity and unit",
            trigger: ".o_field_widget[name=lines_to_confirm]:contains('500.0 kg')",
        },
        {
            content: "the production date",
            trigger: ".o_field_widget[name=production_date] input",
            run: `edit ${inDays(2)} && press Enter`,
        },
        {
            content: "the completion date",
            trigger: ".o_field_widget[name=completion_date] input",
            run: `edit ${inDays(10)} && press Enter`,
        },
        sign,
        signed,
        chineseScreen(
            "the signed confirmation: each line's quantity and unit",
            ".o_form_view .o_field_widget[name=line_summary]",
            true
        ),
    ],
});

// After release: acknowledge the production order, then state the completion,
// each from the order's one primary button.
registry.category("web_tour.tours").add("kefu_production_tour_release", {
    steps: () => [
        ...takeStep("签收生产指令单"),
        // Acknowledged: the order waits for what production completes.
        ...takeStep("签署成品完成说明"),
        chineseScreen(
            "a new completion statement",
            ".o_form_view .o_field_widget[name=order_id]"
        ),
        {
            content: "the quantity produced",
            trigger: ".o_field_widget[name=quantity] input",
            run: "edit 500",
        },
        sign,
        signed,
        chineseScreen(
            "the signed completion statement",
            ".o_form_view .o_field_widget[name=line_ids] .o_data_row",
            true
        ),
    ],
});
