"""Say in one line why a folder could not be written (disk full, permission denied, read-only) and what to do.

Shared by the writing of the output (:mod:`villagesite.write`), the caches
(:mod:`villagesite.caches`, :mod:`villagesite.encode`) and
:mod:`villagesite.build`: a folder that cannot be written is one clear line,
never taken for a damaged photo or page.
"""

from __future__ import annotations

import errno
from pathlib import Path

from .errors import VillageSiteError, error
from .i18n import _

DISK_FULL = (errno.ENOSPC, errno.EDQUOT)
NOT_WRITABLE = (errno.EACCES, errno.EPERM, errno.EROFS)


def disk_reason(exc: OSError) -> str | None:
    """'disk full' or 'permission denied' when that is why ``exc`` happened, else None."""
    if exc.errno in DISK_FULL:
        return _("disk full")
    if exc.errno == errno.EROFS:
        return _("read-only file system")
    if exc.errno in NOT_WRITABLE:
        return _("permission denied")
    return None


CACHE_ENV = "VILLAGESITE_CACHE_DIR"
"""Where to keep encoded photos between builds, when not ``.villagesite-cache/`` in the site (CI caches)."""


def cache_error(root: Path, exc: OSError) -> VillageSiteError:
    """One line for a cache folder that cannot be written: never taken for a damaged photo or page."""
    reason = disk_reason(exc) or exc.strerror or type(exc).__name__
    if exc.errno in DISK_FULL:
        # TRANSLATORS: {reason} is why (disk full, permission denied); {variable} is VILLAGESITE_CACHE_DIR.
        message = _(
            "the cache folder {folder} cannot be written: {reason}; free space or set {variable}",
            folder=root,
            reason=reason,
            variable=CACHE_ENV,
        )
    else:
        # TRANSLATORS: {reason} is why (disk full, permission denied); {variable} is VILLAGESITE_CACHE_DIR.
        message = _(
            "the cache folder {folder} cannot be written: {reason}; make it writable or set {variable}",
            folder=root,
            reason=reason,
            variable=CACHE_ENV,
        )
    return VillageSiteError([error("", None, message)])


def output_error(output: Path, exc: OSError) -> VillageSiteError:
    """One line for a file of the output that could not be written, naming the folder and what to do."""
    folder = output
    for name in (exc.filename2, exc.filename):
        if name and Path(name).is_relative_to(output):
            folder = Path(name).parent
            break
    reason = disk_reason(exc) or exc.strerror or type(exc).__name__
    if exc.errno in DISK_FULL:
        # TRANSLATORS: {reason} is why (disk full, permission denied).
        message = _(
            "the output folder {folder} cannot be written: {reason}; free space on its disk, or choose another"
            " with --output (the output is left as it was)",
            folder=folder,
            reason=reason,
        )
    else:
        # TRANSLATORS: {reason} is why (disk full, permission denied).
        message = _(
            "the output folder {folder} cannot be written: {reason}; make it writable, or choose another"
            " with --output (the output is left as it was)",
            folder=folder,
            reason=reason,
        )
    return VillageSiteError([error("", None, message)])


def write_error(output: Path, cache: Path, exc: OSError) -> VillageSiteError:
    """One line for a file a build could not write: in the cache folder (a photo, a QR code, the
    manifest) or else in the output, whichever the failed call names."""
    cached = any(name and Path(name).is_relative_to(cache) for name in (exc.filename, exc.filename2))
    return cache_error(cache, exc) if cached else output_error(output, exc)
