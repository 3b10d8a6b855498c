"""Running the preview: the watcher, the builder and the HTTP server, each on its own thread.

:class:`PreviewServer` wires them together; :func:`serve` is the ``serve``
command (first build, what the terminal shows, then serve until Ctrl-C).
"""

from __future__ import annotations

import contextlib
import gc
import signal
import socket
import threading
import time
import traceback
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from tornado import httpserver, ioloop, netutil

from ..encode import Progress
from ..errors import Problem, VillageSiteError, error
from ..i18n import _, n_
from .driver import Preview
from .hosts import allowed_hosts
from .http import make_app
from .hub import Hub
from .terminal import describe, first_line, lan_address, qr_text
from .watch import SiteWatcher, gather


@dataclass
class PreviewServer:
    """The three parts together; :meth:`run` serves until Ctrl-C, tests use :meth:`start` and :meth:`stop`."""

    preview: Preview
    host: str = "127.0.0.1"
    port: int = 8000
    say: Callable[[str], None] = print
    force_polling: bool | None = None
    lan_addresses: tuple[str, ...] = ()
    """The addresses printed for phones: requests naming them are served."""
    also_listen: tuple[str, ...] = ()
    """Addresses listened on beside ``host``: the LAN address printed for phones, and no other."""
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
        self.preview.say = self.say
        self.preview.photo_failed = self._photo_failed

    def _photo_failed(self, problems: list[Problem]) -> None:
        """A photo that cannot be encoded: at its ``path:line``, in the terminal and over the page."""
        message = "\n".join(str(problem) for problem in problems)
        self.say(message)
        self.hub.send({"command": "alert", "message": message})

    def listen(self) -> int:
        """Bind the port (before any thread starts, so a busy port is reported at once); return it."""
        self._sockets = netutil.bind_sockets(self.port, address=self.host, family=socket.AF_INET)
        self.port = self._sockets[0].getsockname()[1]
        try:  # the LAN address printed for phones, and no other: not every network this computer is on
            for address in self.also_listen:
                if address != self.host:
                    self._sockets += netutil.bind_sockets(self.port, address=address, family=socket.AF_INET)
        except OSError:
            for sock in self._sockets:
                sock.close()
            raise
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

    def run(self) -> None:
        """Serve on this thread until Ctrl-C.

        Pages are served without waiting for the watchers to say they are ready: they watch from the
        moment their threads start (the kernel keeps the events meanwhile), but say so only with their
        first report, up to 0.25 s later, which the first page need not wait for."""
        self._start_watching()
        self._serve_on_this_thread()
        loop = ioloop.IOLoop.current()
        _stop_on_signals(loop)
        try:
            loop.start()
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
            loop = ioloop.IOLoop.current()
            loop.start()
            # Stopped: close the connections still open (a browser's keep-alive, a reload socket) with
            # the loop, rather than leave their sockets for the garbage collector to find later.
            loop.close(all_fds=True)

        thread = threading.Thread(target=serve, name="villagesite-server", daemon=True)
        thread.start()
        ready.wait(10)
        self._threads.append(thread)
        self._start_watching()
        self.watcher.wait_ready()  # a test may save a file at once: it must be seen

    def stop(self) -> None:
        loop = self.hub.loop
        if loop is not None:
            server = self._server

            async def close_and_stop() -> None:
                """Stop listening and close open connections on the loop's own thread, then stop it."""
                if server is not None:
                    server.stop()
                    await server.close_all_connections()
                loop.stop()

            loop.add_callback(close_and_stop)
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
                sent.wait(1.0)
                indexed = self.preview.after_reload()
                self.say(describe(replace(outcome, indexed=indexed) if indexed else outcome))
                if self.preview.walk_missed():  # the events did not tell all: build from a whole walk
                    self.watcher.changes.put({"content"})
                _collect_garbage()
            except Exception:  # noqa: BLE001 - the builder must outlive anything; say what happened
                self.say(
                    _(
                        "villagesite failed after a build (a bug: please report it):\n{traceback}",
                        traceback=traceback.format_exc(),
                    )
                )


def _stop_on_signals(loop: ioloop.IOLoop) -> None:
    """Stop the loop on Ctrl-C (SIGINT) or SIGTERM, whichever thread the system hands the signal to.

    Python runs its handler on the main thread, but the system may interrupt another (a watcher's or
    the photo encoders'): the main thread, waiting in ``epoll`` with nothing scheduled, would never
    see the KeyboardInterrupt.  asyncio's signal handlers wake the loop through a file it watches.
    Where they are not available (Windows), Ctrl-C raises KeyboardInterrupt as before."""
    asyncio_loop = getattr(loop, "asyncio_loop", None)
    for signum in (signal.SIGINT, signal.SIGTERM):
        if asyncio_loop is None or signal.getsignal(signum) == signal.SIG_IGN:
            continue  # ignored (``nohup``, a job in the background): left ignored
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            asyncio_loop.add_signal_handler(signum, loop.stop)


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
        host="127.0.0.1",
        port=port,
        say=say,
        lan_addresses=(address,) if address else (),
        also_listen=(address,) if address else (),
    )
    for attempt in range(port_tries):
        try:
            server.port = port + attempt
            server.listen()
            break
        except OSError as exc:
            if attempt == port_tries - 1:
                # TRANSLATORS: {reason} is the system's own words, such as "Address already in use".
                message = _("cannot listen on port {port}: {reason}", port=server.port, reason=exc.strerror)
                raise VillageSiteError([error("--port", None, message, hint=_("try --port 8080"))]) from None
    first = preview.build(progress=progress)  # before any thread starts: large sites are read in forked workers
    _collect_garbage(first=True)
    say(first_line(first, preview.output))
    if preview.photos is not None and (waiting := preview.photos.waiting):
        say(
            n_(
                "{count} photo is encoded when a page shows it, and meanwhile in the background",
                "{count} photos are encoded when a page shows them, and meanwhile in the background",
                waiting,
            )
        )
    local_url = f"http://127.0.0.1:{server.port}/"
    # TRANSLATORS: {folder} is the site folder, {url} the preview's address (http://127.0.0.1:8000/).
    say(_("Preview of {folder} (drafts included) at {url}", folder=preview.site_dir, url=local_url))
    if lan:
        if address is None:
            say(_("No local network found: join this computer to the village Wi-Fi and start again for phones."))
        else:
            url = f"http://{address}:{server.port}/"
            # TRANSLATORS: the QR code of {url} is printed on the next lines.
            phones = _(
                "Phones on the same Wi-Fi: {url}  (scan the code; anyone on this network can see the drafts)", url=url
            )
            say(phones)
            say(qr_text(url))
    say(_("Watching content/, themes/, static/, data/ and site.yaml. Ctrl-C to stop."))
    if open_browser:  # the port is listening already: the browser's request waits for the server
        webbrowser.open(local_url)
    server.run()
    say(_("Stopped."))
    return 0
