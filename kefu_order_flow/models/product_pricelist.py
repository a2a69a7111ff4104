# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ProductPricelist(models.Model):
    _inherit = "product.pricelist"

    kefu_grade_ids = fields.One2many(
        "kefu.customer.grade",
        "pricelist_id",
        string="Customer Grades",
        help="The customer grades whose price execution plan (价格执行方案) this "
        "price list is.",
    )
