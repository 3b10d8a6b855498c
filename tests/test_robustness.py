"""Whatever an editor types into front matter, villagesite answers with messages, never a traceback."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml
from conftest import village, write_site
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from villagesite import VillageSiteError, check, load_config
from villagesite.config import IMAGE_KEYS, TOP_KEYS
from villagesite.schema import EVENT_KEYS, STORY_KEYS, VILLAGE_KEYS

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-1000, 3000),
    st.floats(allow_nan=False, width=32),
    st.text(max_size=12),
    st.sampled_from(["cantonese", "2026-05-01", "2027-13-40", "cover.jpg", "fengjian", ""]),
    st.dates().map(lambda d: d),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["lat", "lon", "src", "alt", "name", "date", "caption", "x"]), inner, max_size=3
        )
    ),
    max_leaves=8,
)


def front(keys: frozenset[str]) -> st.SearchStrategy[dict[str, object]]:
    return st.dictionaries(st.sampled_from(sorted(keys)), values, max_size=8)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(["villages", "stories", "events"]), data=st.data())
def test_any_front_matter_gives_messages_not_a_traceback(kind: str, data: st.DataObject):
    keys = {"villages": VILLAGE_KEYS, "stories": STORY_KEYS, "events": EVENT_KEYS}[kind]
    meta = data.draw(front(frozenset(keys)))
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n\n正文 [链接](../fengjian/)\n"
    root = Path(tempfile.mkdtemp())
    try:
        write_site(
            root,
            {
                "content/villages/fengjian/index.md": village("逢简村"),
                f"content/{kind}/fuzz/index.md": text,
                "content/villages/fengjian/cover.jpg": b"not really a jpeg",
            },
        )
        try:
            problems = check(load_config(root))
        except VillageSiteError as exc:  # a config or theme problem: still a message
            problems = list(exc.problems)
        for problem in problems:
            assert str(problem).startswith(("content/", "site.yaml"))
    finally:
        shutil.rmtree(root)


@settings(max_examples=100, deadline=None)
@given(
    meta=front(frozenset(TOP_KEYS | {"images"})),
    images=st.dictionaries(st.sampled_from(sorted(IMAGE_KEYS)), values, max_size=3),
)
def test_any_site_yaml_gives_messages_not_a_traceback(meta: dict[str, object], images: dict[str, object]):
    meta = {**meta, "images": images} if images else meta
    root = Path(tempfile.mkdtemp())
    try:
        write_site(
            root, {"site.yaml": yaml.safe_dump(meta, allow_unicode=True), "content/villages/a/index.md": village()}
        )
        try:
            check(load_config(root))
        except VillageSiteError as exc:
            assert all(str(p).startswith(("site.yaml", "--")) for p in exc.problems), exc.problems
    finally:
        shutil.rmtree(root)
