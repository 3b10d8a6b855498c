"""Put a staged output in place all or nothing, and finish or undo a commit a build left half done.

:mod:`villagesite.write` stages the files; this module moves them in.  A whole
output is swapped in with two renames (:func:`swap_in`).  An incremental
:func:`commit` first saves a journal listing the moves and deletions (the
commit point), then applies it.

After the commit point, every file the commit replaces or deletes is first
kept (a hard link) in a backup folder beside the output, so a commit that fails
(a read-only subfolder, a full disk) is undone on the spot and the output is
exactly the old site; a build that dies after the commit point is completed by
the next one, which first replays the journal (:func:`recover`), and never
skips a move it cannot make (the output is then written whole again).  Every
folder that is replaced or changed must carry the marker file villagesite
leaves, so it never touches a folder it did not make.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from .errors import VillageSiteError, error
from .i18n import _
from .sealed import replace_text

MARKER = ".villagesite"
"""A file in every output folder: villagesite only ever replaces folders it made."""
MARKER_TEXT = b"This folder was built by villagesite and is replaced on every build.\n"
INCOMPLETE_TEXT = b"This folder was built by villagesite; a build was cut off, and the next one writes it whole.\n"


def staging_path(output: Path) -> Path:
    return output.with_name(f".{output.name}.building-{os.getpid()}")


def backup_path(output: Path) -> Path:
    """Where a commit keeps the files it replaces or deletes until it is complete."""
    return output.with_name(f".{output.name}.replaced-{os.getpid()}")


def journal_path(output: Path) -> Path:
    return output.with_name(f".{output.name}.journal.json")


def _old(output: Path) -> Path:
    return output.with_name(output.name + ".old")


def check_replaceable(output: Path) -> None:
    if output.exists() and (not output.is_dir() or (any(output.iterdir()) and not (output / MARKER).exists())):
        raise VillageSiteError(
            [
                error(
                    str(output),
                    None,
                    _("this folder was not made by villagesite, so it will not be replaced"),
                    hint=_("choose an empty or new folder with --output"),
                )
            ]
        )


def swap_in(output: Path, staging: Path) -> None:
    """A whole new output in place of the old: output -> output.old, staging -> output."""
    old = _old(output)
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


def commit(
    output: Path,
    staging: Path,
    changed: list[str],
    removed: list[str],
    save: Callable[[], None],
    manifest: Path,
) -> None:
    """Move the staged ``changed`` files into ``output`` and delete ``removed``: the journal saved first is
    the commit point, and a failure after it (``save``, the manifest's, included) is undone on the spot."""
    # Each staged file's inode: a move the journal names whose file is gone is done only if the output
    # holds that very file (recovery never takes a missing file for a moved one).
    moves = [[rel, os.stat(staging / rel).st_ino] for rel in changed]
    entry = {
        "staging": staging.name,
        "backup": backup_path(output).name,
        "manifest": str(manifest),
        "moves": moves,
        "deletes": removed,
        "undo": False,
    }
    journal = journal_path(output)
    _save_json(journal, entry)  # the commit point
    try:
        missing = _forward(output, entry)
        if missing:
            # The editor reads it as why the output folder cannot be written (disk_errors.output_error).
            raise OSError(errno.ENOENT, _("staged files are missing"), str(staging / missing[0]))
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
    journal = journal_path(output)
    if journal.exists():
        try:
            entry = json.loads(journal.read_text(encoding="utf-8"))
            entry["moves"] = [[m, -1] if isinstance(m, str) else m for m in entry["moves"]]  # an older journal
            entry.setdefault("backup", backup_path(output).name)
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
