"""The machine-read files beside the pages: the villages as GeoJSON, the events as iCalendar, map settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli, village

from villagesite.ical import LINE_OCTETS, escape_text, fold

LONG_SUMMARY = "端午节（农历五月初五）在逢简的河涌上扒龙舟，" * 4


def event(title: str, start: str, *, extra: str = "") -> str:
    return f"---\ntitle: {title}\nstart: {start}\nvillage: fengjian\n{extra}---\n\n正文。\n"


def calendar_site() -> dict[str, str | bytes]:
    return {
        "content/villages/fengjian/index.md": village("逢简村", extra="county: 顺德区\ntown: 杏坛镇\n"),
        "content/villages/weilong/index.md": village("侨乡村", style="hakka", city="梅州市", lat=24.26, lon=116.0),
        "content/events/boat/index.md": event(
            "龙舟赛; 逢简, 杏坛", "2027-06-09", extra=f"end: 2027-06-10\nsummary: {LONG_SUMMARY}\ndate: 2026-12-01\n"
        ),
        "content/events/night/index.md": event(
            "夜游", "2027-02-01T19:30", extra="end: 2027-02-01T21:00\nlocation: {lat: 22.8, lon: 113.1}\n"
        ),
    }


def build(site, files: dict[str, str | bytes], *args: str) -> Path:
    root = site(files)
    result = run_cli("build", "--site", root, *args)
    assert result.code == 0, result.err
    return root / "output"


def unfold(data: bytes) -> list[str]:
    """Content lines of an iCalendar file, after checking its line breaks and lengths."""
    text = data.decode("utf-8")
    assert text.endswith("\r\n")
    raw = text[:-2].split("\r\n")
    assert all("\n" not in line and "\r" not in line for line in raw), "every line ends in CRLF"
    assert all(len(line.encode()) <= LINE_OCTETS for line in raw), "lines are folded at 75 octets"
    lines: list[str] = []
    for line in raw:
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    return lines


def events_of(lines: list[str]) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    for line in lines:
        if line == "BEGIN:VEVENT":
            found.append({})
        elif found and line != "END:VEVENT" and not line.startswith("END:"):
            name, _, value = line.partition(":")
            found[-1][name] = value
    return found


def test_villages_geojson_lists_every_village_in_wgs84_lon_lat(site):
    output = build(site, calendar_site(), "--base-url", "https://example.org/sub/")
    data = json.loads((output / "villages.geojson").read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    by_id = {feature["id"]: feature for feature in data["features"]}
    assert set(by_id) == {"fengjian", "weilong"}
    fengjian = by_id["fengjian"]
    assert fengjian["geometry"] == {"type": "Point", "coordinates": [113.15, 22.81]}
    props = fengjian["properties"]
    assert props["name"] == "逢简村" and props["style"] == "cantonese" and props["style_name"] == "广府"
    assert props["url"] == "https://example.org/sub/villages/fengjian/"
    assert props["county"] == "顺德区" and "ethnic_group" not in props


def test_events_ics_is_rfc5545_with_utc_times_and_whole_days(site):
    output = build(site, calendar_site(), "--base-url", "https://example.org/sub/")
    lines = unfold((output / "events.ics").read_bytes())
    assert lines[:2] == ["BEGIN:VCALENDAR", "VERSION:2.0"] and lines[-1] == "END:VCALENDAR"
    assert any(line.startswith("PRODID:") for line in lines)
    night, boat = events_of(lines)  # soonest first
    assert night["DTSTART"] == "20270201T113000Z" and night["DTEND"] == "20270201T130000Z"
    assert night["GEO"] == "22.800000;113.100000"
    assert boat["SUMMARY"] == "龙舟赛\\; 逢简\\, 杏坛"
    assert boat["DTSTART;VALUE=DATE"] == "20270609"
    assert boat["DTEND;VALUE=DATE"] == "20270611", "DTEND of whole days is the day after the last"
    assert boat["DTSTAMP"] == "20261130T160000Z", "from the page's date (China midnight), not the clock"
    assert boat["UID"] == "boat.events@example.org"
    assert boat["DESCRIPTION"] == escape_text(LONG_SUMMARY) + "\\nhttps://example.org/sub/events/boat/"
    assert boat["LOCATION"] == "广东省佛山市顺德区杏坛镇逢简村"
    assert boat["GEO"] == "22.810000;113.150000"
    assert boat["URL"] == "https://example.org/sub/events/boat/"


def test_calendar_and_map_data_are_the_same_bytes_every_build(site, tmp_path):
    output = build(site, calendar_site())
    first = {name: (output / name).read_bytes() for name in ("events.ics", "villages.geojson")}
    root = output.parent
    assert run_cli("build", "--site", root, "--clean").code == 0
    assert first == {name: (output / name).read_bytes() for name in first}


def test_no_events_no_calendar(site):
    output = build(site, {"content/villages/a/index.md": village("甲村")})
    assert not (output / "events.ics").exists()
    assert json.loads((output / "villages.geojson").read_text(encoding="utf-8"))["features"][0]["id"] == "a"


@pytest.mark.parametrize("line", ["A" * 200, "节" * 60, "DESCRIPTION:" + "a节" * 50])
def test_folding_never_splits_a_character(line: str):
    folded = fold(line).encode("utf-8")
    parts = folded.split(b"\r\n")
    assert all(len(part) <= LINE_OCTETS for part in parts)
    for part in parts:
        part.decode("utf-8")  # each line is whole UTF-8
    assert b"".join(p[1:] if i else p for i, p in enumerate(parts)).decode() == line


def test_map_settings_are_checked(site):
    root = site(
        {
            "site.yaml": "title: 测试\nmap:\n  tiles: https://tiles.example/{z}/{x}.png\n  datum: bd09\n  zoom: 3\n",
            "content/villages/a/index.md": village("甲村"),
        }
    )
    result = run_cli("check", "--site", root)
    assert result.code == 1
    err = result.err
    assert (
        "site.yaml:3: map.tiles: 'https://tiles.example/{z}/{x}.png' is not a tile address with {z}, {x} and {y}" in err
    )
    assert "map.attribution: is required with your own tiles" in err
    assert "site.yaml:4: map.datum: 'bd09' is not one of wgs84, gcj02" in err
    assert "site.yaml:5: map.zoom: is not a known field here (did you mean 'max_zoom'?)" in err


def test_each_event_has_its_own_calendar_file_to_add_it_in_one_tap(site, monkeypatch):
    monkeypatch.setenv("VILLAGESITE_TODAY", "2026-12-01")
    files = {**calendar_site(), "site.yaml": "title: 测试古村\nbase_url: https://example.org/\nlanguages: [zh-Hant]\n"}
    output = build(site, files)
    whole = {e["UID"]: e for e in events_of(unfold((output / "events.ics").read_bytes()))}
    alone = unfold((output / "events/boat/event.ics").read_bytes())
    (boat,) = events_of(alone)
    assert whole[boat["UID"]] == boat  # the same event: a calendar app that has both keeps one
    assert "X-WR-CALNAME:龙舟赛\\; 逢简\\, 杏坛" in alone
    page = (output / "events/boat/index.html").read_text(encoding="utf-8")
    assert 'href="/events/boat/event.ics" download>加入我的日历</a>' in page
    hant = (output / "zh-hant/events/boat/event.ics").read_bytes().decode()
    assert "SUMMARY:龍舟賽" in hant and "https://example.org/zh-hant/events/boat/" in hant.replace("\r\n ", "")


def test_past_events_are_marked_and_listed_after_the_coming_ones(site, monkeypatch):
    files = {
        **calendar_site(),
        "content/events/spring/index.md": event("春节游园", "2027-01-20"),
        "content/events/old/index.md": event("去年的龙舟赛", "2026-06-19", extra="end: 2026-06-20\n"),
        "content/events/older/index.md": event("前年的庙会", "2025-03-01"),
    }
    monkeypatch.setenv("VILLAGESITE_TODAY", "2027-01-25")
    output = build(site, files)
    listing = (output / "events/index.html").read_text(encoding="utf-8")
    order = [listing.index(f'href="/events/{slug}/"') for slug in ("night", "boat", "spring", "old", "older")]
    assert order == sorted(order)  # coming soonest first (night, boat), then past latest first
    past = listing.split('href="/events/spring/"')[1]
    assert past.count('<span class="badge badge-past">已结束</span>') == 3
    assert "已结束" not in listing.split('href="/events/spring/"')[0]
    page = (output / "events/old/index.html").read_text(encoding="utf-8")
    assert "这个活动已经结束" in page and "event.ics" not in page.split("</header>")[0]
    # On the fair's own day it is not over; the day after, the next build says so, though no file changed.
    monkeypatch.setenv("VILLAGESITE_TODAY", "2027-01-20")  # its day: not over yet
    earlier = build_again(output)
    assert '<span class="badge badge-past">已结束</span> 春节游园' not in earlier
    monkeypatch.setenv("VILLAGESITE_TODAY", "2027-01-25")
    assert '<span class="badge badge-past">已结束</span> 春节游园' in build_again(output)


def build_again(output: Path) -> str:
    result = run_cli("build", "--site", output.parent)
    assert result.code == 0, result.err
    return (output / "events/index.html").read_text(encoding="utf-8")
