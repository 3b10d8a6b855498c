"""`villagesite fix-encoding`: pages saved as GBK or Big5 by old editors become UTF-8, originals kept."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli, village, write_site

from villagesite.build import build
from villagesite.config import load_config
from villagesite.recode import guess_encoding

SIMPLIFIED = village("逢简村", body="逢简村在佛山市顺德区杏坛镇，是珠三角保存较好的水乡，石桥和祠堂沿河涌排开。")
TRADITIONAL = (
    "---\ntitle: 逢簡村\nstyle: cantonese\ncity: 佛山市\nlocation: {lat: 22.81, lon: 113.15}\n"
    "summary: 順德的水鄉古村。\n---\n\n逢簡村在佛山市順德區杏壇鎮，是珠三角保存較好的水鄉，石橋和祠堂沿河涌排開。\n"
)


def test_the_encoding_is_told_by_what_the_text_reads_like():
    assert guess_encoding(SIMPLIFIED.encode("gb18030")) == "gb18030"
    assert guess_encoding(SIMPLIFIED.encode("gbk")) == "gb18030"
    assert guess_encoding(TRADITIONAL.encode("big5")) == "big5hkscs"
    assert guess_encoding(TRADITIONAL.encode("gb18030")) == "gb18030"  # Traditional saved by a mainland editor
    assert guess_encoding(bytes(range(128, 256)) * 4) is None


def test_a_gbk_page_is_named_then_fixed_and_the_site_builds(tmp_path: Path):
    root = write_site(tmp_path / "site", {"content/villages/fengjian/index.md": SIMPLIFIED.encode("gbk")})
    checked = run_cli("check", "--site", root)
    assert checked.code == 1
    assert "content/villages/fengjian/index.md" in checked.err and "GBK/GB18030" in checked.err
    assert "villagesite fix-encoding content/villages/fengjian/index.md" in checked.err

    page = root / "content/villages/fengjian/index.md"
    fixed = run_cli("fix-encoding", page)
    assert fixed.code == 0, fixed.err
    assert "converted from GBK/GB18030 to UTF-8" in fixed.out and "index.md.gb18030.bak" in fixed.out
    assert page.read_text(encoding="utf-8") == SIMPLIFIED
    assert (page.parent / "index.md.gb18030.bak").read_bytes() == SIMPLIFIED.encode("gbk")

    report = build(load_config(root))  # the backup is not published, and not warned about
    assert not report.warnings
    assert not list((root / "output").rglob("*.bak"))


def test_a_folder_is_converted_file_by_file_and_utf8_files_are_left_alone(tmp_path: Path):
    root = write_site(
        tmp_path / "site",
        {
            "content/villages/a/index.md": TRADITIONAL.encode("big5"),
            "content/villages/b/index.md": SIMPLIFIED,
        },
    )
    before = (root / "content/villages/b/index.md").stat().st_mtime_ns
    fixed = run_cli("fix-encoding", root / "content")
    assert fixed.code == 0, fixed.err
    assert "villages/a/index.md: converted from Big5 to UTF-8" in fixed.out
    assert "1 file converted to UTF-8." in fixed.out
    assert (root / "content/villages/a/index.md").read_text(encoding="utf-8") == TRADITIONAL
    assert (root / "content/villages/b/index.md").stat().st_mtime_ns == before
    again = run_cli("fix-encoding", root / "content")
    assert again.code == 0 and "All 2 files are UTF-8 already." in again.out


def test_a_file_in_no_known_encoding_is_reported_not_touched(tmp_path: Path):
    odd = tmp_path / "odd.md"
    odd.write_bytes(bytes(range(128, 256)) * 4)
    result = run_cli("fix-encoding", odd, tmp_path / "missing.md")
    assert result.code == 1
    assert "odd.md: the file is not UTF-8, and not GBK/GB18030 or Big5 either" in result.err
    assert "missing.md: there is no such file or folder" in result.err
    assert odd.read_bytes() == bytes(range(128, 256)) * 4
    assert not list(tmp_path.glob("*.bak"))
