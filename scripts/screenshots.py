"""Screenshots of the example site as a phone shows it: home, a village of each style, listings, the map, a poster.

Usage: python scripts/screenshots.py [FOLDER] [--width 390] [--scale 1]

Builds the example site (this repository's site.yaml and content/) into a
temporary folder, serves it on localhost and photographs it with the
system's Chromium (/usr/bin/chromium) through Playwright.  The site is built
for https://villages.example.org/ so that pages carry their QR codes.  Map
tiles are not fetched from the internet: requests for them get a plain
stand-in tile, so the map shows its markers even offline.
"""

from __future__ import annotations

import argparse
import functools
import io
import os
import shutil
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PIL import Image, ImageDraw  # noqa: E402
from playwright.sync_api import Route, sync_playwright  # noqa: E402

from villagesite.build import build  # noqa: E402
from villagesite.config import load_config, with_base_url  # noqa: E402

PUBLIC_URL = "https://villages.example.org/"
VILLAGES = {"cantonese": "fengjian", "hakka": "qiaoxiang", "teochew": "longhu", "minority": "nangang"}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def stand_in_tile() -> bytes:
    """A pale 256 px tile with faint roads: offline, the map still reads as a map."""
    tile = Image.new("RGB", (256, 256), (238, 234, 224))
    draw = ImageDraw.Draw(tile)
    for x in (0, 128):
        draw.line([(x, 0), (x, 256)], fill=(226, 220, 208), width=2)
        draw.line([(0, x), (256, x)], fill=(226, 220, 208), width=2)
    draw.line([(0, 200), (256, 150)], fill=(255, 255, 255), width=5)
    draw.ellipse([(150, 30), (230, 90)], fill=(214, 228, 214))
    buffer = io.BytesIO()
    tile.save(buffer, "PNG")
    return buffer.getvalue()


def shoot(folder: Path, width: int, scale: float) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("needs Chromium: apt-get install chromium")
    with tempfile.TemporaryDirectory(prefix="villagesite-shots-") as temp:
        output = Path(temp) / "site"
        build(with_base_url(load_config(REPO), PUBLIC_URL), output=output)
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(output)))
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{httpd.server_address[1]}/"
        tile = stand_in_tile()
        written: list[Path] = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
                context = browser.new_context(
                    viewport={"width": width, "height": 844},
                    device_scale_factor=scale,
                    is_mobile=True,
                    has_touch=True,
                    locale="zh-CN",
                )

                def offline(route: Route) -> None:
                    if route.request.url.startswith(base):
                        route.continue_()
                    elif route.request.resource_type == "image":
                        route.fulfill(status=200, content_type="image/png", body=tile)
                    else:
                        route.abort()

                context.route("**/*", offline)
                page = context.new_page()

                def full(path: str, name: str) -> None:
                    page.goto(base + path, wait_until="networkidle")
                    # Scroll through as a visitor would, so lazy photos and maps load, then back to the top.
                    height = page.evaluate("document.documentElement.scrollHeight")
                    for y in range(0, height, 600):
                        page.evaluate(f"window.scrollTo(0, {y})")
                        page.wait_for_timeout(60)
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(300)
                    page.evaluate("window.scrollTo(0, 0)")
                    target = folder / f"{name}.png"
                    page.screenshot(path=str(target), full_page=True)
                    written.append(target)

                full("", "home")
                for style, slug in VILLAGES.items():
                    full(f"villages/{slug}/", f"village-{style}-{slug}")
                full("villages/", "listing-all-villages")
                full("styles/hakka/", "listing-style-hakka")
                full("stories/", "listing-stories")
                full("events/", "listing-events")
                full("villages/longhu/poster/", "poster-longhu")
                # The map: scroll to it, let Leaflet load and the markers settle.
                page.goto(base, wait_until="networkidle")
                page.locator("#map-heading").scroll_into_view_if_needed()
                page.wait_for_selector(".map-block.map-ready .leaflet-marker-icon", timeout=10_000)
                page.wait_for_timeout(600)
                target = folder / "map-home.png"
                page.locator("#map-heading").evaluate("h => h.scrollIntoView()")
                page.screenshot(path=str(target))
                written.append(target)
                page.goto(base + "villages/nangang/", wait_until="networkidle")
                page.locator("#location").scroll_into_view_if_needed()
                page.wait_for_selector(".map-block.map-ready .leaflet-marker-icon", timeout=10_000)
                page.wait_for_timeout(600)
                page.locator("#location").evaluate("h => h.scrollIntoView()")
                target = folder / "map-village-nangang.png"
                page.screenshot(path=str(target))
                written.append(target)
                browser.close()
        finally:
            httpd.shutdown()
            httpd.server_close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "folder", nargs="?", default="screenshots", help="where to write the PNGs (default: screenshots/)"
    )
    parser.add_argument("--width", type=int, default=390, help="viewport width in CSS pixels (default 390)")
    parser.add_argument("--scale", type=float, default=1, help="device pixel ratio (default 1)")
    args = parser.parse_args(argv)
    os.environ.setdefault("VILLAGESITE_CACHE_DIR", str(REPO / ".villagesite-cache"))
    for path in shoot(Path(args.folder), args.width, args.scale):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
