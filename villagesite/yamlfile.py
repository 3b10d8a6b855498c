"""Read YAML while remembering the line of every key, for messages editors can act on.

PyYAML's ``safe_load`` forgets where values came from.  We compose the node
tree once, construct the data from it (the same work ``safe_load`` does), and
keep a map from each key path (``location.lat``, ``gallery[2].alt``) to its
line in the file.

Whatever the text, the answer is a document or one :class:`Problem` naming the
line: never an exception, a hang or unbounded memory.  What a document must not
be (tags, duplicate keys, deep nesting, alias bombs, huge numbers, control
characters) and how PyYAML's errors read to an editor is
:mod:`villagesite.yamlcheck`'s job; this module reads, and asks it before
anything is constructed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

import yaml

from .errors import Problem, error, warning
from .i18n import _
from .yamlcheck import (
    MAP,
    MAX_DEPTH,
    MAX_NUMBER_LENGTH,
    MERGE,
    PLAIN_SCALARS,
    SEQ,
    STR,
    TIMESTAMP,
    Vetting,
    join_key,
    syntax_problem,
    too_deep,
    unreadable_character,
)

__all__ = ["YamlDocument", "join_key", "parse_yaml"]  # join_key: defined beside the checks, which name fields too


@dataclass(frozen=True, slots=True)
class YamlDocument:
    data: Any
    lines: dict[str, int] = field(default_factory=dict)
    """Key path -> 1-based line in the file."""
    first_line: int = 1
    warnings: tuple[Problem, ...] = ()
    """What was read in spite of a mistake (Chinese quotes, full-width commas in a list), at its line."""

    def line_of(self, key_path: str) -> int:
        """The line of a key, else of its nearest parent, else of the block."""
        while key_path:
            if key_path in self.lines:
                return self.lines[key_path]
            cut = max(key_path.rfind("."), key_path.rfind("["))
            key_path = key_path[:cut] if cut > 0 else ""
        return self.first_line


def _keep_impossible_dates(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    """An impossible date (``2027-13-01``) stays text, for the schema to report with its line."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)  # type: ignore[no-untyped-call]
    except ValueError:
        return loader.construct_scalar(node)


class _Loader(yaml.SafeLoader):
    """The pure-Python loader: slower, but its messages name the offending character."""


class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser (about ten times faster) where PyYAML was built with it."""


for _loader in (_Loader, _FastLoader):
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _keep_impossible_dates)
    # A plain '=' or '<<' as a value is text (YAML 1.1 resolves them to tags SafeLoader cannot build).
    _loader.add_constructor("tag:yaml.org,2002:value", yaml.SafeLoader.construct_scalar)
    _loader.add_constructor("tag:yaml.org,2002:merge", yaml.SafeLoader.construct_scalar)


def _record_lines(node: yaml.Node, path: str, offset: int, lines: dict[str, int]) -> None:
    """Before construction, which flattens merge keys: a key written beside ``<<: *base`` keeps its own line."""
    if isinstance(node, yaml.MappingNode):
        merged = [value for key, value in node.value if key.tag == MERGE]
        for key_node, value_node in node.value:
            if key_node.tag == MERGE:
                continue
            key_path = join_key(path, key_node.value)
            lines.setdefault(key_path, key_node.start_mark.line + offset)
            _record_lines(value_node, key_path, offset, lines)
        for value in merged:  # a map, or a list of maps (the first wins)
            for source in value.value if isinstance(value, yaml.SequenceNode) else [value]:
                _record_lines(source, path, offset, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            key_path = _same(join_key(path, index))
            lines.setdefault(key_path, item.start_mark.line + offset)
            _record_lines(item, key_path, offset, lines)


def parse_yaml(text: str, rel_path: str, first_line: int = 1) -> YamlDocument | Problem:
    """Parse ``text`` whose first line is line ``first_line`` of ``rel_path``.

    Returns the document, or a problem naming the line of the syntax error in
    the file (not in the block).
    """
    text, forgiven = _forgive(text) if _FULL_WIDTH.search(text) else (text, [])
    document = _fast_document(text, first_line) or _full_document(text, rel_path, first_line)
    if forgiven and isinstance(document, YamlDocument):
        at_line: dict[int, str] = {}
        for key, line in document.lines.items():  # the first key of a line is its own; then its items'
            at_line.setdefault(line, key)
        warnings = tuple(
            warning(rel_path, index + first_line, message, field=at_line.get(index + first_line), hint=hint)
            for index, message, hint in forgiven
        )
        document = replace(document, warnings=warnings)
    return document


_FULL_WIDTH = re.compile("[“，、]")
_KEY = r"^(?P<key>[ \t]*(?:-[ \t]+)?[^\s:#'\"\[{][^:#\n]*:[ \t]+)"
_QUOTED = re.compile(_KEY + r"“(?P<value>[^“”\n]*)”(?P<rest>[ \t]*(?:#.*)?)$")
_LISTED = re.compile(_KEY + r"\[(?P<value>[^\[\]{}'\"\n]*[，、][^\[\]{}'\"\n]*)\](?P<rest>[ \t]*(?:#.*)?)$")


def _forgive(text: str) -> tuple[str, list[tuple[int, str, str]]]:
    """Read what a Chinese keyboard types as the editor meant it, each with a warning: a value in “Chinese
    quotes” (YAML would keep them as part of the text), a one-line list separated by '，' or '、' (YAML would
    read one item).  Returns the text to parse (lines kept in place) and (line index, message, hint)."""
    lines = text.split("\n")
    forgiven: list[tuple[int, str, str]] = []
    for index, line in enumerate(lines):
        if not _FULL_WIDTH.search(line):
            continue
        if quoted := _QUOTED.match(line):
            value = quoted["value"]
            lines[index] = f"{quoted['key']}'{value.replace(chr(39), chr(39) * 2)}'{quoted['rest']}"
            forgiven.append(
                (
                    index,
                    _("the value is in Chinese quotes “”, which YAML keeps as part of the text; they were left out"),
                    _(
                        "write it without quotes, or with ASCII ones: {fixed}",
                        fixed=f'{quoted["key"].strip()} "{value}"',
                    ),
                )
            )
        elif listed := _LISTED.match(line):
            items = [item.strip() for item in re.split("[，、,]", listed["value"])]
            fixed = f"{listed['key'].strip()} [{', '.join(items)}]"
            lines[index] = f"{listed['key']}[{', '.join(items)}]{listed['rest']}"
            forgiven.append(
                (
                    index,
                    _(
                        "the list is separated with '，' or '、', which YAML does not read as a separator; "
                        "read as {fixed}",
                        fixed=fixed,
                    ),
                    _("write ASCII commas between the items; put an item in quotes if the comma belongs to it"),
                )
            )
    return "\n".join(lines), forgiven


def _full_document(text: str, rel_path: str, first_line: int) -> YamlDocument | Problem:
    """PyYAML's own construction, after :class:`Vetting`: what :func:`_fast_document` must equal."""
    try:
        return _checked_document(_FastLoader, text, rel_path, first_line)
    except yaml.YAMLError:
        pass
    # Errors are rare: find a character that is not text or nesting too deep for the pure-Python loader,
    # else parse again with that loader for its clearer message.
    problem = unreadable_character(text, rel_path, first_line) or too_deep(text, rel_path, first_line)
    if problem is not None:
        return problem
    try:
        return _checked_document(_Loader, text, rel_path, first_line)
    except yaml.MarkedYAMLError as exc:
        return syntax_problem(exc, text, rel_path, first_line)
    except (yaml.YAMLError, RecursionError) as exc:
        # TRANSLATORS: {error} is PyYAML's own description of what went wrong, in English.
        return error(rel_path, first_line, _("YAML error: {error}", error=exc))


def _checked_document(
    loader_class: type[yaml.SafeLoader], text: str, rel_path: str, first_line: int
) -> YamlDocument | Problem:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDocument(None, {}, first_line)
        problem = Vetting(loader, text, rel_path, first_line).problem(node)
        if problem is not None:
            return problem
        lines: dict[str, int] = {}
        _record_lines(node, "", first_line, lines)
        data = loader.construct_document(node)
    finally:
        loader.dispose()
    return YamlDocument(data, lines, first_line)


def _fast_document(text: str, first_line: int) -> YamlDocument | None:
    """The document, built and its lines recorded in one walk over libyaml's nodes.

    Front matter is plain maps, lists and scalars; this skips the constructor's
    bookkeeping for them (a third of parsing 5,000 pages).  Anything else
    (aliases, merge keys, tags, keys that are not text or numbers) returns
    None, for :func:`parse_yaml`'s full path; so do what it must refuse:
    duplicate keys, nesting past :data:`MAX_DEPTH`, numbers past
    :data:`MAX_NUMBER_LENGTH`, and escapes (which may make control characters),
    each found with a comparison or two, not a walk of its own (the parse of
    2,950 front matters took the same 92 µs each before and after).
    """
    if "\\" in text and '"' in text:
        return None
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDocument(None, {}, first_line)
        lines: dict[str, int] = {}
        data = _build(loader, node, "", first_line, lines, set(), 1)
    except Exception:  # noqa: BLE001 -- not plain, or '!!int abc' failing in its constructor: the full path says
        return None
    finally:
        loader.dispose()
    return YamlDocument(data, lines, first_line)


class _NotPlain(Exception):
    """The document uses YAML beyond plain maps, lists and scalars."""


_KEY_TAGS = frozenset((STR, *PLAIN_SCALARS))

_SAME: dict[str, str] = {}
SAME_LENGTH = 40
"""Keys, their paths and short values (a province, a tag, a heading) repeat from page to page: one
object each, which a worker's results also pickle once.  9 MB of a build of 5,000 villages."""


def _same(text: str) -> str:
    if len(text) > SAME_LENGTH:
        return text
    if len(_SAME) > 200_000:  # a long-lived process that has read a great many
        _SAME.clear()
    return _SAME.setdefault(text, text)


def _build(
    loader: yaml.SafeLoader,
    node: yaml.Node,
    path: str,
    offset: int,
    lines: dict[str, int],
    seen: set[int],
    depth: int,
) -> Any:
    if isinstance(node, yaml.ScalarNode):
        tag = node.tag
        if tag == STR:
            return _same(node.value)
        if tag in PLAIN_SCALARS and len(node.value) <= MAX_NUMBER_LENGTH:
            return loader.yaml_constructors[tag](loader, node)
        if tag == TIMESTAMP:
            return _keep_impossible_dates(loader, node)
        raise _NotPlain
    if id(node) in seen or depth > MAX_DEPTH:
        raise _NotPlain  # an alias: the constructor shares (and may nest) the value
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode) and node.tag == MAP:
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _KEY_TAGS:
                raise _NotPlain  # merge keys, lists as keys
            key = (
                _same(key_node.value)
                if key_node.tag == STR
                else _build(loader, key_node, path, offset, lines, seen, depth)
            )
            key_path = _same(join_key(path, key_node.value))
            lines.setdefault(key_path, key_node.start_mark.line + offset)
            mapping[key] = _build(loader, value_node, key_path, offset, lines, seen, depth + 1)
        if len(mapping) < len(node.value) and len({(k.tag, k.value) for k, _ in node.value}) < len(node.value):
            raise _NotPlain  # a key twice (not 1 and true, which Python takes for one key)
        return mapping
    if isinstance(node, yaml.SequenceNode) and node.tag == SEQ:
        items = []
        for index, item in enumerate(node.value):
            key_path = _same(join_key(path, index))
            lines.setdefault(key_path, item.start_mark.line + offset)
            items.append(_build(loader, item, key_path, offset, lines, seen, depth + 1))
        return items
    raise _NotPlain
