"""Traditional characters folded to Simplified, for the characters a site uses.

A visitor in Hong Kong types 圍龍屋 on a page written 围龙屋; the Traditional edition's index holds
圍龍屋 and a mainland visitor types 围龙屋.  Both sides fold every character to its Simplified form
before anything is compared, with one table: built here from OpenCC's dictionaries (each character
alone, both ways, with the Hong Kong and Taiwan variants), limited to the characters of the site's
indexed text, and shipped to the browser in the index's ``meta.json`` (about 500 pairs, a few KB).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

_SEPARATOR = "\n"
"""Characters are converted one per line: OpenCC's phrase tables never join two of them."""


@functools.cache
def _converter(config: str):  # noqa: ANN202 - opencc has no type hints
    import opencc

    return opencc.OpenCC(config)


def _each(config: str, chars: list[str]) -> list[str]:
    converted = _converter(config).convert(_SEPARATOR.join(chars)).split(_SEPARATOR)
    return converted if len(converted) == len(chars) else chars  # never misaligned


def folding_pairs(chars: Iterable[str]) -> dict[str, str]:
    """Traditional character -> Simplified, for ``chars`` (the Han characters of the indexed text) and
    for the Traditional forms of the Simplified ones among them."""
    chars = sorted(set(chars))
    if not chars:
        return {}
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
