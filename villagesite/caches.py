"""What a build keeps between builds, behind one object: on disk for the command line, in memory for the preview.

The build asks "what did you keep for this?" and "keep this" and never which
kind of cache it holds.  :class:`DiskCaches` reads and writes the files in the
cache folder, once per command; :class:`~villagesite.memory.BuildMemory` keeps
the same things in a long-lived process (the preview) and writes the files
only now and then.  With ``--clean`` a :class:`DiskCaches` reads nothing,
and writes everything anew for the next build.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import jinja2

from . import readings
from .config import SiteConfig
from .content import ParseMemo, ScanMemo, WalkMemo
from .disk_errors import CACHE_ENV, cache_error, disk_reason
from .encode import ImageCache
from .images import ImageAsset, SourceIndex
from .inputs import input_fingerprint
from .manifest import Manifest, load_manifest, manifest_path
from .markdown_cache import MarkdownCache
from .model import Photo
from .plan import Plan
from .reassemble import AssemblyMemory
from .report import BuildReport, load_report, save_report
from .search.index import IndexMemory
from .search.kept import KeptBatches
from .source_cache import SourceCache
from .template_cache import FOLDER as TEMPLATES_FOLDER
from .template_cache import CompiledTemplates, SignedTemplates, signing_key
from .themes import ThemeChain, make_environment
from .traditional import Conversions
from .write import Content, WriteReport

SOURCES_FILE = "content.jsonl"
"""Content files as read by the last command-line build (see :mod:`villagesite.source_cache`)."""
READINGS_FILE = "readings.json"
"""How the names earlier builds slugged, indexed and showed are read (see :mod:`villagesite.readings`)."""


ContentKeep = tuple[ParseMemo | None, ScanMemo | None, SourceCache | None, WalkMemo | None]
"""What :func:`villagesite.content.load_content` may reuse: parsed files, folder listings and the last
walk kept in memory, or the content cache on disk."""


def cache_dir(config: SiteConfig) -> Path:
    return Path(os.environ.get(CACHE_ENV) or config.root / ".villagesite-cache")


class Caches:
    """The questions a build asks of what earlier builds kept; by default, that nothing was kept
    (``check`` renders with it: it keeps nothing either)."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or Path(os.devnull)

    trusted: bool = True
    """False with ``--clean``: nothing kept is read (photos, QR codes and pages are made again)."""
    weighs_everything: bool = True
    """Whether the weight report covers every page, or only the pages this build rendered."""
    lazy_photos: bool = False
    """Whether photos are left for later (the preview): pages are rendered with their final markup at once,
    and :meth:`photos_pending` is told what to encode."""

    root: Path
    """The cache folder: encoded photos, QR codes and the files below are kept there."""

    def photos_pending(self, photos: list[tuple[ImageAsset, Photo]]) -> None:
        """The photos a ``lazy_photos`` build left to encode, with where content names them."""

    def unchanged(self, config: SiteConfig, output: Path, *, drafts: bool) -> BuildReport | None:
        """The last build's report when nothing it was made from changed: that build need not run.

        Asked first, so an implementation may get ready for the build here."""
        return None

    def content(self, config: SiteConfig) -> ContentKeep:
        raise NotImplementedError

    def photo_index(self, root: Path) -> SourceIndex:
        raise NotImplementedError

    def markdown(self, root: Path) -> MarkdownCache:
        raise NotImplementedError

    def jinja(self, chain: ThemeChain, environment_class: type[jinja2.Environment]) -> jinja2.Environment:
        """A new environment; the templates compiled for one edition are not compiled again for the next."""
        if not hasattr(self, "_compiled"):
            self._compiled = self.compiled_templates()
        return make_environment(chain, environment_class, bytecode_cache=self._compiled)

    def compiled_templates(self) -> jinja2.BytecodeCache:
        """Where this build's environments keep compiled templates: in memory, for this build only."""
        return CompiledTemplates()

    def assembly(self) -> AssemblyMemory | None:
        """The last site this process assembled, for a build that changes only bodies (see
        :mod:`villagesite.reassemble`); none on the command line, where one build is all."""
        return None

    def conversions(self) -> Conversions:
        """Bodies converted to Traditional Chinese by earlier builds (see :mod:`villagesite.traditional`)."""
        return Conversions()

    def search_memory(self, language: str) -> IndexMemory | None:
        """What earlier builds of this process indexed for an edition's search (see
        :class:`~villagesite.search.index.IndexMemory`); none on the command line, where one build is all."""
        return None

    def index_later(self, make: Callable[[], dict[str, Content]], folders: tuple[str, ...]) -> bool:
        """Whether the search index (the files under ``folders``, all of them made by ``make``) may be
        made after the browsers are told: then the build keeps the last one, and ``make`` is kept
        (see :meth:`villagesite.memory.BuildMemory.index_now`).  Never on the command line."""
        return False

    def made_from_structure(self, rel: str, structure: str) -> tuple[bytes | None] | None:
        """An output made from the site's structure alone (the sitemap), kept with that structure."""
        return None

    def keep_made_from_structure(self, rel: str, structure: str, made: bytes | None) -> None:
        return None

    def plan_of_structure(self, structure: str) -> Plan | None:
        """The plan of the outputs (see :mod:`villagesite.plan`), kept with the structure it was made from."""
        return None

    def keep_plan_of_structure(self, structure: str, plan: Plan) -> None:
        return None

    def bodies_changed(self, bodies: Sequence[Mapping[str, str]]) -> list[frozenset[str]] | None:
        """Each edition's pages whose body fingerprints (``bodies``) differ from the last build's, when
        this process made it (see :func:`villagesite.deps.changed_bodies`); ``bodies`` are kept for the next
        build if this one succeeds.  None: not known."""
        return None

    def last_manifest(self, output: Path, path: Path) -> tuple[Manifest | None, bool]:
        """What the output holds, and whether this process wrote it (then no file needs a ``stat``)."""
        return (None if not self.trusted else load_manifest(path, output)), False

    def while_rendering(self) -> Callable[[], None] | None:
        """Work to do while worker processes render (saving what reading made)."""
        return None

    def before_commit(self, output: Path) -> None:
        """The build is about to change the output: what described the old one is no longer true."""

    def manifest_saver(self) -> Callable[[Path, Manifest], None] | None:
        """Who saves the new manifest, when not :func:`villagesite.write.write_output` at once."""
        return None

    def finish(self, config: SiteConfig, output: Path, written: WriteReport, report: BuildReport) -> None:
        """Keep what this build made for the next one."""


class DiskCaches(Caches):
    """The cache folder of a command-line build: read once at its start, written at its end."""

    def __init__(self, config: SiteConfig, *, clean: bool = False) -> None:
        self.root = cache_dir(config)
        self.trusted = not clean
        self.inputs = ""
        self._index: SourceIndex | None = None
        self._markdown: MarkdownCache | None = None
        self._sources: SourceCache | None = None
        self._search: list[KeptBatches] = []

    def search_memory(self, language: str) -> IndexMemory | None:
        """Each edition's search batches kept on disk: an edit indexes the batch of the page it changed."""
        kept = KeptBatches(self.root / "search" / language, read=self.trusted)
        self._search.append(kept)
        return IndexMemory(kept)

    def compiled_templates(self) -> jinja2.BytecodeCache:
        """Kept in the cache folder for the next build too, signed with this user's key (see
        :mod:`villagesite.template_cache`); in memory only when there is no key."""
        key = signing_key()
        if key is None:
            return CompiledTemplates()
        return SignedTemplates(self.root / TEMPLATES_FOLDER, key, read=self.trusted)

    def unchanged(self, config: SiteConfig, output: Path, *, drafts: bool) -> BuildReport | None:
        self.inputs = input_fingerprint(config, drafts=drafts)
        return load_report(self._report_file(output), self.inputs, output) if self.trusted else None

    def content(self, config: SiteConfig) -> ContentKeep:
        self._sources = SourceCache(self.root / SOURCES_FILE, config, read=self.trusted)
        if self.trusted:
            readings.remember(self.root / READINGS_FILE)
        return None, None, self._sources, None

    def photo_index(self, root: Path) -> SourceIndex:
        if self._index is None:
            self._index = SourceIndex(self.root / "sources.json", read=self.trusted)
        return self._index

    def markdown(self, root: Path) -> MarkdownCache:
        if self._markdown is None:
            self._markdown = MarkdownCache(self.root / "markdown.json", read=self.trusted)
        return self._markdown

    def while_rendering(self) -> Callable[[], None] | None:
        def save() -> None:
            """Reading and converting are done: their caches are written while the templates render."""
            with writing_cache(self.root):
                if self._sources is not None:
                    self._sources.save()
                if self._markdown is not None:
                    self._markdown.save()
                readings.keep(self.root / READINGS_FILE)

        return save

    def before_commit(self, output: Path) -> None:
        with writing_cache(self.root):
            self._report_file(output).unlink(missing_ok=True)  # this build's, once it is whole, or none

    def finish(self, config: SiteConfig, output: Path, written: WriteReport, report: BuildReport) -> None:
        with writing_cache(self.root):
            if self._index is not None:
                self._index.save()
            for kept in self._search:
                kept.save()
            readings.keep(self.root / READINGS_FILE)
            ImageCache(self.root).prune()
            save_report(self._report_file(output), self.inputs, report)

    def _report_file(self, output: Path) -> Path:
        return manifest_path(self.root, output).with_suffix(".report.json")


@contextlib.contextmanager
def writing_cache(root: Path) -> Iterator[None]:
    """A cache folder that cannot be written (a full disk, no permission) is one line saying so."""
    try:
        yield
    except OSError as exc:
        if disk_reason(exc) is None:
            raise
        raise cache_error(root, exc) from exc
