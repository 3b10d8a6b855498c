"""Visitor text comes from the theme's strings: a theme changes a word everywhere, pages and outputs."""

from __future__ import annotations

import datetime as dt
import json
import re

from conftest import run_cli, village

from villagesite.config import load_config
from villagesite.fields import GeoPoint
from villagesite.geo import named_links
from villagesite.listings import listing_title
from villagesite.model import Listing
from villagesite.render import format_date
from villagesite.schema import STYLES
from villagesite.themes import ThemeChain, resolve_themes


def default_chain(site) -> ThemeChain:
    return resolve_themes(load_config(site({"site.yaml": "title: 测试古村\n"})))


def test_words_are_looked_up_by_key_in_a_language(site):
    chain = default_chain(site)
    zh, en = chain.strings_for("zh-Hans"), chain.strings_for("en")
    style = Listing("style", "hakka", "", "/styles/hakka/", (), STYLES["hakka"])
    assert listing_title(style, zh) == "客家古村落" and listing_title(style, en) == "Hakka villages"
    assert listing_title(Listing("villages", "", "", "/villages/", ()), zh) == "全部古村落"
    assert listing_title(Listing("city", "佛山市", "佛山市", "/cities/foshan/", ()), en) == "佛山市"
    assert format_date(dt.date(2026, 5, 1), zh) == "2026年5月1日"
    assert format_date(dt.datetime(2026, 5, 1, 9, 30), zh) == "2026年5月1日 09:30"
    assert format_date(dt.date(2026, 5, 1), en) == "2026-05-01" and format_date(None, zh) == ""
    assert [link.label for link in named_links(GeoPoint(22.81, 113.15), "逢简村", en)] == [
        "Amap",
        "Baidu Maps",
        "Apple Maps",
        "OpenStreetMap",
    ]


def test_a_theme_renames_a_style_everywhere_and_keeps_its_parents_other_words(site):
    files = {
        "site.yaml": "title: 测试古村\nbase_url: https://example.org/\ntheme: mine\n",
        "themes/mine/theme.yaml": "extends: default\nstrings:\n  zh-Hans:\n    style_hakka: 客家人\n",
        "content/villages/a/index.md": village("甲村"),
        "content/villages/b/index.md": village("乙村", style="hakka", lat=24.3, lon=116.1),
    }
    root = site(files)
    assert run_cli("build", "--site", root).code == 0
    output = root / "output"
    page = (output / "villages/b/index.html").read_text(encoding="utf-8")
    assert '<span class="badge">客家人</span>' in page and "客家人古村落" in page
    crumbs = [
        item["name"]
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page)
        for node in json.loads(block).get("@graph", [])
        if node.get("@type") == "BreadcrumbList"
        for item in node["itemListElement"]
    ]
    assert crumbs == ["测试古村", "客家人古村落", "乙村"]
    listing = (output / "styles/hakka/index.html").read_text(encoding="utf-8")
    assert "<h1>客家人古村落" in listing and '<span class="title-en" lang="en">Hakka</span>' in listing
    other = (output / "villages/a/index.html").read_text(encoding="utf-8")
    assert '<span class="badge">广府</span>' in other and "广府古村落" in other  # the parent's words
    geojson = json.loads((output / "villages.geojson").read_text(encoding="utf-8"))
    names = {feature["id"]: feature["properties"]["style_name"] for feature in geojson["features"]}
    assert names == {"a": "广府", "b": "客家人"}
    assert "<h1>城市</h1>" in (output / "cities/index.html").read_text(encoding="utf-8")
