"""Simplified to Traditional Chinese: OpenCC's Hong Kong standard with Guangdong's place names kept."""

from __future__ import annotations

import pytest

from villagesite.traditional import Traditional, shipped_phrases


@pytest.fixture(scope="module")
def hk() -> Traditional:
    return Traditional("hk")


@pytest.mark.parametrize(
    ("simplified", "traditional"),
    [
        # Place names OpenCC alone gets wrong (鬆口, 範和, 裏水): kept as places write them.
        ("梅县松口镇的古民居", "梅縣松口鎮的古民居"),
        ("惠东范和村", "惠東范和村"),
        ("南海里水镇", "南海里水鎮"),
        ("普宁里湖镇", "普寧里湖鎮"),
        ("涌口与涌边的榕树", "涌口與涌邊的榕樹"),
        # Foods: ginger (薑), not the surname (姜); made (製) of milk.
        ("顺德姜撞奶", "順德薑撞奶"),
        ("奶制甜品", "奶製甜品"),
        ("干蒸烧卖", "乾蒸燒賣"),
        # What OpenCC already does right stays right.
        ("广府建筑", "廣府建築"),
        ("河涌纵横", "河涌縱橫"),
        ("头发与出发", "頭髮與出發"),
        ("村子的面积", "村子的面積"),
        ("天后宫后来重修", "天后宮後來重修"),
        ("乾隆年间", "乾隆年間"),
        ("这里", "這裏"),  # Hong Kong writes 裏
        # Latin text, numbers and punctuation pass as they are.
        ("Fengjian 逢简村 1368 年，“水乡”", "Fengjian 逢簡村 1368 年，“水鄉”"),
        ("", ""),
        ("plain ASCII", "plain ASCII"),
    ],
)
def test_hong_kong_standard_with_guangdong_place_names(hk: Traditional, simplified: str, traditional: str):
    assert hk.convert(simplified) == traditional


def test_taiwan_standard_is_the_other_choice():
    tw = Traditional("tw")
    assert tw.convert("这里是松口镇") == "這裡是松口鎮"


def test_a_site_adds_phrases_and_its_own_win_over_the_shipped_ones():
    converter = Traditional("hk", {"松口": "鬆口", "汤坑": "湯坑"})
    assert converter.convert("松口镇") == "鬆口鎮"  # the site's word, even against the shipped list
    assert converter.convert("范和村") == "范和村"  # the shipped list still applies
    assert converter.convert("汤坑镇") == "湯坑鎮"


def test_the_longest_phrase_is_taken_first():
    assert Traditional("hk").convert("干蒸烧卖和干蒸") == "乾蒸燒賣和乾蒸"


def test_every_shipped_phrase_converts_to_what_the_list_says():
    converter = Traditional("hk")
    for simplified, traditional in shipped_phrases().items():
        assert converter.convert(simplified) == traditional
        assert converter.convert(f"在{simplified}。") == f"在{traditional}。"
