"""A link checker over a built site, as a host would serve it under its base path."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("href", "src"):
            if values.get(name):
                self.urls.append(values[name] or "")
        if values.get("srcset"):
            self.urls += [part.strip().split(" ")[0] for part in (values["srcset"] or "").split(",")]
        if values.get("id"):
            self.ids.add(values["id"] or "")


def served_file(output: Path, base_path: str, url: str) -> Path | None:
    """The file a static host would serve for ``url``, or None when it is outside the site."""
    path = unquote(urlsplit(url).path)
    if not path.startswith(base_path):
        return None
    rel = path[len(base_path) :]
    target = output / rel
    return target / "index.html" if rel == "" or rel.endswith("/") else target


def broken_links(output: Path, base_path: str) -> list[str]:
    """Every internal href/src in every HTML page that leads to no file (or no #id on it)."""
    broken: list[str] = []
    pages = sorted(output.rglob("*.html"))
    parsed: dict[Path, _Links] = {}
    for page in pages:
        links = _Links()
        links.feed(page.read_text(encoding="utf-8"))
        parsed[page] = links
    for page, links in parsed.items():
        for url in links.urls:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or url.startswith(("mailto:", "tel:")):
                continue
            if not parts.path:  # #fragment on the same page
                if parts.fragment and unquote(parts.fragment) not in links.ids:
                    broken.append(f"{page.relative_to(output)}: {url}")
                continue
            target = served_file(output, base_path, url)
            if target is None or not target.is_file():
                broken.append(f"{page.relative_to(output)}: {url}")
    return broken
