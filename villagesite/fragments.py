"""``{% cache key, ... %}…{% endcache %}``: a fragment of a template rendered once per edition and build.

Much of a page is the same on thousands of pages: the header's navigation on every village page,
the footer everywhere, a village's card on each listing that shows it.  A theme wraps such a fragment
in ``{% cache %}`` with the values its output depends on besides the site and the edition (those are
the same for a whole build of one edition); the first render keeps its output, later ones reuse it.
As with Hugo's ``partialCached``, keys that leave out something the fragment reads make a page show
another page's fragment: name in the keys everything that differs from page to page.

A fragment's reads of pages' bodies and of templates (see :class:`~villagesite.deps.RecordingEnvironment`)
are kept with it and counted again on every page that reuses it, so an edit re-renders every page
that shows the fragment, as it would without the cache.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser

from .i18n import _

Fragment = tuple[str, frozenset[str]]
"""A fragment's output, and what rendering it read (pages' bodies, templates)."""


class FragmentCache(Extension):
    """The ``{% cache %}`` tag; its fragments live in the environment (one per edition and build)."""

    tags = {"cache"}

    def __init__(self, environment: jinja2.Environment) -> None:
        super().__init__(environment)
        environment.extend(fragments={})

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        keys: list[nodes.Expr] = []
        while parser.stream.current.type != "block_end":
            if keys:
                parser.stream.expect("comma")
            keys.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        # The tag's own place is part of every key: two fragments with the same keys never mix.
        where = nodes.Const(f"{parser.name or '<string>'}:{lineno}")
        call = self.call_method("_fragment", [where, nodes.Tuple(keys, "load")])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _fragment(self, where: str, keys: tuple[Any, ...], caller: Callable[[], str]) -> str:
        environment: Any = self.environment
        store: dict[tuple[str, tuple[Any, ...]], Fragment] = environment.fragments
        try:
            found = store.get((where, keys))
        except TypeError:
            kinds = ", ".join(type(key).__name__ for key in keys)
            # TRANSLATORS: {kinds} names the kinds of values given as keys (Python's names: Page, dict).
            raise TypeError(
                _(
                    "{{% cache %}} takes plain values such as text and numbers as keys (page.url, not page),"
                    " not: {kinds}",
                    kinds=kinds,
                )
            ) from None
        reads: set[str] | None = getattr(environment, "reads", None)
        if found is None:
            environment.reads = set()
            try:
                html = caller()
            finally:
                inner, environment.reads = environment.reads, reads
            found = store[(where, keys)] = (html, frozenset(inner))
        if reads is not None:
            reads.update(found[1])
        return found[0]
