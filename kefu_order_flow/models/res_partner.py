# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, fields, models

from .kefu_common import check_percents


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

    def _commercial_fields(self):
        return super()._commercial_fields() + [
            "kefu_grade_id",
            "kefu_deposit_override",
            "kefu_deposit_percent_own",
        ]
