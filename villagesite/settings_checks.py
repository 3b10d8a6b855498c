"""Warnings about ``site.yaml`` that only a published build cares about.

A site at ``base_url: /`` builds and previews well, but a page printed on a poster or shared in
WeChat needs the site's full address: QR codes, ``og:url`` and ``og:image``, canonical links, the
sitemap and the feeds are written with it or left out.  The editor hears it once per build, in the
terminal, never on a page a visitor sees.  The scaffold's sample description is the other thing
a published site should not keep.
"""

from __future__ import annotations

import re

from .config import CONFIG_NAME, SiteConfig
from .errors import Problem, warning
from .i18n import _
from .placeholders import samples


def unfinished_settings(config: SiteConfig) -> list[Problem]:
    """What ``check`` and ``build`` say of site.yaml: the scaffold's sample description left in it."""
    sample = samples().site_description
    if config.description and sample and config.description.strip() == sample.strip():
        return [
            warning(
                CONFIG_NAME,
                _line_of(config, "description"),
                _("is still the scaffold's sample text"),
                field="description",
                hint=_("say in one sentence what the site is about: it is shown in search results and shares"),
            )
        ]
    return []


def publishing_problems(config: SiteConfig) -> list[Problem]:
    """What only ``build`` says, once: a ``base_url`` with no host."""
    problems: list[Problem] = []
    if not config.origin:
        problems.append(
            warning(
                CONFIG_NAME,
                _line_of(config, "base_url"),
                _(
                    "has no host: QR codes, share previews (og:url, og:image), canonical links, the sitemap and "
                    "the feeds need the site's full address"
                ),
                field="base_url",
                hint=_("write the site's full address, e.g. base_url: https://example.org/ (or build with --base-url)"),
            )
        )
    return problems


def _line_of(config: SiteConfig, key: str) -> int | None:
    """The line where ``key`` is written at the top level of site.yaml, if it is."""
    try:
        text = (config.root / CONFIG_NAME).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    match = re.search(rf"^{re.escape(key)}\s*:", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else None
