"""Rebuilds write exactly what changed: unchanged files keep their bytes and mtime; removed pages go."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import run_cli, snapshot, village

from villagesite import build, load_config
from villagesite import commit as commit_module
from villagesite import manifest as manifest_module
from villagesite.errors import VillageSiteError
from villagesite.memory import BuildMemory
from villagesite.themes import builtin_themes_dir


def search_index(files: object) -> set[str]:
    """The search index's files among ``files``: they change with any page's words (tests/test_search_index.py)."""
    return {rel for rel in files if rel.startswith("search/index/")}  # type: ignore[attr-defined]


def pages_written(report: object) -> tuple[str, ...]:
    """What a build wrote, but the search index."""
    written = report.written.written  # type: ignore[attr-defined]
    return tuple(rel for rel in written if rel not in search_index(written))


def site_files() -> dict[str, str | bytes]:
    return {
        "content/villages/fengjian/index.md": village("逢简村", extra="tags: [水乡]\n", body="水乡正文。"),
        "content/villages/shawan/index.md": village(
            "沙湾古镇", city="广州市", lat=22.9, lon=113.33, extra="tags: [水乡]\n"
        ),
        "content/villages/weilong/index.md": village("围龙村", style="hakka", city="梅州市", lat=24.3, lon=116.1),
        "content/pages/about.md": "---\ntitle: 关于\n---\n",
    }


def mtimes(output: Path) -> dict[str, int]:
    return {p.relative_to(output).as_posix(): p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()}


def test_a_second_build_writes_nothing(site):
    root = site(site_files())
    config = load_config(root)
    first = build(config)
    assert len(first.written.written) == first.files
    before = mtimes(root / "output")
    second = build(config)
    assert second.written.written == () and second.written.removed == ()
    assert mtimes(root / "output") == before


def test_editing_a_village_body_rewrites_only_its_page(site):
    root = site(site_files())
    config = load_config(root)
    build(config)
    before = mtimes(root / "output")
    (root / "content/villages/fengjian/index.md").write_text(
        village("逢简村", extra="tags: [水乡]\n", body="改过的正文。"), encoding="utf-8"
    )
    report = build(config)
    assert pages_written(report) == ("villages/fengjian/index.html",)
    after = mtimes(root / "output")
    assert {rel for rel in after if after[rel] != before[rel]} - search_index(after) == {"villages/fengjian/index.html"}


def test_fingerprints_tell_apart_long_texts_that_differ_deep_inside():
    """What a page was made from is fingerprinted (a long body by its bytes, not its ``repr``): any
    difference, however deep in a body, in bytes or text, or in where one part ends, is a difference."""
    from villagesite.deps import _sha

    body = "逢简村的石桥、祠堂和水道。" * 40
    deep = body[:300] + "木" + body[301:]
    assert len(deep) == len(body) and _sha(body) != _sha(deep)
    assert _sha(body) != _sha(body.encode()) != _sha(repr(body))
    assert _sha(body, body) != _sha(body + body[:1], body[1:])
    assert _sha("短") != _sha("短".encode()) and _sha(body) == _sha(str(body))


def test_renaming_a_village_rewrites_the_pages_that_show_its_name(site):
    root = site(site_files())
    config = load_config(root)
    build(config)
    (root / "content/villages/fengjian/index.md").write_text(
        village("逢简水乡", extra="tags: [水乡]\n", body="水乡正文。"), encoding="utf-8"
    )
    report = build(config)
    assert set(pages_written(report)) == {
        "villages/fengjian/index.html",  # its own page
        "villages/fengjian/poster/index.html",  # and its poster
        "villages/shawan/index.html",  # a neighbour of the same style lists it
        "index.html",
        "villages/index.html",
        "styles/cantonese/index.html",  # listings that show it
        "cities/foshan/index.html",
        "tags/shui-xiang/index.html",
        "villages.geojson",  # the map data names it
        "search/index.html",  # the search page lists every village
    }


def test_a_deleted_village_takes_its_outputs_with_it(site):
    root = site(site_files())
    config = load_config(root)
    build(config)
    for path in (root / "content/villages/weilong").iterdir():
        path.unlink()
    (root / "content/villages/weilong").rmdir()
    report = build(config)
    assert "villages/weilong/index.html" in report.written.removed
    assert "cities/meizhou/index.html" in report.written.removed
    assert not (root / "output/villages/weilong").exists()
    assert not (root / "output/cities/meizhou").exists()


def test_incremental_output_equals_a_clean_build(site, tmp_path):
    root = site(site_files())
    config = load_config(root)
    build(config)
    (root / "content/villages/fengjian/index.md").write_text(
        village("逢简村", extra="tags: [古桥]\n"), encoding="utf-8"
    )
    (root / "content/pages/about.md").unlink()
    build(config)
    build(config, output=tmp_path / "clean", clean=True)
    assert snapshot(root / "output") == snapshot(tmp_path / "clean")


def test_clean_writes_everything_again(site):
    root = site(site_files())
    build(load_config(root))
    result = run_cli("build", "--site", root, "--clean")
    assert result.code == 0
    report = build(load_config(root), clean=True)
    assert len(report.written.written) == report.files


def test_a_build_cut_off_after_its_commit_is_completed_by_the_next(site, tmp_path, monkeypatch):
    root = site(site_files())
    config = load_config(root)
    build(config)
    (root / "content/villages/fengjian/index.md").write_text(village("逢简村", body="新的正文。"), encoding="utf-8")
    real_replace = commit_module.os.replace
    output = root / "output"

    def dying_replace(source, target):
        if Path(target).is_relative_to(output):  # the first move, after the journal is committed
            raise KeyboardInterrupt
        return real_replace(source, target)

    monkeypatch.setattr(commit_module.os, "replace", dying_replace)
    with pytest.raises(KeyboardInterrupt):
        build(config)
    monkeypatch.setattr(commit_module.os, "replace", real_replace)
    journal = root / ".output.journal.json"
    assert json.loads(journal.read_text())["moves"]
    build(config)
    assert not journal.exists()
    build(config, output=tmp_path / "clean", clean=True)
    assert snapshot(root / "output") == snapshot(tmp_path / "clean")
    assert "新的正文。" in (root / "output/villages/fengjian/index.html").read_text(encoding="utf-8")


def test_an_unchanged_site_is_not_built_again_and_keeps_its_warnings(site):
    files = site_files()
    files["content/villages/shawan/index.md"] = village("沙湾古镇", extra="titel: 错字\n")
    root = site(files)
    first = run_cli("build", "--site", root)
    again = run_cli("build", "--site", root)
    assert again.code == 0
    assert again.err == first.err and "did you mean 'title'?" in again.err
    assert "(0 written, 0 removed)" in again.out
    drafts = run_cli("build", "--site", root, "--drafts")  # other settings: built again
    assert "0 written" in drafts.out and drafts.code == 0


def test_saving_a_file_unchanged_builds_again_but_writes_nothing(site):
    root = site(site_files())
    config = load_config(root)
    build(config)
    page = root / "content/villages/fengjian/index.md"
    page.write_text(page.read_text(encoding="utf-8"), encoding="utf-8")
    report = build(config)
    assert report.written.written == () and report.seconds > 0


def test_markdown_of_unchanged_pages_is_reused_unless_a_link_now_leads_elsewhere(site):
    from villagesite.build import prepare
    from villagesite.caches import DiskCaches

    files = site_files()
    files["content/villages/weilong/index.md"] = village("围龙村", style="hakka", body="见[新村](../xincun/)。")
    root = site(files)
    config = load_config(root)
    build(config)  # a warning: ../xincun/ leads nowhere yet
    caches = DiskCaches(config)
    prepare(config, caches=caches)
    cache = caches.markdown(caches.root)
    # Every body came from the cache but the one with a broken link: its "did you mean" compares
    # the link with every page, so it is converted again each time until the link is fixed.
    assert cache.hits == 3

    (root / "content/villages/xincun").mkdir()
    (root / "content/villages/xincun/index.md").write_text(village("新村"), encoding="utf-8")
    caches = DiskCaches(config)
    prepared = prepare(config, caches=caches)
    cache = caches.markdown(caches.root)
    # The new page is converted, and so is the body whose link now reaches it; the others are reused.
    assert cache.hits == 3
    weilong = next(p for p in prepared.site.pages if p.slug == "weilong")
    assert '<a href="/villages/xincun/">新村</a>' in weilong.html


def count_renders(monkeypatch) -> list[str]:
    from villagesite.render import Renderer

    rendered: list[str] = []
    real = Renderer.render

    def counting(self, template, url, source, **context):
        rendered.append(url)
        return real(self, template, url, source, **context)

    monkeypatch.setattr(Renderer, "render", counting)
    return rendered


def test_a_body_edit_renders_only_its_page(site, monkeypatch):
    root = site(site_files())
    config = load_config(root)
    build(config)
    rendered = count_renders(monkeypatch)
    (root / "content/villages/shawan/index.md").write_text(
        village("沙湾古镇", city="广州市", lat=22.9, lon=113.33, extra="tags: [水乡]\n", body="新的正文。"),
        encoding="utf-8",
    )
    report = build(config)
    assert rendered == ["/villages/shawan/"]
    assert pages_written(report) == ("villages/shawan/index.html",)


def test_a_page_that_shows_another_pages_body_follows_it(site, monkeypatch):
    files = site_files()
    files["site.yaml"] = "title: 测试古村\ntheme: mine\n"
    files["themes/mine/templates/home.html"] = (
        '{% extends "default:home.html" %}\n'
        "{% block content %}{% for v in site.villages %}{{ v.html | safe }}{% endfor %}{{ super() }}{% endblock %}\n"
    )
    root = site(files)
    config = load_config(root)
    build(config)
    rendered = count_renders(monkeypatch)
    (root / "content/villages/fengjian/index.md").write_text(
        village("逢简村", extra="tags: [水乡]\n", body="首页也显示的正文。"), encoding="utf-8"
    )
    build(config)
    assert sorted(rendered) == ["/", "/villages/fengjian/"]
    assert "首页也显示的正文。" in (root / "output/index.html").read_text(encoding="utf-8")


def test_a_title_edit_renders_everything_again(site, monkeypatch):
    root = site(site_files())
    config = load_config(root)
    first = build(config)
    rendered = count_renders(monkeypatch)
    (root / "content/pages/about.md").write_text("---\ntitle: 关于我们\n---\n", encoding="utf-8")
    build(config)
    html_outputs = [rel for rel in first.written.written if rel.endswith(".html")]
    assert len(rendered) == len(html_outputs)


def test_a_template_edit_renders_only_the_pages_that_use_it(site, monkeypatch):
    files = site_files()
    files["site.yaml"] = "title: 测试古村\ntheme: mine\n"
    files["themes/mine/templates/page.html"] = '{% extends "default:page.html" %}\n'
    root = site(files)
    config = load_config(root)
    build(config)
    rendered = count_renders(monkeypatch)
    (root / "themes/mine/templates/page.html").write_text(
        '{% extends "default:page.html" %}{% block content %}<p>新</p>{{ super() }}{% endblock %}\n', encoding="utf-8"
    )
    report = build(config)
    assert rendered == ["/about/"]
    assert report.written.written == ("about/index.html",)


def test_a_new_override_of_a_partial_renders_the_pages_that_import_it(site, monkeypatch):
    files = site_files()
    files["site.yaml"] = "title: 测试古村\ntheme: mine\n"
    files["themes/mine/theme.yaml"] = "extends: default\n"
    root = site(files)
    config = load_config(root)
    build(config)
    rendered = count_renders(monkeypatch)
    shipped = (builtin_themes_dir() / "default/templates/partials/cards.html").read_text(encoding="utf-8")
    override = root / "themes/mine/templates/partials/cards.html"
    override.parent.mkdir(parents=True)
    override.write_text(shipped.replace('<li class="card', '<li data-new class="card'), encoding="utf-8")
    build(config)
    assert "/about/" not in rendered  # page.html imports no cards
    assert {"/", "/villages/", "/styles/cantonese/", "/villages/fengjian/"} <= set(rendered)
    assert "data-new" in (root / "output/villages/index.html").read_text(encoding="utf-8")


def test_editing_a_body_rewrites_no_photo_even_when_the_cache_marks_them_used(site, monkeypatch, tmp_path):
    """Using a cached photo refreshes its mtime (for pruning); that is no change to the output."""
    from conftest import photo_bytes

    monkeypatch.setenv("VILLAGESITE_CACHE_DIR", str(tmp_path / "cache"))
    files = site_files()
    files["content/villages/fengjian/index.md"] = village(
        "逢简村", extra="cover: {src: gate.jpg, alt: 村口}\n", body="正文。\n\n![小桥](bridge.jpg)"
    )
    files["content/villages/fengjian/gate.jpg"] = photo_bytes(900, 600)
    files["content/villages/fengjian/bridge.jpg"] = photo_bytes(700, 500, (30, 80, 120))
    root = site(files)
    config = load_config(root)
    build(config)
    long_ago = 1_600_000_000
    for cached in (tmp_path / "cache" / "images").rglob("*.*"):
        os.utime(cached, (long_ago, long_ago))  # last used long ago: this build marks them used again
    page = root / "content/villages/fengjian/index.md"
    page.write_text(page.read_text(encoding="utf-8").replace("正文。", "新的正文。"), encoding="utf-8")
    report = build(config)
    assert pages_written(report) == ("villages/fengjian/index.html",)
    assert all(p.stat().st_mtime > long_ago for p in (tmp_path / "cache" / "images").rglob("*.*"))


def test_a_build_that_fails_while_rendering_leaves_no_staged_pages_behind(site):
    """Pages are staged beside output/ as they are rendered; a failed build removes them, output/ stays."""
    root = site({**site_files(), "themes/mine/theme.yaml": "extends: default\n"})
    build(load_config(root))
    before = snapshot(root / "output")
    (root / "site.yaml").write_text("title: 测试古村\nbase_url: /\ntheme: mine\n", encoding="utf-8")
    (root / "themes/mine/templates").mkdir(parents=True)
    (root / "themes/mine/templates/page.html").write_text("{{ page.title | nonesuch }}\n", encoding="utf-8")
    with pytest.raises(VillageSiteError):
        build(load_config(root))
    assert snapshot(root / "output") == before
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".output")) == []


def test_a_kept_folder_listing_is_used_only_while_the_folder_is_unchanged(site, tmp_path, monkeypatch):
    """The preview lists a page folder again only when its mtime (or a subfolder's) changed."""
    from conftest import photo_bytes

    from villagesite.memory import BuildMemory

    monkeypatch.setenv("VILLAGESITE_CACHE_DIR", str(tmp_path / "cache"))
    root = site(site_files())
    folder = root / "content/villages/fengjian"
    (folder / "photos").mkdir()
    long_ago = 1_600_000_000
    for directory in (folder, folder / "photos"):
        os.utime(directory, (long_ago, long_ago))  # listed long ago: its listing may be kept
    memory = BuildMemory()
    preview = tmp_path / "preview"
    build(load_config(root), output=preview, caches=memory)
    assert str(folder) in memory.scans, "an old, unchanged folder's listing is kept"
    page = folder / "index.md"
    page.write_text(village("逢简村", body="![桥](photos/bridge.jpg)"), encoding="utf-8")
    os.utime(folder, (long_ago, long_ago))  # an edit in place does not change the folder
    with pytest.raises(VillageSiteError, match="bridge.jpg"):
        build(load_config(root), output=preview, caches=memory)
    (folder / "photos" / "bridge.jpg").write_bytes(photo_bytes())  # changes the subfolder's mtime only
    report = build(load_config(root), output=preview, caches=memory)
    assert "villages/fengjian/index.html" in report.written.written
    html = (preview / "villages/fengjian/index.html").read_text(encoding="utf-8")
    assert "bridge" in html


def test_a_preview_that_stops_before_saving_its_manifest_leaves_the_next_build_right(site, tmp_path):
    """The preview writes a rebuild's manifest after the browsers reload; if it never does (killed), the
    next start finds an older manifest beside newer files, and still builds what a clean build would."""
    root = site(site_files())
    output = tmp_path / "preview"
    memory = BuildMemory()
    build(load_config(root), output=output, caches=memory)  # the first build saves its manifest at once
    page = root / "content/villages/fengjian/index.md"
    page.write_text(village("逢简村", extra="tags: [水乡]\n", body="改过的正文。"), encoding="utf-8")
    (root / "content/villages/weilong").rename(root / "content/villages/weilong-new")
    build(load_config(root), output=output, caches=memory)
    manifest = manifest_module.manifest_path(root / ".villagesite-cache", output.resolve())
    on_disk = json.loads(manifest.read_text(encoding="utf-8"))
    assert "villages/weilong-new/index.html" not in on_disk["files"]  # not saved yet: the process "dies" here
    page.write_text(village("逢简村", extra="tags: [古桥]\n", body="又改了。"), encoding="utf-8")
    build(load_config(root), output=output, caches=BuildMemory())  # a new process
    build(load_config(root), output=tmp_path / "clean", clean=True)
    assert snapshot(output) == snapshot(tmp_path / "clean")


def test_the_preview_saves_a_rebuilds_manifest_when_told(site, tmp_path):
    root = site(site_files())
    output = tmp_path / "preview"
    memory = BuildMemory()
    build(load_config(root), output=output, caches=memory)
    (root / "content/villages/fengjian/index.md").write_text(village("逢简村", body="新。"), encoding="utf-8")
    report = build(load_config(root), output=output, caches=memory)
    manifest = manifest_module.manifest_path(root / ".villagesite-cache", output.resolve())
    assert json.loads(manifest.read_text(encoding="utf-8"))["deps"] != report.written.manifest.deps
    memory.save_manifest()
    assert json.loads(manifest.read_text(encoding="utf-8"))["deps"] == report.written.manifest.deps
