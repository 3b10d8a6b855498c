"""Spread CPU-bound work (Markdown, templates) over forked processes, when that pays.

Forked workers share the parent's memory copy-on-write: the site model,
the link targets and the compiled templates are not copied or pickled, only
the results come back.  Fork is used only where it is safe and cheap: on
POSIX, in a process with no other threads (the preview server has some: it
renders in one process), and for enough items to repay starting workers.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from . import readings

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 500
"""Below this, one process is as fast or faster (benchmarks/build.py: at 300 pages forking won 0.06 s
on a cold build and lost 0.03 s on an edit; at 1,000 it won 0.19 s cold; see docs/performance.md)."""

SHARES_PER_WORKER = 8
"""Items are cut into this many contiguous shares per worker: results arrive in smaller pieces
(at 5,000 pages, whole halves meant 60 MB of pickled pages held twice while being read back)."""

_job: tuple[Callable[[Any], Any], Sequence[Any], int] | None = None


def workers_for(count: int) -> int:
    """How many processes to use for ``count`` items: 1 means in this process."""
    if count < MIN_ITEMS or threading.active_count() > 1 or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def map_in_processes(
    function: Callable[[T], R],
    items: Sequence[T],
    meanwhile: Callable[[], None] | None = None,
    *,
    size: int | None = None,
) -> list[R]:
    """``[function(item) for item in items]``, in forked workers when :func:`workers_for` says so.

    ``meanwhile`` is called while the workers work: this process would otherwise only wait.  ``size``
    is the number of pages the items stand for, when each item is a batch of them.
    """
    workers = workers_for(len(items) if size is None else size)
    if workers == 1:
        if meanwhile is not None:
            meanwhile()
        return [function(item) for item in items]
    global _job
    readings.load()  # once here, shared by the workers, rather than imported again in each
    shares = workers * SHARES_PER_WORKER
    _job = (function, items, shares)  # inherited by the forked workers; nothing is pickled on the way in
    results: list[R] = []
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            # Results come back share by share, in order: only one share's pickled bytes are in memory at once.
            parts = pool.imap(_run_share, range(shares))
            if meanwhile is not None:
                meanwhile()
            for part in parts:
                if isinstance(part, BaseException):
                    raise part  # the first failing item in order, as one process would have reported it
                results.extend(part)
    finally:
        _job = None
    return results


def _run_share(index: int) -> list[Any] | BaseException:
    """One worker's contiguous share of the items; an error is returned, so the parent picks the first."""
    assert _job is not None
    function, items, shares = _job
    size = -(-len(items) // shares)
    try:
        return [function(item) for item in items[index * size : (index + 1) * size]]
    except Exception as exc:  # noqa: BLE001 - re-raised in the parent, in item order
        return exc
