"""Names with how they are said: a reading for each Chinese character, in one or more systems.

A visitor who cannot read 逢简村 cannot ask the way to it, and a Cantonese speaker says it
differently from a Mandarin speaker.  Pinyin (with tone marks) and Jyutping (with tone numbers)
are generated (:mod:`villagesite.readings`); both libraries misread some Guangdong place words
(河涌 is hé chōng, not hé yǒng), so a shipped table of corrections is applied over them, the
longest matching word first; a page's own ``pronounce:`` wins over both.  No library reads
Teochew or Hakka: those are shown only where an editor wrote them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import readings

SYSTEMS = ("pinyin", "jyutping", "teochew", "hakka")
"""The systems a name can be shown in, as ``site.yaml`` and ``pronounce:`` name them."""
GENERATED = ("pinyin", "jyutping")
"""The systems a library can read; the others are shown only when written."""
SHIPPED_CORRECTIONS = Path(__file__).parent / "data" / "pronunciations.yaml"

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_HAN_RUN = re.compile(f"[{HAN}]+")
_HAN = re.compile(f"[{HAN}]")


@dataclass(frozen=True, slots=True)
class Syllable:
    """One character of a name with its reading in each system asked for ("" where there is none);
    text that is not Chinese is one piece with no readings."""

    text: str
    readings: tuple[str, ...] = ()


Spelled = tuple[Syllable, ...]


def han_runs(text: str) -> list[str]:
    """The runs of Chinese characters in ``text``: what the libraries are asked to read."""
    return _HAN_RUN.findall(text)


def han_count(text: str) -> int:
    """How many Chinese characters ``text`` has: a written reading needs one syllable for each."""
    return len(_HAN.findall(text))


def spell(
    name: str,
    systems: Sequence[str],
    *,
    written: Mapping[str, str] | None = None,
    traditional: str | None = None,
) -> Spelled:
    """``name`` cut into characters, each with its reading in every one of ``systems``.

    ``written`` maps a system to the name's syllables as an editor wrote them (one per Chinese
    character, separated by spaces): they replace what is generated.  ``traditional`` is the
    name in Traditional characters, which ToJyutping reads better (13 of 13 example names,
    against 12 of 13 from Simplified), used when it has the same length."""
    runs = [(match.start(), match.group()) for match in _HAN_RUN.finditer(name)]
    columns = [_column(name, runs, system, (written or {}).get(system), traditional) for system in systems]
    pieces: list[Syllable] = []
    position = 0
    index = 0
    for start, run in runs:
        if start > position:
            pieces.append(Syllable(name[position:start]))
        for char in run:
            pieces.append(Syllable(char, tuple(column[index] for column in columns)))
            index += 1
        position = start + len(run)
    if position < len(name):
        pieces.append(Syllable(name[position:]))
    return tuple(pieces)


def _column(
    name: str, runs: list[tuple[int, str]], system: str, written: str | None, traditional: str | None
) -> list[str]:
    """One system's readings of the name's Chinese characters, in order."""
    count = sum(len(run) for _start, run in runs)
    if written is not None:
        syllables = written.split()
        return syllables if len(syllables) == count else [""] * count
    if system not in GENERATED:
        return [""] * count
    source = traditional if traditional is not None and len(traditional) == len(name) else name
    column: list[str] = []
    for start, run in runs:
        text = source[start : start + len(run)]
        found = readings.pinyin_marks(text) if system == "pinyin" else readings.jyutping(text)
        column.extend(found if len(found) == len(run) else [""] * len(run))
    return _corrected(runs, system, column)


def _corrected(runs: list[tuple[int, str]], system: str, column: list[str]) -> list[str]:
    """The shipped corrections laid over what a library read: longer words first, each character
    corrected once."""
    table = corrections()
    longest = _longest_correction()
    fixed = list(column)
    done = [False] * len(column)
    offset = 0
    for _start, run in runs:
        for length in range(min(len(run), longest), 0, -1):  # no longer word can match
            for at in range(len(run) - length + 1):
                syllables = table.get(run[at : at + length], {}).get(system)
                span = range(offset + at, offset + at + length)
                if syllables is None or any(done[i] for i in span):
                    continue
                for i, syllable in zip(span, syllables, strict=True):
                    fixed[i] = syllable
                    done[i] = True
        offset += len(run)
    return fixed


@functools.cache
def _longest_correction() -> int:
    return max(map(len, corrections()), default=0)


@functools.cache
def corrections() -> Mapping[str, Mapping[str, tuple[str, ...]]]:
    """The shipped table: word -> system -> syllables (one per character)."""
    data = yaml.safe_load(SHIPPED_CORRECTIONS.read_text(encoding="utf-8"))
    table: dict[str, dict[str, tuple[str, ...]]] = {}
    for word, systems in data.items():
        table[word] = {}
        for system, text in systems.items():
            syllables = tuple(str(text).split())
            if system not in SYSTEMS or len(syllables) != han_count(word):
                raise ValueError(f"{SHIPPED_CORRECTIONS.name}: {word}: {system}: one syllable per character")
            table[word][system] = syllables
    return table


GENERICS = tuple("古村 古镇 古寨 古巷 瑶寨 省 市 区 县 镇 乡 村 寨 巷 街 桥 塔".split())
"""Generic words at the end of a place name, written apart in pinyin (GB/T 16159: 逢简村 ->
Féngjiǎn Cūn), longest first."""


def plain(spelled: Spelled, index: int = 0, *, tones: bool = True) -> str:
    """The reading in column ``index`` of :func:`spell` as one line, as pinyin writes place names:
    the syllables of the name joined, a generic word at its end apart (逢简村 -> Féngjiǎn Cūn;
    Fengjian Cun without tone marks); "" when a character has no reading in it."""
    words: list[str] = []
    run: list[Syllable] = []
    for piece in spelled:
        if piece.readings:
            if not piece.readings[index]:
                return ""
            run.append(piece)
            continue
        words.extend(_words(run, index))
        run = []
        if piece.text.strip():
            words.append(piece.text.strip())
    words.extend(_words(run, index))
    line = " ".join(word[:1].upper() + word[1:] for word in words)
    return line if tones else strip_tones(line)


def _words(run: list[Syllable], index: int) -> list[str]:
    """A run of Chinese characters as words: the name, then its generic word if it ends with one."""
    text = "".join(piece.text for piece in run)
    generic = next((g for g in GENERICS if text.endswith(g) and len(text) > len(g)), "")
    cut = len(run) - len(generic)
    parts = (run[:cut], run[cut:]) if generic else (run,)
    return ["".join(piece.readings[index] for piece in part) for part in parts if part]


_TONE_MARKS = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ", "aaaaeeeeiiiioooouuuuüüüü")


def strip_tones(text: str) -> str:
    """Pinyin without tone marks (Féngjiǎn -> Fengjian; ü stays), as English text writes names."""
    return text.translate(_TONE_MARKS)
