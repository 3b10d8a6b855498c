"""Preview benchmark: from saving a file to the browser's reload signal, with `villagesite serve` running.

Generates the text-only corpus of benchmarks/corpus.py (N villages, default
1,000; the realistic one unless --corpus sentences), with the default tourism
theme, starts `villagesite serve` on it in a child process, connects to the
preview's livereload socket as a browser's script does, and times, from the
moment a save is complete to the moment the reload message arrives:

- one village's index.md edited (20 times, one save a second: an editor typing
  and saving, not a burst);
- the village template edited (5 times);
- site.yaml edited (5 times);

and, for comparison, a cold `villagesite build` of the same site in a fresh
process (the issue's bar for a template edit: within a full build minus image
work; the corpus has no photos).

    .venv/bin/python benchmarks/serve.py
    .venv/bin/python benchmarks/serve.py --villages 5000 --page-edits 20 --other-edits 3
    .venv/bin/python benchmarks/serve.py --tmp /dev/shm      # site in memory: no disk noise
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from build import TEMPLATE, prepare_site
from corpus import CORPORA
from tornado.websocket import websocket_connect

TIMEOUT = 120.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def connect(port: int):
    """A socket speaking the LiveReload handshake, as the preview's page script does."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        try:
            socket_ = await websocket_connect(f"ws://127.0.0.1:{port}/_villagesite/livereload")
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.2)
    await socket_.write_message(json.dumps({"command": "hello", "protocols": []}))
    await socket_.write_message(json.dumps({"command": "info", "url": "http://bench/"}))
    await socket_.read_message()  # the server's hello
    return socket_


async def time_saves(socket_, save, count: int, pause: float) -> list[float]:
    """Seconds from each completed save to the reload message it causes."""
    timings = []
    for number in range(count):
        await asyncio.sleep(pause)
        save(number)
        saved = time.perf_counter()
        while True:
            message = json.loads(await asyncio.wait_for(socket_.read_message(), TIMEOUT))
            if message.get("command") == "alert":
                raise RuntimeError(f"the build failed: {message['message']}")
            if message.get("command") == "reload":
                break
        timings.append(time.perf_counter() - saved)
    return timings


def cold_build_seconds(site: Path, tmp: Path) -> float:
    """A full build of the same site in a fresh process, with nothing cached."""
    env = {**os.environ, "VILLAGESITE_CACHE_DIR": str(tmp / "cold-cache")}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "villagesite", "build", "--site", str(site), "--output", str(tmp / "cold-output")],
        check=True,
        capture_output=True,
        env=env,
    )
    return time.perf_counter() - started


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def run(site: Path, port: int, page_edits: int, other_edits: int, pause: float) -> dict[str, list[float]]:
    socket_ = await connect(port)
    page = site / "content" / "villages" / "v00007" / "index.md"
    original = page.read_text(encoding="utf-8")
    template = site / "themes" / "bench" / "templates" / "village.html"
    settings = site / "site.yaml"
    settings_text = settings.read_text(encoding="utf-8")

    def save_page(number: int) -> None:
        page.write_text(original.replace("## 历史", f"## 历史{number}", 1), encoding="utf-8")

    def save_template(number: int) -> None:
        template.write_text(TEMPLATE.replace("edit 0", f"edit {number + 1}"), encoding="utf-8")

    def save_settings(number: int) -> None:
        settings.write_text(settings_text.replace("基准测试", f"基准测试{number}"), encoding="utf-8")

    results = {"page": await time_saves(socket_, save_page, page_edits, pause)}
    results["template"] = await time_saves(socket_, save_template, other_edits, pause)
    results["site.yaml"] = await time_saves(socket_, save_settings, other_edits, pause)
    socket_.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--villages", type=int, default=1000)
    parser.add_argument("--page-edits", type=int, default=20)
    parser.add_argument("--other-edits", type=int, default=5)
    parser.add_argument("--tmp", type=Path, help="where to generate the site (default: the system's temp folder)")
    parser.add_argument(
        "--pause",
        type=float,
        default=1.0,
        help="seconds from each reload to the next save (the search index is made after the reload: a save"
        " that comes sooner waits for it)",
    )
    parser.add_argument(
        "--corpus", choices=sorted(CORPORA), default="realistic", help="the corpus (benchmarks/corpus.py)"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(dir=args.tmp) as folder:
        tmp = Path(folder)
        site = prepare_site(tmp / "site", args.villages, corpus=args.corpus)
        cold = cold_build_seconds(site, tmp)
        port = free_port()
        # In English whatever the site's language: the ready line below is matched as English words.
        env = {
            **os.environ,
            "VILLAGESITE_CACHE_DIR": str(tmp / "cache"),
            "PYTHONUNBUFFERED": "1",
            "VILLAGESITE_LANG": "en",
        }
        started = time.perf_counter()
        server = subprocess.Popen(
            [sys.executable, "-m", "villagesite", "serve", "--site", str(site), "--port", str(port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        try:
            assert server.stdout is not None
            for line in server.stdout:
                if "Ctrl-C to stop" in line:
                    break
            startup = time.perf_counter() - started
            results = asyncio.run(run(site, port, args.page_edits, args.other_edits, args.pause))
        finally:
            server.terminate()
            server.wait(timeout=30)

    print(
        f"villagesite serve, {args.villages} villages (text only), {os.cpu_count()} cores, {args.pause} s between saves"
    )
    print(f"  start (first build, then serving): {startup:.2f} s")
    print(f"  cold build in a fresh process, for comparison: {cold:.2f} s")
    print(f"  {'save':<10} {'edits':>5} {'median':>8} {'p95':>8} {'max':>8}")
    for name, timings in results.items():
        if not timings:  # --other-edits 0
            continue
        print(
            f"  {name:<10} {len(timings):>5} {statistics.median(timings):>7.3f}s"
            f" {percentile(timings, 0.95):>7.3f}s {max(timings):>7.3f}s"
        )


if __name__ == "__main__":
    main()
