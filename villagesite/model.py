"""The site model: frozen records of published pages and of the listings that show them.

Relations are by slug or URL through :class:`Site`, never back-pointers, so
every record can be built once and never changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .bundle_videos import BundleVideo
from .config import SiteConfig
from .content import Source
from .editions import Edition
from .kinds import KINDS, add_kind_properties
from .schema import ImageRef, Kind, Specialty, StyleFamily


@dataclass(frozen=True, slots=True)
class Page:
    """A published page: everything a template needs to show it."""

    source: Source
    slug: str
    url: str
    """Site path, e.g. ``/villages/fengjian/``."""
    html: str
    """The rendered, sanitised Markdown body."""
    toc: tuple[tuple[int, str, str], ...]
    images: tuple[ImageRef, ...]
    """Images named in the body."""
    template: str

    @property
    def kind(self) -> Kind:
        return self.source.kind

    @property
    def title(self) -> str:
        return self.source.common.title

    @property
    def language(self) -> str:
        return self.source.language

    @property
    def title_en(self) -> str | None:
        """The English name shown beside the title; none in the English edition, where it is the title."""
        return self.source.common.title_en if self.source.language != "en" else None

    @property
    def summary(self) -> str | None:
        return self.source.common.summary

    @property
    def date(self) -> dt.date | None:
        return self.source.common.date

    @property
    def cover(self) -> ImageRef | None:
        return self.source.common.cover

    @property
    def extra(self) -> Mapping[str, Any]:
        """Front-matter fields the content model does not know, for themes."""
        return self.source.extra

    @property
    def sort_key(self) -> tuple[str, str]:
        return (self.source.title_slug, self.title)


LISTING_PAGE_SIZE = 60
"""Villages per listing page: a phone on a slow network should not load thousands of cards."""


@dataclass(frozen=True, slots=True)
class Listing:
    """A page that lists villages: all of them, one style, one city or one tag."""

    kind: str
    """``villages``, ``style``, ``city`` or ``tag``."""
    key: str
    """The style key, city name or tag as written."""
    title: str
    url: str
    villages: tuple[Page, ...]
    style: StyleFamily | None = None

    def pages(self, size: int = LISTING_PAGE_SIZE) -> tuple[ListingPage, ...]:
        """The listing cut into pages of ``size``: ``/tags/shui-xiang/``, ``/tags/shui-xiang/page/2/``, ..."""
        total = max(1, -(-len(self.villages) // size))
        urls = [self.url if n == 1 else f"{self.url}page/{n}/" for n in range(1, total + 1)]
        return tuple(
            ListingPage(
                number=n,
                total=total,
                url=urls[n - 1],
                villages=self.villages[(n - 1) * size : n * size],
                previous=urls[n - 2] if n > 1 else None,
                next=urls[n] if n < total else None,
                urls=tuple(urls),
            )
            for n in range(1, total + 1)
        )


@dataclass(frozen=True, slots=True)
class ListingPage:
    """One page of a listing."""

    number: int
    total: int
    url: str
    villages: tuple[Page, ...]
    previous: str | None
    next: str | None
    urls: tuple[str, ...]
    """Every page's URL, for page numbers."""


@dataclass(frozen=True, slots=True)
class Resource:
    """A file of a page bundle, copied beside its page."""

    path: Path
    url: str
    content: bytes | None = None
    """What to publish instead of the file (an SVG with its scripts removed), or None for the file itself."""


@dataclass(frozen=True, slots=True)
class ImageUse:
    """Where content names a photo: messages about the photo point here."""

    rel_path: str
    line: int
    field: str
    src: str
    """As written."""
    focus: tuple[float, float] | None = None
    """A cover's point to keep in view (``cover.focus``): where its share card is cropped around."""


@dataclass(frozen=True, slots=True)
class Photo:
    """A photo some page shows: turned into variants; the original is never published."""

    path: Path
    url: str
    """The site path the original would have; templates and bodies name the photo by it."""
    uses: tuple[ImageUse, ...]
    nearby: tuple[str, ...]
    """Other files of its folder, for "did you mean"."""


@dataclass(frozen=True, slots=True)
class Neighbour:
    page: Page
    km: float


@dataclass(frozen=True, slots=True)
class Site:
    config: SiteConfig
    pages: tuple[Page, ...]
    collections: Mapping[str, tuple[Page, ...]]
    """Each kind's pages in its order, by the kind's collection name (``villages``; stories newest first,
    events soonest first); templates say ``site.villages``."""
    by_slug: Mapping[Kind, Mapping[str, Page]]
    named_by: Mapping[str, Mapping[str, tuple[Page, ...]]]
    """Page URL -> the pages whose fields name it, by their kind's section: a village's ``stories``."""
    all_villages: Listing
    styles: tuple[Listing, ...]
    cities: tuple[Listing, ...]
    tags: tuple[Listing, ...]
    neighbours_of: Mapping[str, tuple[Neighbour, ...]]
    resources: tuple[Resource, ...]
    """Bundle files copied as they are (not photos)."""
    photos: Mapping[str, Photo]
    """Site path of each photo shown -> where it is and who shows it."""
    data: Mapping[str, Any]
    edition: Edition = field(default_factory=lambda: Edition("zh-Hans", "", False, "zh_CN"))
    """The edition this is: its language and URL prefix.  Every edition's pages have the same site
    paths (``page.url``); the edition's prefix is added where a link is written."""
    editions: tuple[Edition, ...] = ()
    """All editions of the site, the content's own first."""
    intros: Mapping[str, Page] = field(default_factory=dict)
    """Introductions to a city's or a tag's villages (``content/cities/<slug>.md``) by the address of the
    listing that shows them; not among ``pages``: they have no page of their own."""
    originals: Mapping[tuple[Kind, str], Page] = field(default_factory=dict)
    """The content's own edition's pages by kind and slug (empty in that edition): what an English
    page is called in Chinese."""
    videos: Mapping[str, BundleVideo] = field(default_factory=dict)
    """Videos of page folders by site path (``/villages/x/harvest.mp4``): their length, size and poster."""

    @property
    def village_by_slug(self) -> Mapping[str, Page]:
        """Villages are the site's centre (listings, the map, neighbours): named here for templates."""
        return self.by_slug[Kind.VILLAGE]

    @property
    def place_by_slug(self) -> Mapping[str, Page]:
        """Places by slug: a specialty's ``sold_at`` names one."""
        return self.by_slug[Kind.PLACE]

    def sold_at(self, place: Page) -> tuple[tuple[Page, Specialty], ...]:
        """The specialties of the site's villages that name ``place`` as where they are sold."""
        return tuple(
            (village, specialty)
            for village in self.villages
            if village.village is not None
            for specialty in village.village.specialties
            if specialty.sold_at == place.slug
        )

    @property
    def listings(self) -> tuple[Listing, ...]:
        return (self.all_villages, *self.styles, *self.cities, *self.tags)

    def listing_urls(self) -> list[str]:
        """Every page of every listing."""
        return [page.url for listing in self.listings for page in listing.pages()]


add_kind_properties(Page, lambda page: page.source)  # page.village, page.story…
for _entry in KINDS.values():  # site.villages, site.stories…: each kind's pages in its order
    setattr(Site, _entry.collection, property(lambda site, name=_entry.collection: site.collections[name]))
