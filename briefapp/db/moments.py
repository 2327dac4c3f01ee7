"""Times are stored as naive UTC; domain values carry the zone."""

from __future__ import annotations

import datetime as dt


def naive(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def aware(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.UTC)
