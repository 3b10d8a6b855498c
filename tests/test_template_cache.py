"""Compiled templates kept between command-line builds: used when signed with this user's key, compiled
again (never run) when signed with another, and an edited template is compiled again."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import jinja2
import jinja2.bccache
import pytest
from conftest import village, write_site

from villagesite import load_config
from villagesite.build import build
from villagesite.caches import cache_dir
from villagesite.template_cache import FOLDER, TEMPLATE_CODE, signing_key
from villagesite.themes import make_environment, resolve_themes

SITE = {
    "site.yaml": "title: 测试古村\ntheme: mine\n",
    "themes/mine/theme.yaml": "extends: default\n",
    "themes/mine/templates/404.html": '{% extends "default:404.html" %}{% block title %}找不到{% endblock %}\n',
    "content/villages/fengjian/index.md": village("逢简村", body="逢简的正文。"),
}


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates Jinja compiles from source."""
    names: list[str] = []
    compile_source = jinja2.Environment.compile

    def counted(self: jinja2.Environment, source: str, name: str | None = None, *args: object, **kwargs: object):
        names.append(str(name))
        return compile_source(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counted)
    return names


def test_a_later_build_compiles_only_the_template_that_changed(tmp_path: Path, compiles: list[str]) -> None:
    root = write_site(tmp_path / "site", SITE)
    build(load_config(root), output=tmp_path / "first")
    assert "404.html" in compiles and "village.html" in compiles
    assert any((cache_dir(load_config(root)) / FOLDER).glob("*.bin"))

    compiles.clear()
    build(load_config(root), output=tmp_path / "second")  # a new output: every page is rendered
    assert compiles == []
    assert (tmp_path / "second" / "404.html").read_bytes() == (tmp_path / "first" / "404.html").read_bytes()

    (root / "themes/mine/templates/404.html").write_text(
        '{% extends "default:404.html" %}{% block title %}页面不见了{% endblock %}\n', encoding="utf-8"
    )
    build(load_config(root), output=tmp_path / "third")
    assert compiles == ["404.html"]
    assert "页面不见了" in (tmp_path / "third" / "404.html").read_text(encoding="utf-8")


def test_a_template_signed_with_another_key_is_compiled_again_not_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As when CI restores a cache folder made elsewhere: what it holds is code, and is not believed."""
    root = write_site(tmp_path / "site", SITE)
    config = load_config(root)
    build(config, output=tmp_path / "first")
    # A compiled 404.html that says something else, for the same source (Jinja's own check passes)...
    environment = make_environment(resolve_themes(config))
    source, filename, _ = environment.loader.get_source(environment, "404.html")
    cache = jinja2.bccache.BytecodeCache()
    bucket = jinja2.bccache.Bucket(
        environment, cache.get_cache_key("404.html", filename), cache.get_source_checksum(source)
    )
    bucket.code = environment.compile("PLANTED", "404.html", filename)
    code = bucket.bytecode_to_string()
    # ... signed with a key that is not this user's.
    elsewhere = tmp_path / "elsewhere"
    monkeypatch.setenv("XDG_STATE_HOME", str(elsewhere))
    other_key = signing_key()
    assert other_key is not None
    signature = hmac.new(other_key, f"{TEMPLATE_CODE}|{bucket.key}|".encode(), hashlib.sha256)
    signature.update(code)
    (cache_dir(config) / FOLDER / f"{bucket.key}.bin").write_bytes(signature.digest() + code)

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "user"))
    build(config, output=tmp_path / "here")
    assert "PLANTED" not in (tmp_path / "here" / "404.html").read_text(encoding="utf-8")
    assert "找不到" in (tmp_path / "here" / "404.html").read_text(encoding="utf-8")

    # The same file, where its key is the user's, is what the build runs: the check above is the signature.
    (cache_dir(config) / FOLDER / f"{bucket.key}.bin").write_bytes(signature.digest() + code)
    monkeypatch.setenv("XDG_STATE_HOME", str(elsewhere))
    build(config, output=tmp_path / "signed")
    assert (tmp_path / "signed" / "404.html").read_text(encoding="utf-8") == "PLANTED"


def test_without_a_key_templates_are_compiled_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compiles: list[str]
) -> None:
    """A home that cannot be written (a read-only container): the build works, and keeps no code."""
    (tmp_path / "not-a-folder").write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "not-a-folder"))
    root = write_site(tmp_path / "site", SITE)
    build(load_config(root), output=tmp_path / "out")
    assert "404.html" in compiles
    assert "找不到" in (tmp_path / "out" / "404.html").read_text(encoding="utf-8")
    assert not (cache_dir(load_config(root)) / FOLDER).exists()


def test_clean_reads_no_compiled_template(tmp_path: Path, compiles: list[str]) -> None:
    root = write_site(tmp_path / "site", SITE)
    build(load_config(root), output=tmp_path / "first")
    compiles.clear()
    build(load_config(root), output=tmp_path / "again", clean=True)
    assert "404.html" in compiles


def test_the_key_is_readable_by_its_user_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    key = signing_key()
    assert key is not None and signing_key() == key  # made once, then read
    path = tmp_path / "state" / "villagesite" / "template-key"
    assert path.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "state" / "villagesite").stat().st_mode & 0o077 == 0
