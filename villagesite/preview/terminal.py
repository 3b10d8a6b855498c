"""What the terminal shows: a line per build, the first build's summary, the address and QR code for phones."""

from __future__ import annotations

import socket
from datetime import datetime
from pathlib import Path

import segno

from ..search.index import INDEX_PATH
from .driver import Outcome

SEARCH_INDEX = INDEX_PATH.lstrip("/")


def describe(outcome: Outcome, now: datetime | None = None) -> str:
    """One line per rebuild: when, what changed, what was written (or what is wrong), how long it took."""
    stamp = (now or datetime.now()).strftime("%H:%M:%S")
    changed = ", ".join(outcome.changed[:2]) or "start"
    if len(outcome.changed) > 2:
        changed += f" and {len(outcome.changed) - 2} more"
    took = f"in {outcome.seconds:.2f} s"
    if outcome.failed:
        return f"{stamp} {changed} -> not built, the browser shows why ({took}):\n{_indent(outcome.message)}"
    removed = outcome.removed
    # The search index's files change with a page's words: said once, not named or counted.
    searched = any(SEARCH_INDEX in rel for rel in outcome.written)
    written = [rel for rel in outcome.written if SEARCH_INDEX not in rel]
    if not written and not removed:
        result = "updated the search index" if searched else "nothing to update"
    elif len(written) <= 3 and not removed:  # a page in each of a site's editions: named, not counted
        result = f"wrote {', '.join(written)}"
    else:
        result = f"wrote {len(written)} file{'s' * (len(written) != 1)}"
        if removed:
            result += f", removed {len(removed)}"
    if written and searched:
        result += " and the search index"
    if written and not removed and all(rel.endswith(".css") for rel in written):
        result += ", styles refreshed"
    warnings = f" ({len(outcome.problems)} warning{'s' * (len(outcome.problems) != 1)})" if outcome.problems else ""
    return f"{stamp} {changed} -> {result} {took}{warnings}"


def _indent(text: str) -> str:
    return "\n".join(f"  {line}" for line in text.splitlines())


def lan_address() -> str | None:
    """This computer's address on the local network, as a phone on the same Wi-Fi reaches it.

    Connecting a UDP socket sends nothing; it only asks the system which
    interface it would use.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def qr_text(url: str) -> str:
    """A QR code of ``url`` drawn with block characters, for a phone camera to open from the terminal."""
    import io

    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True, border=2)
    return out.getvalue()


def first_line(outcome: Outcome, output: Path) -> str:
    """What the first build came to: the pages it wrote and its warnings, or the errors to fix."""
    if outcome.failed:
        return f"The site has errors; the preview shows them until they are fixed:\n{_indent(outcome.message)}"
    report = outcome.report
    assert report is not None
    pages = sum(report.pages.values())
    line = f"Built {pages} pages into {output} in {outcome.seconds:.2f} s"
    if outcome.problems:  # warnings: a broken link, a page over budget
        line += "\n" + _indent("\n".join(str(problem) for problem in outcome.problems))
    return line
