"""The build: the only place that knows the order of the stages.

``check`` runs every stage but encoding photos and writing; ``build`` does all
of them, and writes only when nothing is wrong.  Neither prints: they return
reports, and take a progress callback, for the CLI.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from . import deps
from .config import SiteConfig
from .confine import site_files
from .content import ParseMemo, ScanMemo, load_content
from .encode import ImageCache, Processed, Progress, process_images
from .errors import BuildFailed, Problem, VillageSiteError, error, sorted_problems, warning
from .ical import ICS_PATH, events_ics
from .images import ImageAsset, SourceIndex, image_problem, plan_variants, read_source
from .inputs import input_fingerprint
from .markdown_cache import MarkdownCache
from .memory import BuildMemory
from .model import Site
from .outputs import FEED_PATH, GEOJSON_PATH, SITEMAP_PATH, atom_feed, robots_txt, sitemap_xml, villages_geojson
from .parallel import map_in_processes
from .qr import QR_FILE, QrCodes
from .render import Rendered, Renderer, poster_url
from .sealed import read_sealed, write_sealed
from .site import assemble_site
from .source_cache import SourceCache
from .themes import make_environment, resolve_themes, theme_assets
from .urls import absolute, output_file
from .weights import (
    PAGE_KEY,
    PageWeight,
    describe_page,
    heaviest_by_kind,
    heroes_over_budget,
    pages_over_budget,
    weigh,
)
from .write import (
    CACHE_ENV,
    Content,
    FromFile,
    Unchanged,
    WriteReport,
    cache_error,
    close_staging,
    disk_reason,
    is_whole,
    load_manifest,
    manifest_path,
    open_staging,
    output_error,
    recover,
    stage,
    write_output,
)

SOURCES_FILE = "content.jsonl"
"""Content files as read by the last command-line build (see :mod:`villagesite.source_cache`)."""

REPORT_VERSION = 2


@dataclass(frozen=True, slots=True)
class Prepared:
    """The checked site and its planned photos: everything before encoding and rendering."""

    site: Site
    photos: tuple[ImageAsset, ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True, slots=True)
class BuildReport:
    output: Path | None
    pages: dict[str, int]
    """Pages by kind: village, story, event, page, listing."""
    files: int
    seconds: float
    photos_encoded: int = 0
    photos_cached: int = 0
    warnings: tuple[Problem, ...] = field(default=())
    written: WriteReport | None = None
    """Which files this build wrote and removed."""
    weights: tuple[PageWeight, ...] = field(default=())
    """The heaviest page of each kind, before photos."""


def prepare(
    config: SiteConfig,
    *,
    drafts: bool = False,
    strict_links: bool = False,
    index: SourceIndex | None = None,
    markdown: MarkdownCache | None = None,
    parsed: ParseMemo | None = None,
    scans: ScanMemo | None = None,
    sources: SourceCache | None = None,
) -> Prepared:
    """Load and check content, assemble the site, read photo headers; raise BuildFailed on any error."""
    # Content first: its errors are what editors need to see, even if the theme is broken too.
    content = load_content(config, parsed, scans, sources)
    site, site_problems = assemble_site(config, content, drafts=drafts, strict_links=strict_links, markdown=markdown)
    problems = [*content.problems, *site_problems]
    assets: list[ImageAsset] = []
    for photo in site.photos.values():
        source = index.read(photo.path, photo.url) if index else read_source(photo.path, photo.url)
        if isinstance(source, str):
            problems += [image_problem(use, use.src, source, photo.nearby) for use in photo.uses]
        else:
            assets.append(plan_variants(source, config.images))
    if any(p.is_error for p in problems):
        raise BuildFailed(problems)
    return Prepared(site, tuple(assets), tuple(problems))


def render_files(
    config: SiteConfig,
    prepared: Prepared,
    images: Mapping[str, Processed],
    previous: Mapping[str, dict[str, str]] | None = None,
    memory: BuildMemory | None = None,
    *,
    hash_assets: bool = True,
    staging: Path | None = None,
    qr_codes: bool = True,
    meanwhile: Callable[[], None] | None = None,
    trust_caches: bool = True,
    published: Callable[[str, str], bool] | None = None,
) -> tuple[dict[str, Content], dict[str, dict[str, str]]]:
    """Every output file, and what each rendered one was made from.

    A page whose recorded inputs (``previous``) are unchanged is not rendered
    again: it stays as the last build wrote it (see :mod:`villagesite.deps`).
    With a ``staging`` folder, rendered pages are written there as they are
    made instead of being kept in memory.  ``qr_codes=False`` leaves out the
    villages' QR codes (``check`` encodes and caches nothing).
    ``meanwhile`` runs while worker processes render (saving caches).  Cached QR codes are used
    only when they check (see :class:`~villagesite.qr.QrCodes`), and not at all without
    ``trust_caches``; ``published`` says which outputs the output folder holds already.
    """
    site = prepared.site
    chain = resolve_themes(config)
    assets = theme_assets(chain, hashed=hash_assets)
    if memory is not None:
        environment = memory.jinja(chain, deps.RecordingEnvironment)
    else:
        environment = make_environment(chain, deps.RecordingEnvironment)
    assert isinstance(environment, deps.RecordingEnvironment)
    renderer = Renderer(site, environment, chain, assets, images)
    files: dict[str, Content] = {}
    made_from: dict[str, dict[str, str]] = {}
    collisions: list[Problem] = []
    previous = previous or {}
    structure = deps.structure(site, images, chain, assets)
    bodies = {page.url: deps.page_body(page, images) for page in site.pages}
    templates = deps.Templates(chain)

    def add(rel: str, content: Content, origin: str) -> None:
        if rel in files and files[rel] != content:
            collisions.append(
                error(
                    origin,
                    None,
                    f"writes {rel}, which another page or file also writes",
                    hint="rename one of them or give it another 'slug:'",
                )
            )
        files[rel] = content

    def render(job: _RenderJob) -> tuple[str, Content, dict[str, str]]:
        """Render one output, recording the bodies its template reads; encoded (and staged) where rendered."""
        environment.reads = set()
        try:
            html = job.make().html
            made = deps.dependencies(structure, job.own_body, environment.reads, bodies, templates)
            encoded = html.encode("utf-8")
            made[PAGE_KEY] = describe_page(job.kind, html, len(encoded))  # for the weight report
            return job.output, stage(staging, job.output, encoded) if staging else encoded, made
        finally:
            environment.reads = None

    # Every template output: pages, the pages of every listing, the indexes, the villages' posters.
    index = renderer.index
    jobs = [
        _RenderJob(output_file(page.url), page.kind.value, bodies[page.url], functools.partial(renderer.page, page))
        for page in site.pages
    ]
    jobs += [
        _RenderJob(output_file(paging.url), "listing", None, functools.partial(renderer.listing, listing, paging))
        for listing in site.listings
        for paging in listing.pages()
    ]
    jobs += [
        _RenderJob("index.html", "home", None, functools.partial(index, "home.html", "/")),
        _RenderJob(
            "cities/index.html",
            "listing",
            None,
            functools.partial(index, "terms.html", "/cities/", terms="cities", listings=site.cities),
        ),
        _RenderJob(
            "tags/index.html",
            "listing",
            None,
            functools.partial(index, "terms.html", "/tags/", terms="tags", listings=site.tags),
        ),
        _RenderJob("stories/index.html", "listing", None, functools.partial(index, "stories.html", "/stories/")),
        _RenderJob("events/index.html", "listing", None, functools.partial(index, "events.html", "/events/")),
        _RenderJob("404.html", "404", None, functools.partial(index, "404.html", "/404.html")),
    ]
    # Each village's printable poster, for the sign at its gate.
    jobs += [
        _RenderJob(output_file(poster_url(village)), "poster", None, functools.partial(renderer.poster, village))
        for village in site.villages
    ]
    stale = []
    for job in jobs:
        rel, own_body = job.output, job.own_body
        if deps.still_current(previous.get(rel), structure, own_body, bodies, templates):
            add(rel, Unchanged(), rel)
            made_from[rel] = previous[rel]
        else:
            stale.append(job)
    # The templates that must run, spread over worker processes on large sites.
    for rel, content, made in map_in_processes(render, stale, meanwhile):
        add(rel, content, rel)
        made_from[rel] = made

    # Machine-read outputs.  Those made from the structure alone are made again only when it changed:
    # the manifest records it, and the preview's memory keeps them.
    def add_of_structure(path: str, make: Callable[[], bytes | None]) -> None:
        rel = path.lstrip("/")
        kept = memory.by_structure.get(rel) if memory else None
        if kept is not None and kept[0] == structure:
            made = kept[1]
        elif previous.get(rel) == {deps.STRUCTURE: structure}:
            add(rel, Unchanged(), rel)
            made_from[rel] = previous[rel]
            return
        else:
            made = make()
            if memory:
                memory.by_structure[rel] = (structure, made)
        if made is not None:
            add(rel, made, rel)
            made_from[rel] = {deps.STRUCTURE: structure}

    public = [p.url for p in site.pages] + site.listing_urls() + ["/", "/cities/", "/tags/", "/stories/", "/events/"]
    add_of_structure(SITEMAP_PATH, lambda: sitemap_xml(site, public))
    add(FEED_PATH.lstrip("/"), atom_feed(site), "feed")  # stories' bodies too
    add("robots.txt", robots_txt(site), "robots.txt")
    add_of_structure(GEOJSON_PATH, lambda: villages_geojson(site))
    add_of_structure(ICS_PATH, lambda: events_ics(site))
    # A QR code of each village's public address (none without a host in base_url), cached: encoding is slow.
    codes = QrCodes(cache_dir(config), trust=trust_caches, published=published)
    for village in site.villages if config.origin and qr_codes else ():
        rel = output_file(village.url + QR_FILE)
        qr, digest = codes.file(absolute(config, village.url), rel)
        add(rel, FromFile(qr, digest), village.source.rel_path)

    # Files as they are: theme assets, bundle files, the site's static/ folder, photo variants.
    for asset in assets.values():
        add(asset.url.lstrip("/"), asset.content, f"theme static/{asset.name}")
    for resource in site.resources:
        add(resource.url.lstrip("/"), resource.content or FromFile(resource.path), resource.url)
    for path in _static_files(config):
        rel = path.relative_to(config.static_dir).as_posix()
        add(rel, FromFile(path), f"static/{rel}")
    cache = ImageCache(cache_dir(config))
    for processed in images.values():
        checked = processed.files or [None] * len(processed.asset.variants)
        for variant, path in zip(processed.asset.variants, checked, strict=True):
            # The same photo in two folders gives the same variant names: written once.  A checked
            # file's name carries the hash of its bytes: the manifest's fingerprint (``check`` has none).
            content = FromFile(path, path.name.split(".")[1]) if path else FromFile(cache.variant_path(variant))
            add(variant.url.lstrip("/"), content, processed.asset.source.url)
    if collisions:
        raise BuildFailed(collisions)
    return files, made_from


_KIND_ORDER = {kind: order for order, kind in enumerate(("home", "village", "story", "event", "page", "listing"))}


class _RenderJob(NamedTuple):
    output: str
    kind: str
    """``village``, ``story``, ``event``, ``page``, ``listing``, ``home``, ``poster`` or ``404``."""
    own_body: str | None
    make: Callable[[], Rendered]


def cache_dir(config: SiteConfig) -> Path:
    return Path(os.environ.get(CACHE_ENV) or config.root / ".villagesite-cache")


def _static_files(config: SiteConfig) -> list[Path]:
    """The files of the site's static/ folder; links leading out of the site are left out (and reported
    when the content is loaded, see :func:`villagesite.confine.site_files`)."""
    return site_files(config.static_dir, config.root.resolve(), "static/")[0]


def check(config: SiteConfig, *, drafts: bool = False) -> list[Problem]:
    """Every problem in the site (broken links count as errors); nothing is encoded or written."""
    with collector_paused():
        return _check(config, drafts)


def _check(config: SiteConfig, drafts: bool) -> list[Problem]:
    try:
        # The Markdown cache is read, not written: check changes nothing on disk.
        markdown = MarkdownCache(cache_dir(config) / "markdown.json")
        sources = SourceCache(cache_dir(config) / SOURCES_FILE, config)
        prepared = prepare(config, drafts=drafts, strict_links=True, markdown=markdown, sources=sources)
        # Render with photos as planned (no placeholders) to find template errors too.
        # No skipping, and no QR codes: check writes nothing, not even to the cache.
        files, made_from = render_files(
            config, prepared, {a.source.url: Processed(a, "") for a in prepared.photos}, qr_codes=False
        )
    except VillageSiteError as exc:
        return list(exc.problems)
    heavy = pages_over_budget(weigh(files, made_from, config.base_path, None), prepared.site)
    return sorted_problems([*prepared.problems, *heavy])


def build(
    config: SiteConfig,
    *,
    output: Path | None = None,
    drafts: bool = False,
    clean: bool = False,
    progress: Progress | None = None,
    memory: BuildMemory | None = None,
    hash_assets: bool = True,
) -> BuildReport:
    """Build the site into ``output`` (default ``output/`` in the site); raise BuildFailed on errors.

    The previous output stays untouched unless the whole build succeeds; then
    only new and changed files are written (all of them with ``clean``).
    A long-lived process passes the same ``memory`` to every build (see
    :mod:`villagesite.memory`); it decides itself when to build, so the
    check for an unchanged site is left out.  ``hash_assets=False`` keeps the
    theme's static files under their own names (the preview does).
    """
    with collector_paused():
        return _build(config, output, drafts, clean, progress, memory, hash_assets)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while building.

    A build's records live until it ends and hold no cycles worth finding;
    the collector scanned them again and again as they grew: 0.5 s of a
    5,000-village cold build (forked workers inherit the pause), and 0.15 s
    of a preview rebuild.  Peak memory grew by 8 MiB.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build(
    config: SiteConfig,
    output: Path | None,
    drafts: bool,
    clean: bool,
    progress: Progress | None,
    memory: BuildMemory | None,
    hash_assets: bool,
) -> BuildReport:
    started = time.perf_counter()
    output = (output or config.root / "output").resolve()
    _check_output_location(config, output)
    cache = ImageCache(cache_dir(config))
    manifest = manifest_path(cache.root, output)
    report_file = manifest.with_suffix(".report.json")
    try:
        recover(output)  # a build cut off in its commit is finished (or undone) before anything is believed
    except OSError as exc:
        raise output_error(output, exc) from exc
    inputs = ""
    if memory is None:
        inputs = input_fingerprint(config, drafts=drafts)
        previous = None if clean else load_report(report_file, inputs, output)
        if previous is not None:
            return replace(
                previous,
                seconds=time.perf_counter() - started,
                photos_encoded=0,
                written=WriteReport((), (), previous.files),
            )
        # --clean builds from the sources: no cache is read, but each is written again for the next build.
        index = SourceIndex(cache.root / "sources.json", read=not clean)
        markdown = MarkdownCache(cache.root / "markdown.json", read=not clean)
        sources = SourceCache(cache.root / SOURCES_FILE, config, read=not clean)
        parsed = scans = None
    else:
        # A command-line build must not take this output for unchanged on a report of an older build.
        with _writing_cache(cache.root):
            report_file.unlink(missing_ok=True)
        index, markdown = memory.caches(cache.root)
        parsed = memory.parse_memo(config)
        scans = memory.scans
        sources = None  # the memory keeps parsed files itself
    prepared = prepare(
        config, drafts=drafts, index=index, markdown=markdown, parsed=parsed, scans=scans, sources=sources
    )
    last = remembered = None
    if not clean:
        remembered = memory.last_manifest(output) if memory else None
        last = remembered or load_manifest(manifest, output)
    folder = str(output)

    def published(rel: str, mark: str) -> bool:
        """Whether the output holds ``rel`` as ``mark`` names it: then its cache file need not be read."""
        if last is None or last.files.get(rel) != mark:
            return False
        return last is remembered or os.path.isfile(os.path.join(folder, rel))

    encoded = process_images(prepared.photos, cache, progress=progress, trust=not clean, published=published)
    if encoded.failures:
        raise BuildFailed(
            image_problem(use, use.src, message, prepared.site.photos[url].nearby)
            for url, message in encoded.failures.items()
            for use in prepared.site.photos[url].uses
        )
    # Skip only pages whose file is still there: a page deleted by hand is rendered again.
    current = {}
    if last and last is remembered:
        current = last.deps  # this process wrote them since it started: a stat per page saved
    elif last:
        current = {rel: made for rel, made in last.deps.items() if os.path.isfile(os.path.join(folder, rel))}

    def save_caches() -> None:
        """Reading and converting are done: their caches are written while the templates render."""
        assert sources is not None
        with _writing_cache(cache.root):
            sources.save()
            markdown.save()

    staging = open_staging(output)  # rendered pages go there as they are made
    try:
        files, made_from = render_files(
            config,
            prepared,
            encoded.images,
            current,
            memory,
            hash_assets=hash_assets,
            staging=staging,
            meanwhile=save_caches if sources is not None else None,
            trust_caches=not clean,
            published=published,
        )
        # The preview weighs only what it rendered: its terminal shows warnings about what was just saved.
        weighed = (
            made_from
            if memory is None
            else {r: m for r, m in made_from.items() if r not in current or m is not current[r]}
        )
        weights = weigh(files, weighed, config.base_path, output)
        heavy = [
            *pages_over_budget(weights, prepared.site),
            *heroes_over_budget(prepared.site, encoded.images, cache),
        ]
        if memory is None:
            with _writing_cache(cache.root):
                report_file.unlink(missing_ok=True)  # this build's, once it is whole, or none
        written = write_output(
            output,
            files,
            manifest,
            previous=last,
            deps=made_from,
            save=memory.save_manifest_later if memory is not None and memory.builds else None,
        )
    except OSError as exc:
        # Pages are staged beside the output, QR codes cached: a full disk or a folder without permission.
        if disk_reason(exc) is None:
            raise
        cached = any(name and Path(name).is_relative_to(cache.root) for name in (exc.filename, exc.filename2))
        raise (cache_error(cache.root, exc) if cached else output_error(output, exc)) from exc
    finally:
        close_staging(output, staging)  # what a failed build staged (unless a journal still needs it)
    with _writing_cache(cache.root):
        if memory is None:
            index.save()
            cache.prune()
        else:
            if written.manifest is not None:
                memory.remember_manifest(output, written.manifest)
            if memory.builds == 0:
                memory.flush()
                cache.prune()
            memory.builds += 1
    site = prepared.site
    counts = Counter(page.kind.value for page in site.pages)
    counts["listing"] = len(site.listings)
    report = BuildReport(
        output,
        dict(counts),
        len(files),
        time.perf_counter() - started,
        encoded.encoded,
        encoded.cached,
        tuple(p for p in sorted_problems([*prepared.problems, *heavy]) if not p.is_error),
        written,
        tuple(sorted(heaviest_by_kind(weights).values(), key=lambda w: _KIND_ORDER.get(w.kind, 99))),
    )
    if memory is None:
        with _writing_cache(cache.root):
            save_report(report_file, inputs, report)
    return report


@contextlib.contextmanager
def _writing_cache(root: Path) -> Iterator[None]:
    """A cache folder that cannot be written (a full disk, no permission) is one line saying so."""
    try:
        yield
    except OSError as exc:
        if disk_reason(exc) is None:
            raise
        raise cache_error(root, exc) from exc


def save_report(path: Path, inputs: str, report: BuildReport) -> None:
    """Remember what was built from which inputs, for the next build to skip an unchanged site."""
    warnings = [[p.location.path, p.location.line, p.message, p.field, p.hint] for p in report.warnings]
    data = {
        "inputs": inputs,
        "pages": report.pages,
        "files": report.files,
        "photos": report.photos_encoded + report.photos_cached,
        "warnings": warnings,
        "weights": [[w.output, w.kind, w.html, w.css, w.js] for w in report.weights],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    write_sealed(path, REPORT_VERSION, data, ensure_ascii=False)


def load_report(path: Path, inputs: str, output: Path) -> BuildReport | None:
    """The last build's report when its inputs are the same as now and its output is still there, whole."""
    try:
        data = read_sealed(path, REPORT_VERSION)
        if data is None or data["inputs"] != inputs or not is_whole(output):
            return None
        warnings = tuple(
            warning(path_, line, message, field=field_, hint=hint)
            for path_, line, message, field_, hint in data["warnings"]
        )
        weights = tuple(PageWeight(str(o), str(k), int(h), int(c), int(j)) for o, k, h, c, j in data["weights"])
        return BuildReport(
            output, dict(data["pages"]), int(data["files"]), 0.0, 0, int(data["photos"]), warnings, weights=weights
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _check_output_location(config: SiteConfig, output: Path) -> None:
    root = config.root.resolve()
    protected = [root / "content", root / "themes", root / "static"]
    if output == root or root.is_relative_to(output) or any(output.is_relative_to(p) for p in protected):
        raise VillageSiteError(
            [
                error(
                    str(output),
                    None,
                    "the output folder cannot be the site folder or inside content/, themes/ or static/",
                    hint="use the default output/ or another folder",
                )
            ]
        )
