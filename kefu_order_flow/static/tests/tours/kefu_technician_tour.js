/** @odoo-module **/
// Copyright 2026 Kefu Order Flow Developers
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import {registry} from "@web/core/registry";
import {chineseScreen, menu, page} from "@kefu_order_flow/../tests/tours/kefu_tour_utils";

// The technical department is told by an activity, answers the clerk's request
// in writing and signs it, then opens the order it confirmed
// (tests/test_role_tours.py).
registry.category("web_tour.tours").add("kefu_technician_tour", {
    steps: () => [
        {
            content: "its activities",
            trigger: ".o_menu_systray .fa-clock-o",
            run: "click",
        },
        chineseScreen("its activities", ".o-mail-ActivityGroup[data-model_name='sale.order']"),
        {
            content: "the request is due in two days",
            trigger: ".o-mail-ActivityGroup[data-model_name='sale.order'] .btn-link:last",
            run: "click",
        },
        chineseScreen("the orders waiting for it", ".o_list_view .o_data_row"),
        {
            content: "the order",
            trigger: ".o_list_view .o_data_row:contains('乙级客户有限公司') .o_data_cell",
            run: "click",
        },
        {
            content: "the request's activity on the order",
            trigger: ".o-mail-Activity:contains('能否按原配方生产')",
        },
        chineseScreen("the order asking it", ".o_form_view .o_field_widget[name=kefu_stage]", true),
        ...menu(
            "kefu_order_flow.kefu_tech_confirmation_menu",
            "its technical confirmations"
        ),
        chineseScreen("the requests to answer", ".o_list_view .o_data_row"),
        {
            content: "the request the clerk opened",
            trigger: ".o_list_view .o_data_row:first .o_data_cell",
            run: "click",
        },
        chineseScreen(
            "the request",
            ".o_form_view .o_field_widget[name=material_note]"
        ),
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
        {
            content: "open the order it confirmed",
            trigger: ".o_field_widget[name=order_id] a.o_form_uri",
            run: "click",
        },
        chineseScreen("the order", ".o_form_view .o_field_widget[name=kefu_stage]", true),
        page("kefu_review"),
        chineseScreen(
            "the order's review, its confirmation signed",
            ".o_field_widget[name=kefu_tech_confirmation_ids] .o_data_row:contains('已签署')",
            true
        ),
    ],
});
