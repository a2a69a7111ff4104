# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader


@tagged("post_install", "-at_install")
class TestI18n(TransactionCase):
    def test_every_term_has_a_chinese_translation(self):
        """Export the add-on's terms from this database, as Odoo's export does, and
        require a zh_CN translation for each (fields, selections, views, menus,
        errors, reports, mail templates)."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search(
            [("name", "=", "kefu_order_flow")]
        )._update_translations(["zh_CN"])
        reader = TranslationModuleReader(
            self.env.cr, modules=["kefu_order_flow"], lang="zh_CN"
        )
        terms = [
            (ttype, name, source)
            for module, ttype, name, _res_id, source, value, _comments in reader
            if module == "kefu_order_flow"
            and source.strip()
            and not value
            # Odoo's own label of every model's id column, left as is in zh_CN.
            and source != "ID"
        ]
        self.assertFalse(terms, "untranslated terms:\n" + "\n".join(map(str, terms)))
