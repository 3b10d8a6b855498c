"""URLs of the site: where each page lives, and how links are written under ``base_url``.

Inside villagesite every URL is a *site path* such as ``/villages/shawan/``.
Only when HTML is written are they prefixed with the path of ``base_url``, so
the same build works at a domain's root or under a sub-path.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from .config import SiteConfig
from .kinds import KINDS
from .schema import Kind

RESERVED_SLUGS = frozenset(
    {entry.section for entry in KINDS.values()}
    | {
        "styles",
        "cities",
        "tags",
        "theme",
        "img",
        "data",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "404",
        "en",
        "zh-hant",
        "zh-hans",
    }
)
"""Top-level names that free pages cannot take, since the site uses them."""


def page_path(kind: Kind, slug: str, prefix: str = "") -> str:
    """The site path of a page, by its kind's URL: ``/villages/<slug>/``, ``/<slug>/`` for a free page."""
    return KINDS[kind].page_path(slug, prefix)


def output_file(site_path: str) -> str:
    """The file a site path is written to: ``/a/`` -> ``a/index.html``."""
    rel = site_path.lstrip("/")
    return rel + "index.html" if rel.endswith("/") or rel == "" else rel


def link(config: SiteConfig, site_path: str) -> str:
    """A link that works under ``base_url``: ``/villages/a/`` -> ``/sub/villages/a/``."""
    if site_path.startswith(("http://", "https://", "mailto:", "tel:", "#")):
        return site_path
    path = site_path.lstrip("/")
    # Nearly every path is plain ASCII already; quote() costs 15 us a call and a page has dozens of links.
    return config.base_path + (path if _NEEDS_NO_QUOTING.match(path) else quote(path, safe="/#?=&%:@~+"))


_NEEDS_NO_QUOTING = re.compile(r"[A-Za-z0-9_.\-~/#?=&%:@+]*\Z")


def absolute(config: SiteConfig, site_path: str) -> str:
    """A full URL when ``base_url`` has a host, else the same as :func:`link`."""
    return config.origin + link(config, site_path)
