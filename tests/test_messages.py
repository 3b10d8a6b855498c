"""The editors' messages: every one translated, placeholders kept, compiled catalogues in step.

A message added to the code without a translation fails here, naming it; ``python tools/messages.py``
puts it in ``zh_Hans``'s catalogue to be translated, and makes the rest.
"""

from __future__ import annotations

import gettext
import importlib.util
import re
from pathlib import Path

import pytest

from villagesite import i18n

pytest.importorskip("babel", reason="Babel is in the test extras")  # always there in CI (.ci/run)
from babel.messages.pofile import read_po  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
PLACEHOLDERS = re.compile(r"\{\w*[^{}]*\}|%\(\w+\)\w|%[rsd]")


def _tools():
    spec = importlib.util.spec_from_file_location("messages_tool", REPO / "tools" / "messages.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tools():
    return _tools()


@pytest.fixture(scope="module")
def extracted(tools):
    return tools.extract()


def _catalogue(language: str):
    with (REPO / "villagesite/locale" / language / "LC_MESSAGES/villagesite.po").open("rb") as file:
        return read_po(file, locale=language)


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDERS.findall(text.replace("{{", "").replace("}}", "")))


def test_the_code_has_many_messages(extracted):
    assert len(extracted) > 300  # the whole tool is marked, not a handful of strings


@pytest.mark.parametrize("language", ["zh_Hans", "zh_Hant"])
def test_every_message_is_translated(extracted, language):
    catalogue = _catalogue(language)
    missing = []
    for message in extracted:
        if not message.id:
            continue
        found = catalogue.get(message.id)
        strings = found.string if found is not None and isinstance(found.string, tuple) else (found and found.string,)
        if found is None or found.fuzzy or not all(strings):
            where = ", ".join(f"{path}:{line}" for path, line in message.locations[:2])
            missing.append(f"{where}: {message.id!r}")
    assert not missing, (
        f"{len(missing)} messages have no {language} translation (run tools/messages.py):\n" + "\n".join(missing)
    )


@pytest.mark.parametrize("language", ["zh_Hans", "zh_Hant"])
def test_translations_keep_every_placeholder(language):
    wrong = []
    for message in _catalogue(language):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(_placeholders(ids[-1]))  # Chinese has one form: the plural's placeholders
        for string in strings:
            if set(_placeholders(string)) != expected:
                wrong.append(f"{ids[0]!r} -> {string!r}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("language", ["zh_Hans", "zh_Hant"])
def test_compiled_catalogues_match_their_sources(language):
    """The .mo villagesite reads says what the .po says (tools/messages.py compiles both)."""
    catalogue = _catalogue(language)
    with (REPO / "villagesite/locale" / language / "LC_MESSAGES/villagesite.mo").open("rb") as file:
        compiled = gettext.GNUTranslations(file)
    for message in catalogue:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, tuple):
            assert compiled.ngettext(message.id[0], message.id[1], 2) == message.string[0], message.id
        else:
            assert compiled.gettext(message.id) == message.string, message.id


def test_traditional_is_made_from_simplified(tools, extracted):
    """zh_Hant is never edited by hand: it is OpenCC's Hong Kong standard of zh_Hans, then the reviewed terms."""
    made = tools.traditional(_catalogue("zh_Hans"), extracted)
    shipped = _catalogue("zh_Hant")
    differ = [m.id for m in made if m.id and (shipped.get(m.id) is None or shipped.get(m.id).string != m.string)]
    assert not differ, f"zh_Hant is out of step with zh_Hans (run tools/messages.py): {differ[:5]}"


def test_traditional_uses_the_reviewed_terms():
    text = " ".join(str(message.string) for message in _catalogue("zh_Hant") if message.string)
    for simplified_habit in ("文件夾", "默認", "鏈接", "視頻"):
        assert simplified_habit not in text


@pytest.mark.parametrize(
    ("tag", "language"),
    [
        ("zh_CN.UTF-8", "zh_Hans"),
        ("zh_SG.UTF-8", "zh_Hans"),
        ("zh-Hans", "zh_Hans"),
        ("zh_HK.UTF-8", "zh_Hant"),
        ("zh_TW.Big5", "zh_Hant"),
        ("zh_MO", "zh_Hant"),
        ("zh-Hant", "zh_Hant"),
        ("zh_Hant_HK", "zh_Hant"),
        ("en_GB.UTF-8", "en"),
        ("fr_FR.UTF-8", "en"),
        ("C.UTF-8", None),
        ("POSIX", None),
        ("", None),
    ],
)
def test_locales_name_a_language(tag, language):
    assert i18n.from_tag(tag) == language


def test_the_language_is_chosen_in_order():
    assert i18n.choose("en", {"VILLAGESITE_LANG": "zh-Hans", "LANG": "zh_CN.UTF-8"}, lambda: "zh-Hans") == "en"
    assert i18n.choose(None, {"VILLAGESITE_LANG": "zh-Hant", "LANG": "en_US.UTF-8"}, lambda: "en") == "zh_Hant"
    assert i18n.choose(None, {"LANG": "zh_HK.UTF-8"}, lambda: "zh-Hans") == "zh_Hant"
    assert i18n.choose(None, {"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, lambda: "zh-Hans") == "en"
    assert (
        i18n.choose(None, {"LANG": "C.UTF-8"}, lambda: "zh-Hant") == "zh_Hant"
    )  # no language in the locale: the site's
    assert i18n.choose(None, {}, lambda: "zh-Hans") == "zh_Hans"
    assert i18n.choose(None, {"LANGUAGE": "zh_TW:zh", "LANG": "en_US.UTF-8"}, lambda: None) == "zh_Hant"
    assert i18n.choose(None, {"LANGUAGE": "zh_TW", "LANG": "C"}, lambda: "en") == "en"  # GNU: LANGUAGE needs a locale
