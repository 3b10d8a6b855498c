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
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import deps, readings
from .caches import Caches, DiskCaches, cache_dir
from .commit import recover
from .config import SiteConfig
from .confine import site_files
from .content import load_content
from .disk_errors import disk_reason, output_error, write_error
from .encode import ImageCache, Processed, Progress, process_images
from .errors import BuildFailed, Problem, VillageSiteError, error, sorted_problems, strictly
from .i18n import _
from .ical import EVENT_ICS_FILE, ICS_PATH, event_ics, events_ics
from .images import ImageAsset, image_problem, plan_variants, read_source
from .manifest import manifest_path
from .model import Site
from .outputs import (
    FEED_PATH,
    GEOJSON_PATH,
    PLACES_GEOJSON_PATH,
    SITEMAP_PATH,
    atom_feed,
    places_geojson,
    robots_txt,
    sitemap_xml,
    villages_geojson,
)
from .parallel import map_in_processes
from .placeholders import unfinished
from .plan import Planned, found_in, plan_site, public_urls
from .qr import QR_FILE, QrCodes
from .render import Renderer
from .report import BuildReport
from .ruby import read_names
from .search import search_documents, search_files
from .search.index import INDEX_PATH
from .search.terms import shipped_folding
from .settings_checks import unfinished_settings
from .site import assemble_site
from .themes import resolve_themes, theme_assets
from .urls import absolute, output_file
from .weights import (
    PAGE_KEY,
    describe_page,
    heaviest_by_kind,
    heroes_over_budget,
    pages_over_budget,
    weigh,
)
from .write import (
    Content,
    FromFile,
    Unchanged,
    WriteReport,
    close_staging,
    open_staging,
    stage,
    write_output,
)

CENTRE = (50.0, 50.0)
"""A cover's share card is cropped around its middle unless ``cover.focus`` says otherwise."""
SOURCES_FILE = "content.jsonl"
"""Content files as read by the last command-line build (see :mod:`villagesite.source_cache`)."""


@dataclass(frozen=True, slots=True)
class Prepared:
    """The checked site and its planned photos: everything before encoding and rendering."""

    sites: tuple[Site, ...]
    """Every edition's site, the content's own first."""
    photos: tuple[ImageAsset, ...]
    problems: tuple[Problem, ...]

    @property
    def site(self) -> Site:
        """The content's own edition."""
        return self.sites[0]


def prepare(
    config: SiteConfig,
    *,
    drafts: bool = False,
    caches: Caches | None = None,
) -> Prepared:
    """Load and check content, assemble the site, read photo headers; raise BuildFailed on any error.

    Without ``caches``, everything is read from the sources and nothing is kept.
    """
    # Content first: its errors are what editors need to see, even if the theme is broken too.
    root = caches.root if caches else cache_dir(config)
    content = load_content(config, *(caches.content(config) if caches else (None, None, None, None)))
    if "jyutping" in config.pronunciation and any(_cantonese(source) for source in content.sources):
        readings.start_child_early()  # a cold build: ToJyutping loads in a child while the content converts
    markdown = caches.markdown(root) if caches else None
    conversions = caches.conversions() if caches else None
    memory = caches.assembly() if caches else None
    sites, site_problems = assemble_site(
        config, content, drafts=drafts, markdown=markdown, conversions=conversions, memory=memory
    )
    site = sites[0]
    # Scaffold samples left in published pages and settings: warnings, at their lines.
    samples = unfinished(content.sources, memory.unfinished if memory else None)
    problems = [*content.problems, *site_problems, *samples, *unfinished_settings(config)]
    index = caches.photo_index(root) if caches else None
    assets: list[ImageAsset] = []
    for photo in site.photos.values():
        source = index.read(photo.path, photo.url) if index else read_source(photo.path, photo.url)
        if isinstance(source, str):
            problems += [image_problem(use, use.src, source, photo.nearby) for use in photo.uses]
        else:
            covers = [use.focus or CENTRE for use in photo.uses if use.field in ("cover", "cover.src")]
            assets.append(plan_variants(source, config.images, share=covers[0] if covers else None))
    if any(p.is_error for p in problems):
        raise BuildFailed(problems)
    return Prepared(sites, tuple(assets), tuple(problems))


def _cantonese(source: Any) -> bool:
    """A village whose names the default theme shows in Jyutping as well."""
    village = source.village
    return village is not None and village.style.key == "cantonese"


def render_files(
    config: SiteConfig,
    prepared: Prepared,
    images: Mapping[str, Processed],
    previous: Mapping[str, dict[str, str]] | None = None,
    caches: Caches | None = None,
    *,
    hash_assets: bool = True,
    staging: Path | None = None,
    qr_codes: bool = True,
    search_index: bool = True,
    published: Callable[[str, str], bool] | None = None,
    last_files: Collection[str] | None = None,
    remembered: bool = False,
) -> tuple[dict[str, Content], dict[str, dict[str, str]]]:
    """Every output file, and what each rendered one was made from.

    A page whose recorded inputs (``previous``) are unchanged is not rendered
    again: it stays as the last build wrote it (see :mod:`villagesite.deps`).
    With a ``staging`` folder, rendered pages are written there as they are
    made instead of being kept in memory.  ``qr_codes=False`` and ``search_index=False`` leave out the
    villages' QR codes and the search index (``check`` encodes and caches nothing).  ``caches`` are asked for compiled
    templates and outputs made from the structure alone, and given work to do while worker processes
    render; cached QR codes are used only when they check (see :class:`~villagesite.qr.QrCodes`).
    ``published`` says which outputs the output folder holds already, ``last_files`` what the last
    build wrote (where the caches may keep its search index for a moment, see :meth:`Caches.index_later`);
    ``remembered``, that ``previous`` is what this process's last build left (see :meth:`Caches.bodies_changed`).
    """
    sites = prepared.sites
    site = prepared.site
    caches = caches or Caches()
    chain = resolve_themes(config)
    assets = theme_assets(chain, hashed=hash_assets)
    files: dict[str, Content] = {}
    made_from: dict[str, dict[str, str]] = {}
    collisions: list[Problem] = []
    previous = previous or {}
    structure = deps.structure(sites, images, chain, assets)
    bodies = [
        {page.url: deps.page_body(page, images) for page in (*edition.pages, *edition.intros.values())}
        for edition in sites
    ]
    templates = deps.Templates(chain)
    # Every template output of every edition: pages, the pages of every listing, the indexes, the posters.
    planned = caches.plan_of_structure(structure)
    if planned is None:
        jobs = plan_site(sites)
        planned = (jobs, found_in(sites, jobs))
        caches.keep_plan_of_structure(structure, planned)
    jobs, found = planned
    # One environment per edition: Jinja keeps an imported template's globals (t(), url()) with it.
    environments = [caches.jinja(chain, deps.RecordingEnvironment) for _ in sites]
    renderers = [
        Renderer(edition, environment, chain, assets, images, found)
        for edition, environment in zip(sites, environments, strict=True)
    ]

    def add(rel: str, content: Content, origin: str) -> None:
        if rel in files and files[rel] != content:
            collisions.append(
                error(
                    origin,
                    None,
                    # TRANSLATORS: {file} is a file of the output, such as villages/fengjian/index.html.
                    _("writes {file}, which another page or file also writes", file=rel),
                    hint=_("rename one of them or give it another 'slug:'"),
                )
            )
        files[rel] = content

    def render(job: Planned) -> tuple[str, Content, dict[str, str]]:
        """Render one output, recording the bodies its template reads; encoded (and staged) where rendered."""
        environment = environments[job.edition]
        assert isinstance(environment, deps.RecordingEnvironment)
        environment.reads = set()
        try:
            html = job.make(renderers[job.edition]).html
            own_body = bodies[job.edition][job.body_of] if job.body_of else None
            made = deps.dependencies(structure, own_body, environment.reads, bodies[job.edition], templates)
            encoded = html.encode("utf-8")
            made[PAGE_KEY] = describe_page(job.kind, html, len(encoded))  # for the weight report
            return job.output, stage(staging, job.output, encoded) if staging else encoded, made
        finally:
            environment.reads = None

    changed = caches.bodies_changed(bodies)  # asked always: the caches keep these bodies for the next build
    changed = changed if remembered else None
    stale = []
    for job in jobs:
        rel, own_body = job.output, bodies[job.edition][job.body_of] if job.body_of else None
        edition = job.edition
        if deps.still_current(
            previous.get(rel), structure, own_body, bodies[edition], templates, changed[edition] if changed else None
        ):
            add(rel, Unchanged(), rel)
            made_from[rel] = previous[rel]
        else:
            stale.append(job)
    # Names said aloud are read here, once, before the workers fork (see ruby.read_names).
    urls = [{job.url for job in stale if job.edition == number} for number in range(len(sites))]
    read_names(
        renderer.sayer.asked(page for page in edition.pages if page.url in urls[number])
        for number, (edition, renderer) in enumerate(zip(sites, renderers, strict=True))
    )
    # The search index reads the site, not the rendered pages: this process makes it while the workers
    # render (unless the caches keep the last one for now, see Caches.index_later).
    make_index = None
    index_files: dict[str, Content] = {}
    if config.search and search_index:
        make_index = functools.partial(search_outputs, sites, renderers, caches)  # staged: see below
        folders = tuple(edition.edition.path(INDEX_PATH).lstrip("/") for edition in sites)
        if last_files is not None and caches.index_later(make_index, folders):
            for rel in last_files:
                if rel.startswith(folders):  # the last index, until the new one is made
                    index_files[rel] = Unchanged()
            make_index = None
    saving = caches.while_rendering()

    def meanwhile() -> None:
        if saving is not None:
            saving()
        if make_index is not None:
            index_files.update(make_index(staging, published))

    # The templates that must run, spread over worker processes on large sites.
    # What each page was made from comes back from a worker as new strings, though most are the same for
    # every page (the structure, the templates): one object each, 13 MB less at 5,000 villages.
    same: dict[str, str] = {}
    for rel, content, made in map_in_processes(render, stale, meanwhile):
        add(rel, content, rel)
        made_from[rel] = {same.setdefault(key, key): same.setdefault(value, value) for key, value in made.items()}

    # Machine-read outputs.  Those made from the structure alone are made again only when it changed:
    # the manifest records it, and a long-lived process's caches keep them.
    def add_of_structure(path: str, make: Callable[[], bytes | None]) -> None:
        rel = path.lstrip("/")
        kept = caches.made_from_structure(rel, structure)
        if kept is not None:
            (made,) = kept
        elif previous.get(rel) == {deps.STRUCTURE: structure}:
            add(rel, Unchanged(), rel)
            made_from[rel] = previous[rel]
            return
        else:
            made = make()
            caches.keep_made_from_structure(rel, structure, made)
        if made is not None:
            add(rel, made, rel)
            made_from[rel] = {deps.STRUCTURE: structure}

    add_of_structure(SITEMAP_PATH, lambda: sitemap_xml(sites, found, [public_urls(edition) for edition in sites]))
    add("robots.txt", robots_txt(site), "robots.txt")
    # A QR code of each village's public address (none without a host in base_url), cached: encoding is slow.
    codes = QrCodes(cache_dir(config), trust=caches.trusted, published=published)
    for edition, renderer in zip(sites, renderers, strict=True):
        strings = renderer.strings
        where = edition.edition.path
        feed = atom_feed(edition, strings, renderer.localize)  # stories' bodies too: not of the structure alone
        # TRANSLATORS: named in place of a file, where an output comes from: the Atom feed of stories.
        add(where(FEED_PATH).lstrip("/"), feed, _("feed"))
        add_of_structure(where(GEOJSON_PATH), functools.partial(villages_geojson, edition, strings))
        add_of_structure(where(PLACES_GEOJSON_PATH), functools.partial(places_geojson, edition, strings))
        add_of_structure(where(ICS_PATH), functools.partial(events_ics, edition, strings))
        for event in edition.events:
            add_of_structure(where(event.url + EVENT_ICS_FILE), functools.partial(event_ics, edition, event, strings))
        for page in (*edition.villages, *edition.places) if config.origin and qr_codes else ():
            rel = output_file(where(page.url + QR_FILE))
            qr, digest = codes.file(absolute(config, where(page.url)), rel)
            add(rel, FromFile(qr, digest), page.source.rel_path)

    for rel, data in index_files.items():
        # TRANSLATORS: named in place of a file, where an output comes from.
        add(rel, data, _("search index") if make_index is not None else rel)

    # Files as they are: theme assets, bundle files, the site's static/ folder, photo variants.
    for asset in assets.values():
        # TRANSLATORS: named in place of a file, where an output comes from: a file of the theme's static/ folder.
        add(asset.url.lstrip("/"), asset.content, _("theme static/{name}", name=asset.name))
    for resource in site.resources:
        add(resource.url.lstrip("/"), resource.content or FromFile(resource.path), resource.url)
    for path in _static_files(config):
        rel = path.relative_to(config.static_dir).as_posix()
        add(rel, FromFile(path), f"static/{rel}")
    cache = ImageCache(cache_dir(config))
    for processed in images.values():
        if processed.pending:  # the preview serves it from the cache once encoded
            continue
        checked = processed.files or [None] * len(processed.asset.variants)
        for variant, path in zip(processed.asset.variants, checked, strict=True):
            # The same photo in two folders gives the same variant names: written once.  A checked
            # file's name carries the hash of its bytes: the manifest's fingerprint (``check`` has none).
            content = FromFile(path, path.name.split(".")[1]) if path else FromFile(cache.variant_path(variant))
            add(variant.url.lstrip("/"), content, processed.asset.source.url)
    if collisions:
        raise BuildFailed(collisions)
    return files, made_from


def search_outputs(
    sites: Sequence[Site],
    renderers: Sequence[Renderer],
    caches: Caches,
    staging: Path | None = None,
    published: Callable[[str, str], bool] | None = None,
) -> dict[str, Content]:
    """Every edition's search index (see :mod:`villagesite.search`); documents' files written into
    ``staging`` as they are made, when given, unless ``published`` says the output holds them."""
    english = renderers[0].chain.strings_for("en")
    files = {}
    original = None
    for edition, renderer in zip(sites, renderers, strict=True):
        memory = caches.search_memory(edition.edition.language)
        texts = memory.texts if memory is not None else None
        where = edition.edition.path
        put = functools.partial(_put_index_file, staging, where, published) if staging else None
        last = edition is sites[-1]
        indexed = search_files(  # the documents passed alone: search_files lets them go (see there)
            search_documents(edition, renderer.strings, english, texts),
            shipped_folding(),
            memory,
            original,
            put,
            keep_batches=not last,
        )
        original = original or indexed  # the other editions compare their terms with the content's own
        for path, data in indexed.files.items():
            files[edition.edition.path(path).lstrip("/")] = data
    return files


def _put_index_file(
    staging: Path,
    where: Callable[[str], str],
    published: Callable[[str, str], bool] | None,
    path: str,
    data: bytes,
    sha: bytes,
) -> Content:
    """An index file the output holds already is kept; another is staged now, not held."""
    rel = where(path).lstrip("/")
    if published is not None and published(rel, sha.hex()[:32]):  # the manifest's mark: see write.fingerprint
        return Unchanged()
    return stage(staging, rel, data)


_KIND_ORDER = {
    kind: order for order, kind in enumerate(("home", "village", "story", "event", "place", "page", "listing"))
}


def _static_files(config: SiteConfig) -> list[Path]:
    """The files of the site's static/ folder; links leading out of the site are left out (and reported
    when the content is loaded, see :func:`villagesite.confine.site_files`)."""
    return site_files(config.static_dir, config.root.resolve(), "static/")[0]


def check(config: SiteConfig, *, drafts: bool = False) -> list[Problem]:
    """Every problem in the site (broken links count as errors); nothing is encoded or written."""
    with collector_paused(), readings.early_child():
        return _check(config, drafts)


def _check(config: SiteConfig, drafts: bool) -> list[Problem]:
    try:
        # The caches are read, not written: check changes nothing on disk.
        prepared = prepare(config, drafts=drafts, caches=DiskCaches(config))
        # Render with photos as planned (no placeholders) to find template errors too.
        # No skipping, and no QR codes: check writes nothing, not even to the cache.
        files, made_from = render_files(
            config,
            prepared,
            {a.source.url: Processed(a, "") for a in prepared.photos},
            qr_codes=False,
            search_index=False,
        )
    except VillageSiteError as exc:
        return list(exc.problems)
    heavy = pages_over_budget(weigh(files, made_from, config.base_path, None), prepared.sites)
    return sorted_problems([*prepared.problems, *heavy])


def build(
    config: SiteConfig,
    *,
    output: Path | None = None,
    drafts: bool = False,
    clean: bool = False,
    progress: Progress | None = None,
    caches: Caches | None = None,
    hash_assets: bool = True,
    strict: bool = False,
) -> BuildReport:
    """Build the site into ``output`` (default ``output/`` in the site); raise BuildFailed on errors.

    The previous output stays untouched unless the whole build succeeds; then
    only new and changed files are written (all of them with ``clean``).
    ``caches`` is what earlier builds kept: the cache folder on disk by
    default (none of it read with ``clean``); a long-lived process passes the
    same :class:`~villagesite.memory.BuildMemory` to every build.
    ``hash_assets=False`` keeps the theme's static files under their own
    names (the preview does).  ``strict`` counts every warning as an error: nothing is written then.
    """
    with collector_paused(), readings.early_child():
        return _build(config, output, drafts, progress, caches or DiskCaches(config, clean=clean), hash_assets, strict)


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
    progress: Progress | None,
    caches: Caches,
    hash_assets: bool,
    strict: bool = False,
) -> BuildReport:
    started = time.perf_counter()
    output = (output or config.root / "output").resolve()
    _check_output_location(config, output)
    try:
        recover(output)  # a build cut off in its commit is finished (or undone) before anything is believed
    except OSError as exc:
        raise output_error(output, exc) from exc
    previous = caches.unchanged(config, output, drafts=drafts)  # asked first: the caches get ready here
    manifest = manifest_path(caches.root, output)
    if previous is not None and strict and previous.warnings:
        raise BuildFailed(strictly(previous.warnings))
    if previous is not None:
        unchanged = WriteReport((), (), previous.files)
        return replace(previous, seconds=time.perf_counter() - started, photos_encoded=0, written=unchanged)
    prepared = prepare(config, drafts=drafts, caches=caches)
    if strict and prepared.problems:
        raise BuildFailed(strictly(prepared.problems))
    last, remembered = caches.last_manifest(output, manifest)
    folder = str(output)

    def published(rel: str, mark: str) -> bool:
        """Whether the output holds ``rel`` as ``mark`` names it: then its cache file need not be read."""
        if last is None or last.files.get(rel) != mark:
            return False
        return remembered or os.path.isfile(os.path.join(folder, rel))

    image_cache = ImageCache(caches.root)
    encoded = process_images(
        prepared.photos,
        image_cache,
        progress=progress,
        trust=caches.trusted,
        published=published,
        lazy=caches.lazy_photos,
    )
    if encoded.pending:
        caches.photos_pending([(asset, prepared.site.photos[asset.source.url]) for asset in encoded.pending])
    if encoded.failures:
        raise BuildFailed(
            image_problem(use, use.src, message, prepared.site.photos[url].nearby)
            for url, message in encoded.failures.items()
            for use in prepared.site.photos[url].uses
        )
    # Skip only pages whose file is still there: a page deleted by hand is rendered again.
    current = {}
    if last and remembered:
        current = last.deps  # this process wrote them since it started: a stat per page saved
    elif last:
        current = {rel: made for rel, made in last.deps.items() if os.path.isfile(os.path.join(folder, rel))}

    staging = open_staging(output)  # rendered pages go there as they are made
    try:
        files, made_from = render_files(
            config,
            prepared,
            encoded.images,
            current,
            caches,
            hash_assets=hash_assets,
            staging=staging,
            published=published,
            last_files=last.files if last is not None else None,
            remembered=remembered,
        )
        # Weigh every page, or (the preview) what was rendered: its terminal warns about what was just saved.
        weighed = (
            made_from
            if caches.weighs_everything
            else {r: m for r, m in made_from.items() if r not in current or m is not current[r]}
        )
        weights = weigh(files, weighed, config.base_path, output)
        heavy = [
            *pages_over_budget(weights, prepared.sites),
            *heroes_over_budget(prepared.site, encoded.images, image_cache),
        ]
        if strict and heavy:
            raise BuildFailed(strictly(heavy))
        caches.before_commit(output)
        written = write_output(output, files, manifest, previous=last, deps=made_from, save=caches.manifest_saver())
    except OSError as exc:
        # Pages are staged beside the output, QR codes cached: a full disk or a folder without permission.
        if disk_reason(exc) is None:
            raise
        raise write_error(output, caches.root, exc) from exc
    finally:
        close_staging(output, staging)  # what a failed build staged (unless a journal still needs it)
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
        {edition.edition.language: len(edition.pages) for edition in prepared.sites},
    )
    caches.finish(config, output, written, report)
    return report


def _check_output_location(config: SiteConfig, output: Path) -> None:
    root = config.root.resolve()
    protected = [root / "content", root / "themes", root / "static"]
    if output == root or root.is_relative_to(output) or any(output.is_relative_to(p) for p in protected):
        raise VillageSiteError(
            [
                error(
                    str(output),
                    None,
                    _("the output folder cannot be the site folder or inside content/, themes/ or static/"),
                    hint=_("use the default output/ or another folder"),
                )
            ]
        )
