"""What a build reports, and the report kept for the next build: an unchanged site is not built again."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import i18n
from .commit import is_whole
from .errors import Problem, warning
from .sealed import read_sealed, write_sealed
from .weights import PageWeight
from .write import WriteReport

REPORT_VERSION = 3


@dataclass(frozen=True, slots=True)
class BuildReport:
    output: Path | None
    pages: dict[str, int]
    """Pages by kind: village, story, event, page, listing."""
    files: int
    seconds: float
    photos_encoded: int = 0
    photos_cached: int = 0
    warnings: tuple[Problem, ...] = field(default=())
    written: WriteReport | None = None
    """Which files this build wrote and removed."""
    weights: tuple[PageWeight, ...] = field(default=())
    """The heaviest page of each kind, before photos."""
    editions: dict[str, int] = field(default_factory=dict)
    """Pages (villages, stories, events, free pages) in each edition, by language: ``{"zh-Hans": 19, "en": 6}``."""


def save_report(path: Path, inputs: str, report: BuildReport) -> None:
    """Remember what was built from which inputs, for the next build to skip an unchanged site."""
    warnings = [[p.location.path, p.location.line, p.message, p.field, p.hint] for p in report.warnings]
    data = {
        "inputs": inputs,
        "language": i18n.language(),  # of the warnings kept
        "pages": report.pages,
        "files": report.files,
        "photos": report.photos_encoded + report.photos_cached,
        "warnings": warnings,
        "weights": [[w.output, w.kind, w.html, w.css, w.js] for w in report.weights],
        "editions": report.editions,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    write_sealed(path, REPORT_VERSION, data, ensure_ascii=False)


def load_report(path: Path, inputs: str, output: Path) -> BuildReport | None:
    """The last build's report when its inputs are the same as now and its output is still there, whole."""
    try:
        data = read_sealed(path, REPORT_VERSION)
        if data is None or data["inputs"] != inputs or data.get("language") != i18n.language() or not is_whole(output):
            return None
        warnings = tuple(
            warning(path_, line, message, field=field_, hint=hint)
            for path_, line, message, field_, hint in data["warnings"]
        )
        weights = tuple(PageWeight(str(o), str(k), int(h), int(c), int(j)) for o, k, h, c, j in data["weights"])
        return BuildReport(
            output,
            dict(data["pages"]),
            int(data["files"]),
            0.0,
            0,
            int(data["photos"]),
            warnings,
            weights=weights,
            editions={str(k): int(v) for k, v in data["editions"].items()},
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
