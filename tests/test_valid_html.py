"""Every page of the example site is valid HTML, as the W3C's Nu HTML checker (vnu) reads it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from checkers import nu_checker
from conftest import build_example_site

PUBLIC_URL = "https://villages.example.org/sub/"  # a host, so that pages carry their QR codes


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_example_site(tmp_path_factory, PUBLIC_URL)


def test_every_page_of_the_example_site_is_valid_html(built: Path):
    pages = sorted(built.rglob("*.html"))
    assert len(pages) > 80, "every page kind is built"
    done = subprocess.run(
        [*nu_checker(), "--format", "json", "--skip-non-html", str(built)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    # vnu writes its report to stderr. Errors and warnings alike fail, each named with its page and line.
    assert done.stderr.startswith("{"), done.stderr
    messages = json.loads(done.stderr)["messages"]
    problems = [
        f"{m.get('url', '').removeprefix('file:' + str(built) + '/')}:{m.get('lastLine', '?')}: "
        f"{m.get('subType', m['type'])}: {m['message']}  [{m.get('extract', '').strip()}]"
        for m in messages
        if m["type"] != "info" or m.get("subType") == "warning"
    ]
    assert problems == [], "\n".join(problems)
    assert done.returncode == 0, done.stderr
