"""The manifest: what the output holds (a fingerprint per file) and what each rendered file was made from.

One per output folder, in the cache.  :mod:`villagesite.write` saves it after
the files (a manifest older than the output costs the next build work, never a
wrong file); it is believed only when the output it describes is whole and the
file checks (see :mod:`villagesite.sealed`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .commit import is_whole, recover
from .sealed import read_sealed, write_sealed

MANIFEST_VERSION = 5


@dataclass(frozen=True, slots=True)
class Manifest:
    """What the output holds (fingerprint per file) and what each rendered file was made from."""

    files: dict[str, str]
    deps: dict[str, dict[str, str]]


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
