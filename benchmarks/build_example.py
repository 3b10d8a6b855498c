"""Time full builds of the example site and print the median.

Run on demand (never in the test suite):

    .venv/bin/python benchmarks/build_example.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from villagesite import build, load_config

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--site", type=Path, default=REPO)
    args = parser.parse_args()
    config = load_config(args.site)
    seconds: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        build(config, output=Path(tmp) / "warmup")  # imports, template compilation caches of the OS
        for run in range(args.runs):
            started = time.perf_counter()
            report = build(config, output=Path(tmp) / f"out{run}")
            seconds.append(time.perf_counter() - started)
        tracemalloc.start()
        build(config, output=Path(tmp) / "traced")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    pages = sum(report.pages.values())
    print(f"site: {args.site} ({pages} pages and listings, {report.files} files)")
    print(
        f"full build: median {statistics.median(seconds) * 1000:.0f} ms over {args.runs} runs "
        f"(min {min(seconds) * 1000:.0f}, max {max(seconds) * 1000:.0f})"
    )
    print(f"peak Python heap during a build: {peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
