"""Themes: one-file overrides, errors at the template's line, hashed static files."""

from __future__ import annotations

import re

from conftest import run_cli, snapshot, village

from villagesite.themes import builtin_themes_dir


def two_villages() -> dict[str, str | bytes]:
    return {
        "content/villages/a/index.md": village("甲村"),
        "content/villages/b/index.md": village("乙村", city="广州市"),
        "content/pages/about.md": "---\ntitle: 关于\n---\n",
    }


def test_override_of_one_template_changes_only_the_village_pages(site, tmp_path):
    plain = site(two_villages())
    assert run_cli("build", "--site", plain, "--output", tmp_path / "plain").code == 0
    files = two_villages()
    files["site.yaml"] = "title: 测试古村\ntheme: mine\n"
    files["themes/mine/theme.yaml"] = "name: mine\nextends: default\n"
    files["themes/mine/templates/village.html"] = (
        '{% extends "default:village.html" %}\n'
        '{% block content %}<p class="ribbon">本村推荐</p>{{ super() }}{% endblock %}\n'
    )
    themed = site(files)
    assert run_cli("build", "--site", themed, "--output", tmp_path / "themed").code == 0
    before, after = snapshot(tmp_path / "plain"), snapshot(tmp_path / "themed")
    assert before.keys() == after.keys()
    changed = sorted(rel for rel in before if before[rel] != after[rel])
    assert changed == ["villages/a/index.html", "villages/b/index.html"]
    assert '<p class="ribbon">本村推荐</p>' in after["villages/a/index.html"].decode()
    assert "甲村的简介。" in after["villages/a/index.html"].decode()


def test_theme_without_extends_falls_back_to_default_and_overrides_css(site):
    files = two_villages()
    files["site.yaml"] = "title: 测试古村\ntheme: red\n"
    files["themes/red/static/style.css"] = "body { color: red; }\n"
    root = site(files)
    assert run_cli("build", "--site", root).code == 0
    css = [p for p in (root / "output/theme").iterdir() if p.name.startswith("style.")]
    assert len(css) == 1 and css[0].read_text() == "body { color: red; }\n"
    assert re.fullmatch(r"style\.[0-9a-f]{10}\.css", css[0].name)
    assert f'href="/theme/{css[0].name}"' in (root / "output/index.html").read_text(encoding="utf-8")


def test_runtime_template_error_names_template_line_and_page(site):
    files = two_villages()
    files["site.yaml"] = "title: 测试古村\ntheme: broken\n"
    files["themes/broken/templates/village.html"] = (
        '{% extends "default:village.html" %}\n{% block content %}\n{{ page.village.hero_image }}\n{% endblock %}\n'
    )
    root = site(files)
    result = run_cli("build", "--site", root)
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        "themes/broken/templates/village.html:3: template error: 'villagesite.schema.VillageFields object' has no "
        "attribute 'hero_image' (while rendering content/villages/a/index.md)"
    )
    assert not (root / "output").exists()


def test_template_syntax_error_names_template_line(site):
    files = two_villages()
    files["site.yaml"] = "title: 测试古村\ntheme: broken\n"
    files["themes/broken/templates/page.html"] = (
        "{% extends 'base.html' %}\n{% block content %}\n{% if %}\n{% endblock %}\n"
    )
    root = site(files)
    result = run_cli("check", "--site", root)
    assert result.code == 1
    assert result.err.splitlines()[0].startswith("themes/broken/templates/page.html:3: template syntax error:")


def test_the_shipped_default_theme_is_found(site):
    root = site(two_villages())
    assert run_cli("build", "--site", root).code == 0
    assert (builtin_themes_dir() / "default" / "templates" / "village.html").is_file()
    assert "甲村" in (root / "output/villages/a/index.html").read_text(encoding="utf-8")


def test_css_urls_to_theme_files_get_hashed_names(site):
    files = two_villages()
    files["site.yaml"] = "title: 测试古村\ntheme: motif\n"
    files["themes/motif/static/img/gable.svg"] = "<svg xmlns='http://www.w3.org/2000/svg'/>"
    files["themes/motif/static/style.css"] = "h1 { background: url('img/gable.svg'); }\n"
    root = site(files)
    assert run_cli("build", "--site", root).code == 0
    svg = next((root / "output/theme/img").iterdir()).name
    css = next(p for p in (root / "output/theme").iterdir() if p.name.startswith("style.")).read_text()
    assert css == f"h1 {{ background: url(img/{svg}); }}\n"
