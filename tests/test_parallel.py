"""Work spread over forked processes gives the same site, and the same messages, as one process."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SITE_YAML, run_cli, snapshot, village

from villagesite import parallel, readings
from villagesite.sealed import read_sealed


def many_villages(count: int = 30) -> dict[str, str | bytes]:
    return {
        f"content/villages/v{i:02d}/index.md": village(
            f"村{i}", lat=22 + i / 100, body=f"## 历史\n\n见[下一村](../v{(i + 1) % count:02d}/)。"
        )
        for i in range(count)
    }


@pytest.fixture
def forked(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    assert parallel.workers_for(30) > 1 or (parallel.os.cpu_count() or 1) == 1


@pytest.mark.parametrize("editions", ["", "languages: [zh-Hant]\n"], ids=["one edition", "with zh-Hant"])
def test_forked_build_equals_a_single_process_build(site, tmp_path: Path, monkeypatch, editions: str):
    """The search index is made in this process while the workers render: the same files either way."""
    root = site({**many_villages(), "site.yaml": SITE_YAML + editions})
    assert parallel.workers_for(30) == 1  # at the real threshold, 30 pages stay in one process
    assert run_cli("build", "--site", root, "--output", tmp_path / "one").code == 0
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    assert parallel.workers_for(30) > 1 or (parallel.os.cpu_count() or 1) == 1
    assert run_cli("build", "--site", root, "--output", tmp_path / "many", "--clean").code == 0
    made = snapshot(tmp_path / "many")
    assert snapshot(tmp_path / "one") == made
    assert any(rel.startswith("search/") for rel in made)
    if editions:
        assert any(rel.startswith("zh-hant/search/") for rel in made)


def test_template_error_in_a_worker_keeps_its_message(site, forked):
    files = many_villages()
    files["site.yaml"] = "title: 测试古村\ntheme: broken\n"
    files["themes/broken/templates/village.html"] = (
        '{% extends "default:village.html" %}\n{% block content %}{{ page.nope }}{% endblock %}\n'
    )
    root = site(files)
    result = run_cli("build", "--site", root)
    assert result.code == 1
    assert result.err.splitlines()[0].startswith("themes/broken/templates/village.html:2: template error: ")
    assert "while rendering content/villages/v00/index.md" in result.err


def test_names_said_on_pages_rendered_in_workers_are_kept_for_the_next_build(site, forked, monkeypatch):
    """Workers cannot hand back what they read: the names are read before they fork, so that the next
    build finds them and does not load ToJyutping (a second) again."""
    monkeypatch.setattr(readings, "_memo", {table: {} for table in readings.TABLES})
    root = site(many_villages())
    assert run_cli("build", "--site", root).code == 0
    kept = read_sealed(root / ".villagesite-cache/readings.json", readings.FILE_VERSION)
    assert kept is not None
    assert {"广东省", "佛山市", "村"} <= set(kept["tables"]["jyutping"])  # the Cantonese villages' facts
    assert {"广东省", "佛山市", "村"} <= set(kept["tables"]["pinyin-marks"])


def test_every_editions_names_are_read_before_the_workers_fork(site, forked, monkeypatch):
    """The Traditional edition's names (its own characters, Jyutping first) are read with the original's,
    in one pass before the workers fork, and kept for the next build."""
    monkeypatch.setattr(readings, "_memo", {table: {} for table in readings.TABLES})
    root = site({**many_villages(), "site.yaml": SITE_YAML + "languages: [zh-Hant]\n"})
    assert run_cli("build", "--site", root).code == 0
    kept = read_sealed(root / ".villagesite-cache/readings.json", readings.FILE_VERSION)
    assert kept is not None
    for table in ("jyutping", "pinyin-marks"):
        assert {"广东省", "廣東省", "佛山市"} <= set(kept["tables"][table])
