"""Photo pipeline benchmark: phone-size JPEGs through villagesite, against a naive Pillow loop.

Generates phone-like photos (4000x3000 JPEG with texture and noise, an EXIF
orientation and a GPS position), builds a site that shows them all, and prints,
in one run:

- photos per second, cold, with villagesite's pipeline (three WebP widths);
- photos per second with a naive single-process Pillow loop making the same
  variants (open, exif_transpose, LANCZOS resize to each width, save);
- the warm rebuild time and how many photos it encoded;
- peak memory (the build process and its largest worker);
- bytes published against bytes of the originals, at the default settings.

Run on demand (never in the test suite):

    .venv/bin/python benchmarks/images.py [--photos 200] [--naive-sample 40]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageOps

from villagesite import build, load_config

WIDTHS = (480, 960, 1600)


def base_photo(seed: int, width: int = 4000, height: int = 3000) -> Image.Image:
    """Sky, a textured scene of shapes, sensor noise: compresses like a real photo (about 3 MB at q90)."""
    rnd = random.Random(seed)
    small_w, small_h = width // 4, height // 4
    small = Image.new("RGB", (small_w, small_h))
    draw = ImageDraw.Draw(small)
    top = tuple(rnd.randint(140, 230) for _ in range(3))
    bottom = tuple(rnd.randint(20, 110) for _ in range(3))
    for y in range(small_h):
        t = y / small_h
        draw.line([(0, y), (small_w, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    for _ in range(500):
        x, y, r = rnd.randint(0, small_w), rnd.randint(small_h // 3, small_h), rnd.randint(2, 40)
        colour = tuple(rnd.randint(0, 255) for _ in range(3))
        (draw.rectangle if rnd.random() < 0.5 else draw.ellipse)((x, y, x + r * 2, y + r), fill=colour)
    image = small.resize((width, height), Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(1.2))
    return Image.blend(image, Image.effect_noise((width, height), 40).convert("RGB"), 0.18)


def phone_bytes(base: Image.Image, index: int) -> bytes:
    """A distinct photo (its own bytes and hash) stored sideways with orientation 6 and GPS, like a phone's."""
    rnd = random.Random(index)
    image = base.copy()
    image.paste(
        tuple(rnd.randint(0, 255) for _ in range(3)), (rnd.randint(0, 3900), rnd.randint(0, 2900)) + (4000, 3000)
    )
    stored = image.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    exif.get_ifd(0x8825).update({1: "N", 2: (22.0, 48.0, float(index % 60)), 3: "E", 4: (113.0, 9.0, 0.0)})
    buffer = io.BytesIO()
    stored.save(buffer, "JPEG", quality=90, exif=exif)
    return buffer.getvalue()


def make_photos(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    existing = sorted(folder.glob("p*.jpg"))
    if len(existing) >= count:
        return existing[:count]
    bases = [base_photo(seed) for seed in range(min(8, count))]
    paths = []
    for index in range(count):
        path = folder / f"p{index:04d}.jpg"
        if not path.exists():
            path.write_bytes(phone_bytes(bases[index % len(bases)], index))
        paths.append(path)
    return paths


def make_site(root: Path, photos: list[Path], settings: str) -> None:
    root.mkdir(parents=True)
    (root / "site.yaml").write_text(f"title: 照片测试\n{settings}", encoding="utf-8")
    for index in range(0, len(photos), 10):
        folder = root / "content" / "villages" / f"v{index // 10:03d}"
        folder.mkdir(parents=True)
        gallery = []
        for photo in photos[index : index + 10]:
            shutil.copyfile(photo, folder / photo.name)
            gallery.append(f"  - {{src: {photo.name}, alt: 照片}}")
        (folder / "index.md").write_text(
            f"---\ntitle: 村{index}\nstyle: cantonese\ncity: 佛山市\nlocation: {{lat: 22.8, lon: 113.1}}\n"
            f"summary: 测试。\ngallery:\n" + "\n".join(gallery) + "\n---\n正文\n",
            encoding="utf-8",
        )


def naive_loop(photos: list[Path], out: Path) -> float:
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for photo in photos:
        with Image.open(photo) as opened:
            upright = ImageOps.exif_transpose(opened)
            for width in WIDTHS:
                height = round(upright.height * width / upright.width)
                upright.resize((width, height), Image.Resampling.LANCZOS).save(
                    out / f"{photo.stem}-{width}.webp", quality=80
                )
    return time.perf_counter() - started


def folder_bytes(folder: Path, pattern: str = "*") -> int:
    return sum(p.stat().st_size for p in folder.rglob(pattern) if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--photos", type=int, default=200)
    parser.add_argument("--naive-sample", type=int, default=40, help="photos the naive loop processes (it is slow)")
    parser.add_argument("--warm-runs", type=int, default=5)
    parser.add_argument("--photo-cache", type=Path, default=Path(tempfile.gettempdir()) / "villagesite-bench-photos-v2")
    parser.add_argument("--measure", nargs=3, metavar=("SITE", "OUT", "RUNS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(Path(args.measure[0]), Path(args.measure[1]), int(args.measure[2]))
        return

    photos = make_photos(args.photo_cache, args.photos)
    bytes_in = sum(p.stat().st_size for p in photos)
    print(f"{len(photos)} photos, 4000x3000 JPEG, {bytes_in / len(photos) / 2**20:.1f} MiB each on average")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        site = work / "site"
        make_site(site, photos, "images:\n  widths: [480, 960, 1600]\n  formats: [webp]\n")
        # The builds run in a child process, so its peak memory is the pipeline's, not the generator's.
        measured = json.loads(
            subprocess.run(
                [sys.executable, __file__, "--measure", str(site), str(work / "out"), str(args.warm_runs)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        cold_s = measured["cold"]
        print(
            f"villagesite cold, 3 WebP widths: {cold_s:.1f} s, {len(photos) / cold_s:.2f} photos/s "
            f"({measured['cold_encoded']} encoded)"
        )
        print(
            f"villagesite warm rebuild: median {statistics.median(measured['warm']):.2f} s over {args.warm_runs} "
            f"runs ({measured['warm_encoded']} encoded, {measured['warm_cached']} from the cache)"
        )
        print(
            f"peak memory (RSS): build process {measured['self_mib']:.0f} MiB, largest worker "
            f"{measured['worker_mib']:.0f} MiB; with two workers at most "
            f"{measured['self_mib'] + 2 * measured['worker_mib']:.0f} MiB in all"
        )

        sample = photos[: args.naive_sample]
        naive_s = naive_loop(sample, work / "naive")
        naive_rate = len(sample) / naive_s
        print(f"naive Pillow loop, same variants: {naive_s:.1f} s for {len(sample)} photos, {naive_rate:.2f} photos/s")
        print(f"speed-up over the naive loop: {len(photos) / cold_s / naive_rate:.1f}x")

        defaults = work / "defaults"
        make_site(defaults, photos, "")
        report = build(load_config(defaults), output=work / "out-defaults")
        published = folder_bytes(work / "out-defaults" / "img")
        formats = ", ".join(load_config(defaults).images.formats)
        print(
            f"default settings ({formats}): published photo bytes {published / 2**20:.1f} MiB = "
            f"{100 * published / bytes_in:.1f}% of the originals ({bytes_in / 2**20:.0f} MiB); "
            f"{report.photos_encoded} photos encoded"
        )


def _high_water_mib() -> float:
    """This process's peak RSS (VmHWM): unlike ru_maxrss, exec resets it, so the parent's peak is not counted."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(site: Path, out: Path, warm_runs: int) -> None:
    """Cold build, warm rebuilds, peak memory: printed as JSON for the parent."""
    config = load_config(site)
    started = time.perf_counter()
    cold = build(config, output=out)
    cold_s = time.perf_counter() - started
    warm = []
    for _ in range(warm_runs):
        started = time.perf_counter()
        report = build(config, output=out)
        warm.append(time.perf_counter() - started)
    print(
        json.dumps(
            {
                "cold": cold_s,
                "cold_encoded": cold.photos_encoded,
                "warm": warm,
                "warm_encoded": report.photos_encoded,
                "warm_cached": report.photos_cached,
                "self_mib": _high_water_mib(),
                "worker_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            }
        )
    )


if __name__ == "__main__":
    main()
