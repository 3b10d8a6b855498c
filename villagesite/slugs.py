"""ASCII slugs for URLs: folder names as written, or toneless pinyin of Chinese titles.

URLs stay ASCII so they survive being pasted into WeChat, SMS and printed QR
signs; pinyin keeps them readable (``逢简村`` -> ``feng-jian-cun``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .readings import pinyin as syllables

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def is_slug(text: str) -> bool:
    return bool(SLUG_PATTERN.match(text))


@lru_cache(maxsize=65536)
def slugify(text: str, separator: str = "-") -> str:
    """Lower-case ASCII words joined by '-'; Chinese characters become toneless pinyin."""
    joined = text if text.isascii() else separator.join(syllables(text))
    ascii_text = unicodedata.normalize("NFKD", joined).encode("ascii", "ignore").decode()
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")


def place_slug(name: str) -> str:
    """Slug of a place name without its administrative suffix: 佛山市 -> foshan.

    Syllables are joined as place names are written in pinyin (Foshan, Kaiping).
    """
    for suffix in ("自治县", "市", "区", "县", "镇"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[: -len(suffix)]
            break
    return slugify(name, separator="")
