"""The editor's path through the command line: init, new, check, build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml
from conftest import run_cli, village


def test_init_makes_a_site_that_builds_at_once(tmp_path: Path):
    result = run_cli("init", tmp_path / "mysite")
    assert result.code == 0
    root = tmp_path / "mysite"
    checked = run_cli("check", "--site", root)
    # It builds; what is left to write is said, as warnings (the sample village, the description).
    assert checked.code == 0 and checked.out == "No errors.\n"
    assert all(line.endswith("[warning]") for line in checked.err.splitlines()[:-1])
    assert checked.err.splitlines()[-1] == "3 warnings"
    assert run_cli("build", "--site", root).code == 0
    page = (root / "output/villages/sample/index.html").read_text(encoding="utf-8")
    assert "示例古村" in page
    assert [p.name.split(".")[0] for p in (root / "output/img").glob("*.jpg")] == ["cover"] * 4  # and its share card
    assert (root / ".gitignore").read_text().startswith("output/")


def test_init_refuses_a_folder_with_a_site(tmp_path: Path):
    assert run_cli("init", tmp_path / "s").code == 0
    again = run_cli("init", tmp_path / "s")
    assert again.code == 1
    assert "a site already exists here" in again.err


def test_new_village_from_a_chinese_name_is_a_valid_draft(tmp_path: Path):
    run_cli("init", tmp_path / "s")
    root = tmp_path / "s"
    result = run_cli("new", "village", "逢简村", "--site", root)
    assert result.code == 0
    assert result.out == "Created content/villages/feng-jian-cun/index.md (a draft: set draft: false to publish it)\n"
    text = (root / "content/villages/feng-jian-cun/index.md").read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---")[1])
    assert front["title"] == "逢简村" and front["draft"] is True
    assert "# cantonese 广府 | hakka 客家 | teochew 潮汕 | minority 少数民族" in text
    assert run_cli("check", "--site", root).code == 0
    assert run_cli("build", "--site", root).code == 0
    assert not (root / "output/villages/feng-jian-cun").exists()
    assert run_cli("build", "--site", root, "--drafts").code == 0
    assert (root / "output/villages/feng-jian-cun/index.html").exists()


def test_new_story_and_event_scaffolds(tmp_path: Path):
    run_cli("init", tmp_path / "s")
    root = tmp_path / "s"
    assert run_cli("new", "story", "瑶寨的耍歌堂", "--site", root).code == 0
    assert run_cli("new", "event", "龙舟赛", "--site", root).code == 0
    story = yaml.safe_load((root / "content/stories/yao-zhai-de-shua-ge-tang/index.md").read_text().split("---")[1])
    assert story["title"] == "瑶寨的耍歌堂" and story["villages"] == []
    checked = run_cli("check", "--site", root)
    # The event must name its village: the scaffold leaves that to the editor, and check says so.
    errors = [line for line in checked.err.splitlines() if not line.endswith("[warning]")]
    assert errors == [
        "content/events/long-zhou-sai/index.md:6: village: is required (text)",  # the scaffold's empty line
        "1 error, 3 warnings",  # the sample village and description: drafts' samples are not warned about
    ]


def test_new_place_names_its_village_and_kind_and_builds(tmp_path: Path):
    run_cli("init", tmp_path / "s")
    root = tmp_path / "s"
    result = run_cli("new", "place", "陈记农家乐", "--village", "sample", "--kind", "restaurant", "--site", root)
    assert result.code == 0, result.err
    text = (root / "content/places/chen-ji-nong-jia-le/index.md").read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---")[1])
    assert (front["title"], front["kind"], front["village"], front["draft"]) == (
        "陈记农家乐",
        "restaurant",
        "sample",
        True,
    )
    assert "# homestay 民宿 | restaurant 农家菜馆" in text
    assert run_cli("check", "--site", root).code == 0
    assert run_cli("build", "--site", root, "--drafts").code == 0
    assert "陈记农家乐" in (root / "output/villages/sample/index.html").read_text(encoding="utf-8")
    wrong = run_cli("new", "place", "别家", "--village", "sampel", "--site", root)
    assert wrong.code == 1 and "--village: there is no village 'sampel' (did you mean 'sample'?)" in wrong.err
    assert not (root / "content/places/bie-jia").exists()


def test_new_refuses_an_existing_page(tmp_path: Path):
    run_cli("init", tmp_path / "s")
    result = run_cli("new", "village", "sample", "--site", tmp_path / "s")
    assert result.code == 1
    assert "content/villages/sample: already exists" in result.err


def test_python_m_villagesite_runs_the_cli(site):
    root = site({"content/villages/a/index.md": village()})
    done = subprocess.run(
        [sys.executable, "-m", "villagesite", "check", "--site", str(root)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "No problems found.\n"


def test_no_command_prints_help():
    result = run_cli()
    assert result.code == 2
    assert "build" in result.out and "check" in result.out


def test_check_writes_nothing_not_even_qr_codes_to_the_cache(site, tmp_path, monkeypatch):
    monkeypatch.setenv("VILLAGESITE_CACHE_DIR", str(tmp_path / "cache"))
    root = site(
        {
            "site.yaml": "title: 测试古村\nbase_url: https://villages.example.org/\n",
            "content/villages/fengjian/index.md": village("逢简村"),
        }
    )
    assert run_cli("check", "--site", root).code == 0
    assert not (tmp_path / "cache" / "qr").exists() and not (root / "output").exists()
    assert run_cli("build", "--site", root).code == 0
    assert (root / "output/villages/fengjian/qr.svg").is_file()
