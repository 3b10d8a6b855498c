"""``/events.ics``: the site's events as an iCalendar file (RFC 5545) that phones subscribe to.

The bytes depend on content only: ``DTSTAMP`` comes from the event's
``updated``/``date`` (else its start), never from the clock, so builds stay
deterministic and an unchanged calendar is not written again.  Times are
given in UTC; a time written without a zone is China time (UTC+8).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from .event_days import CHINA
from .model import Page, Site
from .urls import absolute

ICS_PATH = "/events.ics"
EVENT_ICS_FILE = "event.ics"
"""Beside each event's page: that event alone."""
LINE_OCTETS = 75
"""RFC 5545 3.1: lines longer than this many octets are folded."""


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newlines escaped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Split a content line into lines of at most 75 octets, never inside a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= LINE_OCTETS:
        return line
    parts: list[str] = []
    start, limit = 0, LINE_OCTETS
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:  # a continuation byte: step back
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start, limit = end, LINE_OCTETS - 1  # continuation lines start with a space
    return "\r\n ".join(parts)


def _utc(value: dt.datetime) -> str:
    aware = value if value.tzinfo else value.replace(tzinfo=CHINA)
    return aware.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _day(value: dt.date) -> str:
    return value.strftime("%Y%m%d")


def _whole_day(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _stamp(page: Page) -> str:
    common = page.source.common
    when = common.updated or common.date or (page.event.start if page.event else None) or dt.date(1970, 1, 1)
    if not isinstance(when, dt.datetime):
        when = dt.datetime.combine(when, dt.time(), CHINA)
    return _utc(when)


def _host(site: Site) -> str:
    return urlsplit(site.config.base_url).netloc or "villagesite.invalid"


def _event_lines(site: Site, page: Page, strings: Mapping[str, str]) -> list[str]:
    event = page.event
    assert event is not None
    config = site.config
    village = site.village_by_slug.get(event.village)
    lines = ["BEGIN:VEVENT", f"UID:{page.slug}.events@{_host(site)}", f"DTSTAMP:{_stamp(page)}"]
    if isinstance(event.start, dt.datetime):
        lines.append(f"DTSTART:{_utc(event.start)}")
        if event.end is not None:
            end = event.end
            if not isinstance(end, dt.datetime):  # a day: the event lasts until that day's end
                end = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), CHINA)
            lines.append(f"DTEND:{_utc(end)}")
    else:
        last = _whole_day(event.end) if event.end is not None else event.start
        lines += [f"DTSTART;VALUE=DATE:{_day(event.start)}", f"DTEND;VALUE=DATE:{_day(last + dt.timedelta(days=1))}"]
    lines.append(f"SUMMARY:{escape_text(page.title)}")
    description = page.summary or ""
    if config.origin:
        description = f"{description}\n{absolute(config, site.edition.path(page.url))}".strip()
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    here = village.village if village is not None else None
    place = event.place
    if place is None and village is not None and here is not None:
        parts = [part for part in (here.province, here.city, here.county, here.town) if part] + [village.title]
        if strings["place_order"] == "small-first":
            parts.reverse()
        place = strings["place_separator"].join(parts)
    if place:
        lines.append(f"LOCATION:{escape_text(place)}")
    point = event.location or (here.location if here is not None else None)
    if point is not None:
        lines.append(f"GEO:{point.lat:.6f};{point.lon:.6f}")
    if config.origin:
        lines.append(f"URL:{absolute(config, site.edition.path(page.url))}")
    lines.append("END:VEVENT")
    return lines


def events_ics(site: Site, strings: Mapping[str, str]) -> bytes | None:
    """The calendar of every event, soonest first; None when there is none (a calendar needs one)."""
    if not site.events:
        return None
    return _calendar(site, site.events, site.config.title, strings)


def event_ics(site: Site, page: Page, strings: Mapping[str, str]) -> bytes:
    """One event's calendar, beside its page (``event.ics``): "add this event" on a phone, where the
    whole calendar is a subscription.  Its UID is the event's in the whole calendar: added both ways,
    a calendar app keeps one."""
    return _calendar(site, (page,), page.title, strings)


def _calendar(site: Site, pages: Iterable[Page], name: str, strings: Mapping[str, str]) -> bytes:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//villagesite//events//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for page in pages:
        lines += _event_lines(site, page, strings)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
