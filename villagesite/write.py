"""Write the output so that a failed or interrupted build never leaves a broken site.

Two ways, both all-or-nothing:

- **Full**: when there is no previous output (or ``--clean``), everything is
  written to a sibling folder, which is then swapped in (two renames).
- **Incremental**: when a previous build's manifest says what the output holds,
  only new and changed files are written, to a staging folder; then a journal
  listing the moves and deletions is saved (the commit point) and applied.
  Unchanged files are not touched: their mtime stays, and a live-reloading
  browser is not disturbed.

Whatever happens before the commit point leaves the output as it was: files
are only ever written into the staging folder.  Making the commit itself safe
(every replaced file kept until it is complete, undone on failure, replayed
after a crash) is :mod:`villagesite.commit`'s job; the manifest, which tells
the next build what the output holds, is :mod:`villagesite.manifest`'s.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .commit import (
    MARKER,
    MARKER_TEXT,
    backup_path,
    check_replaceable,
    commit,
    journal_path,
    recover,
    staging_path,
    swap_in,
)
from .disk_errors import output_error, write_error
from .manifest import Manifest, save_manifest

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


@dataclass(frozen=True, slots=True)
class FromFile:
    """An output that is an existing file, copied (or cloned) into the output: never a hard link, so
    damage to the file later (a cache file overwritten) cannot reach the published copy.

    ``digest`` is what a cache file was checked to hold (see :mod:`villagesite.encode`): it names the
    output's bytes in the manifest, without a ``stat``.
    """

    path: Path
    digest: str | None = None


@dataclass(frozen=True, slots=True)
class Unchanged:
    """An output the build did not render again: its inputs are as the manifest recorded them."""


@dataclass(frozen=True, slots=True)
class Staged:
    """An output already written into the staging folder by :func:`stage`: only its hash and size are kept.

    Rendered pages are staged as they are made, in the worker that made them,
    so a build never holds every page in memory (at 5,000 villages, 120 MB).
    """

    digest: str
    size: int


Content = bytes | FromFile | Unchanged | Staged


@dataclass(frozen=True, slots=True)
class WriteReport:
    written: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: int
    manifest: Manifest | None = None
    """What the output holds now (None when nothing was written)."""


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()[:32]


def fingerprint(content: bytes | FromFile | Staged) -> str:
    """What identifies an output's bytes: their hash, or the source file's identity (cheaper than reading it)."""
    if isinstance(content, bytes):
        return _digest(content)
    if isinstance(content, Staged):
        return content.digest
    if content.digest is not None:
        # A cache file checked against the hash it was recorded with; its mtime only says when a build
        # last used it (for pruning), which is no change to the output.
        return f"sha:{content.digest}"
    stat = content.path.stat()
    return f"file:{content.path}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ino}"


def open_staging(output: Path) -> Path:
    """The folder this build writes into beside ``output``, empty (see :func:`stage`)."""
    try:
        recover(output)
        check_replaceable(output)
        staging = staging_path(output)
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(backup_path(output), ignore_errors=True)  # a long-lived process's, from a failed commit
        staging.mkdir(parents=True)
    except OSError as exc:
        raise output_error(output, exc) from exc
    return staging


def close_staging(output: Path, staging: Path) -> None:
    """Remove what a build staged, unless a journal still needs it to finish its commit."""
    try:
        entry = json.loads(journal_path(output).read_text(encoding="utf-8"))
        if entry.get("staging") == staging.name:
            return
    except (OSError, ValueError, AttributeError):
        pass
    shutil.rmtree(staging, ignore_errors=True)


def stage(staging: Path, rel: str, content: bytes) -> Staged:
    """Write one output into the staging folder now; :func:`write_output` moves it in if it changed.

    Safe in forked workers: ``staging`` was named by the parent.
    """
    target = staging / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    return Staged(_digest(content), len(content))


def write_output(
    output: Path,
    files: Mapping[str, Content],
    manifest: Path,
    *,
    previous: Manifest | None,
    deps: Mapping[str, dict[str, str]],
    save: Callable[[Path, Manifest], None] | None = None,
) -> WriteReport:
    """Make ``output`` hold exactly ``files``: all of them when there is no ``previous`` manifest,
    else only what changed.  ``Unchanged`` entries keep the file the previous build wrote;
    ``Staged`` ones are in the staging folder already (whoever opened it removes what is left).
    The manifest is saved after the files (a manifest older than the output costs the next build
    work, never a wrong file); ``save`` may do it later (the preview does, after the reload).

    A file that cannot be written (a read-only folder, a full disk) is a :class:`VillageSiteError`
    naming the folder, and the output is left as it was.
    """
    try:
        return _write_output(output, files, manifest, previous, deps, save)
    except OSError as exc:
        # The manifest could not be saved (the commit was undone), or a file of the output.
        raise write_error(output, manifest.parent.parent, exc) from exc


def _write_output(
    output: Path,
    files: Mapping[str, Content],
    manifest: Path,
    previous: Manifest | None,
    deps: Mapping[str, dict[str, str]],
    save: Callable[[Path, Manifest], None] | None,
) -> WriteReport:
    recover(output)
    check_replaceable(output)
    if previous is None:
        if any(isinstance(content, Unchanged) for content in files.values()):
            raise AssertionError("an output was skipped without a previous manifest")
        planned = {rel: fingerprint(content) for rel, content in files.items()}
        _write_full(output, files, manifest)
        now = Manifest(planned, dict(deps))
        (save or save_manifest)(manifest, now)
        return WriteReport(tuple(sorted(files)), (), 0, now)
    planned = {
        rel: previous.files[rel] if isinstance(content, Unchanged) else fingerprint(content)
        for rel, content in files.items()
    }
    changed = sorted(
        rel
        for rel, mark in planned.items()
        if not isinstance(files[rel], Unchanged) and (previous.files.get(rel) != mark or not (output / rel).exists())
    )
    removed = sorted(rel for rel in previous.files if rel not in planned)
    now = Manifest(planned, dict(deps))
    if changed or removed:
        # The manifest is saved as part of the commit: a commit undone leaves the old one, which is right.
        _write_incremental(output, files, changed, removed, lambda: (save or save_manifest)(manifest, now), manifest)
    elif deps != previous.deps:
        (save or save_manifest)(manifest, now)
    return WriteReport(tuple(changed), tuple(removed), len(planned) - len(changed), now)


def _put(target: Path, content: Content) -> None:
    if isinstance(content, Staged):
        return  # there already
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        copy_file(content.path, target)


FICLONE = 0x40049409
"""Linux's ioctl that makes a file share another's blocks copy-on-write (Btrfs, XFS): a copy at no cost."""


def copy_file(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` (a new inode, never a hard link): cloned where the filesystem can,
    else copied in the kernel (``copy_file_range``), else through this process."""
    if fcntl is None or not hasattr(os, "copy_file_range"):
        shutil.copyfile(source, target)
        return
    with open(source, "rb") as reader, open(target, "wb") as writer:
        try:
            fcntl.ioctl(writer.fileno(), FICLONE, reader.fileno())
            return
        except OSError:
            pass  # not this filesystem (ext4, tmpfs): copy the bytes
        left = os.fstat(reader.fileno()).st_size
        try:
            while left > 0:
                done = os.copy_file_range(reader.fileno(), writer.fileno(), left)
                if done == 0:
                    break
                left -= done
        except OSError as exc:
            if exc.errno not in (errno.EXDEV, errno.ENOSYS, errno.EOPNOTSUPP, errno.EINVAL):
                raise
        shutil.copyfileobj(reader, writer)  # what is left (nothing, unless the kernel would not)


WRITE_THREADS = 4
"""Creating a file waits on the disk (about 1 ms on the build machine's); a few at once overlap the waits."""


def _put_all(folder: Path, files: Mapping[str, Content], rels: list[str]) -> None:
    # Staged pages are in the folder already: a thread's task each cost 0.4 s at 5,000 villages.
    rels = [rel for rel in rels if not isinstance(files[rel], Staged)]
    if len(rels) < 64:
        for rel in rels:
            _put(folder / rel, files[rel])
        return
    with ThreadPoolExecutor(WRITE_THREADS) as pool:
        for _ in pool.map(lambda rel: _put(folder / rel, files[rel]), rels):
            pass  # iterate so that the first error is raised here


def _write_full(output: Path, files: Mapping[str, Content], manifest: Path) -> None:
    """Everything into the staging folder, then swapped in: output -> output.old, staging -> output."""
    staging = staging_path(output)
    _put_all(staging, files, sorted(files))
    (staging / MARKER).write_bytes(MARKER_TEXT)
    # The manifest describes the output being replaced: gone before the swap, so that a manifest left
    # unsaved after it (a full cache disk) is no manifest, not a wrong one.
    manifest.unlink(missing_ok=True)
    swap_in(output, staging)


def _write_incremental(
    output: Path,
    files: Mapping[str, Content],
    changed: list[str],
    removed: list[str],
    save: Callable[[], None],
    manifest: Path,
) -> None:
    staging = staging_path(output)
    _put_all(staging, files, changed)  # a failure here: the caller removes the staging folder
    commit(output, staging, changed, removed, save, manifest)
