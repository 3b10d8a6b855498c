"""What the terminal shows: a line per build, the first build's summary, the address and QR code for phones."""

from __future__ import annotations

import socket
from datetime import datetime
from pathlib import Path

import segno

from ..i18n import _, n_
from ..search.index import INDEX_PATH
from .driver import Outcome

SEARCH_INDEX = INDEX_PATH.lstrip("/")


def describe(outcome: Outcome, now: datetime | None = None) -> str:
    """One line per rebuild: when, what changed, what was written (or what is wrong), how long it took."""
    stamp = (now or datetime.now()).strftime("%H:%M:%S")
    changed = _changed(outcome.changed)
    seconds = f"{outcome.seconds:.2f}"
    # TRANSLATORS: how long a build took; {seconds} is a number such as 0.25.
    took = _("in {seconds} s", seconds=seconds)
    if outcome.failed:
        # TRANSLATORS: {time} is the clock time (14:03:21), {changed} the files saved, {took} "in 0.25 s".
        return _(
            "{time} {changed} -> not built, the browser shows why ({took}):\n{message}",
            time=stamp,
            changed=changed,
            took=took,
            message=_indent(outcome.message),
        )
    result = _result(outcome)
    if outcome.problems:
        # TRANSLATORS: {time} is the clock time, {changed} the files saved, {result} what the build wrote,
        # {took} "in 0.25 s", {warnings} "2 warnings".
        return _(
            "{time} {changed} -> {result} {took} ({warnings})",
            time=stamp,
            changed=changed,
            result=result,
            took=took,
            warnings=n_("{count} warning", "{count} warnings", len(outcome.problems)),
        )
    # TRANSLATORS: {time} is the clock time, {changed} the files saved, {result} what the build wrote,
    # {took} "in 0.25 s".
    return _("{time} {changed} -> {result} {took}", time=stamp, changed=changed, result=result, took=took)


def _changed(paths: tuple[str, ...]) -> str:
    """The files a rebuild started from: two named, the rest counted ("start" for the first build)."""
    if not paths:
        # TRANSLATORS: stands where the changed files are named, for the build made when the preview starts.
        return _("start")
    files = _(", ").join(paths[:2])
    if len(paths) <= 2:
        return files
    more = len(paths) - 2
    # TRANSLATORS: {files} are two file names; {count} how many other files changed too.
    return n_("{files} and {count} more", "{files} and {count} more", more, files=files)


def _result(outcome: Outcome) -> str:
    """What a rebuild wrote: the files (named when few), the files removed, the search index, the styles."""
    removed = outcome.removed
    # The search index's files change with a page's words: said once, not named or counted.
    searched = any(SEARCH_INDEX in rel for rel in outcome.written)
    written = [rel for rel in outcome.written if SEARCH_INDEX not in rel]
    if not written and not removed:
        return _("updated the search index") if searched else _("nothing to update")
    if len(written) <= 3 and not removed:  # a page in each of a site's editions: named, not counted
        # TRANSLATORS: {files} are the names of the files the build wrote, one to three of them.
        result = _("wrote {files}", files=_(", ").join(written))
    elif removed:
        # TRANSLATORS: {count} files were written and {removed} files removed.
        result = n_(
            "wrote {count} file, removed {removed}",
            "wrote {count} files, removed {removed}",
            len(written),
            removed=len(removed),
        )
    else:
        result = n_("wrote {count} file", "wrote {count} files", len(written))
    if written and searched:
        # TRANSLATORS: added after "wrote 3 files" or "wrote 3 files, removed 1": the search index was updated too.
        result += _(" and the search index")
    if written and not removed and all(rel.endswith(".css") for rel in written):
        # TRANSLATORS: added after "wrote theme/style.css": the open pages took the new styles without reloading.
        result += _(", styles refreshed")
    return result


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
        return _(
            "The site has errors; the preview shows them until they are fixed:\n{message}",
            message=_indent(outcome.message),
        )
    report = outcome.report
    assert report is not None
    pages = sum(report.pages.values())
    seconds = f"{outcome.seconds:.2f}"
    # TRANSLATORS: {output} is the preview folder; {seconds} a number such as 3.25.
    line = _("Built {pages} pages into {output} in {seconds} s", pages=pages, output=output, seconds=seconds)
    if outcome.problems:  # warnings: a broken link, a page over budget
        line += "\n" + _indent("\n".join(str(problem) for problem in outcome.problems))
    return line
