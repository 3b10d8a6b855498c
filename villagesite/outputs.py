"""Machine-read outputs: ``sitemap.xml``, the Atom feed of stories, ``robots.txt``, ``villages.geojson``.

All of them are derived from content dates, never from the clock, so the same
input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from xml.sax.saxutils import escape, quoteattr

from .editions import Found
from .markdown_html import worded
from .model import Page, Site
from .urls import absolute

FEED_PATH = "/feed.xml"
SITEMAP_PATH = "/sitemap.xml"
GEOJSON_PATH = "/villages.geojson"
PLACES_GEOJSON_PATH = "/places.geojson"
"""The places as GeoJSON points, a layer of the site map (written only when the site has places)."""
CHINA_OFFSET = "+08:00"
"""Dates without a time are taken as midnight in China (UTC+8)."""


def sitemap_xml(sites: Sequence[Site], found: Found, urls: Sequence[Iterable[str]]) -> bytes:
    """A sitemap of the given site paths of each edition; absolute URLs when ``base_url`` names a host.

    With more than one edition, each address lists the page in every edition that has it
    (``xhtml:link`` alternates, and ``x-default``: the content's own), as search engines ask.
    """
    several = len(sites) > 1
    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    if several:
        lines.append(
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">'
        )
    else:
        lines.append('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')
    config = sites[0].config
    alternates: dict[str, str] = {}  # the same for each edition of a page: made once

    def alternates_of(url: str) -> str:
        if url not in alternates:
            links = [
                f'    <xhtml:link rel="alternate" hreflang="{edition.language}" '
                f"href={quoteattr(absolute(config, edition.path(url)))}/>"
                for edition in found.get(url, ())
            ]
            links.append(
                f'    <xhtml:link rel="alternate" hreflang="x-default" href={quoteattr(absolute(config, url))}/>'
            )
            alternates[url] = "\n".join(links) if len(links) > 2 else ""
        return alternates[url]

    for site, paths in zip(sites, urls, strict=True):
        lastmod = {page.url: page.source.common.updated or page.source.common.date for page in site.pages}
        for url in sorted(set(paths)):
            lines.append(f"  <url><loc>{escape(absolute(config, site.edition.path(url)))}</loc>")
            when = lastmod.get(url)
            if when is not None:
                lines.append(f"    <lastmod>{when.isoformat()[:10]}</lastmod>")
            if several and (block := alternates_of(url)):
                lines.append(block)
            lines.append("  </url>")
    lines.append("</urlset>\n")
    return "\n".join(lines).encode("utf-8")


def robots_txt(site: Site) -> bytes:
    text = "User-agent: *\nAllow: /\n"
    if site.config.origin:
        text += f"Sitemap: {absolute(site.config, SITEMAP_PATH)}\n"
    return text.encode("utf-8")


def _timestamp(value: dt.date | None) -> str:
    if value is None:
        return "1970-01-01T00:00:00Z"
    if isinstance(value, dt.datetime):
        return value.isoformat() if value.tzinfo else value.isoformat() + CHINA_OFFSET
    return f"{value.isoformat()}T00:00:00{CHINA_OFFSET}"


def _entry_id(site: Site, page: Page) -> str:
    if site.config.origin:
        return absolute(site.config, site.edition.path(page.url))
    day = page.source.common.date.isoformat() if page.source.common.date else "0000-00-00"
    return f"tag:villagesite,{day}:{site.edition.path(page.url)}"


def atom_feed(site: Site, strings: Mapping[str, str], localize: Callable[[str], str] = str, limit: int = 50) -> bytes:
    """The newest stories of an edition as an Atom feed (their bodies in the words of ``strings``,
    the theme's, their links to the edition's pages by ``localize``)."""
    config = site.config
    where = site.edition.path
    stories = site.stories[:limit]
    newest = max(
        (s.source.common.updated or s.source.common.date for s in stories if s.source.common.date), default=None
    )
    feed_id = (
        absolute(config, where("/")) if config.origin else f"tag:villagesite,2026:{config.base_path}{where('/')[1:]}"
    )
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{config.language}">',
        f"  <title>{escape(config.title)}</title>",
        f"  <id>{escape(feed_id)}</id>",
        f"  <updated>{_timestamp(newest)}</updated>",
        f'  <link rel="alternate" type="text/html" href={quoteattr(absolute(config, where("/")))}/>',
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(absolute(config, where(FEED_PATH)))}/>',
    ]
    for story in stories:
        common = story.source.common
        author = story.source.story.author if story.source.story and story.source.story.author else config.title
        out += [
            "  <entry>",
            f"    <title>{escape(common.title)}</title>",
            f"    <id>{escape(_entry_id(site, story))}</id>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(absolute(config, where(story.url)))}/>',
            f"    <published>{_timestamp(common.date)}</published>",
            f"    <updated>{_timestamp(common.updated or common.date)}</updated>",
            f"    <author><name>{escape(author)}</name></author>",
            f"    <summary>{escape(common.summary or '')}</summary>",
            f'    <content type="html">{escape(worded(localize(story.html), strings))}</content>',
            "  </entry>",
        ]
    out.append("</feed>\n")
    return "\n".join(out).encode("utf-8")


def villages_geojson(site: Site, strings: Mapping[str, str]) -> bytes:
    """Every village as a GeoJSON point (RFC 7946: WGS-84, [lon, lat]), for the maps and anyone's GIS.

    Its style is named in the language of ``strings`` (the theme's).
    """
    features = []
    for page in site.villages:
        village = page.village
        assert village is not None
        properties = {
            "name": page.title,
            "name_en": page.title_en,
            "url": absolute(site.config, site.edition.path(page.url)),
            "kind": village.kind,
            "style": village.style.key,
            "style_name": strings[f"style_{village.style.key}"],
            "ethnic_group": village.ethnic_group,
            "province": village.province,
            "city": village.city,
            "county": village.county,
            "town": village.town,
            "summary": page.summary,
            "tags": list(village.tags),
        }
        features.append(
            {
                "type": "Feature",
                "id": page.slug,
                "geometry": {"type": "Point", "coordinates": [village.location.lon, village.location.lat]},
                "properties": {key: value for key, value in properties.items() if value not in (None, [])},
            }
        )
    collection = {"type": "FeatureCollection", "features": features}
    return (json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def places_geojson(site: Site, strings: Mapping[str, str]) -> bytes | None:
    """Every place as a GeoJSON point with its kind (at its village when it gives no location of its
    own); none when the site has no places.  Kinds are named in the language of ``strings``."""
    features = []
    for page in site.places:
        place = page.place
        assert place is not None
        home = site.village_by_slug.get(place.village or "")
        point = place.location or (home.village.location if home is not None and home.village else None)
        if point is None:
            continue
        properties = {
            "name": page.title,
            "url": absolute(site.config, site.edition.path(page.url)),
            "kind": place.kind,
            "kind_name": strings[f"place_{place.kind}"],
            "village": place.village,
            "village_name": home.title if home is not None else None,
            "price_range": place.price_range,
            "summary": page.summary,
        }
        features.append(
            {
                "type": "Feature",
                "id": page.slug,
                "geometry": {"type": "Point", "coordinates": [point.lon, point.lat]},
                "properties": {key: value for key, value in properties.items() if value not in (None, [])},
            }
        )
    if not features:
        return None
    collection = {"type": "FeatureCollection", "features": features}
    return (json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
