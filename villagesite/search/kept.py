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
from collections.abc import Sequence
from pathlib import Path

from ..sealed import read_sealed, write_sealed
from .documents import SearchDocument

VERSION = 1
"""The files' format, and what makes terms: bump it when terms, folding or weights change."""

Batch = tuple[dict[str, list[int]], dict[str, int], bytes]
"""A batch's postings as steps (the first from document 0), the last document of each term, and a
digest of the folded text its terms were made from (see :func:`~villagesite.search.index._postings`)."""


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
        self.used: set[str] = set()

    def get(self, digest: str) -> Batch | None:
        self.used.add(digest)
        if not self.read:
            return None
        try:
            data = read_sealed(self.folder / f"{digest}.json", VERSION)
            if data is None:
                return None
            steps, ends = data["steps"], data["ends"]
            if not isinstance(steps, dict) or not isinstance(ends, dict):
                return None
            return steps, ends, bytes.fromhex(data["digest"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def keep(self, digest: str, batch: Batch) -> None:
        """A batch made by this build, written at :meth:`save`."""
        self.used.add(digest)
        self.new[digest] = batch

    def save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for digest, (steps, ends, folded) in self.new.items():
            data = {"steps": steps, "ends": ends, "digest": folded.hex()}
            write_sealed(self.folder / f"{digest}.json", VERSION, data, ensure_ascii=False)
        for path in self.folder.glob("*.json"):
            if path.stem not in self.used:
                with contextlib.suppress(OSError):
                    os.unlink(path)
        self.new = {}
