"""The preview's builds: the site, drafts included, into the preview folder, and what each build came to.

One :class:`Preview` keeps one :class:`~villagesite.memory.BuildMemory` for
the life of the server, so a save re-reads one file and renders the pages it
reaches.  Each build ends as an :class:`Outcome` (written files, warnings,
problems or a traceback) that the reload hub and the terminal both read:
content never stops the server, a failed build keeps the last good pages.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..build import build, collector_paused
from ..caches import cache_dir
from ..config import load_config, with_base_url
from ..encode import Progress
from ..errors import Problem, VillageSiteError
from ..i18n import _, n_
from ..images import ImageAsset
from ..memory import BuildMemory
from ..model import Photo
from ..report import BuildReport
from .photos import LazyPhotos

RETRIES = 3
"""Builds tried again when a file vanished during the walk (a folder being renamed)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """One preview build: what started it, what it wrote, or what was wrong."""

    changed: tuple[str, ...]
    seconds: float
    report: BuildReport | None = None
    problems: tuple[Problem, ...] = ()
    crash: str | None = None
    """A traceback: a bug in villagesite, not in the content."""
    indexed: tuple[str, ...] = ()
    """The search index's files written after the browsers were told (see :meth:`Preview.after_reload`)."""

    @property
    def failed(self) -> bool:
        return self.report is None

    @property
    def written(self) -> tuple[str, ...]:
        return (*self.report.written.written, *self.indexed) if self.report and self.report.written else ()

    @property
    def removed(self) -> tuple[str, ...]:
        return self.report.written.removed if self.report and self.report.written else ()

    @property
    def message(self) -> str:
        """The plain text editors see in the terminal and over the page."""
        if self.crash:
            return _("villagesite failed while building (a bug: please report it):\n{traceback}", traceback=self.crash)
        lines = [str(problem) for problem in self.problems]
        errors = sum(problem.is_error for problem in self.problems)
        lines.append(n_("{count} error", "{count} errors", errors))
        return "\n".join(lines)


class Preview:
    """Builds the site into its preview folder: once at the start, then once per batch of changes."""

    def __init__(
        self, site_dir: Path, *, output: Path | None = None, lazy_photos: bool = True, photo_workers: int | None = None
    ) -> None:
        self.site_dir = site_dir.resolve()
        self.memory = BuildMemory()
        self.output = (output or _default_output(self.site_dir)).resolve()
        self.last: Outcome | None = None
        self._lock = threading.Lock()
        self.photos: LazyPhotos | None = None
        """Photos encoded when a browser asks for them (``lazy_photos``), made with the first build's cache."""
        self.photo_workers = photo_workers
        self.say: Callable[[str], None] | None = None
        """Where photo progress is told (the terminal); set by the server."""
        self.photo_failed: Callable[[list[Problem]], None] | None = None
        """Where a photo that cannot be encoded is told (the terminal and the overlay); set by the server."""
        self.memory.index_after_reload = True
        if lazy_photos:
            self.memory.lazy_photos = True
            self.memory.pending_photos = self._photos_pending

    def use_photo_encoder(self, cache_root: Path, **options: Any) -> LazyPhotos:
        """The encoder of pending photos (tests give it a slow ``encode`` and a thread pool)."""
        self.photos = LazyPhotos(
            cache_root,
            workers=options.pop("workers", self.photo_workers),
            say=lambda line: self.say(line) if self.say else None,
            failed=lambda problems: self.photo_failed(problems) if self.photo_failed else None,
            **options,
        )
        return self.photos

    def _photos_pending(self, photos: list[tuple[ImageAsset, Photo]]) -> None:
        if self.photos is None:
            self.use_photo_encoder(self.memory.root)
        assert self.photos is not None
        self.photos.add(photos)

    @property
    def error(self) -> str | None:
        """The message of the last build, when it failed."""
        last = self.last
        return last.message if last is not None and last.failed else None

    def build(self, changed: Iterable[str] = (), *, progress: Progress | None = None) -> Outcome:
        started = time.perf_counter()
        changed = tuple(sorted(changed))
        with self._lock, collector_paused():
            for attempt in range(RETRIES + 1):
                try:
                    config = with_base_url(load_config(self.site_dir), "/")
                    # The files the watcher says changed; the walk after the reload checks it (walk_missed).
                    told = frozenset(os.path.join(config.root, rel) for rel in changed) if changed else None
                    self.memory.walks.told = told
                    report = build(
                        config,
                        output=self.output,
                        drafts=True,
                        caches=self.memory,
                        hash_assets=False,
                        progress=progress,
                    )
                    outcome = Outcome(changed, time.perf_counter() - started, report, report.warnings)
                except VillageSiteError as exc:
                    outcome = Outcome(changed, time.perf_counter() - started, problems=tuple(exc.problems))
                except FileNotFoundError:
                    if attempt < RETRIES:  # a file went while the build read the folders: read them again
                        time.sleep(0.05)
                        continue
                    outcome = Outcome(changed, time.perf_counter() - started, crash=traceback.format_exc())
                except Exception:  # noqa: BLE001 - the preview outlives any bug; the traceback is shown
                    outcome = Outcome(changed, time.perf_counter() - started, crash=traceback.format_exc())
                break
            self.last = outcome
            return outcome

    def after_reload(self) -> tuple[str, ...]:
        """What a build leaves for after the browsers are told: its search index and manifest, written
        now.  Returns the index files written.

        An index that cannot be written stays the last one; the next save makes it again."""
        written = None
        with self._lock, collector_paused(), contextlib.suppress(OSError, VillageSiteError):
            try:
                written = self.memory.index_now()
            finally:
                self.memory.save_manifest()
        return written.written if written is not None else ()

    def walk_missed(self) -> bool:
        """After a build that took the watcher's word for what changed: whether a walk over content/
        now finds a change it did not tell (an event lost, a folder renamed).  Then build again."""
        with self._lock, collector_paused():
            if not self.memory.walks.trusted:
                return False
            try:
                return self.memory.walk_missed(with_base_url(load_config(self.site_dir), "/"))
            except (OSError, VillageSiteError):
                return True  # a build from a whole walk says what is wrong
            finally:
                self.memory.walks.trusted = False  # asked once per trusted build: a broken site.yaml builds once

    def close(self) -> None:
        """Keep the Markdown cache and photo index for the next start; stop encoding photos."""
        if self.photos is not None:
            self.photos.close()
        with self._lock, contextlib.suppress(OSError):
            self.memory.flush()


def _default_output(site_dir: Path) -> Path:
    """``preview/`` in the cache folder: never the real ``output/``."""
    try:
        return cache_dir(load_config(site_dir)) / "preview"
    except VillageSiteError:  # site.yaml is broken: the first build will say so
        env = os.environ.get("VILLAGESITE_CACHE_DIR")
        return (Path(env) if env else site_dir / ".villagesite-cache") / "preview"
