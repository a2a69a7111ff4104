# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What the customer signs is declared on the fields.

A field of the order or of its lines that the confirmation sheet prints or that
production reads carries ``kefu_sheet_item=True``, the way ``mail`` adds
``tracking=True`` to a field. The content's fingerprint, its snapshot in each
version sent, the dependencies of the stored fingerprint and the change reports
all read that one declaration: there is no list of names to keep in step.
"""

import functools

from odoo import api, models


@functools.cache
def item_converter(field):
    """How the content keeps a sheet item's value: plain JSON, the same for a
    value read through the ORM and for the same value read from SQL. The
    converter takes an id (many2one), a list of ids (x2many) or the column's
    value."""
    if field.type in ("many2many", "one2many"):
        return lambda raw: sorted(raw or [])
    if field.type in ("float", "monetary"):
        return lambda raw: round(float(raw or 0.0), 6)
    if field.type in ("date", "datetime"):
        return lambda raw: raw.isoformat() if raw else False
    if field.type == "integer":
        return lambda raw: raw or 0
    if field.type == "boolean":
        return bool
    # many2one ids, texts and selections; an empty text is no text.
    return lambda raw: raw or False


class KefuSheetItemMixin(models.AbstractModel):
    _name = "kefu.sheet.item.mixin"
    _description = "Confirmation Sheet Items"

    def _valid_field_parameter(self, field, name):
        return name == "kefu_sheet_item" or super()._valid_field_parameter(field, name)

    @api.model
    def _kefu_sheet_item_fields(self):
        """The fields declared as sheet items, by name."""
        return [
            field
            for field in self._fields.values()
            if getattr(field, "kefu_sheet_item", False)
        ]

    def _kefu_sheet_item_values(self):
        """This record's sheet items, as the content keeps them."""
        self.ensure_one()
        values = {}
        for field in self._kefu_sheet_item_fields():
            value = self[field.name]
            if field.type == "many2one":
                value = value.id
            elif field.type in ("many2many", "one2many"):
                value = value.ids
            values[field.name] = item_converter(field)(value)
        return values

    def _kefu_sheet_item_label(self, name):
        """A sheet item's label in the reader's language."""
        return self._fields[name].get_description(self.env)["string"]

    def _kefu_sheet_item_display(self, name, value):
        """A value of the content as a reader sees it: names for ids."""
        field = self._fields[name]
        if value is False or value == []:
            return "—"
        if field.type in ("many2one", "many2many", "one2many"):
            records = self.env[field.comodel_name].sudo().browse(value).exists()
            return ", ".join(records.mapped("display_name")) or str(value)
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, value)
        if field.type == "boolean":
            return self.env._("Yes") if value else self.env._("No")
        return str(value)
