"""Themes: find the chain (site theme -> what it extends -> the shipped default) and load it.

A site overrides one template or one stylesheet by putting just that file in
its own theme; everything else falls through to the parent.  An override can
extend the template it replaces with ``{% extends "default:village.html" %}``.
"""

from __future__ import annotations

import functools
import hashlib
import os
import posixpath
import re
import types
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import jinja2
import jinja2.runtime

from .config import SiteConfig
from .errors import Problem, VillageSiteError, error
from .fields import FieldReader
from .fragments import FragmentCache
from .frontmatter import read_text
from .i18n import _
from .yamlfile import parse_yaml

THEME_FILE = "theme.yaml"
DEFAULT_THEME = "default"


def builtin_themes_dir() -> Path:
    """Themes shipped with villagesite: inside the wheel, or at the top of a source checkout."""
    packaged = Path(__file__).parent / "themes"
    if packaged.is_dir():
        return packaged
    return Path(__file__).parent.parent / "themes"


@dataclass(frozen=True, slots=True)
class Theme:
    name: str
    path: Path
    extends: str | None
    strings: Mapping[str, Mapping[str, str]]
    """Language -> key -> translated UI string."""
    extends_line: int | None = None
    """The line of ``extends`` in theme.yaml, for messages."""

    @property
    def templates(self) -> Path:
        return self.path / "templates"

    @property
    def static(self) -> Path:
        return self.path / "static"


class Strings(dict[str, str]):
    """Theme strings of one language; a key no theme has is shown as itself."""

    def __missing__(self, key: str) -> str:
        return key


@dataclass(frozen=True, slots=True)
class ThemeChain:
    themes: tuple[Theme, ...]
    """Most specific first; the shipped default is last."""

    def template_dirs(self) -> list[Path]:
        return [theme.templates for theme in self.themes if theme.templates.is_dir()]

    def strings_for(self, language: str) -> Strings:
        """Every string in ``language``, the most specific theme's first: what ``t()`` looks up."""
        merged = Strings()
        for theme in reversed(self.themes):
            merged.update(theme.strings.get(language, {}))
        return merged

    def display_path(self, file: Path, site_root: Path) -> str:
        """How a theme file is named in messages."""
        try:
            return file.resolve().relative_to(site_root).as_posix()
        except ValueError:
            for theme in self.themes:
                theme_root = theme.path.resolve()
                if file.resolve().is_relative_to(theme_root):
                    # TRANSLATORS: a file of a theme shipped with villagesite, named in place of a path.
                    return _(
                        "({theme} theme of villagesite) {path}",
                        theme=theme.name,
                        path=file.resolve().relative_to(theme_root).as_posix(),
                    )
            return str(file)


def resolve_themes(config: SiteConfig) -> ThemeChain:
    """The theme named in site.yaml, its parents, then the shipped default; raise on a bad chain."""
    chain: list[Theme] = []
    seen: set[Path] = set()
    name: str | None = config.theme
    while name is not None:
        path = _find_theme(config, name, seen)
        if path is None and chain and (loop := _loop(chain, name)):
            raise VillageSiteError(
                [
                    error(
                        _rel(chain[-1].path / THEME_FILE, config.root),
                        chain[-1].extends_line,
                        # TRANSLATORS: {loop} is the chain of themes: "'a' extends 'b', which extends 'a' again".
                        _("theme {loop}: a loop", loop=loop),
                        field="extends",
                        hint=_("a theme extends a more general one, which must not extend it back"),
                    )
                ]
            )
        if path is None:
            available = sorted(
                {
                    p.name
                    for d in (config.themes_dir, builtin_themes_dir())
                    if d.is_dir()
                    for p in d.iterdir()
                    if p.is_dir()
                }
            )
            where = "site.yaml" if not chain else _rel(chain[-1].path / THEME_FILE, config.root)
            raise VillageSiteError(
                [
                    error(
                        where,
                        chain[-1].extends_line if chain else None,
                        _("there is no theme '{name}'", name=name),
                        field="theme" if not chain else "extends",
                        hint=_("themes found: {themes}", themes=_(", ").join(available)),
                    )
                ]
            )
        theme = _load_theme(config, name, path)
        chain.append(theme)
        seen.add(path.resolve())
        name = theme.extends
        if name is None and path.resolve() != (builtin_themes_dir() / DEFAULT_THEME).resolve():
            name = DEFAULT_THEME
    return ThemeChain(tuple(chain))


def _loop(chain: list[Theme], name: str) -> str | None:
    """The loop in words ("'a' extends 'b', which extends 'a' again") when ``name`` is in the chain, else None."""
    names = [theme.name for theme in chain]
    if name not in names:
        return None
    first, *following = [*names[names.index(name) + 1 :], name]
    if not following:
        # TRANSLATORS: a theme that extends itself; {theme} and {parent} are the same name.
        return _("'{theme}' extends '{parent}' again", theme=name, parent=first)
    # TRANSLATORS: the first link of a loop of themes, followed by ", which extends 'c'" and so on.
    words = [_("'{theme}' extends '{parent}'", theme=name, parent=first)]
    for parent in following[:-1]:
        # TRANSLATORS: a link of a loop of themes: the theme named just before extends {parent}.
        words.append(_(", which extends '{parent}'", parent=parent))
    # TRANSLATORS: the last link of a loop of themes: it leads back to the first theme, {parent}.
    words.append(_(", which extends '{parent}' again", parent=following[-1]))
    return "".join(words)


def _rel(path: Path, root: Path) -> str:
    return Path(os.path.relpath(path.resolve(), root)).as_posix()


def _find_theme(config: SiteConfig, name: str, seen: set[Path]) -> Path | None:
    for base in (config.themes_dir, builtin_themes_dir()):
        candidate = base / name
        if candidate.is_dir() and candidate.resolve() not in seen:
            return candidate
    return None


def _load_theme(config: SiteConfig, name: str, path: Path) -> Theme:
    theme_file = path / THEME_FILE
    if not theme_file.is_file():
        return Theme(name, path, None, MappingProxyType({}))
    rel = _rel(theme_file, config.root)
    text = read_text(theme_file, rel)
    parsed = text if isinstance(text, Problem) else parse_yaml(text, rel)
    if isinstance(parsed, Problem):
        raise VillageSiteError([parsed])
    problems: list[Problem] = []
    data = parsed.data if isinstance(parsed.data, dict) else {}
    fields = FieldReader(data, parsed, rel, problems)
    fields.reject_unknown({"name", "extends", "strings", "description", "license"})
    extends = fields.text("extends")
    strings: dict[str, Mapping[str, str]] = {}
    section = fields.section("strings")
    for language, table in section.data.items() if section else ():
        if not isinstance(table, dict):
            section.fail(str(language), _("expected key: text pairs"))  # type: ignore[union-attr]
            continue
        strings[str(language)] = MappingProxyType({str(k): str(v) for k, v in table.items()})
    if problems:
        raise VillageSiteError(problems)
    return Theme(name, path, extends, MappingProxyType(strings), fields.line_of("extends") if extends else None)


class QuickContext(jinja2.runtime.Context):
    """Jinja's template context, calling plain functions without asking each how to be called.

    Every ``t()``, ``url()`` and ``picture()`` in a template goes through
    :meth:`call`, which asks the callable (and its ``__call__``) whether it
    wants the context passed: about 2.5 us a call, 90 calls a page.  A plain
    function, method or partial that does not ask for it (no
    ``jinja_pass_arg``) is called at once; anything else (macros, filters
    that take the context) goes the usual way.
    """

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's signature)
        if type(__obj) in _PLAIN_CALLABLE_TYPES and not hasattr(__obj, "jinja_pass_arg"):
            if kwargs:
                kwargs.pop("_block_vars", None)
                kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:
                return __self.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception"
                )
        return super().call(__obj, *args, **kwargs)


_PLAIN_CALLABLE_TYPES = frozenset({types.FunctionType, types.BuiltinFunctionType, types.MethodType, functools.partial})


def make_environment(
    chain: ThemeChain,
    environment_class: type[jinja2.Environment] = jinja2.Environment,
    bytecode_cache: jinja2.BytecodeCache | None = None,
) -> jinja2.Environment:
    """A Jinja environment over the chain, with ``<theme>:`` prefixes to reach a parent's template."""
    by_name: dict[str, jinja2.BaseLoader] = {}
    for theme in chain.themes:  # a later (more general) theme wins the prefix: "default:" is the shipped one
        if theme.templates.is_dir():
            by_name[theme.name] = jinja2.FileSystemLoader(theme.templates)
    loader = jinja2.ChoiceLoader(
        [
            jinja2.FileSystemLoader(chain.template_dirs()),
            jinja2.PrefixLoader(by_name, delimiter=":"),
        ]
    )
    environment = environment_class(
        loader=loader,
        extensions=[FragmentCache],  # {% cache %}: see villagesite.fragments
        autoescape=jinja2.select_autoescape(("html", "xml"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=bytecode_cache,
        # Templates do not change during a build, and each build makes its own environment: no
        # file stat on every include and import (10,000 of them at 1,000 pages).
        auto_reload=False,
    )
    environment.context_class = QuickContext
    return environment


_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


@dataclass(frozen=True, slots=True)
class StaticAsset:
    name: str
    """As a template names it: ``style.css``."""
    url: str
    """Site path with a content hash: ``/theme/style.3f9a1c2b7d.css``."""
    content: bytes


def theme_assets(chain: ThemeChain, *, hashed: bool = True) -> dict[str, StaticAsset]:
    """Every static file of the chain (the most specific theme wins), named by content hash.

    ``url()`` references between theme files in CSS are rewritten to the hashed
    names, so a changed image gets a new URL in the stylesheet that uses it.
    The preview keeps plain names (``hashed=False``): a stylesheet edit then
    changes one file, not every page, and the browser swaps just the styles.
    """
    files: dict[str, Path] = {}
    for theme in reversed(chain.themes):
        if theme.static.is_dir():
            for path in sorted(theme.static.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    files[path.relative_to(theme.static).as_posix()] = path
    assets: dict[str, StaticAsset] = {}
    for name in sorted(files, key=lambda n: n.endswith(".css")):  # CSS last: it refers to the others
        content = files[name].read_bytes()
        if name.endswith(".css"):
            content = _rewrite_css(name, content, assets)
        digest = hashlib.sha256(content).hexdigest()[:10]
        stem, dot, ext = name.rpartition(".")
        published = name if not hashed else f"{stem}.{digest}.{ext}" if dot else f"{name}.{digest}"
        assets[name] = StaticAsset(name, f"/theme/{published}", content)
    return assets


def _rewrite_css(name: str, content: bytes, assets: dict[str, StaticAsset]) -> bytes:
    folder = name.rpartition("/")[0]

    def replace(match: re.Match[str]) -> str:
        target = match.group(2)
        key = posixpath.normpath(f"{folder}/{target}" if folder else target)
        asset = assets.get(key)
        if asset is None or ":" in target or target.startswith(("/", "#")):
            return match.group(0)
        relative = asset.url.removeprefix("/theme/")
        if folder:
            relative = "../" * (folder.count("/") + 1) + relative
        return f"url({relative})"

    return _CSS_URL.sub(replace, content.decode("utf-8")).encode("utf-8")
