"""Editions: Traditional Chinese converted from the content, English from translations beside each page."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import REPO, run_cli, snapshot, village, write_site

from villagesite import load_config
from villagesite.content import load_content
from villagesite.fields import FieldReader
from villagesite.frontmatter import split_front_matter
from villagesite.kinds import KINDS
from villagesite.schema import read_common
from villagesite.traditional import Conversions, converter_for
from villagesite.translations import converted
from villagesite.yamlfile import YamlDocument

EDITIONS_YAML = (
    "title: 广东古村落\ntitle_en: Old Villages of Guangdong\nbase_url: https://example.org/gd/\n"
    "languages: [zh-Hant, en]\ntraditional: {variant: hk, phrases: {汤坑: 湯坑}}\n"
)
FENGJIAN_EN = """---
title: Fengjian Village
summary: A water village of canals and Song-dynasty bridges.
city: Foshan
tags: [water town, bridges]
attractions:
  - name: Juji Bridge (巨济桥)
    description: A Song-dynasty stone arch bridge.
---

## From market to water village

Canals wind round the houses. See [Shawan](../shawan/) and [the story](/stories/qiao/).
"""


def editions_site(root: Path, extra: dict[str, str | bytes] | None = None) -> Path:
    """Two villages (one translated into English), a story naming both, an about page with a translation."""
    files: dict[str, str | bytes] = {
        "site.yaml": EDITIONS_YAML,
        "content/villages/fengjian/index.md": village(
            "逢简村",
            extra="tags: [水乡, 古桥]\nattractions:\n  - name: 巨济桥\n    description: 宋代石拱桥。\n",
            body="## 从墟市到水乡\n\n顺德姜撞奶和奶制甜品，梅县松口镇的头发与出发，村子的面积。见[沙湾](../shawan/)。",
        ),
        "content/villages/fengjian/index.en.md": FENGJIAN_EN,
        "content/villages/shawan/index.md": village(
            "沙湾古镇", city="广州市", lat=22.9, lon=113.3, extra="tags: [水乡]\n", body="南海里水镇，汤坑镇。"
        ),
        "content/stories/qiao/index.md": (
            "---\ntitle: 古桥的故事\nsummary: 两座古村的桥。\ndate: 2026-10-01\nvillages: [fengjian, shawan]\n---\n\n"
            "说说[逢简](../../villages/fengjian/)的桥。\n"
        ),
        "content/pages/about.md": "---\ntitle: 关于本站\n---\n\n这里介绍古村落。\n",
        "content/pages/about.en.md": "---\ntitle: About\n---\n\nAbout these villages.\n",
        **(extra or {}),
    }
    return write_site(root, files)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = editions_site(tmp_path_factory.mktemp("editions") / "site")
    result = run_cli("build", "--site", root)
    assert result.code == 0, result.err
    return root / "output"


def text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_each_edition_has_the_same_slugs_under_its_prefix(built: Path):
    for page in ("villages/fengjian", "villages/shawan", "stories/qiao", "about"):
        assert (built / page / "index.html").is_file()
        assert (built / "zh-hant" / page / "index.html").is_file()
    assert (built / "en/villages/fengjian/index.html").is_file()
    assert (built / "en/about/index.html").is_file()
    # Pages without an English translation are not published in English.
    assert not (built / "en/villages/shawan").exists()
    assert not (built / "en/stories/qiao").exists()


def test_each_page_says_its_language(built: Path):
    """Every HTML page of every edition, 404 pages and posters too."""
    pages = sorted(built.rglob("*.html"))
    assert len(pages) > 30
    for page in pages:
        rel = page.relative_to(built).as_posix()
        language = "zh-Hant" if rel.startswith("zh-hant/") else "en" if rel.startswith("en/") else "zh-Hans"
        assert f'<html lang="{language}">' in text_of(page), rel


def test_traditional_edition_converts_text_and_keeps_place_names(built: Path):
    page = text_of(built / "zh-hant/villages/fengjian/index.html")
    assert "逢簡村" in page
    assert "順德薑撞奶和奶製甜品" in page  # the shipped phrase list: ginger, made of milk
    assert "梅縣松口鎮的頭髮與出發" in page  # a place name kept (not 鬆口), 髮 and 發 told apart
    assert "面積" in page
    assert "宋代石拱橋" in page  # front matter converted too
    shawan = text_of(built / "zh-hant/villages/shawan/index.html")
    assert "南海里水鎮，湯坑鎮" in shawan  # 里 of a place (not 裏), and the site's own phrase
    # The link in the body is converted in its words, not in its address, and leads to the same edition.
    assert '見<a href="/gd/zh-hant/villages/shawan/">沙灣</a>' in page


def test_body_links_lead_to_the_same_edition_when_the_page_is_there(built: Path):
    english = text_of(built / "en/villages/fengjian/index.html")
    # The story has no English translation: the link leads to the original, never to a missing page.
    assert 'href="/gd/stories/qiao/"' in english
    assert 'href="/gd/villages/shawan/"' in english
    traditional = text_of(built / "zh-hant/stories/qiao/index.html")
    assert 'href="/gd/zh-hant/villages/fengjian/"' in traditional


def test_english_edition_shows_translated_fields_and_original_facts(built: Path):
    page = text_of(built / "en/villages/fengjian/index.html")
    # The name as the content writes it, with toneless pinyin: what a visitor shows a driver.
    assert (
        '<h1>Fengjian Village <span class="said"><span lang="zh-Hans">逢简村</span>'
        ' <span lang="zh-Latn-pinyin">Fengjian Cun</span></span></h1>'
    ) in page
    assert "Juji Bridge (巨济桥)" in page
    assert '"latitude":22.81' in page  # the location comes from the original
    # Its city and tags link their English listings, at the addresses of the content's values.
    assert '<a href="/gd/en/cities/foshan/">Foshan</a>' in page
    assert '<a href="/gd/en/tags/shui-xiang/">water town</a>' in page
    assert 'lang="en"' in page and "Fengjian Village</span>" not in page  # no English name beside itself
    listing = text_of(built / "en/villages/index.html")
    assert "/gd/en/villages/fengjian/" in listing and "shawan" not in listing
    # The English tag listing is named in English, at the slug of the tag as the content writes it.
    assert "water town" in text_of(built / "en/tags/shui-xiang/index.html")
    assert (built / "tags/shui-xiang/index.html").is_file()


def hreflang(page: Path) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', text_of(page)))


def test_hreflang_alternates_are_reciprocal_with_x_default(built: Path):
    links = hreflang(built / "villages/fengjian/index.html")
    assert links == {
        "zh-Hans": "https://example.org/gd/villages/fengjian/",
        "zh-Hant": "https://example.org/gd/zh-hant/villages/fengjian/",
        "en": "https://example.org/gd/en/villages/fengjian/",
        "x-default": "https://example.org/gd/villages/fengjian/",
    }
    assert hreflang(built / "en/villages/fengjian/index.html") == links
    assert hreflang(built / "zh-hant/villages/fengjian/index.html") == links
    # A page without English names only the editions that have it.
    assert "en" not in hreflang(built / "villages/shawan/index.html")


def test_the_language_switch_leads_to_the_same_page_or_the_editions_home(built: Path):
    page = text_of(built / "villages/shawan/index.html")
    switch = page[page.index('class="languages"') : page.index("</nav>", page.index('class="languages"'))]
    assert 'href="/gd/zh-hant/villages/shawan/" lang="zh-Hant"' in switch
    assert 'href="/gd/en/" lang="en"' in switch  # no English page: the English home
    assert 'href="/gd/villages/shawan/" lang="zh-Hans" hreflang="zh-Hans" aria-current="true"' in switch


def test_open_graph_locales_and_json_ld_language(built: Path):
    page = text_of(built / "zh-hant/villages/fengjian/index.html")
    assert '<meta property="og:locale" content="zh_HK">' in page
    assert '<meta property="og:locale:alternate" content="zh_CN">' in page
    assert '<meta property="og:locale:alternate" content="en_GB">' in page
    assert '"inLanguage":"zh-Hant"' in page
    assert '"inLanguage":"en"' in text_of(built / "en/villages/fengjian/index.html")


def test_sitemap_lists_every_edition_with_alternates(built: Path):
    sitemap = text_of(built / "sitemap.xml")
    assert 'xmlns:xhtml="http://www.w3.org/1999/xhtml"' in sitemap
    assert "<loc>https://example.org/gd/en/villages/fengjian/</loc>" in sitemap
    entry = sitemap[sitemap.index("<loc>https://example.org/gd/zh-hant/villages/fengjian/</loc>") :]
    entry = entry[: entry.index("</url>")]
    assert 'hreflang="en" href="https://example.org/gd/en/villages/fengjian/"' in entry
    assert 'hreflang="x-default" href="https://example.org/gd/villages/fengjian/"' in entry
    assert "<loc>https://example.org/gd/en/villages/shawan/</loc>" not in sitemap


def test_feed_map_data_and_qr_codes_per_edition(built: Path):
    english_feed = text_of(built / "en/feed.xml")
    assert 'xml:lang="en"' in english_feed and "古桥的故事" not in english_feed  # no translated story
    traditional_feed = text_of(built / "zh-hant/feed.xml")
    assert "古橋的故事" in traditional_feed and "https://example.org/gd/zh-hant/stories/qiao/" in traditional_feed
    places = json.loads(text_of(built / "en/villages.geojson"))["features"]
    assert [(p["properties"]["name"], p["properties"]["style_name"]) for p in places] == [
        ("Fengjian Village", "Cantonese")
    ]
    assert places[0]["properties"]["url"] == "https://example.org/gd/en/villages/fengjian/"
    assert json.loads(text_of(built / "zh-hant/villages.geojson"))["features"][0]["properties"]["name"] == "逢簡村"
    assert (built / "en/villages/fengjian/qr.svg").is_file()
    assert (built / "zh-hant/villages/shawan/qr.svg").is_file()
    poster = text_of(built / "en/villages/fengjian/poster/index.html")
    assert '<html lang="en">' in poster and "/gd/en/villages/fengjian/qr.svg" in poster


def test_the_summary_counts_the_pages_of_each_edition_also_when_nothing_changed(tmp_path: Path):
    root = editions_site(tmp_path / "site")
    for _ in range(2):  # the second build is skipped: its summary comes from the saved report
        result = run_cli("build", "--site", root)
        assert "; editions: zh-Hans 4 pages, zh-Hant 4 pages, en 2 pages;" in result.out, result.out


def test_a_hand_written_traditional_page_wins_over_conversion(tmp_path: Path):
    root = editions_site(
        tmp_path / "site",
        {"content/villages/shawan/index.zh-Hant.md": "---\ntitle: 沙灣古鎮（手寫）\n---\n\n手寫的正文。\n"},
    )
    assert run_cli("build", "--site", root).code == 0
    page = text_of(root / "output/zh-hant/villages/shawan/index.html")
    assert "沙灣古鎮（手寫）" in page and "手寫的正文" in page and "里水" not in page


def test_a_translation_marked_draft_is_held_back(tmp_path: Path):
    root = editions_site(
        tmp_path / "site",
        {"content/villages/fengjian/index.en.md": FENGJIAN_EN.replace("---\n", "---\ndraft: true\n", 1)},
    )
    assert run_cli("build", "--site", root).code == 0
    assert not (root / "output/en/villages/fengjian").exists()
    assert (root / "output/villages/fengjian/index.html").is_file()


def check(root: Path) -> str:
    result = run_cli("check", "--site", root)
    assert result.code == 1, result.out + result.err
    return result.err


@pytest.mark.parametrize(
    ("site_yaml", "expected"),
    [
        (
            "languages: [zh-Hnat]\n",
            "site.yaml:3: languages[0]: 'zh-Hnat' is not one of zh-Hans, zh-Hant, en (did you mean 'zh-Hant'?)",
        ),
        (
            "languages: [zh-TW]\n",
            "site.yaml:3: languages[0]: 'zh-TW' is not one of zh-Hans, zh-Hant, en (did you mean 'zh-Hant'?)",
        ),
        ("languages: [fr]\n", "site.yaml:3: languages[0]: 'fr' is not one of zh-Hans, zh-Hant, en"),
        ("languages: [zh-Hans]\n", "site.yaml:3: languages[0]: 'zh-Hans' is the language the content is written in"),
        (
            "language: english\n",
            "site.yaml:3: language: 'english' is not one of zh-Hans, zh-Hant, en (did you mean 'en'?)",
        ),
        (
            "languages: [zh-Hant]\ntraditional:\n  phrases:\n    松口: [松, 口]\n",
            "site.yaml:6: traditional.phrases.松口: expected text, got a list",
        ),
        ("languages: [zh-Hant]\ntraditional: {phrases: [松口]}\n", "site.yaml:4: traditional.phrases: expected words"),
        (
            "languages: [zh-Hant]\ntraditional: {variant: cn}\n",
            "site.yaml:4: traditional.variant: 'cn' is not one of hk, tw",
        ),
    ],
)
def test_bad_language_settings_are_named_at_their_line(
    site: Callable[[dict[str, str | bytes]], Path], site_yaml: str, expected: str
):
    root = site({"site.yaml": "title: 测试\nbase_url: /\n" + site_yaml, "content/villages/a/index.md": village()})
    assert expected in check(root)


def test_a_translation_beside_no_page_is_an_error(tmp_path: Path):
    root = editions_site(
        tmp_path / "site",
        {
            "content/villages/ghost/index.en.md": "---\ntitle: Ghost\n---\n",
            "content/pages/faq.en.md": "---\ntitle: FAQ\n---\n",
        },
    )
    err = check(root)
    assert (
        "content/villages/ghost/index.en.md: is a translation beside no page: there is no content/villages/ghost/index.md"
        in err
    )
    assert "content/pages/faq.en.md: is a translation beside no page: there is no content/pages/faq.md" in err


def test_a_translation_that_changes_a_fact_is_an_error_at_its_line(tmp_path: Path):
    changed = FENGJIAN_EN.replace("city: Foshan\n", "city: Foshan\nstyle: hakka\nlocation: {lat: 23.0, lon: 113.15}\n")
    changed = changed.replace("tags: [water town, bridges]", "tags: [water town]")
    root = editions_site(tmp_path / "site", {"content/villages/fengjian/index.en.md": changed})
    err = check(root)
    assert (
        "content/villages/fengjian/index.en.md:5: style: 'hakka' differs from the original's 'cantonese'"
        " (a translation translates words; facts such as this come from the original: leave it out;"
        " see content/villages/fengjian/index.md:3)"
    ) in err
    assert (
        "content/villages/fengjian/index.en.md:6: location: {lat: 23.0, lon: 113.15} differs from the original's"
        " {lat: 22.81, lon: 113.15}"
    ) in err
    assert "content/villages/fengjian/index.en.md:7: tags: lists 1 items where the original lists 2" in err


def test_a_translation_in_a_language_not_published_is_a_warning_and_an_unknown_one_an_error(tmp_path: Path):
    root = editions_site(
        tmp_path / "site",
        {
            "site.yaml": "title: 广东古村落\nbase_url: /\nlanguages: [zh-Hant]\n",
            "content/villages/fengjian/index.fr.md": "---\ntitle: Village\n---\n",
        },
    )
    result = run_cli("check", "--site", root)
    assert "content/villages/fengjian/index.en.md: the en translation is not published" in result.err
    assert "content/villages/fengjian/index.fr.md: 'fr' is not a language villagesite publishes" in result.err
    assert result.code == 1


def test_one_body_edit_renders_that_page_in_every_edition_and_nothing_else(tmp_path: Path):
    root = editions_site(tmp_path / "site")
    assert run_cli("build", "--site", root).code == 0
    before = snapshot(root / "output")
    path = root / "content/villages/shawan/index.md"
    path.write_text(path.read_text(encoding="utf-8").replace("汤坑镇。", "汤坑镇，松口镇。"), encoding="utf-8")
    assert run_cli("build", "--site", root).code == 0
    after = snapshot(root / "output")
    changed = {rel for rel in after if before.get(rel) != after[rel]} | (before.keys() - after.keys())
    # The page in each edition, and the search index of each edition, which has the new words.
    searched = {rel for rel in changed if rel.startswith(("search/index/", "zh-hant/search/index/"))}
    assert changed - searched == {"villages/shawan/index.html", "zh-hant/villages/shawan/index.html"}
    assert "湯坑鎮，松口鎮" in after["zh-hant/villages/shawan/index.html"].decode()
    assert any(rel.startswith("search/index/s/") for rel in searched), "the index has the page's new words"
    assert any(rel.startswith("zh-hant/search/index/s/") for rel in searched)


def test_adding_and_removing_a_translation_equals_a_clean_build(tmp_path: Path):
    root = editions_site(tmp_path / "site")
    assert run_cli("build", "--site", root).code == 0
    translation = root / "content/villages/shawan/index.en.md"
    for step in ("add", "remove"):
        if step == "add":
            translation.write_text("---\ntitle: Shawan Old Town\n---\n\nA town of Cantonese opera.\n", encoding="utf-8")
        else:
            translation.unlink()
        assert run_cli("build", "--site", root).code == 0
        incremental = snapshot(root / "output")
        assert run_cli("build", "--site", root, "--clean", "--output", tmp_path / "clean").code == 0
        assert incremental == snapshot(tmp_path / "clean"), step
        listing = incremental["en/villages/index.html"].decode()
        assert ("/en/villages/shawan/" in listing) == (step == "add")
        assert (
            'hreflang="en" href="https://example.org/gd/en/villages/shawan/"'
            in incremental["villages/shawan/index.html"].decode()
        ) == (step == "add")


class _Words(HTMLParser):
    """Theme strings marked with their language (``⟦en⟧``), each with the ``lang`` of where it shows."""

    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"})

    def __init__(self) -> None:
        super().__init__()
        self.langs: list[str] = []
        self.found: list[tuple[str, str, str]] = []  # (marked language, lang where it shows, the text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        lang = values.get("lang") or (self.langs[-1] if self.langs else "")
        for name, value in attrs:
            if name != "lang":
                self._mark(value or "", lang)
        if tag not in self.VOID:
            self.langs.append(lang)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.langs:
            self.langs.pop()

    def handle_data(self, data: str) -> None:
        self._mark(data, self.langs[-1] if self.langs else "")

    def _mark(self, text: str, lang: str) -> None:
        self.found += [(marked, lang, text.strip()[:60]) for marked in MARK.findall(text)]


MARK = re.compile(r"⟦(zh-Hans|zh-Hant|en)⟧")


def test_no_page_mixes_interface_languages(tmp_path: Path):
    """Every theme string is marked with its language: a page shows only its edition's, except where an
    element says it is in another language (an English style name beside the Chinese, the switch)."""
    default = yaml.safe_load((REPO / "themes/default/theme.yaml").read_text(encoding="utf-8"))
    marked = {
        language: {key: f"⟦{language}⟧{value}" for key, value in table.items()}
        for language, table in default["strings"].items()
    }
    theme = {"name": "marked", "extends": "default", "strings": marked}
    root = editions_site(
        tmp_path / "site",
        {
            "site.yaml": EDITIONS_YAML + "theme: marked\n",
            "themes/marked/theme.yaml": yaml.safe_dump(theme, allow_unicode=True),
        },
    )
    result = run_cli("build", "--site", root)
    assert result.code == 0, result.err
    output = root / "output"
    checked = 0
    for page in sorted(output.rglob("*.html")):
        rel = page.relative_to(output).as_posix()
        edition = "zh-Hant" if rel.startswith("zh-hant/") else "en" if rel.startswith("en/") else "zh-Hans"
        words = _Words()
        words.feed(page.read_text(encoding="utf-8"))
        assert words.found, rel  # the theme's strings are there to check
        mixed = [(marked, lang, text) for marked, lang, text in words.found if marked != (lang or edition)]
        assert mixed == [], rel
        assert all(lang in ("", edition) or marked == lang for marked, lang, _ in words.found), rel
        checked += 1
    assert checked > 30


def test_converting_read_fields_equals_reading_converted_front_matter():
    """The Traditional edition converts a page's fields as read (cheap: no second reading); the same as
    converting the front matter's texts but the facts, then reading it, on every page of the example site."""
    config = load_config(REPO)
    convert = converter_for(config.traditional).convert
    sources = [s for s in load_content(config).sources if s.language == config.language]
    assert len(sources) > 15
    for source in sources:
        entry = KINDS[source.kind]
        text = (REPO / source.rel_path).read_text(encoding="utf-8")
        meta = split_front_matter(text, source.rel_path).meta
        data = converted(meta.data, entry.facts, convert)
        reader = FieldReader(data, YamlDocument(data, meta.lines, meta.first_line), source.rel_path, [])
        common = read_common(reader, summary_required=entry.summary_required, date_required=entry.date_required)
        # The default province (广东省) comes from site.yaml: converted too.
        fields = entry.read(reader, replace(config, province=convert(config.province))) if entry.read else None
        page = Conversions().source(replace(source, converted=None), entry.facts, config.traditional)
        assert (page.common, page.fields) == (common, fields), source.rel_path
        assert page.common != source.common, source.rel_path  # something was converted
