"""Places: homestays, farm restaurants, specialty shops, workshops and guides, each of a village."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import run_cli, snapshot, village, write_site

SITE = "title: 测试古村\nbase_url: https://example.org/\nlanguages: [zh-Hant]\n"
HOMESTAY = """---
title: 水乡人家民宿
kind: homestay
village: fengjian
summary: 河边老屋改成的民宿。
sample: true
location: {lat: 22.812, lon: 113.151}
address: 逢简村西街 8 号
phone: 0757-2233 4455
wechat: shuixiang_demo
opening_hours: {days: daily, open: "08:00", close: "22:00"}
price_range: 每晚 280 元起
payment: [wechat, alipay, cash]
languages_spoken: [粤语, 普通话]
booking_url: https://example.org/book
shop_url: https://shop.taobao.com/shuixiang
---

三间客房，推窗就是河涌。
"""
RESTAURANT = """---
title: 阿婆农家菜
kind: restaurant
village: fengjian
summary: 自家菜地的时令菜。
opening_hours: [{days: mon-fri, open: "11:00", close: "14:00"}, {days: [sat, sun], open: "10:00", close: "21:00"}]
price_range: 人均 60 元
---

招牌是鱼腐和姜撞奶。
"""
GUIDE = """---
title: 陈伯讲古
kind: guide
villages: [fengjian, qiaotou]
summary: 带你走一遍两条村的老巷。
---

陈伯在村里住了七十年。
"""


def places_site(root: Path, extra: dict[str, str | bytes] | None = None) -> Path:
    return write_site(
        root,
        {
            "site.yaml": SITE,
            "content/villages/fengjian/index.md": village(
                "逢简村", extra="specialties:\n  - name: 鱼腐\n    description: 均安鱼腐。\n    sold_at: apo\n"
            ),
            "content/villages/qiaotou/index.md": village("侨头村", style="hakka", city="梅州市", lat=24.3, lon=116.1),
            "content/places/shuixiang/index.md": HOMESTAY,
            "content/places/apo/index.md": RESTAURANT,
            "content/places/chenbo/index.md": GUIDE,
            **(extra or {}),
        },
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = places_site(tmp_path_factory.mktemp("places") / "site")
    result = run_cli("build", "--site", root)
    assert result.code == 0, result.err
    assert "3 places" in result.out
    return root / "output"


def page(output: Path, rel: str) -> str:
    return (output / rel / "index.html").read_text(encoding="utf-8")


def json_ld(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html).group(1))


def test_a_place_page_shows_its_facts_with_buttons_to_call_book_and_buy(built: Path):
    html = page(built, "places/shuixiang")
    assert "<h1>水乡人家民宿</h1>" in html
    assert 'href="tel:075722334455">打电话</a>' in html
    assert '<a href="tel:075722334455">0757-2233 4455</a>' in html
    assert 'data-copy="shuixiang_demo"' in html and "copy." in html  # the WeChat ID with its copy button
    assert "每天 08:00–22:00" in html and "每晚 280 元起" in html and "微信支付、支付宝、现金" in html
    assert (
        '<a class="button button-small" href="https://shop.taobao.com/shuixiang" rel="noopener">去淘宝购买</a>' in html
    )
    assert "示例商家" in html  # marked as a sample
    assert '<a href="/villages/fengjian/">← 回到逢简村</a>' in html
    assert 'href="/places/apo/"' in html  # the village's other places
    assert 'class="app-amap"' in html  # navigate links


def test_structured_data_is_the_local_business_google_reads(built: Path):
    """Required: name, address. Recommended: geo, telephone, openingHoursSpecification, priceRange, url."""
    data = json_ld(page(built, "places/shuixiang"))
    assert data["@type"] == "LodgingBusiness"
    assert data["name"] == "水乡人家民宿" and data["url"] == "https://example.org/places/shuixiang/"
    assert data["address"]["streetAddress"] == "逢简村西街 8 号" and data["address"]["addressLocality"] == "佛山市"
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 22.812, "longitude": 113.151}
    assert data["telephone"] == "075722334455" and data["priceRange"] == "每晚 280 元起"
    assert data["openingHoursSpecification"][0]["dayOfWeek"][0] == "Monday"
    assert data["openingHoursSpecification"][0]["opens"] == "08:00"
    assert data["paymentAccepted"] == "WeChat Pay, Alipay, Cash"
    assert data["containedInPlace"]["@id"] == "https://example.org/villages/fengjian/#place"
    restaurant = json_ld(page(built, "places/apo"))
    assert restaurant["@type"] == "Restaurant"
    assert [spec["dayOfWeek"] for spec in restaurant["openingHoursSpecification"]] == [
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
        ["Saturday", "Sunday"],
    ]
    assert "geo" in restaurant  # the village's location stands in for its own
    assert json_ld(page(built, "places/chenbo"))["@type"] == "LocalBusiness"


def test_a_village_lists_its_places_by_kind_and_a_guide_shows_in_each_of_its_villages(built: Path):
    html = page(built, "villages/fengjian")
    section = html.split('id="places"')[1].split("</section>")[0]
    names = re.findall(r'class="place-title"><a href="/places/(\w+)/"', section)
    assert names == ["shuixiang", "apo", "chenbo"]  # where to stay, to eat, then guides
    assert 'href="tel:075722334455">打电话' in section
    assert '<a href="#places">住·食·购·学</a>' in html
    assert 'href="/places/chenbo/"' in page(built, "villages/qiaotou")


def test_the_places_page_groups_them_by_kind_in_every_edition(built: Path):
    html = page(built, "places")
    assert [kind for kind in re.findall(r'<section id="(\w+)"', html)] == ["homestay", "restaurant", "guide"]
    traditional = page(built, "zh-hant/places")
    assert "<h1>住·食·購·學</h1>" in traditional and "水鄉人家民宿" in traditional
    assert "農家菜館" in traditional and 'href="/zh-hant/places/apo/"' in traditional
    assert "去淘寶購買" in page(built, "zh-hant/places/shuixiang")


def test_each_kind_has_its_page_by_city_linked_from_its_places_and_the_sitemap(built: Path):
    homestays = page(built, "places/homestay")
    assert "<h1>民宿</h1>" in homestays and 'href="/places/shuixiang/"' in homestays
    assert 'href="/places/apo/"' not in homestays  # a restaurant
    guides = page(built, "places/guide")
    assert re.findall(r'<h2 id="city-\d+">([^<]+)</h2>', guides) == ["佛山市"]  # by the city of its first village
    assert '<a href="/places/homestay/" aria-current="page">民宿</a>' in homestays
    assert not (built / "places/shop").exists() and not (built / "places/workshop").exists()  # kinds it has only
    assert '<a href="/places/homestay/">民宿</a>' in page(built, "places/shuixiang")
    sitemap = (built / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.org/places/restaurant/</loc>" in sitemap
    assert "<loc>https://example.org/zh-hant/places/guide/</loc>" in sitemap


def test_places_are_found_by_search(built: Path):
    index = built / "search/index"
    meta = json.loads((index / "meta.json").read_bytes())
    links = [json.loads((index / "d" / f"{n}.json").read_bytes())["u"] for n in range(meta["documents"])]
    assert {"/places/shuixiang/", "/places/apo/", "/places/chenbo/"} <= set(links)


def check(root: Path) -> str:
    result = run_cli("check", "--site", root)
    return result.err


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            ("kind: homestay", "kind: homestey"),
            "content/places/shuixiang/index.md:3: kind: 'homestey' is not one of homestay, restaurant, shop, "
            "workshop, guide (did you mean 'homestay'?)",
        ),
        (
            ("village: fengjian", "village: fengjain"),
            "content/places/shuixiang/index.md:4: village: there is no village 'fengjain' (did you mean 'fengjian'?)",
        ),
        (
            ("phone: 0757-2233 4455", "phone: 请打电话"),
            "content/places/shuixiang/index.md:9: phone: '请打电话' is not a phone number",
        ),
        (
            ("booking_url: https://", "booking_url: http://"),
            "content/places/shuixiang/index.md:15: booking_url: expected a link starting with https://, got "
            "'http://example.org/book' (write https://example.org/book)",
        ),
        (
            ('open: "08:00"', 'open: "8 点"'),
            "content/places/shuixiang/index.md:11: opening_hours.open: '8 点' is not a time of day",
        ),
        (
            ("payment: [wechat, alipay, cash]", "payment: [wechat, alipy]"),
            "content/places/shuixiang/index.md:13: payment[1]: 'alipy' is not one of wechat, alipay, cash, card "
            "(did you mean 'alipay'?)",
        ),
    ],
)
def test_bad_place_fields_are_named_at_their_line(tmp_path: Path, edit: tuple[str, str], message: str):
    root = places_site(tmp_path / "site", {"content/places/shuixiang/index.md": HOMESTAY.replace(*edit)})
    err = check(root)
    assert message in err, err


def test_a_place_far_from_its_village_is_a_warning(tmp_path: Path):
    far = HOMESTAY.replace("{lat: 22.812, lon: 113.151}", "{lat: 23.812, lon: 113.151}")  # a slip of one degree
    root = places_site(tmp_path / "site", {"content/places/shuixiang/index.md": far})
    result = run_cli("build", "--site", root)
    assert result.code == 0
    assert "content/places/shuixiang/index.md:7: location: is" in result.err
    assert "km from its village 'fengjian' (more than 30 km)" in result.err and "check lat and lon" in result.err


def test_editing_a_place_rebuilds_its_village_and_listings_equal_to_a_clean_build(tmp_path: Path):
    root = places_site(tmp_path / "site")
    assert run_cli("build", "--site", root).code == 0
    path = root / "content/places/apo/index.md"
    path.write_text(path.read_text(encoding="utf-8").replace("人均 60 元", "人均 80 元"), encoding="utf-8")
    assert run_cli("build", "--site", root).code == 0
    assert "人均 80 元" in page(root / "output", "villages/fengjian")
    assert "人均 80 元" in page(root / "output", "zh-hant/places")
    assert run_cli("build", "--site", root, "--output", tmp_path / "clean", "--clean").code == 0
    assert snapshot(root / "output") == snapshot(tmp_path / "clean")


def test_a_place_has_a_printable_poster_with_its_qr_code_for_its_door(built: Path):
    poster = page(built, "places/shuixiang/poster")
    assert "<h1>水乡人家民宿</h1>" in poster and 'poster-meta">民宿 · 逢简村' in poster
    assert 'src="/places/shuixiang/qr.svg"' in poster and "https://example.org/places/shuixiang/" in poster
    assert (built / "places/shuixiang/qr.svg").read_text().startswith("<")
    assert 'href="/places/shuixiang/poster/"' in page(built, "places/shuixiang")
    assert 'poster-meta">嚮導 · 逢簡村' in page(built, "zh-hant/places/chenbo/poster")


def test_a_specialty_sold_at_a_place_links_both_ways(built: Path):
    assert '<a href="/places/apo/">在阿婆农家菜有售</a>' in page(built, "villages/fengjian")
    restaurant = page(built, "places/apo")
    sold = restaurant.split('id="sold-heading">这里有售</h2>')[1].split("</section>")[0]
    assert "<h3>鱼腐</h3>" in sold and 'href="/villages/fengjian/#specialties-heading">逢简村</a>' in sold
    assert "在阿婆農家菜有售" in page(built, "zh-hant/villages/fengjian")


def test_a_specialty_sold_at_no_place_is_an_error_with_a_suggestion(tmp_path: Path):
    root = places_site(tmp_path / "site")
    path = root / "content/villages/fengjian/index.md"
    path.write_text(path.read_text(encoding="utf-8").replace("sold_at: apo", "sold_at: appo"), encoding="utf-8")
    err = check(root)
    assert (
        "content/villages/fengjian/index.md:10: specialties[0].sold_at: there is no place 'appo' (did you mean 'apo'?)"
        in err
    ), err


def test_places_are_map_data_with_their_kind_in_every_edition(built: Path):
    data = json.loads((built / "places.geojson").read_bytes())
    found = {f["id"]: f for f in data["features"]}
    assert set(found) == {"shuixiang", "apo", "chenbo"}
    assert found["shuixiang"]["geometry"]["coordinates"] == [113.151, 22.812]
    assert found["apo"]["geometry"]["coordinates"] == [113.15, 22.81]  # at its village: it gives no location
    assert found["shuixiang"]["properties"]["kind"] == "homestay"
    assert found["shuixiang"]["properties"]["kind_name"] == "民宿"
    assert found["shuixiang"]["properties"]["village_name"] == "逢简村"
    traditional = json.loads((built / "zh-hant/places.geojson").read_bytes())
    assert {f["properties"]["kind_name"] for f in traditional["features"]} == {"民宿", "農家菜館", "嚮導"}
    assert 'data-places="/places.geojson"' in page(built, "")


def test_a_site_without_places_writes_no_places_data_and_links_none(tmp_path: Path):
    root = write_site(tmp_path / "site", {"content/villages/a/index.md": village("甲村")})
    assert run_cli("build", "--site", root).code == 0
    assert not (root / "output/places.geojson").exists() and not (root / "output/places/homestay").exists()
    assert "这里还没有商家。" in page(root / "output", "places")  # as the events page says it has none
    home = (root / "output/index.html").read_text(encoding="utf-8")
    assert "data-places" not in home and 'href="/places/"' not in home


def test_the_home_page_shows_one_place_of_each_kind(built: Path):
    home = page(built, "")
    section = home.split('id="places-heading"')[1].split("</section>")[0]
    assert re.findall(r'class="place-title"><a href="/places/(\w+)/"', section) == ["shuixiang", "apo", "chenbo"]
    assert '<a href="/places/">全部商家 →</a>' in section


def test_a_village_with_few_places_shows_those_of_villages_a_short_drive_away(tmp_path: Path):
    near = village("南村", lat=22.85, lon=113.15)  # about 4 km from Fengjian
    far = village("远村", lat=23.5, lon=113.15)  # about 77 km
    root = places_site(
        tmp_path / "site", {"content/villages/nancun/index.md": near, "content/villages/yuancun/index.md": far}
    )
    assert run_cli("build", "--site", root).code == 0
    nearby = page(root / "output", "villages/nancun").split("<h3>邻近村落</h3>")[1].split("</ul>")[0]
    assert 'href="/places/shuixiang/"' in nearby and "逢简村 · 4 公里" in nearby
    assert "邻近村落" not in page(root / "output", "villages/yuancun")
    assert "邻近村落" not in page(root / "output", "villages/fengjian")  # it has places of its own
