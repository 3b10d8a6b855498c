"""Read YAML while remembering the line of every key, for messages editors can act on.

PyYAML's ``safe_load`` forgets where values came from.  We compose the node
tree once, construct the data from it (the same work ``safe_load`` does), and
keep a map from each key path (``location.lat``, ``gallery[2].alt``) to its
line in the file.

Whatever the text, the answer is a document or one :class:`Problem` naming the
line: never an exception, a hang or unbounded memory.  Before anything is
constructed, :class:`_Vetting` refuses what no editor means and what would hurt
later: YAML tags beyond the plain ones, duplicate keys, nesting past
:data:`MAX_DEPTH`, aliases expanding past :data:`ALIAS_BUDGET` values (or into
themselves), numbers longer than :data:`MAX_NUMBER_LENGTH`, and escapes that make
control characters or half a surrogate pair.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import Problem, error

MAX_DEPTH = 50
"""Lists and groups nested deeper are refused.  Fields nest three deep at most;
PyYAML's pure-Python composer recurses once a level (RecursionError at 1,000)."""
ALIAS_BUDGET = 10_000
"""Values reached through aliases before a document is refused: nine aliases of
nine items, each naming the one before ("billion laughs"), expand to 387 million."""
MAX_NUMBER_LENGTH = 100
"""Characters of the longest number read: Python converts at most 4,300 digits,
and no field needs more than a dozen."""
_NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
"""Control characters (but tab and newline) and halves of surrogate pairs: what an escape may put in a value."""
_NOT_READABLE = yaml.reader.Reader.NON_PRINTABLE
"""Characters the YAML reader refuses outright."""


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
    # A plain '=' or '<<' as a value is text (YAML 1.1 resolves them to tags SafeLoader cannot build).
    _loader.add_constructor("tag:yaml.org,2002:value", yaml.SafeLoader.construct_scalar)
    _loader.add_constructor("tag:yaml.org,2002:merge", yaml.SafeLoader.construct_scalar)


def join_key(parent: str, key: object) -> str:
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else str(key)


def _record_lines(node: yaml.Node, path: str, offset: int, lines: dict[str, int]) -> None:
    """Before construction, which flattens merge keys: a key written beside ``<<: *base`` keeps its own line."""
    if isinstance(node, yaml.MappingNode):
        merged = [value for key, value in node.value if key.tag == _MERGE]
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                continue
            key_path = join_key(path, key_node.value)
            lines.setdefault(key_path, key_node.start_mark.line + offset)
            _record_lines(value_node, key_path, offset, lines)
        for value in merged:  # a map, or a list of maps (the first wins)
            for source in value.value if isinstance(value, yaml.SequenceNode) else [value]:
                _record_lines(source, path, offset, lines)
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
    """PyYAML's own construction, after :class:`_Vetting`: what :func:`_fast_document` must equal."""
    try:
        return _checked_document(_FastLoader, text, rel_path, first_line)
    except yaml.YAMLError:
        pass
    # Errors are rare: find a character that is not text or nesting too deep for the pure-Python loader,
    # else parse again with that loader for its clearer message.
    problem = _unreadable_character(text, rel_path, first_line) or _too_deep(text, rel_path, first_line)
    if problem is not None:
        return problem
    try:
        return _checked_document(_Loader, text, rel_path, first_line)
    except yaml.MarkedYAMLError as exc:
        return _syntax_problem(exc, text, rel_path, first_line)
    except (yaml.YAMLError, RecursionError) as exc:
        return error(rel_path, first_line, f"YAML error: {exc}")


def _checked_document(
    loader_class: type[yaml.SafeLoader], text: str, rel_path: str, first_line: int
) -> YamlDocument | Problem:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDocument(None, {}, first_line)
        problem = _Vetting(loader, text, rel_path, first_line).problem(node)
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


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_PLAIN_SCALARS = frozenset(
    ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null")
)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


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
        if tag == _STR:
            return node.value
        if tag in _PLAIN_SCALARS and len(node.value) <= MAX_NUMBER_LENGTH:
            return loader.yaml_constructors[tag](loader, node)
        if tag == _TIMESTAMP:
            return _keep_impossible_dates(loader, node)
        raise _NotPlain
    if id(node) in seen or depth > MAX_DEPTH:
        raise _NotPlain  # an alias: the constructor shares (and may nest) the value
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _KEY_TAGS:
                raise _NotPlain  # merge keys, lists as keys
            key = key_node.value if key_node.tag == _STR else _build(loader, key_node, path, offset, lines, seen, depth)
            key_path = join_key(path, key_node.value)
            lines.setdefault(key_path, key_node.start_mark.line + offset)
            mapping[key] = _build(loader, value_node, key_path, offset, lines, seen, depth + 1)
        if len(mapping) < len(node.value) and len({(k.tag, k.value) for k, _ in node.value}) < len(node.value):
            raise _NotPlain  # a key twice (not 1 and true, which Python takes for one key)
        return mapping
    if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
        items = []
        for index, item in enumerate(node.value):
            key_path = join_key(path, index)
            lines.setdefault(key_path, item.start_mark.line + offset)
            items.append(_build(loader, item, key_path, offset, lines, seen, depth + 1))
        return items
    raise _NotPlain


_KEY_TAGS = frozenset((_STR, *_PLAIN_SCALARS))
_YAML_TAG = "tag:yaml.org,2002:"
_INT, _FLOAT, _MERGE = _YAML_TAG + "int", _YAML_TAG + "float", _YAML_TAG + "merge"
_SCALAR_TAGS = frozenset((_STR, *_PLAIN_SCALARS, _TIMESTAMP, _MERGE, _YAML_TAG + "value"))
_TYPED = frozenset((_INT, _FLOAT, _YAML_TAG + "bool", _TIMESTAMP))
_ANCHOR = re.compile(r"&([^\s,\[\]{}]+)")


class _Refused(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


class _Vetting:
    """One walk over the composed nodes, before construction: the first thing refused, as a problem.

    Aliases are followed (the lines recorded later follow them too), counting
    what they reach, so the walk ends after at most :data:`ALIAS_BUDGET` values
    beyond the document's own.  It recurses at most :data:`MAX_DEPTH` deep.
    """

    def __init__(self, loader: yaml.SafeLoader, text: str, rel_path: str, first_line: int) -> None:
        self.loader = loader
        self.text = text
        self.rel_path = rel_path
        self.first_line = first_line
        self.first_path: dict[int, str] = {}
        """Nodes met, by id: the key path where each was first met (where its anchor is)."""
        self.open: set[int] = set()
        self.through_aliases = 0
        self.top_key: str | None = None

    def problem(self, node: yaml.Node) -> Problem | None:
        try:
            self._walk(node, "", 1, None)
        except _Refused as refused:
            return refused.problem
        return None

    def _fail(self, node: yaml.Node, path: str | None, message: str, hint: str | None = None) -> _Refused:
        field = visible(path) if path else None
        return _Refused(error(self.rel_path, node.start_mark.line + self.first_line, message, field=field, hint=hint))

    def _walk(self, node: yaml.Node, path: str, depth: int, alias: yaml.Node | None) -> None:
        key = id(node)
        if key in self.open:
            name = self._anchor(node)
            raise self._fail(
                node,
                self.first_path[key],
                f"the anchor '&{name}' is used inside itself",
                hint=f"an alias '*{name}' cannot copy the list or group it is in",
            )
        if key in self.first_path:
            alias = alias or node  # an alias: what it copies counts, against the outermost one
        else:
            self.first_path[key] = path
        if alias is not None:
            self.through_aliases += 1
            if self.through_aliases > ALIAS_BUDGET:
                name = self._anchor(alias)
                raise self._fail(
                    alias,
                    self.first_path[id(alias)],
                    f"the anchor '&{name}' is copied by aliases into more than {ALIAS_BUDGET:,} values",
                    hint=f"an alias '*{name}' copies everything under its anchor; use fewer, or write the values out",
                )
        if isinstance(node, yaml.ScalarNode):
            self._scalar(node, path)
            return
        if depth > MAX_DEPTH:
            raise _Refused(_deep_problem(self.rel_path, node.start_mark.line + self.first_line, self.top_key))
        if node.tag not in (_MAP, _SEQ):
            raise self._tag(node, path)
        self.open.add(key)
        if isinstance(node, yaml.MappingNode):
            self._mapping(node, path, depth, alias)
        else:
            for index, item in enumerate(node.value):
                self._walk(item, join_key(path, index), depth + 1, alias)
        self.open.discard(key)

    def _mapping(self, node: yaml.MappingNode, path: str, depth: int, alias: yaml.Node | None) -> None:
        keys: dict[tuple[str, str], int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._walk(key_node, path, depth + 1, alias)  # a list as a key: construction will say
                self._walk(value_node, path, depth + 1, alias)
                continue
            key_path = join_key(path, key_node.value)
            if depth == 1:
                self.top_key = key_node.value
            self._scalar(key_node, key_path)
            if key_node.tag == _MERGE:
                self._walk(value_node, path, depth + 1, alias)
                continue
            line = key_node.start_mark.line + self.first_line
            identity = (key_node.tag, key_node.value)
            if identity in keys:
                where = f"lines {keys[identity]} and {line}" if keys[identity] != line else f"on line {line}"
                raise self._fail(key_node, key_path, f"appears twice: {where}", hint="keep one of them")
            keys[identity] = line
            self._walk(value_node, key_path, depth + 1, alias)

    def _scalar(self, node: yaml.ScalarNode, path: str) -> None:
        tag, value = node.tag, node.value
        if tag not in _SCALAR_TAGS:
            raise self._tag(node, path)
        if tag in _TYPED:
            if tag in (_INT, _FLOAT) and len(value) > MAX_NUMBER_LENGTH:
                raise self._fail(
                    node,
                    path,
                    f"'{value[:12]}…', a number {len(value):,} characters long, is not a year, a coordinate"
                    " or any other number villagesite reads",
                    hint="put quotes around it if it is text",
                )
            resolved = self.loader.resolve(yaml.ScalarNode, value, (True, False))
            if resolved != tag and not (tag == _FLOAT and resolved == _INT):
                raise self._fail(
                    node,
                    path,
                    f"'{visible(value[:40])}' is not what its tag '{_short(tag)}' says",
                    hint=f"remove '{_short(tag)}'",
                )
        match = _NOT_TEXT.search(value)
        if match is not None:
            char = match.group()
            hint = (
                f"write the character itself, not a '\\u{ord(char):04x}' escape"
                if unicodedata.category(char) == "Cs"
                else "remove the escape that makes it, such as '\\0', '\\a' or '\\e'"
            )
            raise self._fail(node, path, f"contains {_character(char)} that is not text", hint=hint)

    def _tag(self, node: yaml.Node, path: str) -> _Refused:
        tag = _short(node.tag)
        return self._fail(
            node,
            path,
            f"the YAML tag '{visible(tag)}' is not allowed",
            hint=f"remove '{visible(tag)}'; fields are text, numbers, dates, true or false, lists and groups of fields",
        )

    def _anchor(self, node: yaml.Node) -> str:
        """The anchor's name, read from the line where the node starts."""
        lines = self.text.split("\n")
        line = lines[node.start_mark.line] if node.start_mark.line < len(lines) else ""
        match = _ANCHOR.search(line, node.start_mark.column) or _ANCHOR.search(line)
        return visible(match.group(1)) if match else "?"


def _short(tag: str) -> str:
    return "!!" + tag.removeprefix(_YAML_TAG) if tag.startswith(_YAML_TAG) else tag


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, rel_path: str, first_line: int) -> Problem:
    what = exc.problem or exc.context or "invalid YAML"
    opening = _unclosed(exc, what) or _closed_late(exc, text)
    if opening is not None:
        return error(rel_path, opening[0] + first_line, f"YAML syntax error: {what}", hint=opening[1])
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + first_line if mark is not None else first_line
    hint = _syntax_hint(what, text, mark.line if mark is not None else None)
    return error(rel_path, line, f"YAML syntax error: {what}", hint=hint)


def _unclosed(exc: yaml.MarkedYAMLError, what: str) -> tuple[int, str] | None:
    """The line (in the block) and hint for a quote, '[' or '{' never closed: where it opens, not where YAML gave up."""
    start, end = exc.context_mark, exc.problem_mark
    if start is None:
        return None
    if exc.context == "while scanning a quoted scalar" and ("end of stream" in what or "document separator" in what):
        return start.line, "the quote that opens here is never closed"
    if exc.context in ("while parsing a flow sequence", "while parsing a flow mapping") and (
        end is None or end.line != start.line  # on one line, the bracket may be closed and something else wrong
    ):
        bracket = "[" if exc.context.endswith("sequence") else "{"
        return (
            start.line,
            f"the '{bracket}' that opens here is never closed; put quotes around text that starts with '{bracket}'",
        )
    return None


def _closed_late(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, str] | None:
    """A quote closed lines later, where the error is: most likely the closing quote of its own line is missing."""
    if exc.problem_mark is None:
        return None
    loader = _Loader(text)
    try:
        while not loader.check_token(yaml.StreamEndToken):
            token = loader.get_token()
            if token.start_mark.line > exc.problem_mark.line:
                break
            if (
                isinstance(token, yaml.ScalarToken)
                and token.style in ('"', "'")
                and token.start_mark.line < token.end_mark.line == exc.problem_mark.line
            ):
                return token.start_mark.line, "the quote that opens here is not closed on its line"
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return None


def _unreadable_character(text: str, rel_path: str, first_line: int) -> Problem | None:
    """A character the YAML reader refuses (NUL, ESC, ...), at its own line, with the text before it to find it by."""
    match = _NOT_READABLE.search(text)
    if match is None:
        return None
    start = match.start()
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start].strip()[-20:]
    message = f"{_character(match.group())} that is not text" + (f", after '{before}'" if before else "")
    return error(
        rel_path,
        text.count("\n", 0, start) + first_line,
        message,
        hint="remove it; it can come with text pasted from another program",
    )


def _character(char: str) -> str:
    code = f"U+{ord(char):04X}"
    category = unicodedata.category(char)
    if category == "Cc":
        return f"a control character {code}"
    if category == "Cs":
        return f"{code}, half of a surrogate pair,"
    return f"the character {code}"


def visible(text: str) -> str:
    """``text`` with control characters and halves of surrogate pairs written as escapes, for messages."""
    return _NOT_TEXT.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def _too_deep(text: str, rel_path: str, first_line: int) -> Problem | None:
    """Nesting past :data:`MAX_DEPTH` in a document libyaml refused (it stops at 1,000 levels, scanning ahead).

    PyYAML's parser makes events without recursion; its composer would recurse a level a level.
    """
    loader = _Loader(text)
    depth = 0
    top_key: str | None = None
    top_is_map = expect_key = False
    try:
        while not loader.check_event(yaml.StreamEndEvent):
            event = loader.get_event()
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth == 1:
                    top_is_map = expect_key = isinstance(event, yaml.MappingStartEvent)
                if depth > MAX_DEPTH:
                    return _deep_problem(rel_path, event.start_mark.line + first_line, top_key)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
                if depth == 1:
                    expect_key = not expect_key
            elif depth == 1 and isinstance(event, (yaml.ScalarEvent, yaml.AliasEvent)):
                if top_is_map and expect_key and isinstance(event, yaml.ScalarEvent):
                    top_key = event.value
                expect_key = not expect_key
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return None


def _deep_problem(rel_path: str, line: int, top_key: str | None) -> Problem:
    return error(
        rel_path,
        line,
        f"lists and groups of fields are nested more than {MAX_DEPTH} deep",
        field=visible(top_key) if top_key is not None else None,
        hint="no field of villagesite nests more than three deep",
    )


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
