"""What a build may read: files and folders whose real path is inside the site folder.

A link (``ln -s /etc/passwd static/passwd.txt``) must not publish a file from
elsewhere on the editor's computer, and a link that leads round in a loop must
be a message, not ``OSError: Too many levels of symbolic links``.  Links that
stay inside the site (a photo shared by two villages) are followed.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import Problem, error
from .i18n import _


def is_ignored(name: str) -> bool:
    """Hidden files and editors' temporary files are never content."""
    return name.startswith((".", "~", "#")) or name.endswith(("~", ".swp", ".tmp", ".bak"))


def link_problem(path: str, root: Path, rel: str) -> Problem | None:
    """Why the link at ``path`` may not be followed (None when it is no link or stays inside ``root``).

    ``root`` is the site folder's real path (``Path.resolve()``); ``rel`` is
    how the editor sees ``path``.  Only links pay for resolving: the walks ask
    ``DirEntry.is_symlink()`` first, which costs no system call on Linux.
    """
    try:
        real = os.path.realpath(path, strict=True)
    except OSError as exc:
        if _is_loop(exc):
            return error(
                rel,
                None,
                _("is a link that leads round in a loop (a link to itself or to a folder that holds it)"),
                hint=_("remove the link"),
            )
        return error(
            rel,
            None,
            # TRANSLATORS: {target} is where the link points, in quotes: 'photos/old.jpg'.
            _("is a link to {target}, which does not exist", target=repr(os.readlink(path))),
            hint=_("remove the link"),
        )
    if Path(real).is_relative_to(root):
        return None
    return error(
        rel,
        None,
        _(
            "is a link to {target}, outside the site folder: villagesite reads and publishes only files inside it",
            target=real,
        ),
        hint=_("copy the file or folder into the site instead of linking to it"),
    )


def _is_loop(exc: OSError) -> bool:
    return exc.errno == 40 or "symbolic links" in str(exc) or isinstance(exc, RuntimeError)


def site_files(folder: Path, root: Path, rel_prefix: str) -> tuple[list[Path], list[Problem]]:
    """Every file under ``folder`` (hidden files left out), and the links that lead out of the site or loop.

    Folders reached through links inside the site are walked once each, by real path.
    """
    files: list[Path] = []
    problems: list[Problem] = []
    seen: set[str] = set()

    def walk(directory: str, prefix: str) -> None:
        real = os.path.realpath(directory)
        if real in seen:
            return  # a link back to a folder already walked
        seen.add(real)
        try:
            with os.scandir(directory) as scanned:
                entries = sorted(scanned, key=lambda entry: entry.name)
        except OSError:
            return
        for entry in entries:
            if is_ignored(entry.name):
                continue
            rel = f"{rel_prefix}{prefix}{entry.name}"
            if entry.is_symlink():
                problem = link_problem(entry.path, root, rel)
                if problem is not None:
                    problems.append(problem)
                    continue
            if entry.is_dir():
                walk(entry.path, f"{prefix}{entry.name}/")
            elif entry.is_file():
                files.append(Path(entry.path))

    if folder.is_dir():
        walk(str(folder), "")
    return files, problems
