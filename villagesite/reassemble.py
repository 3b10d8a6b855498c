"""The last site a long-lived process assembled, and that site again with some pages replaced.

A save in the preview mostly changes a page's body and nothing else: its
front matter, the folders' files and the settings are as they were, so every
slug, listing, neighbour and link target is too.  Assembling them again for
5,000 villages took about half of such a save (0.2 s).  The preview keeps the
last assembly (:class:`LastAssembly`); :func:`villagesite.site.assemble_site`
converts only the changed bodies and puts their pages in place of the old
ones (:func:`swap_pages`), wherever the site holds them.  What the structure
is made from is compared whole first (:class:`Frame`); anything else that
changed assembles the site again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from .bundle_videos import BundleVideo
from .content import Source
from .errors import Problem
from .listings import Neighbours
from .markdown_html import RenderedBody
from .model import ImageUse, Listing, Neighbour, Page, Photo, Resource, Site
from .placeholders import UnfinishedMemo

PhotoUse = tuple[str, Path, ImageUse]
"""A photo a page shows: its site path, its file, where the page names it."""


@dataclass(frozen=True, slots=True)
class Shape:
    """Where every page goes, from the front matter and the names of the folders' files alone (and
    the settings and data files): the same for the same ``fronts``, so kept with them."""

    settings: tuple[str, bool]
    """The settings' fingerprint, and whether drafts are published."""
    fronts: tuple[tuple[str, str, tuple[str, ...]], ...]
    """Every content file, the hash of its front matter and the other files of its folder, in order."""
    data: Mapping[str, Any]
    slugs: Mapping[str, str]
    """By file (``rel_path``), drafts too."""
    urls: Mapping[str, str]
    """Site path of each published file's page."""
    published: tuple[int, ...]
    """The published originals, as positions in the content's files."""
    translations: tuple[int, ...]
    """The published translations, as positions in the content's files."""
    original_of: Mapping[str, str]
    """Each published translation's original (``rel_path`` to ``rel_path``)."""
    hand_written: frozenset[str]
    """Originals translated into Traditional Chinese by hand: not converted."""
    targets: Mapping[str, str]
    """Every content path a link may name, and its site path."""
    slug_problems: tuple[Problem, ...]
    checked_problems: tuple[Problem, ...]
    """What checking references (a story's villages, where a specialty is sold) and places found."""


@dataclass(frozen=True, slots=True)
class Frame:
    """What every page's place in the site is made from: when two builds have the same frame, their
    sites differ only in the bodies of the pages whose files changed."""

    shape: Shape
    resources: tuple[Resource, ...]
    """The folders' files to copy, as read now (an SVG edited in place changes no front matter)."""
    videos: Mapping[str, BundleVideo]
    problems: tuple[Problem, ...]
    """What the shape and the folders' files came with, in order."""


@dataclass(frozen=True, slots=True)
class BodyMade:
    """A written file's body as the site uses it, and what converting it found."""

    rendered: RenderedBody
    problems: tuple[Problem, ...]
    """The body's own (links), then its photos' (front matter's and body's)."""
    photos: tuple[PhotoUse, ...]
    nearby: tuple[str, ...]
    """The other files of its folder, for "did you mean" about a photo."""


@dataclass(frozen=True, slots=True)
class Made:
    """One edition's page, and which written files it was made from (both found by ``rel_path``)."""

    page: Page
    source: str
    original: str
    convert: bool
    """The original converted to Traditional Chinese."""


@dataclass(frozen=True, slots=True)
class LastAssembly:
    frame: Frame
    written: tuple[Source, ...]
    """The files whose bodies are published, originals then translations."""
    bodies: tuple[BodyMade, ...]
    """By the index of :attr:`written`."""
    made: tuple[tuple[Made, ...], ...]
    """Each edition's pages, in the order they were made."""
    sites: tuple[Site, ...]


@dataclass(eq=False)
class AssemblyMemory:
    """Where a long-lived process keeps its last assembly (see :meth:`villagesite.caches.Caches.assembly`)."""

    last: LastAssembly | None = None
    unfinished: UnfinishedMemo = field(default_factory=dict)
    """The scaffold's samples found in each file (see :func:`villagesite.placeholders.unfinished`)."""


def photos_of(bodies: tuple[BodyMade, ...]) -> dict[str, Photo]:
    """Every photo the pages show, with each place that names it, in the order of the written files."""
    uses: dict[str, list[ImageUse]] = {}
    files: dict[str, tuple[Path, tuple[str, ...]]] = {}
    for body in bodies:
        for url, path, use in body.photos:
            uses.setdefault(url, []).append(use)
            files.setdefault(url, (path, body.nearby))
    return {url: Photo(files[url][0], url, tuple(found), files[url][1]) for url, found in sorted(uses.items())}


T = TypeVar("T")


def swap_pages(site: Site, new: Mapping[int, Page], photos: Mapping[str, Photo] | None = None) -> Site:
    """``site`` with each page whose ``id`` is in ``new`` replaced by its new page, wherever the site
    holds it (its pages, collections, listings, neighbours, the originals of another edition).

    Containers that hold none of them are kept as they are: the replacement costs a look at each
    container, not a copy of the site."""
    olds = new.keys()

    def pages(found: tuple[Page, ...]) -> tuple[Page, ...]:
        if olds.isdisjoint(map(id, found)):
            return found
        return tuple(new.get(id(page), page) for page in found)

    def page(found: Page) -> Page:
        return new.get(id(found), found)

    def listing(found: Listing) -> Listing:
        villages = pages(found.villages)
        return found if villages is found.villages else replace(found, villages=villages)

    def neighbours(found: tuple[Neighbour, ...]) -> tuple[Neighbour, ...]:
        if olds.isdisjoint(id(neighbour.page) for neighbour in found):
            return found
        return tuple(Neighbour(page(n.page), n.km) for n in found)

    changes: dict[str, Any] = {
        "pages": pages(site.pages),
        "collections": _mapping(site.collections, pages),
        "by_slug": _mapping(site.by_slug, lambda slugs: _mapping(slugs, page)),
        "named_by": _mapping(site.named_by, lambda sections: _mapping(sections, pages)),
        "all_villages": listing(site.all_villages),
        "styles": tuple(map(listing, site.styles)),
        "cities": tuple(map(listing, site.cities)),
        "tags": tuple(map(listing, site.tags)),
        "neighbours_of": site.neighbours_of.with_pages(page)
        if isinstance(site.neighbours_of, Neighbours)  # searched when a page asks: not all of them now
        else _mapping(site.neighbours_of, neighbours),
        "intros": _mapping(site.intros, page),
        "originals": _mapping(site.originals, page),
    }
    if photos is not None:
        changes["photos"] = MappingProxyType(dict(photos))
    return replace(site, **changes)


def _mapping(found: Mapping[Any, T], change: Callable[[T], T]) -> Mapping[Any, T]:
    """``found`` with each value changed, or ``found`` itself when no value changed."""
    changed = {key: new for key, value in found.items() if (new := change(value)) is not value}
    return MappingProxyType({**found, **changed}) if changed else found
