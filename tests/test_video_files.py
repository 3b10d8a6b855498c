"""villagesite.video_files: what a phone video is, and the same video without where it was filmed.

Every video here is made by the test with PyAV (FFmpeg's own muxers, so the boxes and elements are
the ones real tools write), tiny (64x48, 12 fps, one or two seconds) so the whole file runs in seconds.
"""

from __future__ import annotations

import io
import random
import struct
import sys
from pathlib import Path

import pytest
from made_videos import BLUE, GPS, GREEN, RED, box, make_video, top_boxes, with_xyz

from villagesite import video_files
from villagesite.video_files import NotAVideo, VideoFacts, inspect, playable, poster_frame, strip_metadata

XMP_UUID = bytes.fromhex("BE7ACFCB97A942E89C71999491E3AFAC")


def with_xmp(data: bytes) -> bytes:
    """The file with Adobe's top-level XMP ``uuid`` box (GPS in it) appended at its end."""
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description '
        b'exif:GPSLatitude="22,50.466N" exif:GPSLongitude="113,7.404E"/></rdf:RDF></x:xmpmeta>'
    )
    return data + box(b"uuid", XMP_UUID + xmp)


def header_times(data: bytes, kind: bytes) -> list[tuple[int, int]]:
    """(creation, modification) of each mvhd/tkhd/mdhd box, read from the raw bytes."""
    found, at = [], data.find(kind)
    while at != -1:
        version = data[at + 4]
        fmt = ">QQ" if version == 1 else ">II"
        found.append(struct.unpack_from(fmt, data, at + 8))
        at = data.find(kind, at + 4)
    return found


def decoded_frames(data: bytes) -> int:
    av = pytest.importorskip("av")
    with av.open(io.BytesIO(data)) as container:
        return sum(1 for _ in container.decode(video=0))


def near(pixel: tuple[int, ...], colour: tuple[int, int, int]) -> bool:
    return all(abs(a - b) < 48 for a, b in zip(pixel, colour, strict=True))


@pytest.fixture(scope="module")
def videos(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The test videos, made once: red, then green, then blue, two seconds each."""
    pytest.importorskip("av")
    folder = tmp_path_factory.mktemp("videos")
    made = {
        "h264.mp4": make_video(
            folder / "h264.mp4",
            "mp4",
            "libx264",
            "aac",
            {"location": GPS, "creation_time": "2024-05-01T10:00:00Z"},
        ),
        "plain.mp4": make_video(folder / "plain.mp4", "mp4", "libx264"),
        "hevc.mp4": make_video(folder / "hevc.mp4", "mp4", "libx265"),
        "fast.mp4": make_video(folder / "fast.mp4", "mp4", "libx264", "aac", options={"movflags": "faststart"}),
        "vp9.webm": make_video(folder / "vp9.webm", "webm", "libvpx-vp9", "libopus", {"location": GPS}),
        "vp9-silent.webm": make_video(folder / "vp9-silent.webm", "webm", "libvpx-vp9"),
        "live.webm": make_video(
            folder / "live.webm", "webm", "libvpx", options={"live": "1"}, metadata={"location": GPS}
        ),
        "mpeg4.mov": make_video(
            folder / "mpeg4.mov", "mov", "mpeg4", "aac", {"location": GPS, "creation_time": "2024-05-01T10:00:00Z"}
        ),
        "keys.mov": make_video(
            folder / "keys.mov",
            "mov",
            "libx264",
            metadata={"com.apple.quicktime.location.ISO6709": GPS},
            options={"movflags": "use_metadata_tags+faststart"},
        ),
        "upright.mp4": make_video(
            folder / "upright.mp4", "mp4", "libx264", colours=(RED, BLUE), frames=12, rotation=90
        ),
    }
    made["xyz.mp4"] = folder / "xyz.mp4"
    made["xyz.mp4"].write_bytes(with_xyz(made["plain.mp4"].read_bytes()))
    made["xmp.mp4"] = folder / "xmp.mp4"
    made["xmp.mp4"].write_bytes(with_xmp(made["plain.mp4"].read_bytes()))
    return made


# ---------------------------------------------------------------------------------------------
# inspect


@pytest.mark.parametrize(
    ("name", "container", "video", "audio", "is_playable", "location", "faststart"),
    [
        ("h264.mp4", "mp4", "h264", "aac", True, True, False),
        ("plain.mp4", "mp4", "h264", None, True, False, False),
        ("hevc.mp4", "mp4", "hevc", None, False, False, False),
        ("fast.mp4", "mp4", "h264", "aac", True, False, True),
        ("vp9.webm", "webm", "vp9", "opus", True, True, True),
        ("vp9-silent.webm", "webm", "vp9", None, True, False, True),
        ("mpeg4.mov", "mov", "mpeg4", "aac", False, True, False),
        ("keys.mov", "mov", "h264", None, False, True, True),
        ("xyz.mp4", "mp4", "h264", None, True, True, False),
        ("xmp.mp4", "mp4", "h264", None, True, True, False),
    ],
)
def test_inspect_reads_what_the_file_is(
    videos: dict[str, Path],
    name: str,
    container: str,
    video: str,
    audio: str | None,
    is_playable: bool,
    location: bool,
    faststart: bool,
) -> None:
    facts = inspect(videos[name].read_bytes())
    assert (facts.container, facts.video_codec, facts.audio_codec) == (container, video, audio)
    assert (facts.width, facts.height) == (64, 48)
    assert facts.duration == pytest.approx(2.0, abs=0.1)
    assert playable(facts) is is_playable
    assert facts.location is location
    assert facts.faststart is faststart


def test_the_place_is_really_in_the_test_files(videos: dict[str, Path]) -> None:
    """The fixtures carry a place as phones write it, or the location tests would prove nothing."""
    assert b"\xa9xyz" in videos["xyz.mp4"].read_bytes()
    assert b"\xa9xyz" in videos["mpeg4.mov"].read_bytes()
    assert b"loci" in videos["h264.mp4"].read_bytes()  # FFmpeg's MP4 muxer: 3GPP binary location
    assert b"com.apple.quicktime.location.ISO6709" in videos["keys.mov"].read_bytes()
    for name in ("xyz.mp4", "mpeg4.mov", "vp9.webm", "live.webm", "keys.mov"):
        assert GPS.encode() in videos[name].read_bytes(), name
    av = pytest.importorskip("av")
    with av.open(str(videos["xyz.mp4"])) as container:  # the hand-made box is one FFmpeg reads
        assert container.metadata.get("location") == GPS


def test_a_live_recording_of_unknown_sizes_is_read(videos: dict[str, Path]) -> None:
    """A browser's or a live encoder's WebM: Segment and Clusters of unknown size, no Duration."""
    data = videos["live.webm"].read_bytes()
    assert bytes.fromhex("1853806701ffffffffffffff") in data
    facts = inspect(data)
    assert (facts.container, facts.video_codec, facts.width, facts.height) == ("webm", "vp8", 64, 48)
    assert facts.location
    cleaned = strip_metadata(data)
    assert len(cleaned) == len(data) and not inspect(cleaned).location
    assert GPS.encode() not in cleaned
    assert decoded_frames(cleaned) == decoded_frames(data) == 24


def test_an_upright_phone_video_is_reported_upright(videos: dict[str, Path]) -> None:
    facts = inspect(videos["upright.mp4"].read_bytes())
    assert (facts.width, facts.height) == (48, 64)


@pytest.mark.parametrize(
    ("video", "audio", "container", "expected"),
    [
        ("h264", "aac", "mp4", True),
        ("h264", None, "mp4", True),
        ("vp8", "vorbis", "webm", True),
        ("av1", "opus", "webm", True),
        ("vp9", "mp3", "mp4", True),
        ("h264", "aac", "mov", False),
        ("hevc", "aac", "mp4", False),
        ("h264", "ac3", "mp4", False),
        ("h264", "pcm", "mp4", False),
        (None, "aac", "mp4", False),
        ("mpeg4", None, "mp4", False),
    ],
)
def test_playable(video: str | None, audio: str | None, container: str, expected: bool) -> None:
    facts = VideoFacts(container, video, audio, 1.0, 64, 48, False, True)
    assert playable(facts) is expected


# ---------------------------------------------------------------------------------------------
# strip_metadata


@pytest.mark.parametrize(
    "name", ["h264.mp4", "xyz.mp4", "xmp.mp4", "fast.mp4", "vp9.webm", "mpeg4.mov", "keys.mov", "hevc.mp4"]
)
def test_strip_removes_the_place_and_keeps_the_video(videos: dict[str, Path], name: str) -> None:
    data = videos[name].read_bytes()
    before = inspect(data)
    cleaned = strip_metadata(data)
    assert len(cleaned) == len(data)
    after = inspect(cleaned)
    assert not after.location
    assert after == VideoFacts(
        before.container,
        before.video_codec,
        before.audio_codec,
        before.duration,
        before.width,
        before.height,
        False,
        before.faststart,
    )
    for trace in (GPS.encode(), b"\xa9xyz", b"loci", b"GPSLatitude", b"com.apple.quicktime.location"):
        assert trace not in cleaned, trace
    assert decoded_frames(cleaned) == decoded_frames(data) == 24
    assert strip_metadata(cleaned) == cleaned


def test_strip_turns_metadata_boxes_into_free_space(videos: dict[str, Path]) -> None:
    data = videos["xmp.mp4"].read_bytes()
    cleaned = strip_metadata(data)
    before, after = top_boxes(data), top_boxes(cleaned)
    assert [(start, end) for _, start, end in before] == [(start, end) for _, start, end in after]
    assert before[-1][0] == b"uuid" and after[-1][0] == b"free"
    assert cleaned[after[-1][1] + 8 :] == bytes(after[-1][2] - after[-1][1] - 8)
    changed = [i for i in range(len(data)) if data[i] != cleaned[i]]
    mdat = next((start, end) for kind, start, end in before if kind == b"mdat")
    assert not any(mdat[0] <= i < mdat[1] for i in changed)  # the media is not touched


@pytest.mark.parametrize("name", ["h264.mp4", "mpeg4.mov"])
def test_strip_zeroes_creation_and_modification_times(videos: dict[str, Path], name: str) -> None:
    data = videos[name].read_bytes()
    assert any(times != (0, 0) for times in header_times(data, b"mvhd"))
    cleaned = strip_metadata(data)
    for kind in (b"mvhd", b"tkhd", b"mdhd"):
        times = header_times(cleaned, kind)
        assert times and all(pair == (0, 0) for pair in times), kind


def test_strip_makes_webm_tags_a_void_element_of_the_same_size(videos: dict[str, Path]) -> None:
    data = videos["vp9.webm"].read_bytes()
    tags_id = b"\x12\x54\xc3\x67"
    seek_entry = b"\x53\xab\x84" + tags_id  # the SeekHead names the Tags' ID too: not the element
    tags = data.replace(seek_entry, bytes(len(seek_entry))).find(tags_id)
    assert tags > 0
    date = data.find(b"\x44\x61\x88")  # Info's DateUTC: 8 bytes, zeroed too
    dated = range(date + 3, date + 11) if 0 < date < tags else range(0)
    cleaned = strip_metadata(data)
    assert all(data[i] == cleaned[i] or i in dated for i in range(tags))
    assert cleaned[tags] == 0xEC
    assert cleaned.count(tags_id) == cleaned.count(seek_entry)
    av = pytest.importorskip("av")
    with av.open(io.BytesIO(cleaned)) as container:
        assert "location" not in {key.lower() for key in container.metadata}


# ---------------------------------------------------------------------------------------------
# What is no video


def _sized(data: bytes, kind: bytes, size: int) -> bytes:
    """The file with the size field of its first ``kind`` box replaced."""
    at = data.find(kind) - 4
    return data[:at] + struct.pack(">I", size) + data[at + 4 :]


def _broken(videos: dict[str, Path]) -> dict[str, bytes]:
    mp4 = videos["h264.mp4"].read_bytes()
    fast = videos["fast.mp4"].read_bytes()
    webm = videos["vp9.webm"].read_bytes()
    return {
        "empty": b"",
        "random 1 KB": random.Random(7).randbytes(1024),
        "a PNG": b"\x89PNG\r\n\x1a\n" + bytes(100),
        "half an MP4": mp4[: len(mp4) // 2],
        "an MP4 cut inside its moov": mp4[:-3],
        "a faststart MP4 cut short": fast[: len(fast) - 100],
        "half a WebM": webm[: len(webm) // 2],
        "mdat of size 0 in the middle": _sized(mp4, b"mdat", 0),
        "trak of size 0 in the middle": _sized(fast, b"trak", 0),
        "a box larger than the file": _sized(mp4, b"ftyp", len(mp4) + 1),
        "a box smaller than its header": _sized(mp4, b"ftyp", 4),
        "stray bytes after the last box": mp4 + b"\0\0\0",
        "an HEIF photo": box(b"ftyp", b"heic\0\0\0\0mif1heic") + box(b"meta", bytes(20)),
        "an EBML file of another type": bytes.fromhex("1a45dfa3") + bytes([0x80 | 7]) + b"\x42\x82\x84abcd",
        "a WebM whose header is cut": webm[:20],
    }


def test_what_is_no_readable_video_raises_not_a_video(videos: dict[str, Path]) -> None:
    for label, data in _broken(videos).items():
        with pytest.raises(NotAVideo):
            inspect(data)
            pytest.fail(f"{label}: read as a video")
        with pytest.raises(NotAVideo):
            strip_metadata(data)
    assert issubclass(NotAVideo, ValueError)


def test_damaged_files_never_raise_anything_but_not_a_video(videos: dict[str, Path]) -> None:
    """Random damage (bytes changed, files cut) is read or refused, never crashes nor hangs."""
    rng = random.Random(20240501)
    for name in ("h264.mp4", "fast.mp4", "vp9.webm", "live.webm", "mpeg4.mov"):
        original = videos[name].read_bytes()
        for _ in range(150):
            data = bytearray(original)
            for _ in range(rng.randint(1, 4)):
                data[rng.randrange(min(len(data), 600) if rng.random() < 0.7 else len(data))] = rng.randrange(256)
            if rng.random() < 0.2:
                del data[rng.randrange(len(data)) :]
            try:
                inspect(bytes(data))
                cleaned = strip_metadata(bytes(data))
            except NotAVideo:
                continue
            assert len(cleaned) == len(data)


# ---------------------------------------------------------------------------------------------
# poster_frame


@pytest.mark.parametrize("name", ["h264.mp4", "vp9.webm", "hevc.mp4", "mpeg4.mov", "fast.mp4"])
def test_the_poster_is_the_frame_at_the_time_asked(videos: dict[str, Path], name: str) -> None:
    path = videos[name]
    first = poster_frame(path, at=0.2)
    assert first is not None and first.mode == "RGB" and first.size == (64, 48)
    assert near(first.getpixel((32, 24)), RED)
    assert near(poster_frame(path).getpixel((32, 24)), GREEN)  # 1 s: the second colour
    assert near(poster_frame(path, at=1.7).getpixel((32, 24)), BLUE)
    assert near(poster_frame(path, at=60).getpixel((32, 24)), GREEN)  # past the end: the middle
    assert near(poster_frame(path, at=0).getpixel((32, 24)), RED)


def test_the_poster_of_a_cleaned_copy(videos: dict[str, Path], tmp_path: Path) -> None:
    for name in ("h264.mp4", "vp9.webm"):
        cleaned = tmp_path / name
        cleaned.write_bytes(strip_metadata(videos[name].read_bytes()))
        assert near(poster_frame(cleaned, at=1.7).getpixel((32, 24)), BLUE)


def test_the_poster_turns_the_picture_the_way_the_phone_was_held(tmp_path: Path) -> None:
    av = pytest.importorskip("av")
    from PIL import Image

    path = tmp_path / "halves.mp4"
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=12)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        stream.set_display_rotation(90)  # counter-clockwise, as a phone held upright records it
        image = Image.new("RGB", (64, 48), RED)
        image.paste(BLUE, (32, 0, 64, 48))  # left red, right blue
        for _ in range(6):
            for packet in stream.encode(av.VideoFrame.from_image(image)):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    poster = poster_frame(path, at=0)
    assert poster is not None and poster.size == (48, 64)
    assert near(poster.getpixel((24, 8)), BLUE)  # turned a quarter anticlockwise: the right side on top
    assert near(poster.getpixel((24, 56)), RED)


def test_the_poster_of_no_video_raises_not_a_video(tmp_path: Path) -> None:
    pytest.importorskip("av")
    path = tmp_path / "harvest.mp4"
    path.write_bytes(random.Random(3).randbytes(2048))
    with pytest.raises(NotAVideo):
        poster_frame(path)


def test_without_pyav_there_is_no_poster(videos: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    path = videos["h264.mp4"]
    assert video_files.has_pyav()
    monkeypatch.setitem(sys.modules, "av", None)  # what an install without the video extra sees
    assert not video_files.has_pyav()
    assert poster_frame(path) is None
    assert inspect(path.read_bytes()).video_codec == "h264"  # reading and cleaning need no PyAV


def test_the_module_does_not_import_pyav() -> None:
    """``import villagesite.video_files`` stays cheap: PyAV (FFmpeg, 100 MB) loads for a poster only."""
    import subprocess

    code = "import sys, villagesite.video_files as v; v.has_pyav(); print('av' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
