"""What a long-lived process keeps between builds, so the next build redoes only what changed.

The preview server builds again on every save.  A build from the command line
starts from the caches on disk (:class:`~villagesite.caches.DiskCaches`); a
:class:`BuildMemory` is the other implementation of the same
:class:`~villagesite.caches.Caches`, and keeps, in memory:

- every content file as parsed, with the ``stat`` it was read at (a file
  whose ``stat`` is unchanged is not read again), and every page folder as
  listed, with its mtime;
- the Markdown cache and the photo index, without reading or writing their
  JSON on every build;
- the last manifest of the output;
- the compiled templates (Jinja bytecode), checked against each template's source;
- the outputs made from the site's structure alone, until it changes.

Nothing here changes what a build produces: the same dependency checks run,
and a test compares builds with and without memory.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from . import readings
from .caches import READINGS_FILE, Caches, ContentKeep, cache_dir, writing_cache
from .config import SiteConfig
from .content import ParseMemo, ScanMemo, WalkMemo, walk_missed
from .deps import RecordingEnvironment, changed_bodies
from .encode import ImageCache
from .images import ImageAsset, SourceIndex
from .manifest import Manifest, load_manifest, manifest_path, save_manifest
from .markdown_cache import MarkdownCache
from .model import Photo
from .plan import Plan
from .reassemble import AssemblyMemory
from .report import BuildReport
from .search.index import IndexMemory
from .template_cache import CompiledTemplates
from .themes import ThemeChain, make_environment
from .traditional import Conversions
from .write import Content, Unchanged, WriteReport, write_output


@dataclass(eq=False)
class BuildMemory(Caches):
    """Caches of one process; :meth:`flush` writes the on-disk ones back."""

    parsed: ParseMemo = field(default_factory=dict)
    scans: ScanMemo = field(default_factory=dict)
    walks: WalkMemo = field(default_factory=WalkMemo)
    """The last walk over content/, and the files the watcher says the save changed."""
    settings: str | None = None
    """The settings the parsed files were read with: front matter is read against them."""
    markdown_cache: MarkdownCache | None = None
    photos: SourceIndex | None = None
    manifest: Manifest | None = None
    manifest_of: Path | None = None
    """The output folder :attr:`manifest` describes."""
    unsaved_manifest: tuple[Path, Manifest] | None = None
    compiled: CompiledTemplates = field(default_factory=lambda: CompiledTemplates())
    by_structure: dict[str, tuple[str, bytes | None]] = field(default_factory=dict)
    """Outputs made from the site's structure alone (sitemap, map data, calendar), with its fingerprint."""
    assembled: AssemblyMemory = field(default_factory=AssemblyMemory)
    """The last site assembled: a save that changes only bodies puts their pages in it."""
    bodies: tuple[Mapping[str, str], ...] | None = None
    """Each edition's body fingerprints by page, as the build that made :attr:`manifest` saw them."""
    pending_bodies: tuple[Mapping[str, str], ...] | None = None
    chain: ThemeChain | None = None
    """The theme chain of the last build, for :meth:`compile_templates`."""
    plan: tuple[str, Plan] | None = None
    """The last plan of the outputs, with the structure it was made from."""
    converted: Conversions = field(default_factory=lambda: Conversions())
    """Bodies converted to Traditional Chinese, by the HTML they were converted from."""
    indexed: dict[str, IndexMemory] = field(default_factory=dict)
    """Each edition's search index as the last build made it, by language."""
    index_after_reload: bool = False
    """Whether a rebuild leaves its search index for :meth:`index_now` (the preview's, after the reload)."""
    later_index: tuple[Callable[[], dict[str, Content]], tuple[str, ...]] | None = None
    """The index the last successful build left for :meth:`index_now`."""
    pending_index: tuple[Callable[[], dict[str, Content]], tuple[str, ...]] | None = None
    """The index of the build under way: it becomes :attr:`later_index` only if the build succeeds."""
    builds: int = 0
    root: Path = field(default_factory=lambda: Path(os.devnull))
    weighs_everything = False  # the terminal warns about what a save changed, not about every page
    lazy_photos: bool = False
    pending_photos: Callable[[list[tuple[ImageAsset, Photo]]], None] | None = None
    """Told the photos a build left pending (the preview encodes them)."""

    def photos_pending(self, photos: list[tuple[ImageAsset, Photo]]) -> None:
        if self.pending_photos is not None:
            self.pending_photos(photos)

    def unchanged(self, config: SiteConfig, output: Path, *, drafts: bool) -> BuildReport | None:
        """Never: this process builds when it saw a change.  A command-line build must not take this
        output for unchanged on the report of an older build, so that report goes."""
        self.root = cache_dir(config)
        self.pending_index = None  # a build that failed after indexing left one: its pages were not written
        self.pending_bodies = None
        with writing_cache(self.root):
            manifest_path(self.root, output).with_suffix(".report.json").unlink(missing_ok=True)
        return None

    def content(self, config: SiteConfig) -> ContentKeep:
        if self.builds == 0:
            readings.remember(cache_dir(config) / READINGS_FILE)
        return self.parse_memo(config), self.scans, None, self.walks

    def parse_memo(self, config: SiteConfig) -> ParseMemo:
        """The parsed files, forgotten when the settings they were read with change."""
        fingerprint = config.fingerprint()
        if fingerprint != self.settings:
            self.parsed.clear()
            self.scans.clear()
            self.walks.last = None  # which files are content depends on the settings (languages)
            self.settings = fingerprint
        return self.parsed

    def walk_missed(self, config: SiteConfig) -> bool:
        """Whether a walk now finds a change the last load, trusting the watcher, did not look at (see
        :class:`villagesite.content.WalkMemo`; the preview asks after a build that trusted it)."""
        return walk_missed(config, self.parse_memo(config), self.scans, self.walks)

    def photo_index(self, root: Path) -> SourceIndex:
        if self.photos is None:
            self.photos = SourceIndex(root / "sources.json")
        return self.photos

    def markdown(self, root: Path) -> MarkdownCache:
        if self.markdown_cache is None:
            self.markdown_cache = MarkdownCache(root / "markdown.json")
        self.markdown_cache.begin()
        return self.markdown_cache

    def assembly(self) -> AssemblyMemory:
        return self.assembled

    def conversions(self) -> Conversions:
        self.converted.begin()
        return self.converted

    def search_memory(self, language: str) -> IndexMemory:
        return self.indexed.setdefault(language, IndexMemory())

    def index_later(self, make: Callable[[], dict[str, Content]], folders: tuple[str, ...]) -> bool:
        """After the first build, when asked: the index changes with any page's words, and making it
        took 0.7 s of each save at 5,000 villages, before the browser could reload."""
        if not self.index_after_reload or not self.builds:
            return False
        self.pending_index = (make, folders)
        return True

    def index_now(self) -> WriteReport | None:
        """Make and write the search index the last build left for now, if any.

        The output keeps every other file as the build wrote it; index files no longer made (fewer
        shards, a page gone) go.  Only the index changes, in one commit of its own."""
        later, self.later_index = self.later_index, None
        if later is None or self.manifest is None or self.manifest_of is None:
            return None
        make, folders = later
        manifest = self.manifest
        files: dict[str, Content] = {rel: Unchanged() for rel in manifest.files if not rel.startswith(folders)}
        files.update(make())
        path = manifest_path(self.root, self.manifest_of)
        save = self.save_manifest_later
        written = write_output(self.manifest_of, files, path, previous=manifest, deps=manifest.deps, save=save)
        if written.manifest is not None:
            self.manifest = written.manifest
        return written

    def made_from_structure(self, rel: str, structure: str) -> tuple[bytes | None] | None:
        kept = self.by_structure.get(rel)
        return (kept[1],) if kept is not None and kept[0] == structure else None

    def keep_made_from_structure(self, rel: str, structure: str, made: bytes | None) -> None:
        self.by_structure[rel] = (structure, made)

    def plan_of_structure(self, structure: str) -> Plan | None:
        kept = self.plan
        return kept[1] if kept is not None and kept[0] == structure else None

    def keep_plan_of_structure(self, structure: str, plan: Plan) -> None:
        self.plan = (structure, plan)

    def bodies_changed(self, bodies: Sequence[Mapping[str, str]]) -> list[frozenset[str]] | None:
        self.pending_bodies = tuple(bodies)
        last = self.bodies
        if last is None or len(last) != len(bodies):
            return None
        return [changed_bodies(before, now) for before, now in zip(last, bodies, strict=True)]

    def last_manifest(self, output: Path, path: Path) -> tuple[Manifest | None, bool]:
        if self.manifest_of == output and self.manifest is not None:
            return self.manifest, True
        return load_manifest(path, output), False

    def manifest_saver(self) -> Callable[[Path, Manifest], None] | None:
        return self.save_manifest_later if self.builds else None

    def finish(self, config: SiteConfig, output: Path, written: WriteReport, report: BuildReport) -> None:
        self.later_index, self.pending_index = self.pending_index, None
        with writing_cache(self.root):
            if written.manifest is not None:
                self.manifest, self.manifest_of = written.manifest, output
                self.bodies, self.pending_bodies = self.pending_bodies, None
            if self.builds == 0:
                self.compile_templates()
                self.flush()
                ImageCache(self.root).prune()
            self.builds += 1

    def save_manifest_later(self, path: Path, manifest: Manifest) -> None:
        """Keep a build's manifest to write after the browsers are told (:meth:`save_manifest`).

        Writing 10,000 entries of JSON cost 0.03 s of each rebuild at 5,000
        villages.  The next build here uses the manifest in memory; one made
        after a crash finds the older file on disk, which costs it work, not
        correctness (see :func:`villagesite.write.write_output`).
        """
        self.unsaved_manifest = (path, manifest)

    def save_manifest(self) -> None:
        if self.unsaved_manifest is not None:
            path, manifest = self.unsaved_manifest
            self.unsaved_manifest = None
            save_manifest(path, manifest)

    def jinja(self, chain: ThemeChain, environment_class: type[jinja2.Environment]) -> jinja2.Environment:
        """A new environment that skips compiling templates compiled by an earlier build.

        The environment itself is not kept: Jinja caches imported template
        modules with the globals of their first render (the site, the photo
        helpers), which would show the last build's site.  Compiled code is
        safe to keep; Jinja checks it against each template's source.
        """
        self.chain = chain
        return make_environment(chain, environment_class, bytecode_cache=self.compiled)

    def compile_templates(self) -> None:
        """Compile every template of the theme (and a parent's that a child overrides) into :attr:`compiled`.

        The first build renders a large site in worker processes, which compile the templates for
        themselves: the first save then compiled them again (0.3 s at 5,000 villages).  A template that
        does not compile is left for the build that uses it to report."""
        if self.chain is None:
            return
        environment = make_environment(self.chain, RecordingEnvironment, bytecode_cache=self.compiled)
        found: dict[str, list[str]] = {}
        for theme in self.chain.themes:
            if theme.templates.is_dir():
                for name in jinja2.FileSystemLoader(theme.templates).list_templates():
                    found.setdefault(name, []).append(theme.name)
        names = [name for name in found if name.endswith(".html")]
        names += [f"{theme}:{name}" for name in names for theme in found[name][1:]]  # "default:village.html"
        for name in names:
            with contextlib.suppress(jinja2.TemplateError, OSError):
                environment.get_template(name)

    def flush(self) -> None:
        """Write the Markdown cache and the photo index, as a command-line build does after each build."""
        self.save_manifest()
        if self.photos is not None:
            self.photos.save()
        if self.markdown_cache is not None:
            self.markdown_cache.save()
        readings.keep(self.root / READINGS_FILE)
