# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models
from odoo.exceptions import AccessError

from .kefu_common import GROUP_SUPERVISOR, check_percents

# The customer's place in the grade standard and its deposit: policy, set by the
# supervisor (or an administrator) on the customer; its contacts carry the
# customer's values (Odoo's commercial fields).
KEFU_POLICY_FIELDS = (
    "kefu_grade_id",
    "kefu_deposit_override",
    "kefu_deposit_percent_own",
)
# What moves them: writing them, or a partner becoming (or ceasing to be) a
# customer of its own.
KEFU_POLICY_PATHS = frozenset(KEFU_POLICY_FIELDS) | {
    "kefu_deposit_percent",
    "parent_id",
    "is_company",
}


class ResPartner(models.Model):
    _inherit = "res.partner"

    kefu_grade_id = fields.Many2one(
        "kefu.customer.grade",
        string="Customer Grade",
        index="btree_not_null",
        tracking=True,
        help="Grade of the customer grade classification standard (客户等级).",
    )
    kefu_deposit_override = fields.Boolean(
        string="Own Deposit Percent",
        help="Use the deposit percent set on this customer instead of the grade's.",
    )
    kefu_deposit_percent_own = fields.Float(
        string="Customer Deposit Percent", digits=(5, 2)
    )
    kefu_deposit_percent = fields.Float(
        string="Deposit (%)",
        digits=(5, 2),
        compute="_compute_kefu_deposit_percent",
        inverse="_inverse_kefu_deposit_percent",
        store=True,
        tracking=True,
        help="Deposit (定金) in percent of the order total: the grade's unless "
        "overridden for this customer.",
    )
    kefu_fax = fields.Char(
        string="Fax",
        help="The customer's fax number, printed on the confirmation sheet.",
    )
    kefu_fax_email = fields.Char(
        string="Fax-to-Mail Address",
        help="The address of the customer's fax-to-mail gateway: a mail sent there "
        "comes out of the customer's fax machine.",
    )
    kefu_signer_ids = fields.Many2many(
        "res.partner",
        "kefu_partner_signer_rel",
        "partner_id",
        "signer_id",
        string="Designated Signers",
        domain="[('id', 'child_of', id), ('id', '!=', id)]",
        help="The customer's people allowed to sign or stamp the confirmation "
        "sheet. A return signed by someone else needs the supervisor's "
        "confirmation, or is refused when the company says so. Empty: no check.",
    )

    _sql_constraints = [
        (
            "kefu_deposit_percent_own_range",
            "CHECK(kefu_deposit_percent_own >= 0 AND kefu_deposit_percent_own <= 100)",
            "The deposit percent must be between 0 and 100.",
        ),
    ]

    @api.depends(
        "kefu_grade_id.deposit_percent",
        "kefu_deposit_override",
        "kefu_deposit_percent_own",
    )
    def _compute_kefu_deposit_percent(self):
        for partner in self:
            partner.kefu_deposit_percent = (
                partner.kefu_deposit_percent_own
                if partner.kefu_deposit_override
                else partner.kefu_grade_id.deposit_percent
            )

    def _inverse_kefu_deposit_percent(self):
        for partner in self:
            if partner.kefu_deposit_percent != partner.kefu_grade_id.deposit_percent:
                partner.kefu_deposit_override = True
            partner.kefu_deposit_percent_own = partner.kefu_deposit_percent

    @api.depends("kefu_grade_id.pricelist_id")
    def _compute_product_pricelist(self):
        res = super()._compute_product_pricelist()
        company = self.env.company
        for partner in self:
            pricelist = partner.commercial_partner_id.kefu_grade_id.pricelist_id
            if (
                pricelist
                and pricelist.company_id in (company, company.browse())
                and not partner.specific_property_product_pricelist
            ):
                partner.property_product_pricelist = pricelist
        return res

    @api.constrains("kefu_deposit_percent_own")
    def _check_kefu_deposit_percent_own(self):
        check_percents(self, ["kefu_deposit_percent_own"])

    def _kefu_policy(self):
        """The customer's grade and deposit as this partner carries them."""
        self.ensure_one()
        return tuple(self[name] for name in KEFU_POLICY_FIELDS)

    def _kefu_policy_snapshot(self, vals):
        """{partner: (its customer, its policy)} before ``vals`` are written,
        when they can move the policy."""
        if self.env.su or not KEFU_POLICY_PATHS.intersection(vals):
            return None
        return {
            partner: (partner.commercial_partner_id, partner._kefu_policy())
            for partner in self
        }

    def _kefu_check_policy(self, before):
        """Whatever the path (create, write, import, merge, a contact turned
        into a company), a customer's grade and deposit change only by the
        supervisor's hand, and a contact carries its customer's. A partner that
        becomes a customer of its own does not keep its former company's; a
        company that becomes a contact takes its new customer's."""
        if self.env.su or before is None:
            return
        privileged = self.env.user.has_group(GROUP_SUPERVISOR) or (
            self.env.user.has_group("base.group_system")
        )
        for partner in self:
            customer = partner.commercial_partner_id
            policy = partner._kefu_policy()
            was_customer, was = before.get(partner, (None, None))
            if customer != partner:
                if policy == customer._kefu_policy():
                    continue
                if was_customer == partner:  # a company that became a contact
                    partner.sudo().write(
                        customer._update_fields_values(KEFU_POLICY_FIELDS)
                    )
                    continue
                raise AccessError(
                    self.env._(
                        "%(contact)s carries the grade and deposit of "
                        "%(customer)s: the supervisor sets them on the customer.",
                        contact=partner.display_name,
                        customer=customer.display_name,
                    )
                )
            if was_customer == partner:
                unchanged = policy == was
            else:  # a new customer starts without a grade
                unchanged = not any(policy)
                if policy == was and any(policy) and not privileged:
                    partner.sudo().write(dict.fromkeys(KEFU_POLICY_FIELDS, False))
                    continue
            if privileged or unchanged:
                continue
            raise AccessError(
                self.env._(
                    "Only the customer service supervisor sets a customer's grade "
                    "and deposit."
                )
            )

    # ------------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        # An import syncs the contacts after creating them all.
        if not self.env.context.get("_partners_skip_fields_sync"):
            partners._kefu_check_policy({})
        return partners

    def _load_records_create(self, vals_list):
        partners = super()._load_records_create(vals_list)
        partners._kefu_check_policy({})
        return partners

    def write(self, vals):
        before = self._kefu_policy_snapshot(vals)
        res = super().write(vals)
        self._kefu_check_policy(before)
        return res

    def signup_prepare(self, signup_type="signup"):
        # Each notification on a sales order renders the customer's sign-up
        # link and writes the same signup_type again (auth_signup): a row lock
        # on the customer that concurrent orders of that customer collide on.
        # The token does not depend on that write, only on the value.
        todo = self.filtered(lambda partner: partner.signup_type != signup_type)
        return super(ResPartner, todo).signup_prepare(signup_type)

    def _commercial_fields(self):
        return super()._commercial_fields() + [
            "kefu_grade_id",
            "kefu_deposit_override",
            "kefu_deposit_percent_own",
        ]
