"""Write the output so that a failed or interrupted build never leaves a broken site.

Two ways, both all-or-nothing:

- **Full**: when there is no previous output (or ``--clean``), everything is
  written to a sibling folder, which is then swapped in (two renames).
- **Incremental**: when a previous build's manifest says what the output holds,
  only new and changed files are written, to a staging folder; then a journal
  listing the moves and deletions is saved (the commit point) and applied.
  Unchanged files are not touched: their mtime stays, and a live-reloading
  browser is not disturbed.

Whatever happens before the commit point leaves the output as it was.  After
it, every file the commit replaces or deletes is first kept (a hard link) in a
backup folder beside the output, so a commit that fails (a read-only
subfolder, a full disk) is undone on the spot and the output is exactly the
old site; a build that dies after the commit point is completed by the next
one, which first replays the journal, and never skips a move it cannot make
(the output is then written whole again).  Every folder that is replaced or
changed must carry the marker file villagesite leaves, so it never touches a
folder it did not make.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import shutil
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .errors import VillageSiteError, error
from .sealed import read_sealed, replace_text, write_sealed

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

MARKER = ".villagesite"
"""A file in every output folder: villagesite only ever replaces folders it made."""
MARKER_TEXT = b"This folder was built by villagesite and is replaced on every build.\n"
MANIFEST_VERSION = 5


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
class Manifest:
    """What the output holds (fingerprint per file) and what each rendered file was made from."""

    files: dict[str, str]
    deps: dict[str, dict[str, str]]


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
        _check_replaceable(output)
        staging = _staging(output)
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(_backup(output), ignore_errors=True)  # a long-lived process's, from a failed commit
        staging.mkdir(parents=True)
    except OSError as exc:
        raise output_error(output, exc) from exc
    return staging


def close_staging(output: Path, staging: Path) -> None:
    """Remove what a build staged, unless a journal still needs it to finish its commit."""
    try:
        entry = json.loads(_journal(output).read_text(encoding="utf-8"))
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
        cache = manifest.parent.parent
        if any(name and Path(name).is_relative_to(cache) for name in (exc.filename, exc.filename2)):
            raise cache_error(cache, exc) from exc  # the manifest could not be saved: the commit was undone
        raise output_error(output, exc) from exc


def _write_output(
    output: Path,
    files: Mapping[str, Content],
    manifest: Path,
    previous: Manifest | None,
    deps: Mapping[str, dict[str, str]],
    save: Callable[[Path, Manifest], None] | None,
) -> WriteReport:
    recover(output)
    _check_replaceable(output)
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


def _staging(output: Path) -> Path:
    return output.with_name(f".{output.name}.building-{os.getpid()}")


def _backup(output: Path) -> Path:
    """Where a commit keeps the files it replaces or deletes until it is complete."""
    return output.with_name(f".{output.name}.replaced-{os.getpid()}")


def _journal(output: Path) -> Path:
    return output.with_name(f".{output.name}.journal.json")


def _old(output: Path) -> Path:
    return output.with_name(output.name + ".old")


def _write_full(output: Path, files: Mapping[str, Content], manifest: Path) -> None:
    """Everything into the staging folder, then swapped in: output -> output.old, staging -> output."""
    staging = _staging(output)
    old = _old(output)
    _put_all(staging, files, sorted(files))
    (staging / MARKER).write_bytes(MARKER_TEXT)
    # The manifest describes the output being replaced: gone before the swap, so that a manifest left
    # unsaved after it (a full cache disk) is no manifest, not a wrong one.
    manifest.unlink(missing_ok=True)
    if old.exists():
        _discard(old)  # recover() ran: what is left of an earlier swap
    if output.exists():
        os.rename(output, old)
    try:
        os.rename(staging, output)
    except BaseException:
        if old.exists() and not output.exists():
            os.rename(old, output)  # the old site back
        raise
    if old.exists():
        _discard(old, ignore_errors=True)  # left behind, the next build's recover() removes it


def _discard(folder: Path, *, ignore_errors: bool = False) -> None:
    """Remove a whole folder of ours: renamed first, so that one half removed is never taken for it."""
    doomed = folder.with_name(f".{folder.name}.removing-{os.getpid()}")
    try:
        os.rename(folder, doomed)
    except OSError:
        if not ignore_errors:
            raise
        return
    shutil.rmtree(doomed, ignore_errors=True)


def _write_incremental(
    output: Path,
    files: Mapping[str, Content],
    changed: list[str],
    removed: list[str],
    save: Callable[[], None],
    manifest: Path,
) -> None:
    staging = _staging(output)
    _put_all(staging, files, changed)  # a failure here: the caller removes the staging folder
    # Each staged file's inode: a move the journal names whose file is gone is done only if the output
    # holds that very file (recovery never takes a missing file for a moved one).
    moves = [[rel, os.stat(staging / rel).st_ino] for rel in changed]
    entry = {
        "staging": staging.name,
        "backup": _backup(output).name,
        "manifest": str(manifest),
        "moves": moves,
        "deletes": removed,
        "undo": False,
    }
    journal = _journal(output)
    _save_json(journal, entry)  # the commit point
    try:
        missing = _forward(output, entry)
        if missing:
            raise OSError(errno.ENOENT, "staged files are missing", str(staging / missing[0]))
        save()
    except Exception:
        _undo(output, journal, entry)
        _finish(output, journal, entry)
        raise
    _finish(output, journal, entry)


def _save_json(path: Path, data: object) -> None:
    replace_text(path, json.dumps(data))


def _forward(output: Path, entry: dict) -> list[str]:
    """Apply a committed journal: safe to run again after being cut off.  Returns the moves it could not
    make because their staged file is gone and the output does not hold it."""
    staging = output.parent / entry["staging"]
    backup = output.parent / entry["backup"]
    backup.mkdir(exist_ok=True)
    folders: set[Path] = set()
    missing = []
    for number, rel in enumerate(entry["deletes"]):  # first: a file may give way to a folder of that name
        target = output / rel
        if not os.path.lexists(target):
            continue
        os.rename(target, backup / f"d{number}")  # kept until the commit is complete
        _remove_empty_parents(target.parent, output)
    for number, (rel, inode) in enumerate(entry["moves"]):
        source, target = staging / rel, output / rel
        if not os.path.lexists(source):
            if not _holds(target, inode):
                missing.append(rel)
            continue
        _make_parent(target, folders)
        _keep(target, backup / str(number))
        os.replace(source, target)
    return missing


def _undo(output: Path, journal: Path, entry: dict) -> None:
    """Put back what a journal's moves and deletions replaced: the output as it was before the commit."""
    if not entry["undo"]:
        entry["undo"] = True
        with contextlib.suppress(OSError):  # if not, a build cut off while undoing finishes the commit instead
            _save_json(journal, entry)  # cut off while undoing, the next build goes on undoing
    backup = output.parent / entry["backup"]
    folders: set[Path] = set()
    for number, (rel, inode) in reversed(list(enumerate(entry["moves"]))):
        target, saved = output / rel, backup / str(number)
        if os.path.lexists(saved):
            if not _holds(target, os.lstat(saved).st_ino):
                os.replace(saved, target)  # the old file back (unless it never left)
        elif _holds(target, inode):
            target.unlink()  # a new file: it was not there before
            _remove_empty_parents(target.parent, output)
    for number, rel in enumerate(entry["deletes"]):
        saved = backup / f"d{number}"
        if os.path.lexists(saved):
            _make_parent(output / rel, folders)
            os.replace(saved, output / rel)


def _finish(output: Path, journal: Path, entry: dict) -> None:
    journal.unlink()
    for name in (entry["staging"], entry["backup"]):
        shutil.rmtree(output.parent / name, ignore_errors=True)


def _holds(target: Path, inode: int) -> bool:
    try:
        return os.lstat(target).st_ino == inode
    except OSError:
        return False


def _make_parent(path: Path, folders: set[Path]) -> None:
    parent = path.parent
    if parent not in folders:
        parent.mkdir(parents=True, exist_ok=True)
        folders.add(parent)


def _keep(target: Path, saved: Path) -> None:
    """A second name for the file a move replaces, for an undo; nothing when there is none.

    The backup folder is flat (files named by their move's number): a folder made per output folder
    cost 0.2 ms each on ext4.  A link and its removal cost about 40 us a file there, 20 us on tmpfs.
    """
    try:
        os.link(target, saved)
    except (FileNotFoundError, FileExistsError):
        return  # a new file, or kept by an earlier replay of the same journal
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EMLINK, errno.ENOTSUP):
            raise
        shutil.copy2(target, saved)  # a filesystem without hard links


def _remove_empty_parents(folder: Path, output: Path) -> None:
    while folder != output and folder.is_relative_to(output):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def recover(output: Path) -> None:
    """Finish or undo what a build that died left behind, before anything else.

    A journal is completed (or its undo finished, or undone when completing it fails).  A move it
    cannot make (its staged file gone, and the output does not hold it) is never skipped in silence:
    the output is marked incomplete, and the next write is a whole one.  The manifest the journal
    names is removed either way: the build that wrote it never finished saving it.
    """
    journal = _journal(output)
    if journal.exists():
        try:
            entry = json.loads(journal.read_text(encoding="utf-8"))
            entry["moves"] = [[m, -1] if isinstance(m, str) else m for m in entry["moves"]]  # an older journal
            entry.setdefault("backup", _backup(output).name)
            entry.setdefault("undo", False)
            Path(entry.get("manifest") or os.devnull).unlink(missing_ok=True)
        except (ValueError, KeyError, TypeError, AttributeError):
            _mark_incomplete(output)
            journal.unlink()
            entry = None
        if entry is not None and not entry["undo"]:
            try:
                if _forward(output, entry):
                    _mark_incomplete(output)
            except Exception:
                _undo(output, journal, entry)
                _finish(output, journal, entry)
                raise
        elif entry is not None:
            _undo(output, journal, entry)
        if entry is not None:
            _finish(output, journal, entry)
    old = _old(output)
    if old.exists():
        if not output.exists():
            os.rename(old, output)  # cut off between the two renames of a full write
        elif (old / MARKER).exists():
            _discard(old)  # cut off after them: the new output is whole
    for pattern in (".building-", ".replaced-", ".old.removing-"):
        for stale in output.parent.glob(f".{output.name}{pattern}*"):
            pid = stale.name.rpartition("-")[2]
            if pid.isdigit() and not _alive(int(pid)):
                shutil.rmtree(stale, ignore_errors=True)
    for stale in output.parent.glob(f".{journal.name}.*.tmp"):
        pid = stale.name.split(".")[-2]
        if pid.isdigit() and not _alive(int(pid)):
            stale.unlink(missing_ok=True)


INCOMPLETE_TEXT = b"This folder was built by villagesite; a build was cut off, and the next one writes it whole.\n"


def _mark_incomplete(output: Path) -> None:
    """The output holds files of two builds: the marker says so, and no manifest is believed."""
    if output.is_dir():
        (output / MARKER).write_bytes(INCOMPLETE_TEXT)


def is_whole(output: Path) -> bool:
    """Whether ``output`` is a folder villagesite wrote whole (not one a cut-off build left mixed)."""
    try:
        return (output / MARKER).read_bytes() == MARKER_TEXT
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


DISK_FULL = (errno.ENOSPC, errno.EDQUOT)
NOT_WRITABLE = (errno.EACCES, errno.EPERM, errno.EROFS)


def disk_reason(exc: OSError) -> str | None:
    """'disk full' or 'permission denied' when that is why ``exc`` happened, else None."""
    if exc.errno in DISK_FULL:
        return "disk full"
    if exc.errno == errno.EROFS:
        return "read-only file system"
    if exc.errno in NOT_WRITABLE:
        return "permission denied"
    return None


CACHE_ENV = "VILLAGESITE_CACHE_DIR"
"""Where to keep encoded photos between builds, when not ``.villagesite-cache/`` in the site (CI caches)."""


def cache_error(root: Path, exc: OSError) -> VillageSiteError:
    """One line for a cache folder that cannot be written: never taken for a damaged photo or page."""
    reason = disk_reason(exc) or exc.strerror or type(exc).__name__
    what = "free space" if exc.errno in DISK_FULL else "make it writable"
    return VillageSiteError(
        [error("", None, f"the cache folder {root} cannot be written: {reason}; {what} or set {CACHE_ENV}")]
    )


def output_error(output: Path, exc: OSError) -> VillageSiteError:
    """One line for a file of the output that could not be written, naming the folder and what to do."""
    folder = output
    for name in (exc.filename2, exc.filename):
        if name and Path(name).is_relative_to(output):
            folder = Path(name).parent
            break
    reason = disk_reason(exc) or exc.strerror or type(exc).__name__
    hint = "free space on its disk" if exc.errno in DISK_FULL else "make it writable"
    return VillageSiteError(
        [
            error(
                "",
                None,
                f"the output folder {folder} cannot be written: {reason}; {hint}, or choose another with"
                " --output (the output is left as it was)",
            )
        ]
    )


def _check_replaceable(output: Path) -> None:
    if output.exists() and (not output.is_dir() or (any(output.iterdir()) and not (output / MARKER).exists())):
        raise VillageSiteError(
            [
                error(
                    str(output),
                    None,
                    "this folder was not made by villagesite, so it will not be replaced",
                    hint="choose an empty or new folder with --output",
                )
            ]
        )


def manifest_path(cache: Path, output: Path) -> Path:
    """One manifest per output folder (a preview and the real build share the cache)."""
    return cache / "outputs" / f"{hashlib.sha256(str(output).encode()).hexdigest()[:16]}.json"


def load_manifest(manifest: Path, output: Path) -> Manifest | None:
    """The previous build's manifest, if the output it describes is still there."""
    recover(output)  # a build cut off after its commit is completed first, so the manifest matches
    if not is_whole(output):
        return None
    try:
        data = read_sealed(manifest, MANIFEST_VERSION)
        if data is None:
            return None
        files = {str(k): str(v) for k, v in data["files"].items()}
        deps = {str(k): {str(a): str(b) for a, b in v.items()} for k, v in data["deps"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return Manifest(files, deps)


def save_manifest(manifest: Path, content: Manifest) -> None:
    manifest.parent.mkdir(parents=True, exist_ok=True)
    write_sealed(manifest, MANIFEST_VERSION, {"files": dict(sorted(content.files.items())), "deps": content.deps})
