"""What the scaffolds write for the editor to replace, found where it was not replaced.

``villagesite new`` and ``init`` fill pages with sample text ("用一两句话介绍这里…"), sample
coordinates and a sample village, so a new site builds at once.  Published as they are, they would
tell visitors nonsense, so a page that still carries one gets a warning at its line.  The samples are
read from the scaffolds themselves: a scaffold edited later is followed without a list to keep.
Drafts are left alone: a page just made is expected to be unfinished.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from .errors import Problem, warning
from .i18n import _

if TYPE_CHECKING:
    from .content import Source

SCAFFOLDS = Path(__file__).parent / "scaffolds"
_SENTENCE = re.compile(r"[^。！？\n]+[。！？]")


@dataclass(frozen=True, slots=True)
class Samples:
    """The sample values of every scaffold."""

    summaries: frozenset[str]
    sentences: tuple[str, ...]
    """The first sentence of each paragraph of the scaffolds' bodies."""
    locations: frozenset[tuple[float, float]]
    site_description: str | None


@functools.cache
def samples() -> Samples:
    summaries: set[str] = set()
    sentences: list[str] = []
    locations: set[tuple[float, float]] = set()
    for path in sorted(SCAFFOLDS.glob("*.md")):
        text = path.read_text(encoding="utf-8").replace("__TITLE__", "x").replace("__DATE__", "2000-01-01")
        text = re.sub(r"__[A-Z]+__", '""', text)
        _, front, body = text.split("---\n", 2)
        meta = yaml.safe_load(front) or {}
        if isinstance(meta.get("summary"), str):
            summaries.add(meta["summary"].strip())
        location = meta.get("location")
        sample_site = path.name == "sample-village.md"  # a real position, Fengjian's: its text gives it away
        if isinstance(location, dict) and {"lat", "lon"} <= location.keys() and not sample_site:
            locations.add((float(location["lat"]), float(location["lon"])))
        for paragraph in body.split("\n\n"):
            if match := _SENTENCE.match(paragraph.strip()):
                sentences.append(match.group().strip())
    site = yaml.safe_load((SCAFFOLDS / "site.yaml").read_text(encoding="utf-8").replace("__TITLE__", "x"))
    description = site.get("description") if isinstance(site, dict) else None
    return Samples(frozenset(summaries), tuple(sentences), frozenset(locations), description)


def unfinished(sources: Iterable[Source], memo: UnfinishedMemo | None = None) -> list[Problem]:
    """A warning for each sample left in a published page: summary, location, body text.

    With a ``memo`` (the preview keeps one), a file read by an earlier build is not looked at again:
    5,000 bodies took 0.02 s of each save."""
    if memo is None:
        return _unfinished(sources)
    problems: list[Problem] = []
    kept = dict(memo)
    memo.clear()
    for source in sources:
        found = kept.get(source.rel_path)
        if found is None or found[0] is not source:
            found = (source, tuple(_unfinished((source,))))
        memo[source.rel_path] = found
        problems += found[1]
    return problems


UnfinishedMemo = dict[str, "tuple[Source, tuple[Problem, ...]]"]
"""What :func:`unfinished` found in each file, with the file as read."""


def _unfinished(sources: Iterable[Source]) -> list[Problem]:
    found = samples()
    problems: list[Problem] = []
    for source in sources:
        common = source.common
        if common.draft:
            continue
        rel = source.rel_path
        if common.summary and common.summary.strip() in found.summaries:
            problems.append(
                warning(
                    rel,
                    source.line_of("summary"),
                    _("is still the scaffold's sample text"),
                    field="summary",
                    hint=_("say in one or two sentences what a visitor finds here"),
                )
            )
        location = getattr(source.fields, "location", None)
        if location is not None and (location.lat, location.lon) in found.locations:
            problems.append(
                warning(
                    rel,
                    source.line_of("location"),
                    _("is still the scaffold's sample position (the centre of Guangzhou)"),
                    field="location",
                    hint=_("pick the real place on a map and copy its latitude and longitude"),
                )
            )
        body = source.body
        for sentence in found.sentences:
            at = body.find(sentence)
            if at >= 0:
                line = source.body_line + body.count("\n", 0, at)
                problems.append(
                    warning(
                        rel,
                        line,
                        _("the page still says “{sentence}”, the scaffold's sample text", sentence=sentence),
                        hint=_("replace it with the page's own text"),
                    )
                )
    return problems
