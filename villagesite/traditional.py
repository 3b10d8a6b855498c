"""Simplified Chinese to Traditional, as Hong Kong and Macau (or Taiwan) write it, place names kept.

OpenCC (the ``opencc`` package: C++ with wheels for the usual platforms,
Apache-2.0, 2-4 M characters a second) converts character by character and
phrase by phrase.  Its phrase tables do not know Guangdong's place names:
松口镇 would become 鬆口鎮 and 范和村 範和村.  A phrase list fixes those:
the one shipped in ``villagesite/data/traditional-phrases.yaml``, then the
site's own.  Text is cut at each listed phrase; the phrase is written as the
list says and the pieces between are converted by OpenCC.  ``s2hk`` (the
Hong Kong standard) by default, ``s2tw`` as the other choice; never
``s2twp``, which rewrites vocabulary (保存 -> 儲存).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from pathlib import Path

import yaml

VARIANTS = {"hk": "s2hk", "tw": "s2tw"}
"""``traditional.variant`` in site.yaml -> the OpenCC configuration used."""

SHIPPED_PHRASES = Path(__file__).parent / "data" / "traditional-phrases.yaml"


@functools.cache
def shipped_phrases() -> Mapping[str, str]:
    """Guangdong's place names and foods OpenCC gets wrong, as they are written in Traditional."""
    loaded = yaml.safe_load(SHIPPED_PHRASES.read_text(encoding="utf-8"))
    return {str(simplified): str(traditional) for simplified, traditional in loaded.items()}


class Traditional:
    """A converter for one variant and one phrase list; :meth:`convert` is safe to call from threads."""

    def __init__(self, variant: str = "hk", phrases: Mapping[str, str] | None = None) -> None:
        import opencc  # imported here: only sites with a Traditional edition need it

        self.variant = variant
        self._opencc = opencc.OpenCC(VARIANTS[variant])
        self.phrases = {**shipped_phrases(), **(phrases or {})}
        # Longest first, so 干蒸烧卖 is taken whole before 干蒸.
        alternatives = sorted(self.phrases, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, alternatives))) if alternatives else None

    def convert(self, text: str) -> str:
        if not text or text.isascii():
            return text
        pattern, convert = self._pattern, self._opencc.convert
        if pattern is None:
            return convert(text)
        pieces: list[str] = []
        start = 0
        for match in pattern.finditer(text):
            if match.start() > start:
                pieces.append(convert(text[start : match.start()]))
            pieces.append(self.phrases[match.group()])
            start = match.end()
        if start == 0:
            return convert(text)
        if start < len(text):
            pieces.append(convert(text[start:]))
        return "".join(pieces)
