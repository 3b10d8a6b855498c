"""Find the files under ``content/`` and read each into a frozen :class:`Source` record.

This stage knows the folder layout of the content model and nothing about
URLs or other pages; every file is read on its own, so the work is cheap to
cache or spread over processes later.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from .body_check import body_problems
from .bundle_files import bundle_file_problem
from .config import KNOWN_LANGUAGES, SiteConfig, language_code
from .confine import is_ignored, link_problem, site_files
from .editions import converts_to_traditional
from .errors import Problem, error, warning
from .fields import FieldReader, joined
from .frontmatter import FrontMatter, decode_text, read_text, split_front_matter
from .i18n import _
from .kinds import KINDS, LONE_FILE_SECTIONS, SECTIONS, PageKind, add_kind_properties
from .parallel import map_in_processes
from .schema import CommonFields, Kind, Record, read_common
from .slugs import slugify
from .source_cache import SourceCache, encode
from .traditional import converted_source, converter_for
from .translations import merge, written_by
from .yamlfile import YamlDocument, parse_yaml

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
    fields: Record | None
    """The kind's own fields (see :mod:`villagesite.kinds`); None for a free page."""
    extra: Mapping[str, Any]
    body: str
    body_line: int
    bundle_files: tuple[str, ...]
    """Other files in a page bundle (photos), relative to its folder."""
    digest: str
    """Hash of the whole file."""
    meta_digest: str
    """Hash of the front matter alone: what the site's structure depends on (not the body)."""
    key_lines: Mapping[str, int]
    """Front-matter key path -> line in the file, for messages from later stages."""
    title_slug: str
    """The title in pinyin, the order of pages in lists: made here, in the workers (pinyin is slow)."""
    converted: Source | None = None
    """The page in Traditional Chinese when the site publishes it by conversion: every text but the facts
    converted (see :mod:`villagesite.traditional`), here in the workers, and kept in the content cache."""

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, 1)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Sources come back from worker processes; a mappingproxy cannot be pickled, a dict can."""
        values = tuple(getattr(self, name) for name in self.__match_args__)
        return (_source_from, (tuple(dict(v) if isinstance(v, MappingProxyType) else v for v in values),))


add_kind_properties(Source, lambda source: source)  # source.village, source.story…


def _source_from(values: tuple[Any, ...]) -> Source:
    return Source(*(MappingProxyType(v) if isinstance(v, dict) else v for v in values))


@dataclass(frozen=True, slots=True)
class ContentSet:
    sources: tuple[Source, ...]
    data: Mapping[str, Any]
    """``content/data/<name>.yaml`` by name, for themes."""
    problems: tuple[Problem, ...] = field(default=())


class _Job(NamedTuple):
    """One content file to read, found by the walk over content/.

    A named tuple: the preview looks 5,000 of these up in its memo on every
    rebuild, and a tuple hashes in C where a dataclass hashes in Python.
    """

    path: str
    """A plain string: 5,000 of these are made on every build, and pathlib is slow to make."""
    kind: Kind
    language: str
    folder: str
    name: str
    bundle: tuple[str, ...]
    over: str | None = None
    """For a translation: the original it is read over (``index.md`` beside it)."""


Loaded = tuple[Source | None, list[Problem]]
ParseMemo = dict[_Job, tuple[tuple[int, ...], Loaded]]
"""Files read by an earlier build in this process, with the ``stat`` they were read at."""


ScanMemo = dict[str, tuple[tuple[tuple[str, int], ...], list[str], tuple[str, ...], list[Problem]]]
"""Page folders as an earlier build found them, with the mtime of each folder it listed."""


class Walk(NamedTuple):
    """What a walk over content/ found: the files to read, what is wrong with the folders, the data files."""

    jobs: tuple[_Job, ...]
    problems: tuple[Problem, ...]
    data: dict[str, Any]


@dataclass(eq=False)
class WalkMemo:
    """The preview's last walk over content/, and the files its watcher says a save changed.

    A save that changes only content files the last walk found (a page's Markdown, the commonest
    save) needs no walk and no ``stat`` of every other file: :attr:`told` names them.  The watcher
    may miss an event, so the preview walks again after the browsers reload
    (:func:`walk_missed`) and builds again if it finds what the events did not say."""

    last: Walk | None = None
    told: frozenset[str] | None = None
    """Paths (as a walk spells them) the watcher says changed; None: not known, walk."""
    trusted: bool = False
    """Whether the last load took :attr:`told` for all that changed (then :func:`walk_missed` checks)."""

    def reusable(self) -> Walk | None:
        """The last walk, when every told path is an existing file it found."""
        told, last = self.told, self.last
        if told is None or last is None:
            return None
        found = {job.path for job in last.jobs}
        if not all(path in found and os.path.isfile(path) for path in told):
            return None
        return last


def load_content(
    config: SiteConfig,
    memo: ParseMemo | None = None,
    scans: ScanMemo | None = None,
    cache: SourceCache | None = None,
    walks: WalkMemo | None = None,
) -> ContentSet:
    """Read every content file; problems are collected, not raised.

    The folders are walked first; the files are then read and checked, in
    worker processes on large sites.  With a ``memo`` (the preview server
    keeps one) or a ``cache`` (on disk, for command-line builds), a file
    whose ``stat`` is as it was is not read again; with ``scans``, a page
    folder whose mtime is as it was is not listed again; with ``walks``
    that name the files a save changed, nothing else is walked or looked at.
    """
    walk = walks.reusable() if walks is not None and memo is not None else None
    if walks is not None:
        walks.trusted = walk is not None
    if walk is None:
        found = walk_content(config, scans)
        if isinstance(found, ContentSet):
            return found
        walk = found
        if walks is not None:
            walks.last = walk
    jobs = list(walk.jobs)
    problems = list(walk.problems)
    sources: list[Source] = []

    if converts_to_traditional(config):
        converter_for(config.traditional)  # its dictionaries loaded once, here, not in every worker

    def read(job: _Job) -> Loaded:
        return load_source(
            config,
            Path(job.path),
            job.kind,
            job.language,
            job.folder,
            job.name,
            job.bundle,
            over=Path(job.over) if job.over else None,
        )

    if memo is not None:
        told = walks.told if walks is not None and walks.trusted else None
        loaded = _read_with_memo(read, jobs, memo, told)
    elif cache is not None:
        loaded = _read_with_cache(read, jobs, cache)
    else:
        loaded = map_in_processes(read, jobs)
    for one in loaded:
        _append(one, sources, problems)
    return ContentSet(tuple(sources), MappingProxyType(walk.data), tuple(problems))


def walk_content(config: SiteConfig, scans: ScanMemo | None = None) -> Walk | ContentSet:
    """Walk content/ (and check static/): the files to read; a ContentSet when there is nothing to walk."""
    problems: list[Problem] = []
    jobs: list[_Job] = []
    data: dict[str, Any] = {}
    content_dir = config.content_dir
    root = config.root.resolve()
    if content_dir.is_symlink() and (problem := link_problem(str(content_dir), root, "content")):
        return ContentSet((), {}, (problem,))
    if not content_dir.is_dir():
        return ContentSet(
            (),
            {},
            (
                error(
                    "content",
                    None,
                    _("there is no content/ folder"),
                    hint=_("create content/villages/<name>/index.md"),
                ),
            ),
        )
    for entry in sorted(content_dir.iterdir()):
        if is_ignored(entry.name):
            continue
        rel = f"content/{entry.name}"
        if entry.is_symlink() and (problem := link_problem(str(entry), root, rel)):
            problems.append(problem)
            continue
        if entry.name in SECTIONS and entry.is_dir():
            _find_section(config, entry, SECTIONS[entry.name].kind, jobs, problems, scans)
        elif entry.name in LONE_FILE_SECTIONS and entry.is_dir():
            _find_pages(config, entry, LONE_FILE_SECTIONS[entry.name], jobs, problems)
        elif entry.name == "data" and entry.is_dir():
            _load_data(root, entry, data, problems)
        else:
            problems.append(
                warning(
                    rel,
                    None,
                    _(
                        "is not used: content/ holds villages/, stories/, events/, places/, pages/, cities/, tags/ "
                        "and data/"
                    ),
                )
            )

    # static/ is copied as it is, but only from inside the site: a link out of it is an error here.
    problems.extend(site_files(config.static_dir, root, "static/")[1])
    return Walk(tuple(jobs), tuple(problems), data)


def walk_missed(config: SiteConfig, memo: ParseMemo, scans: ScanMemo | None, walks: WalkMemo) -> bool:
    """Whether a walk now finds what the last load, trusting the watcher, did not look at: another
    file, folder or data file, or a file changed since it was read."""
    last = walks.last
    if last is None:
        return True
    found = walk_content(config, scans)
    if not isinstance(found, Walk) or found != last:
        return True
    return any(memo.get(job, (None,))[0] != _job_stat(job) for job in found.jobs)


def _read_with_memo(
    read: Callable[[_Job], Loaded], jobs: list[_Job], memo: ParseMemo, told: frozenset[str] | None = None
) -> list[Loaded]:
    """Read only the files that are new or whose ``stat`` changed; forget files that are gone.

    With ``told``, only those files (and the translations read over them) are looked at again."""
    if told is None:
        stats = [_job_stat(job) for job in jobs]
    else:
        stats = [_job_stat(job) if job.path in told or job.over in told else memo.get(job, ((),))[0] for job in jobs]
    stale = [job for job, stat in zip(jobs, stats, strict=True) if memo.get(job, (None,))[0] != stat]
    fresh = dict(zip(stale, map_in_processes(read, stale), strict=True))
    loaded = [fresh[job] if job in fresh else memo[job][1] for job in jobs]
    memo.clear()
    memo.update((job, (stat, one)) for job, stat, one in zip(jobs, stats, loaded, strict=True))
    return loaded


def _read_with_cache(read: Callable[[_Job], Loaded], jobs: list[_Job], cache: SourceCache) -> list[Loaded]:
    """Take files whose ``stat`` is unchanged from the cache; read the others, encoding them where read."""
    names = [
        json.dumps([job.path, job.kind.value, job.language, job.folder, job.name, job.bundle, job.over]) for job in jobs
    ]
    stats = [_job_stat(job) for job in jobs]
    loaded: list[Loaded | None] = [
        cache.get(name, stat) if stat else None for name, stat in zip(names, stats, strict=True)
    ]
    stale = [index for index, one in enumerate(loaded) if one is None]
    if not cache.found:
        cache.start_empty()
        for index, one in zip(stale, map_in_processes(read, [jobs[i] for i in stale]), strict=True):
            loaded[index] = one
        return [one for one in loaded if one is not None]

    def read_and_encode(job: _Job) -> tuple[Loaded, str | None]:
        one = read(job)
        return one, encode(*one)

    for index, (one, encoded) in zip(stale, map_in_processes(read_and_encode, [jobs[i] for i in stale]), strict=True):
        loaded[index] = one
        cache.put(names[index], stats[index], encoded)
    cache.keep_only(names)
    return [one for one in loaded if one is not None]


def _job_stat(job: _Job) -> tuple[int, ...]:
    """What a job's file looked like; a translation is read over its original, so it is both files'."""
    own = _stat_key(job.path)
    if job.over is None or not own:
        return own
    original = _stat_key(job.over)
    return own + original if original else ()


def _stat_key(path: str) -> tuple[int, ...]:
    try:
        stat = os.stat(path)
    except OSError:
        return ()
    return (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino)


def _find_section(
    config: SiteConfig,
    section_dir: Path,
    kind: Kind,
    jobs: list[_Job],
    problems: list[Problem],
    scans: ScanMemo | None = None,
) -> None:
    """One ``scandir`` per page folder finds its index, its translations and its photos (this runs on every build)."""
    with os.scandir(section_dir) as scanned:
        entries = sorted(scanned, key=lambda entry: entry.name)
    section = section_dir.name
    root = config.root.resolve()
    for entry in entries:
        if is_ignored(entry.name):
            continue
        rel = f"content/{section}/{entry.name}"
        if entry.is_symlink() and (problem := link_problem(entry.path, root, rel)) is not None:
            problems.append(problem)
            continue
        if not entry.is_dir():
            if entry.name.endswith(".md"):
                problems.append(
                    error(
                        rel,
                        None,
                        _(KINDS[kind].lone_file),
                        hint=_(
                            "move it to content/{section}/{name}/index.md",
                            section=section_dir.name,
                            name=entry.name[:-3],
                        ),
                    )
                )
            else:
                problems.append(warning(rel, None, _("is not inside a page folder and is not used")))
            continue
        markdown, bundle = _scan_page_folder(config, entry.path, problems, scans)
        if "index.md" not in markdown:
            if not any(_TRANSLATION.match(name) for name in markdown):
                problems.append(
                    error(
                        rel,
                        None,
                        _("the folder has no index.md"),
                        # TRANSLATORS: {folder} is the page's folder, such as content/villages/fengjian.
                        hint=_("create {folder}/index.md with front matter", folder=rel),
                    )
                )
            for name in markdown:
                if _TRANSLATION.match(name):
                    problems.append(_orphan(f"{rel}/{name}", f"{rel}/index.md"))
            continue
        folder = f"/{section}/{entry.name}/"
        _page_jobs(config, entry.path, rel, markdown, kind, folder, entry.name, bundle, jobs, problems)


def _find_pages(
    config: SiteConfig, pages_dir: Path, entry_kind: PageKind, jobs: list[_Job], problems: list[Problem]
) -> None:
    """Free pages: ``about.md`` (with ``about.en.md`` beside it), or a folder ``about/index.md`` with photos;
    introductions to a city's or a tag's villages the same way (``cities/foshan.md``)."""
    root = config.root.resolve()
    section = entry_kind.section
    kind = entry_kind.kind
    entries = [entry for entry in sorted(pages_dir.iterdir()) if not is_ignored(entry.name)]
    files = {entry.name for entry in entries if entry.is_file()}
    for entry in entries:
        rel = f"content/{section}/{entry.name}"
        if entry.is_symlink() and (problem := link_problem(str(entry), root, rel)):
            problems.append(problem)
            continue
        if entry.is_file() and entry.suffix == ".md":
            stem, _dot, language = entry.stem.partition(".")
            if language:
                if f"{stem}.md" not in files:
                    problems.append(_orphan(rel, f"content/{section}/{stem}.md"))
                continue  # read with its original, below
            translations = [name for name in files if name.startswith(f"{stem}.") and name.count(".") == 2]
            _page_jobs(
                config, str(pages_dir), rel, [entry.name, *translations], kind, f"/{section}/", stem, (), jobs, problems
            )
        elif entry.is_dir() and (entry / "index.md").is_file():
            folder = f"/{section}/{entry.name}/"
            markdown, bundle = _scan_page_folder(config, str(entry), problems)
            _page_jobs(config, str(entry), rel, markdown, kind, folder, entry.name, bundle, jobs, problems)
        else:
            problems.append(
                warning(
                    rel,
                    None,
                    _("is not used"),
                    hint=_("a free page is content/pages/<name>.md; one with photos is content/pages/<name>/index.md"),
                )
            )


_LONE_FILE_FOLDERS = frozenset(f"/{section}/" for section in LONE_FILE_SECTIONS)


def _page_jobs(
    config: SiteConfig,
    directory: str,
    rel: str,
    markdown: list[str],
    kind: Kind,
    folder: str,
    name: str,
    bundle: tuple[str, ...],
    jobs: list[_Job],
    problems: list[Problem],
) -> None:
    """The jobs of one page: its original, and a job per translation of an edition (the Traditional
    edition's pages without one are converted from the original, see :mod:`villagesite.site`).

    ``markdown`` holds the original's file name first when the page is one file (``about.md``);
    in a page folder it is ``index.md``.
    """
    single = folder in _LONE_FILE_FOLDERS  # one file: about.md, foshan.md
    original_name = markdown[0] if single else "index.md"
    original = f"{directory}/{original_name}"
    base_rel = rel if single else f"{rel}/index.md"
    jobs.append(_Job(original, kind, config.language, folder, name, bundle))
    for file_name in markdown:
        if file_name == original_name:
            continue
        match = _TRANSLATION.match("index." + file_name.split(".", 1)[1] if single else file_name)
        if not match:
            continue
        file_rel = f"content{folder}{file_name}" if single else f"{rel}/{file_name}"
        language = _edition_of(config, file_rel, match.group(1), base_rel, problems)
        if language is not None:
            jobs.append(_Job(f"{directory}/{file_name}", kind, language, folder, name, bundle, over=original))


def _edition_of(config: SiteConfig, rel: str, written: str, original: str, problems: list[Problem]) -> str | None:
    """The edition a translation file is of (``index.en.md`` -> ``en``), or None when it is not published."""
    code, hint = language_code(written)
    if code is None:
        problems.append(
            error(
                rel,
                None,
                # TRANSLATORS: {written} is the language in a translation's file name (index.fr.md: fr).
                _(
                    "'{written}' is not a language villagesite publishes ({languages})",
                    written=written,
                    languages=joined(KNOWN_LANGUAGES),
                ),
                hint=hint or _("a translation is named by its language: index.en.md, index.zh-Hant.md"),
            )
        )
        return None
    if code == config.language:
        problems.append(
            error(
                rel,
                None,
                _("'{written}' is the language the content is written in", written=written),
                # TRANSLATORS: {code} is a language such as zh-Hans; {original} the page's file in it.
                hint=_("the page in {code} is {original}: merge the two", code=code, original=original),
            )
        )
        return None
    if code not in config.languages:
        problems.append(
            warning(
                rel,
                None,
                # TRANSLATORS: {code} is a language such as en; "languages" is a field of site.yaml.
                _(
                    "the {code} translation is not published: site.yaml does not list {code} in languages",
                    code=code,
                ),
                # TRANSLATORS: {languages} is the list to write in site.yaml, such as "zh-Hant, en".
                hint=_("add it: languages: [{languages}]", languages=", ".join([*config.languages, code])),
            )
        )
        return None
    return code


def _orphan(rel: str, original: str) -> Problem:
    return error(
        rel,
        None,
        # TRANSLATORS: {original} is the file of the page it would translate, such as content/pages/about.md.
        _("is a translation beside no page: there is no {original}", original=original),
        hint=_("a translation sits beside the page it translates; rename it, or write the original first"),
    )


def _load_data(root: Path, data_dir: Path, data: dict[str, Any], problems: list[Problem]) -> None:
    for entry in sorted(data_dir.iterdir()):
        rel = f"content/data/{entry.name}"
        if is_ignored(entry.name):
            continue
        if entry.is_symlink() and (problem := link_problem(str(entry), root, rel)):
            problems.append(problem)
            continue
        if entry.suffix not in (".yaml", ".yml"):
            problems.append(warning(rel, None, _("is not used: data files end in .yaml")))
            continue
        text = read_text(entry, rel)
        parsed = text if isinstance(text, Problem) else parse_yaml(text, rel)
        if isinstance(parsed, Problem):
            problems.append(parsed)
        else:
            data[entry.stem] = parsed.data
            problems.extend(parsed.warnings)


def _scan_page_folder(
    config: SiteConfig, folder: str, problems: list[Problem], scans: ScanMemo | None = None
) -> tuple[list[str], tuple[str, ...]]:
    """The Markdown files at the top of a page folder, and its other files (photos), relative to it.

    ``os.scandir`` answers "file or folder?" without a ``stat`` per entry.
    Links that lead out of the site folder, or round in a loop, are refused
    (see :mod:`villagesite.confine`); files a page may not publish are
    reported (see :mod:`villagesite.bundle_files`).  With ``scans``, a
    folder (and each folder below it) whose mtime is unchanged is not
    listed again: a folder's mtime changes whenever an entry is added,
    removed or renamed in it.
    """
    kept = scans.get(folder) if scans is not None else None
    if kept is not None and _unchanged(kept[0]):
        problems.extend(kept[3])
        return kept[1], kept[2]
    markdown: list[str] = []
    files: list[str] = []
    found: list[Problem] = []
    listed: list[tuple[str, int]] = []

    root = config.root.resolve()

    def walk(directory: str, prefix: str) -> None:
        listed.append((directory, os.stat(directory).st_mtime_ns))  # before listing: a change after it shows
        with os.scandir(directory) as scanned:
            entries = sorted(scanned, key=lambda entry: entry.name)
        for entry in entries:
            if is_ignored(entry.name):
                continue
            if entry.is_symlink():
                problem = link_problem(entry.path, root, _site_rel(entry.path, config))
                if problem is not None:
                    found.append(problem)
                    continue
            if entry.is_dir(follow_symlinks=False):
                walk(entry.path, f"{prefix}{entry.name}/")
            elif not entry.is_file():
                continue  # a link to a folder inside the site: its files are published from there
            elif entry.name.endswith(".md"):
                if not prefix:
                    markdown.append(entry.name)
            else:
                problem = bundle_file_problem(entry.name, _site_rel(entry.path, config))
                if problem is not None:
                    found.append(problem)
                files.append(prefix + entry.name)

    walk(folder, "")
    problems.extend(found)
    # A folder changed within the last seconds may change again within its file system's mtime resolution
    # (a second on some): it is listed again next time, as git does with racily clean files.
    if scans is not None and all(mtime < time.time_ns() - RACY_NS for _, mtime in listed):
        scans[folder] = (tuple(listed), markdown, tuple(files), found)
    return markdown, tuple(files)


RACY_NS = 2_000_000_000


def _site_rel(path: str, config: SiteConfig) -> str:
    return Path(path).relative_to(config.root).as_posix()


def _unchanged(listed: tuple[tuple[str, int], ...]) -> bool:
    try:
        return all(os.stat(directory).st_mtime_ns == mtime for directory, mtime in listed)
    except OSError:
        return False


def _append(loaded: tuple[Source | None, list[Problem]], sources: list[Source], problems: list[Problem]) -> None:
    source, found = loaded
    if source is not None:
        sources.append(source)
    problems.extend(found)


def load_source(
    config: SiteConfig,
    path: Path,
    kind: Kind,
    language: str,
    folder: str,
    name: str,
    bundle: tuple[str, ...],
    *,
    over: Path | None = None,
) -> tuple[Source | None, list[Problem]]:
    """Read one file into a Source (None when an error stops it), with every problem found.

    ``over``: the file is a translation, read over that original (see
    :mod:`villagesite.translations`); a problem the original has is reported
    at the original, not again here.
    """
    rel = path.relative_to(config.root).as_posix()
    read = _read_front_matter(path, rel)
    if isinstance(read, Problem):
        return None, [read]
    raw, text, parts = read
    if not isinstance(parts.meta.data, dict):
        return None, [error(rel, 2, _("the front matter must be fields such as 'title: 逢简村'"))]
    entry = KINDS[kind]
    problems: list[Problem] = []
    data, doc = parts.meta.data, parts.meta
    digest = hashlib.sha256(raw).hexdigest()
    meta_digest = hashlib.sha256(text[: len(text) - len(parts.body)].encode()).hexdigest()
    if over is not None:
        original_rel = over.relative_to(config.root).as_posix()
        original = _read_front_matter(over, original_rel)
        if isinstance(original, Problem) or not isinstance(original[2].meta.data, dict):
            return None, problems  # the original's own problem is reported where it is read
        data = merge(original[2].meta, doc, entry.facts, rel_path=rel, original_path=original_rel, problems=problems)
        doc = YamlDocument(data, {**original[2].meta.lines, **doc.lines}, doc.first_line)
        digest = hashlib.sha256(original[0] + raw).hexdigest()
        meta_digest = hashlib.sha256(
            f"{original[1][: len(original[1]) - len(original[2].body)]}{meta_digest}".encode()
        ).hexdigest()
    found: list[Problem] = [*parts.meta.warnings]  # Chinese quotes, full-width commas: read, and said
    fields = FieldReader(data, doc, rel, found)
    common = read_common(
        fields,
        summary_required=entry.summary_required,
        date_required=entry.date_required,
        title_required=entry.title_required,
        videos="videos" in entry.keys,
    )
    own = entry.read(fields, config) if entry.read is not None else None
    extra = fields.extra_fields(entry.keys)
    if over is not None:
        found = [problem for problem in found if written_by(parts.meta, problem)]
    problems.extend(found)
    if any(p.is_error for p in problems):
        if over is None:  # the body's own mistakes, shown now rather than after the front matter is fixed
            problems += body_problems(
                config.content_dir, parts.body, rel_path=rel, folder=folder, body_line=parts.body_line, nearby=bundle
            )
        return None, problems
    body = _without_control_characters(parts.body, rel, parts.body_line, problems)
    source = Source(
        rel_path=rel,
        kind=kind,
        language=language,
        folder=folder,
        name=name,
        common=common,
        fields=own,
        extra=MappingProxyType(extra),
        body=body,
        body_line=parts.body_line,
        bundle_files=bundle,
        digest=digest,
        meta_digest=meta_digest,
        key_lines=MappingProxyType(doc.lines),
        title_slug=slugify(common.title),
    )
    if language == config.language and converts_to_traditional(config):
        source = replace(source, converted=converted_source(source, entry.facts, config.traditional))
    return source, problems


def _read_front_matter(path: Path, rel: str) -> tuple[bytes, str, FrontMatter] | Problem:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        # TRANSLATORS: {reason} is the system's own words, such as "Permission denied".
        return error(rel, None, _("cannot read the file: {reason}", reason=exc.strerror))
    text = decode_text(raw, rel)
    if isinstance(text, Problem):
        return text
    parts = split_front_matter(text, rel)
    if isinstance(parts, Problem):
        return parts
    return raw, text, parts


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Characters that are not text (C0 but tab and line ends, DEL, C1): HTML forbids them in a page."""


def _without_control_characters(body: str, rel: str, first_line: int, problems: list[Problem]) -> str:
    """The body with control characters left out, each line that held one named in a warning.

    One regular-expression search per body (in C) when there are none, as in nearly every page.
    """
    if _CONTROL.search(body) is None:
        return body
    for number, line in enumerate(body.split("\n")):
        found = _CONTROL.search(line)
        if found:
            problems.append(
                warning(
                    rel,
                    first_line + number,
                    # TRANSLATORS: {code} is a character's code, such as U+001B.
                    _(
                        "a control character {code} that is not text was left out",
                        code="U+" + format(ord(found.group()), "04X"),
                    ),
                    field="body",
                    hint=_("it often comes with text pasted from another program; delete it to silence this"),
                )
            )
    return _CONTROL.sub("", body)
