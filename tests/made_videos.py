"""Tiny videos made by the tests with PyAV (FFmpeg's own muxers, so the boxes and elements are the ones
real tools write), and the place a phone writes into one."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

GPS = "+22.8411+113.1234/"
RED, GREEN, BLUE = (255, 0, 0), (0, 255, 0), (0, 0, 255)


def make_video(
    path: Path,
    fmt: str,
    codec: str,
    audio: str | None = None,
    metadata: dict[str, str] | None = None,
    options: dict[str, str] | None = None,
    colours: tuple[tuple[int, int, int], ...] = (RED, GREEN, BLUE),
    frames: int = 24,
    rotation: int | None = None,
) -> Path:
    """A small video: ``frames`` frames at 12 fps, in equal runs of solid ``colours``; silent sound if asked."""
    av = pytest.importorskip("av")
    from PIL import Image

    with av.open(str(path), "w", format=fmt, options=options or {}) as out:
        out.metadata.update(metadata or {})
        video = out.add_stream(codec, rate=12)
        video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
        if codec == "libx265":
            video.options = {"x265-params": "log-level=error"}
        if rotation is not None:
            video.set_display_rotation(rotation)
        sound = out.add_stream(audio, rate=48000) if audio else None
        for i in range(frames):
            colour = colours[i * len(colours) // frames]
            for packet in video.encode(av.VideoFrame.from_image(Image.new("RGB", (64, 48), colour))):
                out.mux(packet)
        for packet in video.encode():
            out.mux(packet)
        if sound is not None:
            size = sound.frame_size or 1024
            for k in range(frames * 4000 // size + 1):  # 48000 / 12 samples a video frame
                chunk = av.AudioFrame(format=sound.format.name, layout=sound.layout.name, samples=size)
                for plane in chunk.planes:
                    plane.update(bytes(plane.buffer_size))
                chunk.sample_rate, chunk.pts = 48000, k * size
                for packet in sound.encode(chunk):
                    out.mux(packet)
            for packet in sound.encode():
                out.mux(packet)
    return path


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def top_boxes(data: bytes) -> list[tuple[bytes, int, int]]:
    """(type, start, end) of the top-level boxes (32-bit sizes only: enough for these files)."""
    found, at = [], 0
    while at < len(data):
        size, kind = struct.unpack_from(">I4s", data, at)
        found.append((kind, at, at + size))
        at += size
    return found


def with_xyz(data: bytes, place: str = GPS) -> bytes:
    """The MP4 with a QuickTime ``udta/©xyz`` box (as iPhones and Android write) added at the end of moov.

    FFmpeg's MP4 muxer writes a binary 3GPP ``loci`` box for ``location``, not ``©xyz``; the box is
    added here by hand. moov must come after mdat, so no chunk offset moves.
    """
    boxes = {kind: (start, end) for kind, start, end in top_boxes(data)}
    start, end = boxes[b"moov"]
    assert start > boxes[b"mdat"][0]
    text = place.encode()
    udta = box(b"udta", box(b"\xa9xyz", struct.pack(">HH", len(text), 0x15C7) + text))
    moov = struct.pack(">I", end - start + len(udta)) + data[start + 4 : end] + udta
    return data[:start] + moov + data[end:]
