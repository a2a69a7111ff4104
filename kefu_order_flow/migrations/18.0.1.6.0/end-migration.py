# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""To 18.0.1.6.0. Runs once every module is loaded, with the add-on's terms
over Odoo's (ir_module_module.py).

A release past review asks the sheet version in force whether the order still
carries what it carried, no longer the review again: a version stands for a
review that was clear when it went out. An order whose sheet went out under
an earlier release and that today's review would stop (a check it did not
make then) goes back to review, as a change of content sends it: its version
is void, the clerk who sent it is told why, and the review decides again.

The payment methods of a journal are named when it is made, in the language
of whoever made it, and kept (Odoo's own zh_CN leaves *Manual Payment* in
English, which the add-on now translates): a journal's method still named as
its method is in English takes its name in its company's language.
"""

from odoo import SUPERUSER_ID, api

from odoo.addons.kefu_order_flow.models.kefu_common import in_company_lang


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    _review_again(env)
    _name_payment_methods(env)


def _review_again(env):
    orders = env["sale.order"].search(
        [("kefu_stage", "in", ("sheet_sent", "returned"))]
    )
    for order in orders:
        order = in_company_lang(order, order.company_id)
        blockers = order._get_kefu_review_blockers()
        if not blockers:
            continue
        clerk = order.kefu_sheet_sent_by
        body = order.env._(
            "Back to review at the upgrade: sheet version %(version)s went out "
            "before the review asked for what it asks now:\n%(blockers)s\n"
            "Review the order again and send a new version.",
            version=order.kefu_sheet_version,
            blockers="\n".join(blockers),
        )
        order._kefu_void_signed(body, statements=False)
        order._kefu_tell(body, clerk)


def _name_payment_methods(env):
    for line in env["account.payment.method.line"].search([]):
        lang = line.journal_id.company_id.partner_id.lang
        method = line.payment_method_id
        if not lang or lang == "en_US":
            continue
        if line.name == method.with_context(lang="en_US").name:
            line.name = method.with_context(lang=lang).name
