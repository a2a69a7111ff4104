/** @odoo-module **/
// Copyright 2026 Kefu Order Flow Developers
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import {registry} from "@web/core/registry";
import {
    chineseScreen,
    menu,
    takeStep,
    refused,
} from "@kefu_order_flow/../tests/tours/kefu_tour_utils";

// Shipping sends what finance approved, and only that (tests/test_role_tours.py).

function openDelivery(xmlid, list) {
    return [
        ...menu(xmlid, list),
        chineseScreen(list, ".o_list_view .o_data_row"),
        {
            content: "the delivery",
            trigger: ".o_list_view .o_data_row:first .o_data_cell",
            run: "click",
        },
        chineseScreen(
            "the delivery",
            ".o_form_view .o_field_widget[name=move_ids_without_package] .o_data_row",
            true
        ),
    ];
}

const validate = {
    content: "validate",
    trigger: ".o_form_statusbar button[name=button_validate]",
    run: "click",
};

// Before finance approved: the delivery waits, and validating it is refused.
registry.category("web_tour.tours").add("kefu_shipping_tour_waiting", {
    steps: () => [
        ...openDelivery(
            "kefu_order_flow.kefu_shipping_waiting_menu",
            "the deliveries waiting for payment"
        ),
        validate,
        ...refused("validating before finance approved"),
        chineseScreen(
            "the delivery, still waiting",
            ".o_form_view .o_field_widget[name=state]",
            true
        ),
    ],
});

// Once finance approved: from shipping's work, the order's Deliver opens the
// delivery to validate.
registry.category("web_tour.tours").add("kefu_shipping_tour", {
    steps: () => [
        ...takeStep("发货"),
        chineseScreen(
            "the delivery",
            ".o_form_view .o_field_widget[name=move_ids_without_package] .o_data_row",
            true
        ),
        validate,
        {
            content: "delivered",
            trigger: ".o_field_widget[name=state] .o_arrow_button_current[data-value=done]",
        },
        chineseScreen(
            "the delivery done",
            ".o_form_view .o_field_widget[name=state]",
            true
        ),
    ],
});
