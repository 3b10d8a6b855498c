"""Collections of villages: per style, city and tag, and the nearest neighbours of each."""

from __future__ import annotations

import functools
import heapq
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping

from .model import Listing, Neighbour, Page
from .schema import STYLES

NEIGHBOURS = 4
"""How many neighbours of the same style a village page shows."""


def style_listings(villages: list[Page]) -> list[Listing]:
    """One listing per style family; its title is the theme's (see :func:`listing_title`), so none here."""
    return [
        Listing(
            "style",
            key,
            "",
            f"/styles/{key}/",
            tuple(v for v in villages if v.source.village and v.source.village.style.key == key),
            family,
        )
        for key, family in STYLES.items()
    ]


def listing_title(listing: Listing, strings: Mapping[str, str]) -> str:
    """A listing's title in the language of ``strings`` (the theme's, from ``ThemeChain.strings_for``).

    All villages are ``all_villages``; a style is ``style_villages`` with ``NAME`` replaced by
    ``style_<key>`` (广府古村落); a city or a tag is named by its value as its edition writes it.
    """
    if listing.kind == "villages":
        return strings["all_villages"]
    if listing.kind == "style":
        return strings["style_villages"].replace("NAME", strings[f"style_{listing.key}"])
    return listing.title


def grouped_listings(
    kind: str,
    prefix: str,
    villages: list[Page],
    keys_of: Callable[[Page], Iterable[tuple[str, str]]],
    slug_of: Callable[[str], str],
) -> list[Listing]:
    """One listing per distinct value; values whose slugs collide get -2, -3 in name order.

    ``keys_of`` gives each village's values as the content writes them (the slug comes from
    those, the same in every edition) with each as this edition shows it (its title).
    """
    groups: dict[str, list[Page]] = defaultdict(list)
    shown: dict[str, str] = {}
    for village in villages:
        for value, title in dict.fromkeys(keys_of(village)):
            groups[value].append(village)
            shown.setdefault(value, title)
    used: dict[str, int] = {}
    listings = []
    for value in sorted(groups, key=lambda name: (slug_of(name), name)):
        base = slug_of(value) or "x"
        used[base] = used.get(base, 0) + 1
        slug = base if used[base] == 1 else f"{base}-{used[base]}"
        listings.append(Listing(kind, value, shown[value], f"{prefix}{slug}/", tuple(groups[value])))
    return listings


def neighbours(villages: list[Page]) -> Mapping[str, tuple[Neighbour, ...]]:
    """The nearest villages of the same style, by great-circle distance (``villages`` in name order)."""
    points = tuple(
        (page.source.village.style.key, page.source.village.location.lat, page.source.village.location.lon, page.slug)
        for page in villages
        if page.source.village is not None
    )
    return Neighbours(_index(points), {page.slug: page for page in villages})


class Neighbours(Mapping[str, tuple[Neighbour, ...]]):
    """Slug -> neighbours, searched and made into records only for the pages a build renders.

    After an edit that is one page; on a cold build, each worker process
    searches for the pages it renders.
    """

    def __init__(self, index: _NearestIndex, by_slug: dict[str, Page]) -> None:
        self._index = index
        self._by_slug = by_slug

    def __getitem__(self, slug: str) -> tuple[Neighbour, ...]:
        return tuple(Neighbour(self._by_slug[other], km) for other, km in self._index.nearest(slug))

    def with_pages(self, change: Callable[[Page], Page]) -> Neighbours:
        """The same neighbours, with each page as ``change`` gives it (a body saved in the preview):
        nothing is searched for."""
        pages = {slug: change(page) for slug, page in self._by_slug.items()}
        return Neighbours(self._index, pages)

    def __iter__(self) -> Iterator[str]:
        return iter(self._index.slugs)

    def __len__(self) -> int:
        return len(self._index.slugs)


@functools.lru_cache(maxsize=8)
def _index(points: tuple[tuple[str, float, float, str], ...]) -> _NearestIndex:
    """Cached: the preview server rebuilds often (every edition), and the answers change only when a location does."""
    return _NearestIndex(points)


class _NearestIndex:
    """Each style's villages in a grid; a village's neighbours are searched when first asked for."""

    def __init__(self, points: tuple[tuple[str, float, float, str], ...]) -> None:
        by_style: dict[str, list[tuple[float, float, int, str]]] = defaultdict(list)
        for order, (style, lat, lon, slug) in enumerate(points):
            by_style[style].append((lat, lon, order, slug))
        self.slugs: dict[str, tuple[_Grid | None, int]] = {}
        self._found: dict[str, tuple[tuple[str, float], ...]] = {}
        for group in by_style.values():
            longitudes = [lon for _, lon, _, _ in group]
            if max(longitudes) - min(longitudes) > 180:
                # Across the antimeridian, where the grid's bound does not hold: all at once, by the sweep.
                self._found.update(_sweep(group))
                self.slugs.update((slug, (None, index)) for index, (_, _, _, slug) in enumerate(group))
            else:
                grid = _Grid(group)
                self.slugs.update((slug, (grid, index)) for index, (_, _, _, slug) in enumerate(group))

    def nearest(self, slug: str) -> tuple[tuple[str, float], ...]:
        """(neighbour slug, km) of a village, nearest first."""
        found = self._found.get(slug)
        if found is None:
            grid, index = self.slugs[slug]
            assert grid is not None
            found = self._found[slug] = grid.nearest(index)
        return found


class _Grid:
    """One style's villages in cells of about two villages each, searched ring by ring outwards.

    After each ring, every village not yet seen is at least a ring's width
    away in latitude or in longitude; the search stops once that distance
    exceeds the farthest of the best found.  At 5,000 villages this computes
    about 25 distances a village, where a latitude-sorted sweep computed 100.
    """

    def __init__(self, group: list[tuple[float, float, int, str]]) -> None:
        self.group = group
        lats = [lat for lat, _, _, _ in group]
        lons = [lon for _, lon, _, _ in group]
        lat0, lon0 = min(lats), min(lons)
        tall, wide = max(lats) - lat0, max(lons) - lon0
        # About two villages a cell, and never more than 2 sqrt(n) cells a side (villages along a line).
        self.cell = max(math.sqrt(2 * tall * wide / len(group)), max(tall, wide) / (2 * math.sqrt(len(group))), 1e-9)
        self.cells: dict[tuple[int, int], list[int]] = defaultdict(list)
        self.keys = []
        for index, (lat, lon, _, _) in enumerate(group):
            key = (int((lat - lat0) // self.cell), int((lon - lon0) // self.cell))
            self.cells[key].append(index)
            self.keys.append(key)
        self.rows = max(k[0] for k in self.keys) + 1
        self.columns = max(k[1] for k in self.keys) + 1
        self.radians = [(math.radians(lat), math.radians(lon), math.cos(math.radians(lat))) for lat, lon, _, _ in group]

    def nearest(self, index: int) -> tuple[tuple[str, float], ...]:
        group, radians, cells = self.group, self.radians, self.cells
        lat = group[index][0]
        phi, lam, cos_phi = radians[index]
        row, column = self.keys[index]
        last_ring = max(row, self.rows - 1 - row, column, self.columns - 1 - column)
        best = _Best()
        ring = 0
        while True:
            for key in _ring(row, column, ring):
                for other in cells.get(key, ()):
                    if other != index:
                        best.offer(_distance(phi, lam, cos_phi, *radians[other]), other)
            if ring >= last_ring:
                break  # every cell seen
            if best.beyond(_unseen_bound(lat, cos_phi, ring * self.cell)):
                break
            ring += 1
        return best.result(group)


class _Best:
    """The nearest villages offered so far, ties kept: equal distances are then ordered by name."""

    __slots__ = ("found", "heap")

    def __init__(self) -> None:
        self.found: list[tuple[float, int]] = []
        self.heap: list[float] = []  # negated distances: a max-heap of the best NEIGHBOURS

    def offer(self, km: float, other: int) -> None:
        heap = self.heap
        if len(heap) < NEIGHBOURS:
            heapq.heappush(heap, -km)
            self.found.append((km, other))
        elif km <= -heap[0] + 1e-6:  # the small margin keeps ties despite float rounding
            if km < -heap[0]:
                heapq.heapreplace(heap, -km)
            self.found.append((km, other))

    def beyond(self, km: float) -> bool:
        """Whether a village at least ``km`` away could no longer be among the best."""
        return len(self.heap) == NEIGHBOURS and km > -self.heap[0] + 1e-6

    def result(self, group: list[tuple[float, float, int, str]]) -> tuple[tuple[str, float], ...]:
        """(slug, km) of the best, nearest first; equal distances in name order."""
        self.found.sort(key=lambda item: (item[0], group[item[1]][2]))
        return tuple((group[other][3], km) for km, other in self.found[:NEIGHBOURS])


def _distance(phi: float, lam: float, cos_phi: float, phi2: float, lam2: float, cos_phi2: float) -> float:
    """Great-circle km between two villages given in radians, with their latitudes' cosines."""
    a = math.sin((phi2 - phi) / 2) ** 2 + cos_phi * cos_phi2 * math.sin((lam2 - lam) / 2) ** 2
    return _EARTH_KM * 2 * math.asin(math.sqrt(a))


def _ring(row: int, column: int, ring: int) -> Iterator[tuple[int, int]]:
    """The cells exactly ``ring`` cells away (in rows or columns) from (row, column)."""
    if ring == 0:
        yield row, column
        return
    for r in range(row - ring, row + ring + 1):
        if r in (row - ring, row + ring):
            for c in range(column - ring, column + ring + 1):
                yield r, c
        else:
            yield r, column - ring
            yield r, column + ring


def _unseen_bound(lat: float, cos_phi: float, degrees: float) -> float:
    """The least distance (km) from a village at ``lat`` to a point more than ``degrees`` away
    in latitude or in longitude (less than 180 degrees of longitude apart)."""
    degrees = max(degrees * (1 - 1e-9), 0.0)  # cell edges are computed in floating point
    by_latitude = _KM_PER_DEGREE * degrees
    # Within ``degrees`` of latitude, a point is no nearer the pole than this: its parallel is no shorter.
    poleward = min(abs(lat) + degrees, 90.0)
    cos_other = max(math.cos(math.radians(poleward)), 0.0)
    by_longitude = (
        2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(cos_phi * cos_other) * math.sin(math.radians(degrees) / 2)))
    )
    return min(by_latitude, by_longitude)


def _sweep(group: list[tuple[float, float, int, str]]) -> dict[str, tuple[tuple[str, float], ...]]:
    """Nearest neighbours from a latitude-sorted sweep outwards from each village.

    The latitude difference alone bounds the distance, so the search stops
    early; used where the grid's longitude bound does not hold.
    """
    result: dict[str, tuple[tuple[str, float], ...]] = {}
    group = sorted(group, key=lambda item: (item[0], item[2]))
    # Radians and cosines once per village, not once per pair.
    radians = [(math.radians(lat), math.radians(lon), math.cos(math.radians(lat))) for lat, lon, _, _ in group]
    for index, (lat, _lon, _order, slug) in enumerate(group):
        phi, lam, cos_phi = radians[index]
        best = _Best()
        for step in (1, -1):
            other = index + step
            while 0 <= other < len(group) and not best.beyond(_KM_PER_DEGREE * abs(group[other][0] - lat)):
                best.offer(_distance(phi, lam, cos_phi, *radians[other]), other)
                other += step
        result[slug] = best.result(group)
    return result


_EARTH_KM = 6371.0
_KM_PER_DEGREE = 6371.0 * math.pi / 180


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in kilometres between two points in degrees.

    The same arithmetic as the searches (through ``_distance``, radians first), so that any
    two ways of finding neighbours order them identically: two villages whose distances
    differ only in the last bit are otherwise ordered one way by one formula and the
    other way by another.
    """
    phi, phi2 = math.radians(lat1), math.radians(lat2)
    return _distance(phi, math.radians(lon1), math.cos(phi), phi2, math.radians(lon2), math.cos(phi2))
