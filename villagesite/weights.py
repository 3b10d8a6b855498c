"""What a visitor's phone downloads for a page before any photo, and whether it is over budget.

Visitors come on phones over slow rural networks. A page's weight here is its
HTML plus the stylesheets and scripts it links (uncompressed, as the issue's
budget is stated); photos are lazy and responsive, and a script that a page
loads later by itself (Leaflet, when the map scrolls into view) is not
counted. The build reports the heaviest page of each kind; the build and
``check`` warn about every page over :data:`PAGE_BUDGET`, and the build about
every cover photo whose phone-size variant is over :data:`HERO_BUDGET`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .encode import ImageCache, Processed
from .errors import Problem, warning
from .i18n import _
from .model import Site
from .urls import output_file
from .write import Content, FromFile, Staged, Unchanged

PAGE_BUDGET = 100_000
"""Bytes of HTML + CSS + JS a page may weigh before photos (100 kB, as browsers count)."""
HERO_BUDGET = 150_000
"""Bytes of a cover photo at phone width."""
PHONE_PIXELS = 390 * 2
"""Image pixels across a phone: 390 CSS px at a device pixel ratio of 2 (the srcset picks the next width up)."""
PAGE_KEY = "page"
"""The manifest entry of a rendered output that says its kind, its size and what it links."""

_TAG = re.compile(r"<(link|script)\b([^>]*)>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([a-zA-Z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")


@dataclass(frozen=True, slots=True)
class PageWeight:
    output: str
    """The output file: ``villages/fengjian/index.html``."""
    kind: str
    html: int
    css: int
    js: int

    @property
    def total(self) -> int:
        return self.html + self.css + self.js


def linked_assets(html: str) -> list[str]:
    """The stylesheets and scripts a page makes the browser fetch, as written in the page."""
    found = []
    for tag, text in _TAG.findall(html):
        attributes = {name.lower(): a or b or c for name, a, b, c in _ATTRIBUTE.findall(text)}
        if tag.lower() == "script" and attributes.get("src"):
            found.append(attributes["src"])
        elif tag.lower() == "link" and "stylesheet" in attributes.get("rel", "").split() and attributes.get("href"):
            found.append(attributes["href"])
    return found


def describe_page(kind: str, html: str, size: int) -> str:
    """The manifest entry for a rendered page (kept for pages the next build does not render)."""
    return " ".join([kind, str(size), *linked_assets(html)])


def weigh(
    files: Mapping[str, Content], made_from: Mapping[str, Mapping[str, str]], base_path: str, output: Path | None
) -> list[PageWeight]:
    """Every rendered page's weight, from the manifest entries and the sizes of the files it links."""
    sizes: dict[str, int] = {}

    def size_of(rel: str) -> int:
        if rel not in sizes:
            content = files.get(rel)
            if isinstance(content, bytes):
                sizes[rel] = len(content)
            elif isinstance(content, Staged):
                sizes[rel] = content.size
            elif isinstance(content, FromFile):
                sizes[rel] = _stat_size(str(content.path))
            elif isinstance(content, Unchanged) and output is not None:
                sizes[rel] = _stat_size(os.path.join(output, rel))
            else:
                sizes[rel] = 0  # not ours (another host): not counted
        return sizes[rel]

    weights = []
    for rel, made in sorted(made_from.items()):
        entry = made.get(PAGE_KEY)
        if not entry:
            continue
        kind, size, *links = entry.split(" ")
        css = js = 0
        for href in dict.fromkeys(links):
            if href.startswith(base_path) and "://" not in href:
                linked = size_of(href[len(base_path) :].split("?")[0].split("#")[0])
                if href.split("?")[0].endswith(".css"):
                    css += linked
                else:
                    js += linked
        weights.append(PageWeight(rel, kind, int(size), css, js))
    return weights


def _stat_size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def heaviest_by_kind(weights: list[PageWeight]) -> dict[str, PageWeight]:
    heaviest: dict[str, PageWeight] = {}
    for weight in weights:
        if weight.kind not in heaviest or weight.total > heaviest[weight.kind].total:
            heaviest[weight.kind] = weight
    return heaviest


def kb(size: int) -> str:
    return f"{size / 1000:.0f} kB" if size >= 10_000 else f"{size / 1000:.1f} kB"


def pages_over_budget(weights: list[PageWeight], sites: Sequence[Site]) -> list[Problem]:
    """A warning for each page heavier than :data:`PAGE_BUDGET`, at its content file when it has one."""
    sources = {output_file(site.edition.path(page.url)): page.source.rel_path for site in sites for page in site.pages}
    problems = []
    for weight in weights:
        if weight.total <= PAGE_BUDGET:
            continue
        problems.append(
            warning(
                sources.get(weight.output, f"output/{weight.output}"),
                None,
                # TRANSLATORS: every placeholder is a size, such as "120 kB" or "4.5 kB".
                _(
                    "the page weighs {total} before photos (HTML {html}, CSS {css}, JS {js}); the budget is {budget}",
                    total=kb(weight.total),
                    html=kb(weight.html),
                    css=kb(weight.css),
                    js=kb(weight.js),
                    budget=kb(PAGE_BUDGET),
                ),
                hint=_("phones on slow networks wait for every kB: shorten the page or move parts of it to stories")
                if weight.output in sources
                else _("the theme's CSS and scripts count on every page: trim them"),
            )
        )
    return problems


def heroes_over_budget(site: Site, images: Mapping[str, Processed], cache: ImageCache) -> list[Problem]:
    """A warning for each cover photo whose variant at phone width is heavier than :data:`HERO_BUDGET`."""
    problems = []
    for page in site.pages:
        cover = page.source.common.cover
        processed = images.get(page.url + cover.src) if cover else None
        if cover is None or processed is None:
            continue
        for fmt in processed.asset.formats:
            variant = processed.asset.nearest(PHONE_PIXELS, fmt)
            size = _stat_size(str(cache.variant_path(variant)))
            if size > HERO_BUDGET:
                problems.append(
                    warning(
                        page.source.rel_path,
                        page.source.line_of("cover"),
                        # TRANSLATORS: {width} is in pixels; {format} is an image format (webp, avif, jpeg);
                        # {size} and {budget} are sizes, such as "180 kB".
                        _(
                            "the cover at phone width ({width} px, {format}) weighs {size}; the budget is {budget}",
                            width=variant.width,
                            format=fmt,
                            size=kb(size),
                            budget=kb(HERO_BUDGET),
                        ),
                        field="cover",
                        hint=_("a busy photo compresses badly: crop it, or lower images.quality in site.yaml"),
                    )
                )
                break
    return problems
