"""A fingerprint of everything a build reads, from file stats: an unchanged site is not built again.

Reading, parsing and rendering thousands of pages to find that nothing changed
costs seconds; a ``stat`` of every input file costs milliseconds.  Any edit,
even a save of the same bytes, changes a file's mtime, so a match is safe.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from . import __version__
from .config import CONFIG_NAME, SiteConfig
from .event_days import today
from .themes import builtin_themes_dir


def input_fingerprint(config: SiteConfig, *, drafts: bool) -> str:
    """Hash of the settings, the program version and the stat of every file under the site's inputs."""
    digest = hashlib.sha256()
    # Today is an input: an event over by today is marked past (the first build of a day runs, incrementally).
    digest.update(f"{__version__}|{config.fingerprint()}|{drafts}|{today()}|".encode())
    digest.update((config.root / CONFIG_NAME).read_bytes())
    for folder in (config.content_dir, config.static_dir, config.themes_dir, builtin_themes_dir()):
        _walk(folder, digest)
    return digest.hexdigest()


def _walk(folder: Path, digest: hashlib._Hash) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except (FileNotFoundError, NotADirectoryError):
        digest.update(f"missing:{folder}\n".encode())
        return
    for entry in entries:
        try:
            is_dir = entry.is_dir(follow_symlinks=True)
        except OSError:  # a link in a loop: the build reports it
            digest.update(f"unreadable:{entry.path}\n".encode())
            continue
        if is_dir:
            if entry.is_symlink() and os.path.realpath(entry.path) in _ancestors(entry.path):
                digest.update(f"loop:{entry.path}\n".encode())
                continue
            _walk(Path(entry.path), digest)
        else:
            try:
                stat = entry.stat(follow_symlinks=True)
            except OSError:  # a link to nothing is an input too: the build reports it
                digest.update(f"unreadable:{entry.path}\n".encode())
                continue
            digest.update(f"{entry.path}|{stat.st_size}|{stat.st_mtime_ns}|{stat.st_ino}\n".encode())


def _ancestors(path: str) -> set[str]:
    """The real paths of the folders that hold ``path``: a link to one of them would be walked forever."""
    found = set()
    folder = os.path.dirname(os.path.realpath(os.path.dirname(path)) + "/x")
    while True:
        found.add(folder)
        parent = os.path.dirname(folder)
        if parent == folder:
            return found
        folder = parent
