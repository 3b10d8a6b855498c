"""The command line: parse, call one function, print, exit.  No site logic lives here."""

from __future__ import annotations

import argparse
import errno
import gc
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import NoReturn

import yaml

from . import __version__, i18n
from .argparse_messages import translate_argparse
from .build import build, check
from .config import CONFIG_NAME, SiteConfig, language_code, load_config, with_base_url
from .errors import Problem, VillageSiteError, error, strictly
from .i18n import N_, Nn_, _, n_, set_language
from .recode import recode_file, report_line, text_files
from .report import BuildReport
from .scaffold import KINDS, init_site, new_page
from .schema import PLACE_KINDS
from .settings_checks import publishing_problems
from .weights import PAGE_BUDGET, kb


def run() -> NoReturn:
    """The ``villagesite`` command: :func:`main`, then exit without tearing the interpreter down.

    Freeing every object one by one at exit took 0.2 s after a 5,000-village
    build, for memory the operating system takes back at once.  Output is
    flushed first; no villagesite code relies on exit handlers.  For the same
    reason the cyclic collector is off in a command that builds once and exits:
    a build pauses it (see :func:`~villagesite.build.collector_paused`), and
    switching it back on started a collection of everything the build made,
    0.15 s at 5,000 villages in two editions, just before the process ends.
    ``serve`` lives on and switches it on again.
    """
    gc.disable()
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    set_language(choose_language(arguments, os.environ))
    parser = _parser()
    args = parser.parse_args(arguments)
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
        print(_("stopped"), file=sys.stderr)
        return 130


_SYSTEM_ERRORS = {
    errno.ENOSPC: (
        N_("the disk is full"),
        N_("free some space, or set VILLAGESITE_CACHE_DIR or --output to another disk"),
    ),
    errno.EDQUOT: (N_("the disk quota is used up"), N_("free some space or ask for a larger quota")),
    errno.EACCES: (N_("permission denied"), N_("choose a folder you may write to, or change its permissions")),
    errno.EPERM: (N_("permission denied"), N_("choose a folder you may write to, or change its permissions")),
    errno.EROFS: (N_("the disk is read-only"), N_("choose a folder on a disk that can be written")),
    errno.ENOTDIR: (N_("is not a folder"), N_("give the path of a folder")),
    errno.EISDIR: (N_("is a folder, not a file"), N_("give the path of a file")),
    errno.ENAMETOOLONG: (N_("the name is too long"), N_("choose a shorter name")),
    errno.EMFILE: (N_("too many files are open"), N_("close other programs and try again")),
}


def system_problem(exc: OSError) -> Problem:
    """One line for an error of the computer rather than the site: which file or folder, what to do."""
    known = _SYSTEM_ERRORS.get(exc.errno or 0)
    what, hint = (_(known[0]), _(known[1])) if known else (exc.strerror or str(exc), None)
    path = exc.filename if isinstance(exc.filename, str) else str(exc.filename or "")
    return error(path, None, what if path else f"{what} ({exc})", hint=hint)


def choose_language(arguments: Sequence[str], environ: Mapping[str, str]) -> str:
    """The language to speak before the arguments are parsed (``--help`` is already in it): ``--lang``,
    then the environment, then the ``language`` of the site named by ``--site`` (or here)."""
    site = Path(_option_value(arguments, "--site") or ".")
    return i18n.choose(_option_value(arguments, "--lang"), environ, lambda: site_language(site))


def site_language(site: Path) -> str | None:
    """The ``language`` written in the site's settings, when they can be read; anything wrong with them is
    reported later, in the language chosen without it."""
    try:
        with (site / CONFIG_NAME).open(encoding="utf-8") as file:
            settings = yaml.safe_load(file)
    except (OSError, ValueError, yaml.YAMLError):
        return None
    value = settings.get("language", "zh-Hans") if isinstance(settings, dict) else None
    return language_code(value)[0] if isinstance(value, str) else None


def _option_value(arguments: Sequence[str], name: str) -> str | None:
    """``--name VALUE`` or ``--name=VALUE`` among the arguments, the last one written."""
    value = None
    for index, argument in enumerate(arguments):
        if argument == "--":
            break
        if argument == name and index + 1 < len(arguments):
            value = arguments[index + 1]
        elif argument.startswith(name + "="):
            value = argument.split("=", 1)[1]
    return value


def _parser() -> argparse.ArgumentParser:
    translate_argparse()
    parser = argparse.ArgumentParser(
        prog="villagesite", description=_("Build tourism websites for old towns and villages.")
    )
    parser.add_argument("--version", action="version", version=f"villagesite {__version__}", help=_("show the version"))
    _lang_option(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title=_("commands"))

    init = commands.add_parser("init", help=_("start a new site in DIR"))
    init.add_argument("dir", type=Path, metavar="DIR", help=_("the new site's folder"))
    init.add_argument("--title", default="广东古村落", help=_("the site's name"))
    _lang_option(init)
    init.set_defaults(run=_init)

    new = commands.add_parser("new", help=_("add a village, story, event or place from a scaffold"))
    new.add_argument("kind", choices=sorted(KINDS), help=_("what to add: {kinds}", kinds=", ".join(sorted(KINDS))))
    new.add_argument("name", help=_("its name, e.g. 逢简村 (the folder gets its pinyin)"))
    new.add_argument("--village", help=_("a place's or an event's village: its folder name, e.g. fengjian"))
    new.add_argument("--kind", dest="place_kind", choices=PLACE_KINDS, help=_("what a place is (default: restaurant)"))
    _site_option(new)
    new.set_defaults(run=_new)

    build_cmd = commands.add_parser("build", help=_("build the site into output/"))
    _site_option(build_cmd)
    build_cmd.add_argument("--output", type=Path, help=_("where to write the site (default: output/ in the site)"))
    build_cmd.add_argument("--drafts", action="store_true", help=_("include pages with draft: true"))
    build_cmd.add_argument("--clean", action="store_true", help=_("write every file again, not only what changed"))
    build_cmd.add_argument(
        "--base-url", help=_("publish at this address instead of base_url in site.yaml, e.g. /preview/")
    )
    _strict_option(build_cmd)
    build_cmd.set_defaults(run=_build)

    serve_cmd = commands.add_parser(
        "serve", help=_("preview the site with drafts, rebuilt and reloaded in the browser on every save")
    )
    _site_option(serve_cmd)
    serve_cmd.add_argument("--port", type=int, help=_("the port to listen on (default: 8000, or the next free one)"))
    serve_cmd.add_argument(
        "--lan", action="store_true", help=_("let phones on the same Wi-Fi open it; prints the address and a QR code")
    )
    serve_cmd.add_argument("--open", action="store_true", help=_("open the preview in the browser"))
    serve_cmd.set_defaults(run=_serve)

    check_cmd = commands.add_parser("check", help=_("report every problem in the site; write nothing"))
    _site_option(check_cmd)
    check_cmd.add_argument("--drafts", action="store_true", help=_("check as if drafts were published"))
    _strict_option(check_cmd)
    check_cmd.set_defaults(run=_check)

    fix = commands.add_parser(
        "fix-encoding", help=_("rewrite files saved as GBK/GB18030 or Big5 as UTF-8, keeping the originals")
    )
    fix.add_argument(
        "paths", nargs="+", type=Path, metavar="FILE", help=_("a file, or a folder: its .md and .yaml files")
    )
    _lang_option(fix)
    fix.set_defaults(run=_fix_encoding)
    return parser


def _site_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--site", type=Path, default=Path("."), help=_("the site folder, with site.yaml (default: here)")
    )
    _lang_option(parser)


def _strict_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--strict", action="store_true", help=_("count every warning as an error (for CI): fail, and publish nothing")
    )


def _lang_option(parser: argparse.ArgumentParser) -> None:
    """``--lang`` on every command (read before parsing, by :func:`choose_language`)."""
    parser.add_argument(
        "--lang",
        default=argparse.SUPPRESS,
        metavar="LANG",
        help=_("the language of these messages: zh-Hans, zh-Hant or en (default: the locale, then the site's)"),
    )


def _init(args: argparse.Namespace) -> int:
    init_site(args.dir, title=args.title)
    print(_("Created a new site in {folder}", folder=args.dir))
    print(_("  next: cd {folder} && villagesite serve   (then open the address it prints)", folder=args.dir))
    return 0


def _new(args: argparse.Namespace) -> int:
    config = load_config(args.site)
    path = new_page(config, args.kind, args.name, village=args.village, place_kind=args.place_kind)
    print(_("Created {path} (a draft: set draft: false to publish it)", path=path.relative_to(config.root).as_posix()))
    return 0


_PAGE_COUNTS = {
    "village": Nn_("{count} village", "{count} villages"),
    "story": Nn_("{count} story", "{count} stories"),
    "event": Nn_("{count} event", "{count} events"),
    "place": Nn_("{count} place", "{count} places"),
    "page": Nn_("{count} page", "{count} pages"),
    "listing": Nn_("{count} listing", "{count} listings"),
}


_WEIGHED_KINDS = {
    kind: kind
    for kind in (
        N_("home"),
        N_("village"),
        N_("story"),
        N_("event"),
        N_("place"),
        N_("page"),
        N_("listing"),
        N_("404"),
        N_("search"),
        N_("poster"),
    )
}
"""The kinds of page the weight line names, as the editor reads them."""


def _build(args: argparse.Namespace) -> int:
    config = load_config(args.site)
    if args.base_url:
        config = with_base_url(config, args.base_url)
    settings = publishing_problems(config)
    if args.strict and settings:  # nothing is built: the output is left as it was
        raise VillageSiteError(strictly(settings))
    report = build(
        config, output=args.output, drafts=args.drafts, clean=args.clean, progress=_progress_bar(), strict=args.strict
    )
    _print_problems([*settings, *report.warnings])
    print(build_summary(report, config))
    print(
        _(
            "To publish the site, upload everything in {folder} to a web host (docs/publish.md shows how).",
            folder=_shown_folder(report.output, config),
        )
    )
    if report.weights:
        weights = _(", ").join(f"{_(_WEIGHED_KINDS.get(w.kind, w.kind))} {kb(w.total)}" for w in report.weights)
        print(
            _(
                "Heaviest page of each kind before photos (HTML + CSS + JS; budget {budget}): {weights}",
                budget=kb(PAGE_BUDGET),
                weights=weights,
            )
        )
    return 0


def build_summary(report: BuildReport, config: SiteConfig) -> str:
    """What was built, from what, and where it is."""
    kinds = [kind for kind in _PAGE_COUNTS if kind != "place" or report.pages.get(kind)]
    summary = _(", ").join(n_(*_PAGE_COUNTS[kind], report.pages.get(kind, 0)) for kind in kinds)
    if len(report.editions) > 1:  # the counts above are the content's own edition's
        editions = _(", ").join(
            n_("{language} {count} page", "{language} {count} pages", pages, language=language)
            for language, pages in report.editions.items()
        )
        summary = _("{summary}; editions: {editions}", summary=summary, editions=editions)
    photos = _(
        "photos: {encoded} encoded, {cached} from the cache",
        encoded=report.photos_encoded,
        cached=report.photos_cached,
    )
    folder = _shown_folder(report.output, config)
    if report.written is None:
        return _(
            "Built {summary}; {photos}; {files} files in {folder} in {seconds:.2f} s",
            summary=summary,
            photos=photos,
            files=report.files,
            folder=folder,
            seconds=report.seconds,
        )
    return _(
        "Built {summary}; {photos}; {files} files in {folder} ({written} written, {removed} removed)"
        " in {seconds:.2f} s",
        summary=summary,
        photos=photos,
        files=report.files,
        folder=folder,
        written=len(report.written.written),
        removed=len(report.written.removed),
        seconds=report.seconds,
    )


def _shown_folder(output: Path, config: SiteConfig) -> str:
    """The output folder as the editor knows it: inside the site, from the site's folder."""
    where = output.relative_to(config.root) if output and output.is_relative_to(config.root) else output
    return f"{where}/"


def _serve(args: argparse.Namespace) -> int:
    from .preview import serve  # Tornado and the watcher load only for this command

    gc.enable()  # off for commands that exit after one build (see run); the preview server lives on

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
    if args.strict:
        problems = strictly(problems)
    _print_problems(problems)
    errors = sum(p.is_error for p in problems)
    if errors:
        return 1
    print(_("No problems found.") if not problems else _("No errors."))
    return 0


def _fix_encoding(args: argparse.Namespace) -> int:
    problems: list[Problem] = []
    converted = 0
    files = text_files(args.paths)
    for path in files:
        shown = path.as_posix()
        if not path.exists():
            problems.append(error(shown, None, _("there is no such file or folder")))
            continue
        result = recode_file(path)
        if line := report_line(result, shown):
            print(line)
            converted += 1
        elif result.encoding is None and not _is_utf8(path):
            problems.append(
                error(
                    shown,
                    None,
                    _("the file is not UTF-8, and not GBK/GB18030 or Big5 either"),
                    hint=_("open it in your editor and save it with the encoding 'UTF-8'"),
                )
            )
    _print_problems(problems)
    if converted:
        print(n_("{count} file converted to UTF-8.", "{count} files converted to UTF-8.", converted))
    elif not problems:
        print(n_("The file is UTF-8 already.", "All {count} files are UTF-8 already.", len(files)))
    return 1 if problems else 0


def _is_utf8(path: Path) -> bool:
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _progress_bar() -> Callable[[int, int], None] | None:
    """A one-line bar on a terminal while photos are encoded; nothing when output is a file or a pipe."""
    if not sys.stderr.isatty():
        return None
    label = _("photos")

    def show(done: int, total: int) -> None:
        filled = 30 * done // total
        print(f"\r{label} [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}", end="", file=sys.stderr, flush=True)
        if done == total:
            print(file=sys.stderr)

    return show


def _print_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if problems:
        parts = [n_("{count} error", "{count} errors", errors)] if errors else []
        parts += [n_("{count} warning", "{count} warnings", warnings)] if warnings else []
        print(_(", ").join(parts), file=sys.stderr)
