"""Simplified Chinese to Traditional, as Hong Kong and Macau (or Taiwan) write it, place names kept.

OpenCC (the ``opencc`` package: C++ with wheels for the usual platforms,
Apache-2.0, about 10 M characters of Chinese a second on the build machine) converts character by character and
phrase by phrase.  Its phrase tables do not know Guangdong's place names:
松口镇 would become 鬆口鎮 and 范和村 範和村.  A phrase list fixes those:
the one shipped in ``villagesite/data/traditional-phrases.yaml``, then the
site's own.  Text is cut at each listed phrase; the phrase is written as the
list says and the pieces between are converted by OpenCC.  ``s2hk`` (the
Hong Kong standard) by default, ``s2tw`` as the other choice; never
``s2twp``, which rewrites vocabulary (保存 -> 儲存).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from .content import Source

from .config import TraditionalConfig
from .errors import VillageSiteError, error
from .i18n import N_, _
from .markdown_html import RenderedBody
from .translations import convert_texts, converted_record, fact_names

VARIANTS = {"hk": "s2hk", "tw": "s2tw"}
"""``traditional.variant`` in site.yaml -> the OpenCC configuration used."""

SHIPPED_PHRASES = Path(__file__).parent / "data" / "traditional-phrases.yaml"


@functools.cache
def shipped_phrases() -> Mapping[str, str]:
    """Guangdong's place names and foods OpenCC gets wrong, as they are written in Traditional."""
    loaded = yaml.safe_load(SHIPPED_PHRASES.read_text(encoding="utf-8"))
    return {str(simplified): str(traditional) for simplified, traditional in loaded.items()}


_NEEDS_OPENCC = {
    # What needs OpenCC (as callers name it) -> the whole message and hint, for translators.
    "the Traditional Chinese edition": (
        # TRANSLATORS: {error} is the Python error, such as "ModuleNotFoundError: No module named 'opencc'".
        N_("the Traditional Chinese edition needs OpenCC's dictionaries, which did not load ({error})"),
        N_("reinstall villagesite (pip install --force-reinstall villagesite), or remove zh-Hant from 'languages'"),
    ),
    "search": (
        # TRANSLATORS: {error} is the Python error, such as "ModuleNotFoundError: No module named 'opencc'".
        N_("search needs OpenCC's dictionaries, which did not load ({error})"),
        N_("reinstall villagesite (pip install --force-reinstall villagesite), or set 'search: false'"),
    ),
}


def load_opencc(config: str, needed_by: str, instead: str):  # noqa: ANN201 - opencc has no type hints
    """OpenCC with one of its configurations; an install broken in any way is one line naming what
    needs it, never a traceback.  Imported here: only what converts needs it."""
    try:
        import opencc

        return opencc.OpenCC(config)
    except Exception as exc:  # noqa: BLE001 - a missing module, a missing dictionary, a bad wheel
        cause = f"{type(exc).__name__}: {exc}"
        if needed_by in _NEEDS_OPENCC:
            message, hint = _NEEDS_OPENCC[needed_by]
            message, hint = _(message, error=cause), _(hint)
        else:
            # TRANSLATORS: {needed_by} is what needs OpenCC; {error} the Python error.
            message = _(
                "{needed_by} needs OpenCC's dictionaries, which did not load ({error})",
                needed_by=needed_by,
                error=cause,
            )
            # TRANSLATORS: {instead} is what else the editor can do, such as "set 'search: false'".
            hint = _("reinstall villagesite (pip install --force-reinstall villagesite), or {instead}", instead=instead)
        raise VillageSiteError([error("site.yaml", None, message, hint=hint)]) from exc


class Traditional:
    """A converter for one variant and one phrase list; :meth:`convert` is safe to call from threads."""

    def __init__(self, variant: str = "hk", phrases: Mapping[str, str] | None = None) -> None:
        self.variant = variant
        self._opencc = load_opencc(
            VARIANTS[variant], "the Traditional Chinese edition", "remove zh-Hant from 'languages'"
        )
        self.phrases = {**shipped_phrases(), **(phrases or {})}
        # Longest first, so 干蒸烧卖 is taken whole before 干蒸.
        alternatives = sorted(self.phrases, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, alternatives))) if alternatives else None

    def convert(self, text: str) -> str:
        if not text or text.isascii():
            return text
        pattern, convert = self._pattern, self._opencc.convert
        if pattern is None:
            return convert(text)
        pieces: list[str] = []
        start = 0
        for match in pattern.finditer(text):
            if match.start() > start:
                pieces.append(convert(text[start : match.start()]))
            pieces.append(self.phrases[match.group()])
            start = match.end()
        if start == 0:
            return convert(text)
        if start < len(text):
            pieces.append(convert(text[start:]))
        return "".join(pieces)


def converted_source(source: Source, facts: frozenset[str], settings: TraditionalConfig) -> Source:
    """A page's Traditional Chinese edition: its fields with every text but the facts converted, in one
    call to the converter (see :func:`~villagesite.translations.converted_record`)."""
    common, fields, extra = converted_record(
        (source.common, source.fields, dict(source.extra)), fact_names(facts), converter_for(settings).convert
    )
    return replace(source, language="zh-Hant", common=common, fields=fields, extra=MappingProxyType(extra))


def converted_body(html: str, toc: Toc, settings: TraditionalConfig) -> tuple[str, Toc]:
    """A body's HTML and table of contents, converted (headings' ids kept: links to them stay)."""
    convert = converter_for(settings)
    titles = convert_texts([text for _, _, text in toc], convert.convert)
    return convert_html(html, convert), tuple(
        (level, ident, title) for (level, ident, _), title in zip(toc, titles, strict=True)
    )


@functools.cache
def converter_for(settings: TraditionalConfig) -> Traditional:
    """One converter per process for the site's settings (OpenCC loads its dictionaries once)."""
    return Traditional(settings.variant, dict(settings.phrases))


_TAG = re.compile(r"(<[^>]*>)")
_WORDED_ATTRIBUTE = re.compile(r'\b(alt|title|aria-label)="([^"]*)"')


def convert_html(html: str, convert: Traditional) -> str:
    """HTML with its text and its ``alt``, ``title`` and ``aria-label`` words converted; tags, links and
    file names kept.  The text between tags is converted in one call (see
    :func:`~villagesite.translations.convert_texts`)."""
    if html.isascii():
        return html
    parts = _TAG.split(html)
    parts[0::2] = convert_texts(parts[0::2], convert.convert)
    for index in range(1, len(parts), 2):
        parts[index] = _convert_tag(parts[index], convert)
    return "".join(parts)


def _convert_tag(tag: str, convert: Traditional) -> str:
    if tag.isascii() or "=" not in tag:
        return tag
    return _WORDED_ATTRIBUTE.sub(lambda match: f'{match.group(1)}="{convert.convert(match.group(2))}"', tag)


Toc = tuple[tuple[int, str, str], ...]


class Conversions:
    """Pages converted by earlier builds of this process: bodies by the HTML they were converted from,
    front matter by the file's hash.

    A long-lived process (the preview) keeps one: a save converts the one page it changed.
    """

    def __init__(self) -> None:
        self.kept: dict[tuple[str, TraditionalConfig], Any] = {}
        self.used: dict[tuple[str, TraditionalConfig], Any] = {}

    def begin(self) -> None:
        """Keep only what the last build used (a deleted page's body is forgotten)."""
        self.kept, self.used = self.used or self.kept, {}

    def keep_all(self) -> None:
        """This build uses the last one's pages, but for those it makes again: keep every conversion."""
        self.used.update(self.kept)

    def body(self, rendered: RenderedBody, settings: TraditionalConfig) -> tuple[str, Toc]:
        """A body converted; most come converted from the Markdown workers (and cache) already."""
        if rendered.traditional is not None:
            return rendered.traditional
        key = (rendered.html, settings)
        found = self.kept.get(key)
        if found is None:
            found = converted_body(rendered.html, rendered.toc, settings)
        self.used[key] = found
        return found

    def source(self, source: Source, facts: frozenset[str], settings: TraditionalConfig) -> Source:
        """A page's fields converted; most come converted from the reading workers (and cache) already."""
        if source.converted is not None:
            return source.converted
        key = (source.rel_path + "\n" + source.digest, settings)
        found = self.kept.get(key)
        if found is None:
            found = converted_source(source, facts, settings)
        self.used[key] = found
        return found
