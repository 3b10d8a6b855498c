"""The practical facts a visitor checks before going (issue 17): in the facts box, checked, in each edition."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli, village, without_readings

PRACTICAL = """visit:
  tips: 带伞。
  time_needed: 3
  best_season: 春秋两季
  parking: 村口有停车场，节假日常满
  toilets: true
  accessibility: {wheelchair: partly, note: 石桥有台阶}
"""


def facts(root: Path, rel: str) -> str:
    html = (root / "output" / rel).read_text(encoding="utf-8")
    return without_readings(html.split('<section class="facts"')[1].split("</section>")[0])


def test_the_facts_box_shows_time_season_parking_toilets_and_access(site):
    root = site(
        {
            "site.yaml": "title: 测试古村\nlanguages: [zh-Hant, en]\n",
            "content/villages/fengjian/index.md": village(extra=PRACTICAL),
            "content/villages/fengjian/index.en.md": (
                "---\ntitle: Fengjian Village\nsummary: A water town.\nvisit:\n  best_season: Spring and autumn\n"
                "  parking: A car park at the village gate\n  accessibility: {note: The stone bridges have steps}\n---\n\nBody.\n"
            ),
        }
    )
    result = run_cli("build", "--site", root)
    assert result.code == 0, result.err
    box = facts(root, "villages/fengjian/index.html")
    assert "<dt>建议游览</dt><dd>约 3 小时</dd>" in box
    assert "<dt>最佳季节</dt><dd>春秋两季</dd>" in box
    assert "<dt>停车</dt><dd>村口有停车场，节假日常满</dd>" in box
    assert "<dt>公厕</dt><dd>有公厕</dd>" in box
    assert '轮椅部分可通行</span><span class="access-note">石桥有台阶</span>' in box
    hant = facts(root, "zh-hant/villages/fengjian/index.html")
    assert "<dt>建議遊覽</dt><dd>約 3 小時</dd>" in hant and "輪椅部分可通行" in hant and "<dt>泊車</dt>" in hant
    english = facts(root, "en/villages/fengjian/index.html")
    assert "<dt>Time to allow</dt><dd>About 3 hours</dd>" in english
    assert "<dt>Best time to go</dt><dd>Spring and autumn</dd>" in english
    assert 'Partly wheelchair accessible</span><span class="access-note">The stone bridges have steps</span>' in english
    assert "<dt>Toilets</dt><dd>Public toilets</dd>" in english


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("time_needed: 1", "<dt>建议游览</dt><dd>约 1 小时</dd>"),
        ("time_needed: 0.5", "<dt>建议游览</dt><dd>约 0.5 小时</dd>"),
        ("time_needed: 两天一夜", "<dt>建议游览</dt><dd>两天一夜</dd>"),
        ("toilets: false", "<dt>公厕</dt><dd>村内没有公厕，请提前准备</dd>"),
        ("toilets: 祠堂旁", "<dt>公厕</dt><dd>祠堂旁</dd>"),
        ("accessibility: {wheelchair: no}", '<span class="access access-no">轮椅难以通行</span></dd>'),
        ("accessibility: {wheelchair: 可以}", '<span class="access access-yes">轮椅可通行</span></dd>'),
        ("accessibility: 村道平整", '<dd><span class="access-note">村道平整</span></dd>'),
    ],
)
def test_each_practical_fact_is_written_as_an_editor_would(site, written: str, shown: str):
    root = site({"content/villages/fengjian/index.md": village(extra=f"visit:\n  {written}\n")})
    result = run_cli("build", "--site", root)
    assert result.code == 0, result.err
    assert shown in facts(root, "villages/fengjian/index.html")


def test_a_village_without_practical_facts_shows_none_of_their_labels(site):
    root = site({"content/villages/fengjian/index.md": village(extra="visit:\n  tips: 带伞。\n")})
    assert run_cli("build", "--site", root).code == 0
    box = facts(root, "villages/fengjian/index.html")
    assert "建议游览" not in box and "公厕" not in box and "无障碍" not in box


@pytest.mark.parametrize(
    ("written", "field", "expected"),
    [
        ("time_needed: 0", "visit.time_needed", "0 is out of range; expected a number from 0.5 to 72"),
        ("time_needed: [1, 2]", "visit.time_needed", "expected hours (a number such as 3) or words (一天), got a list"),
        ("toilets: 3", "visit.toilets", "expected true, false or where they are (村口停车场旁), got '3'"),
        ("accessibility: {wheelchair: sometimes}", "visit.accessibility.wheelchair", "'sometimes' is not one of"),
        ("accessibility: {steps: many}", "visit.accessibility.steps", ""),
        ("parking_lot: 有", "visit.parking_lot", ""),
    ],
)
def test_a_bad_practical_fact_is_an_error_at_its_line(site, written: str, field: str, expected: str):
    root = site({"content/villages/fengjian/index.md": village(extra=f"visit:\n  tips: 带伞。\n  {written}\n")})
    result = run_cli("check", "--site", root)
    assert result.code == 1
    line = next(x for x in result.err.splitlines() if f": {field}" in x)
    assert line.startswith(f"content/villages/fengjian/index.md:9: {field}"), line
    assert expected in line
