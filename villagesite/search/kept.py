"""Each batch of an edition's search index kept on disk, by the digest of its documents.

The preview keeps every batch's postings in memory (:class:`~villagesite.search.index.IndexMemory`);
the command line started each build with none, so an edit to one page made the terms of every page
again: 1.3 s of a 1.5 s edit at 1,000 villages.  A batch is kept in its own file, named by a digest
of its documents and their numbers, sealed like every cache file (one changed by hand is not
believed), so an edit reads the others and writes one.  Its arrays are kept as their bytes
(little-endian), not as JSON: at 5,000 villages, 0.03 s to read or write every batch, not 0.34 and 0.40.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from array import array
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from ..sealed import read_sealed_parts, write_sealed_parts
from .documents import SearchDocument

VERSION = 3
"""The files' format, and what makes terms: bump it when terms, folding or weights change."""
SUFFIX = ".batch"
"""A kept batch's file: its digest, then this."""

POSTING = "I"
"""Postings are arrays of unsigned 32-bit steps."""


class Batch(NamedTuple):
    """The postings of a batch of documents, in as few objects as possible: a batch of 64 pages has
    about 5,000 terms, and as a dict of term -> list (with a dict of last documents) the 79 batches of
    5,000 villages came back from the workers as 843,000 objects, 69 MiB of a build's peak memory.

    ``terms`` are joined by newlines (no term holds whitespace); the ``i``-th term's ``counts[i]``
    postings are next in ``steps``, each the step from the document before (the first from document
    0); ``ends[i]`` is the last document with the term; ``digest`` names the folded text the terms
    were made from (see :func:`~villagesite.search.index._postings`)."""

    terms: str
    counts: array[int]
    steps: array[int]
    ends: array[int]
    digest: bytes

    def names(self) -> list[str]:
        return self.terms.split("\n") if self.terms else []

    def whole(self) -> bool:
        """Whether the parts agree (a batch read from a file)."""
        return len(self.names()) == len(self.counts) == len(self.ends) and sum(self.counts) == len(self.steps)


def batch_digest(documents: Sequence[SearchDocument], numbers: range, fold_digest: str) -> str:
    """What a batch's postings are made of: its documents, their numbers, and the folding table."""
    digest = hashlib.blake2b(f"{VERSION}|{fold_digest}|{numbers.start}|{numbers.stop}".encode(), digest_size=16)
    for document in documents:
        digest.update(repr(document).encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


class KeptBatches:
    """One edition's batches in a folder: read when asked, the new ones written and the unused ones
    removed by :meth:`save`."""

    def __init__(self, folder: Path, *, read: bool = True) -> None:
        self.folder = folder
        self.read = read
        self.new: dict[str, Batch] = {}
        """The batches this build made that could not be written when made: :meth:`save` writes them,
        or says why it cannot."""
        self.used: set[str] = set()

    def get(self, digest: str) -> Batch | None:
        self.used.add(digest)
        if not self.read:
            return None
        try:
            parts = read_sealed_parts(self.folder / f"{digest}{SUFFIX}", VERSION)
            if parts is None or len(parts) != 5:
                return None
            terms, counts, steps, ends, made_from = parts
            batch = Batch(str(terms, "utf-8"), _numbers(counts), _numbers(steps), _numbers(ends), bytes(made_from))
            return batch if batch.whole() else None
        except (OSError, ValueError):
            return None

    def keep(self, digest: str, batch: Batch) -> None:
        """A batch made by this build, written at once: it is named by what it is made of, and is right
        whether or not this build ends well."""
        self.used.add(digest)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._write(digest, batch)
        except OSError:
            self.new[digest] = batch

    def _write(self, digest: str, batch: Batch) -> None:
        numbers = [_little_endian(batch.counts), _little_endian(batch.steps), _little_endian(batch.ends)]
        write_sealed_parts(self.folder / f"{digest}{SUFFIX}", VERSION, batch.terms.encode(), *numbers, batch.digest)

    def save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for digest, batch in self.new.items():
            self._write(digest, batch)
        for path in (*self.folder.glob(f"*{SUFFIX}"), *self.folder.glob("*.json")):  # .json: version 2's
            if path.suffix != SUFFIX or path.stem not in self.used:
                with contextlib.suppress(OSError):
                    os.unlink(path)
        self.new = {}


def _little_endian(numbers: array[int]) -> bytes:
    """An array's bytes as kept: little-endian on every machine (a cache folder may be copied)."""
    if sys.byteorder == "little":
        return numbers.tobytes()
    swapped = array(POSTING, numbers)
    swapped.byteswap()
    return swapped.tobytes()


def _numbers(kept: memoryview) -> array[int]:
    """What :func:`_little_endian` kept; a ValueError when it is not a whole number of them."""
    numbers = array(POSTING)
    numbers.frombytes(kept)
    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers
