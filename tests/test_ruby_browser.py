"""Names with how they are said, as a visitor sees and hears them in Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from browsers import DESKTOP_CONTEXT, PHONE_CONTEXT, browser, serve  # noqa: F401 (fixture)
from conftest import run_cli, village, write_site

BODY = "村里有河涌。编辑也可以自己写注音：<ruby>蚝<rp>(</rp><rt>háo</rt><rp>)</rp></ruby>。"
ATTRACTIONS = "attractions:\n  - {name: 河涌石桥, description: 清代石桥。}\n"
LONGEST = "南岗千年瑶寨古村落群"

# For each name in the h1: (its character, the reading above it, the reading below it or None).
GEOMETRY = """
(selector) => [...document.querySelectorAll(selector + ' ruby:not(ruby ruby)')].map((outer) => {
  const inner = outer.classList.contains('say-under') ? outer.querySelector('ruby') : outer;
  const range = document.createRange();
  range.selectNodeContents(inner.firstChild);
  const box = (r) => { const b = r.getBoundingClientRect(); return {top: b.top, bottom: b.bottom, left: b.left, right: b.right}; };
  const below = outer.classList.contains('say-under') ? outer.querySelector(':scope > rt') : null;
  return {
    char: inner.firstChild.textContent,
    base: box(range),
    above: box(inner.querySelector('rt')),
    aboveText: inner.querySelector('rt').textContent,
    below: below ? box(below) : null,
    belowText: below ? below.textContent : null,
  };
})
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_site(
        tmp_path_factory.mktemp("ruby") / "site",
        {
            "site.yaml": "title: 测试古村\nlanguages: [zh-Hant]\n",
            "content/villages/fengjian/index.md": village("逢简村", extra=ATTRACTIONS, body=BODY),
            "content/villages/nangang/index.md": village(LONGEST, style="minority", lat=24.7, lon=112.3),
            "content/villages/qianmei/index.md": village(
                "前美村",
                style="teochew",
                lat=23.5,
                lon=116.6,
                extra="pronounce: {teochew: tsoiⁿ5 bhue2 tshung1}\n",
            ),
        },
    )
    result = run_cli("build", "--site", root)
    assert result.code == 0, result.err
    return root / "output"


def readings(browser, address: str, path: str, selector: str = "h1", context=PHONE_CONTEXT):  # noqa: F811
    page = browser.new_context(**context).new_page()
    page.goto(address + path)
    return page, page.evaluate(GEOMETRY, selector)


def test_pinyin_sits_over_each_character_and_jyutping_under_it(browser, built):  # noqa: F811
    with serve(built) as address:
        page, names = readings(browser, address, "villages/fengjian/")
        assert [(n["char"], n["aboveText"], n["belowText"]) for n in names] == [
            ("逢", "féng", "fung4"),
            ("简", "jiǎn", "gaan2"),
            ("村", "cūn", "cyun1"),
        ]
        for name in names:
            base, above, below = name["base"], name["above"], name["below"]
            middle = (base["left"] + base["right"]) / 2
            centre = (base["top"] + base["bottom"]) / 2  # the text's box includes the font's leading
            assert above["top"] < base["top"] and above["bottom"] <= centre, name
            assert below["bottom"] > base["bottom"] and below["top"] >= centre, name
            assert above["left"] - 1 <= middle <= above["right"] + 1, name  # over its own character
            assert below["left"] - 1 <= middle <= below["right"] + 1, name
        # The corrected word in the facts of an attraction: 河涌 is chōng, not yǒng.
        attraction = page.evaluate(GEOMETRY, ".items h3")
        assert [(n["char"], n["aboveText"]) for n in attraction][:2] == [("河", "hé"), ("涌", "chōng")]
        # The Traditional edition says it in Cantonese first: Jyutping above, pinyin below.
        _, hant = readings(browser, address, "zh-hant/villages/fengjian/")
        assert [(n["char"], n["aboveText"], n["belowText"]) for n in hant][1] == ("簡", "gaan2", "jiǎn")


def test_teochew_is_shown_where_written_and_other_villages_get_pinyin_alone(browser, built):  # noqa: F811
    with serve(built) as address:
        _, qianmei = readings(browser, address, "villages/qianmei/")
        assert [(n["aboveText"], n["belowText"]) for n in qianmei] == [
            ("qián", "tsoiⁿ5"),
            ("měi", "bhue2"),
            ("cūn", "tshung1"),
        ]
        _, nangang = readings(browser, address, "villages/nangang/")
        assert [n["belowText"] for n in nangang] == [None] * len(LONGEST)


@pytest.mark.parametrize("context", [PHONE_CONTEXT, DESKTOP_CONTEXT], ids=["390px", "1280px"])
def test_the_longest_name_fits_the_screen(browser, built, context):  # noqa: F811
    with serve(built) as address:
        page, names = readings(browser, address, "villages/nangang/", context=context)
        width = context["viewport"]["width"]
        assert len(names) == len(LONGEST)
        assert all(0 <= n["above"]["left"] and n["above"]["right"] <= width for n in names)
        assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_a_screen_reader_hears_the_name_once(browser, built):  # noqa: F811
    with serve(built) as address:
        page = browser.new_context(**PHONE_CONTEXT).new_page()
        page.goto(address + "villages/fengjian/")
        heading = page.get_by_role("heading", level=1)
        assert heading.aria_snapshot() == '- heading "逢简村" [level=1]'
        # The editor's own ruby in the body survives the sanitiser and shows over its character.
        body = page.evaluate(GEOMETRY, ".prose p")
        assert [(n["char"], n["aboveText"]) for n in body] == [("蚝", "háo")]
