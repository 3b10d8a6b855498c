"""Decode, turn upright, resize and encode photos: in worker processes, once per content hash.

Each source is decoded once (at reduced scale when the largest variant is
much smaller: JPEG's DCT scaling makes that nearly free), turned upright by its
EXIF orientation, converted to sRGB, and resized from the largest variant down.
Nothing but pixels is written: no EXIF, GPS, XMP or ICC profile.

Encoded files live in the cache folder under their key, so a rebuild, or a
renamed photo, encodes nothing.  Workers are separate processes (encoding is
CPU-bound and holds the GIL); each holds one photo at a time.
"""

from __future__ import annotations

import base64
import io
import json
import multiprocessing
import os
import time
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageOps

from .images import MAX_PIXELS, PIPELINE_VERSION, ImageAsset, Variant

PLACEHOLDER_WIDTH = 16
"""Pixels across of the inline placeholder: about 200 bytes of WebP, blurred by the browser's scaling."""
CACHE_MAX_AGE_DAYS = 60
"""Cached variants unused for this long are removed at the end of a build."""

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Processed:
    """A photo ready for templates: its variants (files in the cache) and its placeholder."""

    asset: ImageAsset
    placeholder: str
    """A ``data:`` URI of a tiny version, or '' for a transparent photo."""


@dataclass(frozen=True, slots=True)
class EncodeReport:
    images: dict[str, Processed]
    """Site path of the original -> processed photo."""
    encoded: int
    """Photos decoded and encoded in this build."""
    cached: int
    """Photos whose every variant came from the cache."""
    failures: dict[str, str]
    """Site path of the original -> what went wrong (a damaged file)."""


class ImageCache:
    """Files by key under ``<cache>/images``; a placeholder per source under ``<cache>/placeholders``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.images = root / "images"
        self.placeholders = root / "placeholders"

    def variant_path(self, variant: Variant) -> Path:
        return self.images / variant.key[:2] / f"{variant.key}.{variant.format}"

    def placeholder_path(self, digest: str) -> Path:
        return self.placeholders / digest[:2] / f"{digest}.v{PIPELINE_VERSION}.json"

    def placeholder(self, digest: str) -> str | None:
        try:
            return str(json.loads(self.placeholder_path(digest).read_text())["data"])
        except (OSError, ValueError, KeyError):
            return None

    def prune(self, max_age_days: int = CACHE_MAX_AGE_DAYS) -> int:
        """Remove cached files no build has used for ``max_age_days`` (every use touches them)."""
        limit = time.time() - max_age_days * 86400
        removed = 0
        for folder in (self.images, self.placeholders, self.root / "qr"):
            if not folder.is_dir():
                continue
            for path in folder.rglob("*"):
                if path.is_file() and path.stat().st_mtime < limit:
                    path.unlink(missing_ok=True)
                    removed += 1
        return removed


def process_images(
    assets: Sequence[ImageAsset], cache: ImageCache, *, workers: int | None = None, progress: Progress | None = None
) -> EncodeReport:
    """Make every variant not already in the cache; return what templates need."""
    jobs: list[tuple[ImageAsset, list[Variant], bool]] = []
    images: dict[str, Processed] = {}
    cached = 0
    for asset in assets:
        missing = [v for v in asset.variants if not cache.variant_path(v).is_file()]
        placeholder = cache.placeholder(asset.source.digest)
        if not missing and placeholder is not None:
            images[asset.source.url] = Processed(asset, placeholder)
            cached += 1
            _touch([cache.variant_path(v) for v in asset.variants])
        else:
            jobs.append((asset, missing, placeholder is None))
    failures: dict[str, str] = {}
    total, done = len(jobs), 0
    if progress and total:
        progress(0, total)
    for asset, result in _run(jobs, cache, workers):
        done += 1
        if progress:
            progress(done, total)
        if isinstance(result, Exception) or result is None:
            failures[asset.source.url] = _explain(result)
            continue
        images[asset.source.url] = Processed(asset, result)
    return EncodeReport(images, len(jobs) - len(failures), cached, failures)


def _run(jobs: list[tuple[ImageAsset, list[Variant], bool]], cache: ImageCache, workers: int | None):
    """Yield (asset, placeholder or exception) as jobs finish: in this process when that is cheaper."""
    count = min(workers or os.cpu_count() or 1, len(jobs))
    if count <= 1 or len(jobs) < 3:
        for asset, missing, want_placeholder in jobs:
            try:
                yield asset, encode_one(asset, missing, want_placeholder, cache.root)
            except Exception as exc:  # reported as a problem with this photo  # noqa: BLE001
                yield asset, exc
        return
    # 'spawn' keeps workers independent of the parent's threads (the preview server has some).
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        futures = {pool.submit(encode_one, asset, missing, want, cache.root): asset for asset, missing, want in jobs}
        for future in as_completed(futures):
            try:
                yield futures[future], future.result()
            except BrokenProcessPool as exc:
                # Not the photo's fault: a worker was killed (out of memory?) or could not start.
                raise RuntimeError(f"a photo worker process stopped unexpectedly: {exc}") from exc
            except Exception as exc:  # noqa: BLE001
                yield futures[future], exc


def _explain(result: object) -> str:
    text = str(result)
    if "truncated" in text:
        return "is cut short (the file is incomplete); copy the photo again"
    if "DecompressionBomb" in type(result).__name__ or "exceeds limit" in text:
        return f"has too many pixels; the limit is {MAX_PIXELS // 1_000_000} megapixels"
    return f"could not be decoded ({text or type(result).__name__}); the file may be damaged"


def encode_one(asset: ImageAsset, missing: list[Variant], want_placeholder: bool, cache_root: Path) -> str:
    """Encode the missing variants of one photo into the cache; return its placeholder data URI."""
    cache = ImageCache(cache_root)
    source = asset.source
    largest = max(asset.variants, key=lambda v: v.width)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with Image.open(source.path) as opened:
            if opened.format == "JPEG":
                # Decode at 1/2, 1/4 or 1/8 scale when that still covers the largest variant.
                box = (
                    (largest.height, largest.width)
                    if source.orientation in (5, 6, 7, 8)
                    else (largest.width, largest.height)
                )
                opened.draft(opened.mode, box)
            opened.load()
            icc = opened.info.get("icc_profile")
            upright = ImageOps.exif_transpose(opened)
    image = _normal_mode(upright)
    by_width: dict[int, Image.Image] = {}
    current = image
    for width in sorted({v.width for v in asset.variants}, reverse=True):
        target = next(v for v in asset.variants if v.width == width)
        if current.size != (target.width, target.height):
            current = current.resize((target.width, target.height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        if not by_width and icc:
            current = _to_srgb(current, icc)  # on the largest variant: far fewer pixels than the original
        by_width[width] = current
    del image, upright
    for variant in missing:
        _save(by_width[variant.width], variant, cache.variant_path(variant))
    placeholder = cache.placeholder(source.digest) if not want_placeholder else None
    if placeholder is None:
        placeholder = _placeholder(by_width[min(by_width)], source.has_alpha)
        _write_atomic(cache.placeholder_path(source.digest), json.dumps({"data": placeholder}).encode())
    return placeholder


def _normal_mode(image: Image.Image) -> Image.Image:
    if image.mode in ("RGB", "RGBA"):
        return image
    if image.mode == "P" and "transparency" in image.info or image.mode in ("LA", "La", "PA", "RGBa"):
        return image.convert("RGBA")
    if image.mode == "I;16" or image.mode == "I":
        return image.point(lambda value: value * (1 / 256)).convert("L").convert("RGB")
    return image.convert("RGB")


def _to_srgb(image: Image.Image, icc: bytes) -> Image.Image:
    """Convert from the photo's colour profile (Display P3 on iPhones, Adobe RGB) to sRGB."""
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "srgb" in ImageCms.getProfileDescription(profile).lower():
            return image
        return ImageCms.profileToProfile(image, profile, _SRGB, outputMode=image.mode) or image
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # an unreadable profile: the pixels as they are beat no picture


_SRGB = ImageCms.createProfile("sRGB")


def _save(image: Image.Image, variant: Variant, path: Path) -> None:
    """Encode with no metadata at all: ``info`` is cleared, and nothing is passed on."""
    image.info = {}
    buffer = io.BytesIO()
    if variant.format == "webp":
        image.save(buffer, "WEBP", quality=variant.quality, method=4)
    elif variant.format == "avif":
        image.save(buffer, "AVIF", quality=variant.quality, speed=6)
    elif variant.format == "jpeg":
        image.convert("RGB").save(buffer, "JPEG", quality=variant.quality, optimize=True, progressive=True)
    else:
        image.save(buffer, "PNG", optimize=True)
    _write_atomic(path, buffer.getvalue())


def _placeholder(image: Image.Image, has_alpha: bool) -> str:
    if has_alpha:
        return ""
    height = max(1, round(image.height * PLACEHOLDER_WIDTH / image.width))
    tiny = image.convert("RGB").resize((PLACEHOLDER_WIDTH, height), Image.Resampling.BOX)
    tiny.info = {}
    buffer = io.BytesIO()
    tiny.save(buffer, "WEBP", quality=40, method=6)
    return "data:image/webp;base64," + base64.b64encode(buffer.getvalue()).decode()


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _touch(paths: list[Path]) -> None:
    """Mark cached files as used, so pruning keeps them: once a day is enough, and spares the disk."""
    recently = time.time() - 86400
    for path in paths:
        try:
            if path.stat().st_mtime < recently:
                os.utime(path)
        except OSError:
            pass
