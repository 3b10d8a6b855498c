"""Which videos a page shows, and how their lengths are written.

A village's "短视频" section gathers its own videos and those of the stories
and events that name it: a creator's film of the dragon-boat race belongs on
the village's page as much as on the event's.  Each video travels with the
page that holds it (its cover is a photo of that page's folder).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from .schema import ImageRef, Kind, Video


class Shown(NamedTuple):
    """A video and the page that holds it."""

    page: Any
    video: Video

    @property
    def date(self) -> dt.date | None:
        """When it was posted: as written, else the page's date (an event's, its first day)."""
        common = self.page.source.common
        event = self.page.event if self.page.kind is Kind.EVENT else None
        start = event.start if event is not None else None
        return (
            self.video.date
            or common.date
            or (start.date() if isinstance(start, dt.datetime) else start)
            or common.updated
        )


GATHERED_FROM = ("stories", "events")
"""The kinds whose videos a village's section gathers, by their section name."""


def videos_of(site: Any, page: Any) -> tuple[Shown, ...]:
    """A page's videos, then, on a village, those of the stories and events that name it (newest first)."""
    own = [Shown(page, video) for video in _all(page)]
    if page.kind is not Kind.VILLAGE:
        return tuple(own)
    naming = site.named_by.get(page.url, {})
    gathered = [
        Shown(other, video) for section in GATHERED_FROM for other in naming.get(section, ()) for video in _all(other)
    ]
    gathered.sort(key=lambda shown: -(shown.date.toordinal() if shown.date else 0))
    return (*own, *gathered)


def _all(page: Any) -> tuple[Video, ...]:
    return page.source.common.videos


def featured_videos(site: Any, limit: int = 4) -> tuple[Shown, ...]:
    """Videos for the home page: the newest with a cover or poster, one a page."""
    found: dict[str, Shown] = {}
    for page in site.pages:
        for video in _all(page):
            if page.url not in found and (video.cover is not None or video.src is not None):
                found[page.url] = Shown(page, video)
    ranked = sorted(found.values(), key=lambda s: (-(s.date.toordinal() if s.date else 0), s.page.sort_key))
    return tuple(ranked[:limit])


def poster_name(src: str) -> str:
    """What a frame taken from a video is called beside its page (a key of the site's photos)."""
    return src + ".jpg"


def poster_of(site: Any, shown: Shown) -> ImageRef | None:
    """The photo a video shows before it plays: its cover or poster, else the frame taken from the file."""
    video = shown.video
    if video.cover is not None:
        return video.cover
    if video.src is not None and shown.page.url + poster_name(video.src) in site.photos:
        return ImageRef(poster_name(video.src), "", None, video.line, f"{video.field}.src")
    return None


def _hms(seconds: float) -> tuple[int, int, int]:
    hours, rest = divmod(round(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return hours, minutes, secs


def clock(seconds: float | None) -> str:
    """``205`` -> ``3:25``; an hour and more, ``1:02:03``: as a video player writes its length."""
    if seconds is None:
        return ""
    hours, minutes, secs = _hms(seconds)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def iso_duration(seconds: float | None) -> str | None:
    """``205`` -> ``PT3M25S``: schema.org's ``duration``."""
    if seconds is None:
        return None
    hours, minutes, secs = _hms(seconds)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "") + f"{secs}S"
