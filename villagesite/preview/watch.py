"""Which site files changed, and when to build: file events in, batches of changed paths out.

The preview server watches ``content/``, ``themes/``, ``static/``, ``data/``
and ``site.yaml``.  The folders are watched recursively through the
platform's file events (watchfiles); the site folder itself is watched
without recursion, so that a ``site.yaml`` saved by renaming a temporary
file, or a ``static/`` folder created while serving, is seen too.  The
output and cache folders are never watched: the build writes there.

:func:`gather` decides when a batch is complete: the first save after a
quiet spell is built at once (an editor wants to see it now); saves that keep
coming soon after a build are a burst (a formatter, a "save all", a sync
tool), and wait for a short quiet spell so they make one build, not twenty.
"""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path

import watchfiles

from ..confine import is_ignored

WATCHED_FOLDERS = ("content", "themes", "static", "data")
WATCHED_FILES = ("site.yaml",)

QUIET = 0.25
"""Seconds without a save that end a burst."""
BURST = 0.5
"""A save this soon after the last build is taken as part of a burst."""
LONGEST_WAIT = 2.0
"""Even a burst that never stops is built this often."""
STEP_MS = 10
"""How long watchfiles waits for more events before it reports a batch: it reports after a whole step
with no new event, so a save reaches the build 1-2 steps after it is made (17 ms median at 10 ms, 48 ms
at 30, timed at 12 saves of benchmarks/serve.py: docs/performance.md).  An editor's save (a temporary
file written, then renamed) takes well under a step; a save that straddles one builds again, as a
burst does (see :func:`gather`).  Idle, the watcher's wake-ups cost about 1.5 ms of CPU a second."""
ROOT_STEP_MS = 250
"""The same for the site folder's own entries (site.yaml, whose rebuild takes seconds anyway): watchfiles
takes the interpreter's lock once a step, which slows a build running meanwhile."""

Batch = set[str]
"""Changed paths, relative to the site folder, with '/' separators."""


class SiteWatcher:
    """Puts each batch of relevant changed paths on :attr:`changes`, from two background threads."""

    def __init__(self, root: Path, *, force_polling: bool | None = None) -> None:
        self.root = root.resolve()
        self.changes: queue.Queue[Batch] = queue.Queue()
        self.force_polling = force_polling
        self._stop = threading.Event()
        self._restart = threading.Event()
        self._threads: list[threading.Thread] = []
        self._folders_ready = threading.Event()
        self._root_ready = threading.Event()

    def wait_ready(self, timeout: float = 10) -> bool:
        """Whether both watchers are running (the server waits for it before it says it is ready)."""
        return self._folders_ready.wait(timeout) and self._root_ready.wait(timeout)

    def start(self) -> None:
        self._threads = [
            threading.Thread(target=self._watch_folders, name="villagesite-watch", daemon=True),
            threading.Thread(target=self._watch_root, name="villagesite-watch-root", daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)

    def _folders(self) -> list[Path]:
        return [self.root / name for name in WATCHED_FOLDERS if (self.root / name).is_dir()]

    def _watch_folders(self) -> None:
        """Recursive events under the watched folders; started again when one appears or goes.

        A save made while the watcher starts again would be missed, so the
        first report of each new watch asks for a build too (a build reads
        everything that changed, whatever the events said).
        """
        first = True
        while not self._stop.is_set():
            folders = self._folders()
            self._restart.clear()
            catch_up, first = not first, False
            if not folders:
                self._folders_ready.set()
                self._restart.wait(0.5)
                continue
            events = watchfiles.watch(
                *folders,
                watch_filter=None,
                step=STEP_MS,
                debounce=400,
                stop_event=_Either(self._stop, self._restart),
                rust_timeout=200,
                yield_on_timeout=True,
                raise_interrupt=False,
                force_polling=self.force_polling,
            )
            try:
                for changes in events:
                    self._folders_ready.set()  # the first report (maybe empty, on timeout) comes once watching
                    batch = {self._relative(path) for path in _lasting(changes)}
                    batch = {rel for rel in batch if rel and _relevant(rel)}
                    if catch_up:
                        batch |= {folder.name for folder in folders}
                        catch_up = False
                    if batch:
                        self.changes.put(batch)
            except (OSError, RuntimeError):  # a watched folder went away under the watcher: watch what is there
                self.changes.put(set(WATCHED_FOLDERS) & {p.name for p in folders})
                self._stop.wait(0.2)

    def _watch_root(self) -> None:
        """The site folder's own entries: site.yaml, and watched folders that appear or go."""
        while not self._stop.is_set():
            events = watchfiles.watch(
                self.root,
                watch_filter=None,
                step=ROOT_STEP_MS,
                debounce=400,
                stop_event=self._stop,
                rust_timeout=200,
                yield_on_timeout=True,
                raise_interrupt=False,
                recursive=False,
                force_polling=self.force_polling,
            )
            try:
                for changes in events:
                    self._root_ready.set()
                    names = {Path(path).name for _, path in changes if Path(path).parent == self.root}
                    if names & set(WATCHED_FOLDERS):
                        self._restart.set()  # watch the new folder (or stop watching a removed one)
                    batch = {name for name in names if name in WATCHED_FILES or name in WATCHED_FOLDERS}
                    if batch:
                        self.changes.put(batch)
            except (OSError, RuntimeError):  # the site folder itself is gone or unreadable: try again
                self._root_ready.set()
                self._stop.wait(1.0)

    def _relative(self, path: str) -> str:
        try:
            return Path(path).relative_to(self.root).as_posix()
        except ValueError:
            return ""


class _Either:
    """Stop watching when either event is set (watchfiles takes one object with ``is_set``)."""

    def __init__(self, first: threading.Event, second: threading.Event) -> None:
        self.first, self.second = first, second

    def is_set(self) -> bool:
        return self.first.is_set() or self.second.is_set()


def _lasting(changes: set[tuple[watchfiles.Change, str]]) -> set[str]:
    """Changed paths, without files that came and went within the batch (an editor's or sed's temporary file)."""
    added = {path for change, path in changes if change == watchfiles.Change.added}
    return {path for _, path in changes if path not in added or os.path.lexists(path)}


def _relevant(rel: str) -> bool:
    """Editors' swap, backup and temporary files are not content (the build ignores them too)."""
    return not any(is_ignored(part) for part in rel.split("/"))


def gather(
    changes: queue.Queue[Batch],
    *,
    last_build_end: float,
    stopped: Callable[[], bool],
    clock: Callable[[], float] = time.monotonic,
) -> Batch | None:
    """Wait for the next batch of changes worth a build; None when ``stopped()``.

    A batch that starts soon after the last build waits until saves stop for
    :data:`QUIET` seconds (at most :data:`LONGEST_WAIT`).
    """
    while True:
        try:
            batch = set(changes.get(timeout=0.1))
            break
        except queue.Empty:
            if stopped():
                return None
    batch |= _drain(changes)
    if clock() - last_build_end < BURST:
        deadline = clock() + LONGEST_WAIT
        while clock() < deadline and not stopped():
            try:
                batch |= changes.get(timeout=min(QUIET, max(0.0, deadline - clock())))
            except queue.Empty:
                break
    return batch


def _drain(changes: queue.Queue[Batch]) -> Batch:
    found: Batch = set()
    while True:
        try:
            found |= changes.get_nowait()
        except queue.Empty:
            return found
