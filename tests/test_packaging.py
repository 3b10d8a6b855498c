"""The wheel carries the shipped themes and scaffolds, so a pip-installed villagesite builds a site anywhere."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def test_wheel_contains_themes_and_scaffolds(tmp_path: Path):
    pytest.importorskip("hatchling", reason="hatchling is in the test extras")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    wheel = next(tmp_path.glob("villagesite-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {
        f"villagesite/themes/default/{p.relative_to(REPO / 'themes/default').as_posix()}"
        for p in (REPO / "themes/default").rglob("*")
        if p.is_file()
    }
    assert shipped <= names
    assert "villagesite/themes/default/templates/village.html" in names
    assert "villagesite/scaffolds/village.md" in names
    assert "villagesite/preview_client.js" in names  # the preview's page script
    # Data the build reads: Guangdong's place names in Traditional, and search's folding table.
    assert {"villagesite/data/traditional-phrases.yaml", "villagesite/data/search-folding.txt"} <= names
    # The editors' messages, compiled: the installed tool speaks Chinese without Babel.
    assert {
        "villagesite/locale/zh_Hans/LC_MESSAGES/villagesite.mo",
        "villagesite/locale/zh_Hant/LC_MESSAGES/villagesite.mo",
    } <= names
    assert not any(name.startswith(("content/", "tests/", "output/")) for name in names)
