"""Named online stores: a shop link to Taobao reads "淘宝" on its button, not a bare "buy"."""

from __future__ import annotations

from urllib.parse import urlsplit

STORES = {
    "taobao.com": "taobao",
    "tmall.com": "tmall",
    "jd.com": "jd",
    "douyin.com": "douyin",
    "pinduoduo.com": "pinduoduo",
    "yangkeduo.com": "pinduoduo",
    "weidian.com": "weidian",
}
"""Host (and its subdomains) -> store key; the theme names each ``store_<key>``."""


def store_of(url: str | None) -> str | None:
    """The store a link leads to (``taobao``), or None for a shop's own site."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    for domain, key in STORES.items():
        if host == domain or host.endswith("." + domain):
            return key
    return None
