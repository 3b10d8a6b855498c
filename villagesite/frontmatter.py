"""Read a text file the way editors write them, and split off its YAML front matter.

Editors use whatever editor they have: files may start with a UTF-8 byte order
mark (Windows Notepad), end lines with CRLF, or be saved as GBK or Big5.  The first
two just work; GBK and Big5 get a message naming the encoding and ``villagesite fix-encoding``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem, error
from .i18n import _
from .recode import describe_encoding
from .yamlfile import YamlDocument, parse_yaml


def read_text(path: Path, rel_path: str) -> str | Problem:
    """Return the file's text with LF line endings and no BOM, or a problem."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        # TRANSLATORS: {reason} is the system's own words, such as "Permission denied".
        return error(rel_path, None, _("cannot read the file: {reason}", reason=exc.strerror))
    return decode_text(raw, rel_path)


def decode_text(raw: bytes, rel_path: str) -> str | Problem:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        encoding = describe_encoding(raw)
        if encoding is None:
            return error(
                rel_path,
                line,
                _("the file is not UTF-8; it looks like another encoding"),
                hint=_("open it in your editor and save it with the encoding 'UTF-8'"),
            )
        return error(
            rel_path,
            line,
            _("the file is not UTF-8; it looks like {encoding}, as older editors save Chinese", encoding=encoding),
            hint=_(
                "run: villagesite fix-encoding {path} (it converts the file and keeps the original), "
                "or save it in your editor with the encoding 'UTF-8'",
                path=rel_path,
            ),
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


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
            _("the file does not start with front matter"),
            hint=_("the first line must be '---', then fields such as 'title: 逢简村', then '---'"),
        )
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            if (later := _more_fields_after(lines, index)) is not None:
                return error(
                    rel_path,
                    index + 1,
                    _(
                        "the front matter ends at line {line} (a '---' line); the lines after it are read as"
                        " the page's text",
                        line=index + 1,
                    ),
                    hint=_(
                        "the fields below it belong to the front matter: remove this '---' and keep the one on"
                        " line {line}",
                        line=later + 1,
                    ),
                )
            block = "\n".join(lines[1:index])
            parsed = parse_yaml(block, rel_path, first_line=2)
            if isinstance(parsed, Problem):
                return parsed
            body = "\n".join(lines[index + 1 :])
            return FrontMatter(parsed, body, index + 2)
    return error(rel_path, 1, _("the front matter is not closed"), hint=_("add a line '---' after the last field"))


_FIELD_LINE = re.compile(r"[a-z_][a-z0-9_]*:(?: |$)")
"""A line as fields are written: ``summary: ...``."""
_YAML_LINE = re.compile(r"[ \t#-]|[a-z_][a-z0-9_]*:(?: |$)")
"""A field, or what continues one: an indented line, a list item, a comment."""


def _more_fields_after(lines: list[str], end: int) -> int | None:
    """The index of a second '---' when the lines between it and the closing one at ``end`` are all fields.

    An editor who puts a '---' between fields, as a separator, ends the front
    matter early; the page's text then starts with ``summary: ...``.
    """
    following = end + 1
    while following < len(lines) and not lines[following].strip():
        following += 1
    if following == len(lines) or not _FIELD_LINE.match(lines[following]):
        return None
    for index in range(following + 1, len(lines)):
        line = lines[index]
        if line.strip() in ("---", "..."):
            return index
        if line.strip() and not _YAML_LINE.match(line):
            return None
    return None
