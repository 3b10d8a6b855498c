"""What each rendered page depends on, so a rebuild renders only the pages an edit reaches.

A page's HTML depends on:

- the **site's structure**: every page's front matter, URL and photos, every
  listing's members, the data files, the settings, the theme's strings and
  static files.  Any template may show any of it (titles in cards, counts,
  navigation), so a change here renders every page again;
- **its own body**;
- the **bodies of other pages its template read**: templates reach another
  page's body only through ``.html``, ``.toc``, ``.images`` or ``.source`` of
  that page, and the environment records those reads while rendering;
- the **templates it was rendered with**, as the theme chain resolves them
  (so a new override of a template that was looked for and not found counts).

Editing a body, the commonest edit, then renders one page.  Fingerprints are
recorded per output in the build manifest and compared on the next build.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections import ChainMap
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import jinja2

from . import __version__
from .encode import Processed
from .event_days import is_past
from .model import Page, Site
from .themes import StaticAsset, ThemeChain

BODY_ATTRIBUTES = frozenset({"html", "toc", "images", "source"})
"""Attributes of a page through which a template reaches its body."""

STRUCTURE = "structure"
SELF = "self"


_SHORT = 64
"""Shorter strings (a URL, a slug) are hashed by their ``repr``: formatting a length costs more there."""


def _sha(*parts: object) -> str:
    """A fingerprint of ``parts``: each by its ``repr``, but a long string or bytes by its bytes and length.

    ``repr`` looks at every character of a Chinese string to tell which to escape: 15 us for a page's
    body, which 10,000 pages (two editions of 5,000 villages) paid on every build.  No ``repr`` starts
    with ``s`` or ``b`` and a digit, so the forms cannot be mistaken for each other."""
    digest = hashlib.sha256()
    for part in parts:
        if type(part) is str and len(part) > _SHORT:
            data = part.encode("utf-8", "surrogatepass")
            digest.update(b"s%d:" % len(data))
            digest.update(data)
        elif type(part) is bytes and len(part) > _SHORT:
            digest.update(b"b%d:" % len(part))
            digest.update(part)
        else:
            digest.update(repr(part).encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:24]


@functools.lru_cache(maxsize=1 << 16)
def _remembered_sha(*parts: object) -> str:
    """:func:`_sha` of hashable parts, remembered: a long-lived process asks again for every page on
    every build, with the same strings (whose hashes Python keeps), so a lookup replaces a hash of
    the page's HTML."""
    return _sha(*parts)


def _photo(image: Processed | None) -> object:
    if image is None:
        return None
    return (tuple(v.url for v in image.asset.variants), image.placeholder)


def page_meta(page: Page, photos: tuple[object, ...]) -> str:
    """Everything of a page but its body: front matter, URL, template, and the photos of its folder.

    The front matter is named by its hash: parsing is a function of its text,
    the page's kind and language, its folder's files and the settings (which
    the structure fingerprint holds), and hashing 5,000 parsed records costs
    far more than naming them.
    """
    source = page.source
    return _remembered_sha(
        page.url,
        page.slug,
        page.template,
        source.rel_path,
        source.kind,
        source.language,
        source.meta_digest,
        source.bundle_files,
        photos,
    )


def page_body(page: Page, images: Mapping[str, Processed]) -> str:
    """The page's body as rendered, with the photos it shows."""
    body_photos = tuple(_photo(images.get(image.url)) for image in page.images)
    return _remembered_sha(page.source.digest, page.html, page.toc, page.images, body_photos)


def structure(
    sites: Sequence[Site], images: Mapping[str, Processed], chain: ThemeChain, assets: Mapping[str, StaticAsset]
) -> str:
    """The fingerprint every rendered page of every edition depends on (a page's template may show
    which editions have it, as the language switch does)."""
    by_folder: dict[str, list[tuple[str, object]]] = {}
    for url, image in sorted(images.items()):
        by_folder.setdefault(url.rpartition("/")[0] + "/", []).append((url, _photo(image)))
    pages = tuple(
        (site.edition.prefix, page.url, page_meta(page, tuple(by_folder.get(page.url, ()))))
        for site in sites
        for page in (*site.pages, *site.intros.values())
    )
    listings = tuple(
        (
            site.edition.prefix,
            listing.kind,
            listing.key,
            listing.title,
            listing.url,
            tuple(v.url for v in listing.villages),
        )
        for site in sites
        for listing in site.listings
    )
    strings = tuple(
        (theme.name, theme.extends, sorted((k, dict(v)) for k, v in theme.strings.items())) for theme in chain.themes
    )
    distinct = {id(site.data): site.data for site in sites}.values()  # editions share them, or convert them
    data = json.dumps([_plain(one) for one in distinct], sort_keys=True, default=str, ensure_ascii=False)
    return _sha(
        __version__,
        tuple(site.config.fingerprint() for site in sites),
        pages,
        listings,
        strings,
        tuple((a.name, a.url) for a in assets.values()),
        data,
        # Events over by today: listings and pages mark them, so a new day can change what is shown.
        tuple(page.url for site in sites for page in site.events if is_past(page)),
    )


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


class RecordingEnvironment(jinja2.Environment):
    """Records, while :attr:`reads` is a set, which pages' bodies and which templates a render reads.

    Pages are recorded by URL, templates as ``template:<name>`` (the top one,
    what it extends, imports and includes, all loaded through ``get_template``).
    """

    reads: set[str] | None = None

    def make_globals(self, d: Any) -> ChainMap[str, Any]:
        return _Globals({} if d is None else d, self.globals)

    def get_template(self, name: Any, parent: Any = None, globals: Any = None) -> jinja2.Template:  # noqa: A002
        if self.reads is not None and isinstance(name, str):
            self.reads.add(f"template:{name}")
        return super().get_template(name, parent, globals)

    def select_template(self, names: Any, parent: Any = None, globals: Any = None) -> jinja2.Template:  # noqa: A002
        """``{% include ["a.html", "b.html"] %}``: every candidate counts, found or not."""
        if self.reads is not None:
            self.reads.update(f"template:{name}" for name in names if isinstance(name, str))
        return super().select_template(names, parent, globals)

    def getattr(self, obj: Any, attribute: str) -> Any:
        # Jinja's own lookup, inlined: this runs for every attribute in every template.
        if self.reads is not None and attribute in BODY_ATTRIBUTES and isinstance(obj, Page):
            self.reads.add(obj.url)
        try:
            return getattr(obj, attribute)
        except AttributeError:
            pass
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return self.undefined(obj=obj, name=attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if self.reads is not None and argument in BODY_ATTRIBUTES and isinstance(obj, Page):
            self.reads.add(obj.url)
        return super().getitem(obj, argument)


class _Globals(ChainMap[str, Any]):
    """A template's globals, whose keys are a plain set.

    Jinja subtracts a template's global names from the importing context's
    on every ``{% from ... import %}``; through ChainMap's key view that took
    36 us an import, two imports a page, 0.4 s of a 5,000-village build.
    """

    def keys(self) -> set[str]:  # type: ignore[override]
        return set().union(*self.maps)


class Templates:
    """Fingerprints of template names as the theme chain resolves them now: the file found, and its bytes.

    A name resolves to the first theme that has the file, so adding an
    override (a file that was looked for and not found) changes the answer.
    """

    def __init__(self, chain: ThemeChain) -> None:
        self.chain = chain
        self.known: dict[str, str] = {}
        self.known_lists: dict[str, str] = {}

    def combined(self, names: str) -> str:
        """One fingerprint of templates named one per line, remembered for the build."""
        if names not in self.known_lists:
            self.known_lists[names] = _sha(*(self.fingerprint(name) for name in names.split("\n")))
        return self.known_lists[names]

    def fingerprint(self, name: str) -> str:
        if name not in self.known:
            theme_name, colon, rest = name.partition(":")
            if colon and any(theme.name == theme_name for theme in self.chain.themes):
                # "default:village.html": the last theme of that name (the shipped one), as the loader does
                folders = [next(t.templates for t in reversed(self.chain.themes) if t.name == theme_name)]
                name_in_folder = rest
            else:
                folders, name_in_folder = self.chain.template_dirs(), name
            found = next((folder / name_in_folder for folder in folders if (folder / name_in_folder).is_file()), None)
            self.known[name] = _sha(str(found), found.read_bytes() if found else None)
        return self.known[name]


TEMPLATES = "templates"
BODIES = "bodies"


def dependencies(
    structure_fp: str, own_body: str | None, reads: Iterable[str], body_fps: Mapping[str, str], templates: Templates
) -> dict[str, str]:
    """The fingerprints one output was made from.

    The templates and other pages' bodies it read are kept as one list each
    (names joined by newlines) with one fingerprint of the list: pages that
    used the same templates share the check of whether they changed.
    """
    deps = {STRUCTURE: structure_fp}
    if own_body is not None:
        deps[SELF] = own_body
    names = "\n".join(sorted(r[len("template:") :] for r in reads if r.startswith("template:")))
    urls = "\n".join(sorted(r for r in reads if not r.startswith("template:")))
    if names:
        deps[TEMPLATES] = names
        deps[TEMPLATES + "#"] = templates.combined(names)
    if urls:
        deps[BODIES] = urls
        deps[BODIES + "#"] = _sha(*(body_fps.get(url, "gone") for url in urls.split("\n")))
    return deps


def still_current(
    previous: Mapping[str, str] | None,
    structure_fp: str,
    own_body: str | None,
    body_fps: Mapping[str, str],
    templates: Templates,
    changed: frozenset[str] | None = None,
) -> bool:
    """Whether an output made from ``previous`` would come out the same now.

    ``changed``, when given, names the pages whose bodies changed since ``previous`` was made or
    last found current (see :func:`changed_bodies`): the bodies it read are then compared by name."""
    if not previous or previous.get(STRUCTURE) != structure_fp or previous.get(SELF) != own_body:
        return False
    names = previous.get(TEMPLATES)
    if names is not None and templates.combined(names) != previous.get(TEMPLATES + "#"):
        return False
    urls = previous.get(BODIES)
    if urls is None:
        return True
    if changed is not None:
        return not changed or changed.isdisjoint(urls.split("\n"))
    return _sha(*(body_fps.get(url, "gone") for url in urls.split("\n"))) == previous.get(BODIES + "#")


def changed_bodies(last: Mapping[str, str], now: Mapping[str, str]) -> frozenset[str]:
    """The pages whose body fingerprint differs between two builds' (new and gone pages too).

    Every output the last build left in its manifest was made with the last build's bodies or found
    current against them, so an output is current when none of the bodies it read changed: at 5,000
    villages, hashing each output's list again took 0.03 s of a preview save."""
    return frozenset(url for url, fp in now.items() if last.get(url) != fp) | (last.keys() - now.keys())
