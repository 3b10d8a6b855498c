"""A page's own text as a visitor reads it: what search must find it by.

The text of ``<main>`` without what is about other pages or is not words: navigation, the map and
its navigate links, the share box, and the blocks listing other villages, stories, events and places.
"""

from __future__ import annotations

from html.parser import HTMLParser

OTHER_PAGES = {
    "nearby-heading",
    "stories-heading",
    "events-heading",
    "villages-heading",
    "places-heading",
    "more-heading",
}
NOT_WORDS = {"nav", "script", "style", "svg", "template"}
OTHER_CLASSES = {"share", "location", "map-block"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _OwnText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_main = False
        self.skipping = 0  # depth inside a left-out element
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        if tag == "main":
            self.in_main = True
        found = dict(attrs)
        classes = set((found.get("class") or "").split())
        if self.skipping or tag in NOT_WORDS or found.get("aria-labelledby") in OTHER_PAGES or classes & OTHER_CLASSES:
            self.skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self.skipping:
            self.skipping -= 1
        elif tag == "main":
            self.in_main = False

    def handle_data(self, data: str) -> None:
        if self.in_main and not self.skipping:
            self.parts.append(data)


def own_text(html: str) -> str:
    parser = _OwnText()
    parser.feed(html)
    return " ".join(parser.parts)
