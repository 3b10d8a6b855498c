"""The language villagesite speaks to its editors: gettext catalogues, chosen once per run.

Messages are written in English in the code, marked with :func:`_` (or :func:`n_` where English
needs a plural), and translated from the compiled catalogues in ``villagesite/locale`` (made by
``tools/messages.py`` with Babel; only the standard library reads them).  A message is translated
when it is made, so every part of a run speaks one language: forked workers inherit it, and caches
that keep messages name it in their keys (:func:`language`).

The language comes from ``--lang``, then ``VILLAGESITE_LANG``, then the locale (``LANGUAGE``,
``LC_ALL``, ``LC_MESSAGES``, ``LANG``, as gettext reads them), then the site's ``language``; a
locale of no language (``C``, ``POSIX``) passes the choice on.  Chinese of Taiwan, Hong Kong and
Macau gets Traditional messages; any other language English.
"""

from __future__ import annotations

import gettext as gnu_gettext
from collections.abc import Callable, Mapping
from pathlib import Path

DOMAIN = "villagesite"
LOCALE_DIR = Path(__file__).parent / "locale"
ENGLISH = "en"
SIMPLIFIED = "zh_Hans"
TRADITIONAL = "zh_Hant"
LANGUAGES = (ENGLISH, SIMPLIFIED, TRADITIONAL)
"""The languages of the messages; English is the one written in the code."""

_TRADITIONAL_REGIONS = ("tw", "hk", "mo", "hant")
_NO_LANGUAGE = ("", "c", "posix")

_language = ENGLISH
_catalogue: gnu_gettext.NullTranslations = gnu_gettext.NullTranslations()


def _(message: str, /, **values: object) -> str:
    """``message`` in the editor's language, with ``{name}`` filled from ``values``.

    Always formatted, so a literal brace is written twice in every message (``{{% cache %}}``).
    """
    return _catalogue.gettext(message).format(**values)


def n_(singular: str, plural: str, count: int, /, **values: object) -> str:
    """The form of a message that fits ``count`` (English has two; Chinese one), with ``{count}``."""
    return _catalogue.ngettext(singular, plural, count).format(count=count, **values)


def gettext(message: str, /) -> str:
    """``message`` in the editor's language, unformatted: for code that formats it itself (argparse)."""
    return _catalogue.gettext(message)


def N_(message: str, /) -> str:
    """Marks a message for the catalogue where it is defined; :func:`_` translates it where it is used."""
    return message


def Nn_(singular: str, plural: str, /) -> tuple[str, str]:  # noqa: N802 - gettext's convention
    """Marks a plural pair for the catalogue where it is defined; :func:`n_` translates it where it is used."""
    return singular, plural


def language() -> str:
    """The language messages are in now: one of :data:`LANGUAGES`."""
    return _language


def set_language(code: str) -> None:
    """Speak ``code`` (one of :data:`LANGUAGES`) from now on, in this process and the ones it forks."""
    global _language, _catalogue
    if code not in LANGUAGES:
        raise ValueError(f"no messages in {code!r}; one of {', '.join(LANGUAGES)}")
    _language = code
    _catalogue = (
        gnu_gettext.NullTranslations()
        if code == ENGLISH
        else gnu_gettext.translation(DOMAIN, LOCALE_DIR, languages=[code], fallback=True)
    )


def from_tag(tag: str | None) -> str | None:
    """A language tag or a locale (``zh-Hant``, ``zh_HK.UTF-8``, ``en_GB``, ``C``) -> one of
    :data:`LANGUAGES`, or None when it names no language."""
    if tag is None:
        return None
    name = tag.split(":")[0].split(".")[0].split("@")[0].strip().lower().replace("-", "_")
    if name in _NO_LANGUAGE:
        return None
    parts = name.split("_")
    if parts[0] != "zh":
        return ENGLISH
    return TRADITIONAL if any(part in _TRADITIONAL_REGIONS for part in parts[1:]) else SIMPLIFIED


LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def choose(option: str | None, environ: Mapping[str, str], site_language: Callable[[], str | None]) -> str:
    """The language for this run: ``--lang``, ``VILLAGESITE_LANG``, the locale, the site's language
    (``site_language`` is asked only when nothing before it names one: it reads the site's settings)."""
    for tag in (option, environ.get("VILLAGESITE_LANG")):
        if found := from_tag(tag):
            return found
    locale = next((environ[name] for name in LOCALE_VARIABLES if environ.get(name)), None)
    if found := from_tag(locale):  # as GNU gettext: LANGUAGE counts only under a locale of some language
        return from_tag(environ.get("LANGUAGE")) or found
    return from_tag(site_language()) or ENGLISH
