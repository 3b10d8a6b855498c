"""A page in another edition: a translation's front matter over the original's, or the original converted.

A translation (``index.en.md`` beside ``index.md``) writes only what it
translates: the title, the summary, the attractions' names... The facts that
do not change with language (the style, the location, the dates, the photos,
the pages it names) come from the original and may not differ; lists are
translated item by item, so they keep the original's length and order (a
village's third tag in English is its third tag in Chinese, and lists it in
the same listing).  A Traditional Chinese edition converts the original's
text the same way: every text but the facts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from .errors import Problem, error
from .fields import describe
from .i18n import N_, _
from .schema import Record
from .yamlfile import YamlDocument, join_key

COMMON_FIXED = frozenset(
    {
        "slug", "date", "updated", "template", "title_en", "cover.src",
        "videos[].url", "videos[].src", "videos[].cover.src", "videos[].poster.src", "videos[].duration",
        "videos[].embed", "videos[].date", "videos[].creator.url",
    }
)  # fmt: skip
"""Facts of every kind of page: its address, dates, template and cover photo, and its videos' addresses,
files and lengths (their titles and creators' names are words)."""

_INDEX = re.compile(r"\[[0-9]+\]")


def pattern_of(path: str) -> str:
    """``attractions[2].image.src`` -> ``attractions[].image.src``: how :data:`COMMON_FIXED` names fields."""
    return _INDEX.sub("[]", path) if "[" in path else path


def merge(
    original: YamlDocument,
    translation: YamlDocument,
    fixed: frozenset[str],
    *,
    rel_path: str,
    original_path: str,
    problems: list[Problem],
) -> dict[str, Any]:
    """The translation's fields over the original's; a fact it changes, or a list whose length it
    changes, is an error at its line (naming the original's)."""

    def conflict(path: str, message: str, hint: str) -> None:
        """``hint`` is marked with N_ and names ``{place}``: the original's file and line."""
        place = f"{original_path}:{original.line_of(path)}"
        problems.append(error(rel_path, translation.line_of(path), message, field=path, hint=_(hint, place=place)))

    def over(base: Any, own: Any, path: str) -> Any:
        if pattern_of(path) in fixed:
            if own != base:
                conflict(
                    path,
                    # TRANSLATORS: {value} is what the translation writes, {original} what the original does.
                    _("{value} differs from the original's {original}", value=_shown(own), original=_shown(base)),
                    # TRANSLATORS: {place} is the original's file and line, such as content/villages/a/index.md:5.
                    N_(
                        "a translation translates words; facts such as this come from the original: leave it out;"
                        " see {place}"
                    ),
                )
            return base
        if isinstance(base, Mapping):
            if not isinstance(own, Mapping):
                conflict(
                    path,
                    _("expected a group of fields, as in the original, got {found}", found=describe(own)),
                    # TRANSLATORS: {place} is the original's file and line, such as content/villages/a/index.md:5.
                    N_("write it as the original does; see {place}"),
                )
                return base
            merged = dict(base)
            for key, value in own.items():
                merged[key] = over(base.get(key), value, join_key(path, key))
            return merged
        if isinstance(base, list):
            if not isinstance(own, list):
                conflict(
                    path,
                    _("expected a list, as in the original, got {found}", found=describe(own)),
                    N_("write it as the original does; see {place}"),
                )
                return base
            if len(own) != len(base):
                conflict(
                    path,
                    _("lists {count} items where the original lists {original}", count=len(own), original=len(base)),
                    # TRANSLATORS: {place} is the original's file and line, such as content/villages/a/index.md:5.
                    N_("translate each item of the original, in its order; see {place}"),
                )
                return base
            return [over(b, o, join_key(path, index)) for index, (b, o) in enumerate(zip(base, own, strict=True))]
        if base is None and _holds_fixed(path, fixed) and own is not None:
            conflict(
                path,
                _("is not in the original"),
                # TRANSLATORS: {place} is the original's file and line, such as content/villages/a/index.md:5.
                N_("facts come from the original: write them there first; see {place}"),
            )
            return None
        return own

    data = original.data if isinstance(original.data, Mapping) else {}
    own = translation.data if isinstance(translation.data, Mapping) else {}
    merged = dict(data)
    for key, value in own.items():
        merged[key] = over(data.get(key), value, str(key))
    return merged


def _shown(value: Any) -> str:
    """A fact as a message shows it: ``{lat: 23.0, lon: 113.15}``, ``'cantonese'``."""
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{key}: {item}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(str(item) for item in value) + "]"
    return describe(value)


def _holds_fixed(path: str, fixed: frozenset[str]) -> bool:
    """Whether a field the original lacks holds facts (``cover`` holds ``cover.src``)."""
    pattern = pattern_of(path)
    return any(f == pattern or f.startswith((pattern + ".", pattern + "[")) for f in fixed)


def written_by(translation: YamlDocument, problem: Problem) -> bool:
    """Whether a problem found in the merged fields is about one the translation wrote: the others are
    the original's, reported at the original."""
    path = problem.field
    if not path or path == "body":
        return True
    while path:
        if path in translation.lines:
            return True
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return False


def converted(data: Any, fixed: frozenset[str], convert: Callable[[str], str], path: str = "") -> Any:
    """The original's fields with every text but the facts converted (to Traditional Chinese)."""
    if isinstance(data, str):
        return data if pattern_of(path) in fixed else convert(data)
    if isinstance(data, Mapping):
        return {key: converted(value, fixed, convert, join_key(path, key)) for key, value in data.items()}
    if isinstance(data, list):
        return [converted(value, fixed, convert, join_key(path, index)) for index, value in enumerate(data)]
    return data


SEPARATOR = "\ue003"
"""Between texts converted in one call: OpenCC passes it through, and no phrase holds it."""


def fact_names(facts: frozenset[str]) -> frozenset[str]:
    """The record attributes that hold facts as text: the last name of each fact's path (``cover.src`` ->
    ``src``).  Facts read as dates, points or styles are not text; a text of the same name elsewhere
    (a festival's ``date`` in words, 农历五月初五) is words, and converted."""
    return frozenset(path.rsplit(".", 1)[-1].removesuffix("[]") for path in facts) - _NOT_TEXT


_NOT_TEXT = frozenset({"date", "updated", "start", "end", "location", "lat", "lon", "style"})


def convert_texts(texts: list[str], convert: Callable[[str], str]) -> list[str]:
    """Many texts converted in one call (a call costs more than its characters, for short texts)."""
    if not texts:
        return []
    joined = SEPARATOR.join(texts)
    if any(SEPARATOR in text for text in texts):
        return [convert(text) for text in texts]
    return convert(joined).split(SEPARATOR)


def converted_record(value: Any, skip: frozenset[str], convert: Callable[[str], str]) -> Any:
    """A record (the fields read from front matter) with every text but its facts converted.

    The same as reading the converted front matter (a test holds them equal), without reading it
    again: the texts are gathered, converted in one call, and put back.
    """
    texts: list[str] = []
    _gather(value, skip, texts)
    if not texts:
        return value
    return _rebuild(value, skip, iter(convert_texts(texts, convert)))


def _gather(value: Any, skip: frozenset[str], texts: list[str]) -> None:
    if isinstance(value, str):
        if not value.isascii():
            texts.append(value)
    elif isinstance(value, Record):
        for name in value.__match_args__:
            if name not in skip:
                _gather(getattr(value, name), skip, texts)
    elif isinstance(value, (tuple, list)):
        for item in value:
            _gather(item, skip, texts)
    elif isinstance(value, Mapping):
        for item in value.values():
            _gather(item, skip, texts)


def _rebuild(value: Any, skip: frozenset[str], texts: Iterator[str]) -> Any:
    if isinstance(value, str):
        return value if value.isascii() else next(texts)
    if isinstance(value, Record):
        return type(value)(
            *(
                getattr(value, name) if name in skip else _rebuild(getattr(value, name), skip, texts)
                for name in value.__match_args__
            )
        )
    if isinstance(value, tuple):
        return tuple(_rebuild(item, skip, texts) for item in value)
    if isinstance(value, list):
        return [_rebuild(item, skip, texts) for item in value]
    if isinstance(value, Mapping):
        return {key: _rebuild(item, skip, texts) for key, item in value.items()}
    return value
