"""What each rendered page depends on, so a rebuild renders only the pages an edit reaches.

A page's HTML depends on:

- the **site's structure**: every page's front matter, URL and photos, every
  listing's members, the data files, the settings, the theme's files.  Any
  template may show any of it (titles in cards, counts, navigation), so a
  change here renders every page again;
- **its own body**;
- the **bodies of other pages its template read**: templates reach another
  page's body only through ``.html``, ``.toc``, ``.images`` or ``.source`` of
  that page, and the environment records those reads while rendering.

Editing a body, the commonest edit, then renders one page.  Fingerprints are
recorded per output in the build manifest and compared on the next build.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

import jinja2

from . import __version__
from .encode import Processed
from .model import Page, Site
from .themes import StaticAsset, ThemeChain

BODY_ATTRIBUTES = frozenset({"html", "toc", "images", "source"})
"""Attributes of a page through which a template reaches its body."""

STRUCTURE = "structure"
SELF = "self"


def _sha(*parts: object) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:24]


def _photo(image: Processed | None) -> object:
    if image is None:
        return None
    return (tuple(v.url for v in image.asset.variants), image.placeholder)


def page_meta(page: Page, photos: tuple[object, ...]) -> str:
    """Everything of a page but its body: front matter, URL, template, and the photos of its folder."""
    source = page.source
    extra = json.dumps(dict(source.extra), sort_keys=True, default=str, ensure_ascii=False)
    return _sha(
        page.url,
        page.slug,
        page.template,
        source.kind,
        source.language,
        source.common,
        source.village,
        source.story,
        source.event,
        extra,
        photos,
    )


def page_body(page: Page, images: Mapping[str, Processed]) -> str:
    """The page's body as rendered, with the photos it shows."""
    body_photos = tuple(_photo(images.get(image.url)) for image in page.images)
    return _sha(page.source.digest, page.html, page.toc, page.images, body_photos)


def structure(site: Site, images: Mapping[str, Processed], chain: ThemeChain, assets: Mapping[str, StaticAsset]) -> str:
    """The fingerprint every rendered page depends on."""
    by_folder: dict[str, list[tuple[str, object]]] = {}
    for url, image in sorted(images.items()):
        by_folder.setdefault(url.rpartition("/")[0] + "/", []).append((url, _photo(image)))
    pages = tuple((page.url, page_meta(page, tuple(by_folder.get(page.url, ())))) for page in site.pages)
    listings = tuple(
        (listing.kind, listing.key, listing.title, listing.url, tuple(v.url for v in listing.villages))
        for listing in site.listings
    )
    theme_files = tuple(
        (str(path), path.read_bytes())
        for directory in chain.template_dirs()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    )
    strings = tuple(
        (theme.name, theme.extends, sorted((k, dict(v)) for k, v in theme.strings.items())) for theme in chain.themes
    )
    data = json.dumps(_plain(site.data), sort_keys=True, default=str, ensure_ascii=False)
    return _sha(
        __version__,
        site.config.fingerprint(),
        pages,
        listings,
        theme_files,
        strings,
        tuple((a.name, a.url) for a in assets.values()),
        data,
    )


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


class RecordingEnvironment(jinja2.Environment):
    """Records which pages' bodies a template reads while :attr:`reads` is a set."""

    reads: set[str] | None = None

    def getattr(self, obj: Any, attribute: str) -> Any:
        if self.reads is not None and attribute in BODY_ATTRIBUTES and isinstance(obj, Page):
            self.reads.add(obj.url)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if self.reads is not None and argument in BODY_ATTRIBUTES and isinstance(obj, Page):
            self.reads.add(obj.url)
        return super().getitem(obj, argument)


def dependencies(
    structure_fp: str, own_body: str | None, bodies_read: Iterable[str], body_fps: Mapping[str, str]
) -> dict[str, str]:
    """The fingerprints one output was made from."""
    deps = {STRUCTURE: structure_fp}
    if own_body is not None:
        deps[SELF] = own_body
    for url in sorted(bodies_read):
        deps[f"body:{url}"] = body_fps.get(url, "gone")
    return deps


def still_current(
    previous: Mapping[str, str] | None, structure_fp: str, own_body: str | None, body_fps: Mapping[str, str]
) -> bool:
    """Whether an output made from ``previous`` would come out the same now."""
    if not previous or previous.get(STRUCTURE) != structure_fp or previous.get(SELF) != own_body:
        return False
    return all(body_fps.get(key[5:], "gone") == value for key, value in previous.items() if key.startswith("body:"))
