"""Photos named by content -> planned variants: which widths and formats, under which names.

Only image headers are read here (size, orientation, transparency), so this
stage is cheap and runs in ``check`` too.  Decoding and encoding happen in
:mod:`villagesite.encode`, in worker processes.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pillow_heif
from PIL import Image, UnidentifiedImageError

from .config import ImageConfig
from .errors import Problem, did_you_mean, error
from .i18n import _
from .model import ImageUse
from .sealed import read_sealed, write_sealed
from .slugs import slugify

pillow_heif.register_heif_opener()  # iPhones save HEIC; Pillow reads it through libheif

PHOTO_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".avif", ".tif", ".tiff"})
"""Files turned into variants; the originals (with their EXIF and GPS) are never published."""
MAX_PIXELS = 200_000_000
"""A larger image is refused (a decompression bomb, or a mistake); 200 MP phone photos pass."""
PIPELINE_VERSION = 1
"""Bump when encoding changes, so cached variants are made again."""
READER_VERSION = 2
"""Bump when :func:`read_source` refuses more, so the :class:`SourceIndex` reads every photo again."""
AVIF_QUALITY_OFFSET = 30
"""AVIF at quality q-30 looks as good as WebP at q (PSNR), in about 30% fewer bytes (docs/images.md)."""
MIME = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}
EXTENSION = {"avif": "avif", "webp": "webp", "jpeg": "jpg", "png": "png"}
_SWAPPED = {5, 6, 7, 8}  # EXIF orientations that turn the picture by 90 degrees

Image.MAX_IMAGE_PIXELS = MAX_PIXELS


def is_photo(name: str) -> bool:
    return Path(name).suffix.lower() in PHOTO_SUFFIXES


@dataclass(frozen=True, slots=True)
class ImageSource:
    """What the header of a photo says, and the hash of its bytes."""

    path: Path
    url: str
    """Site path the original would have: the key templates and Markdown use."""
    digest: str
    width: int
    """Upright width, after the EXIF orientation."""
    height: int
    has_alpha: bool
    format: str
    orientation: int


@dataclass(frozen=True, slots=True)
class Variant:
    width: int
    height: int
    format: str
    """``avif``, ``webp``, ``jpeg`` or ``png``."""
    quality: int
    key: str
    """Cache key: the source's hash and everything that shapes the encoded bytes."""
    url: str
    """Site path, e.g. ``/img/shi-qiao.3f9a1c2b7d.960.webp``."""
    crop: tuple[float, float] | None = None
    """A share card's crop (``width`` x ``height`` exactly) around this point, in percent from the
    photo's left and top; None for the variants a ``srcset`` offers, which keep the photo's shape."""

    @property
    def mime(self) -> str:
        return MIME[self.format]


@dataclass(frozen=True, slots=True)
class ImageAsset:
    """A photo with its planned variants, best format first."""

    source: ImageSource
    variants: tuple[Variant, ...]

    @property
    def formats(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v.format for v in self.variants))

    @property
    def fallback(self) -> str:
        """The format every browser shows: the last one."""
        return self.formats[-1]

    def of_format(self, fmt: str) -> tuple[Variant, ...]:
        """The variants of ``fmt`` that keep the photo's shape (a ``srcset``'s), smallest first."""
        return tuple(v for v in self.variants if v.format == fmt and v.crop is None)

    @property
    def share(self) -> Variant | None:
        """The share card (Open Graph's 1200 x 630), planned for a page's cover."""
        return next((v for v in self.variants if v.crop is not None), None)

    def nearest(self, width: int, fmt: str | None = None) -> Variant:
        """The smallest variant at least ``width`` wide (else the largest), in ``fmt`` or the fallback."""
        candidates = self.of_format(fmt or self.fallback)
        wide_enough = [v for v in candidates if v.width >= width]
        return min(wide_enough, key=lambda v: v.width) if wide_enough else max(candidates, key=lambda v: v.width)


INDEX_VERSION = 2
"""The photo index's file format: sealed with the hash of its text."""


class SourceIndex:
    """What was read of each photo, by path, size, mtime and inode: a rebuild hashes no unchanged photo.

    Hashing 200 phone photos reads half a gigabyte; a ``stat`` per photo tells
    the same thing when the file did not change (git's index works this way).
    """

    def __init__(self, path: Path, *, read: bool = True) -> None:
        """``read=False`` (``--clean``) starts empty: every photo is read, and the index saved anew."""
        self.path = path
        self.entries: dict[str, list[object]] = {}
        self.changed = not read
        if not read:
            return
        try:
            loaded = read_sealed(path, INDEX_VERSION)  # a file changed by hand is not believed
            if loaded is not None and loaded.get("version") == [PIPELINE_VERSION, READER_VERSION]:
                self.entries = dict(loaded["entries"])
        except (OSError, ValueError, KeyError, TypeError):
            pass

    def read(self, path: Path, url: str) -> ImageSource | str:
        """Like :func:`read_source`, from the index when the file's stat is unchanged."""
        try:
            stat = path.stat()
        except OSError:
            return read_source(path, url)
        key = str(path)
        stamp = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
        entry = self.entries.get(key)
        if entry is not None and entry[:3] == stamp:
            digest, width, height, has_alpha, fmt, orientation = entry[3:]
            return ImageSource(
                path, url, str(digest), int(width), int(height), bool(has_alpha), str(fmt), int(orientation)
            )
        source = read_source(path, url)
        if isinstance(source, ImageSource):
            self.entries[key] = stamp + [
                source.digest,
                source.width,
                source.height,
                source.has_alpha,
                source.format,
                source.orientation,
            ]
            self.changed = True
        return source

    def save(self) -> None:
        if self.changed:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            data = {"version": [PIPELINE_VERSION, READER_VERSION], "entries": self.entries}
            write_sealed(self.path, INDEX_VERSION, data)


class Missing(str):
    """The message of a photo that does not exist: :func:`image_problem` knows it by its type, not by its
    words (they are in the editor's language), and offers the closest file name."""

    __slots__ = ()


def read_source(path: Path, url: str) -> ImageSource | str:
    """Read a photo's header; return a message saying what is wrong instead when it cannot be used
    (a :class:`Missing` one when the file does not exist)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        # TRANSLATORS: follows "image 'cover.jpg' ": the rest of the sentence (see "image '{src}' {message}").
        return Missing(_("does not exist"))
    except OSError as exc:
        # TRANSLATORS: follows "image 'cover.jpg' "; {reason} is the system's own words ("Permission denied").
        return _("cannot be read: {reason}", reason=exc.strerror)
    if not data:
        # TRANSLATORS: follows "image 'cover.jpg' ": the rest of the sentence (see "image '{src}' {message}").
        return _("is empty (0 bytes); copy the photo again")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:  # the bytes just hashed: no second read
                width, height = image.size
                orientation = _orientation(image)
                has_alpha = image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info
                fmt = image.format or "?"
    except Image.DecompressionBombError:
        # TRANSLATORS: follows "image 'cover.jpg' ": the rest of the sentence (see "image '{src}' {message}").
        return _("has too many pixels; the limit is {limit} megapixels", limit=MAX_PIXELS // 1_000_000)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        # TRANSLATORS: follows "image 'cover.jpg' ": the rest of the sentence (see "image '{src}' {message}").
        return _("is not a photo villagesite can read (JPEG, PNG, WebP, HEIC or AVIF), or the file is damaged")
    if width * height > MAX_PIXELS:
        # TRANSLATORS: follows "image 'cover.jpg' "; {width}x{height} is its size in pixels, {limit} in megapixels.
        return _(
            "is {width}x{height} ({megapixels} megapixels); the limit is {limit}",
            width=width,
            height=height,
            megapixels=width * height // 1_000_000,
            limit=MAX_PIXELS // 1_000_000,
        )
    if _cut_short(data, fmt):
        # TRANSLATORS: follows "image 'cover.jpg' ": the rest of the sentence (see "image '{src}' {message}").
        return _("is cut short (the file is incomplete); copy the photo again")
    if orientation in _SWAPPED:
        width, height = height, width
    digest = hashlib.sha256(data).hexdigest()
    return ImageSource(path, url, digest, width, height, has_alpha, fmt, orientation)


def _cut_short(data: bytes, fmt: str) -> bool:
    """Whether the file stops before its format's end: what a copy cut short looks like.

    Only the header is decoded here, so a photo cut short passed ``check`` and
    failed in ``build``.  Each test looks at bytes already in memory for the
    hash, a few segment headers and one search in C: 0.008 ms for an 11 MB
    JPEG, whose SHA-256 takes 10 ms.  JPEG: the end-of-image marker FFD9 after
    the first scan starts (searched from the end, where it is; searching from
    the scan took 18 ms; a scan's data cannot hold FFD9, and motion photos
    append their video after it).  PNG: the IEND chunk.  WebP: the length its
    RIFF header gives.  HEIC/AVIF: the top-level boxes fill the file.
    """
    if fmt in ("JPEG", "MPO"):
        scan = _jpeg_scan(data)
        return scan is None or data.rfind(b"\xff\xd9", scan) < 0  # from the end: found at once
    if fmt == "PNG":
        return data.rfind(b"IEND\xaeB`\x82") < 0
    if fmt == "WEBP":
        return len(data) < 8 + int.from_bytes(data[4:8], "little")
    if fmt in ("HEIF", "AVIF"):
        return not _boxes_fill(data)
    return False


def _jpeg_scan(data: bytes) -> int | None:
    """Where the first scan's data starts (after the SOS segment), following the segment lengths from SOI."""
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:  # stray bytes between segments: libjpeg skips them with a warning
            position = data.find(b"\xff", position)
            if position < 0:
                return None
            continue
        marker = data[position + 1]
        if marker == 0xFF:  # fill bytes before a marker
            position += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            position += 2
            continue
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        position += 2 + length
        if marker == 0xDA:
            return position if position <= len(data) else None
    return None


def _boxes_fill(data: bytes) -> bool:
    """Whether the ISO media file's top-level boxes (ftyp, meta, mdat ...) end where the file ends."""
    position = 0
    while position + 8 <= len(data):
        size = int.from_bytes(data[position : position + 4], "big")
        if size == 1:  # a 64-bit size follows the type
            size = int.from_bytes(data[position + 8 : position + 16], "big")
        elif size == 0:  # the last box runs to the end of the file
            return True
        if size < 8:
            return False
        position += size
    return position == len(data)


def _orientation(image: Image.Image) -> int:
    try:
        value = image.getexif().get(0x0112, 1)
    except Exception:  # a damaged EXIF block must not stop the photo  # noqa: BLE001
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


SHARE_SIZE = (1200, 630)
"""Open Graph's recommended card: what WeChat, Weibo, Facebook and messaging apps show of a shared page."""


def plan_variants(source: ImageSource, config: ImageConfig, share: tuple[float, float] | None = None) -> ImageAsset:
    """Widths never above the photo's own; PNG instead of JPEG where the photo is transparent.

    ``share`` (a cover's focus, or the centre): a JPEG share card cropped around it as well."""
    widths = sorted({min(w, source.width) for w in config.widths})
    formats = [f for f in config.formats if f != "png"]
    if source.has_alpha:
        formats = [f for f in formats if f != "jpeg"] + ["png"]
    elif not formats:
        formats = ["jpeg"]
    stem = slugify(source.path.stem) or "image"
    variants = []
    for fmt in formats:
        quality = max(1, config.quality - AVIF_QUALITY_OFFSET) if fmt == "avif" else config.quality
        for width in widths:
            height = max(1, round(source.height * width / source.width))
            key = hashlib.sha256(f"{source.digest}:{width}:{fmt}:{quality}:{PIPELINE_VERSION}".encode()).hexdigest()[
                :20
            ]
            url = f"/img/{stem}.{key[:10]}.{width}.{EXTENSION[fmt]}"
            variants.append(Variant(width, height, fmt, quality, key, url))
    if share is not None and not source.has_alpha:
        width, height = SHARE_SIZE
        x, y = share
        shape = f"{source.digest}:{width}x{height}:{x:g},{y:g}:jpeg:{config.quality}:{PIPELINE_VERSION}"
        key = hashlib.sha256(shape.encode()).hexdigest()[:20]
        url = f"/img/{stem}.{key[:10]}.{width}x{height}.jpg"
        variants.append(Variant(width, height, "jpeg", config.quality, key, url, (x, y)))
    return ImageAsset(source, tuple(variants))


def image_problem(use: ImageUse, src: str, message: str, nearby: Iterable[str]) -> Problem:
    """A problem with a photo, reported where content names it; ``message`` (from :func:`read_source` or
    the encoder) says what is wrong, in the editor's language."""
    hint = None
    if isinstance(message, Missing):
        hint = did_you_mean(src, [name for name in nearby if name != src])
        hint = hint or _("put the photo beside index.md and write its file name")
    # TRANSLATORS: {src} is the photo's file name; {message} is what is wrong with it, the rest of the
    # sentence, such as "does not exist" or "is cut short (the file is incomplete); copy the photo again".
    text = _("image '{src}' {message}", src=src, message=message)
    return error(use.rel_path, use.line, text, field=use.field, hint=hint)
