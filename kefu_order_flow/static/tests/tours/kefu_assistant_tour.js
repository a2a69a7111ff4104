/** @odoo-module **/
// Copyright 2026 Kefu Order Flow Developers
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import {registry} from "@web/core/registry";
import {
    chineseScreen,
    menu,
    page,
    save,
} from "@kefu_order_flow/../tests/tours/kefu_tour_utils";

// The assistant follows production of a released order (tests/test_role_tours.py).
registry.category("web_tour.tours").add("kefu_assistant_tour", {
    steps: () => [
        ...menu("kefu_order_flow.kefu_sale_order_menu", "the customer orders"),
        chineseScreen("the order board", ".o_kanban_view .o_kanban_record"),
        {
            content: "the released order",
            trigger: ".o_kanban_record:contains('乙级客户有限公司')",
            run: "click",
        },
        chineseScreen("the order", ".o_form_view .o_field_widget[name=kefu_stage]", true),
        page("kefu_production"),
        {
            content: "a monitoring entry",
            trigger:
                ".o_field_widget[name=kefu_monitoring_ids] .o_field_x2many_list_row_add > a",
            run: "click",
        },
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
            trigger: ".modal .o_form_button_save:enabled",
            run: "click",
        },
        {
            content: "the entry is listed",
            trigger:
                "body:not(:has(.modal)) .o_field_widget[name=kefu_monitoring_ids] .o_data_row",
        },
        ...save(),
        chineseScreen(
            "the order with its monitoring entry",
            ".o_form_saved .o_field_widget[name=kefu_monitoring_ids] .o_data_row",
            true
        ),
    ],
});
