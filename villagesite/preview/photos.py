"""Photos the preview encodes when a browser first asks for them, and meanwhile in the background.

``villagesite build`` encodes every photo before it writes a page; the preview cannot make a villager
wait for two hundred phone photos (0.7 s each on two cores) before the first page shows.  Its builds
leave photos not yet in the cache *pending* (:attr:`~villagesite.caches.Caches.lazy_photos`): pages
get their final ``<picture>`` markup at once, since a variant's name comes from its source's hash,
and this module encodes the photos, a whole photo at a time (one decode makes all its variants):

- a variant a browser asks for moves its photo to the front of the queue, and the request is answered
  as soon as the photo is encoded (the file is renamed into the cache whole, never read half-written);
- the others are encoded in the background, as many at a time as there are cores;
- a photo that cannot be encoded is reported with the ``path:line`` that names it, in the terminal and
  over the page.

Encoded variants are the cache's: the next build finds them there and writes them into the preview
folder as it always did.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from pathlib import Path

from ..encode import ImageCache, encode_one, explain_failure
from ..errors import Problem
from ..i18n import _
from ..images import ImageAsset, image_problem
from ..model import Photo

Encode = Callable[[ImageAsset, list, bool, Path], tuple[str, dict[str, str]]]


class LazyPhotos:
    """The preview's pending photos: a queue, the encodings under way, and the files made."""

    def __init__(
        self,
        cache_root: Path,
        *,
        workers: int | None = None,
        executor: Executor | None = None,
        encode: Encode = encode_one,
        say: Callable[[str], None] | None = None,
        failed: Callable[[list[Problem]], None] | None = None,
        background_after: float = 1.0,
    ) -> None:
        self.cache = ImageCache(cache_root)
        # The background leaves a core to the server and to the photos a page asks for.
        self.workers = workers or max(1, (os.cpu_count() or 1) - 1)
        self._background = threading.Event()
        """Set ``background_after`` seconds after the first photos arrive: the first page a browser asks
        for, and its photos, are served before the background takes the cores."""
        self._background_after = background_after
        self._executor = executor
        self._encode = encode
        self._say = say
        self._failed = failed
        self._lock = threading.RLock()  # a future done at once calls back on the thread that started it
        self._photos: dict[str, tuple[ImageAsset, Photo]] = {}
        """Source URL -> the pending photo and where content names it."""
        self._variants: dict[str, str] = {}
        """Variant URL -> its photo's source URL."""
        self._queue: list[str] = []
        self._running: dict[str, Future] = {}
        self._files: dict[str, Path] = {}
        """Variant URL -> its encoded file in the cache."""
        self._problems: dict[str, list[Problem]] = {}
        self._timer: threading.Timer | None = None
        self._closing = False
        self.encoded = 0

    # -- what builds leave -------------------------------------------------------------------------
    def add(self, photos: list[tuple[ImageAsset, Photo]]) -> None:
        """Photos a build left pending, in the order given (the site's), after any already queued."""
        with self._lock:
            for asset, photo in photos:
                url = asset.source.url
                self._photos[url] = (asset, photo)
                for variant in asset.variants:
                    self._variants[variant.url] = url
                if url not in self._running and url not in self._queue:
                    self._queue.append(url)
            if not self._background.is_set() and self._timer is None:
                self._timer = threading.Timer(self._background_after, self._start_background)
                self._timer.daemon = True
                self._timer.start()
            self._start_more()

    def _start_background(self) -> None:
        with self._lock:
            self._background.set()
            self._start_more()

    @property
    def waiting(self) -> int:
        """Photos not encoded yet: queued or under way."""
        with self._lock:
            return len(self._queue) + len(self._running)

    # -- what browsers ask for ---------------------------------------------------------------------
    def request(self, variant_url: str) -> Path | Future | None:
        """The encoded file of ``variant_url``; or a future that is done when it is; None if the preview
        knows no such pending variant (then it is the preview folder's, or nothing)."""
        with self._lock:
            if variant_url in self._files:
                return self._files[variant_url]
            url = self._variants.get(variant_url)
            if url is None:
                return None
            if url in self._problems:
                return None
            if url not in self._running:
                if url in self._queue:
                    self._queue.remove(url)
                self._queue.insert(0, url)  # asked for: next, ahead of the background's order
                self._start_more(at_least_one=True)
            return self._running.get(url)

    def file(self, variant_url: str) -> Path | None:
        with self._lock:
            return self._files.get(variant_url)

    # -- encoding ----------------------------------------------------------------------------------
    def _start_more(self, *, at_least_one: bool = False) -> None:
        """Start queued photos while fewer than ``workers`` are under way (one more for a request, so a
        page's photo never waits behind the background's).  Called with the lock held."""
        if not self._background.is_set() and not at_least_one:
            return
        limit = self.workers + (1 if at_least_one else 0)
        while self._queue and len(self._running) < limit:
            url = self._queue.pop(0)
            asset, _photo = self._photos[url]
            future = self._pool().submit(self._encode, asset, list(asset.variants), True, self.cache.root)
            self._running[url] = future
            future.add_done_callback(lambda done, url=url: self._finished(url, done))
            if not self._background.is_set():
                break  # only what was asked for, before the background's time

    def _pool(self) -> Executor:
        if self._executor is None:
            # 'spawn': workers independent of the server's threads, as in a build (see encode.py).
            self._executor = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_work_for_the_server,
                initargs=(os.getpid(),),
            )
        return self._executor

    def _finished(self, url: str, future: Future) -> None:
        problems: list[Problem] = []
        with self._lock:
            self._running.pop(url, None)
            asset, photo = self._photos[url]
            if future.cancelled():
                return
            failure = future.exception()
            if failure is None:
                _placeholder, written = future.result()
                for variant in asset.variants:
                    path = written.get(variant.key)
                    self._files[variant.url] = Path(path) if path else self.cache.variant_path(variant)
                self.encoded += 1
            else:
                message = explain_failure(failure)
                problems = [image_problem(use, use.src, message, photo.nearby) for use in photo.uses]
                self._problems[url] = problems
            left = len(self._queue) + len(self._running)
            self._start_more()
            if self._closing:
                return  # stopping: the terminal says "Stopped.", not how many photos are left
        if problems and self._failed is not None:
            self._failed(problems)
        elif self._say is not None and (left == 0 or self.encoded % 20 == 0):
            self._say(_("photos: {encoded} encoded, {left} to go", encoded=self.encoded, left=left))

    def close(self) -> None:
        """Stop: photos not started are left for the next start (the cache keeps what was encoded)."""
        with self._lock:
            self._closing = True
            self._queue.clear()
            if self._timer is not None:
                self._timer.cancel()
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


def _work_for_the_server(server: int) -> None:
    """In each encoding worker: Ctrl-C reaches every process of the terminal's job; the server decides
    what stops (the photo under way is finished and kept), so a worker does not report it as a failure.
    A server killed outright (``kill -9``, out of memory) cannot stop its pool: the worker stops itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_stop_without, args=(server,), name="server-watch", daemon=True).start()


def _stop_without(server: int) -> None:
    """Exit once the server is gone (the worker is then another process's child): otherwise it would
    encode what was queued for no one, then wait for work for ever."""
    while os.getppid() == server:
        time.sleep(1)
    os._exit(0)
