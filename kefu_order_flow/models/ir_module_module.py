# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationImporter


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _load_module_terms(
        self, modules, langs, overwrite=False, imported_module=False
    ):
        """Odoo's zh_CN leaves some terms of the screens the flow shows in
        English, copied as their translation (the payment dialog's warnings,
        an example customer, a payment term and method). Odoo keeps a
        translation it has, so the add-on's (i18n_extra/, by hand) are loaded
        over them."""
        res = super()._load_module_terms(
            modules, langs, overwrite=overwrite, imported_module=imported_module
        )
        if "kefu_order_flow" in modules:
            importer = TranslationImporter(self.env.cr, verbose=False)
            for lang in langs:
                try:
                    path = file_path(f"kefu_order_flow/i18n_extra/{lang}.po")
                except FileNotFoundError:
                    continue
                importer.load_file(path, lang)
            importer.save(overwrite=True)
        return res
