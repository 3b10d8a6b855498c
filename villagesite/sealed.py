"""Cache files that carry the hash of their own contents: a file changed by hand, or cut short, is not believed.

A build trusts what it kept from the last one (the manifest, the report, the
photo index as JSON text; the search batches as binary parts) only when the
contents hash to what the file says they should.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path


def replace_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` atomically: a temporary file beside it, renamed over it."""
    replace_bytes(path, text.encode("utf-8"))


def replace_bytes(path: Path, *parts: bytes | memoryview, private: bool = False) -> None:
    """Write ``parts`` one after the other to ``path`` atomically, as :func:`replace_text`; ``private``:
    readable by this user alone from the moment the file exists (a key)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        # A private file is made new (O_EXCL): an existing one would keep whatever mode it has.
        flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if private else os.O_TRUNC)
        with os.fdopen(os.open(temporary, flags, 0o600 if private else 0o666), "wb") as file:
            for part in parts:
                file.write(part)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def write_sealed(path: Path, version: int, data: dict, *, ensure_ascii: bool = True) -> None:
    """A JSON object that carries the hash of its own text (see :func:`read_sealed`), written atomically.

    The text is encoded once and written from views of it: the manifest of 5,000 villages is 5.5 MB,
    and each copy of it (a slice, the header joined, the encoding of the whole) added to the build's
    peak memory."""
    raw = json.dumps(data, ensure_ascii=ensure_ascii).encode()
    body = memoryview(raw)[1:]
    head = _SEAL.format(version=version, digest=hashlib.sha256(body).hexdigest()).encode()
    replace_bytes(path, head, body)


def read_sealed(path: Path, version: int) -> dict | None:
    """What :func:`write_sealed` wrote, or None when the file is another version or not what it says
    (one character changed): a cache file is believed only when its text has the hash it carries.
    Hashing 3 MB of manifest (5,000 villages) costs about 2 ms."""
    text = path.read_text(encoding="utf-8")
    head = _SEAL.format(version=version, digest="0" * 64)
    if len(text) < len(head) or text[: head.index('"sha256"')] != head[: head.index('"sha256"')]:
        return None
    digest, body = text[len(head) - 67 : len(head) - 3], text[len(head) :]
    if hashlib.sha256(body.encode()).hexdigest() != digest:
        return None
    data = json.loads("{" + body)
    return data if isinstance(data, dict) else None


_SEAL = '{{"version": {version}, "sha256": "{digest}", '

_PARTS = b"villagesite sealed parts"
"""The first words of a file of sealed parts (see :func:`write_sealed_parts`)."""
_LONGEST_HEAD = 1024
"""A head longer than this is not one :func:`write_sealed_parts` wrote."""


def write_sealed_parts(path: Path, version: int, *parts: bytes) -> None:
    """Binary parts, each of any length, in one file that carries the hash of their lengths and bytes,
    written atomically.

    For numbers by the million, where JSON is the cost: the 79 kept search batches of 5,000 villages
    are 16 MB of JSON, 0.34 s to read and 0.40 s to write; as arrays' bytes, 0.03 s each way.  The
    head is one line of text: ``villagesite sealed parts <version> <sha256> <length> ...``."""
    lengths = " ".join(str(len(part)) for part in parts).encode()
    digest = hashlib.sha256(lengths)
    for part in parts:
        digest.update(part)
    head = b"%s %d %s %s\n" % (_PARTS, version, digest.hexdigest().encode(), lengths)
    replace_bytes(path, head, *parts)


def read_sealed_parts(path: Path, version: int) -> list[memoryview] | None:
    """The parts :func:`write_sealed_parts` wrote, or None when the file is another version, or its
    lengths or bytes are not what its hash says (a byte changed, the file cut short)."""
    raw = path.read_bytes()
    end = raw.find(b"\n", 0, _LONGEST_HEAD)
    words = raw[:end].split(b" ") if end > 0 else []
    if words[:3] != _PARTS.split(b" ") or len(words) < 5 or words[3] != b"%d" % version:
        return None
    try:
        lengths = [int(word) for word in words[5:]]
    except ValueError:
        return None
    body = memoryview(raw)[end + 1 :]
    if any(length < 0 for length in lengths) or sum(lengths) != len(body):
        return None
    digest = hashlib.sha256(b" ".join(words[5:]))
    digest.update(body)
    if digest.hexdigest().encode() != words[4]:
        return None
    parts, start = [], 0
    for length in lengths:
        parts.append(body[start : start + length])
        start += length
    return parts
