"""Text files saved in a legacy Chinese encoding, named and rewritten as UTF-8.

Old Windows editors (Notepad before 2019, WPS, some CMS exports) save Simplified Chinese as GBK
(GB18030 is its superset) and Hong Kong ones Traditional as Big5.  Much of either decodes as the other,
so the guess is made by what the text reads like: the share of its characters among the common ones of
each standard (GB2312's first level, 3,755 characters; Big5's frequent section, 5,401).  Text
decoded with the wrong table is mostly rare characters.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .i18n import _

LEGACY = ("gb18030", "big5hkscs")
NAMES = {"gb18030": "GBK/GB18030", "big5hkscs": "Big5"}
"""How each encoding is named to editors, as their editors' "save as" menus name it."""

TEXT_SUFFIXES = (".md", ".yaml", ".yml")
"""What ``fix-encoding`` converts in a folder: the files villagesite reads as text."""


def guess_encoding(raw: bytes) -> str | None:
    """The legacy encoding ``raw`` is most likely in, or None when it reads as none of them."""
    best: tuple[float, str] | None = None
    for encoding in LEGACY:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _common_share(text, encoding)
        if best is None or score > best[0]:
            best = (score, encoding)
    return best[1] if best is not None and best[0] >= 0.5 else None


def _common_share(text: str, encoding: str) -> float:
    """The share of the Chinese characters in ``text`` that are common in ``encoding``'s standard."""
    chinese = [char for char in text if "\u4e00" <= char <= "\u9fff"]
    if not chinese:
        return 1.0  # only Latin text and punctuation: both read it the same
    common = 0
    for char in chinese:
        try:
            code = char.encode("gb2312" if encoding == "gb18030" else "big5")
        except UnicodeEncodeError:
            continue
        if encoding == "gb18030" and 0xB0 <= code[0] <= 0xD7:
            common += 1
        elif encoding == "big5hkscs" and 0xA440 <= int.from_bytes(code, "big") <= 0xC67E:
            common += 1
    return common / len(chinese)


def describe_encoding(raw: bytes) -> str | None:
    """The name of the legacy encoding ``raw`` looks like, for a message; None when it is none of them."""
    encoding = guess_encoding(raw)
    return NAMES[encoding] if encoding else None


@dataclass(frozen=True, slots=True)
class Recoded:
    """What ``fix-encoding`` did to one file."""

    path: Path
    encoding: str | None
    """The encoding it was in; None when it was UTF-8 already, or in no encoding recognised."""
    backup: Path | None = None


def recode_file(path: Path) -> Recoded:
    """Rewrite ``path`` as UTF-8 when it is in a legacy encoding, keeping the original beside it."""
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
        return Recoded(path, None)
    except UnicodeDecodeError:
        pass
    encoding = guess_encoding(raw)
    if encoding is None:
        return Recoded(path, None)
    backup = _free_name(path.with_name(f"{path.name}.{encoding}.bak"))
    backup.write_bytes(raw)
    temporary = path.with_name(f".{path.name}.utf8.tmp")
    temporary.write_bytes(raw.decode(encoding).encode("utf-8"))
    os.replace(temporary, path)  # never half a file: a full disk leaves the original as it was
    return Recoded(path, encoding, backup)


def _free_name(path: Path) -> Path:
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.name}.{number}")
    return candidate


def text_files(paths: list[Path]) -> list[Path]:
    """The files named, and the text files inside the folders named, each once, in order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix in TEXT_SUFFIXES and p.is_file())
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def report_line(result: Recoded, shown: str) -> str | None:
    """What the terminal says of one converted file; None for a file left alone."""
    if result.encoding is None or result.backup is None:
        return None
    return _(
        "{path}: converted from {encoding} to UTF-8; the original is kept as {backup}",
        path=shown,
        encoding=NAMES[result.encoding],
        backup=result.backup.name,
    )
