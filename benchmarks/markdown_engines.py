"""Python-Markdown, as villagesite uses it, against CommonMark engines written in C and Rust.

Issue 18 keeps Python-Markdown and asks what an engine with native speed would give on the same
pages with the same output features.  This converts the bodies of the realistic corpus
(:mod:`corpus`) three ways, in one process, and prints CPU time per body:

- ``python-markdown``: :func:`villagesite.markdown_html.render_markdown`, what a build runs: the
  extensions pages use (tables, footnotes, attr_list, def_list, abbr, sane lists, fenced code,
  table of contents), heading ids in pinyin, links and images written as content paths resolved
  (and reported when they lead nowhere), video cards, and the HTML sanitised by nh3;
- ``cmark-gfm`` (``cmarkgfm``) and ``pulldown-cmark`` (``pyromark``): the engine, then the same
  features added to its HTML: ids on h2-h4 from the same slugs (and the table of contents they
  make), every ``href`` and ``src`` resolved through the same lookup, and the same nh3 call.
  Neither engine has attribute lists or abbreviations, and cmark-gfm no definition lists: pages
  that write them would change.

:func:`as_render_markdown` puts an engine with the features in place of villagesite's Markdown for a
whole build: ``benchmarks/build.py --engines`` times cold builds and edits with it beside Hugo.

For each engine it also counts the bodies whose visible text, and whose HTML, equals
villagesite's (whitespace between tags ignored).  Neither engine is a villagesite dependency::

    .venv/bin/pip install cmarkgfm pyromark
    .venv/bin/python benchmarks/markdown_engines.py --bodies 1000 --rounds 5
"""

from __future__ import annotations

import argparse
import html
import posixpath
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from corpus import CORPORA  # noqa: E402

from villagesite.errors import Problem, Severity  # noqa: E402
from villagesite.markdown_html import RenderedBody, _RecordingTargets, render_markdown, sanitised  # noqa: E402
from villagesite.slugs import slugify  # noqa: E402

Targets = dict[str, str]


def bodies(count: int, corpus: str) -> list[str]:
    """The bodies (front matter cut off) of ``count`` villages of a corpus."""
    rnd = random.Random(1)
    make = CORPORA[corpus]
    return [make(index, count, rnd).split("\n---\n\n", 1)[1] for index in range(count)]


def targets_of(count: int) -> Targets:
    """Every village's content path, leading to its site path (as :func:`villagesite.site` makes them)."""
    return {f"/villages/v{n:05d}/": f"/villages/v{n:05d}/" for n in range(count)}


def resolve(target: str, folder: str, targets: Targets, broken: list[str], link: Callable[[str], str] = str) -> str:
    """A link written as a content path, as villagesite resolves it (``link`` puts the site's base path
    before it); external links as they are."""
    parts = urlsplit(html.unescape(target))
    if parts.scheme or parts.netloc or not parts.path:
        return target
    path = unquote(parts.path)
    trailing = "/" if path.endswith("/") else ""
    joined = path if path.startswith("/") else posixpath.join(folder, path)
    content_path = (posixpath.normpath(joined) + trailing).replace("//", "/")
    site_path = targets.get(content_path) or (targets.get(content_path + "/") if not trailing else None)
    if site_path is None:
        broken.append(target)
        return target
    suffix = (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
    return html.escape(link(site_path) + suffix)


HEADING = re.compile(r"<h([2-4])>(.*?)</h\1>", re.S)
LINK = re.compile(r'(<a href|<img src)="([^"]*)"')
TAG = re.compile(r"<[^>]+>")


def finished(
    engine_html: str, folder: str, targets: Targets, link: Callable[[str], str] = str
) -> tuple[str, list[tuple[int, str, str]]]:
    """An engine's HTML with villagesite's features added: heading ids and their table of contents,
    content paths resolved, sanitised."""
    seen: dict[str, int] = {}
    toc: list[tuple[int, str, str]] = []

    def heading(match: re.Match[str]) -> str:
        level, inner = match.group(1), match.group(2)
        name = html.unescape(TAG.sub("", inner))
        base = slugify(name) or "section"
        count = seen.get(base, 0)
        seen[base] = count + 1
        anchor = base if count == 0 else f"{base}_{count}"
        toc.append((int(level), anchor, name))
        return f'<h{level} id="{anchor}">{inner}</h{level}>'

    broken: list[str] = []
    text = HEADING.sub(heading, engine_html)
    text = LINK.sub(lambda m: f'{m.group(1)}="{resolve(m.group(2), folder, targets, broken, link)}"', text)
    return sanitised(text), toc


def python_markdown(targets: Targets) -> Callable[[str], str]:
    def convert(body: str) -> str:
        rendered, _ = render_markdown(
            body,
            rel_path="content/villages/v00001/index.md",
            folder="/villages/v00001/",
            body_line=20,
            targets=targets,
            link=lambda path: path,
            link_severity=Severity.ERROR,
        )
        return rendered.html

    return convert


def cmark_gfm(targets: Targets, alone: bool = False) -> Callable[[str], str] | None:
    try:
        import cmarkgfm
        from cmarkgfm.cmark import Options
    except ImportError:
        return None
    options = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES  # raw HTML left to nh3, as for the others
    extensions = ["table", "strikethrough", "autolink"]

    def convert(body: str) -> str:
        made = cmarkgfm.markdown_to_html_with_extensions(body, options=options, extensions=extensions)
        return made if alone else finished(made, "/villages/v00001/", targets)[0]

    return convert


def pulldown_cmark(targets: Targets, alone: bool = False) -> Callable[[str], str] | None:
    try:
        import pyromark
    except ImportError:
        return None
    o = pyromark.Options
    options = o.ENABLE_TABLES | o.ENABLE_FOOTNOTES | o.ENABLE_STRIKETHROUGH | o.ENABLE_DEFINITION_LIST

    def convert(body: str) -> str:
        made = pyromark.html(body, options=options)
        return made if alone else finished(made, "/villages/v00001/", targets)[0]

    return convert


ENGINES: dict[str, Callable[..., Callable[[str], str] | None]] = {
    "cmark-gfm": cmark_gfm,
    "pulldown-cmark": pulldown_cmark,
}


def as_render_markdown(engine: str) -> Callable[..., tuple[RenderedBody, list[Problem]]]:
    """:func:`~villagesite.markdown_html.render_markdown` done by ``engine`` and the features added
    (:func:`finished`), for ``benchmarks/build.py --engines``: a whole build with another engine.

    What it leaves out: pictures for photos written in a body (the corpus writes none), video cards,
    and the messages about links that lead nowhere (the corpus has none).  Which content paths each
    body looked up is recorded as villagesite records it, for the incremental builds.
    """
    to_html = ENGINES[engine]({}, alone=True)
    if to_html is None:
        raise SystemExit(f"{engine} is not installed: .venv/bin/pip install cmarkgfm pyromark")

    def render(
        body: str, *, folder: str, targets: Targets, link: Callable[[str], str], **_: object
    ) -> tuple[RenderedBody, list[Problem]]:
        recording = _RecordingTargets(targets)
        made, toc = finished(to_html(body), folder, recording, link)
        lookups = tuple(sorted(recording.lookups.items()))
        return RenderedBody(made, tuple(toc), (), lookups, recording.read_all), []

    return render


def cpu_seconds(convert: Callable[[str], str], texts: list[str], rounds: int) -> float:
    """Median over ``rounds`` of the CPU time to convert every text once."""
    times = []
    for _ in range(rounds):
        started = time.process_time()
        for text in texts:
            convert(text)
        times.append(time.process_time() - started)
    return statistics.median(times)


def _squeezed(text: str) -> str:
    return re.sub(r">\s+<", "><", text).strip()


def _visible(text: str) -> str:
    return re.sub(r"\s+", "", html.unescape(TAG.sub("", text)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bodies", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="realistic")
    args = parser.parse_args()
    texts = bodies(args.bodies, args.corpus)
    targets = targets_of(args.bodies)
    reference = python_markdown(targets)
    expected = [reference(text) for text in texts]
    characters = sum(map(len, texts))
    print(f"{len(texts)} bodies of the {args.corpus} corpus, {characters / len(texts):.0f} characters each")
    print(f"CPU time to convert them all, median of {args.rounds} rounds, one process:\n")
    print("| engine | with villagesite's features | engine alone | per body | visible text equal | HTML equal |")
    print("|---|---|---|---|---|---|")
    base = cpu_seconds(reference, texts, args.rounds)
    print(f"| Python-Markdown (villagesite) | {base:.3f} s | | {base / len(texts) * 1000:.2f} ms | | |")
    for name, make in (("cmark-gfm (cmarkgfm)", cmark_gfm), ("pulldown-cmark (pyromark)", pulldown_cmark)):
        convert, alone = make(targets), make(targets, alone=True)
        if convert is None or alone is None:
            print(f"| {name} | not installed: .venv/bin/pip install cmarkgfm pyromark | | | | |")
            continue
        made = [convert(text) for text in texts]
        text_equal = sum(_visible(a) == _visible(b) for a, b in zip(made, expected, strict=True))
        html_equal = sum(_squeezed(a) == _squeezed(b) for a, b in zip(made, expected, strict=True))
        full, bare = cpu_seconds(convert, texts, args.rounds), cpu_seconds(alone, texts, args.rounds)
        print(
            f"| {name} | {full:.3f} s ({base / full:.1f}x faster) | {bare:.3f} s | {full / len(texts) * 1000:.2f} ms"
            f" | {text_equal} of {len(texts)} | {html_equal} of {len(texts)} |"
        )


if __name__ == "__main__":
    main()
