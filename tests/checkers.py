"""The checkers behind the quality-bar tests, from npm: axe-core and the Nu HTML checker.

``package.json`` pins both and ``npm ci --ignore-scripts`` installs them into
``node_modules/`` (``.ci/run`` does). axe-core is injected into headless
Chromium; the Nu checker (the ``vnu-jar`` package) runs on a Java runtime. A
test that needs a missing one is skipped, except in CI, where that is an error.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import NoReturn

import pytest

REPO = Path(__file__).resolve().parent.parent
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
INSTALL = "npm ci --ignore-scripts (in the repository; .ci/run does it)"


def _missing(what: str) -> NoReturn:
    if os.environ.get("CI"):
        pytest.fail(f"CI must run this test, but {what}")
    pytest.skip(what)


def axe_script() -> Path:
    """axe-core's browser build, or skip (fail in CI) when it is not installed."""
    if not AXE.is_file():
        _missing(f"axe-core is not installed: {INSTALL}")
    return AXE


def nu_checker() -> list[str]:
    """The command that runs the Nu HTML checker, or skip (fail in CI) when it or Java is missing."""
    if not VNU.is_file():
        _missing(f"the Nu HTML checker (vnu-jar) is not installed: {INSTALL}")
    java = shutil.which("java")
    if java is None:
        _missing("the Nu HTML checker needs a Java runtime: apt-get install default-jre-headless")
    return [str(java), "-jar", str(VNU)]
