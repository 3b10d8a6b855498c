"""How long a page takes to read, counted as Chinese is read: characters, not words.

Hugo divides Chinese by 500 characters a minute and Zola counts each character as a word at 200;
reading for leisure runs nearer 300 characters a minute (Chinese blog themes use 300; reading
aloud is about 255, IReST 2012).  So: Han characters at 300 a minute plus Latin words at 200,
rounded up.  Code, tables (a village's facts), image captions and ruby readings are looked at, not
read, and are not counted.
"""

from __future__ import annotations

import math
import re
from html.parser import HTMLParser

HAN_PER_MINUTE = 300
WORDS_PER_MINUTE = 200

_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_WORD = re.compile(r"[A-Za-z0-9\u00c0-\u024f]+(?:['’.-][A-Za-z0-9\u00c0-\u024f]+)*")
SKIPPED = frozenset({"pre", "code", "table", "figcaption", "rt", "rp", "script", "style", "template", "svg"})
"""Elements whose text is not read as prose."""
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


def minutes(html: str) -> int:
    """Minutes to read the body ``html`` (0 for a body without prose)."""
    han, words = count(html)
    if not han and not words:
        return 0
    return math.ceil(han / HAN_PER_MINUTE + words / WORDS_PER_MINUTE)


def count(html: str) -> tuple[int, int]:
    """(Han characters, Latin words) of the prose in ``html``."""
    reader = _ProseReader()
    reader.feed(html)
    reader.close()
    text = "".join(reader.prose)
    return len(_HAN.findall(text)), len(_WORD.findall(_HAN.sub(" ", text)))


class _ProseReader(HTMLParser):
    """Collects the text outside :data:`SKIPPED` elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.prose: list[str] = []
        self._open: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            self.prose.append(" ")
            return
        self._open.append(tag)
        if tag in SKIPPED:
            self._skipping += 1
        self.prose.append(" ")  # block and inline alike: a word never runs across a tag

    def handle_endtag(self, tag: str) -> None:
        if tag not in self._open:
            return
        while self._open:
            closed = self._open.pop()
            if closed in SKIPPED:
                self._skipping -= 1
            if closed == tag:
                break
        self.prose.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.prose.append(data)
