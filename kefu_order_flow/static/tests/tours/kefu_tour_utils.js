/** @odoo-module **/
// Copyright 2026 Kefu Order Flow Developers
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

// What the role tours share: the Chinese screen check, stages, pages, dates.

import {user} from "@web/core/user";

// Latin words that belong on a Chinese screen, each for a reason: material
// codes in the test products' names (BOPP 印刷膜, PET 复合膜), the units of the
// data (kg; μm and mm in the specifications), the currency code, and the type
// of the files attached (回传确认书.pdf, shown as PDF in the chatter).
const LATIN_ALLOWED = new Set(["BOPP", "PET", "kg", "mm", "CNY", "PDF", "pdf"]);
// Codes made of Latin letters: deliveries' references (WH/OUT/00003),
// invoices' and payments' numbers (INV/2026/00001, BNK1/2026/00001) and the
// sheet's fingerprint (ABCD-2345, tools/kefu_fingerprint.py). Orders (S00012)
// carry one letter only and pass as they are.
const REFERENCES = /\b[A-Z]+\/[A-Z]+\/\d+\b|\b[A-Z]+\d*\/\d{4}\/\d+\b|\b[A-Z2-7]{4}-[A-Z2-7]{4}\b/g;
// The screen a user works on: the menu bar, the action (control panel, view,
// chatter), any dialog over it and the menus and popovers opened on it.
const SCREEN = ".o_main_navbar, .o_action_manager, .modal, .o-overlay-container";
// The fields that show what they hold (or ask for) as text.
const TYPED =
    "textarea, input:not([type=checkbox], [type=radio], [type=file], [type=hidden])";

/**
 * The Latin words of ``text`` (two letters or more) that are not allowed.
 * @param {string} text
 * @returns {string[]}
 */
function latinWords(text) {
    const words = text.replace(REFERENCES, " ").match(/[A-Za-z]{2,}/g) || [];
    return [...new Set(words)].filter((word) => !LATIN_ALLOWED.has(word));
}

/** What the screen shows: its texts, and what its fields hold or ask for. */
function screenText() {
    const areas = [...document.querySelectorAll(SCREEN)];
    const fields = areas
        .flatMap((area) => [...area.querySelectorAll(TYPED)])
        .filter((input) => input.checkVisibility())
        .map((input) => input.value || input.placeholder);
    return [...areas.map((area) => area.innerText), ...fields].join("\n");
}

/**
 * A step that fails when the screen shows an English word, an error dialog or
 * a list column whose label is cut short, once ``ready`` is there.
 * @param {string} screen what the user is looking at (for the failure message)
 * @param {string} ready the selector that says the screen is loaded
 * @param {boolean} chatter whether to wait for the chatter's messages too
 */
export function chineseScreen(screen, ready, chatter = false) {
    return {
        content: `${screen}: everything in Chinese`,
        trigger: chatter ? `.o_action_manager:has(.o-mail-Message) ${ready}` : ready,
        run() {
            checkScreen(screen);
        },
    };
}

/**
 * Fail when the screen shows an English word, an error dialog or a cut column
 * label now.
 * @param {string} screen what the user is looking at (for the failure message)
 */
function checkScreen(screen) {
    const error = document.querySelector(".o_error_dialog");
    if (error) {
        throw new Error(`${screen}: error dialog: ${error.innerText}`);
    }
    const words = latinWords(screenText());
    if (words.length) {
        throw new Error(`${screen}: English on the screen: ${words.join(", ")}`);
    }
    const cut = cutLabels();
    if (cut.length) {
        throw new Error(`${screen}: column labels cut short: ${cut.join(", ")}`);
    }
}

/** The labels of the lists' columns that do not fit (shown with an ellipsis). */
function cutLabels() {
    return [...document.querySelectorAll(`:is(${SCREEN}) thead th .text-truncate`)]
        .filter((label) => label.checkVisibility())
        .filter((label) => label.scrollWidth > label.clientWidth + 1)
        .map((label) => label.innerText);
}

/**
 * A step that expects the server to refuse with a message in Chinese (not an
 * access error), and closes the message.
 * @param {string} what what is refused (for the failure message)
 */
export function refused(what) {
    return [
        {
            content: `${what}: refused in Chinese`,
            trigger: ".modal .o_error_dialog",
            run() {
                const text = this.anchor.innerText;
                const words = latinWords(text);
                if (words.length) {
                    throw new Error(`${what}: English in the refusal: ${words}`);
                }
                if (text.includes("访问错误")) {
                    throw new Error(`${what}: an access error, not a refusal: ${text}`);
                }
            },
        },
        {
            trigger: ".modal .o_error_dialog .o-default-button",
            run: "click",
        },
        {
            content: "the message is closed",
            trigger: "body:not(:has(.modal))",
        },
    ];
}

/** The order's flow stage is ``stage`` (a kefu_stage value). */
export function stage(value) {
    return {
        content: `the order is in stage ${value}`,
        trigger: `.o_field_widget[name=kefu_stage] .o_arrow_button_current[data-value=${value}]`,
    };
}

/** Open a page of the order form by its name (kefu_intake, kefu_review…). */
export function page(name) {
    return {
        content: `the page ${name}`,
        trigger: `.o_notebook .nav-link[name=${name}]`,
        run: "click",
    };
}

/** Click a button of the form's header by its method or action name. */
export function headerButton(name, content) {
    return {
        content,
        trigger: `.o_form_statusbar button[name=${name}]:enabled`,
        run: "click",
    };
}

/**
 * From *My Work*, without opening the order: the step the order of
 * ``customer`` waits for from the user (``next``, as the list names it),
 * taken with the row's button.
 * @param {string} next the next step, as the list's badge says it
 * @param {string} customer the customer's name, as the list shows it
 */
export function takeStep(next, customer = "乙级客户有限公司") {
    const row = `.o_list_view .o_data_row:contains('${customer}'):has(.o_field_widget[name=kefu_next_step]:contains('${next}'))`;
    return [
        chineseScreen(`my work: ${next}`, row),
        {
            content: next,
            trigger: `body:not(:has(.modal)) ${row} button[name=action_kefu_take_next_step]`,
            run: "click",
        },
    ];
}

/** The customer's row of My Work no longer waits for ``next``. */
export function taken(next, customer = "乙级客户有限公司") {
    return {
        content: `${next}: done`,
        trigger: `body:not(:has(.modal)) .o_list_view:not(:has(.o_data_row:contains('${customer}'):contains('${next}')))`,
    };
}

/**
 * Attach, in the open dialog, the scan of what the customer returned: the file
 * ``name`` chosen in its file field, then shown as attached.
 */
export function attachScan(name) {
    return [
        {
            content: "attach the scan of the returned fax",
            trigger: ".modal .o_field_widget[name=scan]",
            run() {
                const input = this.anchor.querySelector("input[type=file]");
                const files = new DataTransfer();
                files.items.add(
                    new File(["%PDF-1.4 signed and stamped"], name, {
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
    ];
}

/** Open the add-on's app, then one of its menus (by its xml id). */
export function menu(xmlid, content) {
    return [
        {
            content: "the Customer Service app",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            trigger: ".o_app[data-menu-xmlid='kefu_order_flow.kefu_root_menu']",
            run: "click",
        },
        {
            content,
            trigger: `.o_main_navbar [data-menu-xmlid='${xmlid}']`,
            run: "click",
        },
    ];
}

/**
 * ``days`` from today in the user's time zone (as the user's own browser
 * counts it, whatever the test browser's zone), as the date fields accept it
 * (2026-12-20).
 */
export function inDays(days) {
    return luxon.DateTime.now()
        .setZone(user.tz || "local")
        .plus({days})
        .toFormat("yyyy-MM-dd");
}

/** Save the form and wait until it is saved. */
export function save(content = "save") {
    return [
        {content, trigger: ".o_form_button_save:enabled", run: "click"},
        {trigger: ".o_form_saved"},
    ];
}
