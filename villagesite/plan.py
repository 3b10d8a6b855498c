"""The plan of a site's template outputs: which files there will be and what each is made from.

Planning needs no theme and renders nothing; :func:`villagesite.build.render_files`
then asks, for each planned output, whether what it was made from changed,
and renders only those that did.  Every page of every kind, every page of
every listing, the indexes, the 404 page and the villages' posters.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from .editions import Edition
from .kinds import KINDS
from .model import Site
from .render import Rendered, Renderer, poster_url
from .schema import PLACE_KINDS
from .search.index import SEARCH_PATH
from .urls import output_file


class Planned(NamedTuple):
    output: str
    """The file: ``villages/fengjian/index.html``, ``en/villages/fengjian/index.html``."""
    kind: str
    """``village``, ``story``, ``event``, ``page``, ``listing``, ``home``, ``poster`` or ``404``."""
    own_body: str | None
    """The page body it shows as its own (see :mod:`villagesite.deps`), or None."""
    make: Callable[[Renderer], Rendered]
    url: str = ""
    """Its site path in its edition (``/villages/fengjian/``), the same in every edition."""
    edition: int = 0
    """Which of the site's editions it belongs to (the content's own is 0)."""


def plan_site(sites: Sequence[Site], bodies: Sequence[Mapping[str, str]]) -> list[Planned]:
    """Every template output of every edition: the content's own first."""
    return [
        job._replace(output=output_file(site.edition.path(job.url)), edition=number)
        for number, (site, own) in enumerate(zip(sites, bodies, strict=True))
        for job in plan_pages(site, own)
    ]


def found_in(sites: Sequence[Site], plan: Sequence[Planned]) -> dict[str, tuple[Edition, ...]]:
    """Site path -> the editions that publish a page there (not the 404 page): for ``hreflang``."""
    found: dict[str, list[Edition]] = {}
    for job in plan:
        if job.kind != "404":
            found.setdefault(job.url, []).append(sites[job.edition].edition)
    return {url: tuple(editions) for url, editions in found.items()}


def plan_pages(site: Site, bodies: Mapping[str, str]) -> list[Planned]:
    """Every template output of one edition, in a stable order."""
    plan = [
        Planned(
            output_file(page.url),
            page.kind.value,
            bodies[page.url],
            functools.partial(Renderer.page, page=page),
            page.url,
        )
        for page in site.pages
    ]
    plan += [
        Planned(
            output_file(paging.url),
            "listing",
            None,
            functools.partial(Renderer.listing, listing=listing, paging=paging),
            paging.url,
        )
        for listing in site.listings
        for paging in listing.pages()
    ]
    plan += [
        _index("index.html", "home", "home.html", "/"),
        _index("cities/index.html", "listing", "terms.html", "/cities/", terms="cities", listings=site.cities),
        _index("tags/index.html", "listing", "terms.html", "/tags/", terms="tags", listings=site.tags),
    ]
    # Each kind's own index (stories, events); the villages' is the listing of all villages.
    plan += [
        _index(output_file(entry.index), "listing", entry.index_template, entry.index)
        for entry in KINDS.values()
        if entry.index and entry.index_template
    ]
    # Each kind of place the site has, on its own page (/places/homestay/), grouped by city.
    plan += [
        _index(output_file(url), "listing", "places.html", url, place_kind=kind)
        for kind, url in place_kind_urls(site).items()
    ]
    plan.append(_index("404.html", "404", "404.html", "/404.html"))
    if site.config.search:
        plan.append(_index(output_file(SEARCH_PATH), "search", "search.html", SEARCH_PATH))
    # Each village's printable poster, for the sign at its gate; each place's, for its door.
    plan += [
        Planned(
            output_file(poster_url(page)),
            "poster",
            None,
            functools.partial(Renderer.poster, page=page),
            poster_url(page),
        )
        for page in (*site.villages, *site.places)
    ]
    return plan


def _index(output: str, kind: str, template: str, url: str, **context: object) -> Planned:
    return Planned(output, kind, None, functools.partial(Renderer.index, template=template, url=url, **context), url)


def public_urls(site: Site) -> list[str]:
    """The addresses of one edition a search engine may list (the sitemap): pages, listings and indexes."""
    indexes = [entry.index for entry in KINDS.values() if entry.index and entry.index_template]
    kinds = list(place_kind_urls(site).values())
    return [p.url for p in site.pages] + site.listing_urls() + ["/", "/cities/", "/tags/", *indexes, *kinds]


def place_kind_urls(site: Site) -> dict[str, str]:
    """Kind -> the page listing the site's places of that kind (``/places/homestay/``), in kind order."""
    kinds = {page.place.kind for page in site.places if page.place is not None}
    return {kind: f"/places/{kind}/" for kind in PLACE_KINDS if kind in kinds}
