"""How Chinese text is read: toneless pinyin (slugs, search), pinyin with tone marks and Jyutping
(names shown with their pronunciation), with the libraries loaded only for text not seen before.

pypinyin loads its dictionaries when imported (0.3 s, a third of the preview's start on a warm
cache, ``python -X importtime``); ToJyutping its own (0.6-1.2 s).  The texts a build reads are
few and the same from one build to the next (cities, tags, titles, names), so what was found is
kept in the cache folder (:func:`remember`, :func:`keep`) and a library is imported only when a
text is new.  What is kept is believed only while the same library is installed.  Forked
workers inherit what their parent loaded: :func:`load` is called before forking, so that each
worker does not import it again.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from .sealed import read_sealed, write_sealed

Convert = Callable[[str], list[str]]
FILE_VERSION = 2

TABLES: dict[str, str] = {
    "pinyin": "pypinyin",
    "pinyin-han": "pypinyin",
    "pinyin-marks": "pypinyin",
    "jyutping": "ToJyutping",
}
"""Each table of readings -> the library that makes it (what is kept is void when it changes)."""

_memo: dict[str, dict[str, list[str]]] = {table: {} for table in TABLES}
"""Table -> text -> its readings."""
_on_disk: dict[Path, int] = {}
"""Kept file -> how many texts it holds, as this process read or wrote it."""
_lock = threading.Lock()
_converters: dict[str, Convert] = {}


def pinyin(text: str, errors: str = "default") -> list[str]:
    """``pypinyin.lazy_pinyin(text, style=NORMAL, errors=errors)``: toneless, for addresses and search.

    ``errors="default"`` keeps what is not Chinese as it is written, ``"ignore"`` drops it."""
    return _read("pinyin" if errors == "default" else "pinyin-han", text)


def pinyin_marks(han: str) -> list[str]:
    """Pinyin with tone marks, one syllable for each character of ``han`` (Han characters only),
    read as a phrase (so 大埔 is dà bù, not dà pǔ)."""
    return _read("pinyin-marks", han)


def jyutping(han: str) -> list[str]:
    """Cantonese Jyutping with tone numbers, one for each character of ``han``; "" where unknown.

    Read from the text as given: ToJyutping reads Traditional text better (pass it the
    edition's Traditional spelling where there is one)."""
    return _read("jyutping", han)


def _read(table: str, text: str) -> list[str]:
    known = _memo[table].get(text)
    if known is None:
        known = _converter(table)(text)
        with _lock:
            _memo[table][text] = known
    return list(known)


JYUTPING_IN_A_CHILD = """
import json, os, sys
import ToJyutping
texts = json.load(sys.stdin)
json.dump([[r or "" for _c, r in ToJyutping.get_jyutping_list(t)] for t in texts], sys.stdout)
sys.stdout.flush()
os._exit(0)
"""
"""ToJyutping builds its 70 MB trie when imported: a child process holds it while it reads a batch.

The child exits without tearing its interpreter down: the build reads its answer to the end of the
pipe, which comes when the child is gone, and freeing the trie object by object took 0.3 s of that
wait (18 ms without, for 1,500 names, timed from the names written to the answer read)."""
BATCH_IN_A_CHILD = 20
"""From this many new texts on, :func:`start_jyutping` reads them in a child process."""
_early: subprocess.Popen[str] | None = None
"""A child started before the names were known (:func:`start_child_early`), waiting for them."""


def _child() -> subprocess.Popen[str] | None:
    try:
        return subprocess.Popen(
            [sys.executable, "-c", JYUTPING_IN_A_CHILD],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
        )
    except OSError:  # no process to be had: the names are read here
        return None


def start_child_early() -> None:
    """Start the child that reads Jyutping now, when a build knows it will need it and nothing it read
    before is kept (a cold build): ToJyutping's trie (1.1 s) is built while the build reads and
    converts the content, not while it waits for the names."""
    global _early
    if _early is None and not _memo["jyutping"] and "ToJyutping" not in sys.modules:
        _early = _child()


@contextlib.contextmanager
def early_child() -> Iterator[None]:
    """A build: a child started early and never given names (nothing was rendered) ends with it."""
    global _early
    try:
        yield
    finally:
        child, _early = _early, None
        if child is not None and child.stdin is not None and child.stdout is not None:
            try:
                with child.stdin:
                    child.stdin.write("[]")  # no names: it answers [] and exits
            except (OSError, ValueError):
                pass
            with child.stdout:
                child.stdout.read()
            child.wait()


def _give(child: subprocess.Popen[str], texts: list[str]) -> threading.Thread:
    """Write the texts to the child from a thread: a long batch fills the pipe until the child has imported.

    The thread is returned to be joined: rendering forks its workers only in a process with no other
    thread (:func:`villagesite.parallel.workers_for`)."""

    def write() -> None:
        try:
            assert child.stdin is not None
            with child.stdin:
                json.dump(texts, child.stdin, ensure_ascii=False)
        except (OSError, ValueError):  # the child is gone: finish() reads the names here
            pass

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    return writer


def start_jyutping(texts: Iterable[str]) -> Callable[[], None]:
    """Start reading the Jyutping of many texts at once; the function returned waits for the readings,
    remembered for :func:`jyutping`.

    A build reads every name before it renders: ToJyutping's trie (1.1 s, 70 MB) is then built in a
    child process that exits when it has read them, so it never weighs on the build's memory, while
    the build reads the names' pinyin on the other core; the results are kept for the next build like
    the rest (:func:`keep`)."""
    global _early
    missing = list(dict.fromkeys(text for text in texts if text not in _memo["jyutping"]))
    child, _early = _early, None

    def here() -> None:
        for text in missing:
            jyutping(text)

    if child is None and (len(missing) < BATCH_IN_A_CHILD or "ToJyutping" in sys.modules):
        return here
    child = child or _child()
    if child is None:
        return here
    writer = _give(child, missing)

    def finish() -> None:
        try:
            assert child.stdout is not None
            with child.stdout:
                out = child.stdout.read()
            found = json.loads(out) if child.wait() == 0 else None
        except (OSError, ValueError):
            found = None
        writer.join()
        if not isinstance(found, list) or len(found) != len(missing):
            here()  # the child failed (no ToJyutping?): read them here, as a page would
            return
        with _lock:
            _memo["jyutping"].update((text, list(map(str, words))) for text, words in zip(missing, found, strict=True))

    return finish


def read_jyutping(texts: Iterable[str]) -> None:
    """Read the Jyutping of many texts at once (see :func:`start_jyutping`)."""
    start_jyutping(texts)()


def load() -> None:
    """Import pypinyin now (before forking workers that will need it)."""
    _converter("pinyin")


def _converter(table: str) -> Convert:
    convert = _converters.get(table)
    if convert is None:
        convert = _converters[table] = _make_converter(table)
    return convert


def _make_converter(table: str) -> Convert:
    if table == "jyutping":
        import ToJyutping

        def jyutping_of(text: str) -> list[str]:
            return [reading or "" for _char, reading in ToJyutping.get_jyutping_list(text)]

        return jyutping_of

    from pypinyin import Style, lazy_pinyin

    if table == "pinyin-marks":
        return lambda text: lazy_pinyin(text, style=Style.TONE)
    errors = "default" if table == "pinyin" else "ignore"
    return lambda text: lazy_pinyin(text, style=Style.NORMAL, errors=errors, v_to_u=False)


def remember(path: Path) -> None:
    """Read what earlier builds found (kept by :func:`keep`), for the libraries installed now.

    The file carries the hash of its text: one edited by hand is not believed (a wrong syllable
    would move a page to another address)."""
    try:
        data = read_sealed(path, FILE_VERSION)
        if data is None:
            return
        held = 0
        libraries = data["libraries"]
        with _lock:
            for table, library in TABLES.items():
                found = data["tables"].get(table)
                if not isinstance(found, dict) or libraries.get(library) != _installed(library):
                    continue
                known = _memo[table]
                known.update((text, list(map(str, words))) for text, words in found.items() if text not in known)
                held += len(found)
            _on_disk[path] = held
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass


def keep(path: Path) -> None:
    """Write what is known for the next start, unless the file already holds it all."""
    with _lock:
        known = sum(map(len, _memo.values()))
        if _on_disk.get(path) == known:
            return
        tables = {table: dict(texts) for table, texts in _memo.items() if texts}
        _on_disk[path] = known
    libraries = {library: _installed(library) for library in set(TABLES.values())}
    path.parent.mkdir(parents=True, exist_ok=True)
    write_sealed(path, FILE_VERSION, {"libraries": libraries, "tables": tables}, ensure_ascii=False)


def _installed(library: str) -> str:
    """The installed library, without importing it: its file and when it was written (a new
    version may read a text differently; then nothing it made is used)."""
    spec = importlib.util.find_spec(library)
    origin = spec.origin if spec is not None else None
    if origin is None:
        return ""
    return f"{origin}:{os.stat(origin).st_mtime_ns}"
