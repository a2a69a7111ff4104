/** @odoo-module **/
// Copyright 2026 Kefu Order Flow Developers
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import {registry} from "@web/core/registry";
import {
    chineseScreen,
    headerButton,
    menu,
    takeStep,
    taken,
    page,
} from "@kefu_order_flow/../tests/tours/kefu_tour_utils";

// Finance confirms money from its list (tests/test_role_tours.py).

function openFromList() {
    return [
        ...menu("kefu_order_flow.kefu_finance_menu", "deposits and payments to confirm"),
        chineseScreen("the money to confirm", ".o_list_view .o_data_row"),
        {
            content: "the order",
            trigger: ".o_list_view .o_data_row:first .o_data_cell",
            run: "click",
        },
        chineseScreen("the order", ".o_form_view .o_field_widget[name=kefu_stage]", true),
    ];
}

/** Odoo's Register Payment dialog, prefilled with what is due: confirmed as is. */
function registerPayment() {
    return [
        chineseScreen("the payment dialog", ".modal .o_field_widget[name=amount]"),
        {
            content: "register the payment in Accounting",
            trigger: ".modal button[name=action_create_payments]",
            run: "click",
        },
    ];
}

/** The button ``button`` is gone and the field ``field`` shows who or when. */
function done(button, field) {
    return {
        content: `${button} done`,
        trigger: `.o_form_view:not(:has(button[name=${button}])) .o_field_widget[name=${field}]`,
    };
}

registry.category("web_tour.tours").add("kefu_finance_tour_deposit", {
    steps: () => [
        ...openFromList(),
        headerButton("action_kefu_confirm_deposit", "the deposit arrived"),
        ...registerPayment(),
        page("kefu_sheet"),
        done("action_kefu_confirm_deposit", "kefu_deposit_received_at"),
        chineseScreen(
            "the order, deposit received",
            ".o_form_view .o_field_widget[name=kefu_deposit_received_at]",
            true
        ),
    ],
});

// The money before shipping, from finance's work: the payment registered in
// Accounting, then shipping approved, each from My Work's row.
registry.category("web_tour.tours").add("kefu_finance_tour_payment", {
    steps: () => [
        ...takeStep("确认到款"),
        ...registerPayment(),
        ...takeStep("审批发货"),
        taken("审批发货"),
        chineseScreen("my work, shipping approved", ".o_list_view"),
    ],
});
