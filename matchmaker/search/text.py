"""Text folding and query terms shared by the backends.

Both backends must agree on what a query term is, otherwise the contract
suite cannot expect the same hits from them. A term matches where it occurs
inside a word of the folded text (FTS5 trigram semantics); terms shorter than
three characters match whole words, except in scripts written without spaces
(Chinese, Japanese, Thai ...), where any occurrence counts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_TERMS = 10

# Combining accents (Latin, Greek, Cyrillic) and Arabic harakat / tatweel: marks
# that readers leave out when typing a query. Marks of other scripts (Indic vowel
# signs) carry meaning and stay.
_MARKS = re.compile("[\u0300-\u036f\u064b-\u065f\u0670\u0640]")
# Alef maqsura and teh marbuta are spelled interchangeably with yeh and heh.
_ARABIC = (("\u0649", "\u064a"), ("\u0629", "\u0647"))
# Characters that mean something in some query language; here they only separate.
_SYNTAX = re.compile(r"[\"`()\[\]{}*:^~|<>=+!?;,]")
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\U00020000-\U0003134f]"
)


def fold(text: str) -> str:
    """Return a case- and accent-insensitive form of ``text`` for matching."""
    if text.isascii():
        return text.lower()
    folded = _MARKS.sub("", unicodedata.normalize("NFKD", text).casefold())
    for variant, canonical in _ARABIC:
        if variant in folded:
            folded = folded.replace(variant, canonical)
    return folded


def is_unspaced(text: str) -> bool:
    """Return whether ``text`` holds a character of a script written without spaces."""
    return _UNSPACED.search(text) is not None


def strip_edges(word: str) -> str:
    """Return ``word`` without leading or trailing punctuation."""
    return _EDGE.sub("", word)


@dataclass(frozen=True)
class Term:
    """A query term: ``text`` folded (what the SQLite index compares), ``raw`` as typed
    (Elasticsearch's own analyzers fold it, per language)."""

    text: str
    raw: str

    @property
    def whole_word(self) -> bool:
        """Short terms in spaced scripts match whole words only ("it", "ai")."""
        return len(self.text) < 3 and not is_unspaced(self.text)


def query_terms(text: str) -> list[Term]:
    """Split normalized query text into at most MAX_TERMS distinct folded terms."""
    terms: list[Term] = []
    seen: set[str] = set()
    for chunk in _SYNTAX.sub(" ", unicodedata.normalize("NFKC", text)).split():
        raw = strip_edges(chunk)
        folded = strip_edges(fold(raw))
        if folded and folded not in seen:
            seen.add(folded)
            terms.append(Term(folded, raw))
    return terms[:MAX_TERMS]
