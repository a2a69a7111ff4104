# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Date arithmetic of the flow's local calendar. Needs no Odoo."""

import datetime

import pytz


def local_date(utc_naive, tz_name):
    """The calendar day, in ``tz_name``, of a naive UTC datetime (Odoo's storage)."""
    tz = pytz.timezone(tz_name or "UTC")
    return pytz.utc.localize(utc_naive).astimezone(tz).date()


def slip_days(sent_at, now, tz_name):
    """Whole local days (in ``tz_name``) from the sending ``sent_at`` to
    ``now``, both naive UTC datetimes; never < 0, 0 for a sheet never sent.

    A sheet not back the same day slips the delivery date by one day per day (F13).
    """
    if not sent_at:
        return 0
    return max((local_date(now, tz_name) - local_date(sent_at, tz_name)).days, 0)


def add_days(day, days):
    return day + datetime.timedelta(days=days) if day else day
