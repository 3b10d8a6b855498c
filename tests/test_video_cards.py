"""Creators' videos on a page (issue 21): light cards that link out, a village's section gathering those of
its stories and events, the home page's pick, structured data, videos linked alone on a line, bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import photo_bytes, run_cli, village

BILIBILI = "https://www.bilibili.com/video/BV1GJ411x7h7"
DOUYIN = "https://v.douyin.com/iRNBho6u/"
XHS = "https://www.xiaohongshu.com/explore/64a1b2c3d4e5f60718293a4b"

VILLAGE_VIDEOS = f"""date: 2026-05-01
videos:
  - url: {BILIBILI}
    title: 逢简水乡一日游
    cover: frame.jpg
    duration: 3:25
    embed: true
    creator: {{name: 阿强, url: https://space.bilibili.com/123}}
  - url: {DOUYIN}
    title: 划龙舟
    cover: {{src: boat.jpg, alt: 龙舟在河涌里}}
"""
STORY = f"""---
title: 龙舟记
summary: 端午划龙舟。
date: 2026-06-01
villages: [fengjian]
videos:
  - url: {XHS}
    title: 龙舟饭
    cover: race.jpg
    creator: 村民阿珍
---

正文。
"""
EVENT = """---
title: 逢简龙舟赛
summary: 端午龙舟赛。
start: 2026-06-19
village: fengjian
videos:
  - {url: "https://www.youtube.com/watch?v=dQw4w9WgXcQ", title: 去年的龙舟赛, cover: last.jpg, duration: "1:02:03"}
---

正文。
"""


def sections(html: str) -> str:
    return html.split('<section class="videos-section"')[1].split("</section>")[0]


def cards(html: str) -> list[str]:
    return re.findall(r'<li class="video.*?</li>', html, re.S)


def video_objects(html: str) -> list[dict]:
    for text in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        data = json.loads(text)
        if any(node.get("@type") == "VideoObject" for node in data.get("@graph", ())):
            return data["@graph"]
    return []


@pytest.fixture
def built(site) -> Path:
    root = site(
        {
            "site.yaml": "title: 测试古村\nbase_url: https://example.org/\nlanguages: [zh-Hant, en]\n",
            "content/villages/fengjian/index.md": village(extra=VILLAGE_VIDEOS),
            "content/villages/fengjian/index.en.md": (
                "---\ntitle: Fengjian Village\nsummary: A water town.\nvideos:\n"
                "  - {title: A day in Fengjian}\n  - {title: Rowing the dragon boat}\n---\n\nBody.\n"
            ),
            "content/villages/fengjian/frame.jpg": photo_bytes(640, 360),
            "content/villages/fengjian/boat.jpg": photo_bytes(640, 360, (30, 90, 160)),
            "content/stories/dragon/index.md": STORY,
            "content/stories/dragon/race.jpg": photo_bytes(640, 360, (160, 30, 30)),
            "content/events/race/index.md": EVENT,
            "content/events/race/last.jpg": photo_bytes(640, 360, (30, 160, 30)),
            "content/places/apo/index.md": (
                "---\ntitle: 阿婆农家菜\nsummary: 河边的农家菜。\nkind: restaurant\nvillage: fengjian\nvideos:\n"
                f"  - {{url: '{DOUYIN}', title: 阿婆做鱼生, cover: fish.jpg, creator: 阿婆的孙女}}\n---\n\n正文。\n"
            ),
            "content/places/apo/fish.jpg": photo_bytes(640, 360, (200, 200, 200)),
        }
    )
    result = run_cli("build", "--site", root)
    assert result.code == 0, result.err
    assert "videos" not in result.err, result.err  # every video has its cover: nothing to warn of
    return root / "output"


def test_a_village_shows_its_videos_then_those_of_its_stories_and_events_newest_first(built):
    html = (built / "villages/fengjian/index.html").read_text(encoding="utf-8")
    section = sections(html)
    assert '<h2 id="videos-heading">短视频</h2>' in section
    titles = re.findall(r'class="video-title">(.*?)</h3>', section)
    assert titles == [
        "逢简水乡一日游",
        "划龙舟",
        "去年的龙舟赛",
        "龙舟饭",
    ]  # the event (06-19) before the story (06-01)
    story_card, event_card = cards(section)[3], cards(section)[2]
    assert '<a href="/stories/dragon/">龙舟记</a>' in story_card and "拍摄：村民阿珍" in story_card
    assert '<a href="/events/race/">逢简龙舟赛</a>' in event_card and "1:02:03" in event_card
    own = cards(section)[0]
    assert "/villages/fengjian/" not in own.split("video-meta")[1]  # its own videos do not name the page
    assert '<a href="#videos">短视频</a>' in html  # in the section bar


def test_a_card_links_out_with_its_cover_length_platform_and_creator_and_loads_nothing_of_the_platform(built):
    html = (built / "villages/fengjian/index.html").read_text(encoding="utf-8")
    first, second = cards(sections(html))[:2]
    assert f'<a class="video-out" href="{BILIBILI}" rel="noopener external"' in first
    assert (
        'data-player="https://player.bilibili.com/player.html?bvid=BV1GJ411x7h7&amp;autoplay=1&amp;danmaku=0"' in first
    )
    assert '<span class="visually-hidden">时长 </span>3:25</span>' in first
    assert "轻触在此播放" in first
    assert '拍摄：<a href="https://space.bilibili.com/123" rel="noopener external">阿强</a>' in first
    assert 'alt=""' in first  # the title names the link: the cover is decoration unless alt is written
    assert "/img/frame." in first and "<picture>" in first
    assert "data-player" not in second and "在抖音观看" in second and 'alt="龙舟在河涌里"' in second
    # Nothing of a platform is in the page but the links: no iframe, no script, no image from it.
    assert "<iframe" not in html
    for tag in re.findall(r"<(?:script|img|source|link|iframe)\b[^>]*>", html):
        assert "bilibili" not in tag and "douyin" not in tag and "youtube" not in tag, tag
    assert re.search(r'<script src="/theme/video\.[0-9a-f]+\.js" defer></script>', html)


def test_a_page_without_a_video_to_play_here_does_not_load_the_tap_script(built):
    story = (built / "stories/dragon/index.html").read_text(encoding="utf-8")
    assert "/theme/video." not in story
    assert "龙舟饭" in sections(story)


def test_stories_events_and_the_home_page_show_videos(built):
    story = sections((built / "stories/dragon/index.html").read_text(encoding="utf-8"))
    assert "在小红书观看" in story and "/stories/dragon/" not in story  # its own: not named again
    event = sections((built / "events/race/index.html").read_text(encoding="utf-8"))
    assert "在YouTube观看" in event and "youtube.com/watch?v=dQw4w9WgXcQ" in event
    place = sections((built / "places/apo/index.html").read_text(encoding="utf-8"))
    assert "阿婆做鱼生" in place and "拍摄：阿婆的孙女" in place and "/img/fish." in place
    home = (built / "index.html").read_text(encoding="utf-8")
    picks = home.split('<h2 id="videos-heading">村里的短视频</h2>')[1].split("</section>")[0]
    # One a page, newest first: the event's, the story's, the village's first; the place's has no date.
    titles = re.findall(r'class="video-title">(.*?)</h3>', picks)
    assert titles == ["去年的龙舟赛", "龙舟饭", "逢简水乡一日游", "阿婆做鱼生"]
    assert '<a href="/villages/fengjian/">逢简村</a>' in picks


def test_each_edition_names_the_platforms_in_its_language_and_translates_the_titles(built):
    hant = sections((built / "zh-hant/villages/fengjian/index.html").read_text(encoding="utf-8"))
    assert '<h2 id="videos-heading">短片</h2>' in hant
    assert "逢簡水鄉一日遊" in hant and "輕觸在此播放" in hant and "拍攝：<a" in hant
    english = (built / "en/villages/fengjian/index.html").read_text(encoding="utf-8")
    section = sections(english)
    assert '<h2 id="videos-heading">Short videos</h2>' in section
    assert re.findall(r'class="video-title">(.*?)</h3>', section)[:2] == ["A day in Fengjian", "Rowing the dragon boat"]
    assert "Watch on Douyin" in section and "Tap to play here" in section and "Filmed by: <a" in section
    assert "龙舟饭" not in section  # the story has no English page: its video is not on the English one
    objects = video_objects(english)
    assert objects[0]["name"] == "A day in Fengjian" and objects[0]["inLanguage"] == "en"


def test_videos_are_described_to_search_engines(built):
    objects = video_objects((built / "villages/fengjian/index.html").read_text(encoding="utf-8"))
    assert [o["name"] for o in objects] == ["逢简水乡一日游", "划龙舟", "去年的龙舟赛", "龙舟饭"]
    first = objects[0]
    assert first["@type"] == "VideoObject"
    assert first["thumbnailUrl"].startswith("https://example.org/img/frame.") and first["thumbnailUrl"].endswith(".jpg")
    assert first["uploadDate"] == "2026-05-01" and first["duration"] == "PT3M25S"
    assert first["embedUrl"] == "https://player.bilibili.com/player.html?bvid=BV1GJ411x7h7&autoplay=0&danmaku=0"
    assert first["url"] == BILIBILI
    assert first["creator"] == {"@type": "Person", "name": "阿强", "url": "https://space.bilibili.com/123"}
    assert objects[2]["duration"] == "PT1H2M3S" and objects[2]["uploadDate"] == "2026-06-19"
    assert objects[3]["isPartOf"]["url"] == "https://example.org/stories/dragon/"
    assert "embedUrl" not in objects[1]  # Douyin offers no player to embed


def test_a_video_linked_alone_on_its_line_in_the_text_is_a_card(site):
    body = (
        f"去年的视频：\n\n{BILIBILI}\n\n[龙舟下水]({DOUYIN})\n\n<{XHS}>\n\n"
        f"一句话里的链接 [视频]({DOUYIN}) 不变。\n\nhttps://example.org/not-a-video\n"
    )
    root = site(
        {
            "site.yaml": "title: 测试古村\nlanguages: [zh-Hant]\n",
            "content/villages/fengjian/index.md": village(body=body),
        }
    )
    assert run_cli("build", "--site", root).code == 0
    html = (root / "output/villages/fengjian/index.html").read_text(encoding="utf-8")
    found = re.findall(r'<p class="video-link video-(\w+)"><a class="video-out" href="([^"]+)">(.*?)</a></p>', html)
    assert [(platform, href) for platform, href, _ in found] == [
        ("bilibili", BILIBILI),
        ("douyin", DOUYIN),
        ("xiaohongshu", XHS),
    ]
    assert found[0][2] == '<span class="video-play"></span><span class="video-where">在哔哩哔哩观看</span>'
    assert '<span class="video-title">龙舟下水</span><span class="video-where">在抖音观看</span>' in found[1][2]
    assert f'一句话里的链接 <a href="{DOUYIN}">视频</a> 不变。' in html
    assert "<p>https://example.org/not-a-video</p>" in html
    hant = (root / "output/zh-hant/villages/fengjian/index.html").read_text(encoding="utf-8")
    assert "在嗶哩嗶哩觀看" in hant and "龍舟下水" in hant


@pytest.mark.parametrize(
    ("written", "field", "expected", "is_error"),
    [
        ("- {url: 'http://www.bilibili.com/video/BV1GJ411x7h7', title: 视频, cover: f.jpg}", "videos[0].url",
         "expected a link starting with https://, got 'http://www.bilibili.com/video/BV1GJ411x7h7'", True),
        ("- {url: 'https://example.com/v/1', title: 视频, cover: f.jpg}", "videos[0].url",
         "is on no video platform villagesite knows; it is shown as a plain link", False),
        (f"- {{url: '{DOUYIN}', title: 视频, cover: f.jpg, embed: true}}", "videos[0].embed",
         "this link has no player that works embedded", False),
        (f"- {{url: '{DOUYIN}', title: 视频}}", "videos[0].url", "has no cover", False),
        (f"- {{url: '{DOUYIN}', src: a.mp4, title: 视频}}", "videos[0].url", "give either url", True),
        ("- {title: 视频}", "videos[0].src", "is required: url (a link to the video on its platform)", True),
        (f"- {{url: '{DOUYIN}', cover: f.jpg}}", "videos[0].title", "is required (text)", True),
        (f"- {{url: '{DOUYIN}', title: 视频, cover: f.jpg, duration: 三分钟}}", "videos[0].duration",
         "expected minutes:seconds or seconds, got '三分钟'", True),
        (f"- {{url: '{DOUYIN}', title: 视频, cover: nothere.jpg}}", "videos[0].cover",
         "image 'nothere.jpg' is not in the page's folder", True),
        (f"- {{url: '{DOUYIN}', title: 视频, poster: f.jpg}}", "videos[0].poster", "is for a video file (src)", True),
        (f"- {{url: '{DOUYIN}', title: 视频, cover: f.jpg, lenght: 3}}", "videos[0].lenght", "is not a known field here",
         True),
        ("- {src: harvest.mp4, title: 收割}", "videos[0].src", "video 'harvest.mp4' is not in the page's folder", True),
        ("- {src: notes.pdf, title: 收割}", "videos[0].src", "expected a video file beside the page", True),
        ("- {src: harvest.mp4, title: 收割, cover: f.jpg}", "videos[0].cover", "is for a linked video (url)", True),
        (f"- {{url: '{DOUYIN}', title: 视频, cover: f.jpg, creator: {{url: 'https://a.b/'}}}}",
         "videos[0].creator.name", "is required (text)", True),
        ("url: x", "videos", "expected a list, got", True),
    ],
)  # fmt: skip
def test_bad_videos_are_named_at_their_line(site, written: str, field: str, expected: str, is_error: bool):
    root = site(
        {
            "content/villages/fengjian/index.md": village(extra="videos:\n  " + written + "\n"),
            "content/villages/fengjian/f.jpg": photo_bytes(),
        }
    )
    result = run_cli("check", "--site", root)
    assert result.code == (1 if is_error else 0), result.err
    line = next((x for x in result.err.splitlines() if f": {field}:" in x), None)
    assert line is not None, result.err
    at = 7 if field == "videos" else 8  # the list's own line, or its item's
    assert line.startswith(f"content/villages/fengjian/index.md:{at}: {field}:"), line
    assert expected in line, line
    assert line.endswith("[warning]") != is_error, line


def test_a_translation_may_not_change_a_video_link(site):
    root = site(
        {
            "site.yaml": "title: 测试古村\nlanguages: [en]\n",
            "content/villages/fengjian/index.md": village(
                extra=f"videos:\n  - {{url: '{DOUYIN}', title: 划龙舟, cover: f.jpg}}\n"
            ),
            "content/villages/fengjian/f.jpg": photo_bytes(),
            "content/villages/fengjian/index.en.md": (
                f"---\ntitle: Fengjian\nvideos:\n  - {{url: '{BILIBILI}', title: Dragon boats}}\n---\n\nBody.\n"
            ),
        }
    )
    result = run_cli("check", "--site", root)
    assert result.code == 1
    assert "content/villages/fengjian/index.en.md:4: videos[0].url:" in result.err
    assert "differs from the original's" in result.err
