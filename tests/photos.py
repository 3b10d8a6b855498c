"""Phone-like photos for tests, drawn with Pillow: EXIF orientation, GPS, XMP, alpha, HEIC."""

from __future__ import annotations

import io
import struct

import pillow_heif
from PIL import Image, ImageCms

RED, BLUE = (220, 30, 30), (30, 30, 220)


def upright_picture(width: int = 60, height: int = 120) -> Image.Image:
    """Red top half, blue bottom half: which way is up is easy to check."""
    image = Image.new("RGB", (width, height), BLUE)
    image.paste(RED, (0, 0, width, height // 2))
    return image


def phone_jpeg(width: int = 60, height: int = 120, *, orientation: int = 6) -> bytes:
    """Stored sideways with an EXIF orientation, as phones do, with GPS and XMP that must not leak."""
    upright = upright_picture(width, height)
    stored = {
        6: upright.transpose(Image.Transpose.ROTATE_90),
        8: upright.transpose(Image.Transpose.ROTATE_270),
        3: upright.transpose(Image.Transpose.ROTATE_180),
        1: upright,
    }[orientation]
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (22.0, 48.0, 36.0), 3: "E", 4: (113.0, 9.0, 0.0)})
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/>secret-home</x:xmpmeta>'
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    stored.save(buffer, "JPEG", quality=90, exif=exif, xmp=xmp, icc_profile=icc)
    return buffer.getvalue()


def png_with_alpha(width: int = 80, height: int = 80) -> bytes:
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    image.paste((200, 120, 0, 255), (20, 20, 60, 60))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def heic(width: int = 64, height: int = 48) -> bytes:
    buffer = io.BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", (width, height), (40, 160, 90))).save(buffer, format="HEIF", quality=80)
    return buffer.getvalue()


def jpeg(width: int, height: int, color: tuple[int, int, int] = (120, 90, 60)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def swapped_profile() -> bytes:
    """An RGB ICC profile whose red channel means sRGB's green and green means red.

    A photo tagged with it that stores pure red must come out green: proof that
    colours are converted through the profile, not copied.
    """
    red, green, blue = (0.4361, 0.2225, 0.0139), (0.3851, 0.7169, 0.0971), (0.1431, 0.0606, 0.7141)
    xyz = lambda v: b"XYZ \0\0\0\0" + b"".join(_s15(c) for c in v)  # noqa: E731
    text = b"swapped red and green"
    tags = [
        (b"desc", b"desc\0\0\0\0" + struct.pack(">I", len(text) + 1) + text + b"\0" + b"\0" * 8 + b"\0" * 70),
        (b"wtpt", xyz((0.9642, 1.0, 0.8249))),
        (b"rXYZ", xyz(green)),
        (b"gXYZ", xyz(red)),
        (b"bXYZ", xyz(blue)),
        (b"rTRC", b"curv\0\0\0\0\0\0\0\0"),
        (b"gTRC", b"curv\0\0\0\0\0\0\0\0"),
        (b"bTRC", b"curv\0\0\0\0\0\0\0\0"),
        (b"cprt", b"text\0\0\0\0no copyright\0"),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, data = b"", b""
    for signature, body in tags:
        body += b"\0" * (-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = offset + len(data)
    header = (
        struct.pack(">I", size)
        + b"lcms"
        + struct.pack(">I", 0x02100000)
        + b"mntrRGB XYZ "
        + b"\0" * 12
        + b"acsp"
        + b"\0" * 24
        + struct.pack(">I", 0)
        + _s15(0.9642)
        + _s15(1.0)
        + _s15(0.8249)
        + b"\0" * 48
    )
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + data


def tagged_red_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (255, 0, 0)).save(buffer, "JPEG", quality=95, icc_profile=swapped_profile())
    return buffer.getvalue()
