# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""What the flow's models share: its vocabulary (channels, stages, roles,
returned documents), the transition marker and input checks."""

import datetime
import functools
import inspect
import math

from odoo import fields
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
# What the sheet's total (sale.order._get_kefu_sheet_total) reads.
KEFU_SHEET_TOTAL_DEPENDS = (
    "order_line.price_total",
    "order_line.price_unit",
    "order_line.product_uom_qty",
    "order_line.display_type",
    "order_line.is_downpayment",
)
# Once released, the sheet items change only through a change order.
KEFU_LOCKED_STAGES = ("released", "shipped", "done")
# The board folds the stages once the goods are out: nothing left to produce.
KEFU_FOLDED_STAGES = ("shipped", "done", "cancel")

# Documents sent to the customer, and how: by mail through Odoo's
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

# The flow's activity types (data/mail_activity_type_data.xml): ACT + name.
ACT = "kefu_order_flow.mail_activity_kefu_"

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


# Public methods' arguments -------------------------------------------------
# Over RPC an argument is any JSON value. Each kind says what it must be and
# gives it to the method in one shape; anything else is refused in words.


def _amount(env, value):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(env._("a number is expected"))
    if not math.isfinite(value) or value <= 0:
        raise ValueError(env._("it must be greater than zero"))
    return float(value)


def _past_datetime(env, value):
    if value in (None, False, ""):
        return None
    if isinstance(value, bool) or not isinstance(
        value, str | datetime.date | datetime.datetime
    ):
        raise ValueError(env._("a date and time is expected"))
    try:
        moment = fields.Datetime.to_datetime(value)
    except ValueError:
        raise ValueError(env._("%(value)s is not a date", value=value)) from None
    now = fields.Datetime.now()
    # A receipt or an arrival is recorded after it happened; a few minutes'
    # skew between clocks is no fault.
    if moment > now + datetime.timedelta(minutes=10):
        raise ValueError(env._("it lies in the future"))
    if moment.year < 2000:
        raise ValueError(env._("it lies too far in the past"))
    return moment


def _date(env, value):
    if value in (None, False, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, str | datetime.date):
        raise ValueError(env._("a date is expected"))
    try:
        return fields.Date.to_date(value)
    except ValueError:
        raise ValueError(env._("%(value)s is not a date", value=value)) from None


def _text(env, value):
    if value in (None, False):
        return value
    if not isinstance(value, str):
        raise ValueError(env._("a text is expected"))
    if len(value) > KEFU_LONG_TEXT:
        raise ValueError(env._("at most %(limit)s characters", limit=KEFU_LONG_TEXT))
    return value


def _positive_int(env, value):
    if value in (None, False):
        return False
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(env._("a positive whole number is expected"))
    return value


def _flag(env, value):
    if isinstance(value, bool) or value in (0, 1):
        return bool(value)
    raise ValueError(env._("true or false is expected"))


def _channel(env, value):
    if not isinstance(value, str) or value not in dict(KEFU_SEND_CHANNELS):
        raise ValueError(
            env._("send by mail or by fax, not by %(channel)s", channel=value)
        )
    return value


def _name_or_id(env, value):
    if isinstance(value, int) and not isinstance(value, bool):
        return _positive_int(env, value)
    return _text(env, value)


KEFU_ARGUMENT_KINDS = {
    "amount": _amount,
    "past_datetime": _past_datetime,
    "date": _date,
    "text": _text,
    "record_id": _positive_int,
    "number": _positive_int,
    "flag": _flag,
    "channel": _channel,
    "name_or_id": _name_or_id,
}


def kefu_arguments(**kinds):
    """Check a public method's arguments before it runs: ``kinds`` maps an
    argument's name to its kind in KEFU_ARGUMENT_KINDS. A wrong number of
    arguments or a bad value is a translated UserError, never a traceback or
    a database error."""

    def decorate(method):
        signature = inspect.signature(method)

        @functools.wraps(method)
        def checked(self, *args, **kwargs):
            try:
                bound = signature.bind(self, *args, **kwargs)
            except TypeError:
                raise UserError(
                    self.env._(
                        "%(method)s was called with other arguments than it takes: "
                        "%(signature)s.",
                        method=method.__name__,
                        signature=str(signature).replace("(self, ", "(", 1),
                    )
                ) from None
            for name, kind in kinds.items():
                if name not in bound.arguments:
                    continue
                try:
                    bound.arguments[name] = KEFU_ARGUMENT_KINDS[kind](
                        self.env, bound.arguments[name]
                    )
                except ValueError as error:
                    raise UserError(
                        self.env._(
                            "%(method)s: the argument %(argument)s is refused: "
                            "%(problem)s.",
                            method=method.__name__,
                            argument=name,
                            problem=str(error),
                        )
                    ) from None
            return method(*bound.args, **bound.kwargs)

        return checked

    return decorate
