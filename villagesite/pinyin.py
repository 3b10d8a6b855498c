"""Toneless pinyin of Chinese text, with pypinyin's dictionaries loaded only for text not seen before.

pypinyin loads its dictionaries when imported: 0.3 s, a third of the preview's start on a warm
cache (``python -X importtime``).  The texts a build turns into pinyin (cities, tags, titles for
slugs and search terms) are few and the same from one build to the next, so what was found is
kept in the cache folder (:func:`remember`, :func:`keep`) and pypinyin is imported only when a
text is new.  Forked workers inherit what their parent loaded: :func:`load` is called before
forking, so that each worker does not import it again.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Callable
from pathlib import Path

from .sealed import read_sealed, write_sealed

Convert = Callable[..., list[str]]
FILE_VERSION = 1

_memo: dict[str, dict[str, list[str]]] = {"default": {}, "ignore": {}}
"""By pypinyin's ``errors`` rule (keep or drop what is not Chinese), text -> syllables."""
_on_disk: dict[Path, int] = {}
"""Kept file -> how many texts it holds, as this process read or wrote it."""
_lock = threading.Lock()
_convert: Convert | None = None


def syllables(text: str, errors: str = "default") -> list[str]:
    """``pypinyin.lazy_pinyin(text, style=NORMAL, errors=errors)``: remembered, or computed."""
    known = _memo[errors].get(text)
    if known is None:
        known = load()(text, errors=errors)
        with _lock:
            _memo[errors][text] = known
    return list(known)


def load() -> Convert:
    """pypinyin's converter, imported on first need."""
    global _convert
    if _convert is None:
        from pypinyin import Style, lazy_pinyin

        def convert(text: str, errors: str) -> list[str]:
            return lazy_pinyin(text, style=Style.NORMAL, errors=errors, v_to_u=False)

        _convert = convert
    return _convert


def remember(path: Path) -> None:
    """Read what earlier builds found (kept by :func:`keep`), unless pypinyin changed since.

    The file carries the hash of its text: one edited by hand is not believed (a wrong syllable
    would move a page to another address)."""
    try:
        data = read_sealed(path, FILE_VERSION)
        if data is None or data.get("pypinyin") != _installed():
            return
        held = 0
        with _lock:
            for errors, known in _memo.items():
                found = data[errors]
                if isinstance(found, dict):
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
        data = {"pypinyin": _installed(), **{errors: dict(texts) for errors, texts in _memo.items()}}
        _on_disk[path] = known
    path.parent.mkdir(parents=True, exist_ok=True)
    write_sealed(path, FILE_VERSION, data, ensure_ascii=False)


def _installed() -> str:
    """The installed pypinyin, without importing it: its file and when it was written (a new version
    may read a text differently; then nothing kept is used)."""
    spec = importlib.util.find_spec("pypinyin")
    origin = spec.origin if spec is not None else None
    if origin is None:
        return ""
    return f"{origin}:{os.stat(origin).st_mtime_ns}"
