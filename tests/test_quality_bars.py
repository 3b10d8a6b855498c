"""The quality bars of issue 6, in headless Chromium, on every page kind of the example site.

At a phone's width (390 px, touch, 2x) and a laptop's (1280 px), each page kind, and a map as
drawn with a place opened on it, has
- no WCAG 2.2 A/AA violation that axe-core finds;
- no horizontal scrolling (nor at 320 px, where WCAG measures reflow);
- tap targets of at least 24 x 24 CSS px, or spaced as WCAG 2.5.8 allows (tests/target_size.js);
and a village page can be read with JavaScript turned off. Valid HTML is test_valid_html.py.
The site is built for a public host, so that village pages and posters carry their QR codes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import browsers
import pytest
from browsers import DESKTOP_CONTEXT, PHONE_CONTEXT, serve
from checkers import axe_script
from conftest import build_example_site, run_cli, village, write_site
from playwright.sync_api import Browser, BrowserContext, Page, Route

browser = browsers.browser

PUBLIC_URL = "https://villages.example.org/sub/"  # a host, so that pages carry their QR codes
VILLAGES = {"cantonese": "fengjian", "hakka": "qiaoxiang", "teochew": "longhu", "minority": "nangang"}
PAGE_KINDS = {
    "home": "",
    **{f"village-{style}": f"villages/{slug}/" for style, slug in VILLAGES.items()},
    "poster": "villages/longhu/poster/",
    "all-villages": "villages/",
    "style": "styles/minority/",
    "city": "cities/meizhou/",
    "tag": "tags/shui-xiang/",
    "city-introduced": "cities/qingyuan/",  # an introduction and a map above its villages
    "tag-introduced": "tags/shan-di-cun-luo/",
    "cities": "cities/",
    "tags": "tags/",
    "stories": "stories/",
    "story": "stories/shuangpinai-water-town/",
    "events": "events/",
    "event": "events/nangang-shuagetang-2027/",
    "page": "about/",
    "places": "places/",
    "place": "places/shuian-minsu/",
    "place-guide": "places/nangang-xiangdao/",
    "place-poster": "places/qianci-shouzuo/poster/",
    "404": "404.html",
    # The other editions: converted (every page) and translated (what has a translation).
    "zh-hant-home": "zh-hant/",
    "zh-hant-village": "zh-hant/villages/fengjian/",
    "zh-hant-poster": "zh-hant/villages/fengjian/poster/",
    "zh-hant-style": "zh-hant/styles/cantonese/",
    "zh-hant-event": "zh-hant/events/nangang-shuagetang-2027/",
    "zh-hant-place": "zh-hant/places/hepan-nongjiacai/",
    "en-home": "en/",
    "en-village": "en/villages/nangang/",
    "en-poster": "en/villages/nangang/poster/",
    "en-all-villages": "en/villages/",
    "en-place": "en/places/shuian-minsu/",
    "en-tags": "en/tags/",
    "en-city-introduced": "en/cities/qingyuan/",
    "en-story": "en/stories/yao-shuagetang/",
    "en-events": "en/events/",
    "en-page": "en/about/",
}
SCREENS = {"phone": PHONE_CONTEXT, "desktop": DESKTOP_CONTEXT}
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, as axe-core tags its rules.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}
TARGET_SIZE = (Path(__file__).parent / "target_size.js").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    built = build_example_site(tmp_path_factory, PUBLIC_URL)
    with serve(built.parent) as address:
        yield address + built.name + "/"


def keep_offline(context: BrowserContext, site: str) -> None:
    """Serve the site, refuse everything else (map tiles): the tests check the site, not the network."""

    def route(route: Route) -> None:
        if route.request.url.startswith(site):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)


@pytest.fixture(scope="module", params=list(SCREENS))
def tab(request: pytest.FixtureRequest, browser: Browser, site: str) -> Iterator[Page]:
    """One tab per screen, reused across the module's pages, with axe-core loaded into every page."""
    context = browser.new_context(**SCREENS[request.param])
    context.add_init_script(path=axe_script())
    keep_offline(context, site)
    yield context.new_page()
    context.close()


def problems_on(page: Page) -> list[str]:
    """What fails the quality bars on the page as it is now, one line each."""
    problems = [
        f"axe {violation['id']} ({violation['impact']}: {violation['help']}) at {' '.join(node['target'])}: "
        + node["failureSummary"].replace("\n", " ")
        for violation in page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]
        for node in violation["nodes"]
    ]
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if overflow > 0:
        wide = page.evaluate(
            """() => [...document.body.querySelectorAll('*')]
                .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
                .slice(-3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))"""
        )
        problems.append(f"the page scrolls sideways by {overflow} px; too wide: {', '.join(wide)}")
    problems += [f"tap target {failure}" for failure in page.evaluate(TARGET_SIZE)]
    return problems


@pytest.mark.parametrize("path", PAGE_KINDS.values(), ids=PAGE_KINDS.keys())
def test_page_kind_meets_the_quality_bars(tab: Page, site: str, path: str):
    response = tab.goto(site + path)
    assert response is not None and response.ok, path
    problems = problems_on(tab)
    assert problems == [], f"/{path} at {tab.viewport_size['width']} px:\n" + "\n".join(problems)


@pytest.fixture(scope="module")
def long_listing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A generated site of 61 villages without photos: the all-villages listing has a second page."""
    files: dict[str, str | bytes] = {
        f"content/villages/v{number:02d}/index.md": village(
            f"测试村{number:02d}",
            style=("cantonese", "hakka", "teochew", "minority")[number % 4],
            lat=22.0 + number / 50,
            lon=113.0 + number / 50,
        )
        for number in range(61)
    }
    root = write_site(tmp_path_factory.mktemp("long-listing") / "site", files)
    host = root.parent / "host"
    assert run_cli("build", "--site", root, "--output", host / "sub", "--base-url", "/sub/").code == 0
    with serve(host) as address:
        yield address + "sub/"


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("path", ["villages/", "villages/page/2/"], ids=["first-page", "second-page"])
def test_a_paginated_listing_meets_the_quality_bars(browser: Browser, long_listing: str, screen: str, path: str):
    context = browser.new_context(**SCREENS[screen])
    context.add_init_script(path=axe_script())
    keep_offline(context, long_listing)
    page = context.new_page()
    response = page.goto(long_listing + path)
    assert response is not None and response.ok, path
    assert page.locator('a[href="/sub/villages/page/2/"], a[href="/sub/villages/"]').count() > 0, "page links"
    problems = problems_on(page)
    context.close()
    assert problems == [], f"/{path} at {SCREENS[screen]['viewport']['width']} px:\n" + "\n".join(problems)


def test_every_page_kind_reflows_at_320_px(browser: Browser, site: str):
    """WCAG 1.4.10 measures reflow at 320 CSS px (1280 px zoomed to 400%): nothing scrolls sideways there either."""
    context = browser.new_context(**{**PHONE_CONTEXT, "viewport": {"width": 320, "height": 640}})
    keep_offline(context, site)
    page = context.new_page()
    wide = {}
    for path in PAGE_KINDS.values():
        page.goto(site + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            wide[path] = overflow
    context.close()
    assert wide == {}, "pages that scroll sideways at 320 px (px too wide)"


@pytest.mark.parametrize("path", ["", "villages/nangang/"], ids=["home", "village"])
def test_a_drawn_map_with_a_place_opened_from_the_keyboard_meets_the_bars(tab: Page, site: str, path: str):
    tab.goto(site + path)
    tab.locator(".map-canvas").scroll_into_view_if_needed()
    marker = tab.locator(".map-ready .leaflet-marker-icon").first
    marker.focus()
    tab.keyboard.press("Enter")
    popup = tab.locator(".leaflet-popup")
    popup.wait_for()
    # Leaflet fades the popup in and pans the map to show it: measure once all has come to rest.
    tab.evaluate(
        """() => new Promise(done => {
            const popup = document.querySelector('.leaflet-popup'), give_up = performance.now() + 5000;
            let before = null;
            const settled = () => {
                const top = popup.getBoundingClientRect().top;
                if ((top === before && !document.getAnimations().length) || performance.now() > give_up) done();
                else { before = top; requestAnimationFrame(settled); }
            };
            requestAnimationFrame(settled);
        })"""
    )
    assert popup.locator(".leaflet-popup-close-button").get_attribute("aria-label") == "关闭"
    problems = problems_on(tab)
    assert problems == [], f"/{path} at {tab.viewport_size['width']} px:\n" + "\n".join(problems)


def main_text(page: Page) -> set[str]:
    """The lines a reader sees in <main>, less the map's box (with JavaScript, Leaflet draws there) and the
    buttons JavaScript shows where they can work (share, copy): controls, not words to read."""
    text = page.evaluate(
        "() => { document.querySelectorAll('.map-canvas, button[data-share], button[data-copy]')"
        ".forEach(m => m.remove());"
        " return document.querySelector('main').innerText; }"
    )
    return {line.strip() for line in text.splitlines() if line.strip()}


@pytest.mark.parametrize("slug", VILLAGES.values(), ids=VILLAGES.keys())
def test_a_village_page_reads_without_javascript(browser: Browser, site: str, slug: str):
    contexts = [browser.new_context(**PHONE_CONTEXT, java_script_enabled=enabled) for enabled in (False, True)]
    without, with_js = (context.new_page() for context in contexts)
    for context in contexts:
        keep_offline(context, site)
    for page in (without, with_js):
        page.goto(site + f"villages/{slug}/")
    for part in (
        "h1",
        ".lead",
        ".prose p",
        ".facts dl",
        "#visit dl",
        "#location .place .coords",
        "#location .navigate a",
    ):
        assert without.locator(part).first.is_visible(), f"{part} is hidden without JavaScript"
    assert without.locator(".hero img").evaluate("img => img.complete && img.naturalWidth > 0")
    assert without.locator(".map-canvas").is_hidden(), "without JavaScript the map is its list"
    assert main_text(with_js) - main_text(without) == set(), "text that only JavaScript shows"
    for context in contexts:
        context.close()
