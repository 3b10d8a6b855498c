"""Names as HTML with their readings: ``<ruby>`` per character, a second reading below.

One ``<ruby>`` per character, with ``<rp>`` parentheses for browsers without ruby, reads cleanly
in Chromium at about 0.55em; a second system goes below as nested ruby with ``ruby-position:
under`` on the outer one (``rb``/``rtc`` render broken: chinese.md).  Screen readers get the name
once, whole, from a ``visually-hidden`` copy (the theme styles that class), and the ruby is
hidden from them: Chromium names a run of ``<ruby>`` with a space between characters (逢 简 村),
which a voice reads one character at a time, losing the phrase's tones (大埔 dà bù).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from markupsafe import Markup, escape

from . import readings
from .pronounce import GENERATED, Spelled, han_count, han_runs, plain, spell


def ruby(spelled: Spelled, systems: tuple[str, ...]) -> Markup:
    """The name of :func:`villagesite.pronounce.spell` with ``systems`` (one or two) as ruby;
    ``class`` names the system of each row (``say-pinyin``, ``say-jyutping``) for themes."""
    text = "".join(piece.text for piece in spelled)
    parts: list[str] = [
        f'<span class="said-text visually-hidden">{escape(text)}</span><span class="said-ruby" aria-hidden="true">'
    ]
    for piece in spelled:
        if not piece.readings:
            parts.append(str(escape(piece.text)))
            continue
        above = _annotated(str(escape(piece.text)), piece.readings[0], systems[0])
        if len(systems) > 1:
            above = _annotated(above, piece.readings[1], systems[1], outer=True)
        parts.append(above)
    parts.append("</span>")
    return Markup("".join(parts))


def _annotated(base: str, reading: str, system: str, *, outer: bool = False) -> str:
    below = ' class="say-under"' if outer else ""
    return f'<ruby{below}>{base}<rp>(</rp><rt class="say-{system}">{escape(reading)}</rt><rp>)</rp></ruby>'


_LATIN = re.compile("[A-Za-z]")

ORDER: dict[str, tuple[str, ...]] = {
    "zh-Hans": ("pinyin", "jyutping", "teochew", "hakka"),
    "zh-Hant": ("jyutping", "pinyin", "teochew", "hakka"),  # Hong Kong, Macau: Cantonese first
}
"""Each Chinese edition's order of systems, the first above the characters, the next below."""


class Sayer:
    """``say(text, page)`` for templates: a name with how it is said, in the edition's way.

    Pinyin on every name; Jyutping on the names of Cantonese villages' pages and of pages that
    ask (``pronounce: {jyutping: true}``); Teochew and Hakka on a title whose page writes them.
    At most two rows, in the edition's order, of the systems ``site.yaml`` lists.  The English
    edition shows the Chinese name with toneless pinyin after it (an English name is said as
    written)."""

    def __init__(self, language: str, systems: tuple[str, ...], originals: Mapping[Any, Any]) -> None:
        self.language = language
        self.order = tuple(s for s in ORDER.get(language, ORDER["zh-Hans"]) if s in systems)
        self.originals = originals
        self._said: dict[tuple[object, ...], Markup] = {}
        """(text, systems, written) -> its ruby: the same city, county and attraction names are said on
        many pages (a tenth of a village page's rendering, profiled)."""

    def systems(self, page: Any, *, title: bool) -> tuple[tuple[str, ...], Mapping[str, str]]:
        """The systems shown on ``page``'s names, and the readings its title has written."""
        pronounce = page.source.common.pronounce if page is not None else None
        written = dict(pronounce.written) if pronounce is not None and title else {}
        shown = dict(pronounce.shown) if pronounce is not None else {}
        village = page.village if page is not None else None
        cantonese = village is not None and village.style.key == "cantonese"
        chosen = []
        for system in self.order:
            if shown.get(system) is False:
                continue
            if system == "pinyin" or system in written or (system == "jyutping" and (cantonese or shown.get(system))):
                chosen.append(system)
        return tuple(chosen[:2]), written

    def __call__(self, text: str | None, page: Any = None) -> Markup:
        """``text`` (a page's title when it is ``page.title``, or another name on ``page``) as ruby."""
        if not text:
            return Markup("")
        if self.language == "en":
            return self.english(text)
        systems, written = self.systems(page, title=page is not None and text == page.title)
        key = (text, systems, *written.items())
        said = self._said.get(key)
        if said is None:
            if not systems or not han_count(text):
                said = Markup(escape(text))
            else:
                said = ruby(spell(text, systems, written=written), systems)
            self._said[key] = said
        return said

    def english(self, text: str) -> Markup:
        """Chinese text with its toneless pinyin after it, for readers of English."""
        if not han_count(text) or _LATIN.search(text) or "pinyin" not in self.order:
            return Markup(escape(text))  # nothing to say, or said already: "Juji Bridge (巨济桥)"
        said = plain(spell(text, ("pinyin",)), tones=False)
        return Markup('{} <span class="say-plain" lang="zh-Latn-pinyin">{}</span>').format(text, said)

    def original_name(self, page: Any) -> Markup:
        """On an English page, its name as the content writes it, with toneless pinyin: what a
        visitor shows a driver or reads out to ask the way ("" on Chinese pages)."""
        if self.language != "en" or page is None:
            return Markup("")
        original = self.originals.get((page.kind, page.slug))
        if original is None or not han_count(original.title):
            return Markup("")
        said = plain(spell(original.title, ("pinyin",)), tones=False)
        return Markup('<span lang="zh-Hans">{}</span> <span lang="zh-Latn-pinyin">{}</span>').format(
            original.title, said
        )

    def asked(self, pages: Iterable[Any]) -> dict[str, dict[str, None]]:
        """The runs of Chinese characters whose readings ``pages`` show (their titles, a village's
        places and attractions), by the library's system that reads them; what editors wrote is not asked."""
        asked: dict[str, dict[str, None]] = {system: {} for system in GENERATED}
        if self.language == "en":
            return asked  # toneless pinyin of a few names, read as pages render
        for page in pages:
            for name in _names_shown(page):
                if not name:
                    continue
                systems, written = self.systems(page, title=name == page.title)
                for system in systems:
                    if system in asked and system not in written:
                        asked[system].update(dict.fromkeys(han_runs(name)))
        return asked


def read_names(asked: Iterable[Mapping[str, Iterable[str]]]) -> None:
    """Read now the names every edition's pages show said (each :meth:`Sayer.asked`).

    The libraries load in a second or more: called before rendering forks its workers, they load
    once, here, and what they read is kept for the next build (which workers could not do).  One
    child reads the Jyutping of every edition (ToJyutping's trie is built once) while this process
    reads the pinyin; the ruby itself is made by the workers that render."""
    wanted: dict[str, dict[str, None]] = {system: {} for system in GENERATED}
    for runs in asked:
        for system, texts in runs.items():
            wanted[system].update(dict.fromkeys(texts))
    jyutping_read = readings.start_jyutping(wanted["jyutping"]) if wanted["jyutping"] else None
    for run in wanted["pinyin"]:  # meanwhile
        readings.pinyin_marks(run)
    if jyutping_read is not None:
        jyutping_read()


def _names_shown(page: Any) -> list[str]:
    """The names the default theme shows said on a page: its title, a village's places and attractions."""
    village = page.village
    if village is None:
        return [page.title]
    names = [page.title, village.province, village.city, village.county, village.town]
    return names + [attraction.name for attraction in village.attractions]
