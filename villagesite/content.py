"""Find the files under ``content/`` and read each into a frozen :class:`Source` record.

This stage knows the folder layout of the content model and nothing about
URLs or other pages; every file is read on its own, so the work is cheap to
cache or spread over processes later.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .config import SiteConfig
from .errors import Problem, error, warning
from .fields import FieldReader
from .frontmatter import decode_text, read_text, split_front_matter
from .parallel import map_in_processes
from .schema import (
    KEYS_BY_KIND,
    CommonFields,
    EventFields,
    Kind,
    StoryFields,
    VillageFields,
    read_common,
    read_event,
    read_story,
    read_village,
)
from .yamlfile import parse_yaml

SECTIONS = {"villages": Kind.VILLAGE, "stories": Kind.STORY, "events": Kind.EVENT}
_TRANSLATION = re.compile(r"^index\.([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)*)\.md$")


@dataclass(frozen=True, slots=True)
class Source:
    """One content file, read and checked on its own."""

    rel_path: str
    """Path from the site folder: ``content/villages/fengjian/index.md``."""
    kind: Kind
    language: str
    folder: str
    """The folder as a content path: ``/villages/fengjian/``; for a free page file, ``/pages/``."""
    name: str
    """The folder name or file stem, the slug when it is one."""
    common: CommonFields
    village: VillageFields | None
    story: StoryFields | None
    event: EventFields | None
    extra: Mapping[str, Any]
    body: str
    body_line: int
    bundle_files: tuple[str, ...]
    """Other files in a page bundle (photos), relative to its folder."""
    digest: str
    key_lines: Mapping[str, int]
    """Front-matter key path -> line in the file, for messages from later stages."""

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, 1)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Sources come back from worker processes; a mappingproxy cannot be pickled, a dict can."""
        values = tuple(getattr(self, f.name) for f in fields(self))
        return (_source_from, (tuple(dict(v) if isinstance(v, MappingProxyType) else v for v in values),))


def _source_from(values: tuple[Any, ...]) -> Source:
    return Source(*(MappingProxyType(v) if isinstance(v, dict) else v for v in values))


@dataclass(frozen=True, slots=True)
class ContentSet:
    sources: tuple[Source, ...]
    data: Mapping[str, Any]
    """``content/data/<name>.yaml`` by name, for themes."""
    problems: tuple[Problem, ...] = field(default=())


def is_ignored(name: str) -> bool:
    """Hidden files and editors' temporary files are never content."""
    return name.startswith((".", "~", "#")) or name.endswith(("~", ".swp", ".tmp", ".bak"))


@dataclass(frozen=True, slots=True)
class _Job:
    """One content file to read, found by the walk over content/."""

    path: Path
    kind: Kind
    language: str
    folder: str
    name: str
    bundle: tuple[str, ...]


def load_content(config: SiteConfig) -> ContentSet:
    """Read every content file; problems are collected, not raised.

    The folders are walked first; the files are then read and checked, in
    worker processes on large sites.
    """
    problems: list[Problem] = []
    sources: list[Source] = []
    jobs: list[_Job] = []
    data: dict[str, Any] = {}
    content_dir = config.content_dir
    if not content_dir.is_dir():
        return ContentSet(
            (),
            {},
            (error("content", None, "there is no content/ folder", hint="create content/villages/<name>/index.md"),),
        )
    for entry in sorted(content_dir.iterdir()):
        if is_ignored(entry.name):
            continue
        rel = f"content/{entry.name}"
        if entry.name in SECTIONS and entry.is_dir():
            _find_section(config, entry, SECTIONS[entry.name], jobs, problems)
        elif entry.name == "pages" and entry.is_dir():
            _find_pages(config, entry, jobs, problems)
        elif entry.name == "data" and entry.is_dir():
            _load_data(entry, data, problems)
        else:
            problems.append(
                warning(rel, None, "is not used: content/ holds villages/, stories/, events/, pages/ and data/")
            )

    def read(job: _Job) -> tuple[Source | None, list[Problem]]:
        return load_source(config, job.path, job.kind, job.language, job.folder, job.name, job.bundle)

    for loaded in map_in_processes(read, jobs):
        _append(loaded, sources, problems)
    return ContentSet(tuple(sources), MappingProxyType(data), tuple(problems))


def _find_section(config: SiteConfig, section_dir: Path, kind: Kind, jobs: list[_Job], problems: list[Problem]) -> None:
    for entry in sorted(section_dir.iterdir()):
        if is_ignored(entry.name):
            continue
        rel = f"content/{section_dir.name}/{entry.name}"
        if entry.is_file():
            if entry.suffix == ".md":
                problems.append(
                    error(
                        rel,
                        None,
                        f"a {kind.value} needs a folder of its own",
                        hint=f"move it to content/{section_dir.name}/{entry.stem}/index.md",
                    )
                )
            else:
                problems.append(warning(rel, None, "is not inside a page folder and is not used"))
            continue
        index = entry / "index.md"
        if not index.is_file():
            problems.append(
                error(rel, None, "the folder has no index.md", hint=f"create {rel}/index.md with front matter")
            )
            continue
        bundle = tuple(_bundle_files(config, entry, problems))
        folder = f"/{section_dir.name}/{entry.name}/"
        jobs.append(_Job(index, kind, config.language, folder, entry.name, bundle))
        for translation in sorted(entry.glob("index.*.md")):
            match = _TRANSLATION.match(translation.name)
            if match:
                jobs.append(_Job(translation, kind, match.group(1), folder, entry.name, bundle))


def _find_pages(config: SiteConfig, pages_dir: Path, jobs: list[_Job], problems: list[Problem]) -> None:
    for entry in sorted(pages_dir.iterdir()):
        if is_ignored(entry.name):
            continue
        if entry.is_file() and entry.suffix == ".md":
            stem, _, language = entry.stem.partition(".")
            jobs.append(_Job(entry, Kind.PAGE, language or config.language, "/pages/", stem, ()))
        elif entry.is_dir() and (entry / "index.md").is_file():
            folder = f"/pages/{entry.name}/"
            bundle = tuple(_bundle_files(config, entry, problems))
            jobs.append(_Job(entry / "index.md", Kind.PAGE, config.language, folder, entry.name, bundle))
        else:
            problems.append(
                warning(
                    f"content/pages/{entry.name}",
                    None,
                    "is not used",
                    hint="a free page is content/pages/<name>.md; one with photos is content/pages/<name>/index.md",
                )
            )


def _load_data(data_dir: Path, data: dict[str, Any], problems: list[Problem]) -> None:
    for entry in sorted(data_dir.iterdir()):
        rel = f"content/data/{entry.name}"
        if is_ignored(entry.name):
            continue
        if entry.suffix not in (".yaml", ".yml"):
            problems.append(warning(rel, None, "is not used: data files end in .yaml"))
            continue
        text = read_text(entry, rel)
        parsed = text if isinstance(text, Problem) else parse_yaml(text, rel)
        if isinstance(parsed, Problem):
            problems.append(parsed)
        else:
            data[entry.stem] = parsed.data


def _bundle_files(config: SiteConfig, folder: Path, problems: list[Problem]) -> list[str]:
    """The photos and other files of a page bundle; links that lead out of content/ are refused.

    ``os.scandir`` answers "file or folder?" without a ``stat`` per entry: this
    runs for every page on every build.
    """
    files: list[str] = []
    content_root = config.content_dir.resolve()

    def walk(directory: str, prefix: str) -> None:
        with os.scandir(directory) as scanned:
            entries = sorted(scanned, key=lambda entry: entry.name)
        for entry in entries:
            if is_ignored(entry.name):
                continue
            if entry.is_dir(follow_symlinks=False):
                walk(entry.path, f"{prefix}{entry.name}/")
            elif entry.is_file() and not entry.name.endswith(".md"):
                if entry.is_symlink() and not Path(entry.path).resolve().is_relative_to(content_root):
                    rel = Path(entry.path).relative_to(config.root).as_posix()
                    problems.append(warning(rel, None, "is a link to a file outside content/ and is not published"))
                    continue
                files.append(prefix + entry.name)

    walk(str(folder), "")
    return files


def _append(loaded: tuple[Source | None, list[Problem]], sources: list[Source], problems: list[Problem]) -> None:
    source, found = loaded
    if source is not None:
        sources.append(source)
    problems.extend(found)


def load_source(
    config: SiteConfig, path: Path, kind: Kind, language: str, folder: str, name: str, bundle: tuple[str, ...]
) -> tuple[Source | None, list[Problem]]:
    """Read one file into a Source (None when an error stops it), with every problem found."""
    rel = path.relative_to(config.root).as_posix()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [error(rel, None, f"cannot read the file: {exc.strerror}")]
    text = decode_text(raw, rel)
    if isinstance(text, Problem):
        return None, [text]
    parts = split_front_matter(text, rel)
    if isinstance(parts, Problem):
        return None, [parts]
    if not isinstance(parts.meta.data, dict):
        return None, [error(rel, 2, "the front matter must be fields such as 'title: 逢简村'")]
    problems: list[Problem] = []
    fields = FieldReader(parts.meta.data, parts.meta, rel, problems)
    common = read_common(fields, kind)
    village = read_village(fields, config.province) if kind is Kind.VILLAGE else None
    story = read_story(fields) if kind is Kind.STORY else None
    event = read_event(fields) if kind is Kind.EVENT else None
    extra = fields.extra_fields(KEYS_BY_KIND[kind])
    if any(p.is_error for p in problems):
        return None, problems
    source = Source(
        rel_path=rel,
        kind=kind,
        language=language,
        folder=folder,
        name=name,
        common=common,
        village=village,
        story=story,
        event=event,
        extra=MappingProxyType(extra),
        body=parts.body,
        body_line=parts.body_line,
        bundle_files=bundle,
        digest=hashlib.sha256(raw).hexdigest(),
        key_lines=MappingProxyType(parts.meta.lines),
    )
    return source, problems
