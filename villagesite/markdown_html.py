"""Markdown body -> safe HTML, with links and images written as content paths resolved.

Editors link pages the way they see them on disk (``../shawan/``) and images
by file name; this stage turns those into site paths, reports the ones that
lead nowhere with their line, and limits raw HTML to a safe list.
"""

from __future__ import annotations

import functools
import posixpath
import re
import threading
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.attr_list import AttrListTreeprocessor
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.toc import TocExtension, TocTreeprocessor
from markdown.treeprocessors import InlineProcessor, Treeprocessor
from markdown.util import AtomicString

from .errors import Problem, Severity, SourceLocation, closest, did_you_mean, suggest
from .i18n import _
from .slugs import slugify
from .videos import recognise

Targets = Mapping[str, str]
"""Content path (``/villages/shawan/``) -> site path of what is there."""

SAFE_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
}
SAFE_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir", "role"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "td": {"style", "colspan", "rowspan"},
    "th": {"style", "colspan", "rowspan", "scope"},
    "ol": {"start", "type"},
    "time": {"datetime"},
    "abbr": {"title"},
    "q": {"cite"},
    "blockquote": {"cite"},
}


FOOTNOTE_BACK = "\ue000footnote_back:%d\ue000"
"""The title of a footnote's link back to the text, as a body is converted (and cached): a mark that the
page's language replaces with the theme's ``footnote_back`` when the page is written (:func:`worded`)."""
WATCH_ON = "\ue000watch_on:{platform}\ue000"
"""Where a video linked alone on its line plays ("在抖音观看"): a mark, worded like :data:`FOOTNOTE_BACK`."""
_MARK = re.compile("\ue000(footnote_back|watch_on):([0-9a-z_]+)\ue000")


def worded(html: str, strings: Mapping[str, str]) -> str:
    """A converted body in the words of one language: each footnote's back link titled by the theme, and
    each video card's platform named."""
    if "\ue000" not in html:
        return html

    def word(match: re.Match[str]) -> str:
        if match.group(1) == "footnote_back":
            return strings["footnote_back"].replace("N", match.group(2))
        return strings["video_watch_on"].format(platform=strings["platform_" + match.group(2)])

    return _MARK.sub(word, html)


def _heading_id(text: str, separator: str) -> str:
    """Heading ids in pinyin: ``## 历史沿革`` -> ``li-shi-yan-ge``, ASCII and readable in a shared link."""
    return slugify(text) or "section"


@dataclass(frozen=True, slots=True)
class BodyImage:
    """An image in a body: the site path of the file, as written, and its line."""

    url: str
    src: str
    line: int
    content_path: str
    """Where the file is: ``/villages/fengjian/bridge.jpg`` is ``content/villages/fengjian/bridge.jpg``."""


@dataclass(frozen=True, slots=True)
class RenderedBody:
    html: str
    toc: tuple[tuple[int, str, str], ...]
    """(level, id, text) of each heading, for a table of contents."""
    images: tuple[BodyImage, ...]
    lookups: tuple[tuple[str, str | None], ...] = ()
    """Every content path the body's links asked for, and the answer: what the HTML depends on."""
    read_all_targets: bool = False
    """A message compared the link with every page (a "did you mean"): it depends on all of them."""
    traditional: tuple[str, tuple[tuple[int, str, str], ...]] | None = None
    """The HTML and table of contents converted to Traditional Chinese, when the site publishes them so."""


class _RecordingTargets:
    """The link targets, remembering what was asked of them."""

    def __init__(self, targets: Targets) -> None:
        self.targets = targets
        self.lookups: dict[str, str | None] = {}
        self.read_all = False

    def get(self, key: str) -> str | None:
        value = self.targets.get(key)
        self.lookups[key] = value
        return value

    def __iter__(self) -> Iterator[str]:
        self.read_all = True
        return iter(self.targets)


@dataclass(slots=True)
class _DocumentState:
    rel_path: str
    folder: str
    body: str
    body_line: int
    targets: _RecordingTargets
    link: Callable[[str], str]
    link_severity: Severity
    nearby_files: tuple[str, ...]
    problems: list[Problem]
    images: list[BodyImage]


class _ContentLinks(Treeprocessor):
    """Rewrite ``a[href]`` and ``img[src]`` written as content paths."""

    state: _DocumentState

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "a" and element.get("href"):
                resolved = self._resolve(element.get("href", ""), is_image=False)
                if resolved is not None:
                    element.set("href", self.state.link(resolved[0]) + resolved[1])
            elif element.tag == "img" and element.get("src") is not None:
                self._image(element)
        for paragraph in root.findall("p"):
            _video_card(paragraph)

    def _image(self, element: etree.Element) -> None:
        src = element.get("src", "")
        line = self._line_of(src)
        resolved = self._resolve(src, is_image=True)
        if resolved is not None:
            element.set("src", self.state.link(resolved[0]))
            self.state.images.append(BodyImage(resolved[0], src, line, resolved[2]))
        alt = element.get("alt")
        if not alt:
            self.state.problems.append(
                Problem(
                    SourceLocation(self.state.rel_path, line),
                    _("image '{src}' has no alt text: describe it for people who cannot see it", src=src),
                    "body",
                    _('write ![what the photo shows](file.jpg), or ![""](file.jpg) for a purely decorative image'),
                )
            )

    def _resolve(self, target: str, *, is_image: bool) -> tuple[str, str, str] | None:
        """The site path a link leads to, the ?query#fragment to keep, and the content path; None if external."""
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or not parts.path:
            return None  # external, or a #fragment on this page
        path = unquote(parts.path)
        trailing = "/" if path.endswith("/") else ""
        joined = path if path.startswith("/") else posixpath.join(self.state.folder, path)
        content_path = posixpath.normpath(joined) + trailing
        content_path = content_path.replace("//", "/")
        site_path = self.state.targets.get(content_path)
        if site_path is None and not trailing:  # ../shawan means the folder ../shawan/
            site_path = self.state.targets.get(content_path + "/")
        if site_path is None:
            self._report(target, content_path, is_image)
            return None
        suffix = (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
        return site_path, suffix, content_path

    def _report(self, target: str, content_path: str, is_image: bool) -> None:
        state = self.state
        line = self._line_of(target)
        if is_image:
            outside = not posixpath.normpath(posixpath.join("/content" + state.folder, target)).startswith("/content/")
            if (
                outside
                or target.startswith("/")
                and not content_path.startswith(("/villages/", "/stories/", "/events/", "/pages/"))
            ):
                message = _("image '{src}' is outside the content folder", src=target)
                hint = _("photos must be files inside content/, usually beside index.md")
            else:
                message = _("image '{src}' is not in the page's folder", src=target)
                hint = did_you_mean(target, state.nearby_files) or _(
                    "put the photo beside index.md and write its file name"
                )
            severity = Severity.ERROR
        else:
            message = _("link '{target}' leads to no page or file", target=target)
            meant = closest_target(content_path, self.state.targets)
            hint = suggest(meant) if meant else _("link a page by its folder, e.g. ../shawan/")
            severity = state.link_severity
        state.problems.append(Problem(SourceLocation(state.rel_path, line), message, "body", hint, severity))

    def _line_of(self, target: str) -> int:
        for offset, text in enumerate(self.state.body.split("\n")):
            if f"({target}" in text or f'"{target}"' in text or f"<{target}>" in text or f": {target}" in text:
                return self.state.body_line + offset
        return self.state.body_line


def _video_card(paragraph: etree.Element) -> None:
    """A paragraph that is only a link to a video on a platform (``https://v.douyin.com/…`` alone on its
    line, ``<…>``, or ``[title](…)``) becomes a light card linking out, as in a page's ``videos:``."""
    children = list(paragraph)
    if not children:
        url, title = (paragraph.text or "").strip(), ""
    elif len(children) == 1 and children[0].tag == "a" and not (paragraph.text or "").strip():
        anchor = children[0]
        if (anchor.tail or "").strip() or len(anchor):
            return
        url, title = anchor.get("href", ""), (anchor.text or "").strip()
    else:
        return
    found = recognise(url) if url.startswith("https://") and not any(c.isspace() for c in url) else None
    if found is None:
        return
    paragraph.clear()
    paragraph.set("class", f"video-link video-{found.platform}")
    anchor = etree.SubElement(paragraph, "a", {"class": "video-out", "href": url})
    etree.SubElement(anchor, "span", {"class": "video-play"})
    if title and title != url:
        etree.SubElement(anchor, "span", {"class": "video-title"}).text = title
    etree.SubElement(anchor, "span", {"class": "video-where"}).text = WATCH_ON.format(platform=found.platform)


def closest_target(content_path: str, targets: Iterable[str]) -> str | None:
    """The page or file a broken link most likely meant: one whose own name (its folder's, or the file's)
    resembles the link's, never one that merely shares its section (``/villages/``); its section's first."""
    by_name: dict[str, list[str]] = {}
    for path in targets:
        if not path.endswith(".md") and (name := _last_name(path)):
            by_name.setdefault(name, []).append(path)
    name = _last_name(content_path)
    meant = closest(name, list(by_name), cutoff=0.75) if name else None
    if meant is None:
        return None
    section = content_path.strip("/").split("/")[0]
    paths = by_name[meant]
    return next((path for path in paths if path.strip("/").split("/")[0] == section), paths[0])


def _last_name(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]


class _QuickInline(InlineProcessor):
    """Markdown's inline processor, skipping text in which no inline pattern can match.

    The processor tries each of its 15 patterns on every piece of text, one
    regular-expression call each; most text in a village page (Chinese
    prose) holds none of the characters they start with.  A quarter of
    converting a page.  Installed only over the patterns this was checked
    against (:data:`_KNOWN_PATTERNS`, with what each needs to match).
    """

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        """Markdown's loop over the patterns, trying only those whose marks the text holds: a page with
        bold and links still has no backtick, entity or raw HTML (and each try is a regular expression and
        a Python call: 140 a page on the realistic benchmark corpus, 14 with the skip)."""
        if isinstance(data, AtomicString) or not _MAY_BE_INLINE.search(data):
            return data
        patterns = self.inlinePatterns
        needs = self.needs
        start = 0
        count = len(patterns)
        while patternIndex < count:
            marks = needs[patternIndex]
            if not any(mark in data for mark in marks):  # as a try that found nothing: the next from the start
                patternIndex += 1
                start = 0
                continue
            data, matched, start = self._InlineProcessor__applyPattern(  # type: ignore[attr-defined]
                patterns[patternIndex], data, patternIndex, start
            )
            if not matched:
                patternIndex += 1
        return data

    @functools.cached_property
    def needs(self) -> tuple[tuple[str, ...], ...]:
        """What each pattern, in Markdown's order, needs in a text to match: one of these marks."""
        self.inlinePatterns._sort()  # noqa: SLF001 (the order its integer indexing follows)
        return tuple(_KNOWN_PATTERNS[item.name] for item in self.inlinePatterns._priority)  # noqa: SLF001


_MAY_BE_INLINE = re.compile(r"[`\\\[<&*_]|  \n")
"""What some pattern of :data:`_KNOWN_PATTERNS` needs in a text to match."""
_KNOWN_PATTERNS = {
    "backtick": ("`",),
    "escape": ("\\",),
    "footnote": ("[^",),
    "reference": ("[",),
    "link": ("[",),
    "image_link": ("![",),
    "image_reference": ("![",),
    "short_reference": ("[",),
    "short_image_ref": ("![",),
    "autolink": ("<",),
    "automail": ("<",),
    "linebreak": ("  \n",),
    "html": ("<",),
    "entity": ("&",),
    "em_strong": ("*", "_"),
}
"""The inline patterns this was checked against, each with the marks its regular expression cannot match
without (``backtick``'s first form, backslashes before a backtick, still needs the backtick)."""


class _BodyToc(TocTreeprocessor):
    """Heading ids and the headings' list (``md.toc_tokens``), as Markdown's table of contents makes them;
    the table's own HTML only for a body that places it (``[TOC]``): no page shows it otherwise, and
    building and serialising it was a tenth of converting a body."""

    placed = True

    def build_toc_div(self, toc_list: list[Any]) -> etree.Element:
        return super().build_toc_div(toc_list) if self.placed else etree.Element("div")

    def replace_marker(self, root: etree.Element, elem: etree.Element) -> None:
        if self.placed:
            super().replace_marker(root, elem)


class _BodyTocExtension(TocExtension):
    TreeProcessorClass = _BodyToc


class _BodyAttrList(AttrListTreeprocessor):
    """Attribute lists (``{: .lead }``), looked for only in a body that has a ``{``: every list needs one,
    and walking every element's text for them was 3 % of converting a body without any."""

    present = True

    def run(self, doc: etree.Element) -> None:
        if self.present:
            super().run(doc)


class _ContentLinksExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(_ContentLinks(md), "villagesite_links", 8)


_local = threading.local()


def standard_extensions() -> list[Extension | str]:
    """Markdown's extensions as a page body uses them (new instances: they hold a document's state)."""
    return [
        "tables",
        FootnoteExtension(BACKLINK_TITLE=FOOTNOTE_BACK),
        "attr_list",
        "fenced_code",
        "sane_lists",
        "def_list",
        "abbr",
        _BodyTocExtension(slugify=_heading_id, toc_depth="2-4"),
    ]


def _converter() -> markdown.Markdown:
    """One Markdown instance per thread: building one costs more than converting a page."""
    md = getattr(_local, "md", None)
    if md is None:
        md = markdown.Markdown(extensions=[*standard_extensions(), _ContentLinksExtension()], output_format="html")
        patterns = md.inlinePatterns
        if len(patterns) == len(_KNOWN_PATTERNS) and all(name in patterns for name in _KNOWN_PATTERNS):
            md.treeprocessors.register(_QuickInline(md), "inline", 20)
        if isinstance(md.treeprocessors["attr_list"], AttrListTreeprocessor):
            md.treeprocessors.register(_BodyAttrList(md), "attr_list", 8)
        _local.md = md
    return md


def render_markdown(
    body: str,
    *,
    rel_path: str,
    folder: str,
    body_line: int,
    targets: Targets,
    link: Callable[[str], str],
    link_severity: Severity,
    nearby_files: tuple[str, ...] = (),
) -> tuple[RenderedBody, list[Problem]]:
    """Convert a page body; return the HTML and the problems found in it."""
    md = _converter()
    md.reset()
    processor = md.treeprocessors["villagesite_links"]
    assert isinstance(processor, _ContentLinks)
    toc = md.treeprocessors["toc"]
    if isinstance(toc, _BodyToc):
        toc.placed = "[TOC]" in body
    attributes = md.treeprocessors["attr_list"]
    if isinstance(attributes, _BodyAttrList):
        attributes.present = "{" in body
    problems: list[Problem] = []
    images: list[BodyImage] = []
    recording = _RecordingTargets(targets)
    processor.state = _DocumentState(
        rel_path, folder, body, body_line, recording, link, link_severity, nearby_files, problems, images
    )
    safe = sanitised(md.convert(body))
    toc = tuple(_flatten_toc(getattr(md, "toc_tokens", [])))
    lookups = tuple(sorted(recording.lookups.items()))
    return RenderedBody(safe, toc, tuple(images), lookups, recording.read_all), problems


def sanitised(html: str) -> str:
    """A body's HTML with only the :data:`SAFE_TAGS` and :data:`SAFE_ATTRIBUTES` left, links to the web,
    mail and phones only, no comments."""
    return _cleaner().clean(html)


@functools.cache
def _cleaner() -> nh3.Cleaner:
    """The sanitiser's rules, handed to ammonia once: ``nh3.clean`` builds them again on every call
    (0.077 against 0.057 ms a realistic body, docs/performance.md)."""
    return nh3.Cleaner(
        tags=SAFE_TAGS,
        attributes=SAFE_ATTRIBUTES,
        link_rel=None,
        url_schemes={"http", "https", "mailto", "tel"},
        filter_style_properties={"text-align"},
        strip_comments=True,
    )


def _flatten_toc(tokens: list[dict[str, object]]) -> list[tuple[int, str, str]]:
    flat: list[tuple[int, str, str]] = []
    for token in tokens:
        flat.append((int(str(token["level"])), str(token["id"]), str(token["name"])))
        children = token.get("children")
        if isinstance(children, list):
            flat.extend(_flatten_toc(children))
    return flat
