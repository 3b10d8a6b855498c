"""Mistakes editors make: every one reported in one run, with path:line, field and a hint."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import photo_bytes, run_cli, snapshot, village


def test_check_reports_style_latitude_and_yaml_errors_together(site):
    root = site(
        {
            "content/villages/fengjian/index.md": village("逢简村").replace("style: cantonese", "style: cantonse"),
            "content/villages/shawan/index.md": village("沙湾古镇", lat=122.9),
            "content/villages/zili/index.md": "---\ntitle: 自力村\nsummary: [碉楼\n---\n",
        }
    )
    result = run_cli("check", "--site", root)
    assert result.code == 1
    assert result.err.splitlines() == [
        "content/villages/fengjian/index.md:3: style: 'cantonse' is not one of cantonese, hakka, teochew, minority"
        " (did you mean 'cantonese'?)",
        "content/villages/shawan/index.md:5: location.lat: 122.9 is out of range; expected a number from -90 to 90",
        "content/villages/zili/index.md:3: YAML syntax error: expected ',' or ']', but got '<stream end>'"
        " (a '[' or '{' is not closed; put quotes around text that starts with '[' or '{')",
        "3 errors",
    ]


def test_failed_build_leaves_previous_output_byte_for_byte(site):
    root = site({"content/villages/fengjian/index.md": village("逢简村")})
    assert run_cli("build", "--site", root).code == 0
    before = snapshot(root / "output")
    (root / "content/villages/fengjian/index.md").write_text(village("逢简村", lat=95), encoding="utf-8")
    result = run_cli("build", "--site", root)
    assert result.code == 1
    assert "location.lat: 95 is out of range" in result.err
    assert snapshot(root / "output") == before
    assert sorted(p.name for p in root.iterdir()) == [".villagesite-cache", "content", "output", "site.yaml"]


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param(
            {"site.yaml": "title: x\nimgaes:\n  quality: 80\n"},
            ["site.yaml:2: imgaes: is not a known field here (did you mean 'images'?)"],
            id="config-unknown-key",
        ),
        pytest.param(
            {"site.yaml": "title: x\nimages:\n  quality: high\n  widths: [480, 0]\n"},
            [
                "site.yaml:3: images.quality: expected a number from 1 to 100, got 'high'",
                "site.yaml:4: images.widths: '0' is not a width in pixels from 16 to 8192",
            ],
            id="config-bad-images",
        ),
        pytest.param(
            {"site.yaml": "title: x\nbase_url: villages/\n"},
            ["site.yaml:2: base_url: 'villages/' must start with '/' or 'https://' (did you mean '/villages/'?)"],
            id="config-relative-base-url",
        ),
        pytest.param(
            {"content/villages/a/index.md": "---\ntitle: 甲村\nstyle: minority\ncity: 清远市\nlocation: 河边\n---\n"},
            [
                "content/villages/a/index.md:1: summary: is required (text)",
                "content/villages/a/index.md:3: ethnic_group: is required when style is minority (e.g. 瑶族, 壮族, 畲族)",
                "content/villages/a/index.md:5: location: expected {lat, lon} in degrees, got '河边'"
                " (write it as 'location: {lat: 22.81, lon: 113.15}')",
            ],
            id="village-missing-and-wrong-fields",
        ),
        pytest.param(
            {
                "content/villages/a/index.md": village("甲村", extra="cover: {src: front.jpg, alt: 正门}\n"),
                "content/villages/a/fornt.jpg": photo_bytes(),
            },
            [
                "content/villages/a/index.md:7: cover.src: image 'front.jpg' is not in the page's folder (did you mean 'fornt.jpg'?)"
            ],
            id="missing-cover",
        ),
        pytest.param(
            {
                "content/villages/shawan/index.md": village("沙湾"),
                "content/stories/s/index.md": "---\ntitle: 故事\ndate: 2026-05-01\nsummary: 一个故事。\nvillages: [shawn]\n---\n",
            },
            ["content/stories/s/index.md:5: villages[0]: there is no village 'shawn' (did you mean 'shawan'?)"],
            id="story-names-unknown-village",
        ),
        pytest.param(
            {"content/events/e/index.md": "---\ntitle: 龙舟\nstart: 2027-13-01\n---\n"},
            [
                "content/events/e/index.md:1: village: is required (text)",
                "content/events/e/index.md:3: start: expected an ISO date such as 2026-05-01 or 2026-05-01T09:30, got '2027-13-01'",
            ],
            id="event-bad-date",
        ),
        pytest.param(
            # As `villagesite new event` leaves it: the field is written, empty, with its comment.
            {"content/events/e/index.md": '---\ntitle: 龙舟\nstart: 2027-06-01\nvillage: ""  # 在哪个古村\n---\n'},
            ["content/events/e/index.md:4: village: is required (text)"],
            id="event-village-left-empty",
        ),
        pytest.param(
            {
                "content/villages/a/index.md": village("逢简村"),
                "content/villages/b/index.md": village("沙湾", extra="slug: a\n"),
            },
            [
                "content/villages/b/index.md:7: slug: the URL slug 'a' is also used by content/villages/a/index.md"
                " (give one of them another 'slug:')"
            ],
            id="slug-collision",
        ),
        pytest.param(
            {"content/villages/a/index.md": "title: 甲村\n"},
            [
                "content/villages/a/index.md:1: the file does not start with front matter"
                " (the first line must be '---', then fields such as 'title: 逢简村', then '---')"
            ],
            id="no-front-matter",
        ),
        pytest.param(
            {"content/villages/a/index.md": "---\ntitle: 甲村\n\tstyle: hakka\n---\n"},
            [
                "content/villages/a/index.md:3: YAML syntax error: found character '\\t' that cannot start any token"
                " (indent with spaces, not tabs)"
            ],
            id="tab-indent",
        ),
        pytest.param(
            {"content/villages/a.md": village("甲村")},
            ["content/villages/a.md: a village needs a folder of its own (move it to content/villages/a/index.md)"],
            id="village-not-in-folder",
        ),
    ],
)
def test_invalid_sites_get_exact_messages(site, files, expected):
    root = site(files)
    result = run_cli("check", "--site", root)
    assert result.code == 1
    assert result.err.splitlines()[:-1] == expected


def test_gbk_file_is_named_with_a_fix(site):
    root = site({"content/villages/a/index.md": village("逢简村").encode("gbk")})
    result = run_cli("check", "--site", root)
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        "content/villages/a/index.md:2: the file is not UTF-8; it looks like GBK/GB18030, as older editors save Chinese"
        " (run: villagesite fix-encoding content/villages/a/index.md (it converts the file and keeps the original),"
        " or save it in your editor with the encoding 'UTF-8')"
    )


def test_bom_and_crlf_just_work(site):
    text = village("逢简村").replace("\n", "\r\n")
    root = site({"content/villages/a/index.md": b"\xef\xbb\xbf" + text.encode("utf-8")})
    assert run_cli("check", "--site", root).code == 0
    assert run_cli("build", "--site", root).code == 0
    assert "逢简村的简介。" in (root / "output/villages/a/index.html").read_text(encoding="utf-8")


def test_typo_in_field_name_is_a_warning_with_suggestion(site):
    root = site({"content/villages/a/index.md": village("逢简村", extra="titel: 逢简\n")})
    result = run_cli("check", "--site", root)
    assert result.code == 0
    assert (
        "content/villages/a/index.md:7: titel: is not a known field; it is kept for the theme (did you mean 'title'?) [warning]"
        in result.err
    )


def test_missing_site_yaml_says_what_to_do(tmp_path: Path):
    result = run_cli("build", "--site", tmp_path)
    assert result.code == 1
    assert (
        "there is no site.yaml here (run 'villagesite init DIR' to start a new site, or pass --site DIR)" in result.err
    )
    assert "Traceback" not in result.err


def test_unknown_theme_lists_the_available_ones(site):
    root = site({"site.yaml": "title: x\ntheme: lingnan\n", "content/villages/a/index.md": village()})
    result = run_cli("build", "--site", root)
    assert result.code == 1
    assert result.err.startswith("site.yaml: theme: there is no theme 'lingnan' (themes found: default)")


def test_output_folder_not_made_by_villagesite_is_never_replaced(site, tmp_path: Path):
    root = site({"content/villages/a/index.md": village()})
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "thesis.txt").write_text("do not delete")
    result = run_cli("build", "--site", root, "--output", precious)
    assert result.code == 1
    assert "this folder was not made by villagesite" in result.err
    assert (precious / "thesis.txt").read_text() == "do not delete"


def test_output_cannot_be_the_content_folder(site):
    root = site({"content/villages/a/index.md": village()})
    result = run_cli("build", "--site", root, "--output", root / "content")
    assert result.code == 1
    assert "cannot be the site folder or inside content/" in result.err
    assert (root / "content/villages/a/index.md").exists()


def test_interrupted_swap_is_recovered(site):
    root = site({"content/villages/a/index.md": village()})
    assert run_cli("build", "--site", root).code == 0
    before = snapshot(root / "output")
    (root / "output").rename(root / "output.old")  # as if the process died between the two renames
    (root / ".output.building-999999").mkdir()  # a build that died
    assert run_cli("build", "--site", root).code == 0
    assert snapshot(root / "output") == before
    assert sorted(p.name for p in root.iterdir()) == [".villagesite-cache", "content", "output", "site.yaml"]
