"""The content model: typed, frozen records for each kind of page, read from front matter.

See ``docs/content.md`` for the contract.  Reading never raises: problems are
collected through :class:`~villagesite.fields.FieldReader`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .fields import FieldReader, GeoPoint


class Record:
    """Base of the content records: pickled as their constructor's arguments.

    Pages come back from worker processes pickled; the dataclasses' own
    ``__setstate__`` (a Python loop over ``fields()`` per record) took 0.15 s
    of reading 5,000 villages in the parent, this about half.
    """

    __slots__ = ()
    __match_args__: tuple[str, ...]

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return (type(self), tuple(getattr(self, name) for name in self.__match_args__))


class Kind(StrEnum):
    VILLAGE = "village"
    STORY = "story"
    EVENT = "event"
    PAGE = "page"


@dataclass(frozen=True, slots=True)
class StyleFamily:
    key: str
    """``cantonese``, ``hakka``, ``teochew`` or ``minority``; its names are the theme's strings
    ``style_<key>`` (in each language: ``t('style_' ~ key)``, ``t('style_' ~ key, 'en')``)."""

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """One of :data:`STYLES`: pickled by its key, and the same object again when read."""
        return (_style, (self.key,))


def _style(key: str) -> StyleFamily:
    return STYLES[key]


STYLES: dict[str, StyleFamily] = {
    family.key: family
    for family in (
        StyleFamily("cantonese"),
        StyleFamily("hakka"),
        StyleFamily("teochew"),
        StyleFamily("minority"),
    )
}


@dataclass(frozen=True, slots=True)
class ImageRef(Record):
    """An image named by content: a file in the page's bundle."""

    src: str
    """As written, relative to the page's folder."""
    alt: str | None
    caption: str | None
    line: int
    """Where it was named, for messages."""
    field: str
    """The field that named it (``cover``, ``gallery[1].src``, or ``body``)."""


@dataclass(frozen=True, slots=True)
class Attraction(Record):
    name: str
    description: str | None
    image: ImageRef | None
    location: GeoPoint | None


@dataclass(frozen=True, slots=True)
class Specialty(Record):
    name: str
    description: str | None
    image: ImageRef | None
    season: str | None
    shop_url: str | None


@dataclass(frozen=True, slots=True)
class Festival(Record):
    name: str
    date: str
    """An ISO date, or a rule in words such as 农历五月初五, shown as written."""
    description: str | None


@dataclass(frozen=True, slots=True)
class Visit(Record):
    opening_hours: str | None
    tickets: str | None
    transport: str | None
    tips: str | None
    contact: str | None


@dataclass(frozen=True, slots=True)
class VillageFields(Record):
    kind: str
    """``village`` (古村) or ``town`` (古镇)."""
    style: StyleFamily
    ethnic_group: str | None
    province: str
    city: str
    county: str | None
    town: str | None
    location: GeoPoint
    founded: str | int | None
    designations: tuple[str, ...]
    gallery: tuple[ImageRef, ...]
    attractions: tuple[Attraction, ...]
    specialties: tuple[Specialty, ...]
    festivals: tuple[Festival, ...]
    visit: Visit | None
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StoryFields(Record):
    author: str | None
    tags: tuple[str, ...]
    villages: tuple[str, ...]
    """Slugs of the villages the story is about."""


@dataclass(frozen=True, slots=True)
class EventFields(Record):
    start: dt.date
    end: dt.date | None
    village: str
    """Slug of the village where it happens."""
    place: str | None
    """``location`` when written as text (a place name)."""
    location: GeoPoint | None
    """``location`` when written as {lat, lon}."""


@dataclass(frozen=True, slots=True)
class CommonFields(Record):
    """Fields every kind of page has."""

    title: str
    title_en: str | None
    summary: str | None
    slug: str | None
    date: dt.date | None
    updated: dt.date | None
    draft: bool
    cover: ImageRef | None
    template: str | None


COMMON_KEYS = {"title", "title_en", "summary", "slug", "date", "updated", "draft", "cover", "template"}
VILLAGE_KEYS = COMMON_KEYS | {
    "kind",
    "style",
    "ethnic_group",
    "province",
    "city",
    "county",
    "town",
    "location",
    "founded",
    "designations",
    "gallery",
    "attractions",
    "specialties",
    "festivals",
    "visit",
    "tags",
}
STORY_KEYS = COMMON_KEYS | {"author", "tags", "villages"}
EVENT_KEYS = COMMON_KEYS | {"start", "end", "village", "location"}
SUMMARY_LIMIT = 120


def read_common(fields: FieldReader, *, summary_required: bool, date_required: bool) -> CommonFields:
    """The fields every kind has; its registry entry says which it requires."""
    return CommonFields(
        title=fields.text("title", required=True) or "",
        title_en=fields.text("title_en"),
        summary=fields.text("summary", required=summary_required, warn_past=SUMMARY_LIMIT),
        slug=fields.text("slug"),
        date=fields.date("date", required=date_required),
        updated=fields.date("updated"),
        draft=fields.boolean("draft"),
        cover=read_image(fields, "cover", alt_required=True),
        template=fields.text("template"),
    )


def read_image(fields: FieldReader, key: str, *, alt_required: bool) -> ImageRef | None:
    """An image written as a file name, or as ``{src, alt, caption}``."""
    value = fields.data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, str):
        if alt_required:
            fields.fail(
                key,
                "needs alt text: describe the image for people who cannot see it",
                hint=f"write it as '{{src: {value}, alt: 描述图片}}'",
            )
        return ImageRef(value.strip(), None, None, fields.line_of(key), fields.path_of(key))
    item = fields.section(key)
    if item is None:
        return None
    return read_image_item(item, alt_required=alt_required)


def read_image_item(item: FieldReader, *, alt_required: bool) -> ImageRef | None:
    item.reject_unknown({"src", "alt", "caption"})
    src = item.text("src", required=True)
    alt_value = item.data.get("alt")
    if alt_value is None and alt_required:
        item.fail(
            "alt",
            "is required: describe the image for people who cannot see it",
            hint='write alt: "" only for a purely decorative image',
        )
    alt = None if alt_value is None else str(alt_value).strip()
    if src is None:
        return None
    return ImageRef(src, alt, item.text("caption"), item.line_of("src"), item.path_of("src"))


def read_village(fields: FieldReader, default_province: str) -> VillageFields | None:
    style_key = fields.choice("style", STYLES, required=True)
    ethnic_group = fields.text("ethnic_group")
    if style_key == "minority" and not ethnic_group:
        fields.fail("ethnic_group", "is required when style is minority", hint="e.g. 瑶族, 壮族, 畲族", at="style")
    city = fields.text("city", required=True)
    location = fields.geo("location", required=True)
    gallery = tuple(
        image for item in fields.item_readers("gallery") if (image := read_image_item(item, alt_required=True))
    )
    village = VillageFields(
        kind=fields.choice("kind", ("village", "town"), default="village") or "village",
        style=STYLES[style_key] if style_key else STYLES["cantonese"],
        ethnic_group=ethnic_group,
        province=fields.text("province") or default_province,
        city=city or "",
        county=fields.text("county"),
        town=fields.text("town"),
        location=location or GeoPoint(0.0, 0.0),
        founded=fields.year_or_text("founded"),
        designations=fields.text_list("designations"),
        gallery=gallery,
        attractions=tuple(_attractions(fields)),
        specialties=tuple(_specialties(fields)),
        festivals=tuple(_festivals(fields)),
        visit=_visit(fields),
        tags=fields.text_list("tags"),
    )
    if style_key is None or city is None or location is None:
        return None
    return village


def _attractions(fields: FieldReader) -> list[Attraction]:
    result = []
    for item in fields.item_readers("attractions"):
        item.reject_unknown({"name", "description", "image", "location"})
        name = item.text("name", required=True)
        image = read_image(item, "image", alt_required=True)
        if name:
            result.append(Attraction(name, item.text("description"), image, item.geo("location")))
    return result


def _specialties(fields: FieldReader) -> list[Specialty]:
    result = []
    for item in fields.item_readers("specialties"):
        item.reject_unknown({"name", "description", "image", "season", "shop_url"})
        name = item.text("name", required=True)
        specialty = Specialty(
            name or "",
            item.text("description"),
            read_image(item, "image", alt_required=True),
            item.text("season"),
            item.url("shop_url"),
        )
        if name:
            result.append(specialty)
    return result


def _festivals(fields: FieldReader) -> list[Festival]:
    result = []
    for item in fields.item_readers("festivals"):
        item.reject_unknown({"name", "date", "description"})
        name = item.text("name", required=True)
        raw_date = item.data.get("date")
        when = raw_date.isoformat() if isinstance(raw_date, dt.date) else item.text("date", required=True)
        if name and when:
            result.append(Festival(name, when, item.text("description")))
    return result


def _visit(fields: FieldReader) -> Visit | None:
    section = fields.section("visit")
    if section is None:
        return None
    section.reject_unknown({"opening_hours", "tickets", "transport", "tips", "contact"})
    return Visit(
        section.text("opening_hours"),
        section.text("tickets"),
        section.text("transport"),
        section.text("tips"),
        section.text("contact"),
    )


def read_story(fields: FieldReader) -> StoryFields:
    return StoryFields(fields.text("author"), fields.text_list("tags"), fields.text_list("villages"))


def read_event(fields: FieldReader) -> EventFields | None:
    start = fields.date("start", required=True, allow_time=True)
    end = fields.date("end", allow_time=True)
    village = fields.text("village", required=True)
    raw_location: Any = fields.data.get("location")
    place = fields.text("location") if isinstance(raw_location, str) else None
    location = fields.geo("location") if isinstance(raw_location, dict) else None
    if raw_location is not None and not isinstance(raw_location, (str, dict)):
        fields.fail("location", "expected a place name or {lat, lon}")
    if start and end and _as_datetime(end, end_of_day=True) < _as_datetime(start):
        fields.fail("end", f"{end} is before start {start}")
    if start is None or village is None:
        return None
    return EventFields(start, end, village, place, location)


def _as_datetime(value: dt.date, *, end_of_day: bool = False) -> dt.datetime:
    """A date alone means the whole day: as a start, its beginning; as an end, its last moment."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return dt.datetime.combine(value, dt.time.max if end_of_day else dt.time())
