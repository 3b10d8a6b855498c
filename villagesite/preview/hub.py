"""What browsers are told after each build, and the LiveReload socket they listen on.

:func:`messages_for` turns an :class:`~villagesite.preview.driver.Outcome`
into LiveReload messages (reload, refresh stylesheets only, or show the
error); the :class:`Hub` sends them to every open page from the server's
thread, since Tornado's sockets may only be written there.
"""

from __future__ import annotations

import json
import threading
from typing import Any
from urllib.parse import urlsplit

from livereload.handlers import LiveReloadHandler
from tornado import ioloop

from .driver import Outcome, Preview
from .hosts import TrustedHostOnly


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
    # A page rather than a data file (the search index changes with any page's words).
    first = next((rel for rel in written if rel.endswith(".html")), (written or removed)[0])
    return [{"command": "reload", "path": f"/{first}", "liveCSS": False}]


class ReloadSocket(TrustedHostOnly, LiveReloadHandler):
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
