"""Build-speed benchmark: cold build, no-change rebuild, one-page edit, one-template edit, peak memory.

Generates text-only corpora of N villages (benchmarks/corpus.py: 1,500
characters of Chinese and English Markdown each, with tags, style and city
listings) and times villagesite on each, as medians of --runs. Each
measurement runs in a fresh child process, so peak memory (VmHWM) is the
build's own.

    .venv/bin/python benchmarks/build.py                      # N = 100, 1000, 5000
    .venv/bin/python benchmarks/build.py --sizes 1000 --runs 5
    .venv/bin/python benchmarks/build.py --tmp /dev/shm       # corpus and output in memory (no disk cost)

The disk matters: creating a file costs about 1 ms on the build machine's
ext4 disk and 20 us on tmpfs, so a cold build of 5,000 pages spends seconds
just creating files. Both are worth knowing; say which you quote.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import write_corpus

TEMPLATE = '{% extends "default:village.html" %}\n{% block content %}<!-- edit 0 -->{{ super() }}{% endblock %}\n'


def prepare_site(root: Path, count: int) -> Path:
    site = write_corpus(root, count)
    (site / "site.yaml").write_text("title: 基准测试\nbase_url: /\ntheme: bench\n", encoding="utf-8")
    templates = site / "themes" / "bench" / "templates"
    templates.mkdir(parents=True, exist_ok=True)
    (site / "themes" / "bench" / "theme.yaml").write_text("extends: default\n", encoding="utf-8")
    (templates / "village.html").write_text(TEMPLATE, encoding="utf-8")
    return site


def child(site: Path, output: Path, step: str, run: int) -> dict[str, float]:
    """One measured build in a fresh process: prints JSON with seconds, pages written and peak MiB."""
    from villagesite import build, load_config

    if step == "cold":
        shutil.rmtree(output, ignore_errors=True)
        shutil.rmtree(site / ".villagesite-cache", ignore_errors=True)
    elif step == "page":
        page = site / "content" / "villages" / "v00007" / "index.md"
        page.write_text(page.read_text(encoding="utf-8").replace("## 历史", f"## 历史{run}", 1), encoding="utf-8")
    elif step == "template":
        template = site / "themes" / "bench" / "templates" / "village.html"
        template.write_text(TEMPLATE.replace("edit 0", f"edit {time.time_ns()}"), encoding="utf-8")
    started = time.perf_counter()
    report = build(load_config(site), output=output)
    seconds = time.perf_counter() - started
    peak = (
        next(
            int(line.split()[1])
            for line in Path("/proc/self/status").read_text().splitlines()
            if line.startswith("VmHWM:")
        )
        / 1024
    )
    written = len(report.written.written) if report.written else report.files
    return {"seconds": seconds, "written": written, "peak_mib": peak, "files": report.files}


def measure(site: Path, output: Path, step: str, run: int) -> dict[str, float]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(site), str(output), step, str(run)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(done.stdout)
    result["process"] = time.perf_counter() - started  # with Python's start and the imports
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tmp", type=Path, default=None, help="where to put corpora and outputs")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        site, output, step, run = args.child
        print(json.dumps(child(Path(site), Path(output), step, int(run))))
        return

    print("Each cell: build() time [whole `villagesite build` process, with start-up and imports] (files written)")
    print("| villages | files | cold | no-change rebuild | one-page edit | one-template edit | peak memory (cold) |")
    print("|---|---|---|---|---|---|---|")
    for count in args.sizes:
        with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
            site = prepare_site(Path(tmp) / "site", count)
            output = Path(tmp) / "output"
            results: dict[str, list[dict[str, float]]] = {}
            for run in range(args.runs):
                for step in ("cold", "nochange", "page", "template"):
                    results.setdefault(step, []).append(measure(site, output, step, run))

            def cell(step: str, results: dict[str, list[dict[str, float]]] = results) -> str:
                seconds = statistics.median(r["seconds"] for r in results[step])
                written = statistics.median(r["written"] for r in results[step])
                process = statistics.median(r["process"] for r in results[step])
                return f"{seconds:.2f} s [{process:.2f} s] ({written:.0f} written)"

            peak = statistics.median(r["peak_mib"] for r in results["cold"])
            files = int(results["cold"][0]["files"])
            print(
                f"| {count:,} | {files:,} | {cell('cold')} | {cell('nochange')} | {cell('page')} | "
                f"{cell('template')} | {peak:.0f} MiB |",
                flush=True,
            )


if __name__ == "__main__":
    main()
