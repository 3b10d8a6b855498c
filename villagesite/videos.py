"""Which platform a creator's video link is on, and what its player is, from the URL alone.

Creators post villages on Douyin, Bilibili, Xiaohongshu, WeChat Channels (视频号), Kuaishou and
YouTube, and share them as the app copies them: a full address or a short link (``v.douyin.com``,
``b23.tv``, ``xhslink.com``). A page shows a light card that links out; nothing of the platform
loads with the page. Bilibili and YouTube offer a standard embeddable player, which a page may
load after the visitor taps (``embed``). Platform names are the theme's strings
(``platform_<key>``), not text here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True, slots=True)
class VideoLink:
    """What a video URL says: its platform (a key such as ``bilibili``), the video's id when the URL
    carries it (a short link does not: it redirects), and the address of the platform's embeddable
    player, where there is one."""

    platform: str
    video_id: str | None
    short: bool
    embed: str | None


PLATFORMS = ("douyin", "bilibili", "xiaohongshu", "channels", "kuaishou", "youtube")
"""Keys of the platforms recognised, as the theme names them (``platform_douyin``…)."""
PLATFORM_NAMES = ("抖音", "哔哩哔哩", "小红书", "视频号", "快手", "YouTube")
"""The platforms as editors know them, for messages (visitors read the theme's ``platform_<key>``)."""
EMBEDDABLE = ("bilibili", "youtube")
"""Platforms with a standard player that works embedded (after a tap, never on load)."""

_SHORT_HOSTS = {
    "v.douyin.com": "douyin",
    "b23.tv": "bilibili",
    "xhslink.com": "xiaohongshu",
    "v.kuaishou.com": "kuaishou",
    "youtu.be": "youtube",
}
_BILIBILI_ID = re.compile(r"^/(?:s/)?video/((?:BV|bv)[0-9A-Za-z]{10}|av\d+)")
_DOUYIN_ID = re.compile(r"^/(?:video|note)/(\d+)|^/share/(?:video|note)/(\d+)")
_XHS_ID = re.compile(r"^/(?:explore|discovery/item)/([0-9a-f]{24})")
_KUAISHOU_ID = re.compile(r"^/(?:short-video|fw/photo)/([0-9A-Za-z_-]+)")
_YOUTUBE_ID = re.compile(r"^[0-9A-Za-z_-]{11}$")


def _host(url: str) -> tuple[str, str, str]:
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    return host.removeprefix("www.").removeprefix("m."), parts.path or "/", parts.query


def _ends(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def recognise(url: str) -> VideoLink | None:
    """The platform of a video URL, or None for an address of no known platform (shown as a plain link)."""
    host, path, query = _host(url)
    if not host:
        return None
    if host in _SHORT_HOSTS:
        platform = _SHORT_HOSTS[host]
        if platform == "youtube":  # youtu.be/<id> carries the id
            video_id = path.strip("/").split("/")[0]
            return _youtube(video_id if _YOUTUBE_ID.match(video_id) else None, short=True)
        return VideoLink(platform, None, True, None)
    if _ends(host, "douyin.com") or _ends(host, "iesdouyin.com"):
        found = _DOUYIN_ID.match(path)
        return VideoLink("douyin", (found.group(1) or found.group(2)) if found else None, False, None)
    if _ends(host, "bilibili.com"):
        found = _BILIBILI_ID.match(path)
        video_id = found.group(1) if found else None
        return VideoLink("bilibili", video_id, False, _bilibili_player(video_id))
    if _ends(host, "xiaohongshu.com"):
        found = _XHS_ID.match(path)
        return VideoLink("xiaohongshu", found.group(1) if found else None, False, None)
    if host == "channels.weixin.qq.com" or (host == "weixin.qq.com" and path.startswith("/sph/")):
        return VideoLink("channels", None, host == "weixin.qq.com", None)
    if _ends(host, "kuaishou.com") or _ends(host, "gifshow.com"):
        found = _KUAISHOU_ID.match(path)
        return VideoLink("kuaishou", found.group(1) if found else None, path.startswith("/f/"), None)
    if _ends(host, "youtube.com") or _ends(host, "youtube-nocookie.com"):
        if path.startswith(("/shorts/", "/embed/", "/live/")):
            video_id = path.split("/")[2]
        else:
            video_id = (parse_qs(query).get("v") or [""])[0]
        return _youtube(video_id if _YOUTUBE_ID.match(video_id) else None, short=False)
    return None


def played_on_tap(embed: str) -> str:
    """The player's address for a visitor who tapped the card: it starts at once (the tap chose to play)."""
    if "autoplay=0" in embed:
        return embed.replace("autoplay=0", "autoplay=1")
    return embed + ("&" if "?" in embed else "?") + "autoplay=1"


def _bilibili_player(video_id: str | None) -> str | None:
    """Bilibili's embeddable player, not playing until tapped, without danmaku."""
    if video_id is None:
        return None
    key = f"aid={video_id[2:]}" if video_id.startswith("av") else f"bvid={video_id}"
    return f"https://player.bilibili.com/player.html?{key}&autoplay=0&danmaku=0"


def _youtube(video_id: str | None, *, short: bool) -> VideoLink:
    """YouTube's player from its privacy-enhanced domain, which sets no cookie until played."""
    embed = f"https://www.youtube-nocookie.com/embed/{video_id}" if video_id else None
    return VideoLink("youtube", video_id, short, embed)
