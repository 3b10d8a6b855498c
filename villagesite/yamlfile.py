"""Read YAML while remembering the line of every key, for messages editors can act on.

PyYAML's ``safe_load`` forgets where values came from.  We compose the node
tree once, construct the data from it (the same work ``safe_load`` does), and
keep a map from each key path (``location.lat``, ``gallery[2].alt``) to its
line in the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import Problem, error


@dataclass(frozen=True, slots=True)
class YamlDocument:
    data: Any
    lines: dict[str, int] = field(default_factory=dict)
    """Key path -> 1-based line in the file."""
    first_line: int = 1

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


def join_key(parent: str, key: object) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else str(key)


def _record_lines(node: yaml.Node, path: str, offset: int, lines: dict[str, int]) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key_path = join_key(path, key_node.value)
            lines.setdefault(key_path, key_node.start_mark.line + offset)
            _record_lines(value_node, key_path, offset, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            key_path = join_key(path, index)
            lines.setdefault(key_path, item.start_mark.line + offset)
            _record_lines(item, key_path, offset, lines)


def parse_yaml(text: str, rel_path: str, first_line: int = 1) -> YamlDocument | Problem:
    """Parse ``text`` whose first line is line ``first_line`` of ``rel_path``.

    Returns the document, or a problem naming the line of the syntax error in
    the file (not in the block).
    """
    return _fast_document(text, first_line) or _full_document(text, rel_path, first_line)


def _full_document(text: str, rel_path: str, first_line: int) -> YamlDocument | Problem:
    """PyYAML's own construction, for every document: what :func:`_fast_document` must equal."""
    try:
        node, data = _compose(_FastLoader, text)
    except yaml.YAMLError:
        # Errors are rare: parse again with the pure-Python loader for its clearer message.
        try:
            node, data = _compose(_Loader, text)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + first_line if mark is not None else first_line
            what = exc.problem or exc.context or "invalid YAML"
            hint = _syntax_hint(what, text, mark.line if mark is not None else None)
            return error(rel_path, line, f"YAML syntax error: {what}", hint=hint)
        except yaml.YAMLError as exc:  # e.g. a reader error on a control character
            return error(rel_path, first_line, f"YAML error: {exc}")
    lines: dict[str, int] = {}
    if node is not None:
        _record_lines(node, "", first_line, lines)
    return YamlDocument(data, lines, first_line)


def _fast_document(text: str, first_line: int) -> YamlDocument | None:
    """The document, built and its lines recorded in one walk over libyaml's nodes.

    Front matter is plain maps, lists and scalars; this skips the constructor's
    bookkeeping for them (a third of parsing 5,000 pages).  Anything else
    (aliases, merge keys, tags, keys that are not text or numbers) returns
    None, for :func:`parse_yaml`'s full path.
    """
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDocument(None, {}, first_line)
        lines: dict[str, int] = {}
        data = _build(loader, node, "", first_line, lines, set())
    except (yaml.YAMLError, _NotPlain):
        return None
    finally:
        loader.dispose()
    return YamlDocument(data, lines, first_line)


class _NotPlain(Exception):
    """The document uses YAML beyond plain maps, lists and scalars."""


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_PLAIN_SCALARS = frozenset(
    ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null")
)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def _build(
    loader: yaml.SafeLoader, node: yaml.Node, path: str, offset: int, lines: dict[str, int], seen: set[int]
) -> Any:
    if isinstance(node, yaml.ScalarNode):
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag in _PLAIN_SCALARS:
            return loader.yaml_constructors[tag](loader, node)
        if tag == _TIMESTAMP:
            return _keep_impossible_dates(loader, node)
        raise _NotPlain
    if id(node) in seen:
        raise _NotPlain  # an alias: the constructor shares (and may nest) the value
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _KEY_TAGS:
                raise _NotPlain  # merge keys, lists as keys
            key = key_node.value if key_node.tag == _STR else _build(loader, key_node, path, offset, lines, seen)
            key_path = join_key(path, key_node.value)
            lines.setdefault(key_path, key_node.start_mark.line + offset)
            mapping[key] = _build(loader, value_node, key_path, offset, lines, seen)
        return mapping
    if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
        items = []
        for index, item in enumerate(node.value):
            key_path = join_key(path, index)
            lines.setdefault(key_path, item.start_mark.line + offset)
            items.append(_build(loader, item, key_path, offset, lines, seen))
        return items
    raise _NotPlain


_KEY_TAGS = frozenset((_STR, *_PLAIN_SCALARS))


def _compose(loader_class: type[yaml.SafeLoader], text: str) -> tuple[yaml.Node | None, Any]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def _syntax_hint(problem: str, text: str, line_index: int | None) -> str | None:
    source_line = ""
    if line_index is not None:
        all_lines = text.splitlines()
        if 0 <= line_index < len(all_lines):
            source_line = all_lines[line_index]
    if "\t" in source_line or "found character '\\t'" in problem:
        return "indent with spaces, not tabs"
    if "：" in source_line and ":" not in source_line:
        return "use an ASCII colon ':' after a field name, not the full-width '：'"
    if "expected ',' or ']'" in problem or "expected ',' or '}'" in problem:
        return "a '[' or '{' is not closed; put quotes around text that starts with '[' or '{'"
    if "found character '@'" in problem or "found character '`'" in problem:
        return "put quotes around a value that starts with '@' or '`'"
    if "mapping values are not allowed" in problem:
        return "put quotes around a value that contains ': '"
    return None
