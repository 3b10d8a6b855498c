"""Structured data (schema.org JSON-LD) for search engines and map apps.

A village is a ``TouristDestination`` and ``Place`` with its coordinates,
address and attractions; its local products are ``Product`` nodes; an event
is an ``Event``.  The builders return plain dicts; :func:`json_ld` turns one
into a ``<script>`` that no content can break out of.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from .fields import GeoPoint
from .listings import listing_title
from .model import Page, Site
from .page_videos import Shown, iso_duration, poster_of
from .schema import ImageRef, VillageFields
from .videos import recognise

CONTEXT = "https://schema.org"
CHINA_OFFSET = "+08:00"

# Inside <script>, "</script>" or "<!--" in a string would end or confuse the element. JSON lets any
# character be written as \uXXXX, so these are escaped and the data reads back unchanged.
_SCRIPT_SAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def json_ld(data: dict[str, Any]) -> Markup:
    """A ``<script type="application/ld+json">`` element holding ``data``, safe against break-out."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for character, escaped in _SCRIPT_SAFE:  # str.translate walks Chinese text in Python's slow path: 45 us a page
        text = text.replace(character, escaped)
    return Markup(f'<script type="application/ld+json">{text}</script>')


@dataclass(frozen=True, slots=True)
class Links:
    """How the builders name things on the web: full URLs of pages and of photo variants."""

    page: Callable[[str], str]
    """Site path -> full URL (a path when ``base_url`` names no host)."""
    image: Callable[[Page, ImageRef], str]
    """A photo of a page -> the full URL of a variant fit for sharing."""
    language: str = "zh-Hans"
    """The edition's language (``inLanguage``)."""
    file: Callable[[str], str] = str
    """A file's site path (a video beside its page) -> its full URL."""


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def geo(point: GeoPoint) -> dict[str, Any]:
    return {"@type": "GeoCoordinates", "latitude": point.lat, "longitude": point.lon}


def address(village: VillageFields, separator: str = "") -> dict[str, Any]:
    """The village's postal address; ``separator`` joins its county and town as the edition writes them
    (the theme's ``place_separator``: nothing in Chinese, a comma in English)."""
    street = separator.join(part for part in (village.county, village.town) if part)
    return _compact(
        {
            "@type": "PostalAddress",
            "addressCountry": "CN",
            "addressRegion": village.province,
            "addressLocality": village.city,
            "streetAddress": street,
        }
    )


def _when(value: dt.date) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat() if value.tzinfo else value.isoformat() + CHINA_OFFSET
    return value.isoformat()


def village_data(page: Page, site: Site, links: Links, strings: Mapping[str, str]) -> dict[str, Any]:
    """The village as a destination, with its attractions, events and products, and a breadcrumb
    (named in the language of ``strings``, the theme's)."""
    village = page.village
    assert village is not None
    url = links.page(page.url)
    place_id = f"{url}#place"
    attractions = [
        _compact(
            {
                "@type": "TouristAttraction",
                "name": attraction.name,
                "description": attraction.description,
                "image": links.image(page, attraction.image) if attraction.image else None,
                "geo": geo(attraction.location) if attraction.location else None,
            }
        )
        for attraction in village.attractions
    ]
    events = [
        _compact(
            {"@type": "Event", "name": event.title, "startDate": _when(event.event.start), "url": links.page(event.url)}
        )
        for event in site.named_by.get(page.url, {}).get("events", ())
        if event.event is not None
    ]
    place = _compact(
        {
            "@type": ["TouristDestination", "Place"],
            "@id": place_id,
            "name": page.title,
            "alternateName": page.title_en,
            "description": page.summary,
            "url": url,
            "image": links.image(page, page.cover) if page.cover else None,
            "geo": geo(village.location),
            "address": address(village, strings["place_separator"]),
            "includesAttraction": attractions,
            "event": events,
            "keywords": ", ".join(village.tags),
        }
    )
    products = [
        _compact(
            {
                "@type": "Product",
                "name": specialty.name,
                "description": specialty.description,
                "image": links.image(page, specialty.image) if specialty.image else None,
                "url": specialty.shop_url,
                "countryOfOrigin": "CN",
                "isRelatedTo": {"@id": place_id},
            }
        )
        for specialty in village.specialties
    ]
    style = next((listing for listing in site.styles if listing.style == village.style), None)
    trail = [(site.config.title, "/")]
    if style is not None:
        trail.append((listing_title(style, strings), style.url))
    trail.append((page.title, page.url))
    breadcrumb = {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": links.page(path)}
            for n, (name, path) in enumerate(trail, start=1)
        ],
    }
    webpage = {
        "@type": "WebPage",
        "@id": url,
        "url": url,
        "name": page.title,
        "inLanguage": links.language,
        "about": {"@id": place_id},
    }
    return {"@context": CONTEXT, "@graph": [webpage, place, *products, breadcrumb]}


def event_data(page: Page, site: Site, links: Links, strings: Mapping[str, str]) -> dict[str, Any]:
    """The event, at its place or its village."""
    event = page.event
    assert event is not None
    village_page = site.village_by_slug.get(event.village)
    village = village_page.village if village_page is not None else None
    point = event.location or (village.location if village else None)
    location = _compact(
        {
            "@type": "Place",
            "name": event.place or (village_page.title if village_page else None),
            "address": address(village, strings["place_separator"]) if village else None,
            "geo": geo(point) if point else None,
            "url": links.page(village_page.url) if village_page else None,
        }
    )
    return _compact(
        {
            "@context": CONTEXT,
            "@type": "Event",
            "name": page.title,
            "description": page.summary,
            "url": links.page(page.url),
            "image": links.image(page, page.cover) if page.cover else None,
            "startDate": _when(event.start),
            "endDate": _when(event.end) if event.end else None,
            "inLanguage": links.language,
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "location": location,
        }
    )


PLACE_TYPES = {
    "homestay": "LodgingBusiness",
    "restaurant": "Restaurant",
    "shop": "Store",
    "workshop": "LocalBusiness",
    "guide": "LocalBusiness",
}
"""schema.org types of places by kind: what Google's local business results read."""
DAY_NAMES = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}
PAYMENT_NAMES = {"wechat": "WeChat Pay", "alipay": "Alipay", "cash": "Cash", "card": "Credit Card"}


def place_data(page: Page, site: Site, links: Links, strings: Mapping[str, str]) -> dict[str, Any]:
    """A local business with its address, coordinates, telephone, hours, prices and payment, contained
    in its village (Google's local business results ask for name and address; geo, telephone,
    openingHoursSpecification, priceRange and url are recommended)."""
    place = page.place
    assert place is not None
    village_page = site.village_by_slug.get(place.village or "")
    village = village_page.village if village_page is not None else None
    point = place.location or (village.location if village else None)
    postal = address(village, strings["place_separator"]) if village else {"@type": "PostalAddress"}
    if place.address:
        postal = {**postal, "streetAddress": place.address}
    hours = [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": [DAY_NAMES[day] for day in spec.days],
            "opens": spec.opens.zfill(5),
            "closes": spec.closes.zfill(5),
        }
        for spec in place.opening_hours
    ]
    return _compact(
        {
            "@context": CONTEXT,
            "@type": PLACE_TYPES[place.kind],
            "@id": links.page(page.url) + "#business",
            "name": page.title,
            "description": page.summary,
            "url": links.page(page.url),
            "image": [links.image(page, page.cover)] if page.cover else None,
            "address": postal,
            "geo": geo(point) if point else None,
            "telephone": place.tel,
            "openingHoursSpecification": hours,
            "priceRange": place.price_range,
            "paymentAccepted": ", ".join(PAYMENT_NAMES[p] for p in place.payment),
            "knowsLanguage": list(place.languages_spoken),
            "containedInPlace": _compact(
                {
                    "@type": ["TouristDestination", "Place"],
                    "@id": links.page(village_page.url) + "#place",
                    "name": village_page.title,
                    "url": links.page(village_page.url),
                }
            )
            if village_page is not None
            else None,
        }
    )


def website_data(site: Site, links: Links) -> dict[str, Any]:
    """The site itself, for the home page."""
    config = site.config
    return _compact(
        {
            "@context": CONTEXT,
            "@type": "WebSite",
            "name": config.title,
            "alternateName": config.title_en,
            "description": config.description,
            "url": links.page("/"),
            "inLanguage": links.language,
        }
    )


def video_data(shown: tuple[Shown, ...], site: Site, links: Links) -> dict[str, Any] | None:
    """Each video a page shows as a ``VideoObject``: what search engines need to list it (its name,
    thumbnail, upload date), with its length, its player or file, and who filmed it."""
    nodes = []
    for item in shown:
        video, page = item.video, item.page
        poster = poster_of(site, item)
        file = site.videos.get(page.url + video.src) if video.src else None
        link = recognise(video.url) if video.url else None
        creator = video.creator
        nodes.append(
            _compact(
                {
                    "@type": "VideoObject",
                    "name": video.title,
                    "description": page.summary or video.title,
                    "thumbnailUrl": links.image(page, poster) if poster else None,
                    "uploadDate": _when(item.date) if item.date else None,
                    "duration": iso_duration(video.duration or (file.duration if file else None)),
                    "embedUrl": link.embed if link else None,
                    "contentUrl": links.file(page.url + video.src) if video.src else None,
                    "url": video.url,
                    "encodingFormat": file.mime if file else None,
                    "creator": _compact({"@type": "Person", "name": creator.name, "url": creator.url})
                    if creator
                    else None,
                    "inLanguage": links.language,
                    "isPartOf": {"@type": "WebPage", "url": links.page(page.url)},
                }
            )
        )
    if not nodes:
        return None
    return {"@context": CONTEXT, "@graph": nodes}
