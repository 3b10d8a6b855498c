"""Creators' videos as a visitor meets them in Chromium (issue 21): nothing leaves the site until the
visitor taps a card; a tap on a card that may play here loads the platform's player in its place; other
cards, and every card without JavaScript, link out."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from browsers import DESKTOP_CONTEXT, PHONE_CONTEXT, browser, serve  # noqa: F401 (fixture)
from checkers import axe_script, nu_checker
from conftest import photo_bytes, run_cli, write_site
from made_videos import make_video
from test_quality_bars import keep_offline, problems_on

BILIBILI = "https://www.bilibili.com/video/BV1GJ411x7h7"
DOUYIN = "https://v.douyin.com/iRNBho6u/"
STORY = f"""---
title: 龙舟记
summary: 端午划龙舟。
date: 2026-06-01
videos:
  - {{url: "{BILIBILI}", title: 逢简水乡一日游, cover: frame.jpg, duration: 205, embed: true}}
  - {{url: "{DOUYIN}", title: 划龙舟, cover: frame.jpg}}
---

正文。
"""


@pytest.fixture(scope="module")
def address(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = write_site(
        tmp_path_factory.mktemp("videos") / "site",
        {
            "content/stories/dragon/index.md": STORY,
            "content/stories/dragon/frame.jpg": photo_bytes(640, 360),
        },
    )
    result = run_cli("build", "--site", root)
    assert result.code == 0, result.err
    with serve(root / "output") as here:
        yield here


def visit(browser, here: str, *, javascript: bool = True):  # noqa: F811 (the fixture, passed on)
    """A phone on the page, every request recorded; nothing beyond the site is let through."""
    context = browser.new_context(**PHONE_CONTEXT, java_script_enabled=javascript)
    asked: list[str] = []

    def route(route) -> None:
        asked.append(route.request.url)
        if route.request.url.startswith(here):
            route.continue_()
        else:  # the platform, answered here: the test needs no network
            route.fulfill(status=200, content_type="text/html", body="<!doctype html><title>player</title>")

    context.route("**/*", route)
    page = context.new_page()
    page.goto(here + "stories/dragon/", wait_until="networkidle")
    return context, page, asked


def test_no_request_leaves_the_site_until_the_visitor_taps_then_the_player_loads_in_place(browser, address):  # noqa: F811
    context, page, asked = visit(browser, address)
    try:
        page.mouse.wheel(0, 2000)  # scrolled past the videos: lazy covers load, nothing else should
        page.wait_for_timeout(300)
        assert [url for url in asked if not url.startswith(address)] == []
        card = page.locator("a.video-out[data-player]")
        assert card.is_visible()
        card.tap()
        frame = page.locator(".video-frame iframe.video-player")
        frame.wait_for()
        assert frame.get_attribute("src") == (
            "https://player.bilibili.com/player.html?bvid=BV1GJ411x7h7&autoplay=1&danmaku=0"
        )
        assert frame.get_attribute("title") == "逢简水乡一日游"
        page.wait_for_load_state("networkidle")
        outside = [url for url in asked if not url.startswith(address)]
        assert outside and all(url.startswith("https://player.bilibili.com/") for url in outside), outside
        assert page.url == address + "stories/dragon/"  # played here, not taken away
        # The title stays, out of the link that was replaced; the Douyin card still links out.
        assert page.locator(".video-bilibili .video-title").inner_text() == "逢简水乡一日游"
        assert page.locator("a.video-out[data-player]").count() == 0
        assert page.locator(f'.video-douyin a.video-out[href="{DOUYIN}"]').count() == 1
    finally:
        context.close()


def test_a_card_that_cannot_play_here_links_out(browser, address):  # noqa: F811
    context, page, asked = visit(browser, address)
    try:
        with page.expect_navigation():
            page.locator(".video-douyin a.video-out").tap()
        assert page.url == DOUYIN
        assert not [url for url in asked if "bilibili" in url]
    finally:
        context.close()


def test_without_javascript_the_card_that_may_play_here_links_out(browser, address):  # noqa: F811
    context, page, asked = visit(browser, address, javascript=False)
    try:
        with page.expect_navigation():
            page.locator(".video-bilibili a.video-out").click()
        assert page.url == BILIBILI
        assert not [url for url in asked if "player.bilibili.com" in url]
    finally:
        context.close()


def test_the_card_shows_its_cover_play_mark_and_length_over_the_cover(browser, address):  # noqa: F811
    context, page, _ = visit(browser, address)
    try:
        cover = page.locator(".video-bilibili .video-cover").bounding_box()
        play = page.locator(".video-bilibili .video-play").bounding_box()
        length = page.locator(".video-bilibili .video-length")
        assert cover and play and cover["width"] > 300  # a phone's width, less the margins
        assert abs(cover["width"] / cover["height"] - 16 / 9) < 0.02
        centre = (play["x"] + play["width"] / 2, play["y"] + play["height"] / 2)
        assert abs(centre[0] - (cover["x"] + cover["width"] / 2)) < 2
        assert abs(centre[1] - (cover["y"] + cover["height"] / 2)) < 2
        assert length.inner_text().endswith("3:25")
        box = length.bounding_box()
        assert box and box["x"] + box["width"] <= cover["x"] + cover["width"]
        assert box["y"] + box["height"] <= cover["y"] + cover["height"]
    finally:
        context.close()


VILLAGE = """---
title: 逢简村
style: cantonese
city: 佛山市
location: {lat: 22.81, lon: 113.15}
summary: 水乡古村。
date: 2026-05-01
videos:
  - {url: "https://b23.tv/abc123", title: 逢简水乡, cover: frame.jpg, creator: {name: 阿强, url: "https://space.bilibili.com/1"}}
  - {url: "https://www.douyin.com/video/7301234567890123456", title: 划龙舟}
---

正文。

https://www.xiaohongshu.com/explore/64a1b2c3d4e5f60718293a4b
"""

HARVEST = """---
title: 开镰节
summary: 稻田开镰。
start: 2026-09-20
village: fengjian
videos:
  - {src: harvest.mp4, title: 稻田收割, creator: 阿珍}
---

正文。
"""


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """Pages with every kind of video: a village's section with its story's and its event's (a file), the home
    page's pick."""
    made = make_video(tmp_path_factory.mktemp("made") / "harvest.mp4", "mp4", "libx264", audio="aac")
    root = write_site(
        tmp_path_factory.mktemp("videos-checked") / "site",
        {
            "site.yaml": "title: 测试古村\nbase_url: /\nlanguages: [zh-Hant]\n",
            "content/villages/fengjian/index.md": VILLAGE,
            "content/villages/fengjian/frame.jpg": photo_bytes(640, 360),
            "content/stories/dragon/index.md": STORY.replace(
                "date: 2026-06-01", "date: 2026-06-01\nvillages: [fengjian]"
            ),
            "content/stories/dragon/frame.jpg": photo_bytes(640, 360),
            "content/events/harvest/index.md": HARVEST,
            "content/events/harvest/harvest.mp4": made.read_bytes(),
        },
    )
    result = run_cli("build", "--site", root)
    assert result.code == 0, result.err
    with serve(root / "output") as here:
        yield root / "output", here


@pytest.mark.parametrize("screen", ["phone", "desktop"])
@pytest.mark.parametrize(
    "path", ["", "villages/fengjian/", "stories/dragon/", "events/harvest/", "zh-hant/villages/fengjian/"]
)
def test_pages_with_videos_meet_the_quality_bars(browser, checked, screen: str, path: str):  # noqa: F811
    context = browser.new_context(**(PHONE_CONTEXT if screen == "phone" else DESKTOP_CONTEXT))
    context.add_init_script(path=axe_script())
    keep_offline(context, checked[1])
    page = context.new_page()
    try:
        assert page.goto(checked[1] + path).ok
        assert page.locator(".video").count() > 0
        problems = problems_on(page)
        assert problems == [], f"/{path} at {screen}:\n" + "\n".join(problems)
    finally:
        context.close()


def test_pages_with_videos_are_valid_html(checked):
    done = subprocess.run(
        [*nu_checker(), "--format", "json", "--skip-non-html", str(checked[0])],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    messages = json.loads(done.stderr)["messages"]
    assert [f"{m.get('url', '')}:{m.get('lastLine')}: {m['message']}" for m in messages] == []


def test_a_video_file_downloads_nothing_but_its_poster_until_played(browser, checked):  # noqa: F811
    context = browser.new_context(**PHONE_CONTEXT)
    asked: list[str] = []
    context.on("request", lambda request: asked.append(request.url))
    page = context.new_page()
    try:
        page.goto(checked[1] + "events/harvest/", wait_until="networkidle")
        video = page.locator(".video-file video")
        video.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        assert not [url for url in asked if url.endswith(".mp4")], asked
        assert [url for url in asked if "/img/harvest." in url]  # the poster, a frame of the video
        assert video.evaluate("v => v.preload") == "none" and video.evaluate("v => v.playsInline")
        video.evaluate("v => { v.muted = true; return v.play().catch(() => null); }")
        page.wait_for_timeout(500)
        assert [url for url in asked if url.endswith("/events/harvest/harvest.mp4")]
    finally:
        context.close()
