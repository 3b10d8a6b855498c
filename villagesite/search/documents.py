"""What of a page is searched: its main content and its names, never the site's navigation.

Villages, stories, events and free pages are indexed; listings, posters, the 404 page, maps and the
"nearby" blocks are not (they repeat other pages' names and would bury the page a visitor wants).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from ..model import Page, Site
from ..render import format_date
from ..urls import link

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
TEXT_LIMIT = 6000
"""Characters of a page's text kept for the result's snippet (the whole text is indexed)."""


@dataclass(frozen=True, slots=True)
class SearchDocument:
    url: str
    """The page's link as written in the output (base path and edition prefix included)."""
    title: str
    kind: str
    meta: str
    """One line under the result's title: style and city, or the kind and date."""
    names: tuple[str, ...]
    """Names the page is known by, indexed in pinyin too: places, tags, attractions, headings..."""
    text: str
    """The page's own words: summary, body, attractions, specialties, festivals."""


def search_documents(
    site: Site, strings: Mapping[str, str], english: Mapping[str, str], texts: dict[str, str] | None = None
) -> list[SearchDocument]:
    """The indexed pages of one edition, in the site's order; ``strings`` are the theme's words in its
    language, ``english`` in English (a style is found as 客家 and as Hakka in every edition).
    ``texts`` keeps bodies' text by their HTML between builds (the preview's)."""
    kept = texts if texts is not None else {}
    used: dict[str, str] = {}
    config = site.config
    villages = site.village_by_slug
    documents = []
    for page in site.pages:
        names: list[str] = [page.title_en or ""]
        parts: list[str] = [page.summary or "", *_captions(page)]
        meta = ""
        if village := page.village:
            style = strings.get(f"style_{village.style.key}", "")
            names += [
                style,
                english.get(f"style_{village.style.key}", ""),
                strings.get(f"kind_{village.kind}", ""),
                str(village.founded or ""),
                village.city,
                village.county or "",
                village.town or "",
                village.ethnic_group or "",
            ]
            names += village.tags
            names += village.designations
            for items in (village.attractions, village.specialties, village.festivals):
                names += [item.name for item in items]
                parts += [words for item in items for words in (item.name, item.description) if words]
            if village.visit:
                parts += village.visit.texts()
            meta = _line(style, village.city, village.county)
        elif story := page.story:
            names += story.tags
            names += [villages[slug].title for slug in story.villages if slug in villages]
            names.append(story.author or "")
            meta = _line(strings.get("stories"), format_date(page.date, strings))
        elif place := page.place:
            kind = strings.get(f"place_{place.kind}", "")
            homes = [villages[slug].title for slug in place.villages if slug in villages]
            names += [kind, english.get(f"place_{place.kind}", ""), *homes, *place.tags]
            parts += [place.address or "", place.opening_text or "", place.price_range or ""]
            parts += [strings.get(f"payment_{way}", "") for way in place.payment]
            parts += place.languages_spoken
            meta = _line(kind, *homes[:1])
        elif event := page.event:
            if event.village in villages:
                names.append(villages[event.village].title)
            names.append(event.place or "")
            meta = _line(strings.get("events"), format_date(event.start, strings))
        names += [title for _, _, title in page.toc]
        body = used[page.html] = kept.get(page.html) or body_text(page)
        text = " ".join(part for part in (*parts, body) if part)
        documents.append(
            SearchDocument(
                link(config, site.edition.path(page.url)),
                page.title,
                page.kind.value,
                meta,
                tuple(name for name in names if name),
                text,
            )
        )
    if texts is not None:  # only this build's bodies: an edited body's old text is forgotten
        texts.clear()
        texts.update(used)
    return documents


def _line(*parts: str | None) -> str:
    """The facts under a result's title, those there are: ``广府 · 佛山市 · 顺德区``."""
    return " · ".join(part for part in parts if part)


def _captions(page: Page) -> Iterator[str]:
    """The captions of the cover and the gallery: words a visitor reads on the page."""
    gallery = page.village.gallery if page.village else ()
    for image in (page.cover, *gallery):
        if image is not None and image.caption:
            yield image.caption


def body_text(page: Page) -> str:
    """The body's words, without tags, entities decoded, spaces collapsed."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", page.html))).strip()
