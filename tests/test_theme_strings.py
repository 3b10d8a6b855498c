"""Visitor text comes from the theme's strings: a theme changes a word everywhere, pages and outputs."""

from __future__ import annotations

import datetime as dt
import json
import re

from conftest import REPO, run_cli, village

from villagesite.config import load_config
from villagesite.fields import GeoPoint
from villagesite.geo import named_links
from villagesite.listings import listing_title
from villagesite.model import Listing
from villagesite.render import format_date
from villagesite.schema import DAYS, PAYMENTS, PLACE_KINDS, STYLES, WHEELCHAIR
from villagesite.stores import STORES
from villagesite.themes import ThemeChain, resolve_themes
from villagesite.videos import PLATFORMS


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


# The default theme's tables and templates: three complete languages, and no visitor text in the templates.

LANGUAGES = ("zh-Hans", "zh-Hant", "en")
DYNAMIC_KEYS = {
    # t('prefix' ~ value): the values a prefix takes.
    "style_": tuple(STYLES),
    "style_line_": tuple(STYLES),
    "style_about_": tuple(STYLES),
    "kind_": ("village", "town"),  # page.village.kind (villagesite/schema.py)
    "place_": PLACE_KINDS,
    "payment_": PAYMENTS,
    "day_": DAYS,
    "store_": tuple(set(STORES.values())),
    "wheelchair_": tuple(WHEELCHAIR),
    "platform_": PLATFORMS,
}
VARIABLE_KEYS = {
    # t(name): the keys the name holds.
    "key": ("opening_hours", "tickets", "transport", "tips", "contact"),  # village.html's visit loop
    "terms": ("cities", "tags"),  # terms.html
    "tiles.attribution_key": ("map_attribution", "map_attribution_amap"),  # partials/map.html
}
PATTERNS = {
    # Keys filled with str.format by templates or villagesite, and the fields they are given.
    "year": {"year": 2026},
    "month_day": {"month": 5, "day": 1, "date": dt.date(2026, 5, 1)},
    "latitude_north": {"degrees": "22.8100"},
    "latitude_south": {"degrees": "22.8100"},
    "longitude_east": {"degrees": "113.1500"},
    "longitude_west": {"degrees": "113.1500"},
    "coordinates": {"latitude": "甲", "longitude": "乙"},
    "counted": {"label": "甲", "count": 3},
    "title_page": {"title": "甲", "page": "乙"},
    "label_value": {"label": "甲", "value": "乙"},
    "buy_item": {"name": "甲"},
    "video_watch_on": {"platform": "甲"},
    "date": {"year": 2026, "month": 5, "day": 1},
    "date_time": {"date": "甲", "hour": 9, "minute": 30},
}
PLACEHOLDERS = {
    # Keys whose word a template or villagesite replaces.
    "NAME": ("navigate_to", "map_of", "qr_alt", "back_to", "style_villages"),
    "N": ("page_n", "footnote_back"),
}
HAN_OR_FULL_WIDTH = re.compile(
    r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff]"
)


def default_tables(site) -> dict[str, dict[str, str]]:
    default = default_chain(site).themes[-1]
    assert default.name == "default"
    return {language: dict(default.strings[language]) for language in LANGUAGES}


def default_templates(site) -> dict[str, str]:
    templates = default_chain(site).themes[-1].templates
    return {
        path.relative_to(templates).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(templates.rglob("*.html"))
    }


def keys_used(source: str) -> set[str]:
    """The keys a template looks up with t(): literals, prefixes joined with ~, and the known variables."""
    keys: set[str] = set()
    for call in re.finditer(r"\bt\(\s*([^,)]*)", source):
        argument = call.group(1).strip()
        literal = re.fullmatch(r"'([a-z0-9_]+)'(\s*~\s*.+)?", argument)
        if literal and literal.group(2) is None:
            keys.add(literal.group(1))
        elif literal:
            assert literal.group(1) in DYNAMIC_KEYS, f"t({argument}): add the values of this prefix to DYNAMIC_KEYS"
            keys.update(literal.group(1) + value for value in DYNAMIC_KEYS[literal.group(1)])
        else:
            assert argument in VARIABLE_KEYS, f"t({argument}): add the keys this name holds to VARIABLE_KEYS"
            keys.update(VARIABLE_KEYS[argument])
    return keys


def test_the_default_theme_has_three_complete_tables_with_the_same_keys(site):
    tables = default_tables(site)
    hans = set(tables["zh-Hans"])
    for language in LANGUAGES:
        assert set(tables[language]) == hans, (
            f"{language}: missing {sorted(hans - set(tables[language]))}, extra {sorted(set(tables[language]) - hans)}"
        )
        # Every string has words, but the separator of an address's parts (none in Chinese: 广东省佛山市).
        assert all(value.strip() for key, value in tables[language].items() if key != "place_separator"), language


def test_every_key_a_default_template_uses_is_in_all_three_tables(site):
    tables = default_tables(site)
    used = {name: keys_used(source) for name, source in default_templates(site).items()}
    assert {"kind_town", "latitude_north", "month_day", "counted", "label_value"} <= set().union(*used.values())
    for name, keys in used.items():
        for language in LANGUAGES:
            assert not keys - set(tables[language]), (
                f"{name} uses {sorted(keys - set(tables[language]))}, not in {language}"
            )


def test_no_default_template_writes_visitor_text_itself(site):
    for name, source in default_templates(site).items():
        outside_comments = re.sub(r"\{#.*?#\}", "", source, flags=re.DOTALL)
        for line in outside_comments.splitlines():
            found = HAN_OR_FULL_WIDTH.findall(line)
            assert not found, (
                f"{name}: {''.join(found)!r} written in the template (put it in theme.yaml's strings and use t()): {line.strip()}"
            )


def test_the_patterns_of_every_language_take_the_fields_they_are_given(site):
    for language, table in default_tables(site).items():
        for key, fields in PATTERNS.items():
            table[key].format(**fields)  # a field the caller does not give would fail the build
        for placeholder, keys in PLACEHOLDERS.items():
            for key in keys:
                assert table[key].count(placeholder) == 1, f"{language} {key}: {table[key]!r} needs {placeholder} once"
    assert default_tables(site)["en"]["month_day"].format(**PATTERNS["month_day"]) == "1 May"


def test_the_default_themes_scripts_and_styles_hold_no_visitor_text():
    """The map's words (its zoom buttons, the box before it is drawn) come from the strings too, through
    the page: a script or stylesheet of the theme holds no Chinese outside its comments."""
    static = REPO / "themes/default/static"
    files = [p for p in static.rglob("*") if p.suffix in (".js", ".css") and "vendor" not in p.parts]
    assert files
    for path in files:
        code = re.sub(r"/\*.*?\*/", "", path.read_text(encoding="utf-8"), flags=re.S)
        code = re.sub(r"(^|\s)//[^\n]*", "", code)
        found = re.findall(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+", code)
        assert found == [], f"{path.relative_to(REPO)}: {found}"
