"""Videos in page folders, made fit to publish: their recording place removed, a poster frame taken.

A phone writes where a video was filmed into the file, as into a photo; a
village's editors rarely know it.  Every video a page folder publishes is
therefore published from a copy with its metadata blanked
(:func:`villagesite.video_files.strip_metadata`), never as it is, and a file
that cannot be read to clean is refused.  The copy, what the file says (its
codec, length, size) and a poster frame are kept in the cache by the file's
size, time and inode, so a rebuild reads no unchanged video.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem, error, warning
from .i18n import _
from .sealed import read_sealed, write_sealed

LARGE_BYTES = 20 * 1024 * 1024
"""A video over this is slow to load on a rural mobile network: worth cutting or posting on a platform."""
VERSION = 2
"""What the cache holds: a change to the cleaning or the facts read makes earlier entries stale."""


@dataclass(frozen=True, slots=True)
class BundleVideo:
    """A video of a page folder, ready to publish."""

    url: str
    """Site path, beside its page: ``/villages/fengjian/harvest.mp4``."""
    published: Path
    """The cleaned copy in the cache: what is copied to the output."""
    digest: str
    """The cleaned copy's hash: the folder it is kept in."""
    size: int
    mime: str
    duration: float | None
    width: int | None
    height: int | None
    playable: bool
    codec: str | None
    poster: Path | None
    """A frame of the video as a JPEG, when PyAV is installed (``pip install 'villagesite[video]'``)."""


MIME = {"mp4": "video/mp4", "mov": "video/quicktime", "webm": "video/webm"}


def prepare(path: Path, url: str, rel: str, cache: Path) -> tuple[BundleVideo | None, list[Problem]]:
    """The cleaned copy of one video (made now, or kept from an earlier build), and what is wrong with it:
    an unreadable file is an error (it cannot be cleaned); a large or unplayable one, a warning."""
    from . import video_files  # read only where a folder holds a video

    try:
        stat = path.stat()
    except OSError as exc:
        return None, [error(rel, None, _("cannot read the video: {reason}", reason=exc.strerror or exc))]
    # PyAV installed since is a reason to look again: the poster can be taken now.
    facts = f"{VERSION}\0{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ino}\0{video_files.has_pyav()}"
    key = hashlib.sha256(facts.encode()).hexdigest()
    folder = cache / "videos"
    record = folder / f"{key[:32]}.json"
    video = _kept(record, url)
    if video is None:
        try:
            video = _clean(path, url, folder)
        except video_files.NotAVideo:
            return None, [
                error(
                    rel,
                    None,
                    _("is no video villagesite can read, so the place it was filmed cannot be removed from it"),
                    hint=_(
                        "export it again as MP4 (H.264) from the phone's or the editor's app; or strip it with "
                        "ffmpeg -i {name} -map_metadata -1 -c copy clean.mp4",
                        name=path.name,
                    ),
                )
            ]
        except OSError as exc:
            return None, [error(rel, None, _("cannot read the video: {reason}", reason=exc.strerror or exc))]
        _keep(record, video)
    return video, _advice(video, rel)


def _clean(path: Path, url: str, folder: Path) -> BundleVideo:
    from . import video_files

    data = path.read_bytes()
    facts = video_files.inspect(data)
    cleaned = video_files.strip_metadata(data)
    digest = hashlib.sha256(cleaned).hexdigest()
    home = folder / digest[:32]
    home.mkdir(parents=True, exist_ok=True)
    published = home / path.name
    _write(published, cleaned)
    poster = None
    try:
        frame = video_files.poster_frame(published) if video_files.has_pyav() else None
    except video_files.NotAVideo:  # cleaned and published all the same; the editor is asked for a poster
        frame = None
    if frame is not None:
        poster = home / (path.stem + ".jpg")  # the photo pipeline names variants after this stem
        frame.save(poster, "JPEG", quality=92)
    return BundleVideo(
        url,
        published,
        digest,
        len(cleaned),
        MIME[facts.container],
        facts.duration,
        facts.width,
        facts.height,
        video_files.playable(facts),
        facts.video_codec,
        poster,
    )


def _write(path: Path, data: bytes) -> None:
    part = path.with_name(path.name + ".part")
    part.write_bytes(data)
    os.replace(part, path)


def _kept(record: Path, url: str) -> BundleVideo | None:
    """What an earlier build made of the same file, when its record is sealed (not changed by hand), its
    copy and poster lie in the cache's video folder and the copy is still whole."""
    try:
        kept = read_sealed(record, VERSION)
        if kept is None:
            return None
        folder = record.parent.resolve()
        paths = {name: Path(kept[name]) if kept[name] else None for name in _PATHS}
        for path in paths.values():
            if path is not None and (not path.resolve().is_relative_to(folder) or not path.is_file()):
                return None
        published = paths["published"]
        if published is None or published.stat().st_size != kept["size"]:
            return None
        return BundleVideo(**{**kept, **paths, "url": url})
    except (OSError, ValueError, KeyError, TypeError):
        return None


_PATHS = ("published", "poster")


def _keep(record: Path, video: BundleVideo) -> None:
    fields = {field.name: getattr(video, field.name) for field in dataclasses.fields(video) if field.name != "url"}
    fields.update({name: str(fields[name]) if fields[name] else None for name in _PATHS})
    try:
        write_sealed(record, VERSION, fields)
    except OSError:
        pass  # kept next time, or the video is cleaned again: nothing is lost


def _advice(video: BundleVideo, rel: str) -> list[Problem]:
    found = []
    if video.size > LARGE_BYTES:
        found.append(
            warning(
                rel,
                None,
                _(
                    "is {size} MB; a visitor on a rural mobile network waits long for it",
                    size=round(video.size / 1024 / 1024, 1),
                ),
                hint=_(
                    "keep videos under {limit} MB: cut it shorter, export it at 720p, or post it on a platform "
                    "and link it (url:)",
                    limit=LARGE_BYTES // 1024 // 1024,
                ),
            )
        )
    if not video.playable:
        found.append(
            warning(
                rel,
                None,
                _(
                    "is {codec} in {container}, which many visitors' browsers cannot play",
                    codec=(video.codec or "?").upper(),
                    container=video.mime.split("/")[1].upper(),
                ),
                hint=_(
                    "export it as MP4 with H.264 video and AAC sound; on an iPhone, Settings > Camera > "
                    "Formats > Most Compatible records so"
                ),
            )
        )
    return found
