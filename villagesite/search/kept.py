"""Each batch of an edition's search index kept on disk, by the digest of its documents.

The preview keeps every batch's postings in memory (:class:`~villagesite.search.index.IndexMemory`);
the command line started each build with none, so an edit to one page made the terms of every page
again: 1.3 s of a 1.5 s edit at 1,000 villages.  A batch is kept in its own file, named by a digest
of its documents and their numbers, sealed like every cache file (one changed by hand is not
believed), so an edit reads the others and writes one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from array import array
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from ..sealed import read_sealed, write_sealed
from .documents import SearchDocument

VERSION = 2
"""The files' format, and what makes terms: bump it when terms, folding or weights change."""

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
            data = read_sealed(self.folder / f"{digest}.json", VERSION)
            if data is None or not isinstance(data["terms"], str):
                return None
            batch = Batch(
                data["terms"],
                array(POSTING, data["counts"]),
                array(POSTING, data["steps"]),
                array(POSTING, data["ends"]),
                bytes.fromhex(data["digest"]),
            )
            return batch if batch.whole() else None
        except (OSError, ValueError, KeyError, TypeError, OverflowError):
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
        data = {
            "terms": batch.terms,
            "counts": batch.counts.tolist(),
            "steps": batch.steps.tolist(),
            "ends": batch.ends.tolist(),
            "digest": batch.digest.hex(),
        }
        write_sealed(self.folder / f"{digest}.json", VERSION, data, ensure_ascii=False)

    def save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for digest, batch in self.new.items():
            self._write(digest, batch)
        for path in self.folder.glob("*.json"):
            if path.stem not in self.used:
                with contextlib.suppress(OSError):
                    os.unlink(path)
        self.new = {}
