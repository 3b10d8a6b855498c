"""The preview's HTTP side: the preview folder as a static host would serve it, plus the page script.

Requests are answered from the preview folder and nothing else
(:func:`locate` refuses every path that would leave it); each HTML page gets
the small LiveReload client script; the server's own URLs live under
:data:`PREFIX`, where no site path can be.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import mimetypes
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from tornado import web

from .. import i18n
from ..i18n import _
from .driver import Preview
from .hosts import TrustedHostOnly, allowed_hosts
from .hub import Hub, ReloadSocket

PREFIX = "/_villagesite/"
"""The server's own URLs; no site path starts with an underscore."""
CLIENT = Path(__file__).parent.parent / "preview_client.js"
"""The page script; it ships in the wheel at this path (``tests/test_packaging.py`` checks it)."""
SCRIPT_TAG = f'<script src="{PREFIX}client.js" defer></script>'.encode()
WORDS_MARKER = "/*villagesite:words*/ {}"
"""Where the page script's words go: :func:`client_script` puts them there, in the editor's language."""


def language_tag() -> str:
    """The editor's language as HTML names it (``zh-Hans``), for the ``lang`` of what the preview shows."""
    return i18n.language().replace("_", "-")


def overlay_words() -> dict[str, str]:
    """The words of the error overlay, in the language the preview was started in."""
    return {
        "lang": language_tag(),
        # TRANSLATORS: the title of the box the preview shows over the page when a save breaks the build.
        "title": _("Build error"),
        # TRANSLATORS: under that title; the page behind the box is the one the last successful build made.
        "note": _("This is the last good page; fix the file and save, and this goes away."),
        # TRANSLATORS: the button that hides the error box.
        "close": _("Close"),
    }


def client_script() -> bytes:
    """The page script, with the overlay's words written into it."""
    script = CLIENT.read_text(encoding="utf-8")
    if WORDS_MARKER not in script:
        raise RuntimeError(f"{CLIENT.name} has no {WORDS_MARKER!r} for the overlay's words")
    words = json.dumps(overlay_words(), ensure_ascii=True)  # ASCII: nothing in it can end the script
    return script.replace(WORDS_MARKER, words, 1).encode()


class ClientScript(TrustedHostOnly, web.RequestHandler):
    def get(self) -> None:
        self.set_header("Content-Type", "text/javascript; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.write(client_script())


@dataclass(frozen=True, slots=True)
class Redirect:
    location: str


def locate(root: Path, path: str) -> Path | Redirect | None:
    """The file a request path names inside ``root``, a redirect to the folder's URL, or None (404).

    ``path`` is the URL path without its first '/', already percent-decoded.
    Nothing outside ``root`` is ever returned: '..', absolute paths, hidden
    names, backslashes and links that resolve outside all give None.
    """
    if "\x00" in path or "\\" in path or path.startswith("/"):
        return None
    parts = [part for part in path.split("/") if part]
    if any(part in (".", "..") or part.startswith(".") for part in parts):
        return None
    real_root = root.resolve()
    try:
        target = root.joinpath(*parts).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not target.is_relative_to(real_root):
        return None
    if target.is_dir():
        if parts and not path.endswith("/"):
            return Redirect("/" + "/".join(parts) + "/")
        return locate(root, "/".join([*parts, "index.html"]))
    return target if target.is_file() else None


def byte_range(header: str | None, size: int) -> tuple[int, int] | None | bool:
    """The first and last byte asked by a ``Range: bytes=a-b`` header (one range, as media players ask);
    None: the whole file (no header, or one not understood); False: a range past the end (416)."""
    if not header or not header.startswith("bytes=") or "," in header:
        return None
    first, _, last = header[len("bytes=") :].strip().partition("-")
    try:
        if first == "":  # the last N bytes
            count = int(last)
            return (max(size - count, 0), size - 1) if count > 0 and size else False
        start = int(first)
        end = min(int(last), size - 1) if last else size - 1
    except ValueError:
        return None
    if start < 0 or start >= size or end < start:
        return False
    return start, end


def with_client(html: bytes) -> bytes:
    """The page with the preview's script, in its head when it has one."""
    lower = html.lower()
    for marker in (b"</head>", b"</body>"):
        at = lower.find(marker)
        if at != -1:
            return html[:at] + SCRIPT_TAG + html[at:]
    return html + SCRIPT_TAG


def not_built() -> bytes:
    """The page for an address the preview has no file for (and the site no ``404.html``), in the editor's
    language."""
    # TRANSLATORS: the browser tab's title of the preview's own "not built" page.
    title = html.escape(_("Preview"))
    # TRANSLATORS: shown in the browser at an address the preview has no page for (yet).
    text = html.escape(_("This page has not been built."))
    return (
        f'<!doctype html><html lang="{language_tag()}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width,initial-scale=1"><title>{title}</title></head>'
        f"<body><p>{text}</p></body></html>"
    ).encode()


class PreviewFiles(TrustedHostOnly, web.RequestHandler):
    """The preview folder, as a static host would serve it, with the preview script in every page."""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def compute_etag(self) -> None:
        return None  # pages change under the same URL with every save

    async def get(self, path: str) -> None:
        await self._serve(path, body=True)

    async def head(self, path: str) -> None:
        await self._serve(path, body=False)

    async def _serve(self, path: str, *, body: bool) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        found = locate(self.preview.output, path)
        if found is None:  # a photo not encoded yet: encoded now (or soon), then served from the cache
            found = await self._pending_photo("/" + path)
        if isinstance(found, Redirect):
            query = f"?{self.request.query}" if self.request.query else ""
            self.redirect(found.location + query, permanent=False)
            return
        if found is None:
            self.set_status(404)
            missing = locate(self.preview.output, "404.html")
            content = missing.read_bytes() if isinstance(missing, Path) else not_built()
            self._send(content, "text/html; charset=utf-8", body)
            return
        try:
            content = found.read_bytes()
        except OSError:  # removed by a build since it was found
            self.set_status(404)
            self._send(not_built(), "text/html; charset=utf-8", body)
            return
        kind, _encoding = mimetypes.guess_type(found.name)
        kind = kind or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json", "image/svg+xml"):
            kind += "; charset=utf-8"
        if not kind.startswith("text/html"):
            # Safari on a villager's iPhone plays a <video> only from a server that answers a range of it.
            self.set_header("Accept-Ranges", "bytes")
            wanted = byte_range(self.request.headers.get("Range"), len(content))
            if wanted is False:
                self.set_status(416)
                self.set_header("Content-Range", f"bytes */{len(content)}")
                return
            if wanted is not None:
                start, end = wanted
                self.set_status(206)
                self.set_header("Content-Range", f"bytes {start}-{end}/{len(content)}")
                content = content[start : end + 1]
        self._send(content, kind, body)

    async def _pending_photo(self, url: str) -> Path | None:
        photos = self.preview.photos
        wanted = photos.request(url) if photos is not None else None
        if isinstance(wanted, Future):
            with contextlib.suppress(Exception):  # a photo that fails is reported by the preview, not here
                await asyncio.wrap_future(wanted)
            wanted = photos.file(url) if photos is not None else None
        return wanted if isinstance(wanted, Path) else None

    def _send(self, content: bytes, kind: str, body: bool) -> None:
        if kind.startswith("text/html"):
            content = with_client(content)
        self.set_header("Content-Type", kind)
        if body:
            self.write(content)
        else:
            self.set_header("Content-Length", str(len(content)))


def make_app(preview: Preview, hub: Hub, allowed: frozenset[str] | None = None) -> web.Application:
    return web.Application(
        [
            (PREFIX + "livereload", ReloadSocket, {"hub": hub}),
            (PREFIX + r"client\.js", ClientScript),
            (r"/(.*)", PreviewFiles, {"preview": preview}),
        ],
        log_function=lambda handler: None,  # the terminal shows builds, not requests
        allowed_hosts=allowed if allowed is not None else allowed_hosts(),
    )
