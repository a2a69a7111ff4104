# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tools import SQL

from .models.kefu_order_report import REPORT_INDEXES


def uninstall_hook(env):
    """Drop the report's indexes: Odoo drops the add-on's tables and columns,
    and the indexes on them, but not an index on one of its own tables."""
    for name in REPORT_INDEXES:
        env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
