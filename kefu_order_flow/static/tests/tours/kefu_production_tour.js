/** @odoo-module **/
// Copyright 2026 Kefu Order Flow Developers
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import {registry} from "@web/core/registry";
import {
    chineseScreen,
    headerButton,
    inDays,
    menu,
    page,
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
        ...menu(
            "kefu_order_flow.kefu_production_confirmation_menu",
            "its production confirmations"
        ),
        chineseScreen("the requests to answer", ".o_list_view .o_data_row"),
        {
            content: "the request the clerk opened",
            trigger: ".o_list_view .o_data_row:first .o_data_cell",
            run: "click",
        },
        chineseScreen(
            "the request",
            ".o_form_view .o_field_widget[name=production_date]"
        ),
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
        {
            content: "the quantity",
            trigger: ".o_field_widget[name=quantity_note] textarea",
            run: "edit 500 kg，一次排产",
        },
        sign,
        signed,
        chineseScreen(
            "the signed confirmation",
            ".o_form_view .o_field_widget[name=line_summary]",
            true
        ),
        {
            content: "open the order it confirmed",
            trigger: ".o_field_widget[name=order_id] a.o_form_uri",
            run: "click",
        },
        chineseScreen("the order", ".o_form_view .o_field_widget[name=kefu_stage]", true),
        page("kefu_review"),
        chineseScreen(
            "the order's review, its confirmation signed",
            ".o_field_widget[name=kefu_production_confirmation_ids] .o_data_row:contains('已签署')",
            true
        ),
    ],
});

// After release: acknowledge the production order from its form, then state
// the completion.
let orderName = "";
registry.category("web_tour.tours").add("kefu_production_tour_release", {
    steps: () => [
        ...menu("kefu_order_flow.kefu_production_order_menu", "its production orders"),
        chineseScreen("the production orders", ".o_list_view .o_data_row"),
        {
            content: "the released order",
            trigger: ".o_list_view .o_data_row:first .o_data_cell",
            run: "click",
        },
        chineseScreen(
            "the production order",
            ".o_form_view .o_field_widget[name=kefu_stage]",
            true
        ),
        {
            trigger: ".o_form_view .o_field_widget[name=name]",
            run() {
                orderName = this.anchor.innerText.trim();
            },
        },
        headerButton("action_kefu_acknowledge_production", "acknowledge the production order"),
        page("kefu_production"),
        {
            content: "acknowledged",
            trigger:
                ".o_form_view:not(:has(button[name=action_kefu_acknowledge_production])) .o_field_widget[name=kefu_production_ack_by]",
        },
        chineseScreen(
            "the acknowledged order",
            ".o_form_view .o_field_widget[name=kefu_production_ack_by]",
            true
        ),
        ...menu(
            "kefu_order_flow.kefu_completion_statement_menu",
            "its completion statements"
        ),
        chineseScreen("the completion statements", ".o_list_view"),
        {
            content: "a new completion statement",
            trigger: ".o_control_panel .o_list_button_add",
            run: "click",
        },
        chineseScreen(
            "a new completion statement",
            ".o_form_view .o_field_widget[name=order_id]"
        ),
        {
            content: "the order",
            trigger: ".o_field_widget[name=order_id] input",
            async run(helpers) {
                await helpers.edit(orderName);
            },
        },
        {
            trigger: ".ui-menu-item > a:not(.o_loading):first",
            run: "click",
        },
        {
            content: "completed today",
            trigger: ".o_field_widget[name=completion_date] input",
            run: `edit ${inDays(0)} && press Enter`,
        },
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
