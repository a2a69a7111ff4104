# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Date arithmetic of the flow's local calendar. Needs no Odoo."""

import datetime

import pytz


def local_date(utc_naive, tz_name):
    """The calendar day, in ``tz_name``, of a naive UTC datetime (Odoo's storage)."""
    tz = pytz.timezone(tz_name or "UTC")
    return pytz.utc.localize(utc_naive).astimezone(tz).date()


def slip_days(sent_day, end_day):
    """Whole local days from the day the sheet was sent to ``end_day`` (never < 0).

    A sheet not back the same day slips the delivery date by one day per day (F13).
    """
    if not sent_day or not end_day:
        return 0
    return max((end_day - sent_day).days, 0)


def add_days(day, days):
    return day + datetime.timedelta(days=days) if day else day
