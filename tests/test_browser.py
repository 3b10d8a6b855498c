"""What a visitor on a phone sees and does, in headless Chromium, with the site served under /sub/."""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import run_cli

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PHONE = {"width": 390, "height": 844}

try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # pragma: no cover - the test extras install it
    sync_playwright = None

if CHROMIUM is None or sync_playwright is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI must run the browser tests: .ci/run installs chromium and the test extras")
    pytest.skip("browser tests need chromium (apt-get install chromium) and playwright", allow_module_level=True)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("host")
    with pytest.MonkeyPatch.context() as patch:  # encode into a temporary cache, not the checkout's
        patch.setenv("VILLAGESITE_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "example-cache"))
        result = run_cli("build", "--site", REPO, "--output", root / "sub", "--base-url", "/sub/")
    assert result.code == 0, result.err
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/sub/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield launched
        launched.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


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
