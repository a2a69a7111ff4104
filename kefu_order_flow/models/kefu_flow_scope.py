# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Which sales orders go through the order flow.

A scope selects orders the way a tier definition of ``base_tier_validation``
selects the records it reviews: by company, by sales team (none: every team of
the company) and by an optional domain on ``sale.order``. An order that some
active scope selects when it is created starts in intake; the others have no
flow stage and stay Odoo's own orders.
"""

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.tools.safe_eval import safe_eval


class KefuFlowScope(models.Model):
    _name = "kefu.flow.scope"
    _description = "Order Flow Scope"
    _order = "company_id, sequence, id"

    # ------------------------------------------------------------------
    # FIELDS
    # ------------------------------------------------------------------
    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self._default_company_id(),
    )
    team_ids = fields.Many2many(
        "crm.team",
        string="Sales Teams",
        domain="[('company_id', 'in', (False, company_id))]",
        help="Orders of these sales teams go through the order flow; none: "
        "the orders of every team of the company.",
    )
    domain = fields.Char(
        string="Order Filter",
        default="[]",
        help="Only the orders that also match this filter go through the order "
        "flow; empty: all the orders of the company and teams.",
    )

    # ------------------------------------------------------------------
    # DEFAULTS
    # ------------------------------------------------------------------
    def _default_company_id(self):
        return self.env.company

    # ------------------------------------------------------------------
    # CONSTRAINT METHODS
    # ------------------------------------------------------------------
    @api.constrains("domain")
    def _check_domain(self):
        for scope in self:
            try:
                domain = scope._get_domain()
                self.env["sale.order"].sudo().search_count(domain, limit=1)
            except Exception as error:
                raise ValidationError(
                    self.env._(
                        "The order filter of the scope %(scope)s is not a valid "
                        "filter on sales orders: %(error)s",
                        scope=scope.name,
                        error=error,
                    )
                ) from error

    @api.constrains("company_id", "team_ids")
    def _check_team_company(self):
        for scope in self:
            others = scope.team_ids.filtered(
                lambda team, scope=scope: (
                    team.company_id and team.company_id != scope.company_id
                )
            )
            if others:
                raise ValidationError(
                    self.env._(
                        "The sales teams of the scope %(scope)s must belong to its "
                        "company %(company)s: %(teams)s.",
                        scope=scope.name,
                        company=scope.company_id.name,
                        teams=", ".join(others.mapped("name")),
                    )
                )

    # ------------------------------------------------------------------
    # CRUD METHODS
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        scopes = super().create(vals_list)
        self.env.registry.clear_cache()
        return scopes

    def write(self, vals):
        res = super().write(vals)
        self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res

    # ------------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------------
    def _get_domain(self):
        self.ensure_one()
        domain = safe_eval(self.domain or "[]")
        if not isinstance(domain, list | tuple):
            raise ValueError(self.env._("a filter is a list of conditions"))
        return list(domain)

    @api.model
    def _kefu_select(self, orders):
        """Of ``orders``, those some active scope selects."""
        if not orders:
            return orders
        orders = orders.sudo()
        selected = orders.browse()
        scopes = self.sudo().search([("company_id", "in", orders.company_id.ids)])
        for scope in scopes:
            candidates = (orders - selected).filtered(
                lambda order, scope=scope: (
                    order.company_id == scope.company_id
                    and (not scope.team_ids or order.team_id in scope.team_ids)
                )
            )
            domain = scope._get_domain()
            if candidates and domain:
                candidates = candidates.filtered_domain(domain)
            selected |= candidates
        return selected.with_env(self.env)

    @api.model
    @tools.ormcache()
    def _kefu_trigger_fields(self):
        """The fields of ``sale.order`` whose change may move an order into or
        out of the scope: company, team and what the filters read."""
        names = {"company_id", "team_id"}
        for scope in self.sudo().search([]):
            for leaf in scope._get_domain():
                if isinstance(leaf, list | tuple) and leaf and isinstance(leaf[0], str):
                    names.add(leaf[0].split(".")[0])
        return frozenset(names)
