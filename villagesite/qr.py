"""QR codes of village pages' public addresses, as SVG files beside each page (``qr.svg``).

The village page shows the code and the printable poster at the village gate
prints it.  segno (pure Python, no dependencies) encodes; error correction
level Q (25 %) survives a weathered sign or a sticker on it.  Encoding takes a
few milliseconds, so each code is kept in the build cache by its content and
hard-linked into the output, like photo variants: a rebuild encodes only the
codes of new addresses.
"""

from __future__ import annotations

import hashlib
import os
import time
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


def cached_qr(cache_dir: Path, data: str) -> Path:
    """The cached SVG file of ``data``'s code, encoded now if it is not there yet."""
    digest = hashlib.sha256(f"q|{segno.__version__}|{data}".encode()).hexdigest()[:24]
    path = cache_dir / "qr" / f"{digest}.svg"
    try:
        if path.stat().st_mtime < time.time() - 86400:
            os.utime(path)  # used: the cache's pruning keeps it (once a day is enough)
        return path
    except FileNotFoundError:
        pass
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(qr_svg(data))
        os.replace(temporary, path)
    return path
