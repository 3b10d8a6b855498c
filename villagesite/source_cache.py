"""Content files read by an earlier build, kept on disk for the next command-line build.

Reading 5,000 villages' front matter costs about a second of CPU; after an
edit to one page, the next ``villagesite build`` would read all of them
again.  This keeps each file's :class:`~villagesite.content.Source` (and the
warnings found reading it) as a line of JSON, with the ``stat`` it was read
at: a file whose ``stat`` is unchanged is taken from here.  Files changed in
the two seconds before a build ends are not kept (their next change may not
move the mtime on a coarse clock), as git treats racily clean files.

JSON, not pickle: the cache folder may be restored from a shared CI cache,
and reading it must not run code.  The cache is dropped whole when the
settings it was read with or the code that reads (these modules' source)
change.  Each line carries the SHA-256 of its JSON, checked before the line
is used: a line changed on disk (one character is enough) is read again from
its file (hashing 10 MB of lines, 5,000 villages, costs about 7 ms).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from . import __version__, i18n
from .config import SiteConfig
from .errors import Problem, Severity, SourceLocation
from .fields import GeoPoint
from .schema import STYLES, Kind, Record, StyleFamily

FORMAT = 2
DIGEST_LENGTH = 32
RACY_NS = 2_000_000_000

Stat = tuple[int, ...]
Loaded = tuple[Any, list[Problem]]  # (Source | None, problems): content.Loaded, without importing content


class SourceCache:
    """Lines of ``path <TAB> stat <TAB> hash <TAB> JSON``, read at start and written back after the build.

    ``read=False`` (``--clean``) reads nothing: the build reads every file and starts the cache again.
    """

    def __init__(self, path: Path, config: SiteConfig, *, read: bool = True) -> None:
        self.path = path
        self.key = _cache_key(config)
        self.lines: dict[str, tuple[Stat, str, str]] = {}
        """Path -> (stat, the hash of the line's JSON, the JSON), as read or as encoded by this build."""
        self.changed = False
        self.hits = 0
        self.found = False
        """Whether the file was there, for these settings and this code.  When it is not (a first or a
        CI build), files are not encoded: only the next build, an incremental one, fills the cache."""
        if not read:
            return
        try:
            with path.open(encoding="utf-8") as file:
                if file.readline().rstrip("\n") != self.key:
                    return
                self.found = True
                for line in file:
                    name, stat, digest, encoded = line.rstrip("\n").split("\t", 3)
                    self.lines[name] = (tuple(int(n) for n in stat.split(",")), digest, encoded)
        except (OSError, ValueError):
            self.lines = {}

    def get(self, path: str, stat: Stat) -> Loaded | None:
        """The file as read before, if its ``stat`` is the same; None when it must be read."""
        kept = self.lines.get(path)
        if kept is None or kept[0] != stat or _digest(kept[2]) != kept[1]:
            return None  # changed, or a line that is not what it was written as
        try:
            loaded = decode(kept[2])
        except (ValueError, KeyError, TypeError, IndexError):
            return None
        self.hits += 1
        return loaded

    def start_empty(self) -> None:
        """No cache was found: this build writes an empty one, for the next build to fill."""
        self.changed = True

    def put(self, path: str, stat: Stat, encoded: str | None) -> None:
        if encoded is None:
            self.lines.pop(path, None)
        else:
            self.lines[path] = (stat, _digest(encoded), encoded)
        self.changed = True

    def keep_only(self, paths: Iterable[str]) -> None:
        """Forget files that are gone."""
        wanted = set(paths)
        gone = [path for path in self.lines if path not in wanted]
        for path in gone:
            del self.lines[path]
        self.changed = self.changed or bool(gone)

    def save(self) -> None:
        if not self.changed:
            return
        recent = time.time_ns() - RACY_NS
        body = "".join(
            f"{path}\t{','.join(map(str, stat))}\t{digest}\t{encoded}\n"
            for path, (stat, digest, encoded) in self.lines.items()
            if stat and stat[0] < recent  # the mtime (a write moves the ctime with it)
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text(f"{self.key}\n{body}", encoding="utf-8")
        os.replace(temporary, self.path)
        self.changed = False


def _digest(encoded: str) -> str:
    return hashlib.sha256(encoded.encode()).hexdigest()[:DIGEST_LENGTH]


def _cache_key(config: SiteConfig) -> str:
    """What a file's reading depends on besides the file: settings, and the code that reads."""
    code = hashlib.sha256()
    for name in _READING_MODULES:
        module = sys.modules.get(f"villagesite.{name}")
        if module is not None and module.__file__:
            code.update(Path(module.__file__).read_bytes())
    settings = json.dumps(
        [str(config.root), config.province, config.language, config.languages, dataclasses.asdict(config.traditional)],
        ensure_ascii=False,
    )
    # Problems are kept in the editor's language: another language reads the files again.
    return f"villagesite-sources {FORMAT} {__version__} {code.hexdigest()[:16]} {i18n.language()} {settings}"


_READING_MODULES = (
    "content",
    "body_check",
    "markdown_html",
    "kinds",
    "schema",
    "fields",
    "yamlfile",
    "yamlcheck",
    "frontmatter",
    "slugs",
    "errors",
    "source_cache",
    "translations",
    "traditional",
)


# -- The codec: JSON with single-key objects as tags ---------------------------------------------


def _record_classes() -> list[type]:
    """Every record a Source may hold: the content model's (each kind's fields and what they hold), found
    as the subclasses of :class:`~villagesite.schema.Record`, so a new kind's records need no list here."""
    found, stack = [], list(Record.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        # ``dataclass(slots=True)`` makes a new class; the one it replaced is a subclass too, but unused.
        if getattr(sys.modules.get(cls.__module__), cls.__qualname__, None) is cls:
            found.append(cls)
    return [*found, GeoPoint, SourceLocation, Problem]


_RECORDS: dict[str, type] = {f"@{cls.__name__}": cls for cls in _record_classes()}


def encode(source: Any, problems: list[Problem]) -> str | None:
    """One file's reading as JSON; None when it holds a value JSON cannot carry back (e.g. bytes)."""
    try:
        return json.dumps([source, problems], default=_default, ensure_ascii=False, check_circular=False)
    except _NotEncodable:
        return None


class _NotEncodable(TypeError):
    pass


def _default(value: Any) -> Any:
    """Records as ``{"@Name": [fields]}``.  Their tuples become lists, made tuples again when read:
    a record never holds a list.  Enums are ``str`` to JSON and made enums again by their record."""
    kind = type(value)
    name = f"@{kind.__name__}"
    if _RECORDS.get(name) is kind:
        return {name: [getattr(value, field) for field in kind.__match_args__]}
    if kind is _source_class():
        fields = [getattr(value, field) for field in kind.__match_args__]
        fields[_source_positions()[1]] = _plain(value.extra)  # what editors wrote: any YAML value, any key
        return {name: fields}
    if kind is dt.date:
        return {"$date": value.isoformat()}
    if kind is dt.datetime:
        return {"$dt": value.isoformat()}
    if kind is StyleFamily:
        return {"$style": value.key}
    if kind is MappingProxyType:
        return dict(value)
    raise _NotEncodable(kind.__name__)


def _plain(value: Any) -> Any:
    """Front-matter data as JSON that reads back the same: lists stay lists, other keys than text are kept."""
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value
    if kind is list:
        return [_plain(item) for item in value]
    if kind is dict or kind is MappingProxyType:
        if all(type(key) is str for key in value) and not (len(value) == 1 and next(iter(value)) in _TAGS):
            return {key: _plain(item) for key, item in value.items()}
        return {"$m": [[_plain(key), _plain(item)] for key, item in value.items()]}
    if kind is dt.date or kind is dt.datetime:
        return value  # tagged by _default
    raise _NotEncodable(kind.__name__)


def decode(encoded: str) -> Loaded:
    source, problems = json.loads(encoded, object_hook=_object)
    return source, problems


def _object(found: dict[str, Any]) -> Any:
    if len(found) == 1:
        for key, value in found.items():
            make = _TAGS.get(key)
            if make is not None:
                return make(value)
    return found


@functools.cache
def _source_positions() -> tuple[int, int]:
    """Where ``kind`` and ``extra`` stand among a Source's fields."""
    names = _source_class().__match_args__
    return names.index("kind"), names.index("extra")


def _source_class() -> type:
    from .content import Source  # content imports this module

    return Source


def _source(values: list[Any]) -> Any:
    kind, _ = _source_positions()
    values[kind] = Kind(values[kind])
    return _source_class()(*(_FIELD_TYPES.get(type(v), _same)(v) for v in values))


def _record(cls: type) -> Callable[[list[Any]], Any]:
    """A record from its fields, with its tuple fields (lists in JSON) made tuples again."""
    tuples = [index for index, field in enumerate(dataclasses.fields(cls)) if str(field.type).startswith("tuple")]
    if not tuples:
        return lambda values: cls(*values)

    def make(values: list[Any]) -> Any:
        for index in tuples:
            if values[index] is not None:  # an optional tuple (an image's focus) left out
                values[index] = tuple(values[index])
        return cls(*values)

    return make


def _problem(values: list[Any]) -> Problem:
    location, message, field, hint, severity = values
    return Problem(location, message, field, hint, Severity(severity))


def _same(value: Any) -> Any:
    return value


_FIELD_TYPES: dict[type, Callable[[Any], Any]] = {list: tuple, dict: MappingProxyType}

_TAGS: Mapping[str, Callable[[Any], Any]] = {
    "$m": lambda pairs: {(tuple(k) if type(k) is list else k): value for k, value in pairs},
    "$date": dt.date.fromisoformat,
    "$dt": dt.datetime.fromisoformat,
    "$style": STYLES.__getitem__,
    "@Source": _source,
    **{name: _record(cls) for name, cls in _RECORDS.items()},
    "@Problem": _problem,
}
