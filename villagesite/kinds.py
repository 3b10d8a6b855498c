"""The kinds of page as data: one entry each, and the stages loop over the entries.

A kind names where its files live, how its front matter is read, where its
pages are published, which template shows them, the page that lists them,
and which other pages its fields name.  Adding a kind (a homestay, a
workshop) is its entry here, its record and reader in :mod:`villagesite.schema`,
its templates and its scaffold: nothing else changes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .event_days import coming_then_past
from .fields import FieldReader
from .i18n import N_
from .schema import (
    COMMON_KEYS,
    EVENT_KEYS,
    PLACE_KEYS,
    STORY_KEYS,
    VILLAGE_KEYS,
    Kind,
    Record,
    read_event,
    read_place,
    read_story,
    read_village,
)
from .translations import COMMON_FIXED

Reader = Callable[[FieldReader, Any], Record | None]
"""Reads a kind's own fields (besides the common ones) from front matter; takes the site's settings."""


@dataclass(frozen=True, slots=True)
class Relation:
    """A field of one kind that names pages of another by slug: a story's ``villages``, an event's ``village``."""

    field: str
    kind: Kind
    many: bool
    """A list of slugs (``villages: [a, b]``) or one (``village: a``)."""
    singular: str | None = None
    """The key of a list field written with one slug (a place's ``village:`` for ``villages``)."""

    def slugs(self, fields: Record) -> tuple[str, ...]:
        value = getattr(fields, self.field)
        return tuple(value) if self.many else (value,)


@dataclass(frozen=True, slots=True)
class PageKind:
    kind: Kind
    section: str
    """Its folder in ``content/`` and its collection on the site (``site.villages``): ``villages``."""
    collection: str
    """What templates call all pages of the kind: ``site.villages``, ``site.free_pages``."""
    keys: frozenset[str]
    """Every front-matter field it knows (a field close to one of these is a likely typo)."""
    read: Reader | None
    """Its own fields; None when it has only the common ones (a free page)."""
    template: str
    url: str
    """Where a page is published: ``/villages/{slug}/``; a free page at the site's root, ``/{slug}/``."""
    index: str | None
    """The page that lists them all (``/villages/``), which a link may name as a content path."""
    index_template: str | None = None
    """The template of that page, when it is not a listing of villages (``stories.html``)."""
    relations: tuple[Relation, ...] = ()
    summary_required: bool = False
    date_required: bool = False
    bundles: bool = True
    """Each page is a folder with its photos (``content/villages/<slug>/index.md``); a free page may be
    one file (``content/pages/<slug>.md``)."""
    scaffold: str | None = None
    """The file ``villagesite new`` copies (in ``villagesite/scaffolds/``); None: no scaffold."""
    order: Callable[[Any], Any] = lambda page: page.sort_key  # noqa: E731
    """How its pages are listed (``site.stories``): by name unless said otherwise."""
    context: Callable[[Any, Any], dict[str, Any]] | None = None
    """What its template receives besides the page and its relations: ``(site, page) -> {name: value}``."""
    lone_file: str = N_("a page needs a folder of its own")
    """The error for a page written as a lone file (``content/villages/x.md``), marked with ``N_`` and
    translated where it is reported: a whole sentence for each kind, as translators need."""
    own_page: bool = True
    """Whether its pages are published as pages. An introduction to a city's or a tag's villages
    (``content/cities/<slug>.md``) is not: its listing shows it, at the same address."""
    title_required: bool = True
    fixed: frozenset[str] = frozenset()
    """Its fields that are facts, not words (``style``, ``location``): a translation may not change them and
    the Traditional edition does not convert them (see :mod:`villagesite.translations`); with the
    common ones (:data:`~villagesite.translations.COMMON_FIXED`), as :attr:`facts`."""

    @property
    def facts(self) -> frozenset[str]:
        return COMMON_FIXED | self.fixed

    def page_path(self, slug: str, prefix: str = "") -> str:
        return prefix + self.url.format(slug=slug)

    @property
    def at_root(self) -> bool:
        """Whether its pages are published at the site's root (``/about/``), where they may not take
        a name the site uses (see :data:`villagesite.urls.RESERVED_SLUGS`)."""
        return self.url.startswith("/{slug}")


PLACE_ORDER = {kind: n for n, kind in enumerate(("homestay", "restaurant", "shop", "workshop", "guide"))}
"""Places are listed by kind (where to stay, eat, buy, learn; then guides), then by name."""


def _other_places(site: Any, page: Any) -> tuple[Any, ...]:
    """The other places of a place's first village: "more in this village"."""
    village = site.village_by_slug.get(page.place.village) if page.place else None
    found = site.named_by.get(village.url, {}).get("places", ()) if village else ()
    return tuple(other for other in found if other.url != page.url)


FEW_PLACES = 2
"""A village with fewer places of its own than this also shows those of its neighbours nearby."""
NEARBY_PLACES_KM = 15
"""A short drive: neighbours' places farther than this are not offered."""


def _nearby_places(site: Any, page: Any) -> tuple[tuple[Any, float], ...]:
    """The places of the nearest villages within a short drive, with their distance, when a village has few
    of its own: where a visitor can still sleep or eat near it."""
    own = site.named_by.get(page.url, {}).get("places", ())
    if len(own) >= FEW_PLACES:
        return ()
    found = []
    for neighbour in site.neighbours_of.get(page.slug, ()):
        if neighbour.km <= NEARBY_PLACES_KM:
            theirs = site.named_by.get(neighbour.page.url, {}).get("places", ())
            found += [(place, neighbour.km) for place in theirs if place not in own]
    return tuple(found[:4])


NEIGHBOURS_KM = 150
"""A day trip: villages of the same style farther than this are not called neighbours."""


def _neighbours(site: Any, page: Any) -> dict[str, tuple[Any, ...]]:
    """The nearest villages of the same style within a day trip (``neighbours``, with their distance); when
    none is that near, the nearest others of the style all the same (``same_style``), never called near."""
    found = site.neighbours_of.get(page.slug, ())
    near = tuple(neighbour for neighbour in found if neighbour.km <= NEIGHBOURS_KM)
    return {"neighbours": near, "same_style": () if near else found}


def _newest_first(page: Any) -> tuple[int, tuple[str, str]]:
    date = page.source.common.date
    return (-(date.toordinal() if date else 0), page.sort_key)


KINDS: Mapping[Kind, PageKind] = {
    entry.kind: entry
    for entry in (
        PageKind(
            Kind.VILLAGE,
            "villages",
            "villages",
            frozenset(VILLAGE_KEYS),
            lambda fields, config: read_village(fields, config.province),
            "village.html",
            "/villages/{slug}/",
            "/villages/",
            summary_required=True,
            scaffold="village.md",
            lone_file=N_("a village needs a folder of its own"),
            context=lambda site, page: {**_neighbours(site, page), "nearby_places": _nearby_places(site, page)},
            fixed=frozenset(
                {
                    "kind",
                    "style",
                    "location",
                    "gallery[].src",
                    "attractions[].image.src",
                    "attractions[].location",
                    "specialties[].image.src",
                    "specialties[].shop_url",
                    "specialties[].sold_at",
                }
            ),
        ),
        PageKind(
            Kind.STORY,
            "stories",
            "stories",
            frozenset(STORY_KEYS),
            lambda fields, config: read_story(fields),
            "story.html",
            "/stories/{slug}/",
            "/stories/",
            index_template="stories.html",
            relations=(Relation("villages", Kind.VILLAGE, many=True),),
            summary_required=True,
            date_required=True,
            scaffold="story.md",
            lone_file=N_("a story needs a folder of its own"),
            order=_newest_first,
            fixed=frozenset({"villages"}),
        ),
        PageKind(
            Kind.EVENT,
            "events",
            "events",
            frozenset(EVENT_KEYS),
            lambda fields, config: read_event(fields),
            "event.html",
            "/events/{slug}/",
            "/events/",
            index_template="events.html",
            relations=(Relation("village", Kind.VILLAGE, many=False),),
            scaffold="event.md",
            lone_file=N_("a event needs a folder of its own"),  # sic: the English as it has always read
            fixed=frozenset({"start", "end", "village", "location.lat", "location.lon"}),
            order=coming_then_past,
        ),
        PageKind(
            Kind.PLACE,
            "places",
            "places",
            frozenset(PLACE_KEYS),
            lambda fields, config: read_place(fields),
            "place.html",
            "/places/{slug}/",
            "/places/",
            index_template="places.html",
            relations=(Relation("villages", Kind.VILLAGE, many=True, singular="village"),),
            summary_required=True,
            scaffold="place.md",
            lone_file=N_("a place needs a folder of its own"),
            context=lambda site, page: {"neighbours": _other_places(site, page)},
            fixed=frozenset(
                {
                    "kind",
                    "village",
                    "villages",
                    "location",
                    "phone",
                    "wechat",
                    "opening_hours.days",
                    "opening_hours[].days",
                    "payment",
                    "booking_url",
                    "shop_url",
                    "gallery[].src",
                }
            ),
            order=lambda page: (PLACE_ORDER.get(page.place.kind, 9) if page.place else 9, page.sort_key),
        ),
        PageKind(
            Kind.PAGE,
            "pages",
            "free_pages",
            frozenset(COMMON_KEYS),
            None,
            "page.html",
            "/{slug}/",
            None,
            bundles=False,
        ),
        PageKind(
            Kind.CITY_INTRO,
            "cities",
            "city_intros",
            frozenset(COMMON_KEYS),
            None,
            "listing.html",
            "/cities/{slug}/",
            "/cities/",
            bundles=False,
            own_page=False,
            title_required=False,
        ),
        PageKind(
            Kind.TAG_INTRO,
            "tags",
            "tag_intros",
            frozenset(COMMON_KEYS),
            None,
            "listing.html",
            "/tags/{slug}/",
            "/tags/",
            bundles=False,
            own_page=False,
            title_required=False,
        ),
    )
}

SECTIONS: Mapping[str, PageKind] = {entry.section: entry for entry in KINDS.values() if entry.bundles}
"""Content folders whose pages are page folders: ``villages`` -> the village entry."""
LONE_FILE_SECTIONS: Mapping[str, PageKind] = {entry.section: entry for entry in KINDS.values() if not entry.bundles}
"""Content folders of pages written as lone files (``pages/about.md``, ``cities/foshan.md``)."""
BY_NAME: Mapping[str, PageKind] = {entry.kind.value: entry for entry in KINDS.values()}
"""``village`` -> its entry: the names used in templates (``page.village``) and on the command line."""
NAMED_BY: Mapping[Kind, tuple[tuple[PageKind, Relation], ...]] = {
    kind: tuple((entry, relation) for entry in KINDS.values() for relation in entry.relations if relation.kind is kind)
    for kind in KINDS
}
"""The kinds whose fields name pages of a kind: a village is named by stories and events."""


def add_kind_properties(cls: type, source: Callable[[Any], Any]) -> None:
    """Give ``cls`` a property per kind, by its name: ``page.village`` is the page's own fields when it
    is a village, else None.  ``source(obj)`` finds the Source of an instance.

    Properties, not ``__getattr__``: templates read ``page.village.x`` many times a page, and a
    property is a plain lookup where ``__getattr__`` runs only after a failed one.
    """
    for name, entry in BY_NAME.items():

        def own_fields(obj: Any, kind: Kind = entry.kind) -> Record | None:
            found = source(obj)
            return found.fields if found.kind is kind else None

        own_fields.__doc__ = f"The {name}'s own fields when this is a {name}, else None."
        setattr(cls, name, property(own_fields))
