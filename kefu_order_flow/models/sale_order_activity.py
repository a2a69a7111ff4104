# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Hand-offs: the flow tells the next department it is its turn with an
activity of the flow's own types (data/mail_activity_type_data.xml), marks it
done when the step is taken, and removes what no longer applies when the order
is cancelled or done."""

import datetime

from odoo import fields, models
from odoo.osv import expression

from .kefu_common import (
    GROUP_FINANCE,
    model_label,
)

ACT = "kefu_order_flow.mail_activity_kefu_"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # ACTION METHODS (the steps that end a hand-off)
    # ------------------------------------------------------------------
    def action_kefu_acknowledge_production(self):
        res = super().action_kefu_acknowledge_production()
        self._kefu_hand_off_done(ACT + "release")
        return res

    # Not a button: the request goes out by hand or when its mail is sent.
    def _kefu_send_conformity(self, channel, partners=None):
        res = super()._kefu_send_conformity(channel, partners=partners)
        for order in self:
            order._kefu_hand_off(
                ACT + "conformity",
                self.env.user,
                self.env._(
                    "Chase the conformity opinion of %(order)s", order=order.name
                ),
                date=fields.Date.add(order._kefu_local_today(), days=3),
            )
        return res

    def action_kefu_confirm_prices(self):
        res = super().action_kefu_confirm_prices()
        self._kefu_hand_off_done(ACT + "prices")
        return res

    def action_kefu_register_return(self, accepted, *args, **kwargs):
        res = super().action_kefu_register_return(accepted, *args, **kwargs)
        # What the customer did online stays for the clerk to check, even when
        # the portal registered the return itself.
        if accepted:
            self._kefu_hand_off_done(ACT + "backfill")
        return res

    def action_kefu_register_conformity(self, accepted, *args, **kwargs):
        # Before the step: a rejected opinion opens a follow-up of this type.
        self._kefu_hand_off_done(ACT + "conformity")
        return super().action_kefu_register_conformity(accepted, *args, **kwargs)

    def action_kefu_approve_shipping(self):
        res = super().action_kefu_approve_shipping()
        self._kefu_hand_off_done(ACT + "payment")
        return res

    def action_kefu_confirm_arrival(self, contact, *args, **kwargs):
        # Done before the order is, so the activity is marked done, not removed.
        self._kefu_hand_off_done(ACT + "arrival")
        return super().action_kefu_confirm_arrival(contact, *args, **kwargs)

    # ------------------------------------------------------------------
    # BUSINESS METHODS (the steps that start one)
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

    def _kefu_notify_deposit(self):
        res = super()._kefu_notify_deposit()
        self._kefu_hand_off(
            ACT + "deposit",
            self._kefu_department_users(GROUP_FINANCE),
            self.env._(
                "Confirm the deposit of %(order)s when it is received",
                order=self.name,
            ),
        )
        return res

    def _kefu_receive_money(self, kind, *args, **kwargs):
        res = super()._kefu_receive_money(kind, *args, **kwargs)
        if kind == "deposit" and self.kefu_deposit_state == "received":
            self._kefu_hand_off_done(ACT + "deposit")
            self._kefu_hand_off_done(ACT + "deposit_follow_up")
        return res

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
