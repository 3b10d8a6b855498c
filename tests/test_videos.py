"""Creators' video links: the platform, the video's id and the embeddable player, from each URL form (issue 21)."""

from __future__ import annotations

import pytest

from villagesite.videos import EMBEDDABLE, PLATFORMS, VideoLink, recognise

BV = "BV1GJ411x7h7"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # Douyin: the web page, the share page, and the app's short link (which hides the id).
        ("https://www.douyin.com/video/7312345678901234567", VideoLink("douyin", "7312345678901234567", False, None)),
        (
            "https://www.iesdouyin.com/share/video/7312345678901234567/",
            VideoLink("douyin", "7312345678901234567", False, None),
        ),
        ("https://v.douyin.com/iRNBho6u/", VideoLink("douyin", None, True, None)),
        # Bilibili: BV and av ids, the phone site, b23.tv; its player loads only when tapped.
        (
            f"https://www.bilibili.com/video/{BV}/?spm_id_from=333.337",
            VideoLink("bilibili", BV, False, f"https://player.bilibili.com/player.html?bvid={BV}&autoplay=0&danmaku=0"),
        ),
        (
            "https://m.bilibili.com/video/av170001",
            VideoLink(
                "bilibili", "av170001", False, "https://player.bilibili.com/player.html?aid=170001&autoplay=0&danmaku=0"
            ),
        ),
        ("https://b23.tv/xY3kLmN", VideoLink("bilibili", None, True, None)),
        # Xiaohongshu: a note's page (explore or discovery), and xhslink.com.
        (
            "https://www.xiaohongshu.com/explore/64a1b2c3d4e5f6a7b8c9d0e1?xsec_token=x",
            VideoLink("xiaohongshu", "64a1b2c3d4e5f6a7b8c9d0e1", False, None),
        ),
        (
            "https://www.xiaohongshu.com/discovery/item/64a1b2c3d4e5f6a7b8c9d0e1",
            VideoLink("xiaohongshu", "64a1b2c3d4e5f6a7b8c9d0e1", False, None),
        ),
        ("http://xhslink.com/a/AbCdEf", VideoLink("xiaohongshu", None, True, None)),
        # WeChat Channels (视频号): its web address and the share link.
        ("https://channels.weixin.qq.com/web/pages/feed?oid=abc", VideoLink("channels", None, False, None)),
        ("https://weixin.qq.com/sph/AbCdEf123", VideoLink("channels", None, True, None)),
        # Kuaishou: the web page, the phone share page, v.kuaishou.com and kuaishou.com/f/.
        ("https://www.kuaishou.com/short-video/3xabcdef123", VideoLink("kuaishou", "3xabcdef123", False, None)),
        ("https://m.gifshow.com/fw/photo/3xabcdef123", VideoLink("kuaishou", "3xabcdef123", False, None)),
        ("https://v.kuaishou.com/AbCd12", VideoLink("kuaishou", None, True, None)),
        ("https://www.kuaishou.com/f/X-AbCd12", VideoLink("kuaishou", None, True, None)),
        # YouTube: watch, youtu.be, shorts; the player from the no-cookie domain.
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
            VideoLink("youtube", "dQw4w9WgXcQ", False, "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ),
        (
            "https://youtu.be/dQw4w9WgXcQ?si=x",
            VideoLink("youtube", "dQw4w9WgXcQ", True, "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ),
        (
            "https://youtube.com/shorts/dQw4w9WgXcQ",
            VideoLink("youtube", "dQw4w9WgXcQ", False, "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ),
        ("https://www.youtube.com/watch?v=short", VideoLink("youtube", None, False, None)),
    ],
)
def test_each_platform_is_recognised_in_the_forms_its_app_shares(url: str, expected: VideoLink):
    assert recognise(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/harvest.mp4",
        "https://notdouyin.com/video/1",  # a look-alike domain is not the platform
        "https://douyin.com.example.net/video/1",
        "https://www.bilibili.cn.evil.example/video/BV1GJ411x7h7",
        "not a url",
        "",
    ],
)
def test_an_address_of_no_known_platform_is_not_taken_for_one(url: str):
    assert recognise(url) is None


def test_only_platforms_with_a_standard_player_get_an_embed():
    assert set(EMBEDDABLE) <= set(PLATFORMS)
    assert recognise("https://www.douyin.com/video/7312345678901234567").embed is None
