"""A visitor's trip in Chromium: the poster printed, the page at a phone's, a tablet's and a laptop's width."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browsers import browser, serve  # noqa: F401 (fixture)
from conftest import photo_bytes, run_cli, village, write_site

A4 = {"width": 794, "height": 1123}
LONGEST_TITLE = (
    "广东省清远市连南瑶族自治县三排镇南岗千年瑶寨古村落群与油岭老寨及周边村寨联合申报的传统村落保护发展示范区"
)
LONGEST_SUMMARY = "千年瑶寨依山而建，层层叠叠，" * 20  # 280 characters: past the summary's limit, which only warns


def pdf_pages(pdf: bytes) -> int:
    """How many pages a PDF printed by Chromium has (its page objects are written uncompressed)."""
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    extremes = (
        f"title_en: {'Nangang Thousand-Year Yao Village and the Old Villages Around It ' * 3}\n"
        "cover: {src: cover.jpg, alt: 山坡上的瑶寨}\n"
    )
    root = write_site(
        tmp_path_factory.mktemp("trip") / "site",
        {
            "site.yaml": "title: 测试古村\nbase_url: https://example.org/\n",
            "content/villages/short/index.md": village("前美村", style="teochew", lat=23.5, lon=116.6),
            "content/villages/longest/index.md": village(LONGEST_TITLE, style="minority", extra=extremes).replace(
                f"summary: {LONGEST_TITLE}的简介。", f"summary: {LONGEST_SUMMARY}"
            ),
            "content/villages/longest/cover.jpg": photo_bytes(1600, 900),
            "content/villages/captioned/index.md": village(
                "逢简村",
                extra="cover: {src: cover.jpg, alt: 河涌与石桥, caption: 摄影：村民陈某，2024 年, focus: [50, 80]}\n",
            ),
            "content/villages/captioned/cover.jpg": photo_bytes(1600, 1000),
            "content/pages/about.md": "---\ntitle: 关于本站\n---\n\n一句话。\n",
            "content/villages/long/index.md": village(
                "沙湾古镇",
                lat=22.9,
                lon=113.3,
                extra=(
                    "attractions:\n  - {name: 留耕堂, description: 何氏大宗祠。}\n"
                    "specialties:\n  - {name: 姜撞奶, description: 甜品。}\n"
                    "visit: {tips: 带伞。, time_needed: 3}\n"
                ),
                body="\n\n".join(f"## 第{n}节\n\n" + "沙湾的街巷与祠堂，" * 60 for n in range(1, 9)),
            ),
        },
    )
    result = run_cli("build", "--site", root)
    assert result.code == 0, result.err
    return root / "output"


@pytest.mark.parametrize("village_slug", ["short", "longest"])
def test_the_poster_prints_on_one_a4_page_with_its_qr_code(browser, built: Path, village_slug: str):  # noqa: F811
    page = browser.new_context(viewport=A4).new_page()
    with serve(built) as address:
        page.goto(f"{address}villages/{village_slug}/poster/")
        page.wait_for_load_state("load")
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        page.emulate_media(media="print")
        qr = page.locator(".poster-scan img").bounding_box()
        poster = page.locator(".poster").bounding_box()
    assert pdf_pages(pdf) == 1
    # The QR code is whole on that page, inside the poster's box (nothing cut off below it).
    assert qr is not None and poster is not None and qr["height"] > 150
    assert qr["y"] + qr["height"] <= poster["y"] + poster["height"] + 0.5
    page.context.close()


def test_the_poster_counting_sees_two_pages_when_there_are_two(browser, tmp_path: Path):  # noqa: F811
    """The page count above can fail: a page twice A4's height prints on two."""
    (tmp_path / "index.html").write_text('<style>@page{size:A4}</style><div style="height:400mm">长</div>', "utf-8")
    page = browser.new_context(viewport=A4).new_page()
    with serve(tmp_path) as address:
        page.goto(address)
        assert pdf_pages(page.pdf(prefer_css_page_size=True)) == 2
    page.context.close()


WIDTHS = [390, 768, 1024, 1280]


def _context(browser, width: int):  # noqa: F811
    mobile = width < 600
    return browser.new_context(
        viewport={"width": width, "height": 844 if mobile else 800}, is_mobile=mobile, has_touch=mobile, locale="zh-CN"
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_the_cover_caption_is_visible_beside_the_title_card_at_every_width(browser, built: Path, width: int):  # noqa: F811
    context = _context(browser, width)
    page = context.new_page()
    with serve(built) as address:
        page.goto(f"{address}villages/captioned/")
        found = page.evaluate(
            """() => {
              const caption = document.querySelector('.hero figcaption');
              const range = document.createRange();
              range.selectNodeContents(caption);
              const text = range.getBoundingClientRect();
              const card = document.querySelector('.title-block').getBoundingClientRect();
              const atText = document.elementFromPoint(text.left + 4, (text.top + text.bottom) / 2);
              return {textBottom: text.bottom, cardTop: card.top, hit: caption.contains(atText),
                      position: getComputedStyle(document.querySelector('.hero img')).objectPosition,
                      overflow: document.documentElement.scrollWidth - window.innerWidth};
            }"""
        )
    context.close()
    assert found["hit"], found  # nothing lies over the caption's words
    assert found["textBottom"] <= found["cardTop"], found
    assert found["position"] == "50% 80%"  # the cover's focus stays in view where it is cropped
    assert found["overflow"] <= 0


@pytest.mark.parametrize("width", WIDTHS)
def test_a_short_page_ends_with_its_footer_at_the_bottom_of_the_window(browser, built: Path, width: int):  # noqa: F811
    context = _context(browser, width)
    page = context.new_page()
    with serve(built) as address:
        page.goto(f"{address}about/")
        footer = page.locator(".site-footer").bounding_box()
        height = page.evaluate("window.innerHeight")
        document = page.evaluate("document.documentElement.scrollHeight")
    context.close()
    assert footer is not None
    assert document == height  # a short page: no scrolling
    assert abs(footer["y"] + footer["height"] - height) <= 1  # and no band of paper below its footer


def test_a_long_village_page_keeps_a_section_bar_at_the_top_with_the_way_back_up(browser, built: Path):  # noqa: F811
    context = _context(browser, 390)
    page = context.new_page()
    with serve(built) as address:
        page.goto(f"{address}villages/long/")
        assert page.evaluate("document.documentElement.scrollHeight") > 4000  # long, as real pages are
        page.evaluate("window.scrollTo(0, 3000)")
        bar = page.locator(".section-bar").bounding_box()
        assert bar is not None and abs(bar["y"]) <= 1 and bar["height"] < 60  # stuck to the top, compact
        assert page.locator(".section-bar a").first.inner_text() == "↑ 回到顶部"
        page.locator(".section-bar a", has_text="特产").click()
        page.wait_for_function("document.querySelector('#specialties-heading').getBoundingClientRect().top < 200")
        heading = page.locator("#specialties-heading").bounding_box()
        bar = page.locator(".section-bar").bounding_box()
        assert heading is not None and bar is not None
        assert heading["y"] >= bar["y"] + bar["height"] - 1  # the section's heading is not under the bar
        page.locator(".section-bar a", has_text="回到顶部").click()
        page.wait_for_function("window.scrollY === 0")
    context.close()


def test_the_share_button_copies_the_link_where_there_is_no_share_sheet(browser, built: Path):  # noqa: F811
    context = _context(browser, 390)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    with serve(built) as address:
        page.goto(f"{address}villages/long/")
        if page.evaluate("'share' in navigator"):
            pytest.skip("this Chromium has a share sheet: the button opens it")
        button = page.locator(".share-button")
        assert button.inner_text() == "复制链接"
        button.click()
        page.wait_for_function("document.querySelector('.share-button').textContent === '链接已复制'")
        assert page.evaluate("navigator.clipboard.readText()") == "https://example.org/villages/long/"
    context.close()


def test_without_javascript_the_share_button_stays_hidden_and_the_link_is_there_to_copy(browser, built: Path):  # noqa: F811
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    with serve(built) as address:
        page.goto(f"{address}villages/long/")
        assert not page.locator(".share-button").is_visible()
        assert page.locator(".share-box .url").inner_text() == "https://example.org/villages/long/"
    context.close()
