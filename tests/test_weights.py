"""Page weights before photos: reported per kind by the build, warned about by build and check when over budget."""

from __future__ import annotations

import io
import random
import re
from html.parser import HTMLParser
from pathlib import Path

from conftest import run_cli, village
from PIL import Image

from villagesite import build, load_config
from villagesite.weights import HERO_BUDGET, PAGE_BUDGET, linked_assets


class _Links(HTMLParser):
    """Stylesheets and scripts, read by a real HTML parser (the build uses a regular expression)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "script" and values.get("src"):
            self.found.append(values["src"])
        if tag == "link" and "stylesheet" in values.get("rel", "").split():
            self.found.append(values["href"])


def weight_in(output: Path, page: str) -> int:
    html = (output / page).read_text(encoding="utf-8")
    parser = _Links()
    parser.feed(html)
    return len(html.encode()) + sum((output / href.lstrip("/")).stat().st_size for href in dict.fromkeys(parser.found))


def noisy_photo(width: int = 1800, height: int = 1200) -> bytes:
    """A photo that compresses badly (random noise), as a busy street scene nearly does."""
    rnd = random.Random(7)
    image = Image.frombytes("RGB", (width, height), bytes(rnd.getrandbits(8) for _ in range(width * height * 3)))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def test_the_build_reports_the_heaviest_page_of_each_kind(site):
    root = site(
        {
            "content/villages/fengjian/index.md": village("逢简村", body="短。"),
            "content/villages/shawan/index.md": village("沙湾古镇", body="长" * 3000),
            "content/pages/about.md": "---\ntitle: 关于\n---\n关于本站。\n",
        }
    )
    report = build(load_config(root))
    by_kind = {w.kind: w for w in report.weights}
    assert {"home", "village", "page", "listing", "poster", "404"} <= set(by_kind)
    heaviest = by_kind["village"]
    assert heaviest.output == "villages/shawan/index.html"
    assert heaviest.css > 0
    assert heaviest.total == weight_in(root / "output", heaviest.output)
    assert by_kind["home"].total == weight_in(root / "output", "index.html")
    # An unchanged site reports the same weights from the saved report; an edit of another page too.
    assert build(load_config(root)).weights == report.weights
    (root / "content/villages/fengjian/index.md").write_text(village("逢简村", body="改了。"), encoding="utf-8")
    assert build(load_config(root)).weights == report.weights
    out = run_cli("build", "--site", root).out
    assert re.search(r"Heaviest page of each kind before photos .*budget 100 kB\): home \d+ kB, village \d+ kB", out)


def test_a_page_over_budget_is_a_warning_in_build_and_check(site):
    body = "水乡" * (PAGE_BUDGET // 5)  # about 120 kB of UTF-8
    root = site({"content/villages/fengjian/index.md": village("逢简村", body=body)})
    result = run_cli("check", "--site", root)
    assert result.code == 0
    assert re.search(
        r"content/villages/fengjian/index.md: the page weighs \d+ kB before photos \(HTML \d+ kB, CSS \d+(\.\d)? kB,"
        r" JS \d+(\.\d)? kB\); the budget is 100 kB \(phones on slow networks wait",
        result.err,
    ), result.err
    report = build(load_config(root))
    assert any("the page weighs" in p.message for p in report.warnings)


def test_a_cover_too_heavy_at_phone_width_is_a_warning(site, tmp_path, monkeypatch):
    monkeypatch.setenv("VILLAGESITE_CACHE_DIR", str(tmp_path / "cache"))
    root = site(
        {
            "content/villages/fengjian/index.md": village("逢简村", extra="cover: {src: street.jpg, alt: 街景}\n"),
            "content/villages/fengjian/street.jpg": noisy_photo(),
            "site.yaml": "title: 测试古村\nbase_url: /\nimages: {quality: 95, formats: [webp, jpeg]}\n",
        }
    )
    report = build(load_config(root))
    warnings = [p for p in report.warnings if p.field == "cover"]
    assert len(warnings) == 1, report.warnings
    problem = warnings[0]
    assert problem.location.path == "content/villages/fengjian/index.md" and problem.location.line == 7
    assert re.match(r"the cover at phone width \(960 px, webp\) weighs \d+ kB; the budget is 150 kB", problem.message)
    assert max(p.stat().st_size for p in (tmp_path / "cache" / "images").rglob("*.webp")) > HERO_BUDGET


def test_linked_assets_reads_stylesheets_and_scripts_in_any_attribute_order():
    html = (
        '<link href="/a.css" rel="stylesheet"><link rel=stylesheet href=/b.css>'
        "<link rel='preload' href='/c.css'><script defer src=\"/d.js\"></script><script>inline()</script>"
        '<LINK REL="alternate stylesheet" HREF="/e.css">'
    )
    assert linked_assets(html) == ["/a.css", "/b.css", "/d.js", "/e.css"]
