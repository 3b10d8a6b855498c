"""Bytes, encode time and fidelity (PSNR) of each format and quality, to choose the image defaults.

Each phone-like photo from benchmarks/images.py is resized to each width once;
every format and quality then encodes that same picture. Medians over the
photos are printed as a table (docs/images.md quotes it).

    .venv/bin/python benchmarks/image_formats.py [--photos 6]
"""

from __future__ import annotations

import argparse
import io
import math
import statistics
import tempfile
import time
from pathlib import Path

from images import make_photos  # benchmarks/images.py: the same phone-like photos
from PIL import Image, ImageChops, ImageOps, ImageStat

SETTINGS = [
    ("jpeg", 80, {"optimize": True, "progressive": True}),
    ("webp", 75, {"method": 4}),
    ("webp", 80, {"method": 4}),
    ("webp", 80, {"method": 6}),
    ("avif", 50, {"speed": 6}),
    ("avif", 60, {"speed": 6}),
    ("avif", 60, {"speed": 8}),
]


def psnr(reference: Image.Image, encoded: bytes) -> float:
    with Image.open(io.BytesIO(encoded)) as image:
        difference = ImageChops.difference(reference, image.convert("RGB"))
    mse = statistics.fmean(value**2 for value in ImageStat.Stat(difference).rms)
    return 99.0 if mse == 0 else 10 * math.log10(255**2 / mse)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--photos", type=int, default=6)
    parser.add_argument("--photo-cache", type=Path, default=Path(tempfile.gettempdir()) / "villagesite-bench-photos-v2")
    args = parser.parse_args()
    photos = make_photos(args.photo_cache, args.photos)
    rows: dict[tuple[int, str, int, str], list[tuple[int, float, float]]] = {}
    for path in photos:
        with Image.open(path) as opened:
            upright = ImageOps.exif_transpose(opened).convert("RGB")
        for width in (480, 960, 1600):
            picture = upright.resize((width, round(upright.height * width / upright.width)), Image.Resampling.LANCZOS)
            for fmt, quality, options in SETTINGS:
                buffer = io.BytesIO()
                started = time.perf_counter()
                picture.save(buffer, fmt.upper(), quality=quality, **options)
                seconds = time.perf_counter() - started
                key = (width, fmt, quality, ",".join(f"{k}={v}" for k, v in options.items() if k != "optimize"))
                rows.setdefault(key, []).append((len(buffer.getvalue()), seconds, psnr(picture, buffer.getvalue())))
    print("| width | format | quality | options | median KiB | median ms | median PSNR dB |")
    print("|---|---|---|---|---|---|---|")
    for (width, fmt, quality, options), values in rows.items():
        size = statistics.median(v[0] for v in values) / 1024
        ms = statistics.median(v[1] for v in values) * 1000
        db = statistics.median(v[2] for v in values)
        print(f"| {width} | {fmt} | {quality} | {options} | {size:.0f} | {ms:.0f} | {db:.1f} |")


if __name__ == "__main__":
    main()
