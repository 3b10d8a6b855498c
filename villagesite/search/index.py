"""The index files of one edition, under ``/search/index/`` beside its search page.

- ``meta.json``: the format's version, the number of shards and documents, the folding table, and a
  stamp that changes with any file (the client asks for ``s/3.json?v=<stamp>``: caches never mix
  two builds' files);
- ``s/<n>.json``: one shard, ``{term: postings}``; a posting is ``(document - previous document) * 4 +
  weight`` (see :data:`~villagesite.search.terms.TITLE`), documents in increasing order;
- ``d/<n>.json``: one document, what a result shows: link, title, kind, a line of facts, the text.

A query downloads ``meta.json``, the shards of its terms (one per Chinese character it starts a pair
with, one per first two letters of a word) and the documents of the results it shows.
"""

from __future__ import annotations

import functools
import hashlib
import json
from array import array
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..parallel import map_in_processes
from ..write import Content
from .documents import TEXT_LIMIT, SearchDocument
from .folding import pairs_for
from .kept import POSTING, Batch, KeptBatches, batch_digest
from .terms import Folding, document_terms, shard_of

Put = Callable[[str, bytes, bytes], Content]
"""Given a file's path, bytes and SHA-256, what the build holds of it (see :func:`search_files`)."""

SEARCH_PATH = "/search/"
"""The search page of an edition; its index is in ``index/`` below it."""
INDEX_PATH = SEARCH_PATH + "index/"
FORMAT = 1
BATCH = 64
"""Documents per batch given to a worker process."""
KEPT_BATCH = 32
"""Documents per batch when batches are kept in memory (the preview): the batch of a changed page is
indexed again, 0.06 s at 32 against 0.12 s at 64; more batches cost the merge more.  The command line
keeps its batches on disk at :data:`BATCH`: an edit there pays for starting Python and reading the
others, and half as many files are read."""
POSTINGS_PER_SHARD = 4000
"""About 15 KB a shard: a query of four characters downloads three or four of them."""


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class IndexMemory:
    """What earlier builds of this process indexed (the preview keeps one): each batch's postings by
    its documents, and each shard's bytes by its postings.  A save then indexes the batch of the page
    it changed and encodes the shards its words are in; the rest is compared, not made again."""

    def __init__(self, kept: KeptBatches | None = None) -> None:
        self.kept = kept
        """Batches kept on disk between command-line builds (see :mod:`.kept`)."""
        self.batches: dict[tuple[SearchDocument, ...], Batch] = {}
        self.shards: dict[tuple[str, ...], tuple[list[array[int]], bytes]] = {}
        self.texts: dict[str, str] = {}
        """Bodies' text by their HTML (see :func:`~villagesite.search.documents.search_documents`)."""


@dataclass(frozen=True, slots=True)
class Indexed:
    """One edition's index: its files, and its batches in order (a later edition compares with them)."""

    files: dict[str, Content]
    """Shards and ``meta.json`` as bytes (a later edition may take them), documents perhaps staged."""
    batches: tuple[Batch, ...]


def search_files(
    documents: Sequence[SearchDocument],
    fold: Folding,
    memory: IndexMemory | None = None,
    original: Indexed | None = None,
    put: Put | None = None,
    keep_batches: bool = True,
) -> Indexed:
    """The index files (site paths under :data:`INDEX_PATH`) of one edition's documents.

    ``original`` is the index of the content's own edition, when this is another: a batch whose
    folded text is the original's (a Traditional edition converted from Simplified folds back to it)
    has the original's terms, which are not made again; when every batch has, so do the shards.
    ``put`` is given each document's file as it is made (the command line stages it, or keeps the
    output's file when it is the same: 15 MB of files at 5,000 villages not held at the build's
    peak).  ``keep_batches=False`` (no later edition compares with this one) frees each batch once
    merged, and gives ``put`` the shards too.
    """
    # Terms and postings in forked workers, a batch of documents each, already as steps from one
    # document to the next; merged here in document order, where each batch's first step of a term is
    # made relative to the last document of the batches before.
    size = KEPT_BATCH if memory is not None and memory.kept is None else BATCH
    memory = memory or IndexMemory()  # kept for nothing on the command line
    batches = [range(start, min(start + size, len(documents))) for start in range(0, len(documents), size)]
    keys = [tuple(documents[number] for number in batch) for batch in batches]
    twins = original.batches if original is not None and len(original.batches) == len(batches) else ()
    missing = [number for number, key in enumerate(keys) if key not in memory.batches]
    kept = memory.kept
    digests: dict[int, str] = {}
    from_disk: dict[tuple[SearchDocument, ...], Batch] = {}
    if kept is not None:
        for n in missing:
            digests[n] = batch_digest(keys[n], batches[n], fold.digest)
            batch = kept.get(digests[n])
            if batch is not None:  # the original edition's own object where they are equal: see below
                from_disk[keys[n]] = twins[n] if twins and twins[n].digest == batch.digest else batch
        missing = [n for n in missing if keys[n] not in from_disk]
    new = map_in_processes(
        functools.partial(_postings, documents, fold),
        [(batches[n], twins[n].digest if twins else None) for n in missing],
        size=sum(len(batches[n]) for n in missing),  # an edit's one batch: no workers to start
    )
    found = {
        **memory.batches,
        **from_disk,
        **{keys[n]: batch if batch is not None else twins[n] for n, batch in zip(missing, new, strict=True)},
    }
    del new
    if kept is not None:
        for n in missing:
            kept.keep(digests[n], found[keys[n]])
    if kept is None:  # a long-lived process remembers; a deleted page's batch is forgotten
        memory.batches = {key: found[key] for key in keys}
    if original is not None and twins and all(found[key] is twin for key, twin in zip(keys, twins, strict=True)):
        shards = {path: data for path, data in original.files.items() if path.startswith(f"{INDEX_PATH}s/")}
        meta = json.loads(original.files[INDEX_PATH + "meta.json"])
        held_files = _held(shards, None)
        files = _with_meta(held_files, _document_files(documents, put), len(documents), meta["shards"], meta["fold"])
        return Indexed(files, tuple(twins))
    ordered = [found[key] for key in keys]
    made = tuple(ordered) if keep_batches else ()
    # The documents' files before the merge: from here the command line holds neither them nor the
    # documents (its caller passes them alone), 20 MB less at the build's peak at 5,000 villages.
    count = len(documents)
    document_files = _document_files(documents, put)
    if kept is not None:
        del documents, keys, found, from_disk
    postings: dict[str, array[int]] = {}
    last: dict[str, int] = {}
    ordered.reverse()
    while ordered:
        batch = ordered.pop()  # freed once merged, unless kept above
        steps, position = batch.steps, 0
        for term, count_of_term, end in zip(batch.names(), batch.counts, batch.ends, strict=True):
            entries = steps[position : position + count_of_term]  # a copy: the batch may be kept
            position += count_of_term
            merged = postings.get(term)
            if merged is None:
                postings[term] = entries
            else:
                start = len(merged)
                merged += entries
                merged[start] -= last[term] * 4  # the batch's first step was from document 0
            last[term] = end
        del batch
    held = [term for term in postings if len(term) == 1 and term >= "\u3400"]
    total = sum(map(len, postings.values()))
    shards = 1
    while shards * POSTINGS_PER_SHARD < total and shards < 4096:
        shards *= 2
    by_shard: list[list[str]] = [[] for _ in range(shards)]
    for term in sorted(postings):
        by_shard[shard_of(term, shards)].append(term)
    shard_files = {}
    shards_made = {}
    for n, terms in enumerate(by_shard):
        key = tuple(terms)
        lists = [postings.pop(term) for term in terms]
        previous = memory.shards.get(key)
        data = (
            previous[1]
            if previous is not None and previous[0] == lists
            else _json({term: entries.tolist() for term, entries in zip(terms, lists, strict=True)})
        )
        if kept is None:
            shards_made[key] = (lists, data)
        shard_files[f"{INDEX_PATH}s/{n}.json"] = data
    if kept is None:
        memory.shards = shards_made
    # The pairs of the characters this index holds: what a query typed in Traditional needs.
    pairs = "".join(t + s for t, s in sorted(pairs_for(held).items()))
    held_files = _held(shard_files, put if not keep_batches else None)  # a later edition may take the bytes
    return Indexed(_with_meta(held_files, document_files, count, shards, pairs), made)


Held = tuple[dict[str, Content], dict[str, bytes]]
"""Files (bytes, or given to ``put``) and the SHA-256 of each, for the stamp."""


def _held(files: dict[str, bytes], put: Put | None) -> Held:
    digests = {path: hashlib.sha256(data).digest() for path, data in files.items()}
    return ({path: put(path, data, digests[path]) for path, data in files.items()} if put else dict(files)), digests


def _document_files(documents: Sequence[SearchDocument], put: Put | None) -> Held:
    """A file per document, what a result shows, each given to ``put`` as it is made."""
    files: dict[str, Content] = {}
    digests: dict[str, bytes] = {}
    for number, document in enumerate(documents):
        path = f"{INDEX_PATH}d/{number}.json"
        data = _json(
            {"u": document.url, "t": document.title, "k": document.kind, "m": document.meta,
             "x": document.text[:TEXT_LIMIT]}
        )  # fmt: skip
        digests[path] = hashlib.sha256(data).digest()
        files[path] = put(path, data, digests[path]) if put is not None else data
    return files, digests


def _with_meta(shard_files: Held, document_files: Held, documents: int, shards: int, pairs: str) -> dict[str, Content]:
    """The shards' and documents' files with ``meta.json``, whose stamp changes with any file."""
    files = {**shard_files[0], **document_files[0]}
    digests = {**shard_files[1], **document_files[1]}
    stamp = hashlib.sha256()
    for path in sorted(files):
        stamp.update(path.encode())
        stamp.update(digests[path])
    files[INDEX_PATH + "meta.json"] = _json(
        {
            "format": FORMAT,
            "shards": shards,
            "documents": documents,
            "fold": pairs,
            "stamp": stamp.hexdigest()[:12],
        }
    )
    return files


def _postings(documents: Sequence[SearchDocument], fold: Folding, work: tuple[range, bytes | None]) -> Batch | None:
    """The postings of some documents as steps (see :func:`_deltas`, the first from document 0), with
    the last document of each term and the digest of their folded text (a :class:`Batch`); none when
    that digest is the one given (the original edition's batch of the same documents has the same terms).

    Terms are made from folded text only, so equal folded text (and numbers) gives equal postings.
    """
    numbers, twin = work
    digest = hashlib.blake2b(repr(tuple(numbers)).encode(), digest_size=16)
    folded = []
    for number in numbers:
        document = documents[number]
        title, names, text = fold(document.title), [fold(name) for name in document.names], fold(document.text)
        for part in (title, *names, text):
            digest.update(part.encode())
            digest.update(b"\0")
        digest.update(b"\1")
        folded.append((number, title, names, text))
    if digest.digest() == twin:
        return None
    postings: defaultdict[str, list[int]] = defaultdict(list)
    for number, title, names, text in folded:
        base = number * 4
        for term, weight in document_terms(title, names, text, _as_folded).items():
            postings[term].append(base + weight)
    terms = list(postings)
    steps = array(POSTING)
    for term in terms:
        steps.extend(_deltas(postings[term]))
    return Batch(
        "\n".join(terms),
        array(POSTING, map(len, postings.values())),
        steps,
        array(POSTING, (entries[-1] >> 2 for entries in postings.values())),
        digest.digest(),
    )


def _as_folded(text: str) -> str:
    """The folding of text folded already."""
    return text


def _deltas(entries: list[int]) -> list[int]:
    """Postings in increasing document order, each document as the step from the one before: an entry
    less the previous one's document (its weight bits cleared)."""
    return [entry - (before & ~3) for entry, before in zip(entries, [0, *entries[:-1]], strict=True)]
