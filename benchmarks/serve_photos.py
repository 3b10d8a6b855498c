"""First preview with many uncached phone photos: how soon `villagesite serve` shows a page, then its photos.

Generates a site of villages with phone-sized photos (4000x3000 JPEG at quality 90, each different:
a photo-like scene of sky, hills, river and walls with sensor noise, so encoders work as hard as on
real photos), then:

- with an empty cache, starts `villagesite serve` in a child process and times, from the command's
  start, the first answer of the first village's page (the issue's target: under 3 s with 200
  photos on 2 cores), then the first screen's photos as a phone's browser asks for them (the cover
  and the next two pictures, each at the width nearest 800 px in the first format listed: AVIF;
  target: within 2 s more); each cold run starts from an empty cache;
- fills the cache with one `villagesite build` (every photo encoded), then starts `serve` again on
  the warm cache: the first page's answer (target: under 1 s).

``--eleventy DIR`` runs the same site through Eleventy 3 with its image plugin
(eleventy-img's HTML transform: AVIF, WebP and JPEG at the same widths), whose dev
server encodes an image when the browser asks for it (``transformOnRequest``):
the peer the issue names.  ``DIR`` holds its ``node_modules``:

    npm install --prefix /tmp/peers @11ty/eleventy@3.1.8 @11ty/eleventy-img@6.0.4
    .venv/bin/python benchmarks/serve_photos.py --photos 200 --runs 3 --tmp /dev/shm --eleventy /tmp/peers

Medians of ``--runs``.  Photos are generated once into ``--tmp``/photos (about 3 MB each) and
reused by later runs.  The site has search on, as a new site does.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

SRCSET = re.compile(r'<source[^>]*srcset="([^"]+)"|<img[^>]*srcset="([^"]+)"')
PHOTOS_PER_VILLAGE = 10


def phone_photo(path: Path, seed: int) -> None:
    """A 12-megapixel scene with noise, different for every seed."""
    rng = random.Random(seed)
    width, height = 4000, 3000
    small = Image.new("RGB", (400, 300))
    draw = ImageDraw.Draw(small)
    sky = (rng.randint(120, 200), rng.randint(160, 220), rng.randint(200, 250))
    draw.rectangle((0, 0, 400, 150), fill=sky)
    for _ in range(4):  # hills
        x = rng.randint(-100, 400)
        draw.ellipse((x, rng.randint(80, 140), x + rng.randint(150, 300), 300), fill=(60, rng.randint(90, 140), 60))
    draw.rectangle((0, 220, 400, 300), fill=(70, 110, rng.randint(120, 170)))  # river
    for _ in range(6):  # grey-brick walls and dark roofs
        x, y = rng.randint(0, 360), rng.randint(140, 200)
        draw.rectangle((x, y, x + rng.randint(30, 70), y + 40), fill=(120, 124, 130))
        draw.polygon([(x - 5, y), (x + 25, y - 15), (x + 60, y)], fill=(50, 52, 58))
    image = small.resize((width, height), Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(2))
    noise = Image.effect_noise((width, height), 18).convert("RGB")
    Image.blend(image, noise, 0.12).save(path, "JPEG", quality=90)


def make_site(root: Path, photos: int, library: Path) -> None:
    library.mkdir(parents=True, exist_ok=True)
    for number in range(photos):
        path = library / f"p{number:04d}.jpg"
        if not path.exists():
            phone_photo(path, number)
    if root.exists():
        shutil.rmtree(root)
    (root / "content/villages").mkdir(parents=True)
    (root / "site.yaml").write_text("title: 照片测试\nbase_url: /\n", encoding="utf-8")
    for village in range((photos + PHOTOS_PER_VILLAGE - 1) // PHOTOS_PER_VILLAGE):
        folder = root / f"content/villages/v{village:03d}"
        folder.mkdir()
        names = []
        for index in range(PHOTOS_PER_VILLAGE):
            number = village * PHOTOS_PER_VILLAGE + index
            if number >= photos:
                break
            name = f"photo{index}.jpg"
            try:  # a hard link: a symbolic one out of the site would be refused, and copies cost disk
                os.link(library / f"p{number:04d}.jpg", folder / name)
            except OSError:
                shutil.copyfile(library / f"p{number:04d}.jpg", folder / name)
            names.append(name)
        gallery = "".join(f"  - {{src: {name}, alt: 村里的第{i}张照片}}\n" for i, name in enumerate(names[1:], 1))
        (folder / "index.md").write_text(
            f"---\ntitle: 第{village}村\nstyle: cantonese\ncity: 佛山市\nlocation: {{lat: 22.8, lon: 113.1}}\n"
            f"summary: 一个有很多照片的村子。\ncover: {{src: {names[0]}, alt: 村口}}\n"
            + (f"gallery:\n{gallery}" if gallery else "")
            + "---\n\n村子的历史很长。河涌边有祠堂和石桥。\n",
            encoding="utf-8",
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str, timeout: float = 300) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()


def first_screen(page: str, count: int = 3) -> list[str]:
    """The variant a phone asks for in each of the first pictures: the first format's, nearest 800 px."""
    chosen = []
    for match in SRCSET.finditer(page):
        candidates = [entry.split() for entry in html.unescape(match.group(1) or match.group(2)).split(",")]
        widths = [(abs(int(width.rstrip("w")) - 800), url) for url, width in candidates]
        chosen.append(min(widths)[1])
        if len(chosen) == count:
            break
    return chosen


def time_first_page(command: list[str], port: int, *, cwd: Path | None = None, env: dict[str, str]) -> dict[str, float]:
    """Start a preview server; seconds from its start to the first village's page, then to its first
    screen's photos.  Stopped with Ctrl-C, as an editor stops it (villagesite keeps its caches then)."""
    started = time.perf_counter()
    child = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its workers too are stopped below, whatever happens
        # Ctrl-C reaches it even when this script runs in the background (`cmd &` in a script ignores it).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        page_url = f"http://127.0.0.1:{port}/villages/v000/"
        while True:
            try:
                page = fetch(page_url, timeout=5).decode()
                break
            except OSError:
                if child.poll() is not None or time.perf_counter() - started > 600:
                    raise RuntimeError(f"{command[0]} stopped, or never answered") from None
                time.sleep(0.02)
        answered = time.perf_counter() - started
        images = first_screen(page)
        if not images:
            raise RuntimeError(f"no pictures in the page {page_url}")
        with ThreadPoolExecutor(len(images)) as pool:
            sizes = list(pool.map(lambda url: len(fetch(f"http://127.0.0.1:{port}{url}")), images))
        assert all(sizes), sizes
        return {"page": answered, "images": time.perf_counter() - started - answered}
    finally:
        child.send_signal(signal.SIGINT)
        try:
            child.wait(30)
        except subprocess.TimeoutExpired:
            print(f"{command[0]} did not stop within 30 s of Ctrl-C: killed", file=sys.stderr)
            child.kill()
            child.wait()
        if left_running(child.pid):
            print(f"{command[0]} left processes running after it stopped: killed", file=sys.stderr)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)  # they would slow the next run


def left_running(group: int, grace: float = 2.0) -> list[str]:
    """Processes of the group still alive ``grace`` seconds after its leader stopped (zombies, which
    a container's first process may reap late, are not counted)."""
    deadline = time.perf_counter() + grace
    while True:
        listing = subprocess.run(["ps", "-o", "stat=,cmd=", "-g", str(group)], capture_output=True, text=True).stdout
        alive = [line for line in listing.splitlines() if line.strip() and not line.strip().startswith("Z")]
        if not alive or time.perf_counter() > deadline:
            return alive
        time.sleep(0.1)


def serve_once(site: Path, cache: Path) -> dict[str, float]:
    port = free_port()
    env = {"VILLAGESITE_CACHE_DIR": str(cache), "VILLAGESITE_LANG": "en", "PATH": "/usr/bin:/bin"}
    command = [sys.executable, "-m", "villagesite", "serve", "--site", str(site), "--port", str(port)]
    return time_first_page(command, port, env=env)


def fill_cache(site: Path, cache: Path, output: Path) -> float:
    """One `villagesite build` into the cache: every photo encoded, as after a day of previewing."""
    env = {"VILLAGESITE_CACHE_DIR": str(cache), "VILLAGESITE_LANG": "en", "PATH": "/usr/bin:/bin"}
    started = time.perf_counter()
    command = [sys.executable, "-m", "villagesite", "build", "--site", str(site), "--output", str(output)]
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


ELEVENTY_CONFIG = """import { eleventyImageTransformPlugin } from "@11ty/eleventy-img";
export default function (eleventyConfig) {
  eleventyConfig.addPlugin(eleventyImageTransformPlugin, {
    formats: ["avif", "webp", "jpeg"],
    widths: [480, 960, 1600],
    htmlOptions: { imgAttributes: { loading: "lazy", decoding: "async", sizes: "100vw" } },
  });
  return { dir: { input: "site", output: "_site" } };
}
"""


def eleventy_site(site: Path, root: Path, modules: Path) -> None:
    """The same villages and photos as an Eleventy site: each page its cover and gallery, in Markdown."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    (root / "node_modules").symlink_to(modules.resolve())
    (root / "eleventy.config.mjs").write_text(ELEVENTY_CONFIG, encoding="utf-8")
    for folder in sorted((site / "content/villages").iterdir()):
        target = root / "site/villages" / folder.name
        target.mkdir(parents=True)
        photos = sorted(folder.glob("*.jpg"), key=lambda path: int(path.stem.removeprefix("photo")))
        for photo in photos:
            os.link(photo, target / photo.name)
        body = "".join(f"![村里的第{index}张照片]({photo.name})\n\n" for index, photo in enumerate(photos))
        (target / "index.md").write_text(
            f"---\ntitle: {folder.name}\n---\n\n村子的历史很长。河涌边有祠堂和石桥。\n\n{body}", encoding="utf-8"
        )


def eleventy_once(root: Path, *, clean: bool) -> dict[str, float]:
    if clean:
        for name in ("_site", ".cache"):
            shutil.rmtree(root / name, ignore_errors=True)
    port = free_port()
    command = ["node", str(root / "node_modules/@11ty/eleventy/cmd.cjs"), "--serve", "--port", str(port)]
    return time_first_page(command, port, cwd=root, env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--photos", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tmp", type=Path, help="where to generate the site (default: the system's temp folder)")
    parser.add_argument(
        "--eleventy", type=Path, metavar="DIR", help="also time Eleventy 3 + eleventy-img from DIR/node_modules"
    )
    args = parser.parse_args()
    base = (args.tmp or Path(tempfile.gettempdir())) / "villagesite-serve-photos"
    site = base / "site"
    print(f"generating {args.photos} phone photos (once) and the site ...", flush=True)
    make_site(site, args.photos, base / "photos")
    cache = base / "cache"
    cold, warm = [], []
    for run in range(args.runs):
        shutil.rmtree(cache, ignore_errors=True)
        cold.append(serve_once(site, cache))
        print(f"cold run {run + 1}: {cold[-1]}", flush=True)
    print(f"filling the cache (villagesite build): {fill_cache(site, cache, base / 'output'):.1f} s", flush=True)
    for run in range(args.runs):
        warm.append(serve_once(site, cache))
        print(f"warm run {run + 1}: {warm[-1]}", flush=True)

    def median(rows: list[dict[str, float]], key: str) -> float:
        return statistics.median(row[key] for row in rows)

    peer_cold: list[dict[str, float]] = []
    peer_warm: list[dict[str, float]] = []
    if args.eleventy is not None:
        modules = args.eleventy / "node_modules"
        if not (modules / "@11ty/eleventy-img").is_dir() or shutil.which("node") is None:
            print(f"Eleventy skipped: no node, or no @11ty/eleventy-img in {modules} (see --help)")
        else:
            root = base / "eleventy"
            eleventy_site(site, root, modules)
            for run in range(args.runs):
                peer_cold.append(eleventy_once(root, clean=True))
                peer_warm.append(eleventy_once(root, clean=False))
                print(f"Eleventy run {run + 1}: cold {peer_cold[-1]}  again {peer_warm[-1]}", flush=True)

    print(f"{args.photos} uncached photos, medians of {args.runs} runs:")
    rows = [
        ("first page answered (from the command's start)", cold, peer_cold, "page", "< 3 s"),
        ("then the first screen's 3 photos", cold, peer_cold, "images", "< 2 s"),
        ("warm cache, first page answered", warm, peer_warm, "page", "< 1 s"),
    ]
    for label, ours, theirs, key, target in rows:
        line = f"  {label:<48} {median(ours, key):5.2f} s  (target {target})"
        if theirs:
            peer = median(theirs, key)
            line += f"  Eleventy {peer:5.2f} s  ratio {median(ours, key) / peer:.2f}x"
        print(line)


if __name__ == "__main__":
    main()
