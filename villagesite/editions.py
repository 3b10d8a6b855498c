"""The editions of a site: its content's language at the root, and each of ``languages`` under a prefix.

Every edition has the same pages at the same slugs (``/villages/fengjian/``,
``/zh-hant/villages/fengjian/``, ``/en/villages/fengjian/``).  An edition is
written by translations (``index.en.md``); the Traditional Chinese edition of
a Simplified site is also converted, page by page, where no hand-written
translation (``index.zh-Hant.md``) exists.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from .config import SiteConfig

LOCALES = {"zh-Hans": "zh_CN", "en": "en_GB"}
"""Open Graph locales (language_TERRITORY) by language; Traditional Chinese follows the variant."""


@dataclass(frozen=True, slots=True)
class Edition:
    language: str
    """``zh-Hans``, ``zh-Hant`` or ``en``: the pages' ``lang``, the theme strings' table."""
    prefix: str
    """Where its pages live: '' for the content's language, ``/zh-hant``, ``/en``."""
    converted: bool
    """Pages without a translation are converted from the original (zh-Hant from zh-Hans)."""
    locale: str
    """Its Open Graph locale: ``zh_CN``, ``zh_HK``, ``en_US``."""

    @property
    def original(self) -> bool:
        return not self.prefix

    def path(self, site_path: str) -> str:
        """Where a site path of the edition is published: ``/villages/a/`` -> ``/en/villages/a/``."""
        return self.prefix + site_path


def converts_to_traditional(config: SiteConfig) -> bool:
    """Whether the site publishes a Traditional Chinese edition converted from its Simplified content."""
    return config.language == "zh-Hans" and "zh-Hant" in config.languages


def site_editions(config: SiteConfig) -> tuple[Edition, ...]:
    """The content's own edition first, then the others in the order ``languages`` names them."""
    found = [Edition(config.language, "", False, _locale(config, config.language))]
    for language in config.languages:
        converted = language == "zh-Hant" and converts_to_traditional(config)
        found.append(Edition(language, "/" + language.lower(), converted, _locale(config, language)))
    return tuple(found)


def _locale(config: SiteConfig, language: str) -> str:
    if language == "zh-Hant":
        return "zh_TW" if config.traditional.variant == "tw" else "zh_HK"
    return LOCALES[language]


@dataclass(frozen=True, slots=True)
class Alternate:
    """A page in one edition, as a page of any edition links it (hreflang, the language switch)."""

    edition: Edition
    href: str
    """The link: to the same page in that edition, or (``same_page`` False) to that edition's home."""
    url: str
    """The same as a full URL when ``base_url`` names a host (``hreflang`` wants one)."""
    same_page: bool
    current: bool
    """The edition of the page showing the link."""

    @property
    def language(self) -> str:
        return self.edition.language


Found = Mapping[str, tuple[Edition, ...]]
"""Site path -> the editions that publish it (every page, listing page, index and poster)."""


class Localizer:
    """Links in a body written for the content's own edition, leading to the same edition as the page.

    A body's links to pages of the site are written as the original's
    (``/villages/shawan/``); in the English edition one leads to
    ``/en/villages/shawan/`` when that page is in English, and stays where it
    is (the page in its original language) when it is not: no link leads to a
    missing page.
    """

    def __init__(self, edition: Edition, base_path: str, found: Found) -> None:
        self.edition = edition
        self.found = found
        self.base_path = base_path
        self._href = re.compile('href="' + re.escape(base_path) + '([^"#?]*)')
        self._prefix = base_path + edition.prefix.lstrip("/") + "/"

    def __call__(self, html: str) -> str:
        if not self.edition.prefix or "href=" not in html:
            return html
        return self._href.sub(self._localized, html)

    def _localized(self, match: re.Match[str]) -> str:
        path = match.group(1)
        if self.edition in self.found.get("/" + path, ()):
            return 'href="' + self._prefix + path
        return match.group(0)
