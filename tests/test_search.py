"""Search: a visitor finds a page by any of its words, in Simplified or Traditional characters, in
pinyin or its initials, in English; in each edition, under a sub-path, with the built example site."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import browsers
import pytest
from browsers import serve
from conftest import build_example_site
from own_text import own_text
from playwright.sync_api import Page

from villagesite.schema import PLACE_KINDS

browser, phone = browsers.browser, browsers.phone  # the fixtures

SIMPLIFIED = ["逢简", "逢简村", "碉楼", "水乡", "围龙屋", "广府", "古村", "桥"]
TRADITIONAL = {"逢簡村": "逢简村", "碉樓": "碉楼", "圍龍屋": "围龙屋", "廣府": "广府"}
EDITIONS = {"": "zh-Hans", "zh-hant/": "zh-Hant", "en/": "en"}
NOT_PAGES = {"styles", "cities", "tags", "search", "page", "poster", "img", "theme"}
"""Folders of listings, the search page, posters and files: never a search result."""


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    built = build_example_site(tmp_path_factory, "/sub/")
    with serve(built.parent) as address:
        yield built, address + "sub/"


def page_files(root: Path, prefix: str) -> dict[str, Path]:
    """Link -> file of every page of an edition (villages, stories, events, places, free pages)."""
    edition = root / prefix
    found = {}
    for path in sorted(edition.rglob("index.html")):
        parts = path.parent.relative_to(edition).parts
        if not parts or (not prefix and parts[0] in ("zh-hant", "en")) or NOT_PAGES & set(parts):
            continue
        if len(parts) == 1 and parts[0] in ("villages", "stories", "events", "places"):
            continue  # their indexes: listings
        if len(parts) == 2 and parts[0] == "places" and parts[1] in PLACE_KINDS:
            continue  # the listing of one kind of place
        found["/sub/" + prefix + "/".join(parts) + "/"] = path
    return found


def pages_of(root: Path, prefix: str) -> dict[str, str]:
    """Link -> own text of every page of an edition."""
    return {link: own_text(path.read_text(encoding="utf-8")) for link, path in page_files(root, prefix).items()}


def headings(html: str) -> str:
    """The text of the headings of a page's main content."""
    main = html[html.index("<main") : html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", main, re.S))


def search(page: Page, address: str, prefix: str, query: str, *, type_it: bool = False) -> list[str]:
    """Every result's link for ``query`` typed into the search page of an edition, all pages of them."""
    page.goto(f"{address}{prefix}search/")
    box = page.locator("#search-query")
    if type_it:
        box.press_sequentially(query, delay=30)
    else:
        box.fill(query)
    form = "document.querySelector('form[data-search-index]')"
    page.wait_for_function(f"q => {form}.dataset.searched === q && {form}.dataset.shown !== undefined", arg=query)
    more = page.locator("[data-search-more]")
    while more.is_visible():
        shown = page.evaluate(f"{form}.dataset.shown")
        more.click()
        page.wait_for_function(f"n => {form}.dataset.shown !== n", arg=shown)
    return page.eval_on_selector_all(".search-results a", "links => links.map(a => a.getAttribute('href'))")


def test_every_page_with_the_words_is_found_in_simplified_and_traditional(example, phone: Page):
    root, address = example
    pages = pages_of(root, "")
    for query in [*SIMPLIFIED, *TRADITIONAL]:
        words = TRADITIONAL.get(query, query)
        expected = {link for link, text in pages.items() if words in text}
        assert expected, f"the example site has no page with {words}: the test would prove nothing"
        found = search(phone, address, "", query)
        assert expected <= set(found), f"{query}: missing {sorted(expected - set(found))}"
        assert set(found) <= set(pages), f"{query}: results that are not pages: {set(found) - set(pages)}"


def test_pinyin_and_initials_find_the_village_first(example, phone: Page):
    root, address = example
    for query in ["fengjian", "feng jian", "féngjiǎn", "FengJian", "fjc"]:
        found = search(phone, address, "", query, type_it=query == "fengjian")
        assert found[:1] == ["/sub/villages/fengjian/"], f"{query}: {found}"
    # Pinyin is indexed for names: every page with 围龙屋 in its title or a heading is found.
    named = {
        link for link, path in page_files(root, "").items() if "围龙屋" in headings(path.read_text(encoding="utf-8"))
    }
    assert named, "the example site names no 围龙屋: the test would prove nothing"
    for query in ["weilongwu", "wlw", "wei long wu"]:
        found = search(phone, address, "", query)
        assert named <= set(found), f"{query}: missing {sorted(named - set(found))}"


def test_each_edition_finds_its_own_pages(example, phone: Page):
    root, address = example
    for prefix, query in (("zh-hant/", "圍龍屋"), ("zh-hant/", "围龙屋"), ("zh-hant/", "碉樓"), ("en/", "Hakka")):
        pages = pages_of(root, prefix)
        found = search(phone, address, prefix, query)
        assert found, f"{prefix}{query}: nothing found"
        assert set(found) <= set(pages), f"{prefix}{query}: results from another edition: {found}"
    english = pages_of(root, "en/")
    expected = {link for link, text in english.items() if "fengjian" in text.lower()}
    assert expected <= set(search(phone, address, "en/", "Fengjian"))
    # English words of title_en and of the styles are found in the Chinese edition too.
    assert "/sub/villages/fengjian/" in search(phone, address, "", "Fengjian")
    hakka = search(phone, address, "", "Hakka")
    assert hakka and all(link.startswith("/sub/villages/") for link in hakka)


def test_results_show_the_match_marked_and_are_usable_by_keyboard(example, phone: Page):
    _, address = example
    search(phone, address, "", "碉楼")
    first = phone.locator(".search-results a").first
    assert "碉楼" in first.locator("mark").first.inner_text()
    assert phone.locator("[data-search-status]").get_attribute("role") == "status"
    assert "个结果" in phone.locator("[data-search-status]").inner_text()
    phone.locator("#search-query").focus()
    phone.keyboard.press("Tab")  # the search button
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.closest('.search-results') !== null")
    # Nothing found: said in words, with the villages listed to browse.
    search(phone, address, "", "没有这个词的页面")
    assert "没有找到" in phone.locator("[data-search-status]").inner_text()
    assert phone.locator("[data-search-browse]").is_visible()


def test_the_header_box_opens_the_search_page_with_the_results(example, phone: Page):
    _, address = example
    phone.goto(address + "villages/fengjian/")
    box = phone.locator(".site-search input[name=q]")
    box.fill("碉楼")
    box.press("Enter")
    phone.wait_for_url("**/sub/search/?q=*")
    # Searched, and the first results shown (their documents are fetched after the count is known).
    form = "document.querySelector('form[data-search-index]')"
    phone.wait_for_function(f"{form}.dataset.searched === '碉楼' && {form}.dataset.shown !== undefined")
    assert phone.locator(".search-results a").count() > 0


def test_without_javascript_the_search_page_lists_the_villages(example, browser):
    _, address = example
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(address + "search/?q=逢简")
        assert page.locator(".search-browse-list a", has_text="逢简村").is_visible()
    finally:
        context.close()


def test_pinyin_is_indexed_but_never_shown_and_listings_are_not_indexed(example):
    root, _ = example
    for html in root.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "fengjiancun" not in text and "weilongwu" not in text, html
    for prefix in EDITIONS:
        pages = pages_of(root, prefix)
        documents = [json.loads(p.read_bytes()) for p in (root / prefix / "search/index/d").glob("*.json")]
        assert sorted(d["u"] for d in documents) == sorted(pages)
        index = root / prefix / "search/index"
        assert all(p.stat().st_size > 0 for p in index.rglob("*") if p.is_file())
