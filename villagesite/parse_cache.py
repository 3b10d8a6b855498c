"""Front matter parsed by an earlier build, reused while the file's stat is unchanged.

Parsing YAML is about a third of reading a page; a ``stat`` tells whether the
file changed.  Values are kept as JSON, with dates tagged so they come back as
dates.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from .frontmatter import FrontMatter
from .yamlfile import YamlDocument

VERSION = 1


class ParseCache:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: dict[str, list[Any]] = {}
        self.used: set[str] = set()
        self.changed = False
        if path is not None:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                if data.get("version") == VERSION:
                    self.entries = dict(data["entries"])
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                pass

    def get(self, rel: str, stat: os.stat_result) -> tuple[FrontMatter, str] | None:
        """The parsed file and its digest, when its size, mtime and inode are as they were."""
        self.used.add(rel)
        entry = self.entries.get(rel)
        if entry is None or entry[0] != [stat.st_size, stat.st_mtime_ns, stat.st_ino]:
            return None
        _, digest, data, lines, first_line, body, body_line = entry
        return FrontMatter(YamlDocument(_decode(data), dict(lines), first_line), body, body_line), digest

    def put(self, rel: str, stat: os.stat_result, parsed: FrontMatter, digest: str) -> None:
        try:
            data = _encode(parsed.meta.data)
        except TypeError:
            return  # a value JSON cannot hold (e.g. !!binary): parse this file every time
        self.entries[rel] = [
            [stat.st_size, stat.st_mtime_ns, stat.st_ino],
            digest,
            data,
            parsed.meta.lines,
            parsed.meta.first_line,
            parsed.body,
            parsed.body_line,
        ]
        self.changed = True

    def save(self) -> None:
        if self.path is None or not (self.changed or set(self.entries) - self.used):
            return
        kept = {rel: entry for rel, entry in self.entries.items() if rel in self.used}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text(json.dumps({"version": VERSION, "entries": kept}, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, self.path)


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise TypeError("non-text keys")
        return {"$map": [[key, _encode(item)] for key, item in value.items()]}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(type(value).__name__)


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if isinstance(value, dict):
        if "$date" in value:
            return dt.date.fromisoformat(value["$date"])
        if "$datetime" in value:
            return dt.datetime.fromisoformat(value["$datetime"])
        return {key: _decode(item) for key, item in value["$map"]}
    return value
