"""The command line: parse, call one function, print, exit.  No site logic lives here."""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from . import __version__
from .build import build, check
from .config import load_config, with_base_url
from .errors import Problem, VillageSiteError, error
from .scaffold import KINDS, init_site, new_page
from .schema import PLACE_KINDS
from .weights import PAGE_BUDGET, kb


def run() -> NoReturn:
    """The ``villagesite`` command: :func:`main`, then exit without tearing the interpreter down.

    Freeing every object one by one at exit took 0.2 s after a 5,000-village
    build, for memory the operating system takes back at once.  Output is
    flushed first; no villagesite code relies on exit handlers.
    """
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return int(args.run(args))
    except VillageSiteError as exc:
        _print_problems(exc.problems)
        return 1
    except OSError as exc:  # the computer, not the site: a full disk, a folder that cannot be written
        _print_problems([system_problem(exc)])
        return 1
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
        return 130


_SYSTEM_ERRORS = {
    errno.ENOSPC: ("the disk is full", "free some space, or set VILLAGESITE_CACHE_DIR or --output to another disk"),
    errno.EDQUOT: ("the disk quota is used up", "free some space or ask for a larger quota"),
    errno.EACCES: ("permission denied", "choose a folder you may write to, or change its permissions"),
    errno.EPERM: ("permission denied", "choose a folder you may write to, or change its permissions"),
    errno.EROFS: ("the disk is read-only", "choose a folder on a disk that can be written"),
    errno.ENOTDIR: ("is not a folder", "give the path of a folder"),
    errno.EISDIR: ("is a folder, not a file", "give the path of a file"),
    errno.ENAMETOOLONG: ("the name is too long", "choose a shorter name"),
    errno.EMFILE: ("too many files are open", "close other programs and try again"),
}


def system_problem(exc: OSError) -> Problem:
    """One line for an error of the computer rather than the site: which file or folder, what to do."""
    what, hint = _SYSTEM_ERRORS.get(exc.errno or 0, (exc.strerror or str(exc), None))
    path = exc.filename if isinstance(exc.filename, str) else str(exc.filename or "")
    return error(path, None, what if path else f"{what} ({exc})", hint=hint)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="villagesite", description="Build tourism websites for old towns and villages."
    )
    parser.add_argument("--version", action="version", version=f"villagesite {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    init = commands.add_parser("init", help="start a new site in DIR")
    init.add_argument("dir", type=Path)
    init.add_argument("--title", default="广东古村落", help="the site's name")
    init.set_defaults(run=_init)

    new = commands.add_parser("new", help="add a village, story, event or place from a scaffold")
    new.add_argument("kind", choices=sorted(KINDS))
    new.add_argument("name", help="its name, e.g. 逢简村 (the folder gets its pinyin)")
    new.add_argument("--village", help="a place's or an event's village: its folder name, e.g. fengjian")
    new.add_argument("--kind", dest="place_kind", choices=PLACE_KINDS, help="what a place is (default: restaurant)")
    _site_option(new)
    new.set_defaults(run=_new)

    build_cmd = commands.add_parser("build", help="build the site into output/")
    _site_option(build_cmd)
    build_cmd.add_argument("--output", type=Path, help="where to write the site (default: output/ in the site)")
    build_cmd.add_argument("--drafts", action="store_true", help="include pages with draft: true")
    build_cmd.add_argument("--clean", action="store_true", help="write every file again, not only what changed")
    build_cmd.add_argument(
        "--base-url", help="publish at this address instead of base_url in site.yaml, e.g. /preview/"
    )
    build_cmd.set_defaults(run=_build)

    serve_cmd = commands.add_parser(
        "serve", help="preview the site with drafts, rebuilt and reloaded in the browser on every save"
    )
    _site_option(serve_cmd)
    serve_cmd.add_argument("--port", type=int, help="the port to listen on (default: 8000, or the next free one)")
    serve_cmd.add_argument(
        "--lan", action="store_true", help="let phones on the same Wi-Fi open it; prints the address and a QR code"
    )
    serve_cmd.add_argument("--open", action="store_true", help="open the preview in the browser")
    serve_cmd.set_defaults(run=_serve)

    check_cmd = commands.add_parser("check", help="report every problem in the site; write nothing")
    _site_option(check_cmd)
    check_cmd.add_argument("--drafts", action="store_true", help="check as if drafts were published")
    check_cmd.set_defaults(run=_check)
    return parser


def _site_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", type=Path, default=Path("."), help="the site folder, with site.yaml (default: here)")


def _init(args: argparse.Namespace) -> int:
    init_site(args.dir, title=args.title)
    print(f"Created a new site in {args.dir}")
    print(f"  next: cd {args.dir} && villagesite build   (then open output/index.html)")
    return 0


def _new(args: argparse.Namespace) -> int:
    config = load_config(args.site)
    path = new_page(config, args.kind, args.name, village=args.village, place_kind=args.place_kind)
    print(f"Created {path.relative_to(config.root).as_posix()} (a draft: set draft: false to publish it)")
    return 0


def _build(args: argparse.Namespace) -> int:
    config = load_config(args.site)
    if args.base_url:
        config = with_base_url(config, args.base_url)
    report = build(config, output=args.output, drafts=args.drafts, clean=args.clean, progress=_progress_bar())
    _print_problems(report.warnings)
    names = {"village": "villages", "story": "stories", "event": "events", "place": "places", "page": "pages"}
    counts = [(kind, plural) for kind, plural in names.items() if kind != "place" or report.pages.get(kind)]
    summary = ", ".join(
        _count(report.pages.get(kind, 0), kind, plural) for kind, plural in [*counts, ("listing", "listings")]
    )
    where = (
        report.output.relative_to(config.root)
        if report.output and report.output.is_relative_to(config.root)
        else report.output
    )
    photos = f"photos: {report.photos_encoded} encoded, {report.photos_cached} from the cache"
    changes = ""
    if report.written is not None:
        changes = f" ({len(report.written.written)} written, {len(report.written.removed)} removed)"
    if len(report.editions) > 1:  # the counts above are the content's own edition's
        summary += "; editions: " + ", ".join(
            f"{language} {pages} pages" for language, pages in report.editions.items()
        )
    print(f"Built {summary}; {photos}; {report.files} files in {where}/{changes} in {report.seconds:.2f} s")
    if report.weights:
        weights = ", ".join(f"{w.kind} {kb(w.total)}" for w in report.weights)
        print(f"Heaviest page of each kind before photos (HTML + CSS + JS; budget {kb(PAGE_BUDGET)}): {weights}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from .preview import serve  # Tornado and the watcher load only for this command

    def say(line: str) -> None:
        print(line, flush=True)

    port, tries = (args.port, 1) if args.port is not None else (8000, 10)
    return serve(
        args.site,
        port=port,
        lan=args.lan,
        open_browser=args.open,
        say=say,
        port_tries=tries,
        progress=_progress_bar(),
    )


def _check(args: argparse.Namespace) -> int:
    config = load_config(args.site)
    problems = check(config, drafts=args.drafts)
    _print_problems(problems)
    errors = sum(p.is_error for p in problems)
    if errors:
        return 1
    print("No problems found." if not problems else "No errors.")
    return 0


def _progress_bar() -> Callable[[int, int], None] | None:
    """A one-line bar on a terminal while photos are encoded; nothing when output is a file or a pipe."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        filled = 30 * done // total
        print(f"\rphotos [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}", end="", file=sys.stderr, flush=True)
        if done == total:
            print(file=sys.stderr)

    return show


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if problems:
        parts = [f"{errors} error{'s' * (errors != 1)}"] if errors else []
        parts += [f"{warnings} warning{'s' * (warnings != 1)}"] if warnings else []
        print(", ".join(parts), file=sys.stderr)
