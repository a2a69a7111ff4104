/** @odoo-module **/
// Copyright 2026 Kefu Order Flow Developers
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import {registry} from "@web/core/registry";
import {
    checkScreen,
    chineseScreen,
    headerButton,
    inDays,
    page,
    save,
    stage,
} from "@kefu_order_flow/../tests/tours/kefu_tour_utils";

// The clerk's part of one order, in the Chinese web client. The data (customer,
// product, payment term, users) comes from tests/test_role_tours.py.

const LINE = ".o_field_widget[name=order_line] .o_data_row";

/** Ask technical and production at once, with the flow's primary button:
 * what to confirm and by when, nothing answered. */
function askDepartments(what) {
    return [
        {
            content: "asking the departments is the next step: the one primary button",
            trigger:
                ".o_form_statusbar:not(:has(.btn-primary ~ .btn-primary)) button.btn-primary:contains('向技术部和生产部申请确认')",
            run: "click",
        },
        chineseScreen("the request dialog", ".modal .o_field_widget[name=note]"),
        {
            content: "what the departments are asked to confirm",
            trigger: ".modal .o_field_widget[name=note] textarea",
            run: `edit ${what}`,
        },
        {
            content: "by when",
            trigger: ".modal .o_field_widget[name=deadline] input",
            run: `edit ${inDays(2)} && press Enter`,
        },
        {
            content: "ask",
            trigger: ".modal button[name=action_request]",
            run: "click",
        },
        {
            content: "both requests are listed, unanswered",
            trigger:
                "body:not(:has(.modal)) .o_field_widget[name=kefu_production_confirmation_ids] .o_data_row",
        },
    ];
}

/** Send the sheet with the flow's one primary button: by hand fax when the
 * sending asks how (a dialog), at once otherwise. */
function sendSheetByFax() {
    const sent =
        ".o_field_widget[name=kefu_stage]:has([data-value=sheet_sent].o_arrow_button_current)";
    // Each step acts in the dialog if there is one, and passes once sent.
    const inDialog = (selector, content) => ({
        content,
        trigger: `.modal ${selector}, ${sent}`,
        run() {
            if (this.anchor.closest(".modal")) {
                checkScreen("the sending dialog");
                this.anchor.click();
            }
        },
    });
    return [
        {
            content: "send the confirmation sheet",
            trigger: ".o_form_statusbar .o_statusbar_buttons button.btn-primary:enabled",
            run: "click",
        },
        inDialog(".o_field_widget[name=channel] input[data-value=fax]", "by hand fax"),
        inDialog("button[name=action_send]", "record it and print the sheet to fax"),
    ];
}

// A phone order from intake to the requests for the departments' answers.
registry.category("web_tour.tours").add("kefu_clerk_tour", {
    steps: () => [
        chineseScreen("the order board", ".o_kanban_view"),
        {
            content: "new customer order",
            trigger: ".o_control_panel .o-kanban-button-new",
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
            content: "the payment method",
            trigger: ".o_field_widget[name=payment_term_id] input",
            run: "edit 月结",
        },
        {
            trigger: ".ui-menu-item > a:contains('月结 30 天')",
            run: "click",
        },
        page("kefu_intake"),
        {
            content: "the order came by phone (the menu's default)",
            trigger:
                ".o_field_widget[name=kefu_channel] select:has(option[value='\"phone\"']:selected)",
        },
        {
            content: "the date the customer asked for",
            trigger: ".o_field_widget[name=kefu_requested_date] input",
            run: `edit ${inDays(30)} && press Enter`,
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
            content: "the unit price of the price execution plan",
            trigger: `${LINE} .o_field_widget[name=price_unit] input`,
            run: "edit 20",
        },
        {
            content: "every sheet item is there",
            trigger:
                ".o_form_view .o_form_sheet:not(:has(.o_field_widget[name=kefu_missing_items]))",
        },
        ...save(),
        page("kefu_intake"),
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
        ...save(),
        chineseScreen("the order in intake", ".o_field_widget[name=kefu_memo_ids] .o_data_row"),
        headerButton("action_kefu_start_review", "start the review"),
        stage("review"),
        {
            content: "checking the prices is the next step: the one primary button",
            trigger:
                ".o_form_statusbar:not(:has(.btn-primary ~ .btn-primary)) button.btn-primary[name=action_kefu_check_prices]",
            run: "click",
        },
        page("kefu_review"),
        {
            content: "the prices are those of the plan",
            trigger: ".o_field_widget[name=kefu_price_state] .text-bg-success",
        },
        ...askDepartments("能否按原配方生产、原膜库存；排产日期与成品完成日期"),
        chineseScreen(
            "the order in review",
            ".o_form_saved .o_field_widget[name=kefu_production_confirmation_ids] .o_data_row",
            true
        ),
    ],
});

// The departments have signed (as their users, in the test): send the sheet,
// register the signed return, release the production order.
registry.category("web_tour.tours").add("kefu_clerk_tour_release", {
    steps: () => [
        stage("review"),
        chineseScreen("the order, both signed", ".o_form_view .o_form_statusbar", true),
        ...sendSheetByFax(),
        stage("sheet_sent"),
        chineseScreen("the order, sheet sent", ".o_form_view .o_form_statusbar", true),
        {
            content: "the signed sheet came back",
            trigger: ".o_form_statusbar button:contains('登记回传')",
            run: "click",
        },
        chineseScreen("the return dialog", ".modal .o_field_widget[name=signer]"),
        {
            content: "who signed and stamped it at the customer",
            trigger: ".modal .o_field_widget[name=signer] input",
            run: "edit 采购部 张经理",
        },
        {
            trigger: ".modal .o_field_widget[name=note] textarea",
            run: "edit 签字盖章清晰，逐项核对无误。",
        },
        {
            content: "attach the scan of the returned fax",
            trigger: ".modal .o_field_widget[name=scan]",
            run() {
                const input = this.anchor.querySelector("input[type=file]");
                const files = new DataTransfer();
                files.items.add(
                    new File(["%PDF-1.4 signed and stamped"], "回传确认书.pdf", {
                        type: "application/pdf",
                    })
                );
                input.files = files.files;
                input.dispatchEvent(new Event("change", {bubbles: true}));
            },
        },
        {
            content: "the scan is attached",
            trigger: ".modal .o_field_widget[name=scan] .o_clear_file_button",
        },
        {
            content: "a clean return",
            trigger: ".modal button[name=action_register]",
            run: "click",
        },
        stage("returned"),
        {
            content: "nothing blocks the release",
            trigger: ".o_form_view:not(:has(.o_field_widget[name=kefu_release_blockers]))",
        },
        page("kefu_sheet"),
        chineseScreen(
            "the order's sheet and return",
            ".o_form_view .o_field_widget[name=kefu_return_ids] .o_data_row",
            true
        ),
        headerButton("action_confirm", "release the production order"),
        stage("released"),
        chineseScreen("the released order", ".o_form_view .o_form_statusbar", true),
    ],
});
