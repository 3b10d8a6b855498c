"""The body of a page whose front matter has errors, checked all the same.

A page with a mistake in its front matter is not built, so its body never reaches the Markdown stage
where broken photos and links are found; the editor would fix the front matter, run ``check`` again,
and only then meet the body's mistakes.  Here the body is converted on its own, with the pages on disk
standing in for the site's link targets (a folder with an ``index.md``, a free page, a file), so one
``check`` shows every mistake of the page.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from .errors import Problem, Severity
from .markdown_html import render_markdown


class _PagesOnDisk(Mapping[str, str]):
    """Content paths of what is on disk under ``content/``, each its own site path: links resolve to
    something, and a broken link's "did you mean" looks at every page folder."""

    def __init__(self, content_dir: Path) -> None:
        self.content_dir = content_dir
        self._listed: list[str] | None = None

    def __getitem__(self, content_path: str) -> str:
        relative = content_path.strip("/")
        place = self.content_dir / relative
        if content_path == "/" or (place / "index.md").is_file() or (place.is_file() and relative):
            return content_path
        if relative.startswith("pages/") and place.with_suffix(".md").is_file():
            return content_path
        raise KeyError(content_path)

    def __iter__(self) -> Iterator[str]:
        if self._listed is None:
            self._listed = [
                "/" + index.parent.relative_to(self.content_dir).as_posix() + "/"
                for index in sorted(self.content_dir.glob("*/*/index.md"))
            ]
        return iter(self._listed)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def body_problems(
    content_dir: Path, body: str, *, rel_path: str, folder: str, body_line: int, nearby: tuple[str, ...]
) -> list[Problem]:
    """Every photo and link mistake in ``body``, as the Markdown stage would report it."""
    _, problems = render_markdown(
        body,
        rel_path=rel_path,
        folder=folder,
        body_line=body_line,
        targets=_PagesOnDisk(content_dir),
        link=lambda path: path,
        link_severity=Severity.WARNING,
        nearby_files=nearby,
    )
    return problems
