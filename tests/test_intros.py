"""Introductions to a city's or a tag's villages: content/cities/<slug>.md and content/tags/<slug>.md."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli, snapshot, village


def intro_site() -> dict[str, str | bytes]:
    return {
        "site.yaml": "title: 测试古村\nlanguages: [zh-Hant, en]\n",
        "content/villages/fengjian/index.md": village("逢简村", extra="tags: [水乡]\n"),
        "content/villages/fengjian/index.en.md": "---\ntitle: Fengjian Village\nsummary: A water town.\n---\n\nBody.\n",
        "content/villages/zili/index.md": village(
            "自力村", city="江门市", lat=22.35, lon=112.57, extra="tags: [碉楼]\n"
        ),
        "content/cities/foshan.md": (
            "---\nsummary: 佛山的古村多在水乡。\n---\n\n顺德和南海的**水乡**古村，从[逢简村](../villages/fengjian/)看起。\n"
        ),
        "content/cities/foshan.en.md": "---\nsummary: Foshan's old villages are water towns.\n---\n\nStart at Fengjian.\n",
        "content/tags/shui-xiang.md": "---\nsummary: 河涌环绕的村落。\n---\n\n水乡的村落沿河涌而建。\n",
    }


def read(output: Path, rel: str) -> str:
    return (output / rel).read_text(encoding="utf-8")


def test_a_city_and_a_tag_listing_show_their_introduction_in_every_edition(site):
    root = site(intro_site())
    result = run_cli("build", "--site", root)
    assert result.code == 0, result.err
    output = root / "output"
    city = read(output, "cities/foshan/index.html")
    assert '<p class="lead">佛山的古村多在水乡。</p>' in city
    assert '<meta name="description" content="佛山的古村多在水乡。' in city
    assert (
        '<div class="prose listing-intro"><p>顺德和南海的<strong>水乡</strong>古村，'
        '从<a href="/villages/fengjian/">逢简村</a>看起。</p></div>'
    ) in city
    hant = read(output, "zh-hant/cities/foshan/index.html")
    assert "順德和南海的<strong>水鄉</strong>古村" in hant and 'href="/zh-hant/villages/fengjian/"' in hant
    assert "<p>Start at Fengjian.</p>" in read(output, "en/cities/foshan/index.html")
    assert "河涌环绕的村落。" in read(output, "tags/shui-xiang/index.html")
    assert "listing-intro" not in read(output, "cities/jiangmen/index.html")
    assert "listing-intro" not in read(output, "en/tags/shui-xiang/index.html")  # not translated: not shown
    # No page of its own: the listing is the one page at that address, once in the sitemap, not in search.
    assert read(output, "sitemap.xml").count("<loc>/cities/foshan/</loc>") <= 1
    index = "".join(path.read_bytes().decode("utf-8", "replace") for path in (output / "search").rglob("*.*"))
    assert "逢简村" in index and "佛山的古村多在水乡" not in index
    # Counted as no page: the free pages are none, and each edition has its villages alone.
    assert ", 0 pages, " in result.out and "editions: zh-Hans 2 pages, zh-Hant 2 pages, en 1 page;" in result.out


def test_an_introduction_of_no_city_is_a_warning_with_a_suggestion(site):
    files = intro_site()
    files["content/cities/fushan.md"] = files.pop("content/cities/foshan.md")
    del files["content/cities/foshan.en.md"]
    root = site(files)
    result = run_cli("check", "--site", root)
    assert result.code == 0
    line = next(x for x in result.err.splitlines() if x.startswith("content/cities/fushan.md"))
    assert "no village names this city" in line and "'foshan'" in line and "[warning]" in line


def test_editing_an_introduction_rebuilds_its_listing_as_a_clean_build_would(site, tmp_path: Path):
    root = site(intro_site())
    assert run_cli("build", "--site", root).code == 0
    intro = root / "content/cities/foshan.md"
    intro.write_text(intro.read_text(encoding="utf-8").replace("看起。", "看起，再去碧江。"), encoding="utf-8")
    assert run_cli("build", "--site", root).code == 0
    assert "再去碧江" in read(root / "output", "cities/foshan/index.html")
    assert "再去碧江" in read(root / "output", "zh-hant/cities/foshan/index.html")
    clean = run_cli("build", "--site", root, "--output", tmp_path / "clean", "--clean")
    assert clean.code == 0, clean.err
    assert snapshot(root / "output") == snapshot(tmp_path / "clean")
