"""What a visitor on a phone sees and does, in headless Chromium, with the site served under /sub/."""

from __future__ import annotations

from collections.abc import Iterator

import browsers
import pytest
from browsers import PHONE, PHONE_CONTEXT, serve
from conftest import build_example_site
from playwright.sync_api import Browser, Page

browser, phone = browsers.browser, browsers.phone  # the fixtures


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    built = build_example_site(tmp_path_factory, "/sub/")
    with serve(built.parent) as address:
        yield address + "sub/"


def assert_fits_the_screen(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px on a phone"


def test_village_page_on_a_phone(server: str, phone: Page):
    phone.goto(server + "villages/fengjian/")
    heading = phone.locator("h1")
    assert heading.is_visible()
    assert "逢简" in heading.inner_text()
    assert_fits_the_screen(phone)
    # The stylesheet was found under /sub/: the header has the style's colour, not the browser default.
    header_colour = phone.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
    assert header_colour not in ("rgba(0, 0, 0, 0)", "transparent")
    broken = phone.evaluate("[...document.images].filter(i => i.complete && i.naturalWidth === 0).map(i => i.src)")
    assert broken == []
    hero = phone.locator(".hero img")
    assert hero.evaluate("img => img.naturalWidth") > 0


def test_visitor_goes_from_home_to_a_style_and_a_village(server: str, phone: Page):
    phone.goto(server)
    assert_fits_the_screen(phone)
    phone.locator(".styles a", has_text="客家").click()
    phone.wait_for_url(server + "styles/hakka/")
    cards = phone.locator(".card a")
    assert cards.count() >= 2
    first_title = cards.first.locator(".card-title").inner_text()
    cards.first.click()
    assert phone.locator("h1").inner_text().startswith(first_title)


def test_keyboard_user_can_skip_to_content(server: str, phone: Page):
    phone.goto(server + "villages/")
    phone.keyboard.press("Tab")
    skip = phone.locator("a.skip")
    assert skip.evaluate("el => el === document.activeElement")
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0, "the focused skip link must be on screen"


def test_unknown_address_shows_the_styled_404(server: str, phone: Page):
    response = phone.goto(server + "404.html")
    assert response is not None and response.ok
    assert phone.locator("h1").inner_text() == "找不到这个页面"
    phone.locator("main a", has_text="回到首页").click()
    phone.wait_for_url(server)


def keep_offline(page: Page, server: str) -> list[str]:
    """Block everything but the local site (map tiles); return the list of local URLs requested."""
    requested: list[str] = []

    def route(route_: object) -> None:
        request = route_.request  # type: ignore[attr-defined]
        if request.url.startswith(server):
            requested.append(request.url)
            route_.continue_()  # type: ignore[attr-defined]
        else:
            route_.abort()  # type: ignore[attr-defined]

    page.route("**/*", route)
    return requested


def test_without_javascript_the_map_is_a_list_with_coordinates_and_navigate_links(server: str, browser: Browser):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    keep_offline(page, server)
    page.goto(server + "villages/nangang/")
    assert page.locator(".map-canvas").is_hidden()
    place = page.locator("#location .place").first
    assert place.is_visible()
    assert "北纬 24.6200°，东经 112.1400°" in place.inner_text()
    links = place.locator(".navigate a")
    assert [links.nth(i).inner_text() for i in range(links.count())] == [
        "高德地图",
        "百度地图",
        "Apple 地图",
        "OpenStreetMap",
    ]
    assert all(links.nth(i).bounding_box()["height"] >= 24 for i in range(links.count()))
    home = context.new_page()
    home.goto(server)
    assert home.locator(".map-list .place").count() >= 12
    context.close()


def test_leaflet_loads_only_when_the_map_scrolls_into_view(server: str, phone: Page):
    requested = keep_offline(phone, server)
    phone.goto(server + "villages/fengjian/", wait_until="networkidle")
    assert not [url for url in requested if "leaflet" in url], "Leaflet must wait until the map is in view"
    assert phone.locator(".map-canvas").is_visible(), "with JavaScript the map's box is shown"
    phone.locator("#location").scroll_into_view_if_needed()
    phone.wait_for_selector(".map-block.map-ready .leaflet-marker-icon", timeout=10_000)
    assert any("/vendor/leaflet/leaflet." in url and url.endswith(".js") for url in requested)
    assert any(url.endswith(".css") and "leaflet" in url for url in requested)
    assert_fits_the_screen(phone)


def test_home_map_shows_every_village_from_the_geojson(server: str, phone: Page):
    requested = keep_offline(phone, server)
    phone.goto(server, wait_until="networkidle")
    assert not [url for url in requested if "leaflet" in url or url.endswith(".geojson")]
    phone.locator("#map-heading").scroll_into_view_if_needed()
    phone.wait_for_selector(".map-block.map-ready .leaflet-marker-icon", timeout=10_000)
    assert phone.locator(".leaflet-marker-icon").count() == 13
    assert phone.locator(".map-list").evaluate("d => d.open") is False, "the list folds away under the map"


def test_a_visitor_finds_a_homestay_calls_it_and_copies_its_wechat_id(server: str, browser: Browser):
    context = browser.new_context(**PHONE_CONTEXT)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.split("/sub/")[0])
    page = context.new_page()
    page.goto(server + "villages/fengjian/")
    page.locator("#places .place-title a", has_text="水岸人家民宿").click()
    page.wait_for_url(server + "places/shuian-minsu/")
    assert_fits_the_screen(page)
    assert page.locator(".quick a", has_text="打电话").get_attribute("href") == "tel:075700000001"
    copy = page.locator("button.copy")
    copy.click()  # shown: this browser may write the clipboard
    page.wait_for_function("document.querySelector('button.copy').textContent === '已复制'")
    assert page.evaluate("navigator.clipboard.readText()") == "shuian_sample"
    page.locator("a", has_text="回到逢简村").click()
    page.wait_for_url(server + "villages/fengjian/")
    context.close()


def test_the_home_map_shows_places_as_a_layer_a_visitor_can_switch_off(server: str, phone: Page):
    here = server.split("/sub/")[0]
    phone.route("**/*", lambda route: route.continue_() if route.request.url.startswith(here) else route.abort())
    phone.goto(server)
    phone.locator(".map-block[data-places]").scroll_into_view_if_needed()
    phone.wait_for_selector(".map-block.map-layers")
    places = phone.locator(".leaflet-marker-icon.pin-place")
    assert places.count() == 0  # off at first: near their villages, they would crowd the villages' pins
    assert phone.locator(".leaflet-marker-icon:not(.pin-place)").count() == 13  # the villages
    switch = phone.locator(".leaflet-control-layers label", has_text="住·食·购·学").locator("input")
    switch.check()
    assert places.count() == 8  # every sample place, at its own location or its village's
    places.first.focus()  # from the keyboard: at this zoom a village's pin lies over it
    phone.keyboard.press("Enter")
    assert phone.locator(".leaflet-popup a").first.get_attribute("href").startswith("/sub/places/")
    switch.uncheck()
    assert places.count() == 0
