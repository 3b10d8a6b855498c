"""Responsive image markup: ``<picture>`` with a source per format, sizes, and a placeholder.

One function makes the markup for any photo, for templates (``picture()``)
and for images in Markdown bodies alike, so every image on the site loads the
same way: the right width in the best format the browser knows, no layout
shift, lazy unless it is the page's hero.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from html import escape, unescape

from markupsafe import Markup

from .encode import Processed

BODY_SIZES = "(min-width: 60rem) 58rem, 100vw"
"""Body images span the text column (``.wrap``, 60rem less padding)."""

Link = Callable[[str], str]


def picture_html(
    image: Processed,
    *,
    alt: str,
    link: Link,
    sizes: str = BODY_SIZES,
    hero: bool = False,
    caption: str | None = None,
    css_class: str | None = None,
    focus: tuple[float, float] | None = None,
) -> Markup:
    """The markup for one photo; a ``<figure>`` when it has a caption; ``focus`` (percent from left and top)
    is the point a crop by CSS (``object-fit: cover``) keeps in view."""
    asset = image.asset
    sources = []
    for fmt in asset.formats[:-1]:
        srcset = ", ".join(f"{link(v.url)} {v.width}w" for v in asset.of_format(fmt))
        sources.append(
            f'<source type="{asset.of_format(fmt)[0].mime}" srcset="{escape(srcset)}" sizes="{escape(sizes)}">'
        )
    fallback = asset.of_format(asset.fallback)
    largest = max(fallback, key=lambda v: v.width)
    default = asset.nearest(960)
    attributes = [
        f'src="{escape(link(default.url))}"',
        f'srcset="{escape(", ".join(f"{link(v.url)} {v.width}w" for v in fallback))}"',
        f'sizes="{escape(sizes)}"',
        f'width="{largest.width}" height="{largest.height}"',
        f'alt="{escape(alt)}"',
        'fetchpriority="high" decoding="async"' if hero else 'loading="lazy" decoding="async"',
    ]
    styles = [f"object-position:{focus[0]:g}% {focus[1]:g}%"] if focus else []
    if image.placeholder:
        styles.append(f"background-size:cover;background-image:url({image.placeholder})")
    if styles:
        attributes.append(f'style="{";".join(styles)}"')
    if css_class:
        attributes.insert(0, f'class="{escape(css_class)}"')
    html = f"<picture>{''.join(sources)}<img {' '.join(attributes)}></picture>"
    if caption:
        html = f"<figure>{html}<figcaption>{escape(caption)}</figcaption></figure>"
    return Markup(html)


_PARAGRAPH_IMAGE = re.compile(r"<p>\s*(<img [^>]*>)\s*</p>")
_IMAGE = re.compile(r"<img [^>]*>")
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')
_HREF = re.compile(r'href="([^"]*)"')


def responsive_body(html: str, images: Mapping[str, Processed], link: Link) -> str:
    """Replace ``<img>`` of photos in a rendered body with picture markup.

    An image alone in a paragraph becomes a figure (its Markdown title is the
    caption); one inside text stays inline.  A link to a photo's original leads
    to its largest variant, since originals (with their GPS) are not published.
    """

    def replace(match: re.Match[str], block: bool) -> str:
        attributes = {name: unescape(value) for name, value in _ATTRIBUTE.findall(match.group(1 if block else 0))}
        image = images.get(attributes.get("src", ""))
        if image is None:
            return match.group(0)
        alt = attributes.get("alt", "")
        caption = attributes.get("title") if block else None
        return str(picture_html(image, alt="" if alt == '""' else alt, link=link, caption=caption))

    html = _PARAGRAPH_IMAGE.sub(lambda m: replace(m, True), html)
    html = _IMAGE.sub(lambda m: replace(m, False), html)

    def relink(match: re.Match[str]) -> str:
        image = images.get(unescape(match.group(1)))
        if image is None:
            return match.group(0)
        largest = max(image.asset.of_format(image.asset.fallback), key=lambda v: v.width)
        return f'href="{escape(link(largest.url))}"'

    return _HREF.sub(relink, html)
