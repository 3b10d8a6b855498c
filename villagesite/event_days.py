"""Which events are over: today as the villages count days (China's time), not the build machine's.

An event is past from the day after it ends (its start, when it gives no end). Listings show the
coming ones first, soonest first, then the past ones, latest first; pages mark them past.
``VILLAGESITE_TODAY`` (``YYYY-MM-DD``) sets today: for tests, and to build a site as of a date.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

CHINA = dt.timezone(dt.timedelta(hours=8))
"""The villages' time (UTC+8): event days, and calendar times written without a zone."""


def today() -> dt.date:
    """Today in China (UTC+8), or ``VILLAGESITE_TODAY``."""
    written = os.environ.get("VILLAGESITE_TODAY")
    if written:
        try:
            return dt.date.fromisoformat(written)
        except ValueError:
            pass
    return dt.datetime.now(CHINA).date()


def _day(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return (value.astimezone(CHINA) if value.tzinfo else value).date()
    return value


def is_past(page: Any, on: dt.date | None = None) -> bool:
    """Whether ``page`` is an event that ended before ``on`` (today)."""
    event = page.event
    if event is None:
        return False
    last = event.end if event.end is not None else event.start
    return _day(last) < (on or today())


def coming_then_past(page: Any) -> tuple[int, object, tuple[str, str]]:
    """The order of events: the coming ones soonest first, then the past ones latest first."""
    event = page.event
    if event is None:
        return (0, "", page.sort_key)
    if is_past(page):
        return (1, -_day(event.start).toordinal(), page.sort_key)
    return (0, str(event.start), page.sort_key)
