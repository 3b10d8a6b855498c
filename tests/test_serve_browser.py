"""The preview in a real browser: a save shows up without touching the phone; errors show over the page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import browsers
import pytest
from conftest import village
from playwright.sync_api import Page, expect
from test_serve import small_site, use_own_theme, wait_for

from villagesite import i18n
from villagesite.preview import Preview, PreviewServer

browser, phone = browsers.browser, browsers.phone  # the fixtures


@pytest.fixture
def preview(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PreviewServer]:
    monkeypatch.setenv("VILLAGESITE_CACHE_DIR", str(tmp_path / "cache"))
    root = small_site(tmp_path / "site")
    use_own_theme(root, {"themes/mine/static/style.css": "body { outline-color: rgb(1, 2, 3); }\n"})
    server = PreviewServer(Preview(root), port=0, say=lambda line: None)
    server.listen()
    assert not server.preview.build().failed, server.preview.error
    server.start()
    yield server
    server.stop()


def test_saving_shows_the_change_then_an_error_overlay_then_the_fixed_page(preview: PreviewServer, phone: Page):
    page_file = preview.preview.site_dir / "content/villages/fengjian/index.md"
    phone.goto(f"http://127.0.0.1:{preview.port}/villages/fengjian/")
    expect(phone.get_by_text("水乡正文。")).to_be_visible()
    wait_for(lambda: preview.hub.sockets)  # the page's script is connected

    page_file.write_text(village("逢简村", body="村民刚刚改好的正文。"), encoding="utf-8")
    expect(phone.get_by_text("村民刚刚改好的正文。")).to_be_visible(timeout=10_000)

    page_file.write_text("---\ntitle: 逢简村\nstyle: [cantonese\n---\n正文\n", encoding="utf-8")
    overlay = phone.locator("#villagesite-error")
    expect(overlay).to_be_visible(timeout=10_000)
    expect(overlay).to_contain_text("content/villages/fengjian/index.md:3")
    expect(phone.get_by_text("村民刚刚改好的正文。")).to_be_attached()  # the last good page is underneath

    page_file.write_text(village("逢简村", body="修好以后的正文。"), encoding="utf-8")
    expect(phone.get_by_text("修好以后的正文。")).to_be_visible(timeout=10_000)
    expect(overlay).to_have_count(0)


def test_a_page_opened_while_the_site_is_broken_shows_why(preview: PreviewServer, phone: Page):
    page_file = preview.preview.site_dir / "content/villages/fengjian/index.md"
    page_file.write_text(village("逢简村", style="guangfu"), encoding="utf-8")
    wait_for(lambda: preview.preview.error)
    phone.goto(f"http://127.0.0.1:{preview.port}/villages/weilong/")
    expect(phone.locator("#villagesite-error")).to_contain_text("'guangfu' is not one of")


def test_a_stylesheet_edit_restyles_the_page_without_reloading_it(preview: PreviewServer, phone: Page):
    phone.goto(f"http://127.0.0.1:{preview.port}/villages/fengjian/")
    wait_for(lambda: preview.hub.sockets)
    phone.evaluate("window.notReloaded = true")
    colour = "getComputedStyle(document.body).outlineColor"
    assert phone.evaluate(colour) == "rgb(1, 2, 3)"
    stylesheet = preview.preview.site_dir / "themes/mine/static/style.css"
    stylesheet.write_text("body { outline-color: rgb(200, 10, 20); }\n", encoding="utf-8")
    phone.wait_for_function(f"{colour} === 'rgb(200, 10, 20)'", timeout=10_000)
    assert phone.evaluate("window.notReloaded") is True


def test_the_overlay_speaks_the_editor_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, phone: Page):
    """Started in Chinese (as `LANG=zh_CN.UTF-8 villagesite serve` starts it), the overlay's every word is Chinese."""
    i18n.set_language(i18n.SIMPLIFIED)  # the conftest puts English back after the test
    monkeypatch.setenv("VILLAGESITE_CACHE_DIR", str(tmp_path / "cache"))
    root = small_site(tmp_path / "site")
    (root / "content/villages/fengjian/index.md").write_text(village("逢简村", style="guangfu"), encoding="utf-8")
    server = PreviewServer(Preview(root), port=0, say=lambda line: None)
    server.listen()
    server.preview.build()
    server.start()
    try:
        phone.goto(f"http://127.0.0.1:{server.port}/villages/weilong/")
        overlay = phone.locator("#villagesite-error")
        expect(overlay).to_contain_text("content/villages/fengjian/index.md:3: style: “guangfu”不是可用的值")
        expect(overlay).to_have_attribute("lang", "zh-Hans")
        expect(overlay).to_contain_text("生成出错")
        expect(overlay.get_by_role("button")).to_have_text("关闭")
        assert not any(word in overlay.inner_text() for word in ("Build error", "Close", "last good page"))
    finally:
        server.stop()
