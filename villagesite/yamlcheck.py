"""Vet a composed YAML document against hostile or broken input, and turn PyYAML's errors into editor messages.

:mod:`villagesite.yamlfile` reads; this module says what it must refuse and
why, so that whatever the text, the answer is a document or one
:class:`~villagesite.errors.Problem` naming the line: never an exception, a
hang or unbounded memory.  Before anything is constructed, :class:`Vetting`
refuses what no editor means and what would hurt later: YAML tags beyond the
plain ones, duplicate keys, nesting past :data:`MAX_DEPTH`, aliases expanding
past :data:`ALIAS_BUDGET` values (or into themselves), numbers longer than
:data:`MAX_NUMBER_LENGTH`, and escapes that make control characters or half a
surrogate pair.  When PyYAML cannot parse a document at all,
:func:`syntax_problem` names the line where the mistake was made (a quote or
bracket never closed is reported where it opens) with a hint to fix it.

It depends on PyYAML and :mod:`villagesite.errors` only (the reader imports it,
never the other way round), so the two modules' shared vocabulary lives here:
key paths (:func:`join_key`) and tag names.
"""

from __future__ import annotations

import re
import unicodedata

import yaml

from .errors import Problem, error
from .i18n import N_, _

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


def join_key(parent: str, key: object) -> str:
    """The key path of ``key`` under ``parent`` (``location.lat``, ``gallery[2]``), as lines are recorded."""
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else str(key)


STR = "tag:yaml.org,2002:str"
MAP = "tag:yaml.org,2002:map"
SEQ = "tag:yaml.org,2002:seq"
PLAIN_SCALARS = frozenset(
    ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null")
)
TIMESTAMP = "tag:yaml.org,2002:timestamp"
_YAML_TAG = "tag:yaml.org,2002:"
_INT, _FLOAT, MERGE = _YAML_TAG + "int", _YAML_TAG + "float", _YAML_TAG + "merge"
_SCALAR_TAGS = frozenset((STR, *PLAIN_SCALARS, TIMESTAMP, MERGE, _YAML_TAG + "value"))
_TYPED = frozenset((_INT, _FLOAT, _YAML_TAG + "bool", TIMESTAMP))
_ANCHOR = re.compile(r"&([^\s,\[\]{}]+)")


class _Refused(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


class Vetting:
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
                # TRANSLATORS: {name} is the name of a YAML anchor ('&name') that an alias ('*name') copies.
                _("the anchor '&{name}' is used inside itself", name=name),
                hint=_("an alias '*{name}' cannot copy the list or group it is in", name=name),
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
                    # TRANSLATORS: {name} is a YAML anchor's name; {limit} a number such as 10,000.
                    _(
                        "the anchor '&{name}' is copied by aliases into more than {limit} values",
                        name=name,
                        limit=format(ALIAS_BUDGET, ","),
                    ),
                    hint=_(
                        "an alias '*{name}' copies everything under its anchor; use fewer, or write the values out",
                        name=name,
                    ),
                )
        if isinstance(node, yaml.ScalarNode):
            self._scalar(node, path)
            return
        if depth > MAX_DEPTH:
            raise _Refused(_deep_problem(self.rel_path, node.start_mark.line + self.first_line, self.top_key))
        if node.tag not in (MAP, SEQ):
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
            if key_node.tag == MERGE:
                self._walk(value_node, path, depth + 1, alias)
                continue
            line = key_node.start_mark.line + self.first_line
            identity = (key_node.tag, key_node.value)
            if identity in keys:
                message = (
                    _("appears twice: lines {first} and {second}", first=keys[identity], second=line)
                    if keys[identity] != line
                    else _("appears twice: on line {line}", line=line)
                )
                raise self._fail(key_node, key_path, message, hint=_("keep one of them"))
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
                    # TRANSLATORS: {start} is the beginning of a very long number; {length} its length, such as 1,200.
                    _(
                        "'{start}…', a number {length} characters long, is not a year, a coordinate"
                        " or any other number villagesite reads",
                        start=value[:12],
                        length=format(len(value), ","),
                    ),
                    hint=_("put quotes around it if it is text"),
                )
            resolved = self.loader.resolve(yaml.ScalarNode, value, (True, False))
            if resolved != tag and not (tag == _FLOAT and resolved == _INT):
                raise self._fail(
                    node,
                    path,
                    # TRANSLATORS: {tag} is a YAML tag such as '!!int' written before the value.
                    _("'{value}' is not what its tag '{tag}' says", value=visible(value[:40]), tag=_short(tag)),
                    hint=_("remove '{tag}'", tag=_short(tag)),
                )
        match = _NOT_TEXT.search(value)
        if match is not None:
            char = match.group()
            hint = (
                # TRANSLATORS: {escape} is a YAML escape such as '\ud800'.
                _("write the character itself, not a '{escape}' escape", escape="\\u" + format(ord(char), "04x"))
                if unicodedata.category(char) == "Cs"
                else _("remove the escape that makes it, such as '\\0', '\\a' or '\\e'")
            )
            raise self._fail(node, path, _(_character(char).contains, code=_code(char)), hint=hint)

    def _tag(self, node: yaml.Node, path: str) -> _Refused:
        tag = _short(node.tag)
        return self._fail(
            node,
            path,
            _("the YAML tag '{tag}' is not allowed", tag=visible(tag)),
            hint=_(
                "remove '{tag}'; fields are text, numbers, dates, true or false, lists and groups of fields",
                tag=visible(tag),
            ),
        )

    def _anchor(self, node: yaml.Node) -> str:
        """The anchor's name, read from the line where the node starts."""
        lines = self.text.split("\n")
        line = lines[node.start_mark.line] if node.start_mark.line < len(lines) else ""
        match = _ANCHOR.search(line, node.start_mark.column) or _ANCHOR.search(line)
        return visible(match.group(1)) if match else "?"


def _short(tag: str) -> str:
    return "!!" + tag.removeprefix(_YAML_TAG) if tag.startswith(_YAML_TAG) else tag


_FULL_WIDTH_COLON = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][\w.-]*)[ \t\u3000]*：[ \t\u3000]*(.*)$", re.MULTILINE)
"""``founded：宋代``: a field name, then the full-width colon a Chinese keyboard types."""

_PYYAML_PROBLEMS = {
    problem: problem
    for problem in (
        N_("could not find expected ':'"),
        N_("mapping values are not allowed here"),
        N_("did not find expected key"),
        N_("did not find expected '-' indicator"),
        N_("found unexpected end of stream"),
        N_("found unexpected ':'"),
    )
}
"""PyYAML's words for the mistakes editors make, translated (English keeps PyYAML's own words)."""

_PYYAML_PATTERNS = (
    (re.compile(r"^expected <block end>, but found (.+)$"), N_("expected <block end>, but found {token}")),
    (
        re.compile(r"^found character (.+) that cannot start any token$"),
        N_("found character {token} that cannot start any token"),
    ),
    (re.compile(r"^expected ',' or '\]', but got (.+)$"), N_("expected ',' or ']', but got {token}")),
    (re.compile(r"^expected ',' or '\}', but got (.+)$"), N_("expected ',' or '}}', but got {token}")),
)


def _explained(what: str) -> str:
    """PyYAML's description of a mistake, in the editor's language where it is a known one."""
    if what in _PYYAML_PROBLEMS:
        return _(_PYYAML_PROBLEMS[what])
    for pattern, message in _PYYAML_PATTERNS:
        if match := pattern.search(what):
            return _(message, token=match.group(1))
    return what


def full_width_colon(text: str, rel_path: str, first_line: int, before: int | None) -> Problem | None:
    """A field name followed by '：' on a line up to ``before`` (the line YAML stumbled on): the mistake."""
    for match in _FULL_WIDTH_COLON.finditer(text):
        line = text.count("\n", 0, match.start())
        if before is not None and line > before:
            break
        indent, key, value = match.groups()
        return error(
            rel_path,
            line + first_line,
            _("the field name '{key}' is followed by a full-width colon '：'; YAML needs an ASCII colon", key=key),
            hint=_("write it as: {fixed}", fixed=f"{indent.strip()} {key}: {value}".strip()),
        )
    return None


def syntax_problem(exc: yaml.MarkedYAMLError, text: str, rel_path: str, first_line: int) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    colon = full_width_colon(text, rel_path, first_line, mark.line if mark is not None else None)
    if colon is not None:
        return colon
    what = exc.problem or exc.context or ""
    # TRANSLATORS: {problem} is PyYAML's description of the mistake: translated where it is a common one.
    message = (
        _("YAML syntax error: {problem}", problem=_explained(what)) if what else _("YAML syntax error: invalid YAML")
    )
    opening = _unclosed(exc, what) or _closed_late(exc, text)
    if opening is not None:
        return error(rel_path, opening[0] + first_line, message, hint=opening[1])
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + first_line if mark is not None else first_line
    hint = _syntax_hint(what, text, mark.line if mark is not None else None)
    return error(rel_path, line, message, hint=hint)


def _unclosed(exc: yaml.MarkedYAMLError, what: str) -> tuple[int, str] | None:
    """The line (in the block) and hint for a quote, '[' or '{' never closed: where it opens, not where YAML gave up."""
    start, end = exc.context_mark, exc.problem_mark
    if start is None:
        return None
    if exc.context == "while scanning a quoted scalar" and ("end of stream" in what or "document separator" in what):
        return start.line, _("the quote that opens here is never closed")
    if exc.context in ("while parsing a flow sequence", "while parsing a flow mapping") and (
        end is None or end.line != start.line  # on one line, the bracket may be closed and something else wrong
    ):
        bracket = "[" if exc.context.endswith("sequence") else "{"
        return (
            start.line,
            # TRANSLATORS: {bracket} is '[' or '{'.
            _(
                "the '{bracket}' that opens here is never closed; put quotes around text that starts with '{bracket}'",
                bracket=bracket,
            ),
        )
    return None


def _closed_late(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, str] | None:
    """A quote closed lines later, where the error is: most likely the closing quote of its own line is missing."""
    if exc.problem_mark is None:
        return None
    loader = yaml.SafeLoader(text)  # the pure-Python scanner and parser: nothing is constructed
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
                return token.start_mark.line, _("the quote that opens here is not closed on its line")
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return None


def unreadable_character(text: str, rel_path: str, first_line: int) -> Problem | None:
    """A character the YAML reader refuses (NUL, ESC, ...), at its own line, with the text before it to find it by."""
    match = _NOT_READABLE.search(text)
    if match is None:
        return None
    start = match.start()
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start].strip()[-20:]
    kind = _character(match.group())
    return error(
        rel_path,
        text.count("\n", 0, start) + first_line,
        _(kind.after, code=_code(match.group()), before=before) if before else _(kind.alone, code=_code(match.group())),
        hint=_("remove it; it can come with text pasted from another program"),
    )


class _Kind:
    """The messages about a character that is not text, one kind of character each (whole sentences)."""

    def __init__(self, contains: str, alone: str, after: str) -> None:
        self.contains, self.alone, self.after = contains, alone, after


_CONTROL = _Kind(
    # TRANSLATORS: {code} is a character's code, such as U+001B; the message follows the field's name.
    N_("contains a control character {code} that is not text"),
    # TRANSLATORS: {code} is a character's code, such as U+001B; the message follows the file's name and line.
    N_("a control character {code} that is not text"),
    # TRANSLATORS: {before} is the text just before the character on its line, to find it by.
    N_("a control character {code} that is not text, after '{before}'"),
)
_SURROGATE = _Kind(
    # TRANSLATORS: {code} is a code such as U+D800: half of a character that needs two codes (a surrogate pair).
    N_("contains {code}, half of a surrogate pair, that is not text"),
    # TRANSLATORS: {code} is a code such as U+D800: half of a character that needs two codes (a surrogate pair).
    N_("{code}, half of a surrogate pair, that is not text"),
    # TRANSLATORS: {before} is the text just before the character on its line, to find it by.
    N_("{code}, half of a surrogate pair, that is not text, after '{before}'"),
)
_OTHER = _Kind(
    # TRANSLATORS: {code} is a character's code, such as U+FFFE.
    N_("contains the character {code} that is not text"),
    # TRANSLATORS: {code} is a character's code, such as U+FFFE.
    N_("the character {code} that is not text"),
    # TRANSLATORS: {before} is the text just before the character on its line, to find it by.
    N_("the character {code} that is not text, after '{before}'"),
)


def _character(char: str) -> _Kind:
    category = unicodedata.category(char)
    if category == "Cc":
        return _CONTROL
    if category == "Cs":
        return _SURROGATE
    return _OTHER


def _code(char: str) -> str:
    return f"U+{ord(char):04X}"


def visible(text: str) -> str:
    """``text`` with control characters and halves of surrogate pairs written as escapes, for messages."""
    return _NOT_TEXT.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def too_deep(text: str, rel_path: str, first_line: int) -> Problem | None:
    """Nesting past :data:`MAX_DEPTH` in a document libyaml refused (it stops at 1,000 levels, scanning ahead).

    PyYAML's parser makes events without recursion; its composer would recurse a level a level.
    """
    loader = yaml.SafeLoader(text)  # the pure-Python scanner and parser: nothing is constructed
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
        _("lists and groups of fields are nested more than {limit} deep", limit=MAX_DEPTH),
        field=visible(top_key) if top_key is not None else None,
        hint=_("no field of villagesite nests more than three deep"),
    )


def _syntax_hint(problem: str, text: str, line_index: int | None) -> str | None:
    source_line = ""
    if line_index is not None:
        all_lines = text.splitlines()
        if 0 <= line_index < len(all_lines):
            source_line = all_lines[line_index]
    if "\t" in source_line or "found character '\\t'" in problem:
        return _("indent with spaces, not tabs")
    if "：" in source_line and ":" not in source_line:
        return _("use an ASCII colon ':' after a field name, not the full-width '：'")
    if "expected ',' or ']'" in problem or "expected ',' or '}'" in problem:
        return _("a '[' or '{{' is not closed; put quotes around text that starts with '[' or '{{'")
    if "found character '@'" in problem or "found character '`'" in problem:
        return _("put quotes around a value that starts with '@' or '`'")
    if "mapping values are not allowed" in problem:
        return _("put quotes around a value that contains ': '")
    return None
