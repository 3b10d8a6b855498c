"""The terms a text is indexed under, and the shard each term is kept in.

The browser client (``search.js`` in the default theme) folds a query and cuts it into terms by the same
rules; a change here is a change there, and ``tests/test_search.py`` runs both on the same words.

- **Folding**: compatibility forms (full-width Ｈａｋｋａ), accents (féngjiǎn), case, and Traditional
  characters (the table of :mod:`.folding`) are folded away, on both sides.
- **Chinese**: every character and every pair of adjacent characters.
- **Latin letters and digits**: each word; the client matches a query word as a prefix.
- **Pinyin of names**: from each syllable of a name to its end, whole (``fengjiancun``, ``jiancun``)
  and as initials (``fjc``, ``jc``); with prefix matching in the client, any run of syllables matches.
"""

from __future__ import annotations

import functools
import hashlib
import operator
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping

from ..readings import pinyin as pinyin_of
from .folding import shipped_pairs

TITLE, NAME, BODY = 3, 2, 1
"""Where a term was found, the weight of a match there: a page's title, one of its names, its text."""

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_WORD = re.compile("[a-z0-9]+")
_NOT_HAN = re.compile(f"[^{HAN}]+")
_HAN_RUN = re.compile(f"[{HAN}]+")
_MARKS = re.compile("[\u0300-\u036f]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
MAX_WORD = 40
"""Longer runs of letters or digits (hashes, pasted links) are not words anyone types."""
MAX_SYLLABLES = 12
"""A name longer than this is a sentence: its pinyin is not indexed."""


class Folding:
    """Text as it is indexed and searched: NFKD, accents removed, lower case, Traditional characters
    folded to Simplified by ``pairs`` (see :mod:`.folding`)."""

    def __init__(self, pairs: Mapping[str, str]) -> None:
        self.table = {ord(traditional): simple for traditional, simple in pairs.items()}
        self.digest = hashlib.sha256(repr(sorted(pairs.items())).encode()).hexdigest()[:16]
        """Names the table: terms kept on disk were folded with it (see :mod:`.kept`)."""
        # Most text has no Traditional character: a scan in C is cheaper than translate()'s lookup per
        # character.  Characters of the basic plane only: a class with one beyond it is tested against a
        # list, character by character (0.6 s against 0.04 s for 7 M characters); text with any character
        # beyond the basic plane (rare: CJK extensions) is simply translated.
        basic = "".join(re.escape(char) for char in pairs if ord(char) <= 0xFFFF)
        self._any = re.compile(f"[{basic}]").search if basic else None

    def __call__(self, text: str) -> str:
        text = _MARKS.sub("", unicodedata.normalize("NFKD", text)).lower()
        if (self._any and self._any(text)) or _ASTRAL.search(text):
            return text.translate(self.table)
        return text


@functools.cache
def shipped_folding() -> Folding:
    """The folding of every build: the shipped table (see :mod:`.folding`), its pattern compiled once."""
    return Folding(shipped_pairs())


def text_terms(folded: str) -> set[str]:
    """The terms of folded text: each Chinese character and pair of characters, each word.

    Whole-text operations in C rather than a loop per run of characters: everything but Chinese
    becomes a space, the pairs are zipped from the text and its shift, and pairs with a space dropped.
    """
    terms = {word for word in _WORD.findall(folded) if len(word) <= MAX_WORD}
    han = _NOT_HAN.sub(" ", folded)
    terms.update(han)
    terms.discard(" ")
    terms.update(filter(str.isalpha, map(operator.add, han, han[1:])))
    return terms


@functools.lru_cache(maxsize=65536)
def name_terms(folded: str) -> tuple[str, ...]:
    """A folded name's terms: its text terms, and its pinyin from each syllable on, whole and as initials.

    Cached: a city, a style or a tag is the name of many pages.
    """
    terms = text_terms(folded)
    for run in _HAN_RUN.findall(folded):
        syllables = pinyin_of(run, errors="ignore")
        if len(syllables) > MAX_SYLLABLES:
            continue
        for start in range(len(syllables)):
            rest = syllables[start:]
            whole = "".join(rest)
            if len(whole) >= 2:
                terms.add(whole)
            if len(rest) >= 2:
                terms.add("".join(s[0] for s in rest))
    return tuple(terms)


def document_terms(title: str, names: Iterable[str], text: str, fold: Callable[[str], str]) -> dict[str, int]:
    """Every term of a page with the weight of its best place: title, then names, then text."""
    terms = dict.fromkeys(text_terms(fold(text)), BODY)
    for name in names:
        terms.update(dict.fromkeys(name_terms(fold(name)), NAME))
    terms.update(dict.fromkeys(name_terms(fold(title)), TITLE))
    return terms


def shard_of(term: str, shards: int) -> int:
    """The shard a term is kept in: FNV-1a of its first character (Chinese) or first two (letters), so
    that every word with the same first two letters is in one shard, where a prefix finds them all."""
    key = term[0] if term[0] >= "\u3400" else term[:2]
    value = 0x811C9DC5
    for char in key:
        value = ((value ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return value % shards
