"""Decode, turn upright, resize and encode photos: in worker processes, once per content hash.

Each source is decoded once (at reduced scale when the largest variant is
much smaller: JPEG's DCT scaling makes that nearly free), turned upright by its
EXIF orientation, converted to sRGB, and resized from the largest variant down.
Nothing but pixels is written: no EXIF, GPS, XMP or ICC profile.

Encoded files live in the cache folder under their key, so a rebuild, or a
renamed photo, encodes nothing.  Workers are separate processes (encoding is
CPU-bound and holds the GIL); each holds one photo at a time.

A cached file is believed only when it holds what it claims: each variant's
name carries the SHA-256 of its bytes (``<key>.<hash>.<ext>``), checked before
the file is copied into the output; a variant the output already holds (the
last build's manifest says so) is not read at all.  A file that does not check
is encoded again.  Placeholders carry the hash of their data the same way.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import hashlib
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

from .disk_errors import cache_error, disk_reason
from .i18n import _
from .images import MAX_PIXELS, PIPELINE_VERSION, ImageAsset, Variant

PLACEHOLDER_WIDTH = 16
"""Pixels across of the inline placeholder: about 200 bytes of WebP, blurred by the browser's scaling."""
CACHE_MAX_AGE_DAYS = 60
"""Cached variants unused for this long are removed at the end of a build."""

Progress = Callable[[int, int], None]
Published = Callable[[str, str], bool]
"""Whether the output already holds (output path, fingerprint): then the cache file is not read."""


@dataclass(frozen=True, slots=True)
class Processed:
    """A photo ready for templates: its variants (files in the cache) and its placeholder."""

    asset: ImageAsset
    placeholder: str
    """A ``data:`` URI of a tiny version, or '' for a transparent photo."""
    files: tuple[Path, ...] = ()
    """The checked cache file of each variant, in the order of ``asset.variants`` (none in ``check``)."""
    pending: bool = False
    """Not encoded yet (the preview encodes a photo when a browser first asks for it): no files."""


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
    pending: tuple[ImageAsset, ...] = ()
    """Photos left to encode (``lazy``): the preview encodes them when asked, or in the background."""


class ImageCache:
    """Files by key and hash under ``<cache>/images``; a placeholder per source under ``<cache>/placeholders``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.images = root / "images"
        self.placeholders = root / "placeholders"
        self.found: dict[str, Path] = {}
        """Variant key -> its file, checked by this build."""
        self._listed: dict[str, dict[str, list[str]]] = {}

    def variant_path(self, variant: Variant) -> Path:
        """The variant's file as checked by :func:`process_images` (where it would be, before that)."""
        return self.found.get(variant.key) or self.images / variant.key[:2] / f"{variant.key}.{variant.format}"

    def stored_path(self, variant: Variant, digest: str) -> Path:
        return self.images / variant.key[:2] / f"{variant.key}.{digest}.{variant.format}"

    def checked(self, variant: Variant, published: Published | None = None) -> Path | None:
        """The variant's cached file if it holds the bytes its name claims, else None (and a damaged
        file is removed).  A file the output already holds (``published``) is not read."""
        for name in self._names(variant.key[:2]).get(variant.key, ()):
            path = self.images / variant.key[:2] / name
            digest = name.split(".")[1]
            if (published is not None and published(variant.url.lstrip("/"), f"sha:{digest}")) or file_digest(
                path
            ) == digest:
                self.found[variant.key] = path
                return path
            with contextlib.suppress(OSError):
                path.unlink()  # damaged: encoded again
        return None

    def _names(self, folder: str) -> dict[str, list[str]]:
        """The variant files in one of the 256 folders, by key: listed once per build."""
        names = self._listed.get(folder)
        if names is None:
            names = {}
            try:
                listing = os.listdir(self.images / folder)
            except OSError:
                listing = []
            for name in listing:
                parts = name.split(".")
                if len(parts) == 3 and len(parts[1]) == DIGEST_LENGTH:  # not an older name, nor a temporary file
                    names.setdefault(parts[0], []).append(name)
            self._listed[folder] = names
        return names

    def placeholder_path(self, digest: str) -> Path:
        return self.placeholders / digest[:2] / f"{digest}.v{PIPELINE_VERSION}.json"

    def placeholder(self, digest: str) -> str | None:
        """The source's placeholder, if its file holds the hash of its data."""
        try:
            entry = json.loads(self.placeholder_path(digest).read_text(encoding="utf-8"))
            data = str(entry["data"])
            return data if _text_digest(data) == entry["sha256"] else None
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def prune(self, max_age_days: int = CACHE_MAX_AGE_DAYS) -> int:
        """Remove cached files no build has used for ``max_age_days`` (every use touches them).

        Once a day at most: the walk costs a stat per cached file (0.1 s of a preview's start with
        200 photos), and a file a day older than the limit costs only its disk space."""
        stamp = self.root / "pruned"
        now = time.time()
        with contextlib.suppress(OSError):
            if now - stamp.stat().st_mtime < 86400:
                return 0
        limit = now - max_age_days * 86400
        removed = 0
        for folder in (self.images, self.placeholders, self.root / "qr"):
            if not folder.is_dir():
                continue
            for path in folder.rglob("*"):
                if path.is_file() and path.stat().st_mtime < limit:
                    path.unlink(missing_ok=True)
                    removed += 1
        if self.root.is_dir():
            stamp.touch()
        return removed


def process_images(
    assets: Sequence[ImageAsset],
    cache: ImageCache,
    *,
    workers: int | None = None,
    progress: Progress | None = None,
    trust: bool = True,
    published: Published | None = None,
    lazy: bool = False,
) -> EncodeReport:
    """Make every variant not already in the cache; return what templates need.

    ``lazy`` (the preview) encodes nothing: a photo with a variant missing is returned as pending, its
    markup already final (variant names come from the source's hash), for the preview to encode later.

    A cached variant is used only when its bytes have the hash its name records (or the output
    holds it already, says ``published``); with ``trust=False`` (``--clean``) none is, and every
    photo is encoded again.  A cache folder that cannot be written (a full disk, no permission)
    raises a :class:`~villagesite.errors.VillageSiteError` saying so.
    """
    jobs: list[tuple[ImageAsset, list[Variant], bool]] = []
    images: dict[str, Processed] = {}
    pending: list[ImageAsset] = []
    cached = 0
    for asset in assets:
        missing = [v for v in asset.variants if not trust or cache.checked(v, published) is None]
        placeholder = cache.placeholder(asset.source.digest) if trust else None
        if not missing and (placeholder is not None or lazy):
            images[asset.source.url] = Processed(
                asset, placeholder or "", tuple(cache.found[v.key] for v in asset.variants)
            )
            cached += 1
            _touch([cache.found[v.key] for v in asset.variants])
        elif lazy:
            images[asset.source.url] = Processed(asset, placeholder or "", pending=True)
            pending.append(asset)
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
        if isinstance(result, OSError) and _is_cache_failure(result, cache.root):
            raise cache_error(cache.root, result) from result
        if isinstance(result, Exception) or result is None:
            failures[asset.source.url] = explain_failure(result)
            continue
        placeholder, written = result
        cache.found.update((key, Path(path)) for key, path in written.items())
        images[asset.source.url] = Processed(asset, placeholder, tuple(cache.found[v.key] for v in asset.variants))
    return EncodeReport(images, len(jobs) - len(failures), cached, failures, tuple(pending))


def _is_cache_failure(exc: OSError, root: Path) -> bool:
    """Writing the cache failed for want of space or permission: the cache's fault, not the photo's."""
    if disk_reason(exc) is None:
        return False
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True  # only the cache is written while photos are encoded
    return any(name and Path(name).is_relative_to(root) for name in (exc.filename, exc.filename2))


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
                # TRANSLATORS: {error} is Python's own words for what happened to the worker.
                raise RuntimeError(_("a photo worker process stopped unexpectedly: {error}", error=exc)) from exc
            except Exception as exc:  # noqa: BLE001
                yield futures[future], exc


def explain_failure(result: object) -> str:
    """What a worker's exception says about the photo, in the editor's language: made here, in the parent
    process, from the exception the worker returned (the rest of "image 'cover.jpg' …")."""
    if isinstance(result, OSError) and disk_reason(result) is not None:
        # the photo's own file, not its bytes
        return _("cannot be read: {reason}", reason=disk_reason(result))
    text = str(result)
    if "truncated" in text:
        return _("is cut short (the file is incomplete); copy the photo again")
    if "DecompressionBomb" in type(result).__name__ or "exceeds limit" in text:
        return _("has too many pixels; the limit is {limit} megapixels", limit=MAX_PIXELS // 1_000_000)
    # TRANSLATORS: follows "image 'cover.jpg' "; {error} is the decoder's own words (in English).
    return _("could not be decoded ({error}); the file may be damaged", error=text or type(result).__name__)


def encode_one(
    asset: ImageAsset, missing: list[Variant], want_placeholder: bool, cache_root: Path
) -> tuple[str, dict[str, str]]:
    """Encode the missing variants of one photo into the cache; return its placeholder data URI and
    the file written for each variant key."""
    cache = ImageCache(cache_root)
    source = asset.source
    shaped = [v for v in asset.variants if v.crop is None]
    largest = max(shaped, key=lambda v: v.width)
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
    for width in sorted({v.width for v in shaped}, reverse=True):
        target = next(v for v in shaped if v.width == width)
        if current.size != (target.width, target.height):
            current = current.resize((target.width, target.height), Image.Resampling.LANCZOS, reducing_gap=3.0)
        if not by_width and icc:
            current = _to_srgb(current, icc)  # on the largest variant: far fewer pixels than the original
        by_width[width] = current
    del image, upright
    written = {}
    for variant in missing:
        made = _cropped(by_width[max(by_width)], variant) if variant.crop else by_width[variant.width]
        written[variant.key] = str(_save(made, variant, cache))
    placeholder = cache.placeholder(source.digest) if not want_placeholder else None
    if placeholder is None:
        placeholder = _placeholder(by_width[min(by_width)], source.has_alpha)
        entry = {"data": placeholder, "sha256": _text_digest(placeholder)}
        _write_atomic(cache.placeholder_path(source.digest), json.dumps(entry).encode())
    return placeholder, written


def _cropped(image: Image.Image, variant: Variant) -> Image.Image:
    """A share card: the photo cut to the card's shape around its focus, then scaled to the card."""
    assert variant.crop is not None
    x, y = variant.crop
    return ImageOps.fit(
        image, (variant.width, variant.height), Image.Resampling.LANCZOS, centering=(x / 100, y / 100)
    ).convert("RGB")


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


def _save(image: Image.Image, variant: Variant, cache: ImageCache) -> Path:
    """Encode with no metadata at all: ``info`` is cleared, and nothing is passed on.  The file is
    named by the hash of its bytes."""
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
    data = buffer.getvalue()
    path = cache.stored_path(variant, hashlib.sha256(data).hexdigest()[:DIGEST_LENGTH])
    _write_atomic(path, data)
    return path


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


DIGEST_LENGTH = 32
"""Hex digits of SHA-256 kept in a cached file's name: 128 bits."""


def file_digest(path: Path) -> str | None:
    """The SHA-256 (first :data:`DIGEST_LENGTH` hex digits) of a file's bytes; None if it cannot be read."""
    try:
        with path.open("rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest()[:DIGEST_LENGTH]
    except OSError:
        return None


def _text_digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:DIGEST_LENGTH]


def _touch(paths: list[Path]) -> None:
    """Mark cached files as used, so pruning keeps them: once a day is enough, and spares the disk."""
    recently = time.time() - 86400
    for path in paths:
        try:
            if path.stat().st_mtime < recently:
                os.utime(path)
        except OSError:
            pass
