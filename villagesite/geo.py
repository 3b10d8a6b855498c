"""Positions for the map apps visitors use: datum conversion and "navigate" links.

Content stores WGS-84 (what GPS, OpenStreetMap and schema.org use).  Maps
approved in mainland China are drawn in GCJ-02, and Baidu adds its own BD-09
on top, so a WGS-84 point handed to Amap or Baidu lands a few hundred metres
off.  The conversion below is the widely published one (the same constants
and series as the ``coordtransform``/``eviltransform`` libraries); it is exact
for the forward direction, which is all a link needs.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote, urlencode

from .fields import GeoPoint

_A = 6378245.0
"""Semi-major axis of the Krasovsky 1940 ellipsoid that GCJ-02 is computed on."""
_EE = 0.00669342162296594323
"""Its first eccentricity squared."""
_X_PI = math.pi * 3000.0 / 180.0

APP_SOURCE = "villagesite"
"""Who is asking, as the Amap and Baidu link APIs want to know."""


def in_china(point: GeoPoint) -> bool:
    """Whether GCJ-02 applies: the usual rough box around China (points outside it are not shifted)."""
    return 72.004 <= point.lon <= 137.8347 and 0.8293 <= point.lat <= 55.8271


def _shift_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _shift_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(point: GeoPoint) -> GeoPoint:
    """The point as Amap, Tencent and Apple's China maps draw it."""
    if not in_china(point):
        return point
    dlat = _shift_lat(point.lon - 105.0, point.lat - 35.0)
    dlon = _shift_lon(point.lon - 105.0, point.lat - 35.0)
    radlat = point.lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(radlat) ** 2
    sqrt_magic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * math.cos(radlat) * math.pi)
    return GeoPoint(point.lat + dlat, point.lon + dlon)


def gcj02_to_bd09(point: GeoPoint) -> GeoPoint:
    """A GCJ-02 point in Baidu's BD-09."""
    x, y = point.lon, point.lat
    z = math.sqrt(x * x + y * y) + 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) + 0.000003 * math.cos(x * _X_PI)
    return GeoPoint(z * math.sin(theta) + 0.006, z * math.cos(theta) + 0.0065)


def wgs84_to_bd09(point: GeoPoint) -> GeoPoint:
    """The point as Baidu Maps draws it."""
    return gcj02_to_bd09(wgs84_to_gcj02(point)) if in_china(point) else point


@dataclass(frozen=True, slots=True)
class AppLink:
    """A link that opens one map app at a place, whatever the language."""

    key: str
    """``amap``, ``baidu``, ``apple`` or ``osm`` (for styling and tests)."""
    url: str


@dataclass(frozen=True, slots=True)
class MapLink:
    """A link that opens one map app at a place, with the app's name in the visitor's language."""

    key: str
    """``amap``, ``baidu``, ``apple`` or ``osm`` (for styling and tests)."""
    label: str
    """The app's name as visitors know it: the theme's string ``map_app_<key>``."""
    url: str


def _fixed(value: float) -> str:
    """At most six decimals (about 0.1 m): enough for a gate, short in a URL."""
    return f"{value:.6f}".rstrip("0").rstrip(".")


@functools.lru_cache(maxsize=1 << 14)
def navigate_links(point: GeoPoint, name: str) -> tuple[AppLink, ...]:
    """Links that open Amap, Baidu Maps, Apple Maps and OpenStreetMap at ``point``, each in its own datum.

    Apple Maps and OpenStreetMap take WGS-84; the two Chinese apps are given
    their own datum explicitly, so they neither guess nor convert twice.
    Remembered: a village's links appear on its page, its neighbours' pages and the maps.
    """
    gcj = wgs84_to_gcj02(point)
    bd = wgs84_to_bd09(point)
    lat, lon = _fixed(point.lat), _fixed(point.lon)
    amap = urlencode(
        {
            "position": f"{_fixed(gcj.lon)},{_fixed(gcj.lat)}",
            "name": name,
            "coordinate": "gaode",
            "callnative": "1",
            "src": APP_SOURCE,
        },
        quote_via=quote,
        safe=",",
    )
    baidu = urlencode(
        {
            "location": f"{_fixed(bd.lat)},{_fixed(bd.lon)}",
            "title": name,
            "content": name,
            "coord_type": "bd09ll",
            "output": "html",
            "src": f"webapp.{APP_SOURCE}",
        },
        quote_via=quote,
        safe=",",
    )
    apple = urlencode({"ll": f"{lat},{lon}", "q": name}, quote_via=quote, safe=",")
    return (
        AppLink("amap", f"https://uri.amap.com/marker?{amap}"),
        AppLink("baidu", f"https://api.map.baidu.com/marker?{baidu}"),
        AppLink("apple", f"https://maps.apple.com/?{apple}"),
        AppLink("osm", f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=16/{lat}/{lon}"),
    )


def named_links(point: GeoPoint, name: str, strings: Mapping[str, str]) -> tuple[MapLink, ...]:
    """:func:`navigate_links` with each app named by ``strings`` (the theme's, in one language): what
    templates get from ``navigate(point, name)``."""
    return tuple(MapLink(link.key, strings[f"map_app_{link.key}"], link.url) for link in navigate_links(point, name))
