"""Search benchmark: the index's share of a cold build, a one-page edit, and what a first query downloads.

Generates the text-only corpus of benchmarks/corpus.py (N villages, default 1,000, in the default
theme) and, as medians of --runs, each in a fresh child process:

- **cold**: the whole build, and the part of it that made the search index (``search_outputs``);
- **edit**: one village's text changed, the rebuild and its index part;
- **no change**: a rebuild after nothing changed must leave every index file untouched (mtimes).

Then, in headless Chromium (the system's ``chromium``, as the tests use), the search page is opened
and queries are typed (:data:`QUERIES`): a village's name, its pinyin and initials, a tag in Simplified
and in Traditional characters, one character, an English word. For each, the bytes of the index
files the query downloaded (meta.json, shards, documents of the first results), as sent by the
server, uncompressed.

    .venv/bin/python benchmarks/search.py
    .venv/bin/python benchmarks/search.py --villages 5000 --runs 3 --tmp /dev/shm
    .venv/bin/pip install 'pagefind[extended]' && .venv/bin/python benchmarks/search.py --peers

--peers indexes the same built site with Pagefind (the PyPI package ``pagefind`` with its extended
binary) as a whole process, medians of --runs, and prints the ratio of indexing times and sizes.
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
from importlib.util import find_spec
from pathlib import Path

from corpus import write_corpus

QUERIES = ["{name}", "{pinyin}", "{initials}", "围龙屋", "圍龍屋", "桥", "Hakka"]
"""A village's name (without its number), in pinyin and initials; a tag in Simplified and Traditional
characters; one character; an English word on every Hakka village."""


def child(site: Path, output: Path, step: str) -> dict[str, float]:
    """One measured build in this fresh process; prints JSON."""
    import villagesite.build  # noqa: F401 - the module, for its function below

    module = sys.modules["villagesite.build"]
    spent = [0.0]
    search_outputs = module.search_outputs

    def timed(*args: object) -> object:
        started = time.perf_counter()
        try:
            return search_outputs(*args)
        finally:
            spent[0] += time.perf_counter() - started

    module.search_outputs = timed
    from villagesite import build, load_config

    if step == "cold":
        shutil.rmtree(output, ignore_errors=True)
        shutil.rmtree(site / ".villagesite-cache", ignore_errors=True)
    elif step == "edit":
        page = site / "content" / "villages" / "v00007" / "index.md"
        page.write_text(page.read_text(encoding="utf-8").replace("## 历史", f"## 历史{time.time_ns()}", 1), "utf-8")
    index = output / "search" / "index"
    before = {p: p.stat().st_mtime_ns for p in index.rglob("*")} if index.is_dir() else {}
    started = time.perf_counter()
    build(load_config(site), output=output)
    seconds = time.perf_counter() - started
    after = {p: p.stat().st_mtime_ns for p in index.rglob("*")}
    touched = sum(1 for p, mtime in after.items() if before.get(p) != mtime)
    return {"seconds": seconds, "index": spent[0], "touched": touched}


def measure(site: Path, output: Path, step: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(site), str(output), step], check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout)


def first_queries(output: Path, queries: list[str]) -> list[tuple[str, int, int, int]]:
    """(query, bytes downloaded from the index, files, results) for each query, each in a new page."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from browsers import CHROMIUM, serve
    from playwright.sync_api import sync_playwright

    rows = []
    with serve(output) as address, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for query in queries:
            context = browser.new_context()
            page = context.new_page()
            sizes: list[int] = []
            page.on(
                "requestfinished",
                lambda request, sizes=sizes: (
                    sizes.append(request.sizes()["responseBodySize"]) if "/search/index/" in request.url else None
                ),
            )
            page.goto(address + "search/")
            page.fill("#search-query", query)
            form = "document.querySelector('form[data-search-index]')"
            page.wait_for_function(
                f"q => {form}.dataset.searched === q && {form}.dataset.shown !== undefined", arg=query
            )
            page.wait_for_load_state("networkidle")
            results = page.locator(".search-results a").count()
            rows.append((query, sum(sizes), len(sizes), results))
            context.close()
        browser.close()
    return rows


def pagefind(output: Path, runs: int) -> tuple[float, int] | None:
    if find_spec("pagefind") is None:
        print("Pagefind: not installed (pip install 'pagefind[extended]'), skipped")
        return None
    times = []
    for _ in range(runs):
        shutil.rmtree(output / "_pagefind", ignore_errors=True)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "pagefind", "--site", str(output), "--output-subdir", "_pagefind"],
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - started)
    size = sum(p.stat().st_size for p in (output / "_pagefind").rglob("*") if p.is_file())
    return statistics.median(times), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--villages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tmp", help="where to write the corpus and output (e.g. /dev/shm)")
    parser.add_argument("--peers", action="store_true", help="index the same site with Pagefind too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        site = write_corpus(Path(tmp) / "site", args.villages)
        output = Path(tmp) / "output"
        cold = [measure(site, output, "cold") for _ in range(args.runs)]
        edits = [measure(site, output, "edit") for _ in range(args.runs)]
        still = measure(site, output, "nochange")
        index = output / "search" / "index"
        size = sum(p.stat().st_size for p in index.rglob("*") if p.is_file())
        files = sum(1 for p in index.rglob("*") if p.is_file())
        cold_s = statistics.median(r["seconds"] for r in cold)
        cold_i = statistics.median(r["index"] for r in cold)
        edit_s = statistics.median(r["seconds"] for r in edits)
        edit_i = statistics.median(r["index"] for r in edits)
        print(f"{args.villages:,} villages, medians of {args.runs}:")
        print(f"  cold build {cold_s:.2f} s, of which the index {cold_i:.2f} s ({cold_i / cold_s:.0%})")
        print(f"  one-page edit {edit_s:.2f} s, of which the index {edit_i:.2f} s")
        print(f"  no-change rebuild: {still['touched']} index files touched")
        print(f"  index: {files:,} files, {size / 1e6:.2f} MB")
        sample = (site / "content/villages/v00007/index.md").read_text(encoding="utf-8")
        title = sample.split("title: ", 1)[1].split("\n", 1)[0]
        name = title.rstrip("0123456789")
        from pypinyin import Style, lazy_pinyin

        syllables = lazy_pinyin(name, style=Style.NORMAL)
        words = {
            "name": name,
            "pinyin": "".join(syllables),
            "initials": "".join(s[0] for s in syllables),
        }
        print("  first query (a new visitor, nothing cached): bytes of index files downloaded")
        for query, downloaded, count, results in first_queries(output, [q.format(**words) for q in QUERIES]):
            print(f"    {query:12s} {downloaded / 1000:7.1f} kB in {count:2d} files, {results} results shown")
        if args.peers:
            found = pagefind(output, args.runs)
            if found:
                seconds, peer_size = found
                print(
                    f"  Pagefind: indexing {seconds:.2f} s (villagesite's index {cold_i:.2f} s: "
                    f"{seconds / cold_i:.1f}x faster), {peer_size / 1e6:.2f} MB"
                )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(child(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4])))
    else:
        main()
