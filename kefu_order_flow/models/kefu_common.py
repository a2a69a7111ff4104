# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What the flow's models share: the transition marker and input checks."""

from odoo.exceptions import ValidationError

# Only the flow's own methods hold this object; RPC can only send JSON.
KEFU_TRANSITION = object()

# Longest texts accepted: a sheet item is a line, a statement a page.
KEFU_SHORT_TEXT = 200
KEFU_LONG_TEXT = 4000


def check_text_lengths(records, limits):
    """Refuse texts longer than ``limits`` ({field name: characters})."""
    for record in records:
        for name, limit in limits.items():
            value = record[name]
            if value and len(value) > limit:
                raise ValidationError(
                    record.env._(
                        "%(field)s is too long: %(length)s characters, at most "
                        "%(limit)s.",
                        field=record._fields[name].get_description(record.env)[
                            "string"
                        ],
                        length=len(value),
                        limit=limit,
                    )
                )


def is_transition(records):
    """Whether the flow's own code is writing (see KEFU_TRANSITION)."""
    return records.env.context.get("kefu_transition") is KEFU_TRANSITION


def transition(records):
    """``records`` in the flow's own writing mode."""
    return records.with_context(kefu_transition=KEFU_TRANSITION)


def check_percents(records, names):
    """Refuse percentages outside 0-100 in the fields ``names``."""
    for record in records:
        for name in names:
            if not 0 <= record[name] <= 100:
                raise ValidationError(
                    record.env._(
                        "%(field)s must be between 0 and 100, not %(value)s.",
                        field=record._fields[name].get_description(record.env)[
                            "string"
                        ],
                        value=record[name],
                    )
                )
