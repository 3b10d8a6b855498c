"""In Chromium: nothing an editor writes, nor any file in a page folder, runs as script on the site's origin."""

from __future__ import annotations

from pathlib import Path

import browsers  # noqa: F401  (skips this module without a browser, except in CI)
import pytest
from browsers import browser, serve  # noqa: F401
from conftest import run_cli, write_site
from playwright.sync_api import Browser
from test_hostile_inputs import EVIL_SVG

MARK = "window.__xss=(window.__xss||0)+1"
PAYLOADS = [
    f"<script>{MARK}</script>",
    f'"><img src=x onerror="{MARK}">',
    f"</script><script>{MARK}</script>",
    f"javascript:{MARK}",
    f"<svg onload={MARK}>",
]


def hostile_site(root: Path) -> Path:
    title = PAYLOADS[0] + "村"
    front = (
        f"---\ntitle: '{title}'\nstyle: cantonese\ncity: '{PAYLOADS[2]}'\ntown: '{PAYLOADS[1]}'\n"
        f"location: {{lat: 22.81, lon: 113.15}}\nsummary: '{PAYLOADS[1]} {PAYLOADS[4]}'\n"
        f"tags: ['{PAYLOADS[0]}']\nattractions: [{{name: '{PAYLOADS[2]}', description: '{PAYLOADS[1]}'}}]\n"
        f"visit: {{tips: '{PAYLOADS[0]}'}}\n---\n\n"
    )
    body = "\n\n".join(
        [
            "## 地图",
            "[地图](evil.svg) 与 <a href='evil.svg'>另一个入口</a>",
            f"[点我](javascript:{MARK})",
            PAYLOADS[0],
            f'<img src="x" onerror="{MARK}">',
            f'<div onclick="{MARK}" style="background:url(javascript:{MARK})">块</div>',
            f'<iframe src="javascript:{MARK}"></iframe>',
            f'<a href="data:text/html,<script>{MARK}</script>">数据</a>',
        ]
    )
    return write_site(
        root,
        {
            "site.yaml": f"title: '{PAYLOADS[0]}古村'\nbase_url: /\n",
            "content/villages/evil/index.md": front + body + "\n",
            "content/villages/evil/evil.svg": EVIL_SVG,
            "content/stories/s/index.md": (
                f"---\ntitle: '{PAYLOADS[2]}'\ndate: 2026-01-01\nsummary: '{PAYLOADS[1]}'\n"
                f"villages: [evil]\n---\n\n{PAYLOADS[0]}\n"
            ),
        },
    )


def test_nothing_written_by_an_editor_runs_as_script(tmp_path: Path, browser: Browser, monkeypatch):  # noqa: F811
    monkeypatch.setenv("VILLAGESITE_CACHE_DIR", str(tmp_path / "cache"))
    root = hostile_site(tmp_path / "site")
    result = run_cli("build", "--site", root)
    assert result.code == 0, result.out + result.err
    output = root / "output"
    pages = sorted(p.relative_to(output).as_posix() for p in output.rglob("*.html"))
    targets = [*pages, "villages/evil/evil.svg"]
    assert "villages/evil/index.html" in pages
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with serve(output) as address:
        for target in targets:
            page.goto(address + target.removesuffix("index.html"))
            page.wait_for_load_state("load")
            ran = page.evaluate("window.__xss || 0")
            assert ran == 0, f"script ran on {target}"
            assert page.title() != "pwned", target
        page.goto(address + "villages/evil/")
        for link in page.locator("main a").all():  # follow every link an editor wrote, as a visitor would
            href = link.get_attribute("href") or ""
            if href.startswith(("javascript:", "data:")):
                pytest.fail(f"a {href.split(':')[0]}: link was published: {href}")
        page.goto(address + "villages/evil/evil.svg")
        assert page.evaluate("window.__xss || 0") == 0
        assert page.evaluate("document.title") != "pwned"
    assert dialogs == []
    context.close()
