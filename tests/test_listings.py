"""Nearest neighbours found by the grid search (or the sweep) are exactly the nearest of all pairs."""

from __future__ import annotations

import math
from types import SimpleNamespace

from hypothesis import example, given, settings
from hypothesis import strategies as st

from villagesite.listings import NEIGHBOURS, distance_km, neighbours

points = st.lists(
    st.tuples(st.floats(20.0, 26.0), st.floats(109.0, 118.0), st.sampled_from(["cantonese", "hakka"])),
    min_size=1,
    max_size=40,
)


# Anywhere on Earth, near the poles and across the antimeridian, with villages sharing a spot (ties).
anywhere = st.lists(
    st.tuples(st.floats(-89.9, 89.9), st.floats(-180.0, 180.0), st.just("hakka")),
    min_size=1,
    max_size=30,
).flatmap(lambda found: st.lists(st.sampled_from(found), min_size=len(found), max_size=len(found) + 8))
# A dense cluster and a few far away: cells of very different fill.
clustered = st.lists(
    st.one_of(
        st.tuples(st.floats(22.50, 22.52), st.floats(113.00, 113.02), st.just("cantonese")),
        st.tuples(st.floats(20.0, 26.0), st.floats(109.0, 118.0), st.just("cantonese")),
    ),
    min_size=1,
    max_size=60,
)


def fake_page(index: int, lat: float, lon: float, style: str) -> SimpleNamespace:
    village = SimpleNamespace(location=SimpleNamespace(lat=lat, lon=lon), style=SimpleNamespace(key=style))
    return SimpleNamespace(slug=f"v{index}", sort_key=(f"v{index:03d}", ""), source=SimpleNamespace(village=village))


def independent_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine written apart from the module's, to hold its distances right (not only its order)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


@settings(max_examples=200, deadline=None)
@given(st.one_of(points, anywhere, clustered))
# Distances that differ only in the last bit (issue 19): once ordered one way by the search and the
# other by the reference, when each computed the haversine with its own arithmetic.
@example([(20.0, 109.0, "hakka"), (20.0, 110.0, "hakka"), (20.000000000000004, 109.0, "hakka")])
@example([(20.0, 110.0, "hakka"), (20.000000000000004, 109.0, "hakka"), (20.0, 109.0, "hakka")])
def test_neighbours_match_all_pairs(coordinates):
    pages = [fake_page(i, lat, lon, style) for i, (lat, lon, style) in enumerate(coordinates)]
    found = neighbours(pages)
    for page in pages:
        here = page.source.village
        brute = sorted(
            (
                (
                    distance_km(
                        here.location.lat,
                        here.location.lon,
                        o.source.village.location.lat,
                        o.source.village.location.lon,
                    ),
                    o.sort_key,
                    o.slug,
                )
                for o in pages
                if o is not page and o.source.village.style.key == here.style.key
            ),
        )[:NEIGHBOURS]
        assert [n.page.slug for n in found[page.slug]] == [slug for _, _, slug in brute]
        for neighbour in found[page.slug]:
            there = neighbour.page.source.village.location
            expected = independent_km(here.location.lat, here.location.lon, there.lat, there.lon)
            assert math.isclose(neighbour.km, expected, rel_tol=1e-9, abs_tol=1e-9)
