"""Caches are believed only when they check: a damaged entry is made again from the sources, and
``--clean`` reads none.  Published files never share an inode with the cache, and a cache or output
folder that cannot be written is one clear line."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import age_files, photo_bytes, run_cli, snapshot, village, write_site

from villagesite import commit as commit_module
from villagesite import encode, load_config
from villagesite.build import build

SITE = "title: 测试古村\nbase_url: https://example.org/\n"


def site_files() -> dict[str, str | bytes]:
    return {
        "site.yaml": SITE,
        "content/villages/fengjian/index.md": village(
            "逢简村", extra="cover: {src: gate.jpg, alt: 村口}\n", body="逢简的正文。"
        ),
        "content/villages/fengjian/gate.jpg": photo_bytes(900, 600),
        "content/villages/shawan/index.md": village("沙湾古镇", city="广州市", lat=22.9, lon=113.33, body="沙湾。"),
    }


def built(root: Path) -> Path:
    """The site built three times (its caches started, filled and used), its files dated back."""
    write_site(root, site_files())
    for seconds in (7200, 3600):  # the second build fills the content cache the first one started
        age_files(root, seconds)
        assert run_cli("build", "--site", root, "--output", root / "first").code == 0
    return root / ".villagesite-cache"


def variants(cache: Path) -> list[Path]:
    return sorted(p for p in (cache / "images").rglob("*.*") if not p.name.startswith("."))


def published_variants(output: Path) -> list[Path]:
    return sorted((output / "img").iterdir())


def test_published_photos_are_copies_and_a_damaged_cached_variant_is_made_again(site, tmp_path):
    root = site(site_files())
    assert run_cli("build", "--site", root).code == 0
    cache = root / ".villagesite-cache"
    output = root / "output"
    before = snapshot(output)
    cached = variants(cache)
    assert cached and all(p.stat().st_nlink == 1 for p in published_variants(output))
    inodes = {p.stat().st_ino for p in cached}
    assert not inodes & {p.stat().st_ino for p in published_variants(output)}
    # Damage every cached variant: cut one short, overwrite another with other bytes of the same size.
    for number, path in enumerate(cached):
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2] if number % 2 else bytes(reversed(data)))
    assert snapshot(output) == before, "the published copies are not touched by damage to the cache"
    # An ordinary build: the output holds the variants already, nothing is read or written.
    report = build(load_config(root), output=output)
    assert snapshot(output) == before and report.written.written == ()
    # An output that lost its photos gets them again, made again, not copied from the damaged files.
    shutil.rmtree(output / "img")
    (root / "content/villages/shawan/index.md").write_text(village("沙湾古镇", body="改了。"), encoding="utf-8")
    build(load_config(root))
    after = snapshot(output)
    assert {rel: data for rel, data in after.items() if rel.startswith("img/")} == {
        rel: data for rel, data in before.items() if rel.startswith("img/")
    }
    for path in variants(cache):
        assert encode.file_digest(path) == path.name.split(".")[1]


def test_a_damaged_variant_is_not_published_by_a_new_output_or_clean(site, tmp_path):
    root = site(site_files())
    assert run_cli("build", "--site", root).code == 0
    good = {rel: data for rel, data in snapshot(root / "output").items() if rel.startswith("img/")}
    for path in variants(root / ".villagesite-cache"):
        path.write_bytes(path.read_bytes()[:100])
    assert run_cli("build", "--site", root, "--output", tmp_path / "elsewhere").code == 0
    assert {rel: data for rel, data in snapshot(tmp_path / "elsewhere").items() if rel.startswith("img/")} == good
    for path in variants(root / ".villagesite-cache"):
        path.write_bytes(b"\0" * path.stat().st_size)
    assert run_cli("build", "--site", root, "--clean").code == 0
    assert {rel: data for rel, data in snapshot(root / "output").items() if rel.startswith("img/")} == good


def test_one_character_changed_in_the_content_cache_is_not_published(tmp_path):
    root = tmp_path / "site"
    cache = built(root)
    lines = (cache / "content.jsonl").read_text(encoding="utf-8")
    assert lines.count("逢简村") >= 1
    (cache / "content.jsonl").write_text(lines.replace("逢简村", "逢简材"), encoding="utf-8")
    assert run_cli("build", "--site", root, "--output", tmp_path / "again").code == 0
    page = (tmp_path / "again/villages/fengjian/index.html").read_text(encoding="utf-8")
    assert "逢简村" in page and "逢简材" not in page
    assert snapshot(tmp_path / "again") == snapshot(root / "first")


def test_one_character_changed_in_the_markdown_cache_is_not_published(tmp_path):
    root = tmp_path / "site"
    cache = built(root)
    text = (cache / "markdown.json").read_text(encoding="utf-8")
    assert "逢简的正文" in text
    changed = text.replace("逢简的正文", "逢简的歪文")
    json.loads(changed)  # still valid JSON
    (cache / "markdown.json").write_text(changed, encoding="utf-8")
    assert run_cli("build", "--site", root, "--output", tmp_path / "again").code == 0
    page = (tmp_path / "again/villages/fengjian/index.html").read_text(encoding="utf-8")
    assert "逢简的正文" in page and "歪文" not in page
    assert snapshot(tmp_path / "again") == snapshot(root / "first")


def test_a_photo_index_changed_by_hand_is_not_believed(tmp_path):
    """sources.json names each photo's hash: one changed by hand would publish variants under other names."""
    root = tmp_path / "site"
    cache = built(root)
    index = cache / "sources.json"
    text = index.read_text(encoding="utf-8")
    data = json.loads(text)
    (entry,) = data["entries"].values()
    index.write_text(text.replace(entry[3], "0" * len(entry[3])), encoding="utf-8")  # still valid JSON
    assert run_cli("build", "--site", root, "--output", tmp_path / "again").code == 0
    assert snapshot(tmp_path / "again") == snapshot(root / "first")
    assert "0" * len(entry[3]) not in index.read_text(encoding="utf-8")  # written anew, from the photo


def damage_every_cache(cache: Path) -> None:
    """Change every cache file so that it still parses: a changed character, other bytes, other data."""
    for path in cache.rglob("*"):
        if not path.is_file():
            continue
        if path.suffix in (".webp", ".jpeg", ".avif", ".png", ".svg"):
            path.write_bytes(b"\0" * path.stat().st_size)
        elif path.suffix == ".bin":  # compiled templates: each byte's lowest bit flipped
            path.write_bytes(bytes(byte ^ 1 for byte in path.read_bytes()))
        elif path.suffix == ".batch":  # search batches: terms changed at the same length, the last byte too
            data = path.read_bytes().replace("逢简".encode(), "逢间".encode()).replace("沙湾".encode(), "沙滩".encode())
            path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
        else:
            text = path.read_text(encoding="utf-8")
            for old, new in (
                ("逢简", "逢简X"),
                ("沙湾", "沙湾X"),
                ('"data": "data:image/webp', '"data": "data:image/png'),
            ):
                text = text.replace(old, new)
            path.write_text(text, encoding="utf-8")
    index = cache / "sources.json"
    if index.exists():
        data = json.loads(index.read_text(encoding="utf-8"))
        for entry in data["entries"].values():
            entry[3] = "0" * len(entry[3])  # another photo's hash
        index.write_text(json.dumps(data), encoding="utf-8")


def test_clean_with_a_damaged_cache_builds_what_no_cache_builds(tmp_path):
    root = tmp_path / "site"
    cache = built(root)
    assert run_cli("build", "--site", root).code == 0  # a report too, for an unchanged build to return early
    damage_every_cache(cache)
    result = run_cli("build", "--site", root, "--clean")
    assert result.code == 0, result.err
    assert "0 from the cache" in result.out
    fresh = tmp_path / "fresh"
    write_site(fresh, site_files())
    assert run_cli("build", "--site", fresh).code == 0
    assert snapshot(root / "output") == snapshot(fresh / "output")
    # What --clean wrote is good for the next build, which uses it.
    (root / "content/villages/shawan/index.md").write_text(village("沙湾古镇", body="沙湾。\n"), encoding="utf-8")
    (fresh / "content/villages/shawan/index.md").write_text(village("沙湾古镇", body="沙湾。\n"), encoding="utf-8")
    assert run_cli("build", "--site", root).code == 0 and run_cli("build", "--site", fresh).code == 0
    assert snapshot(root / "output") == snapshot(fresh / "output")


def one_problem(result) -> str:
    lines = result.err.strip().splitlines()
    assert result.code == 1 and "Traceback" not in result.err
    assert "could not be decoded" not in result.err and "damaged" not in result.err
    return lines[0]


@pytest.mark.parametrize(
    ("code", "words"), [(errno.ENOSPC, "disk full; free space"), (errno.EACCES, "permission denied; make it writable")]
)
def test_a_cache_folder_that_cannot_be_written_is_one_clear_line(site, monkeypatch, code, words):
    root = site(site_files())
    assert run_cli("build", "--site", root).code == 0
    before = snapshot(root / "output")
    real = encode._write_atomic

    def failing(path, data):
        raise OSError(code, os.strerror(code), str(path))

    monkeypatch.setattr(encode, "_write_atomic", failing)
    (root / "content/villages/shawan/cover.jpg").write_bytes(photo_bytes(300, 200, (20, 40, 60)))
    (root / "content/villages/shawan/index.md").write_text(
        village("沙湾古镇", extra="cover: {src: cover.jpg, alt: 门}\n"), encoding="utf-8"
    )
    line = one_problem(run_cli("build", "--site", root))
    assert line.startswith(f"the cache folder {root / '.villagesite-cache'} cannot be written: {words}")
    assert line.endswith("or set VILLAGESITE_CACHE_DIR")
    assert snapshot(root / "output") == before
    # The content and Markdown caches, and the manifest: the same line.
    monkeypatch.setattr(encode, "_write_atomic", real)
    real_replace = os.replace

    def no_cache(source, target):
        if ".villagesite-cache" in str(target) and "images" not in str(target):
            raise OSError(code, os.strerror(code), str(target))
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", no_cache)
    (root / "content/villages/fengjian/index.md").write_text(village("逢简村", body="新的。"), encoding="utf-8")
    line = one_problem(run_cli("build", "--site", root))
    assert line.startswith(f"the cache folder {root / '.villagesite-cache'} cannot be written: {words}")
    assert snapshot(root / "output") == before


@pytest.mark.parametrize("code", [errno.EROFS, errno.ENOSPC])
def test_an_output_folder_that_cannot_be_written_is_one_clear_line_and_stays_as_it_was(site, monkeypatch, code):
    root = site(site_files())
    assert run_cli("build", "--site", root).code == 0
    output = root / "output"
    before = snapshot(output)
    real_replace = os.replace

    def read_only(source, target):
        if Path(target).is_relative_to(output / "villages"):
            raise OSError(code, os.strerror(code), str(source), None, str(target))
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", read_only)
    (root / "site.yaml").write_text(SITE.replace("测试古村", "广东古村"), encoding="utf-8")  # every page
    line = one_problem(run_cli("build", "--site", root))
    reason = "read-only file system; make it writable" if code == errno.EROFS else "disk full; free space"
    assert line.startswith(f"the output folder {output / 'villages'}") and reason in line, line
    assert snapshot(output) == before
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".output")) == []
    monkeypatch.setattr(os, "replace", real_replace)
    assert run_cli("build", "--site", root).code == 0
    assert "广东古村" in (output / "villages/fengjian/index.html").read_text(encoding="utf-8")


def test_a_staged_file_gone_before_recovery_is_never_skipped(site, tmp_path, monkeypatch):
    """A journal whose staging folder was removed (what the old build's ``finally`` did): the output
    is written whole again, not left half old, half new."""
    root = site(site_files())
    config = load_config(root)
    build(config)
    (root / "site.yaml").write_text(SITE.replace("测试古村", "广东古村"), encoding="utf-8")
    output = root / "output"
    real_replace = os.replace
    moved = []

    def dying(source, target):
        if Path(target).is_relative_to(output):
            moved.append(target)
            if len(moved) == 3:
                raise KeyboardInterrupt  # cut off amid the moves, as by a kill
        return real_replace(source, target)

    monkeypatch.setattr(os, "replace", dying)
    with pytest.raises(KeyboardInterrupt):
        build(load_config(root))
    monkeypatch.setattr(os, "replace", real_replace)
    journal = json.loads((root / ".output.journal.json").read_text(encoding="utf-8"))
    shutil.rmtree(root / journal["staging"])
    build(load_config(root))
    build(load_config(root), output=tmp_path / "clean", clean=True)
    assert snapshot(output) == snapshot(tmp_path / "clean")
    assert commit_module.is_whole(output)


PINYIN_SITE = {
    "site.yaml": SITE,
    "content/villages/fengjian/index.md": village("逢简村", extra="tags: [水乡, 岭南]\n", body="逢简的正文。"),
    "content/villages/shawan/index.md": village("沙湾古镇", city="广州市", lat=22.9, lon=113.33, body="沙湾。"),
}

BUILD_IN_A_NEW_PROCESS = """
import sys
from villagesite.cli import main
code = main(["build", "--site", sys.argv[1]])
print("pypinyin loaded:", "pypinyin" in sys.modules, "ToJyutping loaded:", "ToJyutping" in sys.modules)
sys.exit(code)
"""


def build_in_a_new_process(root: Path) -> str:
    """A build as an editor runs it, in a process of its own: whether it loaded pypinyin, on its last line."""
    env = {**os.environ, "VILLAGESITE_LANG": "en"}
    done = subprocess.run(
        [sys.executable, "-c", BUILD_IN_A_NEW_PROCESS, str(root)], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip().splitlines()[-1]


def edit_a_body(root: Path, text: str) -> None:
    """A change, so that the next build builds (an unchanged site is not built again)."""
    page = root / "content/villages/shawan/index.md"
    page.write_text(village("沙湾古镇", city="广州市", lat=22.9, lon=113.33, body=text), encoding="utf-8")


def test_pinyin_found_by_a_build_is_kept_and_the_next_build_does_not_load_pypinyin(site):
    """pypinyin's dictionaries take 0.3 s to load, ToJyutping's more: a build on a warm cache reads the
    names' readings it kept."""
    root = site(PINYIN_SITE)
    assert run_cli("build", "--site", root).code == 0
    first = snapshot(root / "output")
    assert {"cities/foshan/index.html", "tags/shui-xiang/index.html", "villages/fengjian/index.html"} <= set(first)
    edit_a_body(root, "沙湾的正文。")
    # The names' readings shown on the (Cantonese) villages' pages are kept too.
    assert build_in_a_new_process(root) == "pypinyin loaded: False ToJyutping loaded: False"
    second = snapshot(root / "output")
    assert set(second) == set(first)  # the same addresses: cities, tags and pages slugged as before
    assert [rel for rel in first if first[rel] != second[rel]] != []  # the edit was built


def test_pinyin_kept_and_changed_by_hand_is_not_believed(site):
    """A wrong syllable would move a page to another address: a kept file edited by hand is read again."""
    root = site(PINYIN_SITE)
    assert run_cli("build", "--site", root).code == 0
    kept = root / ".villagesite-cache/readings.json"
    text = kept.read_text(encoding="utf-8")
    assert '"fo", "shan"' in text
    kept.write_text(text.replace('"fo", "shan"', '"fu", "shan"'), encoding="utf-8")
    edit_a_body(root, "沙湾的正文。")
    assert build_in_a_new_process(root).startswith("pypinyin loaded: True")
    assert (root / "output/cities/foshan/index.html").is_file()
    assert not (root / "output/cities/fushan").exists()


def test_photos_unused_for_sixty_days_leave_the_cache_in_a_walk_made_once_a_day(site):
    root = site(site_files())
    assert run_cli("build", "--site", root).code == 0
    cache = root / ".villagesite-cache"
    long_ago = time.time() - (encode.CACHE_MAX_AGE_DAYS + 1) * 86400

    def stale(name: str) -> Path:
        path = cache / "images/zz" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"an old variant")
        os.utime(path, (long_ago, long_ago))
        return path

    first = stale("first.0123456789abcdef.webp")
    two_days_ago = time.time() - 2 * 86400
    os.utime(cache / "pruned", (two_days_ago, two_days_ago))
    edit_a_body(root, "第一次修改。")
    assert run_cli("build", "--site", root).code == 0
    assert not first.exists()
    assert variants(cache)  # what the site uses stays

    second = stale("second.0123456789abcdef.webp")
    edit_a_body(root, "第二次修改。")
    assert run_cli("build", "--site", root).code == 0
    assert second.exists()  # walked today already: left for tomorrow's walk
