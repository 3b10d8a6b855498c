"""Static search: an index of character bigrams, words and pinyin, read by a small browser client.

Chinese has no spaces, and word segmenters disagree between the indexer and the browser (see
``docs/search.md``), so the index needs none: every Chinese character and every pair of adjacent
characters is a term, as Lucene's CJK analyser does.  A query of two or more characters is the AND of
its pairs; of one character, that character.  Names (titles, places, tags, attractions...) are indexed
in pinyin too, whole and as initials, from each syllable on, so ``fengjian``, ``jiancun`` and ``fjc``
find 逢简村.  Traditional characters are folded to Simplified on both sides with one table.

:mod:`.terms` makes the terms (the browser client, ``search.js`` in the default theme, mirrors it),
:mod:`.documents` says what of a page is indexed, :mod:`.index` writes the files.
"""

from .documents import SearchDocument, search_documents
from .index import SEARCH_PATH, search_files

__all__ = ["SEARCH_PATH", "SearchDocument", "search_documents", "search_files"]
