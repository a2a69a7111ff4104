# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
from odoo.tools.misc import file_path
from odoo.tools.translate import PoFileReader, TranslationImporter


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _load_module_terms(
        self, modules, langs, overwrite=False, imported_module=False
    ):
        """Odoo's zh_CN leaves some terms of the screens the flow shows in
        English, copied as their translation (the payment dialog's warnings,
        an example customer, a payment term and method). The add-on's
        (i18n_extra/, by hand) are loaded over them wherever the translation
        stored is still the English one, also on the records Odoo never
        updates (its payment term and methods: noupdate); a translation
        somebody made is kept."""
        res = super()._load_module_terms(
            modules, langs, overwrite=overwrite, imported_module=imported_module
        )
        if "kefu_order_flow" in modules:
            for lang in langs:
                try:
                    path = file_path(f"kefu_order_flow/i18n_extra/{lang}.po")
                except FileNotFoundError:
                    continue
                xmlids = self._kefu_left_in_english(path, lang)
                if xmlids:
                    importer = TranslationImporter(self.env.cr, verbose=False)
                    importer.load_file(path, lang, xmlids=xmlids)
                    importer.save(overwrite=True, force_overwrite=True)
        return res

    def _kefu_left_in_english(self, path, lang):
        """The records (xml ids) of the terms of ``path`` whose ``lang``
        translation is missing or the English: all of a view's terms, the
        fields of a record only where they read in ``lang`` as in English."""
        xmlids = set()
        for row in PoFileReader(path):
            if row["type"] not in ("model", "model_terms"):
                continue
            xmlid = f"{row['module']}.{row['imd_name']}"
            record = self.env.ref(xmlid, raise_if_not_found=False)
            field = row["name"].split(",")[1]
            if record and (
                row["type"] == "model_terms"
                or record.with_context(lang=lang)[field]
                == record.with_context(lang="en_US")[field]
            ):
                xmlids.add(xmlid)
        return xmlids
