"""Site + theme -> HTML strings, one per URL.

Templates get frozen records and a few helpers (``url``, ``asset``, ``t``),
never the builder.  A template mistake is reported at the template's file
and line, together with the page being rendered.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from markupsafe import Markup

from . import reading_time, structured
from .config import SiteConfig
from .editions import Alternate, Edition, Found, Localizer
from .encode import Processed
from .errors import VillageSiteError, error
from .event_days import is_past
from .geo import named_links
from .i18n import _
from .kinds import KINDS, NAMED_BY
from .listings import listing_title
from .markdown_html import worded
from .model import Listing, ListingPage, Page, Site
from .page_videos import Shown, clock, featured_videos, poster_of, videos_of
from .picture import BODY_SIZES, picture_html, responsive_body
from .qr import QR_FILE
from .ruby import Sayer
from .schema import STYLES, ImageRef
from .stores import store_of
from .themes import StaticAsset, ThemeChain
from .urls import absolute, link

POSTER = "poster/"
"""A village's printable poster lives below its page: ``/villages/<slug>/poster/``."""


@dataclass(frozen=True, slots=True)
class Rendered:
    url: str
    """Site path of the output."""
    html: str


class Renderer:
    """Renders pages of one site with one theme chain."""

    def __init__(
        self,
        site: Site,
        env: jinja2.Environment,
        chain: ThemeChain,
        assets: Mapping[str, StaticAsset],
        images: Mapping[str, Processed],
        found: Found | None = None,
    ) -> None:
        self.site = site
        self.env = env
        self.chain = chain
        self.assets = assets
        self.images = images
        config = site.config
        edition = site.edition
        self.edition = edition
        self.found: Found = found or {}
        self.localize = Localizer(edition, config.base_path, self.found)
        self._alternates: tuple[str | None, tuple[Alternate, ...]] = (None, ())
        self.link = functools.partial(link, config)  # files: photos, the theme's, a page's own
        self.images_by_link = {self.link(url): image for url, image in images.items()}
        self.page_link = _in_edition(link, config, edition)  # pages, listings and feeds: in this edition
        self.page_absolute = _in_edition(absolute, config, edition)
        self.links = structured.Links(
            page=self.page_absolute,
            image=self._image_url,
            language=edition.language,
            file=functools.partial(absolute, config),
        )
        # Every word a visitor reads comes from the theme's strings in the edition's language.
        strings = chain.strings_for(edition.language)
        self.strings = strings
        dates = functools.partial(format_date, strings=strings)
        sayer = Sayer(edition.language, config.pronunciation, site.originals)
        self.sayer = sayer
        # Globals of the environment (not render context), so imported macros see them too.
        env.globals.update(
            {
                "site": site,
                "config": config,
                "styles": STYLES,
                "url": self.page_link,
                "abs_url": self.page_absolute,
                "edition": edition,
                "editions": site.editions,
                "lang": edition.language,
                "alternates": self.alternates,
                "asset": self._asset,
                "resource": lambda page, src: link(config, page.url + src),
                "picture": self._picture,
                "image_url": self._image_url,
                "share_image": self._share_image,
                # Templates call t() forty times a page: the site's language is a plain dict lookup.
                "t": translator(chain, config.language, strings),
                "markup": Markup,
                "format_date": dates,
                "date_zh": dates,  # its older name
                "listing_title": lambda listing: listing_title(listing, strings),
                "navigate": lambda point, name: named_links(point, name, strings),
                "qr_url": self._qr_url,
                "is_past": is_past,  # an event that has ended (villagesite.event_days)
                "json_ld": structured.json_ld,
                "village_ld": lambda page: structured.village_data(page, site, self.links, strings),
                "event_ld": lambda page: structured.event_data(page, site, self.links, strings),
                "website_ld": lambda: structured.website_data(site, self.links),
                "featured": lambda limit=4: featured_villages(site, limit),
                "featured_places": lambda limit=4: featured_places(site, limit),
                "poster_url": poster_url,
                "store_of": store_of,
                "place_ld": lambda page: structured.place_data(page, site, self.links, strings),
                # Names with how they are said (ruby), and minutes to read a body.
                "say": sayer,
                "said_name": sayer.original_name,
                "reading_minutes": lambda page: reading_time.minutes(page.html),
                # Videos: a page's own, and on a village those of the stories and events that name it.
                "videos_of": lambda page: videos_of(site, page),
                "featured_videos": lambda limit=4: featured_videos(site, limit),
                "video_file": lambda shown: (
                    site.videos.get(shown.page.url + shown.video.src) if shown.video.src else None
                ),
                "video_poster": lambda shown: poster_of(site, shown),
                "video_poster_url": self._video_poster_url,
                "video_ld": lambda shown: structured.video_data(tuple(shown), site, self.links),
                "clock": clock,
            }
        )

    def _asset(self, name: str) -> str:
        asset = self.assets.get(name)
        if asset is None:
            raise LookupError(_("the theme has no static file '{name}' (looked for static/{name})", name=name))
        return link(self.site.config, asset.url)

    def _processed(self, page: Page, ref: ImageRef) -> Processed:
        image = self.images.get(page.url + ref.src)
        if image is None:
            # TRANSLATORS: {src} is a photo as the front matter names it; {file} the page's content file.
            raise LookupError(_("'{src}' is not a photo of {file}", src=ref.src, file=page.source.rel_path))
        return image

    def _picture(
        self,
        page: Page,
        ref: ImageRef | None,
        sizes: str = BODY_SIZES,
        hero: bool = False,
        class_: str | None = None,
        caption: bool = True,
    ) -> Markup:
        """Responsive markup for a photo named in ``page``'s front matter (cover, gallery item, ...)."""
        if ref is None:
            return Markup("")
        image = self._processed(page, ref)
        alt = ref.alt if ref.alt is not None else (ref.caption or page.title)  # until alt text is written
        return picture_html(
            image,
            alt=alt,
            link=self.link,
            sizes=sizes,
            hero=hero,
            caption=ref.caption if caption else None,
            css_class=class_,
            focus=ref.focus,
        )

    def _video_poster_url(self, shown: Shown, width: int = 960) -> str | None:
        """The link of the photo a ``<video>`` shows before it plays: one file (``poster`` takes no
        ``srcset``), wide enough for a phone held sideways."""
        ref = poster_of(self.site, shown)
        if ref is None:
            return None
        asset = self._processed(shown.page, ref).asset
        fmt = "webp" if "webp" in asset.formats else None  # every browser that plays video shows WebP
        return self.link(asset.nearest(width, fmt).url)

    def _qr_url(self, page: Page) -> str | None:
        """The link to a village's QR code (``qr.svg`` beside its page, of its page in this edition); none
        when ``base_url`` names no host."""
        has_qr = page.village is not None or page.place is not None
        return self.page_link(page.url + QR_FILE) if self.site.config.origin and has_qr else None

    def alternates(self, this_url: str) -> tuple[Alternate, ...]:
        """The page in every edition (for ``hreflang`` and the language switch): an edition without
        it is linked at its home page."""
        if self._alternates[0] == this_url:  # asked three times a page: the head, the switch, og:locale
            return self._alternates[1]
        here = self.found.get(this_url, ())
        config = self.site.config
        found = tuple(
            Alternate(
                edition,
                link(config, edition.path(this_url if edition in here else "/")),
                absolute(config, edition.path(this_url if edition in here else "/")),
                edition in here,
                edition == self.edition,
            )
            for edition in self.site.editions
        )
        self._alternates = (this_url, found)
        return found

    def _share_image(self, page: Page, ref: ImageRef) -> Markup:
        """Open Graph's image of a page: its cover cut to the 1200 x 630 card around its focus, with its
        size, so that a link shared in a chat shows it at once; the cover as it is where no card was made
        (a transparent PNG)."""
        asset = self._processed(page, ref).asset
        card = asset.share
        if card is None:
            return Markup('<meta property="og:image" content="{}">').format(self._image_url(page, ref))
        return Markup(
            '<meta property="og:image" content="{}">\n<meta property="og:image:width" content="{}">\n'
            '<meta property="og:image:height" content="{}">'
        ).format(absolute(self.site.config, card.url), card.width, card.height)

    def _image_url(self, page: Page, ref: ImageRef, width: int = 1200) -> str:
        """The full URL of a variant at least ``width`` wide in the fallback format (for Open Graph)."""
        return absolute(self.site.config, self._processed(page, ref).asset.nearest(width).url)

    def render(self, template: str, url: str, source: str | None, **context: Any) -> Rendered:
        """Render one output; template errors become a message with file:line."""
        try:
            html = self.env.get_template(template).render(this_url=url, **context)
        except jinja2.TemplateSyntaxError as exc:
            path = self.chain.display_path(Path(exc.filename), self.site.config.root) if exc.filename else template
            raise VillageSiteError(
                [
                    error(
                        path,
                        exc.lineno,
                        # TRANSLATORS: {message} is Jinja's own explanation, in English.
                        _("template syntax error: {message}", message=exc.message),
                        hint=_while(source, url),
                    )
                ]
            ) from None
        except jinja2.TemplateNotFound as exc:
            where = source or "site.yaml"
            raise VillageSiteError(
                [
                    error(
                        where,
                        None,
                        _("there is no template '{name}' in the theme", name=exc.name),
                        field="template" if source else "theme",
                        # TRANSLATORS: {folders} lists the template folders of the theme and those it extends.
                        hint=_(
                            "templates are looked up in {folders}",
                            folders=_(", ").join(map(str, self.chain.template_dirs())),
                        ),
                    )
                ]
            ) from None
        except Exception as exc:
            location = _template_frame(sys.exc_info()[2], self.chain)
            if location is None:
                raise
            file, line = location
            raise VillageSiteError(
                [
                    error(
                        self.chain.display_path(file, self.site.config.root),
                        line,
                        # TRANSLATORS: {message} is what went wrong, often Jinja's or Python's words, in English.
                        _("template error: {message}", message=_describe(exc)),
                        hint=_while(source, url),
                    )
                ]
            ) from None
        return Rendered(url, html)

    def page(self, page: Page) -> Rendered:
        site = self.site
        html = worded(self.localize(page.html), self.strings)
        content = Markup(responsive_body(html, self.images_by_link, self.link))
        context: dict[str, Any] = {"page": page, "content": content, **related(site, page)}
        return self.render(page.template, page.url, page.source.rel_path, **context)

    def page_at(self, number: int) -> Rendered:
        """The site's page at ``number`` (see :mod:`villagesite.plan`)."""
        return self.page(self.site.pages[number])

    def poster_at(self, number: int) -> Rendered:
        return self.poster(posted(self.site)[number])

    def listing_at(self, number: int, page: int) -> Rendered:
        """Page ``page`` (from 1) of the site's listing at ``number``."""
        listing = self.site.listings[number]
        return self.listing(listing, listing.pages()[page - 1])

    def poster(self, page: Page) -> Rendered:
        """A village's printable poster for the sign at its gate, or a place's for its door."""
        return self.render("poster.html", poster_url(page), page.source.rel_path, page=page)

    def listing(self, listing: Listing, paging: ListingPage) -> Rendered:
        """A page of a listing; a city's or a tag's first page with its introduction, if one is written."""
        intro = self.site.intros.get(listing.url) if paging.number == 1 else None
        content = Markup("")
        if intro is not None:
            reads = getattr(self.env, "reads", None)
            if reads is not None:  # read here, not by the template: its body is what this page is made of too
                reads.add(intro.url)
            html = worded(self.localize(intro.html), self.strings)
            content = Markup(responsive_body(html, self.images_by_link, self.link))
        source = intro.source.rel_path if intro is not None else None
        return self.render(
            "listing.html", paging.url, source, listing=listing, paging=paging, intro=intro, content=content
        )

    def index(self, template: str, url: str, **context: Any) -> Rendered:
        """An index page; ``terms`` (``cities``, ``tags``) lists the site's listings of that name."""
        if "terms" in context:
            context["listings"] = getattr(self.site, context["terms"])
        return self.render(template, url, None, **context)


def related(site: Site, page: Page) -> dict[str, Any]:
    """What a page's template receives about other pages, from the kinds' relations.

    The pages its fields name (a story's ``villages``, an event's ``village``);
    the pages that name it, by their kind (a village's ``stories`` and
    ``events``); and what its kind adds (a village's ``neighbours``).
    """
    entry = KINDS[page.kind]
    context: dict[str, Any] = {}
    fields = page.source.fields
    for relation in entry.relations:
        targets = site.by_slug[relation.kind]
        named = [targets[slug] for slug in relation.slugs(fields) if slug in targets] if fields is not None else []
        context[relation.field] = tuple(named) if relation.many else (named[0] if named else None)
    naming = site.named_by.get(page.url, {})
    for other, _relation in NAMED_BY[page.kind]:
        context[other.section] = naming.get(other.section, ())
    if entry.context is not None:
        context |= entry.context(site, page)
    return context


def _in_edition(make: Callable[[SiteConfig, str], str], config: SiteConfig, edition: Edition) -> Callable[[str], str]:
    """``url()`` of an edition's templates: a site path (``/villages/``) in that edition; other links as they are."""
    if not edition.prefix:
        return functools.partial(make, config)
    return lambda path: make(config, edition.path(path) if path.startswith("/") else path)


def posted(site: Site) -> tuple[Page, ...]:
    """The pages with a printable poster: villages, then places."""
    return (*site.villages, *site.places)


def poster_url(page: Page) -> str:
    return page.url + POSTER


def featured_villages(site: Site, limit: int = 4) -> tuple[Page, ...]:
    """Villages for the home page: those marked ``featured: true``, else one of each style.

    Without marks, each style gives its village with the most heritage
    designations (then a cover, then name order), so the choice is stable.
    """
    marked = tuple(page for page in site.villages if page.extra.get("featured") is True)
    if marked:
        return marked[:limit]
    chosen = []
    for listing in site.styles:
        ranked = sorted(
            listing.villages,
            key=lambda p: (-len(p.village.designations) if p.village else 0, p.cover is None, p.sort_key),
        )
        chosen.extend(ranked[:1])
    return tuple(chosen[:limit])


def featured_places(site: Site, limit: int = 4) -> tuple[Page, ...]:
    """Places for the home page: those marked ``featured: true``, else the first of each kind (where to
    stay, eat, shop, learn), so that a visitor sees what a trip can hold."""
    marked = tuple(page for page in site.places if page.extra.get("featured") is True)
    if marked:
        return marked[:limit]
    firsts: dict[str, Page] = {}
    for page in site.places:
        if page.place is not None:
            firsts.setdefault(page.place.kind, page)
    return tuple(firsts.values())[:limit]


def translator(chain: ThemeChain, language: str, strings: Mapping[str, str]) -> Callable[..., str]:
    """``t(key)``: the string ``key`` of the theme chain in ``language`` (``strings``, its table);
    ``t(key, 'en')``: in another language, such as a style's English name beside its Chinese one.
    A key no theme of the chain has in that language is shown as itself."""
    tables = {language: strings}

    def t(key: str, language: str | None = None) -> str:
        if language is None:
            return strings[key]
        table = tables.get(language)
        if table is None:
            table = tables[language] = chain.strings_for(language)
        return table[key]

    return t


def format_date(value: dt.date | None, strings: Mapping[str, str]) -> str:
    """A date by the theme's pattern ``date`` (``{year}年{month}月{day}日``: ``2026年5月1日``); a
    datetime by ``date_time``, which places that date (``{date}``) and ``{hour}``, ``{minute}``."""
    if value is None:
        return ""
    text = strings["date"].format(year=value.year, month=value.month, day=value.day)
    if isinstance(value, dt.datetime):
        text = strings["date_time"].format(date=text, hour=value.hour, minute=value.minute)
    return text


def _while(source: str | None, url: str) -> str:
    # TRANSLATORS: the hint of a template error: the content file (or the address) being made into a page.
    return _("while rendering {page}", page=source or url)


def _describe(exc: Exception) -> str:
    if isinstance(exc, jinja2.UndefinedError):
        return str(exc.message)
    return f"{exc}" if isinstance(exc, LookupError | TypeError | ValueError) else f"{type(exc).__name__}: {exc}"


def _template_frame(tb: TracebackType | None, chain: ThemeChain) -> tuple[Path, int] | None:
    """The innermost traceback frame in a theme template (Jinja puts template lines there)."""
    roots = [theme.templates.resolve() for theme in chain.themes]
    found: tuple[Path, int] | None = None
    while tb is not None:
        filename = Path(tb.tb_frame.f_code.co_filename)
        if filename.suffix in (".html", ".xml", ".txt", ".j2") and any(
            filename.resolve().is_relative_to(r) for r in roots
        ):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
