"""Headless Chromium for the tests that look at pages as a person does (the system's chromium, via Playwright).

Import the fixtures into a test module (``from browsers import browser, phone``);
importing this module skips the test module when no browser is installed,
except in CI, where that is an error. ``serve(folder)`` serves a built site on
localhost for the browser.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PHONE = {"width": 390, "height": 844}
# new_context() settings of the two screens the quality bars are checked at: a phone and a laptop.
PHONE_CONTEXT = {"viewport": PHONE, "device_scale_factor": 2, "is_mobile": True, "has_touch": True, "locale": "zh-CN"}
DESKTOP_CONTEXT = {"viewport": {"width": 1280, "height": 800}, "locale": "zh-CN"}

try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # pragma: no cover - the test extras install it
    sync_playwright = None

if CHROMIUM is None or sync_playwright is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI must run the browser tests: .ci/run installs chromium and the test extras")
    pytest.skip("browser tests need chromium (apt-get install chromium) and playwright", allow_module_level=True)


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
    """A page at a phone's size, in Chinese, with touch."""
    context = browser.new_context(**PHONE_CONTEXT)
    page = context.new_page()
    yield page
    context.close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # A browser that stops a download it no longer needs is no error of the site.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over HTTP on localhost; yield its address (``http://127.0.0.1:<port>/``)."""
    httpd = _Server(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
