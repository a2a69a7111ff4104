/** @odoo-module **/
// Copyright 2026 Kefu Order Flow Developers
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

import {registry} from "@web/core/registry";

// The data (customer, product, price list, users) comes from tests/test_tour.py.

const stage = (label) => ({
    content: `the order is in stage ${label}`,
    trigger: `.o_field_widget[name=kefu_stage] .o_arrow_button_current:contains('${label}')`,
});

// The clerk records a faxed order, completes the sheet items, and starts the review.
registry.category("web_tour.tours").add("kefu_clerk_tour", {
    url: "/odoo/action-kefu_order_flow.sale_order_action_kefu",
    steps: () => [
        {
            content: "new customer order",
            trigger: ".o_control_panel .o-kanban-button-new, .o_control_panel .o_list_button_add",
            run: "click",
        },
        {
            content: "every sheet item is missing at first",
            trigger: ".o_field_widget[name=kefu_missing_items]:contains('Payment method')",
        },
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
            run: "edit 30 Days",
        },
        {
            trigger: ".ui-menu-item > a:contains('30 Days')",
            run: "click",
        },
        {
            content: "the checklist shrinks: the payment method is there",
            trigger:
                ".o_field_widget[name=kefu_missing_items]:not(:contains('Payment method')):contains('Requested date')",
        },
        {
            content: "the Intake page",
            trigger: ".o_notebook .nav-link[name=kefu_intake]",
            run: "click",
        },
        {
            content: "the order came by fax",
            trigger: ".o_field_widget[name=kefu_channel] select",
            run: 'select "fax"',
        },
        {
            content: "the date the customer asked for",
            trigger: ".o_field_widget[name=kefu_requested_date] input",
            run: "edit 12/20/2026 && press Enter",
        },
        {
            content: "the checklist shrinks: the requested date is there",
            trigger:
                ".o_field_widget[name=kefu_missing_items]:not(:contains('Requested date')):contains('order line')",
        },
        {
            content: "the order lines",
            trigger: ".o_notebook .nav-link:contains('Order Lines')",
            run: "click",
        },
        {
            content: "add a line",
            trigger: ".o_field_widget[name=order_line] .o_field_x2many_list_row_add > a:first",
            run: "click",
        },
        {
            trigger:
                ".o_field_widget[name=order_line] .o_data_row .o_field_widget[name=product_template_id] input, .o_field_widget[name=order_line] .o_data_row .o_field_widget[name=product_id] input",
            run: "edit BOPP-20",
        },
        {
            trigger: ".ui-menu-item > a:contains('BOPP-20')",
            run: "click",
        },
        {
            content: "the specification",
            trigger: ".o_field_widget[name=order_line] .o_data_row .o_field_widget[name=kefu_spec] input",
            run: "edit 20μm × 1000mm",
        },
        {
            content: "the packaging",
            trigger: ".o_field_widget[name=order_line] .o_data_row .o_field_widget[name=kefu_packaging] input",
            run: "edit 纸芯 3 寸, 托盘",
        },
        {
            content: "the quantity",
            trigger: ".o_field_widget[name=order_line] .o_data_row .o_field_widget[name=product_uom_qty] input",
            run: "edit 500",
        },
        {
            content: "the unit price of the price execution plan",
            trigger: ".o_field_widget[name=order_line] .o_data_row .o_field_widget[name=price_unit] input",
            run: "edit 20",
        },
        {
            content: "the checklist is empty",
            trigger: ".o_form_view .o_form_sheet:not(:has(.o_field_widget[name=kefu_missing_items]))",
        },
        {
            content: "save",
            trigger: ".o_form_button_save:enabled",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        {
            content: "back to the Intake page, for the memo",
            trigger: ".o_notebook .nav-link[name=kefu_intake]",
            run: "click",
        },
        {
            content: "a memo entry",
            trigger: ".o_field_widget[name=kefu_memo_ids] .o_field_x2many_list_row_add > a",
            run: "click",
        },
        {
            // Inline when the list is editable, else in the entry's dialog.
            trigger:
                ".modal .o_field_widget[name=content] textarea, .o_field_widget[name=kefu_memo_ids] .o_data_row .o_field_widget[name=content] textarea",
            run: "edit 收到传真订单，已按确认书逐项核对。",
        },
        {
            trigger: "body",
            run() {
                document.querySelector(".modal .o_form_button_save")?.click();
            },
        },
        {
            trigger: "body:not(:has(.modal)) .o_form_button_save:enabled",
            run: "click",
        },
        {
            content: "the memo entry is saved with the order",
            trigger:
                ".o_form_saved .o_field_widget[name=kefu_memo_ids] .o_data_row:contains('收到传真订单')",
        },
        {
            content: "start the review",
            trigger: ".o_form_statusbar button[name=action_kefu_start_review]",
            run: "click",
        },
        stage("Review"),
        {
            content: "checking the prices is the next step: the one primary button",
            trigger:
                ".o_form_statusbar:not(:has(.btn-primary ~ .btn-primary)) button.btn-primary[name=action_kefu_check_prices]",
            run: "click",
        },
        {
            content: "the Review page",
            trigger: ".o_notebook .nav-link[name=kefu_review]",
            run: "click",
        },
        {
            content: "the prices are those of the plan",
            trigger: ".o_field_widget[name=kefu_price_state]:contains('Prices OK')",
        },
    ],
});

// After the technical and production departments signed (as their users, in the
// test): send the sheet, register the signed return, release the production order.
registry.category("web_tour.tours").add("kefu_clerk_tour_release", {
    steps: () => [
        stage("Review"),
        {
            content: "send the confirmation sheet",
            trigger: ".o_form_statusbar button:contains('Send Confirmation Sheet')",
            run: "click",
        },
        {
            content: "by a fax sent by hand",
            trigger: ".modal .o_field_widget[name=channel] input[data-value=fax]",
            run: "click",
        },
        {
            content: "record it and print the sheet to fax",
            trigger: ".modal button[name=action_send]",
            run: "click",
        },
        stage("Sheet Sent"),
        {
            content: "the signed sheet came back",
            trigger: ".o_form_statusbar button:contains('Register Return')",
            run: "click",
        },
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
        stage("Returned"),
        {
            content: "nothing blocks the release",
            trigger: ".o_form_view:not(:has(.o_field_widget[name=kefu_release_blockers]))",
        },
        {
            content: "release the production order",
            trigger: ".o_form_statusbar button[name=action_confirm]",
            run: "click",
        },
        stage("Released"),
    ],
});
