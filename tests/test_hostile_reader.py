"""Hostile input to the reader: every file gets a result or a message naming path:line, never a traceback.

One test per way in found so far (issue 11), with the whole message, then
properties that feed generated front matter, Markdown and site.yaml of every
kind of trouble (escapes, control characters, deep nesting, huge numbers, tags,
anchors and aliases, duplicate keys, stray '---' lines) to the reader.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import pytest
from conftest import photo_bytes, run_cli, village, write_site
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from villagesite import VillageSiteError, check, load_config
from villagesite.content import load_source
from villagesite.errors import Problem
from villagesite.schema import VILLAGE_KEYS, Kind
from villagesite.yamlfile import parse_yaml

PAGE = "content/villages/a/index.md"
LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{name}: &{name} [{', '.join([f'*{before}'] * 9)}]\n" for before, name in zip("abcdefgh", "bcdefghi", strict=True)
)
"""Nine aliases of nine items, each naming the one before: 387 million values when expanded."""
DEEP = "[" * 5000 + "]" * 5000
LONG = "1" * 5000
CONTROL_HINT = "(remove it; it can come with text pasted from another program)"
ESCAPE_HINT = "(remove the escape that makes it, such as '\\0', '\\a' or '\\e')"
NUMBER = "'111111111111…', a number 5,000 characters long, is not a year, a coordinate or any other number villagesite reads (put quotes around it if it is text)"
NESTED = "lists and groups of fields are nested more than 50 deep (no field of villagesite nests more than three deep)"
BOMB = (
    "d: the anchor '&d' is copied by aliases into more than 10,000 values"
    " (an alias '*d' copies everything under its anchor; use fewer, or write the values out)"
)
BINARY = (
    "the YAML tag '!!binary' is not allowed"
    " (remove '!!binary'; fields are text, numbers, dates, true or false, lists and groups of fields)"
)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {PAGE: village("甲村", extra=f"founded: {LONG}\n")}, [f"{PAGE}:7: founded: {NUMBER}"], id="1-long-year"
        ),
        pytest.param({PAGE: village("甲村", lat=LONG)}, [f"{PAGE}:5: location.lat: {NUMBER}"], id="1-long-latitude"),
        pytest.param({PAGE: village("甲村", extra=f"tags: {DEEP}\n")}, [f"{PAGE}:7: tags: {NESTED}"], id="2-deep-list"),
        pytest.param(
            {"site.yaml": f"title: x\nmap:\n  tiles: {DEEP}\n"}, [f"site.yaml:3: map: {NESTED}"], id="2-deep-site"
        ),
        pytest.param(
            {PAGE: village("甲村", extra='town: "\\ud800镇"\n')},
            [
                f"{PAGE}:7: town: contains U+D800, half of a surrogate pair, that is not text"
                " (write the character itself, not a '\\ud800' escape)"
            ],
            id="3-lone-surrogate",
        ),
        pytest.param({PAGE: village("甲村", extra=LAUGHS)}, [f"{PAGE}:10: {BOMB}"], id="4-billion-laughs"),
        pytest.param({"site.yaml": "title: x\n" + LAUGHS}, [f"site.yaml:5: {BOMB}"], id="4-billion-laughs-site"),
        pytest.param(
            {PAGE: '---\ntitle: "逢简村\nstyle: cantonese\ncity: 佛山市\n' + "tips: 早去\n" * 50 + "---\n"},
            [
                f"{PAGE}:2: YAML syntax error: found unexpected end of stream (the quote that opens here is never closed)"
            ],
            id="5-unclosed-quote",
        ),
        pytest.param(
            {PAGE: "---\ntitle: 逢简村\ntags: [水乡, 古桥\nstyle: cantonese\ncity: 佛山市\n---\n"},
            [
                f"{PAGE}:3: YAML syntax error: expected ',' or ']', but got ':'"
                " (the '[' that opens here is never closed; put quotes around text that starts with '[')"
            ],
            id="5-unclosed-bracket",
        ),
        pytest.param(
            {PAGE: '---\ntitle: "逢简村\nsummary: "好地方"\n---\n'},
            [
                f"{PAGE}:2: YAML syntax error: expected <block end>, but found '<scalar>'"
                " (the quote that opens here is not closed on its line)"
            ],
            id="5-quote-closed-lines-later",
        ),
        pytest.param(
            {PAGE: village("甲村", extra="title: 乙村\n")},
            [f"{PAGE}:7: title: appears twice: lines 2 and 7 (keep one of them)"],
            id="6-duplicate-key",
        ),
        pytest.param(
            {PAGE: village("甲村", extra="town: 杏坛\x1b镇\n")},
            [f"{PAGE}:7: a control character U+001B that is not text, after 'town: 杏坛' {CONTROL_HINT}"],
            id="7-escape-character",
        ),
        pytest.param(
            {"site.yaml": "title: x\x00\n"},
            [f"site.yaml:1: a control character U+0000 that is not text, after 'title: x' {CONTROL_HINT}"],
            id="7-nul-in-site",
        ),
        pytest.param(
            {PAGE: "---\ntitle: 甲村\nstyle: cantonese\n---\ncity: 佛山市\nsummary: 简介。\n---\n\n正文。\n"},
            [
                f"{PAGE}:4: the front matter ends at line 4 (a '---' line); the lines after it are read as the page's"
                " text (the fields below it belong to the front matter: remove this '---' and keep the one on line 7)"
            ],
            id="8-stray-separator",
        ),
        pytest.param(
            {PAGE: village("甲村", extra="title_en: !!binary aGVsbG8=\n")},
            [f"{PAGE}:7: title_en: {BINARY}"],
            id="9-binary-tag",
        ),
        pytest.param(
            {"site.yaml": "title: !!binary aGVsbG8=\n"}, [f"site.yaml:1: title: {BINARY}"], id="9-tag-in-site"
        ),
        pytest.param(
            {PAGE: village("甲村", extra='town: "杏坛\\e镇"\nvisit: {tips: "早去\\0"}\n')},
            [f"{PAGE}:7: town: contains a control character U+001B that is not text {ESCAPE_HINT}"],
            id="10-escaped-control",
        ),
        pytest.param(
            {
                "site.yaml": "title: x\ntheme: a\n",
                "themes/a/theme.yaml": "name: a\nextends: b\n",
                "themes/b/theme.yaml": "name: b\nextends: a\n",
            },
            [
                "themes/b/theme.yaml:2: extends: theme 'a' extends 'b', which extends 'a' again: a loop"
                " (a theme extends a more general one, which must not extend it back)"
            ],
            id="11-extends-loop",
        ),
        pytest.param(
            {
                PAGE: village("甲村", extra="cover: {src: cover.jpg, alt: 正门}\n"),
                "content/villages/a/cover.jpg": photo_bytes(640, 480)[: len(photo_bytes(640, 480)) * 6 // 10],
            },
            [f"{PAGE}:7: cover.src: image 'cover.jpg' is cut short (the file is incomplete); copy the photo again"],
            id="12-truncated-jpeg",
        ),
    ],
)
def test_hostile_input_gets_exact_messages(site, files, expected):
    root = site({PAGE: village("甲村"), **files})
    started = time.perf_counter()
    result = run_cli("check", "--site", root)
    assert time.perf_counter() - started < 10
    assert result.code == 1
    assert result.err.splitlines()[: len(expected)] == expected
    assert "Traceback" not in result.err


def test_anchors_and_merge_keys_still_work(site):
    extra = "base: &base {tickets: 免费, tips: 早去}\nvisit:\n  <<: *base\n  tips: 傍晚去\ntags: &t [水乡]\nmore: *t\n"
    root = site({PAGE: village("甲村", extra=extra)})
    result = run_cli("check", "--site", root)
    assert result.code == 0, result.err
    doc = parse_yaml(extra, PAGE, 7)
    assert doc.data["visit"] == {"tickets": "免费", "tips": "傍晚去"}
    assert (doc.lines["visit.tips"], doc.lines["visit.tickets"], doc.lines["more"]) == (10, 7, 12)


def test_new_page_name_cannot_inject_fields(site):
    root = site({PAGE: village("甲村")})
    result = run_cli("new", "village", "x\ndraft: false", "--site", root)
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        "the name cannot contain a line break or control character (found U+000A)"
        " (write the name on one line, e.g. villagesite new village 逢简村)"
    )
    assert sorted(p.name for p in (root / "content/villages").iterdir()) == ["a"]
    # A name YAML would read as something else is written in quotes, and reads back as itself.
    assert run_cli("new", "village", "yes: #1", "--site", root).code == 0
    (created,) = [p for p in (root / "content/villages").iterdir() if p.name != "a"]
    text = (created / "index.md").read_text(encoding="utf-8")
    assert 'title: "yes: #1"\n' in text
    assert parse_yaml(text.split("---\n")[1], "x.md").data["title"] == "yes: #1"


# -- properties ---------------------------------------------------------------

KEYS = st.sampled_from([*sorted(VILLAGE_KEYS), "lat", "lon", "src", "alt", "<<", "? [a]", "x", "名字"])
TAGS = st.sampled_from(
    ["", "!!binary ", "!!set ", "!!python/object:os.system ", "!foo ", "!!int ", "!!str ", "!!timestamp "]
)


def _escaped(text: str) -> str:
    """Any text, halves of surrogate pairs included, as a YAML double-quoted string of escapes."""
    return '"' + "".join(f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}" for c in text) + '"'


scalars = st.one_of(
    st.text(max_size=8).map(lambda t: t.replace("\n", " ")),  # raw: control characters, NUL, anything
    st.lists(st.integers(0, 0x10FFFF).map(chr), max_size=6).map("".join).map(_escaped),  # lone surrogates too
    st.sampled_from(['"\\0"', '"\\e"', '"\\a\\x85"', '"\\ud800"', "'it''s'", '"unclosed', "[open", "{a: 1", "=", "~"]),
    st.integers(1, 6000).map(lambda n: "9" * n),
    st.integers(1, 300).map(lambda n: "[" * n + "]" * n),
    st.integers(1, 80).map(lambda n: "{a: " * n + "1" + "}" * n),
    st.sampled_from(["&a [x, x, x]", "*a", "&b [*a, *a, *a, *a]", "*b", "&c {k: *b}", "&s [1, *s]", "2027-13-40"]),
    st.floats(allow_nan=True).map(str),
)
lines = st.one_of(
    st.tuples(st.sampled_from(["", "  ", "- "]), KEYS, TAGS, scalars).map(lambda p: f"{p[0]}{p[1]}: {p[2]}{p[3]}"),
    st.sampled_from(["---", "...", "  - *a", "- x", "\t- tab", "#comment"]),
    st.text(max_size=20),
)
front_matter = st.lists(lines, max_size=12).map(lambda ls: "\n".join(ls) + "\n")
markdown = st.text(max_size=60) | st.sampled_from(
    ["", "## 历史\n\n---\n\nsummary: x\n---\n", "![a](b.jpg)\n[c](../d/)"]
)


def _reader_site() -> tuple[Path, object]:
    root = Path(tempfile.mkdtemp())
    write_site(root, {PAGE: village("甲村")})
    return root, load_config(root)


READER_ROOT, READER_CONFIG = _reader_site()


def _printable(problem: Problem) -> None:
    str(problem).encode("utf-8")  # what the CLI prints: no half of a surrogate pair in it


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(list(Kind)), meta=front_matter, body=markdown)
@example(kind=Kind.VILLAGE, meta=LAUGHS, body="")
@example(kind=Kind.VILLAGE, meta=f"tags: {DEEP}\nfounded: {LONG}\n", body="")
@example(kind=Kind.STORY, meta='title: "\\ud800"\ntitle: x\n', body="\x00\x1b")
def test_any_file_gives_a_source_or_problems_never_an_exception(kind: Kind, meta: str, body: str):
    path = READER_ROOT / "content/villages/fuzz/index.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("---\n" + meta + "---\n" + body, encoding="utf-8")
    started = time.perf_counter()
    source, problems = load_source(READER_CONFIG, path, kind, "zh-Hans", "/villages/fuzz/", "fuzz", ())
    parsed = parse_yaml(meta, "x.md", 2)
    assert time.perf_counter() - started < 2
    assert source is not None or any(p.is_error for p in problems)
    for problem in [*problems, *([parsed] if isinstance(parsed, Problem) else [])]:
        _printable(problem)
        assert str(problem).startswith(("content/villages/fuzz/index.md", "x.md"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(meta=front_matter, config=st.just("") | front_matter, body=markdown)
@example(meta=LAUGHS, config=LAUGHS, body="")
def test_any_site_gets_messages_from_check_never_an_exception(meta: str, config: str, body: str):
    root = Path(tempfile.mkdtemp())
    try:
        write_site(
            root,
            {
                "site.yaml": "title: x\n" + config,
                PAGE: village("甲村"),
                "content/villages/b/index.md": "---\ntitle: 乙村\n" + meta + "---\n" + body,
            },
        )
        started = time.perf_counter()
        try:
            problems = check(load_config(root))
        except VillageSiteError as exc:
            problems = list(exc.problems)
        assert time.perf_counter() - started < 10
        for problem in problems:
            _printable(problem)
    finally:
        shutil.rmtree(root)


def teardown_module() -> None:
    shutil.rmtree(READER_ROOT, ignore_errors=True)
