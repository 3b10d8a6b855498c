"""Typed reading of a YAML mapping, collecting every problem with its line.

Each reader method returns a clean value (or ``None``) and never raises:
mistakes are appended to the shared problem list, so a page with three
mistakes yields three messages in one run.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import Problem, did_you_mean, error, warning
from .i18n import N_, _
from .yamlfile import YamlDocument, join_key


@dataclass(frozen=True, slots=True)
class GeoPoint:
    """A WGS-84 position in decimal degrees."""

    lat: float
    lon: float

    def __reduce__(self) -> tuple[type[GeoPoint], tuple[float, float]]:
        return (GeoPoint, (self.lat, self.lon))  # cheaper to read back from a worker than dataclass state


def describe(value: object) -> str:
    """How a found value is named in a message (in the editor's language): ``'x'``, ``a list``, ``nothing``."""
    if isinstance(value, bool):
        return "true" if value else "false"  # as YAML writes them, in every language
    if value is None:
        # TRANSLATORS: what an editor wrote when a field is empty: "expected text, got nothing".
        return _("nothing")
    if isinstance(value, Mapping):
        # TRANSLATORS: what an editor wrote: "expected text, got a group of fields".
        return _("a group of fields")
    if isinstance(value, list):
        # TRANSLATORS: what an editor wrote: "expected text, got a list".
        return _("a list")
    # TRANSLATORS: a value the editor wrote, quoted: 'cantonse'. Put it in the quotes of your language.
    return _("'{value}'", value=value)


def quoted(text: str) -> str:
    """``text`` quoted as :func:`repr` quotes it (``'8 点'``), in the quotes of the editor's language when
    repr needs no escapes (nearly always)."""
    as_repr = repr(text)
    return describe(text) if as_repr == f"'{text}'" else as_repr


def joined(options: Iterable[str]) -> str:
    """Options listed in a message: ``cantonese, hakka, teochew`` (the separator in the editor's language)."""
    # TRANSLATORS: the separator of a list of options in a message: "one of cantonese, hakka, teochew".
    return _(", ").join(options)


_FULL_WIDTH_LIST = re.compile(r"[［【〔｛「](.*)[］】〕｝」]")
"""``【水乡，岭南】``: a list typed with a Chinese keyboard's brackets."""


class FieldReader:
    """Reads the fields of one mapping (the front matter, or an item inside it)."""

    def __init__(
        self,
        data: Mapping[str, Any],
        doc: YamlDocument,
        rel_path: str,
        problems: list[Problem],
        prefix: str = "",
    ) -> None:
        self.data = data
        self.doc = doc
        self.rel_path = rel_path
        self.problems = problems
        self.prefix = prefix

    # -- reporting -------------------------------------------------------
    def path_of(self, key: str | int) -> str:
        return join_key(self.prefix, key)

    def line_of(self, key: str | int) -> int:
        return self.doc.line_of(self.path_of(key))

    def fail(self, key: str | int, message: str, hint: str | None = None, *, at: str | None = None) -> None:
        """Report ``key``; ``at`` names another key whose line to show (for a missing field)."""
        line = self.line_of(at if at is not None else key)
        self.problems.append(error(self.rel_path, line, message, field=self.path_of(key), hint=hint))

    def warn(self, key: str | int, message: str, hint: str | None = None) -> None:
        self.problems.append(warning(self.rel_path, self.line_of(key), message, field=self.path_of(key), hint=hint))

    def _missing(self, key: str, required: bool, message: str, **values: object) -> None:
        """Report a required field left out; ``message`` (marked with ``N_``) is made only then."""
        if required:
            if key in self.data:  # written but empty (``village: ""``, as the scaffold leaves it): its own line
                line = self.line_of(key)
            else:  # a missing field has no line: name its group, or the front matter's opening '---'
                line = self.doc.line_of(self.prefix) if self.prefix else max(1, self.doc.first_line - 1)
            self.problems.append(error(self.rel_path, line, _(message, **values), field=self.path_of(key)))

    def _get(self, key: str) -> Any:
        value = self.data.get(key)
        return None if value == "" else value

    # -- scalar fields ---------------------------------------------------
    def text(self, key: str, *, required: bool = False, warn_past: int | None = None) -> str | None:
        value = self._get(key)
        if value is None:
            self._missing(key, required, N_("is required (text)"))
            return None
        if isinstance(value, bool) or isinstance(value, (Mapping, list)):
            self.fail(key, _("expected text, got {found}", found=describe(value)))
            return None
        text = str(value).strip()
        if warn_past is not None and len(text) > warn_past:
            self.warn(
                key,
                _(
                    "is {length} characters long; keep it under {limit} so it fits cards and share previews",
                    length=len(text),
                    limit=warn_past,
                ),
            )
        return text

    def choice(
        self,
        key: str,
        choices: Iterable[str],
        *,
        required: bool = False,
        default: str | None = None,
        aliases: Mapping[str, str] | None = None,
    ) -> str | None:
        """One of ``choices``; ``aliases`` are other names for them (``广府`` for ``cantonese``)."""
        options = list(choices)
        value = self._get(key)
        if value is None:
            self._missing(key, required, N_("is required (one of {choices})"), choices=joined(options))
            return default
        if isinstance(value, str) and aliases and aliases.get(value.strip()) in options:
            return aliases[value.strip()]
        if not isinstance(value, str) or value.strip().lower() not in options:
            self.fail(
                key,
                # TRANSLATORS: {found} is what the editor wrote ('cantonse', a list); {choices} the values to write.
                _("{found} is not one of {choices}", found=describe(value), choices=joined(options)),
                hint=did_you_mean(str(value).strip().lower(), options) if isinstance(value, str) else None,
            )
            return default
        return value.strip().lower()

    def boolean(self, key: str, *, default: bool = False) -> bool:
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.fail(key, _("expected true or false, got {found}", found=describe(value)))
            return default
        return value

    def date(self, key: str, *, required: bool = False, allow_time: bool = False) -> dt.date | None:
        """An ISO date (``2026-05-01``), or with ``allow_time`` a date and time."""
        value = self._get(key)
        if value is None:
            self._missing(key, required, N_("is required (an ISO date such as 2026-05-01)"))
            return None
        if isinstance(value, dt.datetime):
            return value if allow_time else value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                parsed = dt.datetime.fromisoformat(value.strip())
            except ValueError:
                pass
            else:
                if allow_time and ("T" in value or " " in value.strip()):
                    return parsed
                return parsed.date()
        message = (
            N_("expected an ISO date such as 2026-05-01 or 2026-05-01T09:30, got {found}")
            if allow_time
            else N_("expected an ISO date such as 2026-05-01, got {found}")
        )
        self.fail(key, _(message, found=describe(value)))
        return None

    def year_or_text(self, key: str) -> str | int | None:
        value = self._get(key)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        return self.text(key)

    def url(self, key: str) -> str | None:
        value = self.text(key)
        if value is not None and not value.startswith(("https://", "http://", "/")):
            self.fail(key, _("expected a web address starting with https://, got {found}", found=describe(value)))
            return None
        return value

    def https(self, key: str) -> str | None:
        """A link to another site, which must be ``https://`` (a visitor's phone warns about anything else)."""
        value = self.text(key)
        if value is not None and not value.startswith("https://"):
            hint = (
                _("write {address}", address="https://" + value.removeprefix("http://"))
                if value.startswith("http://")
                else None
            )
            self.fail(key, _("expected a link starting with https://, got {found}", found=describe(value)), hint=hint)
            return None
        return value

    def geo(self, key: str, *, required: bool = False) -> GeoPoint | None:
        value = self.data.get(key)
        if value is None:
            self._missing(key, required, N_("is required ({{lat, lon}} in degrees)"))
            return None
        if not isinstance(value, Mapping):
            self.fail(
                key,
                _("expected {{lat, lon}} in degrees, got {found}", found=describe(value)),
                hint=_("write it as 'location: {{lat: 22.81, lon: 113.15}}'"),
            )
            return None
        sub = self.mapping_reader(key, value)
        lat = sub.number("lat", required=True, low=-90, high=90)
        lon = sub.number("lon", required=True, low=-180, high=180)
        sub.reject_unknown({"lat", "lon", "datum"})
        if lat is None or lon is None:
            return None
        return GeoPoint(lat, lon)

    def number(self, key: str, *, required: bool = False, low: float, high: float) -> float | None:
        value = self.data.get(key)
        if value is None:
            self._missing(
                key,
                required,
                N_("is required (a number from {low} to {high})"),
                low=format(low, "g"),
                high=format(high, "g"),
            )
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(
                key,
                _(
                    "expected a number from {low} to {high}, got {found}",
                    low=format(low, "g"),
                    high=format(high, "g"),
                    found=describe(value),
                ),
            )
            return None
        if not low <= value <= high:
            self.fail(
                key,
                _(
                    "{value} is out of range; expected a number from {low} to {high}",
                    value=value,
                    low=format(low, "g"),
                    high=format(high, "g"),
                ),
            )
            return None
        return float(value)

    # -- collections -----------------------------------------------------
    def text_list(self, key: str) -> tuple[str, ...]:
        """A list of text; a single text is taken as a list of one."""
        value = self._get(key)
        if value is None:
            return ()
        if isinstance(value, str) and (bracketed := _FULL_WIDTH_LIST.fullmatch(value.strip())):
            items = [item.strip() for item in re.split("[，、,]", bracketed.group(1)) if item.strip()]
            self.fail(
                key,
                _("is written in full-width brackets, which YAML reads as text, not a list"),
                hint=_("write it as: {fixed}", fixed=f"{key}: [{', '.join(items)}]"),
            )
            return ()
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return (str(value).strip(),)
        if not isinstance(value, list):
            self.fail(key, _("expected a list of text, got {found}", found=describe(value)))
            return ()
        items: list[str] = []
        list_reader = FieldReader({}, self.doc, self.rel_path, self.problems, self.path_of(key))
        for index, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, (str, int, float)) or str(item).strip() == "":
                list_reader.fail(index, _("expected text, got {found}", found=describe(item)))
                continue
            items.append(str(item).strip())
        return tuple(items)

    def mapping_reader(self, key: str | int, value: Mapping[str, Any]) -> FieldReader:
        return FieldReader(value, self.doc, self.rel_path, self.problems, self.path_of(key))

    def item_readers(self, key: str) -> list[FieldReader]:
        """Readers for a list of mappings, such as ``gallery`` or ``attractions``."""
        value = self._get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(
                key,
                _("expected a list, got {found}", found=describe(value)),
                hint=_("start each item on its own line with '- '"),
            )
            return []
        readers = []
        list_reader = FieldReader({}, self.doc, self.rel_path, self.problems, self.path_of(key))
        for index, item in enumerate(value):
            if not isinstance(item, Mapping):
                list_reader.fail(index, _("expected a group of fields, got {found}", found=describe(item)))
                continue
            readers.append(list_reader.mapping_reader(index, item))
        return readers

    def section(self, key: str) -> FieldReader | None:
        value = self._get(key)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            self.fail(key, _("expected a group of fields, got {found}", found=describe(value)))
            return None
        return self.mapping_reader(key, value)

    # -- unknown keys ----------------------------------------------------
    def reject_unknown(self, known: set[str]) -> None:
        """Unknown keys inside a nested group are errors (they cannot be used)."""
        for key in self.data:
            if str(key) not in known:
                self.fail(str(key), _("is not a known field here"), hint=did_you_mean(str(key), sorted(known)))

    def extra_fields(self, known: set[str]) -> dict[str, Any]:
        """Unknown top-level keys are kept for themes, with a warning when one looks like a typo."""
        extra: dict[str, Any] = {}
        for key, value in self.data.items():
            name = str(key)
            if name in known:
                continue
            hint = did_you_mean(name, sorted(known), cutoff=0.75)
            if hint:
                self.warn(name, _("is not a known field; it is kept for the theme"), hint=hint)
            extra[name] = value
        return extra
