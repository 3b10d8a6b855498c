"""Keep the editor-facing message catalogues in step with the code.

    python tools/messages.py

1. extracts every message marked with ``_``, ``n_`` or ``N_`` in ``villagesite/`` into
   ``villagesite/locale/villagesite.pot`` (Babel);
2. merges it into ``zh_Hans/LC_MESSAGES/villagesite.po``, where people translate: a new message
   arrives untranslated and ``tests/test_messages.py`` fails until it is written;
3. writes ``zh_Hant`` from ``zh_Hans``: OpenCC's Hong Kong standard, then the terms reviewed in
   ``tools/messages-hant-terms.yaml`` (檔案 for 文件, 資料夾 for 文件夹…); never edited by hand;
4. compiles both to ``.mo``, the files villagesite reads (only the standard library's gettext).

``--fill FILE.po …`` first takes translations from other PO files (a translator's, or several written
in parallel) for the messages zh_Hans does not translate yet.

Needs the test extras (Babel) and opencc.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import opencc
import yaml
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "villagesite"
LOCALE = PACKAGE / "locale"
TEMPLATE = LOCALE / "villagesite.pot"
HANT_TERMS = Path(__file__).with_name("messages-hant-terms.yaml")
KEYWORDS = {"_": None, "n_": (1, 2), "N_": None, "Nn_": (1, 2)}
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "villagesite.po"


def extract() -> Catalog:
    """Every marked message in the package, with where it is used."""
    catalog = Catalog(project="villagesite", domain="villagesite", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        PACKAGE, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=["TRANSLATORS:"]
    ):
        catalog.add(message, None, [(f"villagesite/{filename}", lineno)], auto_comments=comments, context=context)
    return catalog


def read(path: Path, locale: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=locale, project="villagesite", domain="villagesite", charset="utf-8")
    with path.open("rb") as file:
        return read_po(file, locale=locale)


def write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=False, sort_output=False, ignore_obsolete=True)
    path.write_bytes(buffer.getvalue())
    mo = io.BytesIO()
    if catalog.locale is not None:
        write_mo(mo, catalog, use_fuzzy=False)
        path.with_suffix(".mo").write_bytes(mo.getvalue())


def traditional(simplified: Catalog, template: Catalog) -> Catalog:
    """zh_Hant from zh_Hans: converted, placeholders kept, then the reviewed terms."""
    convert = opencc.OpenCC("s2hk").convert
    terms = yaml.safe_load(HANT_TERMS.read_text(encoding="utf-8"))

    def hant(text: str) -> str:
        pieces = PLACEHOLDER.split(text)
        names = PLACEHOLDER.findall(text)
        converted = [_terms(convert(piece), terms) for piece in pieces]
        return "".join(part for pair in zip(converted, [*names, ""], strict=True) for part in pair)

    catalog = Catalog(locale="zh_Hant", project="villagesite", domain="villagesite", charset="utf-8")
    for message in template:
        if not message.id:
            continue
        found = simplified.get(message.id, context=message.context)
        string: str | tuple[str, ...] = ""
        if found is not None and not found.fuzzy and found.string:
            string = tuple(hant(s) for s in found.string) if isinstance(found.string, tuple) else hant(found.string)
        catalog.add(message.id, string, message.locations, context=message.context)
    return catalog


def _terms(text: str, terms: dict[str, str]) -> str:
    for hk, reviewed in sorted(terms.items(), key=lambda term: -len(term[0])):
        text = text.replace(hk, reviewed)
    return text


def fill(catalog: Catalog, sources: list[Path]) -> int:
    """Translate what ``catalog`` lacks from the PO files ``sources``; how many were filled."""
    filled = 0
    for source in sources:
        with source.open("rb") as file:
            for found in read_po(file, locale="zh_Hans"):
                message = catalog.get(found.id) if found.id else None
                if message is None or not _translated(found) or (_translated(message) and not message.fuzzy):
                    continue
                if isinstance(message.id, tuple) != isinstance(found.id, tuple):
                    continue
                message.string = found.string
                message.flags.discard("fuzzy")
                filled += 1
    return filled


def _translated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return bool(strings) and all(strings)


def main(argv: list[str]) -> int:
    sources = [Path(arg) for arg in argv[argv.index("--fill") + 1 :]] if "--fill" in argv else []
    template = extract()
    write(template, TEMPLATE)
    simplified = read(po_path("zh_Hans"), "zh_Hans")
    simplified.update(template, no_fuzzy_matching=True)
    if sources:
        print(f"{fill(simplified, sources)} translations taken from {len(sources)} files")
    write(simplified, po_path("zh_Hans"))
    write(traditional(simplified, template), po_path("zh_Hant"))
    missing = [m.id for m in simplified if m.id and (not _translated(m) or m.fuzzy)]
    print(f"{len(template)} messages; {len(missing)} not yet translated in zh_Hans")
    for message in missing[:20]:
        print("  ", message if isinstance(message, str) else message[0])
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
