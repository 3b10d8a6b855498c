"""``{% cache %}``: fragments a theme makes once per edition and build, and what they must never change."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli, snapshot, village, write_site
from test_editions import editions_site

from villagesite.fragments import FragmentCache

EVENT = "---\ntitle: 龙舟景\nsummary: 端午赛龙舟。\nvillage: fengjian\nstart: 2026-06-19\n---\n\n赛龙舟。\n"


def many_kinds_site(root: Path) -> Path:
    """Villages of three styles, cities and tags, a story, an event, a free page; three editions."""
    return editions_site(
        root,
        {
            "content/villages/qiaotou/index.md": village(
                "侨头村", style="hakka", city="梅州市", lat=24.3, lon=116.1, extra="tags: [围龙屋]\n"
            ),
            "content/villages/nangang/index.md": village(
                "南岗古排", style="minority", city="清远市", lat=24.7, lon=112.3, extra="tags: [瑶寨, 古桥]\n"
            ),
            "content/events/longzhou/index.md": EVENT,
        },
    )


def test_the_default_theme_with_its_cached_fragments_writes_what_it_writes_without_them(tmp_path, monkeypatch):
    """Each fragment's keys name all it depends on: rendering every fragment afresh changes no byte."""
    root = many_kinds_site(tmp_path / "site")
    assert run_cli("build", "--site", root, "--output", tmp_path / "cached").code == 0
    monkeypatch.setattr(FragmentCache, "_fragment", lambda self, where, keys, caller: caller())
    assert run_cli("build", "--site", root, "--output", tmp_path / "fresh", "--clean").code == 0
    cached, fresh = snapshot(tmp_path / "cached"), snapshot(tmp_path / "fresh")
    assert cached.keys() == fresh.keys()
    assert [rel for rel in cached if cached[rel] != fresh[rel]] == []
    # The navigation marks the section of each page, also where it was made once for the section.
    assert (
        '<a href="/gd/villages/" aria-current="page">' in (tmp_path / "cached/villages/qiaotou/index.html").read_text()
    )
    story = (tmp_path / "cached/stories/qiao/index.html").read_text()
    assert '<a href="/gd/stories/" aria-current="page">' in story and 'href="/gd/villages/" aria-current' not in story


def themed(root: Path, base_extra: str) -> Path:
    """Two villages and a story, in a theme whose pages end with ``base_extra``."""
    return write_site(
        root,
        {
            "site.yaml": "title: 测试古村\nbase_url: /\ntheme: mine\nlanguages: [zh-Hant]\n",
            "themes/mine/theme.yaml": "name: mine\nextends: default\n",
            "themes/mine/templates/village.html": (
                '{% extends "default:village.html" %}\n{% block scripts %}' + base_extra + "{% endblock %}\n"
            ),
            "content/villages/a/index.md": village("甲村"),
            "content/villages/b/index.md": village("湾头村", city="广州市"),
            "content/stories/news/index.md": "---\ntitle: 村里新闻\nsummary: 新闻。\ndate: 2026-10-01\n---\n\n新开的茶馆。\n",
        },
    )


def test_a_fragment_is_made_once_per_key_and_edition(tmp_path):
    root = themed(
        tmp_path / "site",
        '<p class="once">{% cache %}{{ page.title }}{% endcache %}</p>'
        '<p class="keyed">{% cache page.url %}{{ page.title }}{% endcache %}</p>',
    )
    assert run_cli("build", "--site", root).code == 0
    pages = {rel: (root / "output" / rel).read_text() for rel in ("villages/a/index.html", "villages/b/index.html")}
    # Without keys, every page shows the fragment as the first page made it: keys say what differs.
    assert {page.split('<p class="once">')[1].split("<")[0] for page in pages.values()} in ({"甲村"}, {"湾头村"})
    assert '<p class="keyed">甲村</p>' in pages["villages/a/index.html"]
    assert '<p class="keyed">湾头村</p>' in pages["villages/b/index.html"]
    # Each edition makes its own: the Traditional pages never show a Simplified fragment.
    traditional = (root / "output/zh-hant/villages/b/index.html").read_text()
    assert '<p class="keyed">灣頭村</p>' in traditional
    assert traditional.split('<p class="once">')[1].split("<")[0] in ("甲村", "灣頭村")


def test_a_body_read_in_a_fragment_counts_for_every_page_that_shows_it(tmp_path):
    """A story's text in a cached fragment of every village page: editing the story rebuilds them all,
    equal to a clean build."""
    root = themed(
        tmp_path / "site", '<aside class="latest">{% cache %}{{ site.stories[0].html }}{% endcache %}</aside>'
    )
    assert run_cli("build", "--site", root).code == 0
    story = root / "content/stories/news/index.md"
    story.write_text(story.read_text(encoding="utf-8").replace("新开的茶馆", "新开的民宿"), encoding="utf-8")
    assert run_cli("build", "--site", root).code == 0
    for rel in ("villages/a/index.html", "villages/b/index.html", "zh-hant/villages/a/index.html"):
        text = (root / "output" / rel).read_text()
        assert "民宿" in text and "茶馆" not in text and "茶館" not in text
    assert run_cli("build", "--site", root, "--output", tmp_path / "clean", "--clean").code == 0
    assert snapshot(root / "output") == snapshot(tmp_path / "clean")


@pytest.mark.parametrize("key", ["[page.title]", "{'page': page.url}"])
def test_a_key_that_is_not_a_plain_value_is_an_error_at_its_line(tmp_path, key):
    root = themed(tmp_path / "site", "\n{% cache " + key + " %}{{ page.title }}{% endcache %}")
    result = run_cli("build", "--site", root)
    assert result.code == 1
    first = result.err.splitlines()[0]
    assert first.startswith("themes/mine/templates/village.html:3: template error: {% cache %} takes plain values")
    assert "(page.url, not page)" in first and "while rendering content/villages/" in first
