/** @odoo-module **/
// Copyright 2026 Kefu Order Flow Developers
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import {registry} from "@web/core/registry";
import {
    attachScan,
    chineseScreen,
    headerButton,
    inDays,
    page,
    stage,
    takeStep,
    taken,
} from "@kefu_order_flow/../tests/tours/kefu_tour_utils";

// The clerk's part of one order, in the Chinese web client. The data (customer,
// product, payment term, users) comes from tests/test_role_tours.py.

const LINE = ".o_field_widget[name=order_line] .o_data_row";

/** Ask technical and production at once, with the flow's primary button:
 * what to confirm and by when come prefilled (the seed's questions, in two
 * days); nothing is answered yet. */
function askDepartments() {
    return [
        {
            content: "asking the departments is the next step: the one primary button",
            trigger:
                ".o_form_statusbar:not(:has(.btn-primary ~ .btn-primary)) button.btn-primary:contains('向技术部和生产部申请确认')",
            run: "click",
        },
        chineseScreen("the request dialog", ".modal .o_field_widget[name=note]"),
        {
            content: "ask, as prefilled",
            trigger: ".modal button[name=action_request]",
            run: "click",
        },
        {
            content: "asked",
            trigger: "body:not(:has(.modal)) .o_form_statusbar:not(:has(button:contains('向技术部和生产部申请确认')))",
        },
    ];
}

/** Send the sheet from My Work: by hand fax, which the dialog proposes for a
 * customer with no address to mail to. */
function sendSheetByFax() {
    return [
        ...takeStep("发送确认书"),
        chineseScreen("the sending dialog", ".modal .o_field_widget[name=channel]"),
        {
            content: "by hand fax, proposed: the customer has no address to mail to",
            trigger: ".modal .o_field_widget[name=channel] input[data-value=fax]:checked",
        },
        {
            content: "record it and print the sheet to fax",
            trigger: ".modal button[name=action_send]",
            run: "click",
        },
    ];
}

// A phone order from intake to the requests for the departments' answers,
// from the clerk's work: the customer brings its payment terms, the product
// its price of the plan.
registry.category("web_tour.tours").add("kefu_clerk_tour", {
    steps: () => [
        chineseScreen("my work", ".o_list_view"),
        {
            content: "new customer order",
            trigger: ".o_control_panel .o_list_button_add",
            run: "click",
        },
        chineseScreen("a new order", ".o_form_view .o_field_widget[name=kefu_missing_items]"),
        {
            content: "the customer",
            trigger: ".o_field_widget[name=partner_id] input",
            run: "edit 乙级客户",
        },
        {
            trigger: ".ui-menu-item > a:contains('乙级客户有限公司')",
            run: "click",
        },
        {
            content: "the intake page is the first: the order came by phone (the menu's default)",
            trigger:
                ".o_field_widget[name=kefu_channel] select:has(option[value='\"phone\"']:selected)",
        },
        {
            content: "the date the customer asked for",
            trigger: ".o_field_widget[name=kefu_requested_date] input",
            run: `edit ${inDays(30)} && press Enter`,
        },
        {
            content: "the memo: what the customer said on the phone",
            trigger: ".o_field_widget[name=kefu_memo_ids] .o_field_x2many_list_row_add > a",
            run: "click",
        },
        {
            trigger:
                ".o_field_widget[name=kefu_memo_ids] .o_data_row .o_field_widget[name=content] textarea",
            run: "edit 客户来电订购 BOPP 印刷膜 500 kg，已逐项复述确认。",
        },
        page("order_lines"),
        {
            content: "add a line",
            trigger:
                ".o_field_widget[name=order_line] .o_field_x2many_list_row_add > a:first",
            run: "click",
        },
        {
            trigger: `${LINE} .o_field_widget[name=product_template_id] input`,
            run: "edit BOPP-20",
        },
        {
            trigger: ".ui-menu-item > a:contains('BOPP-20')",
            run: "click",
        },
        {
            content: "the specification",
            trigger: `${LINE} .o_field_widget[name=kefu_spec] input`,
            run: "edit 20μm × 1000mm",
        },
        {
            content: "the packaging",
            trigger: `${LINE} .o_field_widget[name=kefu_packaging] input`,
            run: "edit 纸芯 3 寸, 托盘",
        },
        {
            content: "the quantity",
            trigger: `${LINE} .o_field_widget[name=product_uom_qty] input`,
            run: "edit 500",
        },
        {
            content: "every sheet item is there",
            trigger:
                ".o_form_view .o_form_sheet:not(:has(.o_field_widget[name=kefu_missing_items]))",
        },
        // Starting the review saves the order, then checks its prices.
        headerButton("action_kefu_start_review", "start the review"),
        stage("review"),
        ...askDepartments(),
        chineseScreen("the order in review", ".o_form_saved .o_form_statusbar", true),
    ],
});

// The departments have signed (as their users, in the test): send the sheet,
// register the signed return, release the production order.
registry.category("web_tour.tours").add("kefu_clerk_tour_release", {
    steps: () => [
        ...sendSheetByFax(),
        ...takeStep("登记回传"),
        chineseScreen("the return dialog", ".modal .o_field_widget[name=signer]"),
        {
            content: "who signed and stamped it at the customer",
            trigger: ".modal .o_field_widget[name=signer] input",
            run: "edit 采购部 张经理",
        },
        ...attachScan("回传确认书.pdf"),
        {
            content: "a clean return",
            trigger: ".modal button[name=action_register]",
            run: "click",
        },
        // Nothing blocks the release: it is the order's next step.
        ...takeStep("下达生产指令单"),
        taken("下达生产指令单"),
        chineseScreen("my work, the order released", ".o_list_view"),
    ],
});

// Production stated what it completed: ask the customer's conformity opinion
// by hand fax, then register the stamped opinion that came back.
registry.category("web_tour.tours").add("kefu_clerk_tour_conformity", {
    steps: () => [
        ...takeStep("发送成品符合意见书"),
        chineseScreen("the sending dialog", ".modal .o_field_widget[name=channel]"),
        {
            content: "by hand fax, proposed: the customer has no address to mail to",
            trigger: ".modal .o_field_widget[name=channel] input[data-value=fax]:checked",
        },
        {
            content: "record it and print the request to fax",
            trigger: ".modal button[name=action_send]",
            run: "click",
        },
        ...takeStep("登记成品符合意见"),
        chineseScreen("the opinion dialog", ".modal .o_field_widget[name=scan]"),
        ...attachScan("成品符合意见.pdf"),
        {
            content: "the goods conform",
            trigger: ".modal button[name=action_register]",
            run: "click",
        },
        taken("登记成品符合意见"),
        chineseScreen("my work, the opinion registered", ".o_list_view"),
    ],
});
