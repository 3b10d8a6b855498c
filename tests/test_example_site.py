"""The example site shipped in the repository, built as a host would serve it under /sub/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from conftest import build_example_site, run_cli, snapshot
from crawl import broken_links

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_example_site(tmp_path_factory, "/sub/")


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def village_folders() -> list[Path]:
    return sorted(p for p in (REPO / "content/villages").iterdir() if (p / "index.md").is_file())


def test_example_site_checks_clean():
    result = run_cli("check", "--site", REPO)
    assert result.code == 0, result.err
    assert "error" not in result.err


def test_every_village_has_a_page_and_each_style_at_least_two(built: Path):
    folders = village_folders()
    assert len(folders) >= 12
    styles: dict[str, int] = {}
    for folder in folders:
        meta = front_matter(folder / "index.md")
        if meta.get("draft"):
            continue
        styles[meta["style"]] = styles.get(meta["style"], 0) + 1
        page = (built / "villages" / folder.name / "index.html").read_text(encoding="utf-8")
        assert meta["title"] in page
    assert all(styles.get(style, 0) >= 2 for style in ("cantonese", "hakka", "teochew", "minority")), styles


def test_listings_sitemap_404_and_feed_exist(built: Path):
    for style in ("cantonese", "hakka", "teochew", "minority"):
        assert (built / "styles" / style / "index.html").is_file()
    assert len(list((built / "cities").glob("*/index.html"))) >= 5
    assert len(list((built / "tags").glob("*/index.html"))) >= 5
    for rel in ("sitemap.xml", "404.html", "feed.xml", "robots.txt", "stories/index.html", "about/index.html"):
        assert (built / rel).is_file(), rel
    assert "<loc>/sub/villages/" in (built / "sitemap.xml").read_text(encoding="utf-8")


def test_zero_broken_internal_links_and_images_under_sub_path(built: Path):
    assert broken_links(built, "/sub/") == []


def test_every_internal_link_carries_the_sub_path(built: Path):
    for page in built.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for url in re.findall(r'(?:href|src)="(/[^"]*)"', text):
            assert url.startswith("/sub/"), f"{page}: {url}"


def test_drafts_appear_nowhere(built: Path):
    drafts = [p for p in (REPO / "content").rglob("index.md") if front_matter(p).get("draft")]
    assert drafts, "the example site keeps one draft to show that drafts stay out"
    everything = b"\n".join(snapshot(built).values()).decode("utf-8", "ignore")
    for path in drafts:
        meta = front_matter(path)
        assert meta["title"] not in everything
        assert f"/{path.parent.name}/" not in everything


def test_a_village_page_weighs_under_100_kb_before_images(built: Path):
    """HTML + the CSS and JS it loads at once, uncompressed; Leaflet comes later, only when the map is in view."""
    for page in sorted(built.glob("villages/*/index.html")):
        html = page.read_text(encoding="utf-8")
        linked = re.findall(r'<link rel="stylesheet" href="/sub/([^"]+)"', html) + re.findall(
            r'<script src="/sub/([^"]+)"', html
        )
        assert not [rel for rel in linked if "leaflet" in rel]
        weight = page.stat().st_size + sum((built / rel).stat().st_size for rel in linked)
        assert weight < 100_000, f"{page.relative_to(built)}: {weight} bytes"


EDITIONS = {"zh-hant/": "zh-Hant", "en/": "en"}


def edition_of(rel: str) -> str:
    return next((language for prefix, language in EDITIONS.items() if rel.startswith(prefix)), "zh-Hans")


def test_every_edition_is_published_with_translations_of_each_style(built: Path):
    for style_village in ("fengjian", "linzhai", "longhu", "nangang"):  # Cantonese, Hakka, Teochew, Yao
        assert (built / "en/villages" / style_village / "index.html").is_file()
    assert (built / "en/stories/yao-shuagetang/index.html").is_file()
    assert (built / "en/about/index.html").is_file()
    for folder in village_folders():
        assert (built / "zh-hant/villages" / folder.name / "index.html").is_file()


def test_every_page_of_every_edition_says_its_language_and_names_its_alternates_both_ways(built: Path):
    """The crawl of every edition: each page's lang is its edition's; every hreflang alternate it names
    names it back, with the same x-default; no link is broken (above, over every page)."""
    alternates: dict[str, dict[str, str]] = {}
    for page in sorted(built.rglob("*.html")):
        rel = page.relative_to(built).as_posix()
        html = page.read_text(encoding="utf-8")
        assert f'<html lang="{edition_of(rel)}">' in html, rel
        if rel.endswith("404.html"):
            continue
        links = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))
        here = "/sub/" + rel.removesuffix("index.html")
        assert links.get(edition_of(rel)) == here, rel
        assert links["x-default"] == links["zh-Hans"], rel
        alternates[here] = links
    assert len(alternates) > 200
    for here, links in alternates.items():
        for language, there in links.items():
            assert alternates[there] == links, f"{here} names {there} ({language}), which does not name it back"
