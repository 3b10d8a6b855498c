"""What a page folder may publish beside its page: photos, documents, and SVG drawings made inert.

Everything published sits on the site's own address, so a file that a
browser runs (an HTML page, a script, an SVG with ``<script>`` or ``onload=``)
would run with the site's cookies and storage, and could dress itself as the
site.  A page folder therefore publishes only what a browser shows or
downloads: photos (as variants, never the original), ordinary documents,
audio and video, and SVG reduced to drawing elements.  Active types are an
error; anything else unknown is left out with a warning.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from . import images  # the module, not the name: images -> model -> content -> here is a cycle
from .errors import Problem, error, warning
from .fields import joined
from .i18n import _

DOCUMENTS = frozenset(
    {
        # Documents and data a visitor downloads or reads.
        ".pdf", ".txt", ".csv", ".tsv", ".json", ".geojson", ".epub", ".zip",
        ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp",
        # Routes for walkers and drivers (XML, checked for anything a browser would run).
        ".gpx", ".kml", ".kmz",
        # Pictures shown as they are, and sound and video.
        ".gif", ".ico", ".mp3", ".m4a", ".aac", ".ogg", ".oga", ".opus", ".wav", ".flac",
        ".mp4", ".m4v", ".webm", ".mov",
    }
)  # fmt: skip
"""Suffixes published as they are (lower case)."""

ACTIVE = frozenset(
    {
        ".html", ".htm", ".xhtml", ".shtml", ".xht", ".xml", ".xsl", ".xslt", ".svgz", ".mht", ".mhtml",
        ".js", ".mjs", ".cjs", ".wasm", ".swf", ".hta", ".jar", ".php", ".asp", ".aspx", ".jsp", ".cgi",
        ".appcache", ".webmanifest",
    }
)  # fmt: skip
"""Suffixes a browser or a server would run: refused."""

XML_DOCUMENTS = frozenset({".gpx", ".kml"})
"""Documents that are XML: a host may serve them as XML, which a browser renders, scripts and all."""


def bundle_file_problem(name: str, rel: str) -> Problem | None:
    """Whether a file in a page folder may be published, by its name alone (SVG is read later)."""
    suffix = Path(name).suffix.lower()
    if images.is_photo(name) or suffix in DOCUMENTS or suffix == ".svg" or name.endswith(".md"):
        return None
    if suffix in ACTIVE:
        return error(
            rel,
            None,
            # TRANSLATORS: {suffix} is a file name's ending, such as .html or .js.
            _(
                "a page folder cannot publish {suffix} files: a browser would run it on the site's own address",
                suffix=suffix,
            ),
            hint=_("write the page in Markdown, or link to the file where it is published elsewhere"),
        )
    return warning(
        rel,
        None,
        _("is not a kind of file a page publishes, so it is left out"),
        hint=_("photos, PDF, GPX/KML routes, plain text, office documents, audio, video and SVG are published"),
    )


def publishable(name: str) -> bool:
    """Whether a file other than a photo is published from a page folder (as it is, or made inert)."""
    suffix = Path(name).suffix.lower()
    return suffix in DOCUMENTS or suffix == ".svg"


def is_active(name: str) -> bool:
    return Path(name).suffix.lower() in ACTIVE


# Drawing: what an SVG may keep.  No script, no foreignObject (HTML inside SVG), no <image> or <use> of
# other files, no <style> (its url() and @import reach out), no animation (it can set href to javascript:).
_SVG = "{http://www.w3.org/2000/svg}"
_XLINK = "{http://www.w3.org/1999/xlink}"
DRAWING_ELEMENTS = frozenset(
    {
        "svg", "g", "defs", "symbol", "use", "title", "desc", "path", "rect", "circle", "ellipse", "line",
        "polyline", "polygon", "text", "tspan", "textPath", "linearGradient", "radialGradient", "stop",
        "clipPath", "mask", "pattern", "marker", "filter", "feGaussianBlur", "feOffset", "feBlend",
        "feColorMatrix", "feComposite", "feFlood", "feMerge", "feMergeNode", "feMorphology", "feDropShadow",
    }
)  # fmt: skip
_REFERENCE = re.compile(r"url\s*\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)
_MARKUP_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


class NotInert(Exception):
    """A file that cannot be made safe to publish; the message says why, in the editor's language."""


def sanitise_svg(data: bytes) -> tuple[bytes, list[str]]:
    """The drawing in ``data`` with everything that could run or fetch removed, and what was removed.

    Returns the original bytes when nothing was removed.  Raises
    :class:`NotInert` when the file is not SVG at all or declares entities
    (a document type can expand into gigabytes).
    """
    if _MARKUP_DECLARATION.search(data):
        raise NotInert(_("it declares a document type or entities, which a drawing does not need"))
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        # TRANSLATORS: {error} is the XML reader's own words (in English), such as "not well-formed: line 3".
        raise NotInert(_("it is not well-formed SVG ({error})", error=exc)) from None
    if root.tag != f"{_SVG}svg":
        raise NotInert(_("it is not an SVG drawing (its first element is not <svg>)"))
    removed: list[str] = []
    _clean(root, removed)
    if _has_processing_instruction(data):
        removed.append("<?xml-stylesheet?>")
    if not removed:
        return data, []
    ET.register_namespace("", _SVG[1:-1])
    ET.register_namespace("xlink", _XLINK[1:-1])
    return ET.tostring(root, encoding="utf-8", xml_declaration=True), sorted(set(removed))


def _clean(element: ET.Element, removed: list[str]) -> None:
    for child in list(element):
        tag = child.tag if isinstance(child.tag, str) else ""
        local = tag.removeprefix(_SVG)
        if tag.startswith(_SVG) and local in DRAWING_ELEMENTS:
            _clean(child, removed)
        elif tag == f"{_SVG}a":  # a link: the drawing inside stays, as a group
            child.tag = f"{_SVG}g"
            removed.append("<a>")
            _clean(child, removed)
        elif tag.startswith("{") and not tag.startswith(_SVG) and not _is_foreign_markup(tag):
            element.remove(child)  # an editor's metadata (Inkscape, RDF): inert, dropped quietly
        else:
            element.remove(child)
            removed.append(f"<{local or tag}>")
    for name in list(element.attrib):
        value = element.attrib[name]
        local = name.rsplit("}", 1)[-1]
        if local.lower().startswith("on"):
            del element.attrib[name]
            removed.append(f"{local}=")
        elif local == "href" and not value.strip().startswith("#"):
            del element.attrib[name]
            removed.append(f"href={value[:40]!r}")
        elif any(not ref.startswith("#") for ref in _REFERENCE.findall(value)) or "@import" in value.lower():
            del element.attrib[name]
            # TRANSLATORS: one of the things taken out of a drawing, listed in "held what a browser would run or
            # fetch (…)"; {attribute} is the name of an SVG attribute, such as fill or style.
            removed.append(_("{attribute}= (a reference to another file)", attribute=local))
        elif name.startswith("{") and not name.startswith((_XLINK, "{http://www.w3.org/XML/1998/namespace}")):
            del element.attrib[name]  # an editor's own attributes (inkscape:label): inert


def _is_foreign_markup(tag: str) -> bool:
    """HTML or MathML inside a drawing: markup a browser would render (and run), unlike metadata."""
    return tag.startswith(("{http://www.w3.org/1999/xhtml}", "{http://www.w3.org/1998/Math/MathML}"))


def _has_processing_instruction(data: bytes) -> bool:
    return b"<?xml-stylesheet" in data


_BROWSER_NAMESPACES = (b"http://www.w3.org/1999/xhtml", b"http://www.w3.org/2000/svg", b"XSL/Transform")


def check_xml_document(data: bytes) -> None:
    """Raise :class:`NotInert` unless a GPX or KML file is plain data a browser would not run."""
    if _MARKUP_DECLARATION.search(data):
        raise NotInert(_("it declares a document type or entities, which a route does not need"))
    if _has_processing_instruction(data):
        raise NotInert(_("it asks for a stylesheet (<?xml-stylesheet?>), which can run script"))
    if any(namespace in data for namespace in _BROWSER_NAMESPACES):
        raise NotInert(_("it holds HTML, SVG or XSLT markup, which a browser would render and run"))
    try:
        ET.fromstring(data)
    except ET.ParseError as exc:
        # TRANSLATORS: {error} is the XML reader's own words (in English), such as "not well-formed: line 3".
        raise NotInert(_("it is not well-formed XML ({error})", error=exc)) from None


def inert_content(path: Path, rel: str) -> tuple[bytes | None, Problem | None]:
    """What to publish for a file read when the site is assembled: new bytes for a cleaned SVG, else None.

    The problem, if any, is a warning (an SVG cleaned) or an error (a file that cannot be made inert).
    """
    suffix = path.suffix.lower()
    if suffix != ".svg" and suffix not in XML_DOCUMENTS:
        return None, None
    try:
        data = path.read_bytes()
    except OSError as exc:
        # TRANSLATORS: {reason} is the system's own words, such as "Permission denied".
        return None, error(rel, None, _("cannot be read ({reason})", reason=exc.strerror))
    try:
        if suffix in XML_DOCUMENTS:
            check_xml_document(data)
            return None, None
        cleaned, removed = sanitise_svg(data)
    except NotInert as exc:
        # TRANSLATORS: {reason} says why, such as "it is not an SVG drawing (its first element is not <svg>)".
        message = _("is not published: {reason}", reason=exc)
        return None, error(rel, None, message, hint=_("export it again as a plain file"))
    if not removed:
        return None, None
    shown = removed[:5] + (["…"] if len(removed) > 5 else [])
    return cleaned, warning(
        rel,
        None,
        # TRANSLATORS: {removed} lists what was taken out of an SVG drawing, such as "<script>, onload=".
        _("held what a browser would run or fetch ({removed}); only the drawing is published", removed=joined(shown)),
        hint=_("export the drawing again as plain SVG to silence this"),
    )
