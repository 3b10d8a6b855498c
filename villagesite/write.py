"""Write the output beside the old one, then swap it in: a failed build changes nothing.

The new site is written to a sibling folder (same file system, so the swap is
two renames).  If the process dies between the renames, the next build puts
the previous output back before doing anything else.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from .errors import VillageSiteError, error


@dataclass(frozen=True, slots=True)
class FromFile:
    """An output that is an existing file: copied, or hard-linked when it never changes in place."""

    path: Path
    link: bool = False


MARKER = ".villagesite"
"""A file in every output folder: villagesite only ever replaces folders it made."""
MARKER_TEXT = b"This folder was built by villagesite and is replaced on every build.\n"


class StagedOutput:
    """A folder being filled with a new build; :meth:`publish` swaps it in."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self.old = output.with_name(output.name + ".old")
        self.staging = output.with_name(f".{output.name}.building-{os.getpid()}")
        self.written = 0

    def __enter__(self) -> StagedOutput:
        recover(self.output)
        _check_replaceable(self.output)
        if self.staging.exists():
            shutil.rmtree(self.staging)
        self.staging.mkdir(parents=True)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.staging.exists():  # not published: an error, Ctrl-C, or a bug
            shutil.rmtree(self.staging, ignore_errors=True)

    def put(self, rel: str, content: bytes | FromFile) -> None:
        target = self.staging / rel
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
        self.written += 1

    def publish(self) -> None:
        (self.staging / MARKER).write_bytes(MARKER_TEXT)
        if self.old.exists():
            shutil.rmtree(self.old)
        if self.output.exists():
            os.rename(self.output, self.old)
        os.rename(self.staging, self.output)
        if self.old.exists():
            shutil.rmtree(self.old, ignore_errors=True)


def recover(output: Path) -> None:
    """Undo a swap that was cut off halfway, and clear folders of builds that died."""
    old = output.with_name(output.name + ".old")
    if old.exists() and not output.exists():
        os.rename(old, output)
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
