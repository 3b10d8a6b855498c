"""Nearest neighbours found by the latitude sweep are exactly the nearest of all pairs."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from villagesite.listings import NEIGHBOURS, _km, neighbours

points = st.lists(
    st.tuples(st.floats(20.0, 26.0), st.floats(109.0, 118.0), st.sampled_from(["cantonese", "hakka"])),
    min_size=1,
    max_size=40,
)


def fake_page(index: int, lat: float, lon: float, style: str) -> SimpleNamespace:
    village = SimpleNamespace(location=SimpleNamespace(lat=lat, lon=lon), style=SimpleNamespace(key=style))
    return SimpleNamespace(slug=f"v{index}", sort_key=(f"v{index:03d}", ""), source=SimpleNamespace(village=village))


@settings(max_examples=200, deadline=None)
@given(points)
def test_sweep_matches_all_pairs(coordinates):
    pages = [fake_page(i, lat, lon, style) for i, (lat, lon, style) in enumerate(coordinates)]
    found = neighbours(pages)
    for page in pages:
        here = page.source.village
        brute = sorted(
            (
                (
                    _km(
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
