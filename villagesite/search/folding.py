"""Traditional characters folded to Simplified: one table for the indexer and the browser.

A visitor in Hong Kong types 圍龍屋 on a page written 围龙屋; the Traditional edition's index holds
围龙屋 too (its text is folded as it is indexed) and a mainland visitor types 围龙屋 there.  Both
sides fold every character to its Simplified form before anything is compared, with one table,
made from OpenCC's dictionaries (each character alone: ``t2s``, and the ``s2t``, ``s2hk`` and
``s2tw`` forms of every Simplified character) and shipped in ``villagesite/data/search-folding.txt``
(``tools/make_search_folding.py`` makes it again; a test checks it against the installed OpenCC).
A build loads it in milliseconds; each edition's ``meta.json`` carries the pairs of the characters
its index holds (a few hundred, a few kB).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..traditional import load_opencc

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "search-folding.txt"
CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
"""The characters the table covers: CJK Unified Ideographs, Extension A and the compatibility ones."""
_SEPARATOR = "\n"
"""Characters are converted one per line: OpenCC's phrase tables never join two of them."""


@functools.cache
def shipped_pairs() -> Mapping[str, str]:
    """Traditional character -> Simplified, as shipped: one pair a line."""
    lines = SHIPPED.read_text(encoding="utf-8").splitlines()
    return {line[0]: line[1] for line in lines if len(line) == 2}


def pairs_for(held: Iterable[str]) -> dict[str, str]:
    """The pairs whose Simplified character is one of ``held`` (the characters of an index)."""
    held = set(held)
    return {traditional: simple for traditional, simple in shipped_pairs().items() if simple in held}


def opencc_pairs(chars: Iterable[str]) -> dict[str, str]:
    """The pairs OpenCC gives for ``chars``: each one's ``t2s`` form, and the Traditional forms of the
    Simplified ones among them (what :data:`SHIPPED` holds, for every CJK character)."""
    chars = sorted(set(chars))
    pairs: dict[str, str] = {}
    simplified = _each("t2s", chars)
    for char, simple in zip(chars, simplified, strict=True):
        if len(simple) == 1 and simple != char:
            pairs[char] = simple
    bases = sorted({simple for simple in simplified if len(simple) == 1})
    for config in ("s2t", "s2hk", "s2tw"):
        for simple, traditional in zip(bases, _each(config, bases), strict=True):
            if len(traditional) == 1 and traditional != simple and traditional not in pairs:
                pairs[traditional] = simple
    return pairs


def all_cjk() -> list[str]:
    return [chr(code) for low, high in CJK_RANGES for code in range(low, high + 1)]


def _each(config: str, chars: list[str]) -> list[str]:
    if not chars:
        return []
    converted = load_opencc(config, "search", "set 'search: false'").convert(_SEPARATOR.join(chars))
    parts = converted.split(_SEPARATOR)
    return parts if len(parts) == len(chars) else chars  # never misaligned
