"""The build: the only place that knows the order of the stages.

``check`` runs every stage but writing; ``build`` also writes, and only when
nothing is wrong.  Neither prints: they return reports for the CLI.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .config import SiteConfig
from .content import is_ignored, load_content
from .errors import BuildFailed, Problem, VillageSiteError, error, sorted_problems
from .model import Site
from .outputs import FEED_PATH, SITEMAP_PATH, atom_feed, robots_txt, sitemap_xml
from .render import Rendered, Renderer
from .site import assemble_site
from .themes import make_environment, resolve_themes, theme_assets
from .urls import output_file
from .write import StagedOutput


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything the build would write: output path -> bytes, or -> a file to copy."""

    site: Site
    files: dict[str, bytes | Path]
    problems: tuple[Problem, ...]


@dataclass(frozen=True, slots=True)
class BuildReport:
    output: Path | None
    pages: dict[str, int]
    """Pages by kind: village, story, event, page, listing."""
    files: int
    seconds: float
    warnings: tuple[Problem, ...] = field(default=())


def plan_site(config: SiteConfig, *, drafts: bool = False, strict_links: bool = False) -> Plan:
    """Load, check, assemble and render everything in memory; raise BuildFailed on any error."""
    # Content first: its errors are what editors need to see, even if the theme is broken too.
    content = load_content(config)
    site, site_problems = assemble_site(config, content, drafts=drafts, strict_links=strict_links)
    problems = [*content.problems, *site_problems]
    if any(p.is_error for p in problems):
        raise BuildFailed(problems)

    chain = resolve_themes(config)
    assets = theme_assets(chain)
    renderer = Renderer(site, make_environment(chain), chain, assets)
    files: dict[str, bytes | Path] = {}
    collisions: list[Problem] = []

    def add(rel: str, content: bytes | Path, origin: str) -> None:
        if rel in files:
            collisions.append(
                error(
                    origin,
                    None,
                    f"writes {rel}, which another page or file also writes",
                    hint="rename one of them or give it another 'slug:'",
                )
            )
        files[rel] = content

    def add_rendered(rendered: Rendered, origin: str) -> None:
        add(output_file(rendered.url), rendered.html.encode("utf-8"), origin)

    # Pages, then the listings and indexes that show them.
    for page in site.pages:
        add_rendered(renderer.page(page), page.source.rel_path)
    for listing in (site.all_villages, *site.styles, *site.cities, *site.tags):
        add_rendered(renderer.listing(listing), listing.url)
    add_rendered(renderer.index("home.html", "/"), "home")
    add_rendered(renderer.index("terms.html", "/cities/", title="城市", listings=site.cities), "/cities/")
    add_rendered(renderer.index("terms.html", "/tags/", title="标签", listings=site.tags), "/tags/")
    add_rendered(renderer.index("stories.html", "/stories/"), "/stories/")
    add_rendered(renderer.index("events.html", "/events/"), "/events/")
    add("404.html", renderer.index("404.html", "/404.html").html.encode("utf-8"), "404")

    # Machine-read outputs.
    public = [p.url for p in site.pages] + site.listing_urls() + ["/", "/cities/", "/tags/", "/stories/", "/events/"]
    add(SITEMAP_PATH.lstrip("/"), sitemap_xml(site, public), "sitemap")
    add(FEED_PATH.lstrip("/"), atom_feed(site), "feed")
    add("robots.txt", robots_txt(site), "robots.txt")

    # Files copied as they are: theme assets, page bundles, the site's static/ folder.
    for asset in assets.values():
        add(asset.url.lstrip("/"), asset.content, f"theme static/{asset.name}")
    for resource in site.resources:
        add(resource.url.lstrip("/"), resource.path, resource.url)
    for path in _static_files(config.static_dir):
        rel = path.relative_to(config.static_dir).as_posix()
        add(rel, path, f"static/{rel}")
    if collisions:
        raise BuildFailed(collisions)
    return Plan(site, files, tuple(problems))


def _static_files(static_dir: Path) -> list[Path]:
    if not static_dir.is_dir():
        return []
    return [
        p
        for p in sorted(static_dir.rglob("*"))
        if p.is_file() and not any(is_ignored(part) for part in p.relative_to(static_dir).parts)
    ]


def check(config: SiteConfig, *, drafts: bool = False) -> list[Problem]:
    """Every problem in the site (broken links count as errors); nothing is written."""
    try:
        plan = plan_site(config, drafts=drafts, strict_links=True)
    except VillageSiteError as exc:
        return list(exc.problems)
    return sorted_problems(plan.problems)


def build(config: SiteConfig, *, output: Path | None = None, drafts: bool = False) -> BuildReport:
    """Build the site into ``output`` (default ``output/`` in the site); raise BuildFailed on errors.

    The previous output stays untouched unless the whole build succeeds.
    """
    started = time.perf_counter()
    output = (output or config.root / "output").resolve()
    _check_output_location(config, output)
    plan = plan_site(config, drafts=drafts)
    with StagedOutput(output) as staged:
        for rel in sorted(plan.files):
            content = plan.files[rel]
            if isinstance(content, Path):
                staged.copy(rel, content)
            else:
                staged.write(rel, content)
        staged.publish()
    counts = Counter(page.kind.value for page in plan.site.pages)
    counts["listing"] = len(plan.site.listing_urls())
    return BuildReport(
        output,
        dict(counts),
        len(plan.files),
        time.perf_counter() - started,
        tuple(p for p in sorted_problems(plan.problems) if not p.is_error),
    )


def _check_output_location(config: SiteConfig, output: Path) -> None:
    root = config.root.resolve()
    protected = [root / "content", root / "themes", root / "static"]
    if output == root or root.is_relative_to(output) or any(output.is_relative_to(p) for p in protected):
        raise VillageSiteError(
            [
                error(
                    str(output),
                    None,
                    "the output folder cannot be the site folder or inside content/, themes/ or static/",
                    hint="use the default output/ or another folder",
                )
            ]
        )
