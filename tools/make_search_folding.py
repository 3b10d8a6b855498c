#!/usr/bin/env python3
"""Write villagesite/data/search-folding.txt: Traditional -> Simplified for every CJK character.

Made with the installed OpenCC (see villagesite/search/folding.py); run after upgrading it:

    .venv/bin/python tools/make_search_folding.py
"""

from __future__ import annotations

from villagesite.search.folding import SHIPPED, all_cjk, opencc_pairs


def main() -> None:
    pairs = opencc_pairs(all_cjk())
    lines = [f"{traditional}{simple}" for traditional, simple in sorted(pairs.items())]
    header = "# Traditional -> Simplified, one pair a line; from OpenCC (Apache-2.0) by tools/make_search_folding.py\n"
    SHIPPED.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} pairs written to {SHIPPED}")


if __name__ == "__main__":
    main()
