"""Write the output so that a failed or interrupted build never leaves a broken site.

Two ways, both all-or-nothing:

- **Full**: when there is no previous output (or ``--clean``), everything is
  written to a sibling folder, which is then swapped in (two renames).
- **Incremental**: when a previous build's manifest says what the output holds,
  only new and changed files are written, to a staging folder; then a journal
  listing the moves and deletions is saved (the commit point) and applied.
  Unchanged files are not touched: their mtime stays, and a live-reloading
  browser is not disturbed.

Whatever happens before the commit point leaves the output as it was; a build
that dies after it is completed by the next one, which first replays the
journal.  Every folder that is replaced or changed must carry the marker file
villagesite leaves, so it never touches a folder it did not make.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .errors import VillageSiteError, error

MARKER = ".villagesite"
"""A file in every output folder: villagesite only ever replaces folders it made."""
MARKER_TEXT = b"This folder was built by villagesite and is replaced on every build.\n"
MANIFEST_VERSION = 4


@dataclass(frozen=True, slots=True)
class FromFile:
    """An output that is an existing file: copied, or hard-linked when it never changes in place."""

    path: Path
    link: bool = False


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
    stat = content.path.stat()
    if content.link:
        # A cache file is named by its content and never changed in place; its mtime only says when
        # a build last used it (for pruning), which is no change to the output.
        return f"file:{content.path}:{stat.st_size}:{stat.st_ino}"
    return f"file:{content.path}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ino}"


def open_staging(output: Path) -> Path:
    """The folder this build writes into beside ``output``, empty (see :func:`stage`)."""
    recover(output)
    _check_replaceable(output)
    staging = _staging(output)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


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
    work, never a wrong file); ``save`` may do it later (the preview does, after the reload)."""
    recover(output)
    _check_replaceable(output)
    if previous is None:
        if any(isinstance(content, Unchanged) for content in files.values()):
            raise AssertionError("an output was skipped without a previous manifest")
        planned = {rel: fingerprint(content) for rel, content in files.items()}
        _write_full(output, files)
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
    if changed or removed or deps != previous.deps:
        if changed or removed:
            _write_incremental(output, files, changed, removed)
        (save or save_manifest)(manifest, now)
    return WriteReport(tuple(changed), tuple(removed), len(planned) - len(changed), now)


def _put(target: Path, content: Content) -> None:
    if isinstance(content, Staged):
        return  # there already
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        target.write_bytes(content)
    elif content.link:
        try:
            os.link(content.path, target)  # cache files are replaced, never changed in place
        except OSError:
            shutil.copyfile(content.path, target)
    else:
        shutil.copyfile(content.path, target)


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


def _journal(output: Path) -> Path:
    return output.with_name(f".{output.name}.journal.json")


def _write_full(output: Path, files: Mapping[str, Content]) -> None:
    staging = _staging(output)
    old = output.with_name(output.name + ".old")
    try:
        _put_all(staging, files, sorted(files))
        (staging / MARKER).write_bytes(MARKER_TEXT)
        if old.exists():
            shutil.rmtree(old)
        if output.exists():
            os.rename(output, old)
        os.rename(staging, output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(old, ignore_errors=True)


def _write_incremental(output: Path, files: Mapping[str, Content], changed: list[str], removed: list[str]) -> None:
    staging = _staging(output)
    try:
        _put_all(staging, files, changed)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    journal = _journal(output)
    temporary = journal.with_name(journal.name + ".tmp")
    temporary.write_text(json.dumps({"staging": staging.name, "moves": changed, "deletes": removed}), encoding="utf-8")
    os.replace(temporary, journal)  # the commit point
    _replay(output, journal)


def _replay(output: Path, journal: Path) -> None:
    """Apply a committed journal; safe to run again after being cut off."""
    entry = json.loads(journal.read_text(encoding="utf-8"))
    staging = output.parent / entry["staging"]
    for rel in entry["moves"]:
        source = staging / rel
        if source.exists():
            (output / rel).parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, output / rel)
    for rel in entry["deletes"]:
        target = output / rel
        target.unlink(missing_ok=True)
        _remove_empty_parents(target.parent, output)
    journal.unlink()
    shutil.rmtree(staging, ignore_errors=True)


def _remove_empty_parents(folder: Path, output: Path) -> None:
    while folder != output and folder.is_relative_to(output):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def recover(output: Path) -> None:
    """Finish or undo what a build that died left behind, before anything else."""
    journal = _journal(output)
    if journal.exists():
        _replay(output, journal)
    old = output.with_name(output.name + ".old")
    if old.exists() and not output.exists():
        os.rename(old, output)  # cut off between the two renames of a full write
    for stale in output.parent.glob(f".{output.name}.building-*"):
        pid = stale.name.rpartition("-")[2]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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
    if not (output / MARKER).exists():
        return None
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if data.get("version") != MANIFEST_VERSION:
            return None
        files = {str(k): str(v) for k, v in data["files"].items()}
        deps = {str(k): {str(a): str(b) for a, b in v.items()} for k, v in data["deps"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return Manifest(files, deps)


def save_manifest(manifest: Path, content: Manifest) -> None:
    manifest.parent.mkdir(parents=True, exist_ok=True)
    temporary = manifest.with_name(manifest.name + ".tmp")
    data = {"version": MANIFEST_VERSION, "files": dict(sorted(content.files.items())), "deps": content.deps}
    temporary.write_text(json.dumps(data), encoding="utf-8")
    os.replace(temporary, manifest)
