"""Content files kept from the last command-line build: the same records as reading them, never stale."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from conftest import age_files, run_cli, snapshot, village, write_site
from hypothesis import given, settings
from hypothesis import strategies as st

from villagesite import load_config
from villagesite.content import load_content
from villagesite.source_cache import SourceCache, decode, encode


def read(root: Path, cache_file: Path | None) -> tuple[object, SourceCache | None]:
    config = load_config(root)
    cache = SourceCache(cache_file, config) if cache_file else None
    content = load_content(config, cache=cache)
    if cache is not None:
        cache.save()
    return content, cache


EXTRA = """\
template: village.html
designations: [中国传统村落, 广东省古村落]
tags: [水乡, 古桥]
gallery:
  - {src: a.jpg, alt: 石桥, caption: 清晨}
  - {src: a.jpg, alt: 石桥, focus: [30, 70]}
attractions:
  - {name: 祠堂, description: 明代, location: {lat: 22.8, lon: 113.1}}
specialties:
  - {name: 米酒, season: 冬季}
festivals:
  - {name: 龙舟, date: 五月初五}
visit: {tickets: 免费, time_needed: 2.5, toilets: true, accessibility: {wheelchair: partly, note: 有台阶}}
founded: 1271
date: 2026-01-02
custom:
  1: one
  $m: escape me
  nested: [{when: 2026-03-04 08:00:00}, [1, 2.5, null, true]]
  weird: {"@ImageRef": [1]}
"""


def test_cached_reading_equals_reading(site):
    root = site(
        {
            "content/villages/fengjian/index.md": village("逢简村", extra=EXTRA),
            "content/villages/fengjian/a.jpg": b"not read here",
            "content/villages/shawan/index.md": village("沙湾古镇", extra="title_en: Shawan\nunknown_field: 1\n"),
            "content/villages/broken/index.md": "---\ntitle: [unclosed\n---\n",
            "content/stories/s1/index.md": "---\ntitle: 故事\ndate: 2026-01-01\nvillages: [fengjian]\n---\n正文",
            "content/events/e1/index.md": "---\ntitle: 龙舟\nstart: 2026-06-01\nvillage: fengjian\n---\n",
            "content/pages/about.md": "---\ntitle: 关于\n---\n关于本站",
        }
    )
    age_files(root)
    cache_file = root / "cache.jsonl"
    plain, _ = read(root, None)
    first, cache = read(root, cache_file)  # no cache yet: started, empty
    assert cache is not None and cache.hits == 0 and cache_file.is_file()
    second, cache = read(root, cache_file)  # fills it
    assert cache is not None and cache.hits == 0
    third, cache = read(root, cache_file)  # reads it
    assert cache is not None and cache.hits == 6  # every content file
    assert plain == first == second == third
    fengjian = next(s for s in third.sources if s.name == "fengjian")
    assert fengjian.extra["custom"][1] == "one" and fengjian.extra["custom"]["$m"] == "escape me"
    assert fengjian.extra["custom"]["nested"][0]["when"] == dt.datetime(2026, 3, 4, 8, 0)
    assert fengjian.village.tags == ("水乡", "古桥") and isinstance(fengjian.village.attractions, tuple)
    assert any("YAML" in p.message for p in third.problems)  # the broken page's error, from the cache too


def test_an_edit_is_read_again_even_within_the_same_second(site):
    root = site({f"content/villages/v{i}/index.md": village(f"村{i}", body=f"正文{i}") for i in range(3)})
    age_files(root)
    cache_file = root / "cache.jsonl"
    for _ in range(2):
        read(root, cache_file)
    page = root / "content/villages/v1/index.md"
    page.write_text(village("新名字", body="正文1"), encoding="utf-8")
    content, cache = read(root, cache_file)
    assert {s.common.title for s in content.sources} == {"村0", "新名字", "村2"}
    assert cache is not None and cache.hits == 2
    # A file written in the last seconds is not kept: saved again within a coarse clock's tick, with the
    # same size, its stat would not change.
    assert "v1" not in cache_file.read_text(encoding="utf-8") and "v2" in cache_file.read_text(encoding="utf-8")
    page.write_text(village("新名宇", body="正文1"), encoding="utf-8")
    content, cache = read(root, cache_file)
    assert "新名宇" in {s.common.title for s in content.sources} and cache is not None and cache.hits == 2
    # A stat that changed only in its ctime (the mtime put back, as some sync tools do) is read again.
    age_files(root)
    read(root, cache_file)
    stat = page.stat()
    page.write_text(village("新名字", body="正文1"), encoding="utf-8")
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    content, _ = read(root, cache_file)
    assert "新名字" in {s.common.title for s in content.sources}


def test_a_cache_from_other_settings_or_broken_is_not_used(site):
    root = site({"content/villages/v1/index.md": village("村一", city="佛山市")})
    age_files(root)
    cache_file = root / "cache.jsonl"
    for _ in range(3):
        _, cache = read(root, cache_file)
    assert cache is not None and cache.hits == 1
    (root / "site.yaml").write_text("title: 测试\nbase_url: /\nprovince: 福建省\n", encoding="utf-8")
    content, cache = read(root, cache_file)
    assert cache is not None and cache.hits == 0 and content.sources[0].village.province == "福建省"
    cache_file.write_text(cache_file.read_text(encoding="utf-8")[:-40] + "\n", encoding="utf-8")
    content, cache = read(root, cache_file)
    assert content.sources[0].common.title == "村一"
    cache_file.write_bytes(b"\xff\x00 not json")
    content, _ = read(root, cache_file)
    assert content.sources[0].common.title == "村一"


def test_builds_with_and_without_the_cache_write_the_same_site(tmp_path):
    """A site built three times (the cache started, filled, used; a page edited before each rebuild),
    and the same site built from scratch, write the same files."""
    files = {f"content/villages/v{i}/index.md": village(f"村{i}", extra=EXTRA, lat=22 + i / 10) for i in range(12)}
    files["content/stories/s1/index.md"] = (
        "---\ntitle: 故事\nsummary: 一个故事。\ndate: 2026-01-01\nvillages: [v1]\n---\n见[村](../../villages/v2/)"
    )
    cached, fresh = tmp_path / "cached", tmp_path / "fresh"
    for folder in (cached, fresh):
        write_site(
            folder,
            {
                rel: text.replace(
                    "gallery:\n  - {src: a.jpg, alt: 石桥, caption: 清晨}\n  - {src: a.jpg, alt: 石桥, focus: [30, 70]}\n",
                    "",
                )
                for rel, text in files.items()
            },
        )
        age_files(folder)
    pages = sorted((cached / "content/villages").glob("*/index.md"))
    for build in range(3):
        if build:
            pages[build].write_text(pages[build].read_text(encoding="utf-8") + f"\n编辑{build}。\n", "utf-8")
        assert run_cli("build", "--site", cached).code == 0
    assert (cached / ".villagesite-cache/content.jsonl").stat().st_size > 10_000
    for page in pages[1:3]:
        (fresh / page.relative_to(cached)).write_bytes(page.read_bytes())
    assert run_cli("build", "--site", fresh).code == 0
    assert snapshot(cached / "output") == snapshot(fresh / "output")


# Text as editors write it: control characters and lone surrogates are refused by the reader (issue 11).
plain_text = st.characters(blacklist_categories=("Cc", "Cs"))
yaml_values = st.recursive(
    st.one_of(
        st.text(plain_text, max_size=6), st.integers(), st.floats(allow_nan=False), st.booleans(), st.none(), st.dates()
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.one_of(st.text(plain_text, max_size=5), st.integers()), inner, max_size=3),
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=6).filter(lambda k: k.isidentifier()), yaml_values, max_size=4))
def test_any_extra_front_matter_comes_back_the_same(tmp_path_factory, extra):
    """Whatever editors add to front matter, the cache gives back what reading gave."""
    import yaml

    root = tmp_path_factory.mktemp("site")
    text = yaml.safe_dump({"custom": extra}, allow_unicode=True) if extra else ""
    (root / "content/villages/v1").mkdir(parents=True)
    (root / "content/villages/v1/index.md").write_text(village("村", extra=text), encoding="utf-8")
    (root / "site.yaml").write_text("title: 测试\nbase_url: /\n", encoding="utf-8")
    content, _ = read(root, None)
    assert not [p for p in content.problems if p.is_error], content.problems
    source = content.sources[0]
    encoded = encode(source, list(content.problems))
    assert encoded is not None
    assert decode(encoded) == (source, list(content.problems))
