"""All pages -> the browsable :class:`Site`: slugs, URLs, links, listings, neighbours.

This is the one stage that sees every page at once (it must: a link or a
story's ``villages:`` can name any page).  Everything it returns is frozen.
"""

from __future__ import annotations

import functools
import typing
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .bundle_files import inert_content, is_active, publishable
from .bundle_videos import BundleVideo, prepare
from .caches import cache_dir
from .config import SiteConfig
from .content import ContentSet, Source
from .editions import Edition, converts_to_traditional, site_editions
from .errors import Problem, Severity, did_you_mean, error, warning
from .i18n import N_, _
from .images import is_photo
from .kinds import KINDS
from .listings import distance_km, grouped_listings, neighbours, style_listings
from .markdown_cache import Body, MarkdownCache
from .markdown_html import BodyImage, RenderedBody
from .model import ImageUse, Listing, Page, Photo, Resource, Site
from .page_videos import poster_name
from .reassemble import AssemblyMemory, BodyMade, Frame, LastAssembly, Made, Shape, photos_of, swap_pages
from .schema import STYLES, VIDEO_FILES, ImageRef, Kind, Record, VillageFields
from .slugs import is_slug, place_slug, slugify
from .traditional import Conversions, converter_for
from .translations import converted
from .urls import RESERVED_SLUGS, link, page_path


def assemble_site(
    config: SiteConfig,
    content: ContentSet,
    *,
    drafts: bool,
    markdown: MarkdownCache | None = None,
    conversions: Conversions | None = None,
    memory: AssemblyMemory | None = None,
) -> tuple[tuple[Site, ...], list[Problem]]:
    """Build the site model of every edition, the content's own first; problems are returned, the
    caller decides whether they stop the build.

    With a ``memory`` (the preview keeps one), a build whose structure is the last one's converts only
    the bodies that changed and puts their pages in the last site (see :mod:`villagesite.reassemble`)."""
    editions = site_editions(config)
    last = memory.last if memory is not None else None
    shape = _shape(config, content, drafts, last.frame.shape if last is not None else None)
    slugs, urls, targets = shape.slugs, shape.urls, shape.targets
    sources = content.sources
    published = [sources[index] for index in shape.published]
    translations = [sources[index] for index in shape.translations]
    resources, videos, found = _bundle_resources(config, published, urls)
    problems = [*shape.slug_problems, *found]
    _check_video_files(published, urls, videos, problems)
    problems += shape.checked_problems
    frame = Frame(shape, tuple(resources), videos, tuple(problems))
    markdown = markdown or MarkdownCache(None)
    conversions = conversions or Conversions()
    written = (*published, *translations)
    # Originals are converted to Traditional Chinese in the Markdown workers (unless translated by hand).
    traditional = config.traditional if converts_to_traditional(config) else None

    def body_of(s: Source) -> Body:
        convert = traditional if s.language == config.language and s.rel_path not in shape.hand_written else None
        return Body(s.rel_path, s.body, s.folder, s.body_line, s.bundle_files, s.digest, convert)

    def bodies_made(sources: Sequence[Source]) -> list[BodyMade]:
        converted = markdown.convert_all(
            [body_of(s) for s in sources],
            targets=targets,
            link=lambda path: link(config, path),
            base_path=config.base_path,
            link_severity=Severity.WARNING,  # the same in check, build and serve; --strict makes it an error
        )
        made = []
        for source, (rendered, found) in zip(sources, converted, strict=True):
            url = urls[shape.original_of.get(source.rel_path, source.rel_path)]
            original = source.language == config.language
            photo_problems: list[Problem] = []
            uses = _photo_uses(config, source, url, rendered.images, photo_problems, original, videos)
            made.append(BodyMade(rendered, (*found, *photo_problems), tuple(uses), source.bundle_files))
        return made

    def page_of(source: Source, original: Source, rendered: RenderedBody, convert: bool = False) -> Page:
        """The page of a source in its edition; ``convert``: the original, converted (Traditional)."""
        if convert:
            source = conversions.source(original, KINDS[original.kind].facts, config.traditional)
            html, toc = conversions.body(rendered, config.traditional)
        else:
            html, toc = rendered.html, rendered.toc
        return Page(
            source,
            slugs[original.rel_path],
            urls[original.rel_path],
            html,
            toc,
            rendered.images,
            source.common.template or original.common.template or KINDS[source.kind].template,
        )

    if memory is not None and last is not None and last.frame == frame and len(last.written) == len(written):
        again = _assembled_again(last, written, bodies_made, page_of, markdown, conversions)
        if again is not None:
            memory.last = again
            return again.sites, [*frame.problems, *_body_problems(again.bodies), *_unlisted_intros(again.sites[0])]

    bodies = tuple(bodies_made(written))
    rendered_of = {source.rel_path: body.rendered for source, body in zip(written, bodies, strict=True)}
    photos = photos_of(bodies)

    def made(source: Source, original: Source, convert: bool = False) -> Made:
        rendered = rendered_of[original.rel_path if convert else source.rel_path]
        return Made(page_of(source, original, rendered, convert), source.rel_path, original.rel_path, convert)

    by_page = {_page_key(source): source for source in published}
    sites: list[Site] = []
    made_by_edition: list[tuple[Made, ...]] = []
    originals_by_slug: dict[tuple[Kind, str], Page] = {}
    for edition in editions:
        own = {_page_key(s): s for s in translations if s.language == edition.language}
        if edition.original:
            pages = [made(source, source) for source in published]
        elif edition.converted:  # every page: translated by hand, else converted
            pages = [
                made(own[key], original) if key in own else made(original, original, True)
                for key, original in by_page.items()
            ]
        else:
            pages = [made(source, by_page[key]) for key, source in own.items()]
        site = _collect(
            _edition_config(config, edition),
            [one.page for one in pages],
            resources,
            photos,
            _edition_data(config, edition, content.data),
            edition,
            editions,
            originals_by_slug,
            videos,
        )
        if edition.original:
            originals_by_slug.update(((page.kind, page.slug), page) for page in site.pages)
        sites.append(site)
        made_by_edition.append(tuple(pages))
    if memory is not None:
        memory.last = LastAssembly(frame, written, bodies, tuple(made_by_edition), tuple(sites))
    problems += _body_problems(bodies)
    if sites:
        problems += _unlisted_intros(sites[0])
    return tuple(sites), problems


def _shape(config: SiteConfig, content: ContentSet, drafts: bool, last: Shape | None) -> Shape:
    """Where every page goes and what links may name, from the front matter and folders' file names
    alone: the last build's, when those are the same."""
    settings = (config.fingerprint(), drafts)
    fronts = tuple((s.rel_path, s.meta_digest, s.bundle_files) for s in content.sources)
    if last is not None and last.settings == settings and last.fronts == fronts and last.data == content.data:
        return last
    problems: list[Problem] = []
    originals = [s for s in content.sources if s.language == config.language]
    # Slugs of drafts too: a draft that would collide is caught before it is published.
    slugs = _assign_slugs(originals, problems)
    published = [s for s in originals if drafts or not s.common.draft]
    urls = {source.rel_path: page_path(source.kind, slugs[source.rel_path]) for source in published}
    by_page = {_page_key(source): source for source in published}
    # A translation of a published page, itself not held back as a draft, is published in its edition.
    translations = [
        s
        for s in content.sources
        if s.language != config.language and _page_key(s) in by_page and (drafts or not s.common.draft)
    ]
    checked: list[Problem] = []
    _check_references(published, {(s.kind, slugs[s.rel_path]): s for s in originals}, checked)
    _check_sold_at(published, {slugs[s.rel_path] for s in originals if s.kind is Kind.PLACE}, checked)
    _check_place_distances(published, {slugs[s.rel_path]: s for s in originals if s.kind is Kind.VILLAGE}, checked)
    index = {id(source): number for number, source in enumerate(content.sources)}
    return Shape(
        settings,
        fronts,
        content.data,
        slugs,
        urls,
        tuple(index[id(source)] for source in published),
        tuple(index[id(source)] for source in translations),
        {s.rel_path: by_page[_page_key(s)].rel_path for s in translations},
        frozenset(by_page[_page_key(s)].rel_path for s in translations if s.language == "zh-Hant"),
        _link_targets(published, urls),
        tuple(problems),
        tuple(checked),
    )


def _assembled_again(
    last: LastAssembly,
    written: tuple[Source, ...],
    bodies_made: Callable[[Sequence[Source]], list[BodyMade]],
    page_of: Callable[[Source, Source, RenderedBody, bool], Page],
    markdown: MarkdownCache,
    conversions: Conversions,
) -> LastAssembly | None:
    """The last assembly with the bodies of the files that changed made again and their pages put in
    place, when the same files are written as before; None when they are not."""
    if any(new.rel_path != old.rel_path for new, old in zip(written, last.written, strict=True)):
        return None
    changed = [index for index, (new, old) in enumerate(zip(written, last.written, strict=True)) if new is not old]
    markdown.still_used(source.rel_path for source in written)
    conversions.keep_all()
    bodies = list(last.bodies)
    for index, body in zip(changed, bodies_made([written[index] for index in changed]), strict=True):
        bodies[index] = body
    source_of = {source.rel_path: source for source in written}
    rendered_of = {source.rel_path: body.rendered for source, body in zip(written, bodies, strict=True)}
    remake = {written[index].rel_path for index in changed}
    swapped: dict[int, Page] = {}
    made_by_edition = []
    for pages in last.made:
        remade = []
        for one in pages:
            if one.source in remake or one.original in remake:  # a translation's page names its original
                rendered = rendered_of[one.original if one.convert else one.source]
                page = page_of(source_of[one.source], source_of[one.original], rendered, one.convert)
                swapped[id(one.page)] = page
                one = Made(page, one.source, one.original, one.convert)
            remade.append(one)
        made_by_edition.append(tuple(remade))
    # The site's photos change only where a changed body names others (or names them on other lines).
    same = all((bodies[i].photos, bodies[i].nearby) == (last.bodies[i].photos, last.bodies[i].nearby) for i in changed)
    photos = None if same else photos_of(tuple(bodies))
    sites = tuple(swap_pages(site, swapped, photos) for site in last.sites)
    return LastAssembly(last.frame, written, tuple(bodies), tuple(made_by_edition), sites)


def _body_problems(bodies: Sequence[BodyMade]) -> list[Problem]:
    return [problem for body in bodies for problem in body.problems]


def _unlisted_intros(site: Site) -> list[Problem]:
    """An introduction whose file name is no city's or tag's listing: its words would be shown nowhere."""
    problems = []
    for url, intro in site.intros.items():
        listings = site.cities if intro.kind is Kind.CITY_INTRO else site.tags
        if any(listing.url == url for listing in listings):
            continue
        slugs = [listing.url.rstrip("/").rsplit("/", 1)[-1] for listing in listings]
        names = ", ".join(f"{slug} ({listing.title})" for slug, listing in list(zip(slugs, listings, strict=True))[:8])
        message = (
            _("no village names this city, so this introduction is shown nowhere")
            if intro.kind is Kind.CITY_INTRO
            else _("no village has this tag, so this introduction is shown nowhere")
        )
        hint = did_you_mean(intro.slug, slugs) or (
            _("name the file after its listing's address: {names}", names=names) if names else None
        )
        problems.append(warning(intro.source.rel_path, None, message, hint=hint))
    return problems


def _page_key(source: Source) -> tuple[Kind, str, str]:
    """What names a page in every edition: its kind, folder and name (``about`` for ``about.en.md``)."""
    return (source.kind, source.folder, source.name)


def _edition_config(config: SiteConfig, edition: Edition) -> SiteConfig:
    """The settings as an edition's templates see them: its language, the site's name in it."""
    if edition.original:
        return config
    if edition.converted:
        convert = converter_for(config.traditional).convert
        return replace(
            config,
            language=edition.language,
            title=convert(config.title),
            description=convert(config.description) if config.description else None,
        )
    if edition.language == "en":
        return replace(
            config,
            language="en",
            title=config.title_en or config.title,
            title_en=None,
            description=config.description_en,
        )
    return replace(config, language=edition.language)


def _edition_data(config: SiteConfig, edition: Edition, data: Mapping[str, Any]) -> Mapping[str, Any]:
    """The data files as an edition's templates see them: converted in a Traditional edition."""
    if not edition.converted:
        return data
    return MappingProxyType(converted(dict(data), frozenset(), converter_for(config.traditional).convert))


def _assign_slugs(sources: list[Source], problems: list[Problem]) -> dict[str, str]:
    """Explicit ``slug:``, else the folder name, else pinyin of the title; collisions are errors."""
    slugs: dict[str, str] = {}
    taken: dict[tuple[Kind, str], Source] = {}
    for source in sources:
        explicit = source.common.slug
        if explicit is not None and not is_slug(explicit):
            problems.append(
                error(
                    source.rel_path,
                    source.line_of("slug"),
                    _("'{slug}' is not a valid slug", slug=explicit),
                    field="slug",
                    # TRANSLATORS: {example} is a slug made from what was written, such as fengjian.
                    hint=_(
                        "use lower-case a-z, 0-9 and '-', e.g. '{example}'", example=slugify(explicit) or "fengjian"
                    ),
                )
            )
            explicit = None
        slug = explicit or (source.name if is_slug(source.name) else source.title_slug or slugify(source.name))
        if not slug:
            problems.append(
                error(
                    source.rel_path,
                    source.line_of("title"),
                    _("cannot make a URL from the title"),
                    field="slug",
                    hint=_("add 'slug: a-name' in the front matter"),
                )
            )
            slug = f"page-{source.digest[:8]}"
        space = source.kind
        if KINDS[source.kind].at_root and slug in RESERVED_SLUGS:
            problems.append(
                error(
                    source.rel_path,
                    None,
                    _("the URL /{slug}/ is used by the site itself", slug=slug),
                    field="slug",
                    hint=_("rename the file or set another 'slug:'"),
                )
            )
        other = taken.get((space, slug))
        if other is not None:
            # Name the file whose own 'slug:' caused it, when only one of them has one.
            blamed, innocent = (other, source) if other.common.slug and not source.common.slug else (source, other)
            problems.append(
                error(
                    blamed.rel_path,
                    blamed.line_of("slug"),
                    # TRANSLATORS: {other} is the other page's file, such as content/villages/fengjian/index.md.
                    _("the URL slug '{slug}' is also used by {other}", slug=slug, other=innocent.rel_path),
                    field="slug",
                    hint=_("give one of them another 'slug:'"),
                )
            )
        taken[(space, slug)] = source
        slugs[source.rel_path] = slug
    return slugs


def _link_targets(sources: list[Source], urls: dict[str, str]) -> dict[str, str]:
    """Every content path a link may name -> its site path.

    Files a page may not publish (see :mod:`villagesite.bundle_files`) are no link targets; those
    that are active (scripts) are, so that a link to one needs no second message."""
    targets: dict[str, str] = {"/": "/"} | {entry.index: entry.index for entry in KINDS.values() if entry.index}
    targets.update({f"/styles/{key}/": f"/styles/{key}/" for key in STYLES})
    for source in sources:
        url = urls[source.rel_path]
        content_path = "/" + source.rel_path.removeprefix("content/")
        for key in (url, content_path, source.folder if source.folder != "/pages/" else f"/pages/{source.name}/"):
            targets.setdefault(key, url)
        if source.folder != "/pages/":
            for name in source.bundle_files:
                if is_photo(name) or publishable(name) or is_active(name):
                    targets[source.folder + name] = url + name
    return targets


def _bundle_resources(
    config: SiteConfig, sources: list[Source], urls: dict[str, str]
) -> tuple[list[Resource], dict[str, BundleVideo], list[Problem]]:
    """The bundle files to copy; the videos among them, cleaned of where they were filmed (see
    :mod:`villagesite.bundle_videos`); what reading them found.

    SVG drawings and routes are read here, on every build, so that an edit to one is seen even
    where the folder's listing is remembered."""
    resources: list[Resource] = []
    videos: dict[str, BundleVideo] = {}
    problems: list[Problem] = []
    cache = cache_dir(config)
    for source in sources:
        if source.folder == "/pages/":
            continue
        url = urls[source.rel_path]
        for name in source.bundle_files:
            if is_photo(name) or not publishable(name):  # photos are published as variants, never as originals
                continue  # a file a page may not publish was reported when the folder was listed
            resource_url = url + name
            path = bundle_path(config, source, name)
            if name.lower().endswith(VIDEO_FILES):  # published from a cleaned copy
                video, found = prepare(path, resource_url, path.relative_to(config.root).as_posix(), cache)
                problems.extend(found)
                if video is not None:
                    videos[resource_url] = video
                    resources.append(Resource(video.published, resource_url))
            else:
                content, problem = inert_content(path, path.relative_to(config.root).as_posix())
                if problem is not None:
                    problems.append(problem)
                resources.append(Resource(path, resource_url, content))
    return resources, videos, problems


def _check_video_files(
    sources: list[Source], urls: dict[str, str], videos: dict[str, BundleVideo], problems: list[Problem]
) -> None:
    """A video's ``src`` must be a video in the page's folder; one without a poster gets a frame of itself,
    or, without PyAV to take it, a warning."""
    for source in sources:
        for video in source.common.videos:
            if video.src is None:
                continue
            field = f"{video.field}.src"
            if video.src not in source.bundle_files:
                problems.append(
                    error(
                        source.rel_path,
                        video.line,
                        _("video '{src}' is not in the page's folder", src=video.src),
                        field=field,
                        hint=did_you_mean(
                            video.src, [n for n in source.bundle_files if n.lower().endswith(VIDEO_FILES)]
                        )
                        or _("put the video beside index.md and write its file name"),
                    )
                )
                continue
            prepared = videos.get(urls[source.rel_path] + video.src)
            if prepared is not None and video.cover is None and prepared.poster is None:
                problems.append(
                    warning(
                        source.rel_path,
                        video.line,
                        _("has no poster: visitors see a blank box until they play it"),
                        field=f"{video.field}.poster",
                        hint=_(
                            "name a photo of the video beside index.md (poster: frame.jpg), or install PyAV "
                            "(pip install 'villagesite[video]') to take a frame from the video"
                        ),
                    )
                )


def bundle_path(config: SiteConfig, source: Source, name: str) -> Path:
    return config.content_dir / source.folder.strip("/") / name


def _front_matter_images(source: Source) -> list[ImageRef]:
    """The cover, then every image the kind's own fields hold (a gallery, attractions' photos), in order."""
    refs: list[ImageRef] = [source.common.cover] if source.common.cover else []
    _images_in(source.fields, refs)
    _images_in(source.common.videos, refs)
    return refs


def _images_in(value: object, found: list[ImageRef]) -> None:
    if isinstance(value, ImageRef):
        found.append(value)
    elif isinstance(value, Record):
        for name in _image_fields(type(value)):
            _images_in(getattr(value, name), found)
    elif isinstance(value, tuple):
        for item in value:
            _images_in(item, found)


@functools.cache
def _image_fields(record: type[Record]) -> tuple[str, ...]:
    """The fields of a record whose declared type may hold an image, in order: a walk of every
    field of every page took 0.2 s of each preview save at 5,000 villages."""
    hints = typing.get_type_hints(record)
    return tuple(name for name in record.__match_args__ if _may_hold_image(hints.get(name, object)))


def _may_hold_image(hint: object) -> bool:
    if hint is ImageRef:
        return True
    if isinstance(hint, type) and issubclass(hint, Record):
        return bool(_image_fields(hint))
    if isinstance(hint, type) and hint is not tuple:
        return False  # the walk looks into records and tuples only
    arguments = [argument for argument in typing.get_args(hint) if argument is not Ellipsis]  # X | None, tuple[X, ...]
    return any(map(_may_hold_image, arguments)) if arguments else True  # Any, a bare tuple: looked into


_NO_SUCH_PAGE = {
    Kind.VILLAGE: (N_("there is no village '{slug}'"), N_("use the folder name of a village")),
    Kind.STORY: (N_("there is no story '{slug}'"), N_("use the folder name of a story")),
    Kind.EVENT: (N_("there is no event '{slug}'"), N_("use the folder name of an event")),
    Kind.PLACE: (N_("there is no place '{slug}'"), N_("use the folder name of a place")),
    Kind.PAGE: (N_("there is no page '{slug}'"), N_("use the name of a page in content/pages/")),
}
"""A reference to no page of a kind, and the hint: whole sentences for each kind, as translators need."""


def _check_references(
    sources: list[Source],
    by_slug: dict[tuple[Kind, str], Source],
    problems: list[Problem],
) -> None:
    """Fields that name other pages (a story's villages, an event's village) must name pages of that
    kind (drafts count, and are left out quietly); see the relations in :mod:`villagesite.kinds`."""
    for source in sources:
        if source.fields is None:
            continue
        for relation in KINDS[source.kind].relations:
            slugs = relation.slugs(source.fields)
            if relation.many and relation.singular and relation.singular in source.key_lines:
                named = [(relation.singular, slug) for slug in slugs]
            elif relation.many:
                named = [(f"{relation.field}[{i}]", slug) for i, slug in enumerate(slugs)]
            else:
                named = [(relation.field, slug) for slug in slugs]
            for field, slug in named:
                if (relation.kind, slug) in by_slug:
                    continue
                message, hint = _NO_SUCH_PAGE[relation.kind]
                choices = sorted(s for k, s in by_slug if k is relation.kind)
                problems.append(
                    error(
                        source.rel_path,
                        source.line_of(field),
                        _(message, slug=slug),
                        field=field,
                        hint=did_you_mean(slug, choices) or _(hint),
                    )
                )


def _check_sold_at(sources: list[Source], places: set[str], problems: list[Problem]) -> None:
    """A specialty's ``sold_at`` must name a place (drafts count, as for other references)."""
    for source in sources:
        village = source.village
        for n, specialty in enumerate(village.specialties if village else ()):
            if specialty.sold_at is None or specialty.sold_at in places:
                continue
            field = f"specialties[{n}].sold_at"
            problems.append(
                error(
                    source.rel_path,
                    source.line_of(field),
                    _("there is no place '{slug}'", slug=specialty.sold_at),
                    field=field,
                    hint=did_you_mean(specialty.sold_at, sorted(places))
                    or _("use the folder name of a place in content/places/"),
                )
            )


PLACE_DISTANCE_KM = 30
"""A place farther than this from its village is likely a typo in its coordinates (or the wrong village)."""


def _check_place_distances(sources: list[Source], villages: dict[str, Source], problems: list[Problem]) -> None:
    """Warn about a place whose ``location`` is far from the village it belongs to."""
    for source in sources:
        place = source.place
        if place is None or place.location is None or place.village not in villages:
            continue
        village = villages[place.village].village
        if village is None:
            continue
        km = distance_km(place.location.lat, place.location.lon, village.location.lat, village.location.lon)
        if km > PLACE_DISTANCE_KM:
            field = "village" if "village" in source.key_lines else "villages[0]"
            problems.append(
                warning(
                    source.rel_path,
                    source.line_of("location"),
                    _(
                        "is {km} km from its village '{village}' (more than {limit} km)",
                        km=round(km),
                        village=place.village,
                        limit=PLACE_DISTANCE_KM,
                    ),
                    field="location",
                    # TRANSLATORS: {field} is the field that names the village: village or villages[0].
                    hint=_("check lat and lon (not swapped?), or the {field} it belongs to", field=field),
                )
            )


def _photo_uses(
    config: SiteConfig,
    source: Source,
    url: str,
    body_images: tuple[BodyImage, ...],
    problems: list[Problem],
    original: bool = True,
    videos: Mapping[str, BundleVideo] | None = None,
) -> list[tuple[str, Path, ImageUse]]:
    """The photos a page shows; a front-matter image must be a photo in the page's own folder.

    A translation's front matter names the original's photos (their ``src`` is a fact): only
    its body's are its own."""
    uses = []
    for ref in _front_matter_images(source) if original else ():
        if ref.src in source.bundle_files and source.folder != "/pages/" and is_photo(ref.src):
            uses.append(
                (
                    url + ref.src,
                    bundle_path(config, source, ref.src),
                    ImageUse(source.rel_path, ref.line, ref.field, ref.src, ref.focus),
                )
            )
            continue
        if "/" in ref.src or "\\" in ref.src:
            message, hint = (
                _("image '{src}' is not in the page's folder", src=ref.src),
                _("name a photo beside index.md, without a folder path"),
            )
        elif ref.src in source.bundle_files:
            message, hint = _("'{src}' is not a photo", src=ref.src), _("use a JPEG, PNG, WebP, HEIC or AVIF file")
        else:
            message = _("image '{src}' is not in the page's folder", src=ref.src)
            hint = did_you_mean(ref.src, source.bundle_files) or _(
                "put the photo beside index.md and write its file name"
            )
        problems.append(error(source.rel_path, ref.line, message, field=ref.field, hint=hint))
    for video in source.common.videos if original else ():
        prepared = (videos or {}).get(url + video.src) if video.src and video.cover is None else None
        if prepared is not None and prepared.poster is not None:  # a frame taken from the video
            use = ImageUse(source.rel_path, video.line, f"{video.field}.src", video.src or "")
            uses.append((url + poster_name(video.src or ""), prepared.poster, use))
    for image in body_images:
        if is_photo(image.src):
            origin = config.content_dir / image.content_path.strip("/")
            uses.append((image.url, origin, ImageUse(source.rel_path, image.line, "body", image.src)))
    return uses


def _collect(
    config: SiteConfig,
    pages: list[Page],
    resources: list[Resource],
    photos: dict[str, Photo],
    data: Mapping[str, Any],
    edition: Edition,
    editions: tuple[Edition, ...],
    originals: Mapping[tuple[Kind, str], Page],
    videos: Mapping[str, BundleVideo],
) -> Site:
    """One edition's site; ``originals`` (the content's own edition, by kind and slug) name the
    listings of cities and tags as the content writes them, the same in every edition."""
    by_kind: dict[Kind, list[Page]] = defaultdict(list)
    for page in pages:
        by_kind[page.kind].append(page)
    ordered = {kind: sorted(by_kind[kind], key=entry.order) for kind, entry in KINDS.items()}
    by_slug = {kind: MappingProxyType({page.slug: page for page in found}) for kind, found in ordered.items()}
    # Who names whom, each in the naming kind's order: a village's stories newest first.
    named_by: dict[str, dict[str, list[Page]]] = defaultdict(lambda: defaultdict(list))
    for kind, entry in KINDS.items():
        for relation in entry.relations:
            targets = by_slug[relation.kind]
            for page in ordered[kind]:
                fields = page.source.fields
                for slug in dict.fromkeys(relation.slugs(fields) if fields is not None else ()):
                    if slug in targets:
                        named_by[targets[slug].url][entry.section].append(page)
    villages = ordered[Kind.VILLAGE]

    def written(page: Page) -> VillageFields:
        """The village's fields as the content writes them."""
        found = originals.get((page.kind, page.slug), page).village
        assert found is not None
        return found

    def cities(page: Page) -> list[tuple[str, str]]:
        assert page.village is not None
        return [(written(page).city, page.village.city)]

    def tags(page: Page) -> list[tuple[str, str]]:
        assert page.village is not None
        return list(zip(written(page).tags, page.village.tags, strict=True))

    return Site(
        config=config,
        pages=tuple(page for kind, entry in KINDS.items() if entry.own_page for page in ordered[kind]),
        intros=MappingProxyType(
            {page.url: page for kind, entry in KINDS.items() if not entry.own_page for page in ordered[kind]}
        ),
        collections=MappingProxyType({entry.collection: tuple(ordered[kind]) for kind, entry in KINDS.items()}),
        by_slug=MappingProxyType(by_slug),
        named_by=MappingProxyType(
            {url: MappingProxyType({k: tuple(v) for k, v in named.items()}) for url, named in named_by.items()}
        ),
        all_villages=Listing("villages", "", "", "/villages/", tuple(villages)),  # titled by the theme
        styles=tuple(style_listings(villages)),
        cities=tuple(grouped_listings("city", "/cities/", villages, cities, place_slug)),
        tags=tuple(grouped_listings("tag", "/tags/", villages, tags, slugify)),
        neighbours_of=neighbours(villages),
        resources=tuple(sorted(resources, key=lambda r: r.url)),
        photos=MappingProxyType(photos),
        data=data,
        edition=edition,
        editions=editions,
        originals=originals,
        videos=MappingProxyType(videos),
    )
