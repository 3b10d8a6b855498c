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
