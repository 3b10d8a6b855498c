"""Markdown bodies converted by an earlier build, reused when nothing they depend on changed.

Converting Markdown is the costliest step of a text build (about half a
millisecond a page).  A body's HTML depends on its text, where it is, the
settings that shape links, and the answers to the link lookups it made; the
cache keeps those answers and asks again, so a new or renamed page that a
link now reaches (or no longer reaches) converts the body again.  Kept as
JSON in the cache folder; each entry keeps what came out as a JSON text with
the SHA-256 of its key and that text, checked before the entry is used: an
entry changed on disk is converted again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import markdown
import nh3

from . import i18n
from .config import TraditionalConfig
from .errors import Problem, Severity, SourceLocation
from .markdown_html import BodyImage, RenderedBody, Targets, render_markdown
from .parallel import map_in_processes
from .traditional import converted_body

VERSION = f"6|markdown {markdown.__version__}|nh3 {getattr(nh3, '__version__', '?')}"


def _version() -> str:
    """VERSION and the editor's language: the problems kept with a body are in it."""
    return f"{VERSION}|{i18n.language()}"


@dataclass(frozen=True, slots=True)
class Body:
    """A page body to convert, with what its HTML depends on besides the link targets."""

    rel_path: str
    text: str
    folder: str
    line: int
    nearby_files: tuple[str, ...]
    file_digest: str
    """Hash of the whole file the text is part of: names the text in the cache key (hashing 5,000
    bodies' text again on every build cost 0.1 s)."""
    traditional: TraditionalConfig | None = None
    """Convert the HTML to Traditional Chinese too, with these settings (the site publishes it so)."""


class MarkdownCache:
    """Per page: the key of its inputs, the lookups it made, and what came out."""

    def __init__(self, path: Path | None, *, read: bool = True) -> None:
        """``read=False`` (``--clean``): nothing is read from ``path``, only written to it."""
        self.path = path
        self.entries: dict[str, dict[str, Any]] = {}
        self.used: set[str] = set()
        self._keys: dict[tuple[object, ...], str] = {}
        self._decoded: dict[str, tuple[dict[str, Any], tuple[RenderedBody, list[Problem]] | None]] = {}
        self.changed = False
        self.hits = 0
        if path is not None and read:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if data.get("version") == _version():
                    self.entries = dict(data["entries"])
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                pass

    def begin(self) -> None:
        """Start counting what the next build uses (a long-lived process reuses the cache)."""
        self.used = set()
        self.hits = 0

    def still_used(self, rel_paths: Iterable[str]) -> None:
        """Bodies this build uses as the last one made them, without asking (see
        :mod:`villagesite.reassemble`): their entries are kept when the cache is saved."""
        self.used.update(rel_paths)

    def convert_all(
        self,
        bodies: Sequence[Body],
        *,
        targets: Targets,
        link: Callable[[str], str],
        base_path: str,
        link_severity: Severity,
    ) -> list[tuple[RenderedBody, list[Problem]]]:
        """Each body's HTML: from the cache where nothing it depends on changed, else converted.

        Conversions are spread over worker processes when there are enough of them.
        """
        results: list[tuple[RenderedBody, list[Problem]] | None] = []
        missing: list[tuple[int, Body, str]] = []
        keys: dict[tuple[object, ...], str] = {}
        for index, body in enumerate(bodies):
            # Not the link severity: a body with a broken link is never cached (its hint reads every target).
            inputs = (body.file_digest, body.folder, body.line, base_path, body.nearby_files, _settings(body))
            key = self._keys.get(inputs) or hashlib.sha256(json.dumps(inputs).encode()).hexdigest()
            keys[inputs] = key
            self.used.add(body.rel_path)
            entry = self.entries.get(body.rel_path)
            found = None
            if isinstance(entry, dict) and entry.get("key") == key:
                decoded = self._decoded.get(body.rel_path)
                if decoded is None or decoded[0] is not entry:
                    # Checked once per entry: a long-lived process keeps it in memory after that.
                    decoded = (entry, _decode(entry, body.rel_path))
                    self._decoded[body.rel_path] = decoded  # records are frozen: the next build may share them
                found = decoded[1]
            if found is not None and all(targets.get(q) == a for q, a in found[0].lookups):
                self.hits += 1
                results.append((found[0], list(found[1])))
            else:
                results.append(None)
                missing.append((index, body, key))

        keeps = self.path is not None  # a cache that is never saved (``check``) needs no entries

        def convert(job: tuple[Body, str]) -> tuple[RenderedBody, list[Problem], dict[str, Any] | None]:
            """A body converted, with its cache entry (encoded here, in the worker: JSON of two HTMLs
            for each of 5,000 pages took the main process 0.3 s)."""
            body, key = job
            rendered, problems = render_markdown(
                body.text,
                rel_path=body.rel_path,
                folder=body.folder,
                body_line=body.line,
                targets=targets,
                link=link,
                link_severity=link_severity,
                nearby_files=body.nearby_files,
            )
            if body.traditional is not None:  # here, in the worker, and cached with the HTML
                rendered = replace(rendered, traditional=converted_body(rendered.html, rendered.toc, body.traditional))
            entry = _encode(key, rendered, problems) if keeps and not rendered.read_all_targets else None
            return rendered, problems, entry

        self._keys = keys  # a long-lived process asks again next build, mostly with the same texts
        converted = map_in_processes(convert, [(body, key) for _, body, key in missing])
        for (index, body, _key), (rendered, problems, entry) in zip(missing, converted, strict=True):
            results[index] = (rendered, problems)
            if entry is None:
                self.entries.pop(body.rel_path, None)  # its message depends on every page: convert it every time
            else:
                self.entries[body.rel_path] = entry
                self._decoded[body.rel_path] = (entry, (rendered, list(problems)))  # made here: no check needed
            self.changed = True
        return [result for result in results if result is not None]

    def save(self) -> None:
        """Write what this build used (entries of deleted pages are dropped)."""
        if self.path is None or not (self.changed or set(self.entries) - self.used):
            return
        kept = {rel: entry for rel, entry in sorted(self.entries.items()) if rel in self.used}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text(json.dumps({"version": _version(), "entries": kept}, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, self.path)


def _settings(body: Body) -> tuple[object, ...] | None:
    settings = body.traditional
    return (settings.variant, settings.phrases) if settings else None


def _encode(key: str, rendered: RenderedBody, problems: list[Problem]) -> dict[str, Any]:
    payload = json.dumps(
        {
            "lookups": [list(pair) for pair in rendered.lookups],
            "html": rendered.html,
            "toc": [list(item) for item in rendered.toc],
            "images": [[i.url, i.src, i.line, i.content_path] for i in rendered.images],
            "traditional": [rendered.traditional[0], [list(item) for item in rendered.traditional[1]]]
            if rendered.traditional
            else None,
            "problems": [[p.location.line, p.message, p.field, p.hint, p.severity.value] for p in problems],
        },
        ensure_ascii=False,
    )
    return {"key": key, "sha256": _digest(key, payload), "payload": payload}


def _digest(key: str, payload: str) -> str:
    return hashlib.sha256(f"{key}\n{payload}".encode()).hexdigest()[:32]


def _decode(entry: dict[str, Any], rel_path: str) -> tuple[RenderedBody, list[Problem]] | None:
    """The entry's body and problems; None when it is not what it was written as (changed on disk)."""
    try:
        payload = entry["payload"]
        if not isinstance(payload, str) or _digest(str(entry["key"]), payload) != entry["sha256"]:
            return None
        data = json.loads(payload)
        rendered = RenderedBody(
            str(data["html"]),
            tuple((int(level), str(ident), str(text)) for level, ident, text in data["toc"]),
            tuple(BodyImage(url, src, int(line), content_path) for url, src, line, content_path in data["images"]),
            tuple((str(q), a) for q, a in data["lookups"]),
            traditional=(
                str(data["traditional"][0]),
                tuple((int(level), str(ident), str(text)) for level, ident, text in data["traditional"][1]),
            )
            if data["traditional"]
            else None,
        )
        problems = [
            Problem(SourceLocation(rel_path, line), message, field, hint, Severity(severity))
            for line, message, field, hint, severity in data["problems"]
        ]
    except (KeyError, TypeError, ValueError):
        return None
    return rendered, problems
