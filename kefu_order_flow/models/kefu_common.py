# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What the flow's models share: its vocabulary (channels, stages, roles,
returned documents), the transition marker and input checks."""

from odoo.exceptions import UserError, ValidationError

from ..tools.kefu_roles import ROLE_BY_KEY

KEFU_CHANNELS = [
    ("phone", "Phone"),
    ("fax", "Fax"),
    ("visit", "Visit"),
    ("verbal", "Verbal"),
    ("salesperson", "Salesperson's Hand-Written Order"),
]
KEFU_STAGES = [
    ("intake", "Intake"),
    ("review", "Review"),
    ("sheet_sent", "Sheet Sent"),
    ("returned", "Returned"),
    ("released", "Released"),
    ("shipped", "Shipped"),
    ("done", "Done"),
    ("cancel", "Cancelled"),
]
# Before the production order is released.
KEFU_OPEN_STAGES = ("intake", "review", "sheet_sent", "returned")
# The sheet's content is under confirmation: changing what the customer
# ordered voids the confirmations and the sheet sent.
KEFU_CONFIRMING_STAGES = ("review", "sheet_sent", "returned")
# The production order is out: production, monitoring, shipping.
KEFU_RELEASED_STAGES = ("released", "shipped")

# From the sending until done, the content is the version in force's
# (sale_order_contract.py).
KEFU_CONTRACT_STAGES = ("sheet_sent", "returned", "released", "shipped", "done")
# Once released, the sheet items change only through a change order.
KEFU_LOCKED_STAGES = ("released", "shipped", "done")
# The board folds the stages once the goods are out: nothing left to produce.
KEFU_FOLDED_STAGES = ("shipped", "done", "cancel")

# Documents sent to the customer, and how (issue 12): by mail through Odoo's
# composer (also to a fax-to-mail address), or a fax sent by hand.
KEFU_SEND_DOCUMENTS = [
    ("sheet", "Confirmation Sheet"),
    ("conformity", "Conformity Request"),
    ("deposit", "Deposit Notice"),
]
KEFU_SEND_CHANNELS = [
    ("mail", "By Mail"),
    ("fax", "Fax by Hand"),
]
# The step of each: by hand it is taken at once, by mail when the mail is sent.
KEFU_SEND_STEPS = {
    "sheet": "action_kefu_send_sheet",
    "conformity": "action_kefu_send_conformity",
    "deposit": "action_kefu_send_deposit",
}

# Documents the customer signs and sends back.
KEFU_RETURN_KINDS = [
    ("sheet", "Confirmation Sheet"),
    ("conformity", "Conformity Opinion"),
]
KEFU_REJECT_REASONS = [
    ("content_error", "Content error"),
    ("signature", "Unclear signature"),
    ("stamp", "Unclear stamp"),
    ("special_notes", "Unclear special notes"),
    ("other", "Other"),
]

# The roles' groups, from the one role table (tools/kefu_roles.py).
GROUP_ASSISTANT = ROLE_BY_KEY["assistant"].group
GROUP_CLERK = ROLE_BY_KEY["clerk"].group
GROUP_SUPERVISOR = ROLE_BY_KEY["supervisor"].group
GROUP_DIRECTOR = ROLE_BY_KEY["director"].group
GROUP_TECHNICAL = ROLE_BY_KEY["technician"].group
GROUP_PRODUCTION = ROLE_BY_KEY["producer"].group
GROUP_FINANCE = ROLE_BY_KEY["finance"].group
GROUP_SHIPPING = ROLE_BY_KEY["shipper"].group

# Only the flow's own methods hold this object; RPC can only send JSON.
KEFU_TRANSITION = object()

# Longest texts accepted: a sheet item is a line, a statement a page.
KEFU_SHORT_TEXT = 200
KEFU_LONG_TEXT = 4000


def field_labels(records, names):
    """The labels of the fields ``names`` of ``records``' model, in the user's
    language, comma-separated."""
    return ", ".join(
        records._fields[name].get_description(records.env)["string"] for name in names
    )


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
                        field=field_labels(record, [name]),
                        length=len(value),
                        limit=limit,
                    )
                )


def model_label(records):
    """The name of ``records``' model in the user's language (its description)."""
    return records.env["ir.model"].sudo()._get(records._name).name


def in_company_lang(records, company=None):
    """``records`` writing in the language of their company (``company``, or
    the current one): what a cron, the mail gateway or a portal user writes
    for the staff has no staff member's language to take."""
    company = company or records.env.company
    return records.with_context(lang=company.partner_id.lang or records.env.lang)


def is_transition(records):
    """Whether the flow's own code is writing (see KEFU_TRANSITION)."""
    return records.env.context.get("kefu_transition") is KEFU_TRANSITION


def transition(records):
    """``records`` in the flow's own writing mode."""
    return records.with_context(kefu_transition=KEFU_TRANSITION)


def derived_fields(records, vals):
    """The fields of ``vals`` that the flow computes on ``records``' model and
    stores without an inverse: what its statements, receipts and entries say
    (the statement in force, the deposit due, an open problem). Odoo stores a
    value given for such a field and stops computing it; nobody types it in."""
    return {
        name
        for name in vals
        if (name.startswith("kefu_") or records._name.startswith("kefu."))
        and (field := records._fields.get(name)) is not None
        and field.compute
        and field.store
        and field.readonly
    }


def without_defaults(records, guarded):
    """``records`` without the caller's ``default_<field>`` context keys for
    the fields ``guarded(name)`` says only the flow sets: what create refuses
    in its values, a context default does not set either."""
    context = {
        key: value
        for key, value in records.env.context.items()
        if not (key.startswith("default_") and guarded(key[len("default_") :]))
    }
    return records.with_env(records.env(context=context))


def refuse_flow_fields(records, names):
    """Refuse a write of ``names`` that does not come from the flow's code."""
    if names:
        raise UserError(
            records.env._(
                "These fields change only through the order flow's actions: "
                "%(fields)s.",
                fields=field_labels(records, sorted(names)),
            )
        )


def check_percents(records, names):
    """Refuse percentages outside 0-100 in the fields ``names``."""
    for record in records:
        for name in names:
            if not 0 <= record[name] <= 100:
                raise ValidationError(
                    record.env._(
                        "%(field)s must be between 0 and 100, not %(value)s.",
                        field=field_labels(record, [name]),
                        value=record[name],
                    )
                )
