"""Compiled templates kept on disk between command-line builds, signed with a key that is not in the cache.

Compiling the default theme's templates takes 0.26-0.33 s, a fifth of a one-page
edit from the command line. Jinja's compiled templates are Python code,
though, and a cache folder can come from elsewhere: CI restores it from an
earlier run, perhaps of another branch. So each file carries an HMAC made with
a key kept in the user's state folder (``$XDG_STATE_HOME/villagesite``, else
``~/.local/state/villagesite``), made on first use; a file signed with any
other key is ignored and compiled again, never run. Where that folder cannot
be written, templates are compiled in memory as before.

Jinja checks each loaded template against the checksum of its source, so an
edited template is compiled again; :data:`TEMPLATE_CODE` names what else
changes the compiled code (Jinja's version, the environment's options).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
from pathlib import Path

import jinja2
import jinja2.bccache

from . import __version__
from .sealed import replace_bytes

KEY_SIZE = 32
SIGNATURE_SIZE = hashlib.sha256().digest_size
TEMPLATE_CODE = f"1|villagesite {__version__}|jinja2 {jinja2.__version__}"
"""What compiled code depends on besides a template's source; bump the first part when the
environment's options or the ``{% cache %}`` extension change what templates compile to."""
FOLDER = "templates"
"""Where the compiled templates go in the cache folder."""


def state_dir() -> Path:
    return Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "villagesite"


def signing_key() -> bytes | None:
    """This user's key, made on first use; none when it can be neither read nor made."""
    path = state_dir() / "template-key"
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        key = b""
    except OSError:
        return None
    if len(key) == KEY_SIZE:
        return key
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        replace_bytes(path, secrets.token_bytes(KEY_SIZE), private=True)
        key = path.read_bytes()  # another build may have made one at the same moment: theirs or ours
    except OSError:
        return None
    return key if len(key) == KEY_SIZE else None


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's compiled templates in memory, by template and source checksum."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


class SignedTemplates(CompiledTemplates):
    """Compiled templates in memory for this build, and in ``folder`` for the next, signed.

    ``read=False`` (``--clean``) writes files for the next build without reading any."""

    def __init__(self, folder: Path, key: bytes, *, read: bool = True) -> None:
        super().__init__()
        self.folder = folder
        self.key = key
        self.read = read

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key not in self.code and self.read:
            code = self._read(bucket.key)
            if code is not None:
                self.code[bucket.key] = code
        super().load_bytecode(bucket)  # Jinja drops the code when the template's source has changed

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        super().dump_bytecode(bucket)
        code = self.code[bucket.key]
        with contextlib.suppress(OSError):  # a cache folder that cannot be written only costs the time
            self.folder.mkdir(parents=True, exist_ok=True)
            replace_bytes(self._path(bucket.key), self._signature(bucket.key, code), code)

    def _read(self, name: str) -> bytes | None:
        try:
            data = self._path(name).read_bytes()
        except OSError:
            return None
        signature, code = data[:SIGNATURE_SIZE], data[SIGNATURE_SIZE:]
        return code if hmac.compare_digest(signature, self._signature(name, code)) else None

    def _signature(self, name: str, code: bytes) -> bytes:
        signed = hmac.new(self.key, f"{TEMPLATE_CODE}|{name}|".encode(), hashlib.sha256)
        signed.update(code)
        return signed.digest()

    def _path(self, name: str) -> Path:
        return self.folder / f"{name}.bin"
