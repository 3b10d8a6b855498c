"""argparse's own words (``usage:``, ``options``, its errors) in the editor's language.

argparse reads them through :func:`gettext.gettext` of its own domain, which no system ships in Chinese.
They are listed here so Babel puts them in villagesite's catalogue, and argparse is pointed at it.  They
keep argparse's ``%`` placeholders, which argparse fills itself.
"""

from __future__ import annotations

import argparse

from . import i18n
from .i18n import N_

MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("unrecognized arguments: %s"),
    N_("expected one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("ignored explicit argument %r"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
)


def translate_argparse() -> None:
    """Make argparse speak the language of this run (its module looks ``_`` up at each message)."""
    argparse._ = i18n.gettext  # type: ignore[attr-defined]
