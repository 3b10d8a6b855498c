"""Problems found in a site, and the one exception that carries them to the CLI.

Every mistake an editor can make becomes a :class:`Problem` that names the file,
the line and the field, so the whole site can be checked in one run and every
problem reported together, instead of stopping at the first one.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

from .i18n import _


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """A place in a file of the site, as the editor sees it."""

    path: str
    """Path relative to the site folder, with forward slashes."""
    line: int | None = None
    """1-based line, when known."""

    def __str__(self) -> str:
        return self.path if self.line is None else f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong (or suspicious) in the site."""

    location: SourceLocation
    message: str
    field: str | None = None
    hint: str | None = None
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        text = f"{self.location}: " if self.location.path else ""
        if self.field:
            text += f"{self.field}: "
        text += self.message
        if self.hint:
            # TRANSLATORS: a problem's hint, after its message: "… (did you mean 'x'?)".
            text += _(" ({hint})", hint=self.hint)
        if not self.is_error:
            text += _(" [warning]")
        return text

    def sort_key(self) -> tuple[str, int, str]:
        return (self.location.path, self.location.line or 0, self.message)


def error(path: str, line: int | None, message: str, *, field: str | None = None, hint: str | None = None) -> Problem:
    return Problem(SourceLocation(path, line), message, field, hint, Severity.ERROR)


def warning(path: str, line: int | None, message: str, *, field: str | None = None, hint: str | None = None) -> Problem:
    return Problem(SourceLocation(path, line), message, field, hint, Severity.WARNING)


def did_you_mean(word: str, choices: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """Return a "did you mean 'x'?" hint for the closest choice, if one is close."""
    option = closest(word, choices, cutoff=cutoff)
    return suggest(option) if option is not None else None


def suggest(option: str) -> str:
    """The hint that proposes ``option``: "did you mean 'x'?", in the editor's language."""
    return _("did you mean '{option}'?", option=option)


def closest(word: str, choices: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """The choice ``word`` most likely meant, if one is close."""
    options = list(choices)
    for option in options:  # 'cover.jpg' for 'cover.JPG': web hosts tell capitals apart
        if option.lower() == word.lower() and option != word:
            return option
    matches = difflib.get_close_matches(word, options, n=1, cutoff=cutoff)
    return matches[0] if matches else None


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Errors and warnings in file order, each reported once."""
    return sorted(set(problems), key=Problem.sort_key)


def strictly(problems: Iterable[Problem]) -> list[Problem]:
    """Every warning made an error, as ``--strict`` counts them (CI: nothing half-finished is published)."""
    return [replace(p, severity=Severity.ERROR) for p in problems]


class VillageSiteError(Exception):
    """A mistake in the site (not a bug in villagesite): shown without a traceback."""

    def __init__(self, problems: Iterable[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [error("", None, problems)]
        self.problems = tuple(sorted_problems(problems))
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[VillageSiteError], tuple[tuple[Problem, ...]]]:
        """Keep the problems when the error crosses from a worker process."""
        return (type(self), (self.problems,))


class BuildFailed(VillageSiteError):
    """The build found errors; nothing was written."""
