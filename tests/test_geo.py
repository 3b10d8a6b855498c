"""Datum conversion and the links that open map apps at a village."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from villagesite.fields import GeoPoint
from villagesite.geo import gcj02_to_bd09, navigate_links, wgs84_to_bd09, wgs84_to_gcj02

# Published results of the coordtransform library for (lon 116.404, lat 39.915), from its test/app.js
# (github.com/wandergis/coordtransform): wgs84togcj02 -> [116.41024449916938, 39.91640428150164],
# gcj02tobd09 -> [116.41036949371029, 39.92133699351021].
TIANANMEN = GeoPoint(39.915, 116.404)
TOLERANCE = 1e-6  # degrees, about 10 cm


def close(point: GeoPoint, lat: float, lon: float) -> bool:
    return abs(point.lat - lat) < TOLERANCE and abs(point.lon - lon) < TOLERANCE


def test_wgs84_to_gcj02_matches_published_values():
    assert close(wgs84_to_gcj02(TIANANMEN), 39.91640428150164, 116.41024449916938)


def test_gcj02_to_bd09_matches_published_values():
    assert close(gcj02_to_bd09(TIANANMEN), 39.92133699351021, 116.41036949371029)


def test_wgs84_to_bd09_is_both_steps():
    gcj = wgs84_to_gcj02(TIANANMEN)
    assert wgs84_to_bd09(TIANANMEN) == gcj02_to_bd09(gcj)


def test_the_shift_in_guangdong_is_hundreds_of_metres_not_more():
    fengjian = GeoPoint(22.81, 113.15)
    gcj = wgs84_to_gcj02(fengjian)
    metres = ((gcj.lat - fengjian.lat) * 111_000, (gcj.lon - fengjian.lon) * 111_000 * 0.92)
    assert 100 < (metres[0] ** 2 + metres[1] ** 2) ** 0.5 < 1000


def test_points_outside_china_are_not_shifted():
    paris = GeoPoint(48.8566, 2.3522)
    assert wgs84_to_gcj02(paris) == paris
    assert wgs84_to_bd09(paris) == paris


def query(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}


def test_navigate_links_give_each_app_its_own_datum():
    links = {link.key: link for link in navigate_links(TIANANMEN, "天安门")}
    assert list(links) == ["amap", "baidu", "apple", "osm"]
    amap = query(links["amap"].url)
    assert links["amap"].url.startswith("https://uri.amap.com/marker?")
    lon, lat = (float(v) for v in amap["position"].split(","))
    assert abs(lat - 39.91640428150164) < TOLERANCE and abs(lon - 116.41024449916938) < TOLERANCE
    assert amap["coordinate"] == "gaode" and amap["name"] == "天安门"
    baidu = query(links["baidu"].url)
    assert links["baidu"].url.startswith("https://api.map.baidu.com/marker?")
    lat, lon = (float(v) for v in baidu["location"].split(","))
    bd = wgs84_to_bd09(TIANANMEN)
    assert abs(lat - bd.lat) < TOLERANCE and abs(lon - bd.lon) < TOLERANCE
    assert baidu["coord_type"] == "bd09ll" and baidu["title"] == "天安门" and baidu["src"]
    assert query(links["apple"].url)["ll"] == "39.915,116.404"
    osm = links["osm"].url
    assert osm == "https://www.openstreetmap.org/?mlat=39.915&mlon=116.404#map=16/39.915/116.404"


@pytest.mark.parametrize("name", ["a&b=c", "村#1", "</a>"])
def test_navigate_links_quote_the_name(name: str):
    for link in navigate_links(TIANANMEN, name):
        if link.key != "osm":  # OpenStreetMap's link carries no name
            assert "#" not in link.url and "<" not in link.url
            assert name in query(link.url).values()
