"""The pages visitors get from the default theme: what they read, share, scan, print and navigate with."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from conftest import photo_bytes, run_cli, snapshot, village, without_readings

from villagesite.fields import GeoPoint
from villagesite.geo import wgs84_to_bd09
from villagesite.qr import qr_svg

HOST = "https://example.org/sub/"
TRICKY = "</script><script>alert(1)</script>村"
FENGJIAN_EXTRA = """county: 顺德区
town: 杏坛镇
founded: 西汉
designations: [国家AAA级旅游景区]
cover: {src: cover.jpg, alt: 河涌上的石桥}
attractions:
  - {name: 巨济桥, description: 宋代石拱桥。, location: {lat: 22.812, lon: 113.151}}
  - {name: 刘氏大宗祠}
specialties:
  - {name: 姜撞奶, description: 姜汁撞热牛奶。, shop_url: "https://shop.example.org/jiang"}
  - {name: 鱼饼}
festivals:
  - {name: 端午龙舟, date: 农历五月初五, description: 扒龙舟。}
visit: {opening_hours: 全天开放, tickets: 免费, transport: 乘公交前往, tips: 雨天路滑, contact: 村委会}
tags: [水乡]
"""
STORY = "---\ntitle: 一碗双皮奶\ndate: 2026-05-01\nsummary: 水乡的甜品。\nvillages: [fengjian]\n---\n\n正文。\n"
EVENT = (
    "---\ntitle: 龙舟赛\nstart: 2027-06-09T09:30\nend: 2027-06-09T12:00\nvillage: fengjian\n"
    "location: 逢简大桥\nsummary: 端午赛龙舟。\n---\n"
)


def tourism_site(**more: str | bytes) -> dict[str, str | bytes]:
    return {
        "site.yaml": "title: 测试古村\ndescription: 广东的古村落。\n",
        "content/villages/fengjian/index.md": village("逢简村", extra=FENGJIAN_EXTRA),
        "content/villages/fengjian/cover.jpg": photo_bytes(),
        "content/villages/shawan/index.md": village("沙湾古镇", city="广州市", lat=22.9, lon=113.33),
        "content/villages/weilong/index.md": village("侨乡村", style="hakka", city="梅州市", lat=24.26, lon=116.0),
        "content/villages/longhu/index.md": village("龙湖古寨", style="teochew", city="潮州市", lat=23.55, lon=116.66),
        "content/villages/nangang/index.md": village(
            "南岗瑶寨", style="minority", city="清远市", lat=24.62, lon=112.14
        ),
        "content/stories/shuangpinai/index.md": STORY,
        "content/events/dragon-boat/index.md": EVENT,
        **more,
    }


def build(site, files: dict[str, str | bytes], base_url: str = HOST) -> Path:
    root = site(files)
    result = run_cli("build", "--site", root, "--base-url", base_url)
    assert result.code == 0, result.err
    return root / "output"


def read(output: Path, rel: str) -> str:
    return (output / rel).read_text(encoding="utf-8")


def json_lds(html: str) -> list[dict]:
    return [
        json.loads(block) for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(html: str, name: str) -> list[dict[str, str | None]]:
    parser = _Tags()
    parser.feed(html)
    return [attrs for tag, attrs in parser.tags if tag == name]


def meta(html: str, key: str) -> str | None:
    for attrs in tags(html, "meta"):
        if attrs.get("property") == key or attrs.get("name") == key:
            return attrs.get("content")
    return None


def test_village_json_ld_names_the_place_its_coordinates_attractions_and_products(site):
    output = build(site, tourism_site())
    graph = json_lds(read(output, "villages/fengjian/index.html"))[0]["@graph"]
    place = next(node for node in graph if "TouristDestination" in node["@type"])
    assert place["@type"] == ["TouristDestination", "Place"]
    assert place["name"] == "逢简村" and place["url"] == HOST + "villages/fengjian/"
    assert place["geo"] == {"@type": "GeoCoordinates", "latitude": 22.81, "longitude": 113.15}
    assert place["address"]["addressLocality"] == "佛山市" and place["address"]["addressCountry"] == "CN"
    assert [a["name"] for a in place["includesAttraction"]] == ["巨济桥", "刘氏大宗祠"]
    assert place["includesAttraction"][0]["geo"]["latitude"] == 22.812
    assert place["image"].startswith("https://example.org/sub/img/cover.")
    assert place["event"][0]["name"] == "龙舟赛" and place["event"][0]["startDate"] == "2027-06-09T09:30:00+08:00"
    products = [node for node in graph if node["@type"] == "Product"]
    assert [p["name"] for p in products] == ["姜撞奶", "鱼饼"]
    assert products[0]["url"] == "https://shop.example.org/jiang"
    crumbs = next(node for node in graph if node["@type"] == "BreadcrumbList")
    assert [item["name"] for item in crumbs["itemListElement"]] == ["测试古村", "广府古村落", "逢简村"]


def test_event_json_ld_is_an_event_at_its_place(site):
    output = build(site, tourism_site())
    (data,) = json_lds(read(output, "events/dragon-boat/index.html"))
    assert data["@type"] == "Event" and data["name"] == "龙舟赛"
    assert data["startDate"] == "2027-06-09T09:30:00+08:00" and data["endDate"] == "2027-06-09T12:00:00+08:00"
    assert data["location"]["name"] == "逢简大桥" and data["location"]["geo"]["longitude"] == 113.15


def test_json_ld_cannot_be_broken_out_of(site):
    files = tourism_site()
    files["content/villages/fengjian/index.md"] = village(TRICKY, extra="slug: fengjian\n" + FENGJIAN_EXTRA)
    output = build(site, files)
    html = read(output, "villages/fengjian/index.html")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block
    place = json.loads(block)["@graph"][0]
    assert place["name"] == TRICKY
    assert "<script>alert(1)" not in html, "the title is escaped everywhere on the page"


def test_navigate_links_open_each_app_at_the_converted_position(site):
    # Published values (coordtransform) for WGS-84 (39.915, 116.404): GCJ-02 (39.91640428, 116.41024450).
    files = tourism_site(**{"content/villages/beijing/index.md": village("京郊村", lat=39.915, lon=116.404)})
    output = build(site, files)
    html = read(output, "villages/beijing/index.html")
    links = {a["class"]: a["href"] for a in tags(html, "a") if (a.get("class") or "").startswith("app-")}
    amap = parse_qs(urlsplit(links["app-amap"]).query)
    lon, lat = map(float, amap["position"][0].split(","))
    assert abs(lat - 39.91640428) < 1e-6 and abs(lon - 116.41024450) < 1e-6
    assert amap["coordinate"] == ["gaode"] and amap["name"] == ["京郊村"]
    baidu = parse_qs(urlsplit(links["app-baidu"]).query)
    lat, lon = map(float, baidu["location"][0].split(","))
    expected = wgs84_to_bd09(GeoPoint(39.915, 116.404))
    assert abs(lat - expected.lat) < 1e-6 and abs(lon - expected.lon) < 1e-6 and baidu["coord_type"] == ["bd09ll"]
    assert parse_qs(urlsplit(links["app-apple"]).query)["ll"] == ["39.915,116.404"]
    assert links["app-osm"].endswith("#map=16/39.915/116.404")


def test_map_is_a_list_of_places_with_coordinates_and_the_script_is_on_map_pages_only(site):
    output = build(site, tourism_site())
    page = read(output, "villages/fengjian/index.html")
    block = page.split('<div class="map-block"')[1].split("<section")[0]
    assert "北纬 22.8100°，东经 113.1500°" in block and "巨济桥" in block and "北纬 22.8120°" in block
    settings = json.loads(tags(page, "div")[[d.get("class") for d in tags(page, "div")].index("map-block")]["data-map"])
    # Simplified Chinese is read in mainland China: Amap's tiles, which load there, in their datum.
    assert (
        settings["tiles"].startswith("https://webrd0{s}.is.autonavi.com/appmaptile?")
        and "高德地图" in settings["attribution"]
    )
    assert settings["js"].startswith("/sub/theme/vendor/leaflet/leaflet.") and settings["datum"] == "gcj02"
    scripts = [s["src"] for s in tags(page, "script") if s.get("src")]
    assert len(scripts) == 2 and re.fullmatch(r"/sub/theme/map\.\w{10}\.js", scripts[0])
    assert re.fullmatch(r"/sub/theme/copy\.\w{10}\.js", scripts[1])  # the share button
    assert "leaflet" not in " ".join(scripts) and "leaflet.css" not in " ".join(
        link["href"] for link in tags(page, "link")
    )
    for rel in ("villages/index.html", "404.html"):
        assert not [s for s in tags(read(output, rel), "script") if s.get("src")], rel
    story_scripts = [s["src"] for s in tags(read(output, "stories/shuangpinai/index.html"), "script") if s.get("src")]
    assert len(story_scripts) == 1 and "/copy." in story_scripts[0]
    home = read(output, "index.html")
    assert 'data-geojson="/sub/villages.geojson"' in home and home.count('class="place ') == 5
    theme = {p.split(".")[0] for p in snapshot(output / "theme/vendor/leaflet")}
    assert {"leaflet", "LICENSE", "images/marker-icon"} <= theme


def test_map_tiles_come_from_site_yaml(site):
    files = tourism_site()
    files["site.yaml"] = (
        "title: 测试古村\nmap:\n  tiles: https://webrd0{s}.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}\n"
        "  subdomains: '1234'\n  attribution: '底图 © <a href=\"https://amap.com\" onclick=\"x()\">高德</a><b>!</b>'\n"
        "  datum: gcj02\n"
    )
    output = build(site, files)
    page = read(output, "villages/fengjian/index.html")
    settings = json.loads(next(d for d in tags(page, "div") if d.get("class") == "map-block")["data-map"])
    assert settings["tiles"].startswith("https://webrd0{s}.is.autonavi.com/") and settings["subdomains"] == "1234"
    assert (
        settings["datum"] == "gcj02"
        and "onclick" not in settings["attribution"]
        and "<b>" not in settings["attribution"]
    )


def test_map_tiles_are_amap_for_simplified_chinese_and_openstreetmap_for_other_editions(site):
    files = tourism_site()
    files["site.yaml"] = "title: 测试古村\nlanguages: [zh-Hant]\n"
    output = build(site, files)

    def settings_of(rel: str) -> dict:
        page = read(output, rel)
        return json.loads(next(d for d in tags(page, "div") if d.get("class") == "map-block")["data-map"])

    hans, hant = settings_of("villages/fengjian/index.html"), settings_of("zh-hant/villages/fengjian/index.html")
    assert hans["datum"] == "gcj02" and "autonavi" in hans["tiles"] and hans["subdomains"] == "1234"
    assert hant["tiles"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png" and hant["datum"] == "wgs84"
    assert "OpenStreetMap</a> 貢獻者" in hant["attribution"]
    files["site.yaml"] = "title: 测试古村\nmap: {tiles: osm}\n"
    output = build(site, files)
    assert settings_of("villages/fengjian/index.html")["datum"] == "wgs84"


def test_every_page_has_title_description_canonical_and_open_graph(site):
    output = build(site, tourism_site())
    for path in sorted(output.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        rel = path.relative_to(output).as_posix()
        assert re.search(r"<title>[^<]+</title>", html), rel
        assert meta(html, "description"), rel
        canonical = [link["href"] for link in tags(html, "link") if link.get("rel") == "canonical"]
        assert canonical and canonical[0].startswith(HOST), rel
        if "poster" not in rel:
            assert meta(html, "og:title") and meta(html, "og:url") == canonical[0], rel
    page = read(output, "villages/fengjian/index.html")
    assert re.fullmatch(r"https://example\.org/sub/img/cover\.\w{10}\.1200x630\.jpg", meta(page, "og:image"))
    assert meta(page, "og:image:alt") == "河涌上的石桥" and meta(page, "description") == "逢简村的简介。"


def test_village_page_shows_facts_specialties_festivals_visit_and_gallery_info(site):
    output = build(site, tourism_site())
    page = read(output, "villages/fengjian/index.html")
    facts = without_readings(page.split('class="facts"')[1].split("</section>")[0])
    for text in ("广府", "广东省", "佛山市", "顺德区杏坛镇", "西汉", "国家AAA级旅游景区"):
        assert text in facts, text
    assert '<a class="button button-small" href="https://shop.example.org/jiang" rel="noopener">去购买' in page
    assert '<p class="festival-date">农历五月初五</p>' in page, "dates in words are shown as written"
    visit = page.split('id="visit"')[1].split("</section>")[0]
    for text in ("开放时间", "全天开放", "门票", "免费", "交通", "贴士", "联系", "村委会"):
        assert text in visit
    assert "一碗双皮奶" in page and "沙湾古镇" in page.split("同风格的邻近古村")[1]


def test_qr_code_of_the_public_address_beside_every_village_page_and_a_printable_poster(site):
    output = build(site, tourism_site())
    page = read(output, "villages/fengjian/index.html")
    qr = next(img for img in tags(page, "img") if img.get("class") == "qr")
    assert qr["src"] == "/sub/villages/fengjian/qr.svg" and "逢简村" in qr["alt"]
    assert (output / "villages/fengjian/qr.svg").read_bytes() == qr_svg(HOST + "villages/fengjian/")
    assert (output / "villages/shawan/qr.svg").is_file()
    poster = read(output, "villages/fengjian/poster/index.html")
    assert meta(poster, "robots") == "noindex"
    assert "<h1>逢简村</h1>" in poster and HOST + "villages/fengjian/" in poster
    assert 'src="/sub/villages/fengjian/qr.svg"' in poster and "<picture>" in poster
    assert re.search(r'href="/sub/theme/poster\.\w{10}\.css"', poster)
    assert "poster" not in read(output, "sitemap.xml")


def test_without_a_host_there_is_no_qr_code_and_the_poster_prints_the_path_not_an_editor_note(site):
    output = build(site, tourism_site(), base_url="/")
    assert not (output / "villages/fengjian/qr.svg").exists()
    assert 'class="qr"' not in read(output, "villages/fengjian/index.html")
    poster = read(output, "villages/fengjian/poster/index.html")
    assert '<p class="poster-url">/villages/fengjian/</p>' in poster
    assert "base_url" not in poster and "site.yaml" not in poster  # said to the editor, in the terminal


def test_home_has_the_four_styles_featured_villages_map_stories_and_events(site):
    output = build(site, tourism_site())
    home = read(output, "index.html")
    tiles = home.split('class="styles"')[1].split("</ul>")[0]
    for name, line in (("广府", "镬耳山墙"), ("客家", "围龙屋"), ("潮汕", "嵌瓷"), ("少数民族", "瑶")):
        assert name in tiles and line in tiles
    drawings = re.findall(r'<img class="art" src="/sub/theme/art/(\w+)\.\w+\.svg" alt=""', tiles)
    assert drawings == ["cantonese", "hakka", "teochew", "minority"], "each style's drawing, one shared file each"
    featured = home.split('id="featured-heading"')[1].split("</section>")[0]
    assert featured.count('class="card ') == 4, "one village of each style"
    assert "逢简村" in featured, "the village with designations and a cover leads its style"
    assert 'id="map-heading"' in home and "一碗双皮奶" in home and "龙舟赛" in home
    assert json_lds(home)[0]["@type"] == "WebSite"


def test_featured_true_in_front_matter_picks_the_home_villages(site):
    files = tourism_site()
    files["content/villages/weilong/index.md"] = village(
        "侨乡村", style="hakka", city="梅州市", lat=24.26, lon=116.0, extra="featured: true\n"
    )
    output = build(site, files)
    featured = read(output, "index.html").split('id="featured-heading"')[1].split("</section>")[0]
    assert featured.count('class="card ') == 1 and "侨乡村" in featured


def test_listing_cards_show_cover_title_city_and_style(site):
    output = build(site, tourism_site())
    listing = read(output, "styles/cantonese/index.html")
    card = listing.split('<li class="card style-cantonese">')[1].split("</li>")[0]
    assert "<picture>" in card and '<h2 class="card-title">逢简村</h2>' in card
    assert "佛山市" in card and '<span class="badge">广府</span>' in card
    no_cover = listing.split('<li class="card style-cantonese">')[2].split("</li>")[0]
    assert re.search(r'<img class="art card-art" src="/sub/theme/art/cantonese\.\w+\.svg" alt=""', no_cover), (
        "no cover: the style's illustration"
    )
    assert 'class="filters"' in listing and "镬耳" in listing


def test_example_theme_overrides_one_file_to_change_the_style_colours(site, tmp_path):
    plain = build(site, tourism_site())
    files = tourism_site()
    files["site.yaml"] = "title: 测试古村\ndescription: 广东的古村落。\ntheme: lychee\n"
    root = site(files)
    shutil.copytree(Path(__file__).parent / "example_theme", root / "themes/lychee")
    assert run_cli("build", "--site", root, "--base-url", HOST, "--output", tmp_path / "themed").code == 0
    before, after = snapshot(plain), snapshot(tmp_path / "themed")
    assert before.keys() == after.keys()
    changed = {rel for rel in before if before[rel] != after[rel]}
    assert changed and all(rel.endswith(".html") for rel in changed)
    assert "--accent: #8c2a1c" in after["villages/weilong/index.html"].decode()


def test_json_ld_cannot_end_its_script_element(site):
    """Text an editor wrote that looks like markup stays data: the script element is not broken out of."""
    summary = "</script ><script>alert(1)</script> <!-- & \u2028 村 \u2029 尾"
    page = village("逢简村").replace("逢简村的简介。", json.dumps(summary))  # a YAML double-quoted string
    html = read(build(site, {"content/villages/fengjian/index.md": page}), "villages/fengjian/index.html")
    # Where an HTML parser ends the element: at "</script" and a space, "/" or ">".
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script[\s/>]', html, re.S | re.I)
    assert blocks
    for block in blocks:
        assert "<!--" not in block and "\u2028" not in block and "\u2029" not in block
    assert any(summary in str_values(json.loads(block)) for block in blocks)  # and it reads back unchanged


def str_values(value: object) -> list[str]:
    if isinstance(value, dict):
        return [s for item in value.values() for s in str_values(item)]
    if isinstance(value, list):
        return [s for item in value for s in str_values(item)]
    return [value] if isinstance(value, str) else []
