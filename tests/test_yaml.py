"""Front matter read by the one-walk fast path equals PyYAML's own construction, lines included."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from villagesite.yamlfile import _fast_document, _full_document, parse_yaml

EXAMPLE = Path(__file__).resolve().parents[1] / "content"

DOCUMENTS = [
    "title: 逢简村\nlocation: {lat: 22.79, lon: 113.2}\ntags: [水乡, 古桥]\n",
    "date: 2026-01-01\nupdated: 2026-13-01\nstart: 2026-02-03 10:00:00\n",
    "draft: yes\ncount: 0x1f\nratio: 1e3\nnothing: ~\nempty:\n'quoted': '12'\n",
    "1: one\ntrue: yes\nnull: nothing\n3.5: half\n",
    "gallery:\n  - src: a.jpg\n    alt: 桥\n  - {src: b.jpg, caption: null}\n  - c.jpg\n",
    "title: first\ntitle: second\n",
    "visit: &v {tickets: 免费}\nagain: *v\n",
    "base: &b {a: 1}\nmore:\n  <<: *b\n  c: 2\n",
    "tags: !!set {a, b}\n",
    "binary: !!binary aGVsbG8=\n",
    "? [a, b]\n: complex key\n",
    "text: |\n  两行\n  文字\nfolded: >\n  one\n  two\n",
    "[just, a, list]\n",
    "plain text\n",
    "",
]


@pytest.mark.parametrize("text", DOCUMENTS)
def test_fast_path_equals_pyyaml(text):
    full = _full_document(text, "x.md", 2)
    fast = _fast_document(text, 2)
    if fast is not None:  # None: the document uses what only the full path builds
        assert (fast.data, fast.lines) == (full.data, full.lines)
        assert type(fast.data) is type(full.data)
    assert parse_yaml(text, "x.md", 2) == full


def test_fast_path_reads_plain_front_matter():
    """The speed is not lost quietly: plain documents, the example's among them, take the fast path."""
    plain = [text for text in DOCUMENTS[:5] + DOCUMENTS[11:]]
    for index_md in EXAMPLE.rglob("*.md"):
        plain.append(index_md.read_text(encoding="utf-8").split("---\n")[1])
    assert all(_fast_document(text, 2) is not None for text in plain)
    assert _fast_document(DOCUMENTS[1], 2).data["updated"] == "2026-13-01"  # stays text, for the schema
    assert _fast_document(DOCUMENTS[1], 2).data["date"] == dt.date(2026, 1, 1)


scalars = st.one_of(
    st.text(max_size=12),
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.dates(),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=8), st.integers()), inner, max_size=4),
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=8), values, max_size=6), st.booleans())
def test_fast_path_equals_pyyaml_on_generated_documents(document, flow):
    text = yaml.safe_dump(document, allow_unicode=True, default_flow_style=flow)
    full = _full_document(text, "x.md", 2)
    fast = _fast_document(text, 2)
    if fast is None:  # an escape (of a control character, say): the full path checks what it makes
        assert "\\" in text and '"' in text
        assert parse_yaml(text, "x.md", 2) == full
        return
    assert (fast.data, fast.lines) == (full.data, full.lines)
