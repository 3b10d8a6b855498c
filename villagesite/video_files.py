"""What a phone video is, and the same video without the place it was filmed.

A phone writes where a video was recorded into the file (QuickTime ``©xyz``,
Apple's ``com.apple.quicktime.location.ISO6709`` keys, XMP, Matroska tags), as
it does into a photo.  A village site must not publish that, and it should warn
when a browser cannot play a video at all.  Both need only the file's structure,
which is read here by hand: ISO BMFF boxes (MP4, MOV) and EBML elements (WebM,
Matroska).  No decoder is needed for that, so the build reads every video with
the standard library alone.

Metadata is blanked *in place*: the cleaned file has the same length as the
original, so the absolute chunk offsets in ``stco``/``co64`` and Matroska's
``SeekHead``/``Cues`` positions stay valid and nothing is re-muxed.

A poster frame needs a decoder: PyAV (the ``video`` extra) when installed.
"""

from __future__ import annotations

import importlib.util
import math
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

__all__ = [
    "PLAYABLE_AUDIO",
    "PLAYABLE_VIDEO",
    "NotAVideo",
    "VideoFacts",
    "has_pyav",
    "inspect",
    "playable",
    "poster_frame",
    "strip_metadata",
]


@dataclass(frozen=True, slots=True)
class VideoFacts:
    """What a video file says about itself: enough to warn an editor, nothing decoded."""

    container: str
    """``"mp4"`` (ISO BMFF), ``"mov"`` (QuickTime brand), ``"webm"`` (WebM or Matroska)."""
    video_codec: str | None
    """Normalised (``"h264"``, ``"hevc"``, ``"vp9"``…), else the raw fourcc or codec id lowercased."""
    audio_codec: str | None
    """Normalised (``"aac"``, ``"opus"``…), else raw; ``None`` when the file has no sound track."""
    duration: float | None
    """Seconds, as the container states it."""
    width: int | None
    """As displayed: the coded width, swapped with the height when an MP4 track is turned a quarter."""
    height: int | None
    location: bool
    """The file carries a recording place (GPS)."""
    faststart: bool
    """A browser can start playing before the whole file has arrived (MP4: ``moov`` before ``mdat``)."""


PLAYABLE_VIDEO = frozenset({"h264", "vp8", "vp9", "av1"})
"""Video codecs the browsers in common use all decode (HEVC is missing from many Android and desktop ones)."""
PLAYABLE_AUDIO = frozenset({"aac", "opus", "vorbis", "mp3"})
"""Audio codecs the browsers in common use all decode."""


class NotAVideo(ValueError):
    """The bytes are no MP4/MOV/WebM file this module can read (truncated, another format)."""


def playable(facts: VideoFacts) -> bool:
    """Browsers in common use play it: container mp4 or webm (not mov), video codec in PLAYABLE_VIDEO,
    audio None or in PLAYABLE_AUDIO."""
    return (
        facts.container in ("mp4", "webm")
        and facts.video_codec in PLAYABLE_VIDEO
        and (facts.audio_codec is None or facts.audio_codec in PLAYABLE_AUDIO)
    )


def inspect(data: bytes) -> VideoFacts:
    """What the file is, read from its structure; raises :class:`NotAVideo` on anything inconsistent."""
    data = bytes(data)
    if data[:4] == _EBML_MAGIC:
        return _Matroska(data).facts()
    return _Bmff(data).facts()


def strip_metadata(data: bytes) -> bytes:
    """The same file, of the same length, with its metadata (recording place, dates, tags) zeroed.

    Only metadata boxes/elements change, so every offset the file holds stays valid and a
    player plays it as before.  Raises :class:`NotAVideo` when the file cannot be read.
    """
    data = bytes(data)
    if data[:4] == _EBML_MAGIC:
        return _Matroska(data).stripped()
    return _Bmff(data).stripped()


def has_pyav() -> bool:
    """PyAV can be imported (without importing it: it loads FFmpeg, 100 MB, for builds with no video)."""
    try:
        return importlib.util.find_spec("av") is not None
    except (ImportError, ValueError):
        return False


def poster_frame(path: Path, at: float = 1.0) -> Image.Image | None:
    """A frame to show before the video plays, upright as the phone was held.

    The frame at ``at`` seconds, or from the middle of a shorter video; ``None`` when PyAV is
    not installed.  Raises :class:`NotAVideo` when PyAV cannot decode a frame of it.
    """
    try:
        import av
    except ImportError:
        return None
    from PIL import Image

    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise NotAVideo(f"{path}: no video stream")
            stream = container.streams.video[0]
            length = _stream_seconds(container, stream)
            if length is not None and at >= length:
                at = length / 2
            at = max(at, 0.0)
            frame = None
            if at > 0 and stream.time_base:
                target = int(at / stream.time_base)
                if stream.start_time is not None:
                    target += stream.start_time
                try:
                    container.seek(target, stream=stream, backward=True, any_frame=False)
                except av.FFmpegError:
                    container.seek(0)
            for decoded in container.decode(stream):
                frame = decoded
                if decoded.time is None or decoded.time + 1e-6 >= at:
                    break
            if frame is None:
                raise NotAVideo(f"{path}: no frame decoded")
            image = frame.to_image()
            rotation = _frame_rotation(frame)
    except av.FFmpegError as exc:
        if isinstance(exc, OSError):
            raise  # missing, unreadable: the caller reports the file, not its format
        raise NotAVideo(f"{path}: {exc}") from exc
    turn = {90: Image.Transpose.ROTATE_90, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_270}
    if rotation in turn:
        image = image.transpose(turn[rotation])
    return image.convert("RGB")


def _stream_seconds(container: object, stream: object) -> float | None:
    """How long the video is, by its stream or else its container (either may be unknown)."""
    duration = getattr(stream, "duration", None)
    time_base = getattr(stream, "time_base", None)
    if duration and time_base:
        return float(duration * time_base)
    whole = getattr(container, "duration", None)
    if whole:
        return whole / 1_000_000  # AV_TIME_BASE
    return None


def _frame_rotation(frame: object) -> int:
    """Counter-clockwise quarter turns that make the frame upright, in degrees (0, 90, 180, 270).

    FFmpeg hands the container's display matrix (MP4 ``tkhd``) to each decoded frame as side
    data, and PyAV reads its rotation; mirroring in the matrix is ignored.
    """
    try:
        degrees = int(round(getattr(frame, "rotation", 0) or 0))
    except (TypeError, ValueError):
        return 0
    return (round(degrees / 90) * 90) % 360


# --------------------------------------------------------------------------------------------
# ISO base media file format (MP4, MOV)

_XMP_UUID = bytes.fromhex("BE7ACFCB97A942E89C71999491E3AFAC")
_LOCATION_MARKERS = (
    b"\xa9xyz",  # QuickTime/Android user data: "+22.8411+113.1234/"
    b"loci",  # 3GPP location box
    b"com.apple.quicktime.location",  # Apple's metadata keys (ISO6709, accuracy, name)
    b"GPSLatitude",  # XMP (exif:GPSLatitude)
    b"GPSLongitude",
    b"GPSCoordinates",  # XMP (Iptc4xmpExt / Apple)
)
_TOP_LEVEL = {b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"pnot", b"uuid", b"meta", b"styp", b"sidx"}
"""Box types an MP4/MOV file may start with (old QuickTime files have no ``ftyp``)."""
_ISO_BRANDS = (b"iso", b"mp4", b"mp41", b"mp42", b"avc1", b"M4V", b"M4A", b"dash", b"3gp", b"3g2", b"MSNV", b"f4v")
_VIDEO_CODECS = {
    b"avc1": "h264",
    b"avc3": "h264",
    b"hvc1": "hevc",
    b"hev1": "hevc",
    b"dvh1": "hevc",  # Dolby Vision over HEVC (iPhone HDR)
    b"dvhe": "hevc",
    b"vp08": "vp8",
    b"vp09": "vp9",
    b"av01": "av1",
    b"mp4v": "mpeg4",
}
_AUDIO_CODECS = {
    b"mp4a": "aac",
    b"Opus": "opus",
    b".mp3": "mp3",
    b"mp3 ": "mp3",
    b"ac-3": "ac3",
    b"ec-3": "eac3",
    b"lpcm": "pcm",
    b"sowt": "pcm",
    b"twos": "pcm",
    b"in24": "pcm",
    b"in32": "pcm",
    b"fl32": "pcm",
    b"fl64": "pcm",
    b"raw ": "pcm",
    b"fLaC": "flac",
    b"alac": "alac",
    b"samr": "amr",
    b"sawb": "amr",
}
_MP4A_OBJECT_TYPES = {0x40: "aac", 0x66: "aac", 0x67: "aac", 0x68: "aac", 0x69: "mp3", 0x6B: "mp3", 0xA5: "ac3"}
"""``esds`` objectTypeIndication: ``mp4a`` also carries MP3 and AC-3 now and then."""


@dataclass(frozen=True, slots=True)
class _Box:
    kind: bytes
    start: int
    """Where the box's header starts."""
    body: int
    """Where its payload starts (after the 8- or 16-byte header)."""
    end: int


class _Bmff:
    """One MP4/MOV file, its box tree walked once, strictly."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.top = list(self._boxes(0, len(data), top=True))
        if not self.top or self.top[0].kind not in _TOP_LEVEL:
            raise NotAVideo("no ISO BMFF box at the start")
        moovs = [box for box in self.top if box.kind == b"moov"]
        if len(moovs) != 1:
            raise NotAVideo("no single moov box")
        self.moov = moovs[0]

    def _boxes(self, start: int, end: int, top: bool = False) -> Iterator[_Box]:
        """The boxes between start and end, which they must fill exactly."""
        data = self.data
        at = start
        while at < end:
            if end - at < 8:
                raise NotAVideo(f"{end - at} stray bytes at {at}")
            size, kind = struct.unpack_from(">I4s", data, at)
            body = at + 8
            if size == 1:
                if end - at < 16:
                    raise NotAVideo(f"truncated box header at {at}")
                (size,) = struct.unpack_from(">Q", data, body)
                body += 8
            elif size == 0:
                # "To the end of the file": only ever the last top-level box, a media data box
                # written by a recorder that could not go back to write its size.
                if not top or kind != b"mdat":
                    raise NotAVideo(f"box {kind!r} of size 0 at {at}")
                size = end - at
            if size < body - at or at + size > end:
                raise NotAVideo(f"box {kind!r} at {at} of size {size} does not fit")
            yield _Box(kind, at, body, at + size)
            at += size

    def _children(self, box: _Box, skip: int = 0) -> list[_Box]:
        if box.end - box.body < skip:
            raise NotAVideo(f"box {box.kind!r} at {box.start} too short")
        return list(self._boxes(box.body + skip, box.end))

    @staticmethod
    def _first(boxes: list[_Box], kind: bytes) -> _Box | None:
        return next((box for box in boxes if box.kind == kind), None)

    def _tracks(self) -> Iterator[tuple[_Box, list[_Box]]]:
        for box in self._children(self.moov):
            if box.kind == b"trak":
                yield box, self._children(box)

    def _metadata(self) -> list[_Box]:
        """The boxes that hold metadata and nothing a player needs, in moov, each track and the top."""
        found = [box for box in self.top if box.kind == b"meta" or self._is_xmp(box)]
        scopes = [self._children(self.moov)] + [children for _, children in self._tracks()]
        for children in scopes:
            found += [box for box in children if box.kind in (b"udta", b"meta") or self._is_xmp(box)]
        return found

    def _is_xmp(self, box: _Box) -> bool:
        return box.kind == b"uuid" and self.data[box.body : box.body + 16] == _XMP_UUID

    def facts(self) -> VideoFacts:
        data = self.data
        container = self._container()
        moov_children = self._children(self.moov)
        duration = None
        mvhd = self._first(moov_children, b"mvhd")
        if mvhd is not None:
            duration = self._mvhd_duration(mvhd)
        video = audio = None
        width = height = None
        for _, children in self._tracks():
            handler, entry, tkhd = self._track_parts(children)
            if handler == b"vide" and video is None and entry is not None:
                video = _VIDEO_CODECS.get(entry.kind, _raw_fourcc(entry.kind))
                width, height = self._dimensions(entry, tkhd)
            elif handler == b"soun" and audio is None and entry is not None:
                audio = self._audio_codec(entry)
        location = any(marker in data[box.start : box.end] for box in self._metadata() for marker in _LOCATION_MARKERS)
        mdat = next((box.start for box in self.top if box.kind == b"mdat"), None)
        faststart = mdat is None or self.moov.start < mdat
        return VideoFacts(container, video, audio, duration, width, height, location, faststart)

    def _container(self) -> str:
        ftyp = self._first(self.top, b"ftyp")
        if ftyp is None:
            return "mov"  # QuickTime files from before ftyp, or a bare 'moov' first
        payload = self.data[ftyp.body : ftyp.end]
        if len(payload) < 8 or (len(payload) - 8) % 4:
            raise NotAVideo("malformed ftyp")
        major = payload[:4]
        brands = [major] + [payload[i : i + 4] for i in range(8, len(payload), 4)]
        if major == b"qt  ":
            return "mov"
        if b"qt  " in brands and not any(brand.startswith(_ISO_BRANDS) for brand in brands):
            return "mov"
        return "mp4"

    def _mvhd_duration(self, mvhd: _Box) -> float | None:
        data = self.data
        length = mvhd.end - mvhd.body
        version = data[mvhd.body] if length else 0
        if version == 1 and length >= 32:
            timescale, duration = struct.unpack_from(">IQ", data, mvhd.body + 20)
            unknown = 0xFFFFFFFFFFFFFFFF
        elif version == 0 and length >= 20:
            timescale, duration = struct.unpack_from(">II", data, mvhd.body + 12)
            unknown = 0xFFFFFFFF
        else:
            raise NotAVideo("malformed mvhd")
        if not timescale or not duration or duration == unknown:
            return None
        return duration / timescale

    def _track_parts(self, trak: list[_Box]) -> tuple[bytes | None, _Box | None, _Box | None]:
        """A track's handler type, its first sample entry and its header box."""
        tkhd = self._first(trak, b"tkhd")
        mdia = self._first(trak, b"mdia")
        if mdia is None:
            return None, None, tkhd
        mdia_children = self._children(mdia)
        hdlr = self._first(mdia_children, b"hdlr")
        handler = None
        if hdlr is not None:
            if hdlr.end - hdlr.body < 12:
                raise NotAVideo("malformed hdlr")
            handler = self.data[hdlr.body + 8 : hdlr.body + 12]
        entry = None
        minf = self._first(mdia_children, b"minf")
        stbl = self._first(self._children(minf), b"stbl") if minf is not None else None
        stsd = self._first(self._children(stbl), b"stsd") if stbl is not None else None
        if stsd is not None:
            if stsd.end - stsd.body < 8:
                raise NotAVideo("malformed stsd")
            (count,) = struct.unpack_from(">I", self.data, stsd.body + 4)
            if count:
                entry = next(self._boxes(stsd.body + 8, stsd.end), None)
        return handler, entry, tkhd

    def _dimensions(self, entry: _Box, tkhd: _Box | None) -> tuple[int | None, int | None]:
        data = self.data
        width = height = None
        if entry.end - entry.body >= 28:
            width, height = struct.unpack_from(">HH", data, entry.body + 24)
        matrix = None
        if tkhd is not None and tkhd.end > tkhd.body:
            offset = {0: 40, 1: 52}.get(data[tkhd.body])
            if offset is not None and tkhd.end - tkhd.body >= offset + 44:
                matrix = struct.unpack_from(">9i", data, tkhd.body + offset)
                if not width or not height:
                    fixed_w, fixed_h = struct.unpack_from(">II", data, tkhd.body + offset + 36)
                    width, height = fixed_w >> 16, fixed_h >> 16
        if matrix is not None and matrix[0] == 0 and matrix[4] == 0 and matrix[1] and matrix[3]:
            width, height = height, width  # turned a quarter: the phone was held upright
        return width or None, height or None

    def _audio_codec(self, entry: _Box) -> str:
        codec = _AUDIO_CODECS.get(entry.kind, _raw_fourcc(entry.kind))
        if entry.kind == b"mp4a":
            payload = self.data[entry.body : entry.end]
            at = payload.find(b"esds")
            if at >= 4:
                kind = _esds_object_type(payload[at + 8 :])
                codec = _MP4A_OBJECT_TYPES.get(kind, codec) if kind is not None else codec
        return codec

    def stripped(self) -> bytes:
        out = bytearray(self.data)
        for box in self._metadata():
            out[box.start + 4 : box.start + 8] = b"free"
            out[box.body : box.end] = bytes(box.end - box.body)
        headers = [self._first(self._children(self.moov), b"mvhd")]
        for _, children in self._tracks():
            headers.append(self._first(children, b"tkhd"))
            mdia = self._first(children, b"mdia")
            if mdia is not None:
                headers.append(self._first(self._children(mdia), b"mdhd"))
        for box in headers:
            if box is None or box.end == box.body:
                continue
            version = self.data[box.body]
            width = {0: 4, 1: 8}.get(version)
            if width is None or box.end - box.body < 4 + 2 * width:
                raise NotAVideo(f"malformed {box.kind!r}")
            out[box.body + 4 : box.body + 4 + 2 * width] = bytes(2 * width)  # creation, modification
        return bytes(out)


def _raw_fourcc(kind: bytes) -> str:
    return kind.decode("latin-1").strip().lower()


def _esds_object_type(payload: bytes) -> int | None:
    """The objectTypeIndication of an ``esds`` box's decoder config (ISO 14496-1 descriptors)."""
    at = 4  # version and flags

    def descriptor(at: int) -> tuple[int, int, int] | None:
        if at >= len(payload):
            return None
        tag = payload[at]
        size = 0
        for i in range(1, 5):
            if at + i >= len(payload):
                return None
            byte = payload[at + i]
            size = size << 7 | byte & 0x7F
            if not byte & 0x80:
                return tag, at + i + 1, size
        return None

    found = descriptor(at)
    if found is None or found[0] != 0x03:
        return None
    _, at, _ = found
    if at + 3 > len(payload):
        return None
    flags = payload[at + 2]
    at += 3
    if flags & 0x80:
        at += 2
    if flags & 0x40:
        if at >= len(payload):
            return None
        at += 1 + payload[at]
    if flags & 0x20:
        at += 2
    found = descriptor(at)
    if found is None or found[0] != 0x04 or found[1] >= len(payload):
        return None
    return payload[found[1]]


# --------------------------------------------------------------------------------------------
# EBML (WebM, Matroska)

_EBML_MAGIC = b"\x1a\x45\xdf\xa3"
_SEGMENT = 0x18538067
_CLUSTER = 0x1F43B675
_INFO = 0x1549A966
_TRACKS = 0x1654AE6B
_TAGS = 0x1254C367
_VOID = 0xEC
_SEGMENT_CHILDREN = {
    0x114D9B74,  # SeekHead
    _INFO,
    _TRACKS,
    _TAGS,
    _CLUSTER,
    0x1C53BB6B,  # Cues
    0x1043A770,  # Chapters
    0x1941A469,  # Attachments
}
_CLUSTER_CHILDREN = {0xE7, 0xA3, 0xA0, 0xAB, 0xA7, 0x5854, 0xAF, _VOID, 0xBF}
"""Timestamp, SimpleBlock, BlockGroup, PrevSize, Position, SilentTracks, EncryptedBlock, Void, CRC-32."""
_MATROSKA_CODECS = {
    "V_VP8": "vp8",
    "V_VP9": "vp9",
    "V_AV1": "av1",
    "V_MPEG4/ISO/AVC": "h264",
    "V_MPEGH/ISO/HEVC": "hevc",
    "V_MPEG4/ISO/ASP": "mpeg4",
    "V_MPEG4/ISO/SP": "mpeg4",
    "V_MPEG4/ISO/AP": "mpeg4",
    "V_THEORA": "theora",
    "A_OPUS": "opus",
    "A_VORBIS": "vorbis",
    "A_MPEG/L3": "mp3",
    "A_AC3": "ac3",
    "A_EAC3": "eac3",
    "A_FLAC": "flac",
}


@dataclass(frozen=True, slots=True)
class _Element:
    id: int
    start: int
    body: int
    end: int | None
    """``None`` while its size is unknown (a live recording's Segment or Cluster)."""


class _Matroska:
    """One WebM/Matroska file: its header and its Segment's top-level elements, walked strictly."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        header, _ = self._element(0, len(data))
        if header.id != 0x1A45DFA3 or header.end is None:
            raise NotAVideo("no EBML header")
        at = header.end
        doctype = None
        for child in self._elements(header.body, header.end):
            if child.id == 0x4282:
                doctype = data[child.body : child.end].rstrip(b"\0")
        if doctype not in (b"webm", b"matroska"):
            raise NotAVideo(f"EBML document of type {doctype!r}")
        self.segment: list[_Element] = []
        found = False
        while at < len(data):
            element, _ = self._element(at, len(data))
            if element.id == _SEGMENT and not found:
                found = True
                end = element.end if element.end is not None else len(data)
                self.segment = list(self._segment_children(element.body, end))
                at = end
            elif element.id in (_VOID, 0xBF) and element.end is not None:
                at = element.end
            else:
                raise NotAVideo(f"unexpected element {element.id:#x} at {at}")
        if not found:
            raise NotAVideo("no Segment")

    def _element(self, at: int, end: int) -> tuple[_Element, int]:
        """The element at ``at`` (``end`` None when its size is unknown) and where its payload starts."""
        data = self.data
        if at >= end:
            raise NotAVideo(f"truncated element at {at}")
        first = data[at]
        length = 9 - first.bit_length() if first else 9
        if length > 4 or at + length > end:
            raise NotAVideo(f"invalid element id at {at}")
        ident = int.from_bytes(data[at : at + length], "big")
        size_at = at + length
        if size_at >= end:
            raise NotAVideo(f"truncated element at {at}")
        first = data[size_at]
        width = 9 - first.bit_length() if first else 9
        if width > 8 or size_at + width > end:
            raise NotAVideo(f"invalid element size at {size_at}")
        size = int.from_bytes(data[size_at : size_at + width], "big") & ((1 << (7 * width)) - 1)
        body = size_at + width
        if size == (1 << (7 * width)) - 1:
            return _Element(ident, at, body, None), body
        if body + size > end:
            raise NotAVideo(f"element {ident:#x} at {at} of size {size} does not fit")
        return _Element(ident, at, body, body + size), body

    def _elements(self, start: int, end: int) -> Iterator[_Element]:
        """The elements of known size between start and end, which they must fill exactly."""
        at = start
        while at < end:
            element, _ = self._element(at, end)
            if element.end is None:
                raise NotAVideo(f"element {element.id:#x} of unknown size at {at}")
            yield element
            at = element.end

    def _segment_children(self, start: int, end: int) -> Iterator[_Element]:
        """The Segment's children; a Cluster of unknown size (a live recording) ends where an element
        that cannot be in a Cluster begins."""
        at = start
        while at < end:
            element, body = self._element(at, end)
            if element.end is None:
                if element.id != _CLUSTER:
                    raise NotAVideo(f"element {element.id:#x} of unknown size at {at}")
                inner = body
                while inner < end:
                    child, _ = self._element(inner, end)
                    if child.id in _SEGMENT_CHILDREN:
                        break
                    if child.id not in _CLUSTER_CHILDREN or child.end is None:
                        raise NotAVideo(f"unexpected element {child.id:#x} in a Cluster at {inner}")
                    inner = child.end
                element = _Element(element.id, element.start, body, inner)
            yield element
            at = element.end

    def _first(self, ident: int) -> _Element | None:
        return next((element for element in self.segment if element.id == ident), None)

    def _uint(self, element: _Element) -> int:
        return int.from_bytes(self.data[element.body : element.end], "big")

    def _text(self, element: _Element) -> str:
        return self.data[element.body : element.end].rstrip(b"\0").decode("utf-8", "replace")

    def facts(self) -> VideoFacts:
        data = self.data
        duration = None
        info = self._first(_INFO)
        if info is not None:
            scale = 1_000_000
            raw = None
            for child in self._elements(info.body, info.end):
                if child.id == 0x2AD7B1:
                    scale = self._uint(child) or scale
                elif child.id == 0x4489:
                    raw = data[child.body : child.end]
            if raw is not None and len(raw) in (4, 8):
                value = struct.unpack(">f" if len(raw) == 4 else ">d", raw)[0]
                if math.isfinite(value) and value > 0:
                    duration = value * scale / 1e9
            elif raw:
                raise NotAVideo("malformed Duration")
        video = audio = None
        width = height = None
        tracks = self._first(_TRACKS)
        for entry in self._elements(tracks.body, tracks.end) if tracks is not None else ():
            if entry.id != 0xAE:
                continue
            kind = codec = None
            pixels: dict[int, int] = {}
            for child in self._elements(entry.body, entry.end):
                if child.id == 0x83:
                    kind = self._uint(child)
                elif child.id == 0x86:
                    codec = self._text(child)
                elif child.id == 0xE0:
                    pixels = {
                        part.id: self._uint(part)
                        for part in self._elements(child.body, child.end)
                        if part.id in (0xB0, 0xBA)
                    }
            name = _matroska_codec(codec) if codec else None
            if kind == 1 and video is None:
                video = name
                width, height = pixels.get(0xB0) or None, pixels.get(0xBA) or None
            elif kind == 2 and audio is None:
                audio = name
        location = any(self._tag_names_place(tags) for tags in self.segment if tags.id == _TAGS)
        return VideoFacts("webm", video, audio, duration, width, height, location, True)

    def _tag_names_place(self, tags: _Element) -> bool:
        """A SimpleTag of the Tags, at any depth, is named like a place: LOCATION, GPS, COORDINATES."""
        pending = [tags]  # a list, not recursion: nesting depth is up to the file
        while pending:
            element = pending.pop()
            for child in self._elements(element.body, element.end):
                if child.id == 0x45A3:  # TagName
                    name = self._text(child).upper()
                    if any(word in name for word in ("LOCATION", "GPS", "COORDINATES", "ISO6709")):
                        return True
                elif child.id in (0x7373, 0x67C8):  # Tag, SimpleTag
                    pending.append(child)
        return False

    def stripped(self) -> bytes:
        out = bytearray(self.data)
        for element in self.segment:
            if element.id == _TAGS:
                _void(out, element.start, element.end)
            elif element.id == _INFO:
                for child in self._elements(element.body, element.end):
                    if child.id == 0x4461:  # DateUTC
                        out[child.body : child.end] = bytes(child.end - child.body)
        return bytes(out)


def _matroska_codec(codec_id: str) -> str:
    if codec_id in _MATROSKA_CODECS:
        return _MATROSKA_CODECS[codec_id]
    if codec_id.startswith("A_AAC"):
        return "aac"
    if codec_id.startswith("A_PCM/"):
        return "pcm"
    return codec_id.lower()


def _void(out: bytearray, start: int, end: int) -> None:
    """Overwrite ``out[start:end]`` with one EBML Void element of exactly that length, zero-filled."""
    total = end - start
    for width in range(1, 9):
        size = total - 1 - width
        if 0 <= size < (1 << (7 * width)) - 1:
            break
    else:
        raise NotAVideo(f"cannot void {total} bytes")
    out[start] = _VOID
    out[start + 1 : start + 1 + width] = (size | 1 << (7 * width)).to_bytes(width, "big")
    out[start + 1 + width : end] = bytes(size)
