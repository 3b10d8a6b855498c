"""The plan of a site's template outputs: which files there will be and what each is made from.

Planning needs no theme and renders nothing; :func:`villagesite.build.render_files`
then asks, for each planned output, whether what it was made from changed,
and renders only those that did.  Every page of every kind, every page of
every listing, the indexes, the 404 page and the villages' posters.

A planned output names what it shows by its place in the site (the third
page, the second listing's first page), which the renderer looks up in its
own edition: the plan is made from the site's structure alone, so a
long-lived process keeps it while the structure stays the same (a save that
changes a body: the plan of 16,000 outputs took 0.07 s of it at 5,000
villages).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import NamedTuple

from .editions import Edition
from .kinds import KINDS
from .model import Site
from .render import Rendered, Renderer, posted, poster_url
from .schema import PLACE_KINDS
from .search.index import SEARCH_PATH
from .urls import output_file


class Planned(NamedTuple):
    output: str
    """The file: ``villages/fengjian/index.html``, ``en/villages/fengjian/index.html``."""
    kind: str
    """``village``, ``story``, ``event``, ``page``, ``listing``, ``home``, ``poster`` or ``404``."""
    body_of: str | None
    """The site path of the page whose body it shows as its own (see :mod:`villagesite.deps`), or None."""
    make: Callable[[Renderer], Rendered]
    url: str = ""
    """Its site path in its edition (``/villages/fengjian/``), the same in every edition."""
    edition: int = 0
    """Which of the site's editions it belongs to (the content's own is 0)."""


Plan = tuple[list[Planned], dict[str, tuple[Edition, ...]]]
"""Every output of every edition, and which editions publish each site path (:func:`found_in`)."""


def plan_site(sites: Sequence[Site]) -> list[Planned]:
    """Every template output of every edition: the content's own first."""
    return [
        job._replace(output=output_file(site.edition.path(job.url)), edition=number)
        for number, site in enumerate(sites)
        for job in plan_pages(site)
    ]


def found_in(sites: Sequence[Site], plan: Sequence[Planned]) -> dict[str, tuple[Edition, ...]]:
    """Site path -> the editions that publish a page there (not the 404 page): for ``hreflang``."""
    found: dict[str, list[Edition]] = {}
    for job in plan:
        if job.kind != "404":
            found.setdefault(job.url, []).append(sites[job.edition].edition)
    return {url: tuple(editions) for url, editions in found.items()}


def plan_pages(site: Site) -> list[Planned]:
    """Every template output of one edition, in a stable order."""
    plan = [
        Planned(
            output_file(page.url),
            page.kind.value,
            page.url,
            functools.partial(Renderer.page_at, number=number),
            page.url,
        )
        for number, page in enumerate(site.pages)
    ]
    plan += [
        Planned(
            output_file(paging.url),
            "listing",
            None,
            functools.partial(Renderer.listing_at, number=number, page=paging.number),
            paging.url,
        )
        for number, listing in enumerate(site.listings)
        for paging in listing.pages()
    ]
    plan += [
        _index("index.html", "home", "home.html", "/"),
        _index("cities/index.html", "listing", "terms.html", "/cities/", terms="cities"),
        _index("tags/index.html", "listing", "terms.html", "/tags/", terms="tags"),
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
            functools.partial(Renderer.poster_at, number=number),
            poster_url(page),
        )
        for number, page in enumerate(posted(site))
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
