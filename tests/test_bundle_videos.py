"""Videos put beside a page (issue 21): published without where they were filmed, in a ``<video>`` that
loads nothing before play, over a poster (named, or a frame of the video); what a visitor cannot play,
or waits long for, is said; what cannot be cleaned is refused."""

from __future__ import annotations

import json
import re

import pytest
from conftest import photo_bytes, run_cli, village
from made_videos import GPS, GREEN, make_video, with_xyz
from PIL import Image

from villagesite import bundle_videos, video_files

pytest.importorskip("av")


@pytest.fixture(scope="module")
def phone_video(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """Two seconds of H.264 and AAC in MP4, red, green, then blue, with the place it was filmed."""
    path = make_video(tmp_path_factory.mktemp("made") / "v.mp4", "mp4", "libx264", audio="aac")
    return with_xyz(path.read_bytes())


@pytest.fixture(scope="module")
def hevc_video(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return make_video(tmp_path_factory.mktemp("made") / "h.mp4", "mp4", "libx265").read_bytes()


def harvest(extra: str = "") -> str:
    return village(extra=f"date: 2026-09-20\nvideos:\n  - {{src: harvest.mp4, title: 稻田收割{extra}}}\n")


def video_objects(html: str) -> list[dict]:
    for text in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        graph = json.loads(text).get("@graph", ())
        if any(node.get("@type") == "VideoObject" for node in graph):
            return graph
    return []


def test_a_video_file_plays_in_the_page_without_the_place_it_was_filmed(site, phone_video: bytes):
    assert GPS.encode() in phone_video and video_files.inspect(phone_video).location
    root = site(
        {
            "site.yaml": "title: 测试古村\nbase_url: https://example.org/\n",
            "content/villages/fengjian/index.md": harvest(", creator: 阿珍"),
            "content/villages/fengjian/harvest.mp4": phone_video,
        }
    )
    result = run_cli("build", "--site", root)
    assert result.code == 0, result.err
    assert "harvest" not in result.err, result.err  # playable, small, and given a poster: nothing to say
    published = (root / "output/villages/fengjian/harvest.mp4").read_bytes()
    assert len(published) == len(phone_video) and published != phone_video
    assert GPS.encode() not in published and not video_files.inspect(published).location
    assert (root / "content/villages/fengjian/harvest.mp4").read_bytes() == phone_video  # the editor's own file
    html = (root / "output/villages/fengjian/index.html").read_text(encoding="utf-8")
    tag = re.search(r"<video [^>]*>", html).group(0)
    poster = re.search(r'poster="(/img/harvest\.[0-9a-f]+\.[0-9]+\.webp)"', tag)
    assert poster and 'controls preload="none" playsinline' in tag and 'width="64" height="48"' in tag, tag
    assert '<source src="/villages/fengjian/harvest.mp4" type="video/mp4">' in html
    frame = Image.open(root / "output" / poster.group(1).lstrip("/")).convert("RGB")
    pixel = frame.getpixel((frame.width // 2, frame.height // 2))
    assert all(abs(a - b) < 48 for a, b in zip(pixel, GREEN, strict=True)), pixel  # the frame at one second
    assert '<h3 class="video-title">稻田收割</h3>' in html and "0:02 · 拍摄：阿珍" in html
    (video,) = video_objects(html)
    assert video["contentUrl"] == "https://example.org/villages/fengjian/harvest.mp4"
    assert video["encodingFormat"] == "video/mp4" and video["duration"] == "PT2S"
    assert video["uploadDate"] == "2026-09-20" and video["thumbnailUrl"].startswith("https://example.org/img/harvest.")
    assert "embedUrl" not in video


def test_a_named_poster_is_used_and_a_video_not_named_is_cleaned_too(site, phone_video: bytes):
    root = site(
        {
            "content/villages/fengjian/index.md": harvest(", poster: {src: frame.jpg, alt: 金黄的稻田}"),
            "content/villages/fengjian/harvest.mp4": phone_video,
            "content/villages/fengjian/frame.jpg": photo_bytes(640, 360),
            "content/villages/fengjian/extra.mp4": phone_video,  # only linked from the text, or not at all
        }
    )
    assert run_cli("build", "--site", root).code == 0
    html = (root / "output/villages/fengjian/index.html").read_text(encoding="utf-8")
    assert re.search(r'poster="/img/frame\.[0-9a-f]+\.640\.webp"', html)
    assert GPS.encode() not in (root / "output/villages/fengjian/extra.mp4").read_bytes()


def test_without_pyav_a_video_without_poster_is_a_warning_at_its_line(site, phone_video: bytes, monkeypatch):
    monkeypatch.setattr(video_files, "has_pyav", lambda: False)
    root = site(
        {
            "content/villages/fengjian/index.md": harvest(),
            "content/villages/fengjian/harvest.mp4": phone_video,
        }
    )
    result = run_cli("build", "--site", root)
    assert result.code == 0, result.err
    assert (
        "content/villages/fengjian/index.md:9: videos[0].poster: has no poster: visitors see a blank box until "
        "they play it (name a photo of the video beside index.md (poster: frame.jpg), or install PyAV "
        "(pip install 'villagesite[video]') to take a frame from the video) [warning]"
    ) in result.err
    html = (root / "output/villages/fengjian/index.html").read_text(encoding="utf-8")
    assert "<video controls" in html and "poster=" not in re.search(r"<video [^>]*>", html).group(0)


def test_a_codec_browsers_cannot_play_and_a_large_file_are_warnings_naming_the_file(
    site, hevc_video: bytes, monkeypatch
):
    monkeypatch.setattr(bundle_videos, "LARGE_BYTES", 1000)
    root = site(
        {
            "content/villages/fengjian/index.md": harvest(),
            "content/villages/fengjian/harvest.mp4": hevc_video,
        }
    )
    result = run_cli("build", "--site", root)
    assert result.code == 0, result.err
    lines = [line for line in result.err.splitlines() if line.startswith("content/villages/fengjian/harvest.mp4:")]
    assert any("is HEVC in MP4, which many visitors' browsers cannot play" in line for line in lines), result.err
    assert any("Most Compatible" in line for line in lines)
    assert any("MB; a visitor on a rural mobile network waits long for it" in line for line in lines)
    assert all(line.endswith("[warning]") for line in lines)


def test_a_video_that_cannot_be_read_to_clean_is_refused_and_the_last_site_kept(site, phone_video: bytes):
    root = site(
        {
            "content/villages/fengjian/index.md": harvest(),
            "content/villages/fengjian/harvest.mp4": phone_video,
        }
    )
    assert run_cli("build", "--site", root).code == 0
    before = (root / "output/villages/fengjian/harvest.mp4").read_bytes()
    (root / "content/villages/fengjian/harvest.mp4").write_bytes(b"\x00\x00\x00\x18ftypisom" + bytes(300))
    result = run_cli("build", "--site", root)
    assert result.code == 1
    assert (
        "content/villages/fengjian/harvest.mp4: is no video villagesite can read, so the place it was filmed "
        "cannot be removed from it (export it again as MP4 (H.264) from the phone's or the editor's app; "
        "or strip it with ffmpeg -i harvest.mp4 -map_metadata -1 -c copy clean.mp4)"
    ) in result.err
    assert (root / "output/villages/fengjian/harvest.mp4").read_bytes() == before


def test_a_rebuild_reads_no_unchanged_video_and_an_edited_one_is_cleaned_again(site, phone_video, monkeypatch):
    root = site(
        {
            "content/villages/fengjian/index.md": harvest(),
            "content/villages/fengjian/harvest.mp4": phone_video,
        }
    )
    assert run_cli("build", "--site", root).code == 0
    cleaned: list[int] = []
    strip = video_files.strip_metadata
    monkeypatch.setattr(video_files, "strip_metadata", lambda data: cleaned.append(len(data)) or strip(data))
    (root / "content/villages/fengjian/index.md").write_text(harvest() + "\n更多正文。\n", encoding="utf-8")
    assert run_cli("build", "--site", root).code == 0
    assert cleaned == []
    other = with_xyz(phone_video, "+23.0000+114.0000/")
    (root / "content/villages/fengjian/harvest.mp4").write_bytes(other)
    assert run_cli("build", "--site", root).code == 0
    assert cleaned == [len(other)]
    assert b"+23.0000" not in (root / "output/villages/fengjian/harvest.mp4").read_bytes()


def test_a_kept_record_that_points_outside_the_cache_is_not_believed(tmp_path, phone_video: bytes):
    """The cache's record of a cleaned video names the copy to publish: one changed to name any other file
    (sealed again by hand, or not) makes the video be cleaned again, never that file published."""
    from villagesite.sealed import read_sealed, write_sealed

    video = tmp_path / "harvest.mp4"
    video.write_bytes(phone_video)
    cache = tmp_path / "cache"
    first, _ = bundle_videos.prepare(video, "/villages/a/harvest.mp4", "harvest.mp4", cache)
    again, _ = bundle_videos.prepare(video, "/villages/a/harvest.mp4", "harvest.mp4", cache)
    assert first == again and first is not None
    (record,) = (cache / "videos").glob("*.json")
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the web")
    data = read_sealed(record, bundle_videos.VERSION)
    write_sealed(record, bundle_videos.VERSION, {**data, "published": str(secret), "size": secret.stat().st_size})
    made, _ = bundle_videos.prepare(video, "/villages/a/harvest.mp4", "harvest.mp4", cache)
    assert made is not None and made.published == first.published
    record.write_text(record.read_text().replace(str(first.published), str(secret)))  # not sealed again
    made, _ = bundle_videos.prepare(video, "/villages/a/harvest.mp4", "harvest.mp4", cache)
    assert made is not None and made.published == first.published
