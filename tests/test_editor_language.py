"""The tool speaks its editors' language: every command, run as a Chinese editor's terminal runs it.

The language is ``--lang``, then ``VILLAGESITE_LANG``, then the locale (``LANG``…), then the site's
``language``; the conftest sets ``VILLAGESITE_LANG=en`` for the rest of the suite, so these tests clear it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import run_cli, village, write_site

from villagesite.cli import main
from villagesite.preview import server as server_module
from villagesite.preview.server import PreviewServer

HAN = re.compile(r"[\u4e00-\u9fff]")
BAD_STYLE = village("逢简村", style="cantonse")


@pytest.fixture
def chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    """A mainland editor's terminal: LANG=zh_CN.UTF-8, nothing else set."""
    for name in ("VILLAGESITE_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")


def chinese_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if HAN.search(line)]


def test_check_reports_in_chinese_at_the_right_line(tmp_path: Path, chinese):
    root = write_site(tmp_path / "site", {"content/villages/fengjian/index.md": BAD_STYLE})
    result = run_cli("check", "--site", root)
    assert result.code == 1
    line = next(x for x in result.err.splitlines() if x.startswith("content/villages/fengjian/index.md:3: style: "))
    assert "“cantonse”" in line or "'cantonse'" in line
    assert HAN.search(line) and "is not one of" not in line
    assert "cantonese" in line  # the value to write stays as YAML wants it
    assert result.err.splitlines()[-1] == "1 个错误"


def test_build_summarises_in_chinese_and_says_what_to_upload(tmp_path: Path, chinese):
    root = write_site(tmp_path / "site", {"content/villages/fengjian/index.md": village()})
    result = run_cli("build", "--site", root)
    assert result.code == 0, result.err
    assert "已生成 1 个村落" in result.out
    assert "output/" in result.out and "上传" in result.out and "docs/publish.md" in result.out
    assert not re.search(r"\bBuilt\b|\bphotos\b|\bwritten\b", result.out)


def test_new_and_init_speak_chinese_and_init_points_to_serve(tmp_path: Path, chinese):
    made = run_cli("init", tmp_path / "mysite")
    assert made.code == 0, made.err
    assert chinese_lines(made.out) and "villagesite serve" in made.out and "output/index.html" not in made.out
    added = run_cli("new", "village", "逢简村", "--site", tmp_path / "mysite")
    assert added.code == 0, added.err
    assert "content/villages/feng-jian-cun/index.md" in added.out and "草稿" in added.out
    again = run_cli("new", "village", "逢简村", "--site", tmp_path / "mysite")
    assert again.code == 1 and "content/villages/feng-jian-cun: 已经存在" in again.err


def test_help_and_usage_errors_are_in_chinese(chinese, capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    help_text = capsys.readouterr().out
    assert "用法" in help_text and "预览" in help_text and "--lang" in help_text
    with pytest.raises(SystemExit):
        main(["build", "--output"])
    error = capsys.readouterr().err
    assert "用法" in error and "--output" in error and HAN.search(error.splitlines()[-1])


def test_the_language_option_wins_over_the_locale(tmp_path: Path, chinese):
    root = write_site(tmp_path / "site", {"content/villages/fengjian/index.md": BAD_STYLE})
    english = run_cli("check", "--site", root, "--lang", "en")
    assert "is not one of cantonese" in english.err and not chinese_lines(english.err)
    traditional = run_cli("check", "--site", root, "--lang=zh-Hant")
    assert traditional.err.splitlines()[-1] == "1 個錯誤"


def test_a_locale_of_no_language_leaves_the_choice_to_the_site(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("VILLAGESITE_LANG")
    monkeypatch.setenv("LANG", "C.UTF-8")
    root = write_site(
        tmp_path / "site",
        {"site.yaml": "title: 古村\nbase_url: /\nlanguage: zh-Hant\n", "content/villages/fengjian/index.md": BAD_STYLE},
    )
    result = run_cli("check", "--site", root)
    assert result.err.splitlines()[-1] == "1 個錯誤"  # a Hong Kong site's editors read Traditional


def test_the_preview_terminal_speaks_chinese(tmp_path: Path, chinese, monkeypatch):
    root = write_site(
        tmp_path / "site",
        {"content/villages/fengjian/index.md": village(body="见[不存在的村](../nowhere/)。")},
    )
    monkeypatch.setenv("VILLAGESITE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(PreviewServer, "run", lambda self: [sock.close() for sock in self._sockets])
    monkeypatch.setattr(server_module, "lan_address", lambda: "127.0.0.2")  # an address this machine has
    result = run_cli("serve", "--site", root, "--port", "0", "--lan")
    assert result.code == 0, result.err
    assert "content/villages/fengjian/index.md:9: body: " in result.out  # the broken link, at its line
    assert len(chinese_lines(result.out)) >= 3
    assert "http://127.0.0.2:" in result.out
