"""The content model: typed, frozen records for each kind of page, read from front matter.

See ``docs/content.md`` for the contract.  Reading never raises: problems are
collected through :class:`~villagesite.fields.FieldReader`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from .errors import did_you_mean
from .fields import FieldReader, GeoPoint, describe, joined, quoted
from .i18n import _
from .pronounce import han_count
from .videos import PLATFORM_NAMES, played_on_tap, recognise


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
    PLACE = "place"
    PAGE = "page"
    CITY_INTRO = "city_intro"
    TAG_INTRO = "tag_intro"


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
    focus: tuple[float, float] | None = None
    """The point to keep in view where the photo is cropped: percent from its left and from its top."""


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
    sold_at: str | None = None
    """The slug of a place (a shop, a restaurant) that sells it."""


@dataclass(frozen=True, slots=True)
class Festival(Record):
    name: str
    date: str
    """An ISO date, or a rule in words such as 农历五月初五, shown as written."""
    description: str | None


@dataclass(frozen=True, slots=True)
class Access(Record):
    """Whether a wheelchair gets round the village, and what a visitor who walks with difficulty meets."""

    wheelchair: str | None
    """``yes``, ``partly`` or ``no``."""
    note: str | None
    """Steps, slopes, paving, where the level way is: in words."""


@dataclass(frozen=True, slots=True)
class Visit(Record):
    opening_hours: str | None
    tickets: str | None
    transport: str | None
    tips: str | None
    contact: str | None
    best_season: str | None = None
    time_needed: float | str | None = None
    """Hours to give the visit (a number, shown as "about 3 hours" in each edition), or words ("一天")."""
    parking: str | None = None
    accessibility: Access | None = None
    toilets: bool | str | None = None
    """True (there are public toilets), false (there are none), or where they are, in words."""

    def texts(self) -> tuple[str, ...]:
        """What it says in words: what the search index reads of it."""
        note = self.accessibility.note if self.accessibility else None
        said = (self.opening_hours, self.tickets, self.transport, self.tips, self.contact, self.best_season)
        words = (*said, self.parking, note, self.time_needed, self.toilets)
        return tuple(text for text in words if isinstance(text, str) and text)

    @property
    def practical(self) -> bool:
        """Whether it holds any of the facts a visitor checks first (shown in the facts box)."""
        fields = (self.best_season, self.time_needed, self.parking, self.accessibility, self.toilets)
        return any(value is not None for value in fields)


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


PLACE_KINDS = ("homestay", "restaurant", "shop", "workshop", "guide")
"""What a local business is: 民宿, 餐馆/农家乐, 特产店, 手作体验, 向导; the theme names each ``place_<kind>``."""
PAYMENTS = ("wechat", "alipay", "cash", "card")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CHINESE_NAMES = MappingProxyType(
    {
        # Styles, as the scaffold's comments and the theme name them.
        "广府": "cantonese", "廣府": "cantonese", "广府式": "cantonese", "岭南": "cantonese",
        "客家": "hakka", "潮汕": "teochew", "潮州": "teochew", "潮汕式": "teochew",
        "少数民族": "minority", "少數民族": "minority",
        # A village or a town.
        "古村": "village", "古村落": "village", "村": "village", "村落": "village",
        "古镇": "town", "古鎮": "town", "镇": "town", "鎮": "town",
        # Places.
        "民宿": "homestay", "农家菜馆": "restaurant", "農家菜館": "restaurant", "农家菜": "restaurant",
        "农家乐": "restaurant", "餐馆": "restaurant", "餐厅": "restaurant", "饭店": "restaurant",
        "特产店": "shop", "特產店": "shop", "特产": "shop", "商店": "shop",
        "手作体验": "workshop", "手作體驗": "workshop", "手作": "workshop", "工坊": "workshop", "作坊": "workshop",
        "向导": "guide", "嚮導": "guide", "导游": "guide", "導遊": "guide",
        # Payment.
        "微信": "wechat", "微信支付": "wechat", "支付宝": "alipay", "支付寶": "alipay",
        "现金": "cash", "現金": "cash", "刷卡": "card", "银行卡": "card", "銀行卡": "card",
        # Days.
        "周一": "mon", "周二": "tue", "周三": "wed", "周四": "thu", "周五": "fri", "周六": "sat", "周日": "sun",
        "星期一": "mon", "星期二": "tue", "星期三": "wed", "星期四": "thu", "星期五": "fri", "星期六": "sat",
        "星期日": "sun", "星期天": "sun", "周末": "sat-sun", "每天": "daily", "每日": "daily", "天天": "daily",
    }
)  # fmt: skip
"""The Chinese names editors write for the fixed values (``style: 广府``), as the scaffolds' comments print
them: accepted as the values themselves."""
_PHONE = re.compile(r"\+?[0-9][0-9 ()-]*[0-9]")
_TIME = re.compile(r"([01]?[0-9]|2[0-4]):[0-5][0-9]")


@dataclass(frozen=True, slots=True)
class Hours(Record):
    """Opening hours of some days: ``{days: [mon, tue], open: "09:00", close: "18:00"}``."""

    days: tuple[str, ...]
    opens: str
    closes: str


@dataclass(frozen=True, slots=True)
class PlaceFields(Record):
    """A local business (homestay, farm restaurant, specialty shop, workshop) or a guide."""

    kind: str
    villages: tuple[str, ...]
    """The village it belongs to (``village:``), or the villages a guide leads visitors through."""
    location: GeoPoint | None
    address: str | None
    phone: str | None
    wechat: str | None
    opening_text: str | None
    """Opening hours as written, when written as text (``每天 9:00-21:00``)."""
    opening_hours: tuple[Hours, ...]
    """Opening hours written as ``{days, open, close}`` (one or a list): shown, and given to search engines."""
    price_range: str | None
    payment: tuple[str, ...]
    languages_spoken: tuple[str, ...]
    booking_url: str | None
    shop_url: str | None
    gallery: tuple[ImageRef, ...]
    tags: tuple[str, ...]

    @property
    def village(self) -> str | None:
        return self.villages[0] if self.villages else None

    @property
    def tel(self) -> str | None:
        """The phone number as a ``tel:`` link wants it: digits and a leading +."""
        return "".join(c for c in self.phone if c.isdigit() or c == "+") if self.phone else None


@dataclass(frozen=True, slots=True)
class Pronounce(Record):
    """How a page's title is said, as its editor wrote it (``pronounce:``; see :mod:`villagesite.pronounce`)."""

    written: tuple[tuple[str, str], ...] = ()
    """System -> the title's syllables, one per Chinese character: they replace what is generated."""
    shown: tuple[tuple[str, bool], ...] = ()
    """System -> shown on this page or not, whatever the site's ``pronunciation`` says."""


PRONOUNCE_SYSTEMS = ("pinyin", "jyutping", "teochew", "hakka")


@dataclass(frozen=True, slots=True)
class Creator(Record):
    """Who filmed a video: credited on its card and in its structured data."""

    name: str
    url: str | None


@dataclass(frozen=True, slots=True)
class Video(Record):
    """A video a page shows: a creator's post on a platform (``url``), or a file in the page's folder (``src``)."""

    title: str
    url: str | None
    """A link out: https, on a platform (``platform``) or any other site (a plain link card)."""
    src: str | None
    """A file beside the page (``harvest.mp4``), published in a ``<video>``."""
    platform: str | None
    """The platform's key (``douyin``, ``bilibili``…; see :mod:`villagesite.videos`); None for a file or
    an address of no known platform."""
    player: str | None
    """The platform's embeddable player, when ``embed: true`` asks for it: loaded only after a tap."""
    cover: ImageRef | None
    """A photo in the page's folder: the card's cover (``cover``) or the ``<video>``'s poster (``poster``)."""
    duration: int | None
    """Seconds, as written (``3:25``); a file's own when not written."""
    creator: Creator | None
    date: dt.date | None
    """When it was posted (structured data's ``uploadDate``); the page's date when not written."""
    line: int
    field: str
    """``videos[0]``, or ``body`` for a link alone on its line in the text."""


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
    pronounce: Pronounce | None = None
    videos: tuple[Video, ...] = ()


COMMON_KEYS = {"title", "title_en", "summary", "slug", "date", "updated", "draft", "cover", "template", "pronounce"}
VIDEO_KEYS = frozenset({"videos"})
"""Kinds with a folder of their own (villages, stories, events, places) show videos."""
VILLAGE_KEYS = (
    COMMON_KEYS
    | VIDEO_KEYS
    | {
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
)
STORY_KEYS = COMMON_KEYS | VIDEO_KEYS | {"author", "tags", "villages"}
PLACE_KEYS = (
    COMMON_KEYS
    | VIDEO_KEYS
    | {
        "kind",
        "village",
        "villages",
        "location",
        "address",
        "phone",
        "wechat",
        "opening_hours",
        "price_range",
        "payment",
        "languages_spoken",
        "booking_url",
        "shop_url",
        "gallery",
        "tags",
    }
)
EVENT_KEYS = COMMON_KEYS | VIDEO_KEYS | {"start", "end", "village", "location"}
SUMMARY_LIMIT = 120


def read_common(
    fields: FieldReader,
    *,
    summary_required: bool,
    date_required: bool,
    title_required: bool = True,
    videos: bool = False,
) -> CommonFields:
    """The fields every kind has; its registry entry says which it requires."""
    title = fields.text("title", required=title_required) or ""
    return CommonFields(
        title=title,
        title_en=fields.text("title_en"),
        summary=fields.text("summary", required=summary_required, warn_past=SUMMARY_LIMIT),
        slug=fields.text("slug"),
        date=fields.date("date", required=date_required),
        updated=fields.date("updated"),
        draft=fields.boolean("draft"),
        cover=read_image(fields, "cover", alt_required=True),
        template=fields.text("template"),
        pronounce=_pronounce(fields, title),
        videos=read_videos(fields) if videos else (),
    )


def _pronounce(fields: FieldReader, title: str) -> Pronounce | None:
    """``pronounce: {pinyin: féng jiǎn cūn, jyutping: true, teochew: …}``: a system's syllables for
    the title (one per Chinese character), or true/false to show or hide it on this page."""
    section = fields.section("pronounce")
    if section is None:
        return None
    section.reject_unknown(set(PRONOUNCE_SYSTEMS))
    characters = han_count(title)
    written: list[tuple[str, str]] = []
    shown: list[tuple[str, bool]] = []
    for system in PRONOUNCE_SYSTEMS:
        value = section.data.get(system)
        if value is None:
            continue
        if isinstance(value, bool):
            shown.append((system, value))
            continue
        syllables = str(value).split()
        if isinstance(value, (int, float)) or len(syllables) != characters:
            section.fail(
                system,
                _(
                    "'{value}' has {count} syllables; the title '{title}' has {characters} Chinese characters",
                    value=value,
                    count=len(syllables),
                    title=title,
                    characters=characters,
                ),
                # TRANSLATORS: keep the example as it is: a title and its pinyin.
                hint=_(
                    "one syllable per character, separated by spaces, e.g. '逢简村' -> 'féng jiǎn cūn'; "
                    "or true/false to show or hide"
                ),
            )
            continue
        written.append((system, " ".join(syllables)))
        shown.append((system, True))
    return Pronounce(tuple(written), tuple(shown))


def read_image(fields: FieldReader, key: str, *, alt_required: bool) -> ImageRef | None:
    """An image written as a file name, or as ``{src, alt, caption}``."""
    value = fields.data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, str):
        if alt_required:  # the plain form builds; the page's title stands in until alt text is written
            fields.warn(
                key,
                _(
                    "has no alt text; until it is written, the page's title describes the image to people who "
                    "cannot see it"
                ),
                # TRANSLATORS: {src} is the image's file name; 照片里有什么 ("what the photo shows") is the alt text.
                hint=_("describe what the photo shows: {{src: {src}, alt: 照片里有什么}}", src=value.strip()),
            )
        return ImageRef(value.strip(), None, None, fields.line_of(key), fields.path_of(key))
    item = fields.section(key)
    if item is None:
        return None
    return read_image_item(item, alt_required=alt_required)


def read_image_item(item: FieldReader, *, alt_required: bool) -> ImageRef | None:
    item.reject_unknown({"src", "alt", "caption", "focus"})
    src = item.text("src", required=True)
    alt_value = item.data.get("alt")
    if alt_value is None and alt_required:  # built all the same: the caption, else the page's title, stands in
        item.warn(
            "alt",
            _("is missing; until it is written, the caption or the page's title describes the image"),
            hint=_(
                'describe what the photo shows, e.g. alt: 河涌上的明代石桥; write alt: "" only for a decorative image'
            ),
        )
    alt = None if alt_value is None else str(alt_value).strip()
    if src is None:
        return None
    focus = _focus(item)
    return ImageRef(src, alt, item.text("caption"), item.line_of("src"), item.path_of("src"), focus)


def _focus(item: FieldReader) -> tuple[float, float] | None:
    """``focus: [x, y]``: where the subject is, in percent from the left and from the top (``[50, 50]`` is the
    centre): a cover cropped to a wide band or a card keeps that point in view."""
    value = item.data.get("focus")
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 2:
        item.fail(
            "focus",
            _("expected [x, y], two numbers from 0 to 100, got {found}", found=describe(value)),
            hint=_(
                "percent from the photo's left and from its top, e.g. focus: [50, 80] keeps its lower middle in view"
            ),
        )
        return None
    sub = item.mapping_reader("focus", dict(enumerate(value)))
    x = sub.number(0, required=True, low=0, high=100)  # type: ignore[arg-type]
    y = sub.number(1, required=True, low=0, high=100)  # type: ignore[arg-type]
    return None if x is None or y is None else (x, y)


VIDEO_ITEM_KEYS = {"url", "src", "title", "cover", "poster", "duration", "creator", "date", "embed"}
VIDEO_FILES = (".mp4", ".m4v", ".webm", ".mov")
"""Videos a page folder may hold (``src``): what phones record and browsers play."""
_CLOCK = re.compile(r"^(?:([0-9]+):)?([0-5]?[0-9]):([0-5][0-9])$")


def read_videos(fields: FieldReader) -> tuple[Video, ...]:
    """``videos:``: each a creator's post (``url``) or a file beside the page (``src``), with a title."""
    found = []
    for n, item in enumerate(fields.item_readers("videos")):
        item.reject_unknown(VIDEO_ITEM_KEYS)
        video = _video(item, f"videos[{n}]")
        if video is not None:
            found.append(video)
    return tuple(found)


def _video(item: FieldReader, field: str) -> Video | None:
    title = item.text("title", required=True)
    has_url, has_src = item.data.get("url") is not None, item.data.get("src") is not None
    if has_url == has_src:
        item.fail(
            "url" if has_url else "src",
            _("give either url (a link to the video on its platform) or src (a video file beside the page)")
            if has_url
            else _("is required: url (a link to the video on its platform) or src (a video file beside the page)"),
            hint=_("e.g. url: https://www.bilibili.com/video/BV1xx411c7mD, or src: harvest.mp4"),
        )
        return None
    url = item.https("url") if has_url else None
    src = item.text("src") if has_src else None
    platform = player = None
    if url is not None:
        link = recognise(url)
        if link is None:
            item.warn(
                "url",
                _("is on no video platform villagesite knows; it is shown as a plain link"),
                hint=_("platforms known: {platforms}", platforms=joined(PLATFORM_NAMES)),
            )
        platform = link.platform if link else None
        if item.boolean("embed"):
            if link is not None and link.embed is not None:
                player = played_on_tap(link.embed)
            else:
                item.warn(
                    "embed",
                    _("this link has no player that works embedded; the card links out to the video"),
                    hint=_(
                        "only Bilibili and YouTube links with the video's id (not short links) can play on the page"
                    ),
                )
        if "poster" in item.data:
            item.fail(
                "poster", _("is for a video file (src)"), hint=_("a linked video's photo is written cover: frame.jpg")
            )
    elif src is not None:
        if "/" in src or "\\" in src or not src.lower().endswith(VIDEO_FILES):
            item.fail(
                "src",
                _(
                    "expected a video file beside the page ({suffixes}), got {found}",
                    suffixes=joined(VIDEO_FILES),
                    found=quoted(src),
                ),
                hint=_("put the video beside index.md and write its file name, e.g. src: harvest.mp4"),
            )
            src = None
        if "cover" in item.data:
            item.fail(
                "cover", _("is for a linked video (url)"), hint=_("a video file's photo is written poster: frame.jpg")
            )
        if "embed" in item.data:
            item.fail("embed", _("is for a linked video (url)"), hint=_("a video file plays on the page as it is"))
    cover = read_image(item, "cover" if url is not None else "poster", alt_required=False)
    if cover is not None and cover.alt is None:  # the video's title names the card: its photo is decoration
        cover = replace(cover, alt="")
    if url is not None and cover is None:
        item.warn(
            "url",
            _("has no cover; its card shows the platform's name on a plain ground"),
            hint=_("save a frame of the video as a photo beside index.md and name it: cover: frame.jpg"),
        )
    if title is None or (url is None and src is None):
        return None
    return Video(
        title,
        url,
        src,
        platform,
        player,
        cover,
        _duration(item),
        _creator(item),
        item.date("date"),
        item.line_of("url" if url is not None else "src"),
        field,
    )


def _duration(item: FieldReader) -> int | None:
    """``3:25`` (YAML reads it as 205 seconds), ``"1:02:03"``, or seconds."""
    value = item.data.get("duration")
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return round(value)
    found = _CLOCK.match(str(value).strip()) if isinstance(value, str) else None
    if found is None:
        item.fail(
            "duration",
            _("expected minutes:seconds or seconds, got {found}", found=describe(value)),
            hint=_("e.g. duration: 3:25, or duration: 1:02:03 for an hour and more"),
        )
        return None
    hours, minutes, seconds = (int(part or 0) for part in found.groups())
    return hours * 3600 + minutes * 60 + seconds


def _creator(item: FieldReader) -> Creator | None:
    """``creator: 阿强`` or ``{name, url}``: credited on the card."""
    value = item.data.get("creator")
    if value is None:
        return None
    if isinstance(value, str):
        name = item.text("creator")
        return Creator(name, None) if name else None
    section = item.section("creator")
    if section is None:
        return None
    section.reject_unknown({"name", "url"})
    name = section.text("name", required=True)
    url = section.https("url")
    return Creator(name, url) if name else None


def read_village(fields: FieldReader, default_province: str) -> VillageFields | None:
    style_key = fields.choice("style", STYLES, required=True, aliases=CHINESE_NAMES)
    ethnic_group = fields.text("ethnic_group")
    if style_key == "minority" and not ethnic_group:
        fields.fail(
            "ethnic_group",
            _("is required when style is minority"),
            hint=_("e.g. 瑶族, 壮族, 畲族"),
            at="style",
        )
    city = fields.text("city", required=True)
    location = fields.geo("location", required=True)
    gallery = tuple(
        image for item in fields.item_readers("gallery") if (image := read_image_item(item, alt_required=True))
    )
    village = VillageFields(
        kind=fields.choice("kind", ("village", "town"), default="village", aliases=CHINESE_NAMES) or "village",
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
        item.reject_unknown({"name", "description", "image", "season", "shop_url", "sold_at"})
        name = item.text("name", required=True)
        specialty = Specialty(
            name or "",
            item.text("description"),
            read_image(item, "image", alt_required=True),
            item.text("season"),
            item.url("shop_url"),
            item.text("sold_at"),
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


VISIT_KEYS = {"opening_hours", "tickets", "transport", "tips", "contact"}
PRACTICAL_KEYS = {"best_season", "time_needed", "parking", "accessibility", "toilets"}
WHEELCHAIR = ("yes", "partly", "no")
WHEELCHAIR_ALIASES = {"可以": "yes", "能": "yes", "部分": "partly", "部分可以": "partly", "不可": "no", "不能": "no"}


def _visit(fields: FieldReader) -> Visit | None:
    section = fields.section("visit")
    if section is None:
        return None
    section.reject_unknown(VISIT_KEYS | PRACTICAL_KEYS)
    return Visit(
        section.text("opening_hours"),
        section.text("tickets"),
        section.text("transport"),
        section.text("tips"),
        section.text("contact"),
        best_season=section.text("best_season"),
        time_needed=_time_needed(section),
        parking=section.text("parking"),
        accessibility=_access(section),
        toilets=_toilets(section),
    )


def _time_needed(section: FieldReader) -> float | str | None:
    """Hours (``3``, ``0.5``) or words (``一天``, ``两天一夜``)."""
    value = section.data.get("time_needed")
    if isinstance(value, bool) or not isinstance(value, int | float):
        if value is not None and not isinstance(value, str):
            section.fail(
                "time_needed",
                _("expected hours (a number such as 3) or words (一天), got {found}", found=describe(value)),
            )
            return None
        return section.text("time_needed")
    return section.number("time_needed", low=0.5, high=72)


def _access(section: FieldReader) -> Access | None:
    """``accessibility: {wheelchair: yes | partly | no, note: 石板路，有台阶}``, or the note alone."""
    value = section.data.get("accessibility")
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return Access(None, section.text("accessibility"))
    item = section.section("accessibility")
    if item is None:
        return None
    item.reject_unknown({"wheelchair", "note"})
    wheelchair = item.data.get("wheelchair")
    if isinstance(wheelchair, bool):  # YAML reads a bare yes or no as true or false
        return Access("yes" if wheelchair else "no", item.text("note"))
    return Access(item.choice("wheelchair", WHEELCHAIR, aliases=WHEELCHAIR_ALIASES), item.text("note"))


def _toilets(section: FieldReader) -> bool | str | None:
    """true, false, or where they are (``村口停车场旁``)."""
    value = section.data.get("toilets")
    if isinstance(value, bool):
        return value
    if value is not None and not isinstance(value, str):
        section.fail(
            "toilets",
            _("expected true, false or where they are (村口停车场旁), got {found}", found=describe(value)),
        )
        return None
    return section.text("toilets")


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
        fields.fail("location", _("expected a place name or {{lat, lon}}"))
    if start and end and _as_datetime(end, end_of_day=True) < _as_datetime(start):
        # TRANSLATORS: {end} and {start} are the dates (or dates and times) the editor wrote.
        fields.fail("end", _("{end} is before start {start}", end=end, start=start))
    if start is None or village is None:
        return None
    return EventFields(start, end, village, place, location)


def _as_datetime(value: dt.date, *, end_of_day: bool = False) -> dt.datetime:
    """A date alone means the whole day: as a start, its beginning; as an end, its last moment."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return dt.datetime.combine(value, dt.time.max if end_of_day else dt.time())


def read_place(fields: FieldReader) -> PlaceFields | None:
    kind = fields.choice("kind", PLACE_KINDS, required=True, aliases=CHINESE_NAMES)
    if "villages" in fields.data:
        villages = fields.text_list("villages")
        if "village" in fields.data:
            fields.fail("villages", _("write village: or villages:, not both"), at="village")
    else:
        one = fields.text("village", required=True)
        villages = (one,) if one else ()
    if "villages" in fields.data and not villages:
        fields.fail("villages", _("expected the folder names of one or more villages"))
    phone = fields.text("phone")
    if phone is not None and not (_PHONE.fullmatch(phone) and 7 <= sum(c.isdigit() for c in phone) <= 15):
        fields.fail(
            "phone",
            # TRANSLATORS: {phone} is what the editor wrote, quoted.
            _("{phone} is not a phone number", phone=quoted(phone)),
            hint=_("digits, with spaces or hyphens if you like: 0757-2233 4455, 138 0000 0000, +852 2345 6789"),
        )
        phone = None
    raw_hours: Any = fields.data.get("opening_hours")
    text_hours = fields.text("opening_hours") if isinstance(raw_hours, str) else None
    gallery = tuple(
        image for item in fields.item_readers("gallery") if (image := read_image_item(item, alt_required=True))
    )
    place = PlaceFields(
        kind=kind or "",
        villages=villages,
        location=fields.geo("location") if fields.data.get("location") != "" else None,  # "": not yet known
        address=fields.text("address"),
        phone=phone,
        wechat=fields.text("wechat"),
        opening_text=text_hours,
        opening_hours=tuple(_hours(fields, raw_hours)) if not isinstance(raw_hours, str) else (),
        price_range=fields.text("price_range"),
        payment=_choices(fields, "payment", PAYMENTS),
        languages_spoken=fields.text_list("languages_spoken"),
        booking_url=fields.https("booking_url"),
        shop_url=fields.https("shop_url"),
        gallery=gallery,
        tags=fields.text_list("tags"),
    )
    if kind is None or not villages:
        return None
    return place


def _hours(fields: FieldReader, raw: Any) -> list[Hours]:
    """``{days, open, close}``, or a list of them."""
    if raw is None:
        return []
    if isinstance(raw, dict):
        readers = [fields.section("opening_hours")]
    elif isinstance(raw, list):
        readers = list(fields.item_readers("opening_hours"))
    else:
        fields.fail("opening_hours", _("expected text, or {{days, open, close}}, or a list of them"))
        return []
    found = []
    for item in readers:
        if item is None:
            continue
        item.reject_unknown({"days", "open", "close"})
        days = _days(item)
        opens, closes = item.text("open", required=True), item.text("close", required=True)
        for key, value in (("open", opens), ("close", closes)):
            if value is not None and not _TIME.fullmatch(value):
                item.fail(
                    key,
                    # TRANSLATORS: {time} is what the editor wrote, quoted.
                    _("{time} is not a time of day", time=quoted(value)),
                    hint=_("write it as 09:00 (in quotes in YAML)"),
                )
                return found
        if days and opens and closes:
            found.append(Hours(days, opens, closes))
    return found


def _days(item: FieldReader) -> tuple[str, ...]:
    """``[mon, tue]``, or a range ``mon-fri``, or ``daily``."""
    value = item.data.get("days")
    if isinstance(value, str):  # 每天, 周末, 周一至周五
        first, dash, last = value.strip().replace("至", "-").replace("到", "-").replace("～", "-").partition("-")
        value = CHINESE_NAMES.get(first.strip(), first) + (dash + CHINESE_NAMES.get(last.strip(), last) if dash else "")
    if isinstance(value, str) and value.strip().lower() in ("daily", "every day"):
        return DAYS
    if isinstance(value, str) and "-" in value:
        first, _dash, last = value.strip().lower().partition("-")
        if first in DAYS and last in DAYS and DAYS.index(first) <= DAYS.index(last):
            return DAYS[DAYS.index(first) : DAYS.index(last) + 1]
    days = item.text_list("days") if not isinstance(value, str) else (value.strip().lower(),)
    days = tuple(CHINESE_NAMES.get(day.strip(), day) for day in days)
    wrong = [day for day in days if day.lower() not in DAYS]
    if not days or wrong:
        item.fail(
            "days",
            # TRANSLATORS: {found} is what the editor wrote, as Python shows it: 'mon-fry', ['mon', 'tu'].
            _(
                "expected days of the week such as [mon, tue], a range such as mon-fri, or daily; got {found}",
                found=quoted(value) if isinstance(value, str) else repr(value),
            ),
            hint=did_you_mean(wrong[0].lower(), DAYS) if wrong else None,
        )
        return ()
    return tuple(day.lower() for day in days)


def _choices(fields: FieldReader, key: str, options: tuple[str, ...]) -> tuple[str, ...]:
    found = []
    for n, value in enumerate(fields.text_list(key)):
        value = CHINESE_NAMES.get(value.strip(), value)
        if value.lower() in options:
            found.append(value.lower())
        else:
            fields.fail(
                f"{key}[{n}]",
                _("{found} is not one of {choices}", found=quoted(value), choices=joined(options)),
                hint=did_you_mean(value.lower(), options),
            )
    return tuple(found)
