"""Which ``Host`` names the preview answers to: this computer as it was offered, nothing else.

The preview serves drafts and its socket carries the site's error text, so
every handler refuses a request whose ``Host`` is not ``localhost``, this
computer's name, a loopback address or a LAN address printed for phones:
that is the defence against DNS rebinding (see ``docs/security.md``).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from tornado import web


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


class TrustedHostOnly:
    """A mixin for handlers: refuse requests whose ``Host`` is not this computer (see :func:`trusted_host`)."""

    request: Any
    application: Any

    def prepare(self) -> None:
        if not trusted_host(self.request.host, self.application.settings["allowed_hosts"]):
            raise web.HTTPError(403, reason="Host not allowed")
