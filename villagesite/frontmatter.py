"""Read a text file the way editors write them, and split off its YAML front matter.

Editors use whatever editor they have: files may start with a UTF-8 byte order
mark (Windows Notepad), end lines with CRLF, or be saved as GBK.  The first two
just work; GBK gets a message saying how to fix it instead of a crash.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import Problem, error
from .yamlfile import YamlDocument, parse_yaml


def read_text(path: Path, rel_path: str) -> str | Problem:
    """Return the file's text with LF line endings and no BOM, or a problem."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return error(rel_path, None, f"cannot read the file: {exc.strerror}")
    return decode_text(raw, rel_path)


def decode_text(raw: bytes, rel_path: str) -> str | Problem:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        encoding = "GBK/GB18030 (common from Windows editors)" if _is_gb18030(raw) else "another encoding"
        return error(
            rel_path,
            line,
            f"the file is not UTF-8; it looks like {encoding}",
            hint="open it in your editor and save it with the encoding 'UTF-8'",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _is_gb18030(raw: bytes) -> bool:
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True


@dataclass(frozen=True, slots=True)
class FrontMatter:
    meta: YamlDocument
    body: str
    body_line: int
    """The file line on which the body starts."""


def split_front_matter(text: str, rel_path: str) -> FrontMatter | Problem:
    """Split ``---``-fenced YAML from the Markdown body.

    A file without front matter is a problem: every page needs at least a title.
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return error(
            rel_path,
            1,
            "the file does not start with front matter",
            hint="the first line must be '---', then fields such as 'title: 逢简村', then '---'",
        )
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            block = "\n".join(lines[1:index])
            parsed = parse_yaml(block, rel_path, first_line=2)
            if isinstance(parsed, Problem):
                return parsed
            body = "\n".join(lines[index + 1 :])
            return FrontMatter(parsed, body, index + 2)
    return error(rel_path, 1, "the front matter is not closed", hint="add a line '---' after the last field")
