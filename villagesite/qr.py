"""QR codes of village pages' public addresses, as SVG files beside each page (``qr.svg``).

The village page shows the code and the printable poster at the village gate
prints it.  segno (pure Python, no dependencies) encodes; error correction
level Q (25 %) survives a weathered sign or a sticker on it.  Encoding takes a
few milliseconds, so each code is kept in the build cache by its content and
copied into the output, like photo variants: a rebuild encodes only the
codes of new addresses.  Published codes are copies, never links: a cache file
damaged later cannot reach the site, and a cached file is checked against the
hash in its name before it is copied.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Callable
from pathlib import Path

import segno

QR_FILE = "qr.svg"
"""The file name of a village's code, beside its page."""
DARK = "#1d1a17"


def qr_svg(data: str) -> bytes:
    """A standalone SVG of a QR code holding ``data``, with the quiet zone the standard asks; it scales freely."""
    code = segno.make(data, error="q", micro=False, boost_error=False)
    svg = code.svg_inline(scale=1, border=4, omitsize=True, dark=DARK, light="#fff", svgclass="qr")
    return svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1).encode("utf-8") + b"\n"


class QrCodes:
    """Cached SVG files of codes, each named by what it encodes and the SHA-256 of its bytes
    (``<key>.<hash>.svg``): a file is used only when it holds what its name says, or when the output
    already holds it (``published``: then it is not read).  With ``trust=False`` (``--clean``) every
    code is encoded again."""

    def __init__(
        self, cache_dir: Path, *, trust: bool = True, published: Callable[[str, str], bool] | None = None
    ) -> None:
        self.folder = cache_dir / "qr"
        self.trust = trust
        self.published = published
        self._names: dict[str, list[str]] | None = None

    def file(self, data: str, rel: str) -> tuple[Path, str]:
        """The checked cached file of ``data``'s code (published at ``rel``), encoded now if there is
        none; and the hash of its bytes."""
        key = hashlib.sha256(f"q|{segno.__version__}|{data}".encode()).hexdigest()[:24]
        for name in self._listing().get(key, ()) if self.trust else ():
            path = self.folder / name
            digest = name.split(".")[1]
            if (self.published is not None and self.published(rel, f"sha:{digest}")) or _digest_of(path) == digest:
                with contextlib.suppress(OSError):
                    if path.stat().st_mtime < time.time() - 86400:
                        os.utime(path)  # used: the cache's pruning keeps it (once a day is enough)
                return path, digest
            with contextlib.suppress(OSError):
                path.unlink()  # damaged: encoded again
        svg = qr_svg(data)
        digest = hashlib.sha256(svg).hexdigest()[:DIGEST_LENGTH]
        path = self.folder / f"{key}.{digest}.svg"
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(svg)
        os.replace(temporary, path)
        return path, digest

    def _listing(self) -> dict[str, list[str]]:
        """The folder listed once per build (a few milliseconds for 5,000 codes), not a stat per code."""
        if self._names is None:
            self._names = {}
            try:
                listing = os.listdir(self.folder)
            except OSError:
                listing = []
            for name in listing:
                parts = name.split(".")
                if len(parts) == 3 and len(parts[1]) == DIGEST_LENGTH:
                    self._names.setdefault(parts[0], []).append(name)
        return self._names


DIGEST_LENGTH = 32


def _digest_of(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:DIGEST_LENGTH]
    except OSError:
        return None
