# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Hand-offs: the flow tells the next department it is its turn with an
activity of the flow's own types (data/mail_activity_type_data.xml), marks it
done when the step that ends it is taken (``Step.done``, applied by
``_kefu_enter``), and removes what no longer applies when the order is
cancelled or done."""

import datetime

from odoo import models
from odoo.osv import expression

from .kefu_common import (
    ACT,
    GROUP_FINANCE,
    model_label,
)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # BUSINESS METHODS (the hand-offs that steps start)
    # ------------------------------------------------------------------
    def _kefu_statement_requested(self, statement):
        """Customer service opened a request for another department's answer."""
        self.ensure_one()
        if not statement._kefu_request_activity:
            return
        self._kefu_hand_off(
            statement._kefu_request_activity,
            self._kefu_department_users(statement._kefu_sign_group),
            self.env._(
                "%(document)s requested for %(order)s",
                document=model_label(statement),
                order=self.name,
            ),
            note=statement.request_note,
            date=statement.request_deadline,
        )

    def _kefu_ask_payment(self):
        """Production completed an order that ships after payment: finance's
        turn."""
        if self.kefu_ship_state == "awaiting_payment":
            self._kefu_hand_off(
                ACT + "payment",
                self._kefu_department_users(GROUP_FINANCE),
                self.env._(
                    "Confirm the payment of %(order)s and approve shipping",
                    order=self.name,
                ),
            )

    # ------------------------------------------------------------------
    # HELPERS
    # ------------------------------------------------------------------
    def _kefu_department_users(self, *groups, include=None):
        """The active internal users of any of ``groups`` (xml ids) who work
        for the order's company, and the users ``include``, with their
        partners, in one query."""
        self.ensure_one()
        group_ids = [self.env["ir.model.data"]._xmlid_to_res_id(g) for g in groups]
        domain = [
            ("groups_id", "in", group_ids),
            ("share", "=", False),
            ("company_ids", "in", self.company_id.ids),
        ]
        if include:
            domain = expression.OR([domain, [("id", "in", include.ids)]])
        # Reading a group's members is an administrator's right; whom to tell
        # is the flow's decision, not the acting user's.
        return self.env["res.users"].sudo().search_fetch(domain, ["partner_id"])

    def _kefu_hand_off(self, activity_type, users, summary, note=None, date=None):
        """One activity of ``activity_type`` (an xml id) for each of ``users``,
        created at once; the activity itself is the notice (no e-mail)."""
        self.ensure_one()
        if not users:
            return self.env["mail.activity"]
        act_type = self.env["mail.activity.type"].browse(
            self.env["ir.model.data"]._xmlid_to_res_id(activity_type, True)
        )
        vals = {
            "res_model_id": self.env["ir.model"]._get_id(self._name),
            "res_id": self.id,
            "activity_type_id": act_type.id,
            "summary": summary,
            "note": note,
            "date_deadline": date or act_type._get_date_deadline(),
            "automated": True,  # the flow's: activity_feedback() finds it
        }
        # The acting user may not write the order (production and finance read
        # it only): telling the next department is the flow's doing.
        return (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create([dict(vals, user_id=user.id) for user in users])
        )

    def _kefu_tell(self, body, users):
        """A note to ``users`` in the order's chatter, the flow's doing whoever
        acts: in the chatter at once; their inbox notices and mails go out
        from Odoo's queue of scheduled notifications (the next second: Odoo
        counts in seconds), not inside the request of whoever acts. It does
        not make them followers (Odoo's default on a sales order), who would
        get a copy of every later mail of the order."""
        self.ensure_one()
        # The queue would give the order its portal token (the customer's link
        # in the mails), writing the order's row while a user may be changing
        # it: the step that tells, which holds the row, does it.
        self._portal_ensure_token()
        return (
            self.sudo()
            .with_context(mail_post_autofollow=False)
            .message_post(
                body=body,
                partner_ids=users.partner_id.ids,
                subtype_xmlid="mail.mt_note",
                scheduled_date=self.env.cr.now() + datetime.timedelta(seconds=1),
            )
        )

    def _kefu_hand_off_done(self, activity_type):
        """The step was taken: the department's activities are done, whoever
        of the department (or above) took it."""
        # Marking another user's activity done needs the flow's rights.
        self.sudo().activity_feedback(
            [activity_type],
            feedback=self.env._("Done by %(user)s", user=self.env.user.name),
        )

    def _kefu_clear_hand_offs(self):
        """Cancelled or done: the flow's open activities lost their reason."""
        types = (
            self.env["ir.model.data"]
            .sudo()
            .search(
                [
                    ("module", "=", "kefu_order_flow"),
                    ("model", "=", "mail.activity.type"),
                ]
            )
        )
        # Whoever ends the order removes every department's reminders.
        self.sudo().activity_ids.filtered(
            lambda act: act.activity_type_id.id in types.mapped("res_id")
        ).unlink()
