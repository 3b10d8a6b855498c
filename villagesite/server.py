"""``villagesite serve``: build with drafts into a preview folder, serve it, rebuild on save, reload browsers.

Three parts, each on its own thread:

- the **watcher** (:mod:`villagesite.watch`) turns file events into batches
  of changed paths;
- the **builder** builds each batch into the preview folder with one
  :class:`~villagesite.memory.BuildMemory`, so a save re-reads one file and
  renders the pages it reaches, then tells the browsers: reload, refresh the
  stylesheet, or show the error;
- the **server** (Tornado, under livereload's socket handler) serves the
  preview folder and nothing else, and speaks the LiveReload protocol with a
  small script it adds to every HTML page it serves.

Content never stops the server: a failed build keeps the last good pages and
shows its message over them, in the browser and in the terminal.
"""

from __future__ import annotations

import contextlib
import gc
import ipaddress
import json
import mimetypes
import os
import socket
import threading
import time
import traceback
import webbrowser
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import segno
from livereload.handlers import LiveReloadHandler
from tornado import httpserver, ioloop, netutil, web

from .build import BuildReport, build, cache_dir, collector_paused
from .config import load_config, with_base_url
from .encode import Progress
from .errors import Problem, VillageSiteError, error
from .memory import BuildMemory
from .watch import SiteWatcher, gather

PREFIX = "/_villagesite/"
"""The server's own URLs; no site path starts with an underscore."""
CLIENT = Path(__file__).with_name("preview_client.js")
SCRIPT_TAG = f'<script src="{PREFIX}client.js" defer></script>'.encode()
RETRIES = 3
"""Builds tried again when a file vanished during the walk (a folder being renamed)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """One preview build: what started it, what it wrote, or what was wrong."""

    changed: tuple[str, ...]
    seconds: float
    report: BuildReport | None = None
    problems: tuple[Problem, ...] = ()
    crash: str | None = None
    """A traceback: a bug in villagesite, not in the content."""

    @property
    def failed(self) -> bool:
        return self.report is None

    @property
    def written(self) -> tuple[str, ...]:
        return self.report.written.written if self.report and self.report.written else ()

    @property
    def removed(self) -> tuple[str, ...]:
        return self.report.written.removed if self.report and self.report.written else ()

    @property
    def message(self) -> str:
        """The plain text editors see in the terminal and over the page."""
        if self.crash:
            return f"villagesite failed while building (a bug: please report it):\n{self.crash}"
        lines = [str(problem) for problem in self.problems]
        errors = sum(problem.is_error for problem in self.problems)
        lines.append(f"{errors} error{'s' * (errors != 1)}")
        return "\n".join(lines)


class Preview:
    """Builds the site into its preview folder: once at the start, then once per batch of changes."""

    def __init__(self, site_dir: Path, *, output: Path | None = None) -> None:
        self.site_dir = site_dir.resolve()
        self.memory = BuildMemory()
        self.output = (output or _default_output(self.site_dir)).resolve()
        self.last: Outcome | None = None
        self._lock = threading.Lock()

    @property
    def error(self) -> str | None:
        """The message of the last build, when it failed."""
        last = self.last
        return last.message if last is not None and last.failed else None

    def build(self, changed: Iterable[str] = (), *, progress: Progress | None = None) -> Outcome:
        started = time.perf_counter()
        changed = tuple(sorted(changed))
        with self._lock, collector_paused():
            for attempt in range(RETRIES + 1):
                try:
                    config = with_base_url(load_config(self.site_dir), "/")
                    report = build(
                        config,
                        output=self.output,
                        drafts=True,
                        memory=self.memory,
                        hash_assets=False,
                        progress=progress,
                    )
                    outcome = Outcome(changed, time.perf_counter() - started, report, report.warnings)
                except VillageSiteError as exc:
                    outcome = Outcome(changed, time.perf_counter() - started, problems=tuple(exc.problems))
                except FileNotFoundError:
                    if attempt < RETRIES:  # a file went while the build read the folders: read them again
                        time.sleep(0.05)
                        continue
                    outcome = Outcome(changed, time.perf_counter() - started, crash=traceback.format_exc())
                except Exception:  # noqa: BLE001 - the preview outlives any bug; the traceback is shown
                    outcome = Outcome(changed, time.perf_counter() - started, crash=traceback.format_exc())
                break
            self.last = outcome
            return outcome

    def after_reload(self) -> None:
        """What a build leaves for after the browsers are told: its manifest, written now."""
        with self._lock, contextlib.suppress(OSError):
            self.memory.save_manifest()

    def close(self) -> None:
        """Keep the Markdown cache and photo index for the next start."""
        with self._lock, contextlib.suppress(OSError):
            self.memory.flush()


def _collect_garbage(*, first: bool = False) -> None:
    """Collect a build's garbage; after the first build, set what it made aside for good.

    ``gc.freeze`` moves every object alive now (the parsed site, the caches)
    out of the collector's sight: they live as long as the server, or are
    freed by reference counting when a save replaces them.  Later
    collections then scan only what later builds made (0.03 s, not 0.15 s).
    """
    gc.collect()
    if first:
        gc.freeze()


def _default_output(site_dir: Path) -> Path:
    """``preview/`` in the cache folder: never the real ``output/``."""
    try:
        return cache_dir(load_config(site_dir)) / "preview"
    except VillageSiteError:  # site.yaml is broken: the first build will say so
        env = os.environ.get("VILLAGESITE_CACHE_DIR")
        return (Path(env) if env else site_dir / ".villagesite-cache") / "preview"


# ---------------------------------------------------------------- what browsers are told


class Hub:
    """The browsers connected to one server; messages are sent from the server's thread."""

    def __init__(self, preview: Preview) -> None:
        self.preview = preview
        self.sockets: set[ReloadSocket] = set()
        self.loop: ioloop.IOLoop | None = None
        self.sent: list[dict[str, Any]] = []
        """Every message sent, for tests and the benchmark."""

    def announce(self, outcome: Outcome, previous: Outcome | None) -> threading.Event:
        """After a build: show its error, or reload (styles only, when only stylesheets changed).

        Returns an event set once the messages are on their way (the builder
        waits for it before collecting garbage, which would hold up sending).
        """
        done = threading.Event()
        messages = messages_for(outcome, previous)
        if self.loop is None or not messages:
            done.set()
            return done
        for message in messages:
            self.send(message)
        self.loop.add_callback(done.set)
        return done

    def send(self, message: dict[str, Any]) -> None:
        if self.loop is None:
            return
        self.loop.add_callback(self._send_now, message)

    def _send_now(self, message: dict[str, Any]) -> None:
        self.sent.append(message)
        for socket_ in list(self.sockets):
            try:
                socket_.write_message(message)
            except Exception:  # noqa: BLE001 - a closed tab; it is forgotten
                self.sockets.discard(socket_)


def messages_for(outcome: Outcome, previous: Outcome | None) -> list[dict[str, Any]]:
    """What a build means for an open page."""
    if outcome.failed:
        return [{"command": "alert", "message": outcome.message}]
    if previous is not None and previous.failed:
        return [{"command": "reload", "path": "*", "liveCSS": False}]  # the last good page, now without the error
    written, removed = outcome.written, outcome.removed
    if not written and not removed:
        return []
    if written and not removed and all(rel.endswith(".css") for rel in written):
        return [{"command": "reload", "path": f"/{rel}", "liveCSS": True} for rel in written]
    first = (written or removed)[0]
    return [{"command": "reload", "path": f"/{first}", "liveCSS": False}]


def allowed_hosts(lan: Iterable[str] = ()) -> frozenset[str]:
    """The names a request's ``Host`` may give: ``localhost``, this computer's own name, the LAN addresses
    printed for phones (loopback addresses are always accepted, see :func:`trusted_host`)."""
    own = socket.gethostname().lower().rstrip(".")
    return frozenset(name for name in ("localhost", own, own.split(".")[0], *lan) if name)


def trusted_host(host: str, allowed: frozenset[str]) -> bool:
    """Whether a request's ``Host`` names this computer exactly as the preview was offered.

    A web page elsewhere can point a name of its own at 127.0.0.1 (DNS
    rebinding) to read the preview, drafts included; such a name is refused,
    and so is any name that merely starts with this computer's
    (``<hostname>.evil.example``) or an address the preview did not print.
    """
    try:
        name = (urlsplit(f"//{host}").hostname or "").lower().rstrip(".")
    except ValueError:
        return False
    if not name:
        return False
    if name in allowed:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class _TrustedHostOnly:
    """A mixin for handlers: refuse requests whose ``Host`` is not this computer (see :func:`trusted_host`)."""

    request: Any
    application: Any

    def prepare(self) -> None:
        if not trusted_host(self.request.host, self.application.settings["allowed_hosts"]):
            raise web.HTTPError(403, reason="Host not allowed")


class ReloadSocket(_TrustedHostOnly, LiveReloadHandler):
    """livereload's socket (the LiveReload handshake), told about this server's hub.

    Only the preview's own pages may connect: livereload's handler accepts any
    origin, and the messages carry the site's error text.
    """

    def initialize(self, hub: Hub) -> None:
        self.hub = hub

    def check_origin(self, origin: str) -> bool:
        return urlsplit(origin).netloc.lower() == self.request.host.lower()

    def on_message(self, message: str | bytes) -> None:
        try:
            command = json.loads(message).get("command")
            super().on_message(message)
        except (ValueError, AttributeError):
            return  # not the protocol: ignored
        if command == "info":
            self.hub.sockets.add(self)
            error_text = self.hub.preview.error
            if error_text:  # a page opened while the site is broken shows why
                self.write_message({"command": "alert", "message": error_text})

    def on_close(self) -> None:
        super().on_close()
        self.hub.sockets.discard(self)


class ClientScript(_TrustedHostOnly, web.RequestHandler):
    def get(self) -> None:
        self.set_header("Content-Type", "text/javascript; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.write(CLIENT.read_bytes())


# ---------------------------------------------------------------- files


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


def with_client(html: bytes) -> bytes:
    """The page with the preview's script, in its head when it has one."""
    lower = html.lower()
    for marker in (b"</head>", b"</body>"):
        at = lower.find(marker)
        if at != -1:
            return html[:at] + SCRIPT_TAG + html[at:]
    return html + SCRIPT_TAG


NOT_BUILT = (
    '<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width,initial-scale=1"><title>预览 Preview</title></head>'
    "<body><p>这一页还没有生成。This page has not been built.</p></body></html>"
).encode()


class PreviewFiles(_TrustedHostOnly, web.RequestHandler):
    """The preview folder, as a static host would serve it, with the preview script in every page."""

    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def compute_etag(self) -> None:
        return None  # pages change under the same URL with every save

    def get(self, path: str) -> None:
        self._serve(path, body=True)

    def head(self, path: str) -> None:
        self._serve(path, body=False)

    def _serve(self, path: str, *, body: bool) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        found = locate(self.preview.output, path)
        if isinstance(found, Redirect):
            query = f"?{self.request.query}" if self.request.query else ""
            self.redirect(found.location + query, permanent=False)
            return
        if found is None:
            self.set_status(404)
            missing = locate(self.preview.output, "404.html")
            content = missing.read_bytes() if isinstance(missing, Path) else NOT_BUILT
            self._send(content, "text/html; charset=utf-8", body)
            return
        try:
            content = found.read_bytes()
        except OSError:  # removed by a build since it was found
            self.set_status(404)
            self._send(NOT_BUILT, "text/html; charset=utf-8", body)
            return
        kind, _ = mimetypes.guess_type(found.name)
        kind = kind or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json", "image/svg+xml"):
            kind += "; charset=utf-8"
        self._send(content, kind, body)

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


# ---------------------------------------------------------------- running it


@dataclass
class PreviewServer:
    """The three parts together; :meth:`run` serves until Ctrl-C, tests use :meth:`start` and :meth:`stop`."""

    preview: Preview
    host: str = "127.0.0.1"
    port: int = 8000
    say: Callable[[str], None] = print
    force_polling: bool | None = None
    lan_addresses: tuple[str, ...] = ()
    """The addresses printed for phones: requests naming them are served too."""
    hub: Hub = field(init=False)
    watcher: SiteWatcher = field(init=False)
    builds: int = field(init=False, default=0)
    """Builds after the first, for tests."""
    _stop: threading.Event = field(init=False, default_factory=threading.Event)
    _threads: list[threading.Thread] = field(init=False, default_factory=list)
    _server: httpserver.HTTPServer | None = field(init=False, default=None)
    _sockets: list[socket.socket] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.hub = Hub(self.preview)
        self.watcher = SiteWatcher(self.preview.site_dir, force_polling=self.force_polling)

    def listen(self) -> int:
        """Bind the port (before any thread starts, so a busy port is reported at once); return it."""
        self._sockets = netutil.bind_sockets(self.port, address=self.host, family=socket.AF_INET)
        self.port = self._sockets[0].getsockname()[1]
        return self.port

    def _serve_on_this_thread(self) -> None:
        self.hub.loop = ioloop.IOLoop.current()
        self._server = httpserver.HTTPServer(make_app(self.preview, self.hub, allowed_hosts(self.lan_addresses)))
        self._server.add_sockets(self._sockets)

    def _start_watching(self) -> None:
        self.watcher.start()
        builder = threading.Thread(target=self._rebuild_on_change, name="villagesite-builder", daemon=True)
        builder.start()
        self._threads.append(builder)
        self.watcher.wait_ready()

    def run(self) -> None:
        """Serve on this thread until Ctrl-C."""
        self._start_watching()
        self._serve_on_this_thread()
        try:
            ioloop.IOLoop.current().start()
        except KeyboardInterrupt:
            pass
        finally:
            self._shut_down()

    def start(self) -> None:
        """Serve from a background thread (tests, the benchmark)."""
        ready = threading.Event()

        def serve() -> None:
            import asyncio

            asyncio.set_event_loop(asyncio.new_event_loop())
            self._serve_on_this_thread()
            ready.set()
            ioloop.IOLoop.current().start()

        thread = threading.Thread(target=serve, name="villagesite-server", daemon=True)
        thread.start()
        ready.wait(10)
        self._threads.append(thread)
        self._start_watching()

    def stop(self) -> None:
        loop = self.hub.loop
        if loop is not None:
            loop.add_callback(loop.stop)
        self._shut_down()

    def _shut_down(self) -> None:
        self._stop.set()
        self.watcher.stop()
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(timeout=10)
        if self._server is not None:
            self._server.stop()
        self.preview.close()

    def _rebuild_on_change(self) -> None:
        last_end = time.monotonic()
        while True:
            batch = gather(self.watcher.changes, last_build_end=last_end, stopped=self._stop.is_set)
            if batch is None:
                return
            try:
                previous = self.preview.last
                outcome = self.preview.build(batch)
                last_end = time.monotonic()
                self.builds += 1
                sent = self.hub.announce(outcome, previous)
                self.say(describe(outcome))
                sent.wait(1.0)
                self.preview.after_reload()
                _collect_garbage()
            except Exception:  # noqa: BLE001 - the builder must outlive anything; say what happened
                self.say(f"villagesite failed after a build (a bug: please report it):\n{traceback.format_exc()}")


def describe(outcome: Outcome, now: datetime | None = None) -> str:
    """One line per rebuild: when, what changed, what was written (or what is wrong), how long it took."""
    stamp = (now or datetime.now()).strftime("%H:%M:%S")
    changed = ", ".join(outcome.changed[:2]) or "start"
    if len(outcome.changed) > 2:
        changed += f" and {len(outcome.changed) - 2} more"
    took = f"in {outcome.seconds:.2f} s"
    if outcome.failed:
        return f"{stamp} {changed} -> not built, the browser shows why ({took}):\n{_indent(outcome.message)}"
    written, removed = outcome.written, outcome.removed
    if not written and not removed:
        result = "nothing to update"
    elif len(written) == 1 and not removed:
        result = f"wrote {written[0]}"
    else:
        result = f"wrote {len(written)} file{'s' * (len(written) != 1)}"
        if removed:
            result += f", removed {len(removed)}"
    if written and not removed and all(rel.endswith(".css") for rel in written):
        result += ", styles refreshed"
    warnings = f" ({len(outcome.problems)} warning{'s' * (len(outcome.problems) != 1)})" if outcome.problems else ""
    return f"{stamp} {changed} -> {result} {took}{warnings}"


def _indent(text: str) -> str:
    return "\n".join(f"  {line}" for line in text.splitlines())


def lan_address() -> str | None:
    """This computer's address on the local network, as a phone on the same Wi-Fi reaches it.

    Connecting a UDP socket sends nothing; it only asks the system which
    interface it would use.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def qr_text(url: str) -> str:
    """A QR code of ``url`` drawn with block characters, for a phone camera to open from the terminal."""
    import io

    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True, border=2)
    return out.getvalue()


def serve(
    site_dir: Path,
    *,
    port: int = 8000,
    lan: bool = False,
    open_browser: bool = False,
    say: Callable[[str], None] = print,
    port_tries: int = 1,
    progress: Progress | None = None,
) -> int:
    """The ``serve`` command: first build, then serve and rebuild until Ctrl-C."""
    preview = Preview(site_dir)
    address = lan_address() if lan else None
    server = PreviewServer(
        preview,
        host="0.0.0.0" if lan else "127.0.0.1",
        port=port,
        say=say,
        lan_addresses=(address,) if address else (),
    )
    for attempt in range(port_tries):
        try:
            server.port = port + attempt
            server.listen()
            break
        except OSError as exc:
            if attempt == port_tries - 1:
                message = f"cannot listen on port {server.port}: {exc.strerror}"
                raise VillageSiteError([error("--port", None, message, hint="try --port 8080")]) from None
    first = preview.build(progress=progress)  # before any thread starts: large sites are read in forked workers
    _collect_garbage(first=True)
    say(_first_line(first, preview.output))
    say(f"Preview of {preview.site_dir} (drafts included) at http://127.0.0.1:{server.port}/")
    if lan:
        if address is None:
            say("No local network found: join this computer to the village Wi-Fi and start again for phones.")
        else:
            url = f"http://{address}:{server.port}/"
            say(f"Phones on the same Wi-Fi: {url}  (scan the code; anyone on this network can see the drafts)")
            say(qr_text(url))
    say("Watching content/, themes/, static/, data/ and site.yaml. Ctrl-C to stop.")
    if open_browser:  # the port is listening already: the browser's request waits for the server
        webbrowser.open(f"http://127.0.0.1:{server.port}/")
    server.run()
    say("Stopped.")
    return 0


def _first_line(outcome: Outcome, output: Path) -> str:
    if outcome.failed:
        return f"The site has errors; the preview shows them until they are fixed:\n{_indent(outcome.message)}"
    report = outcome.report
    assert report is not None
    pages = sum(report.pages.values())
    line = f"Built {pages} pages into {output} in {outcome.seconds:.2f} s"
    if outcome.problems:  # warnings: a broken link, a page over budget
        line += "\n" + _indent("\n".join(str(problem) for problem in outcome.problems))
    return line
