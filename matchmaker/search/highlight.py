"""Snippets with ``<mark>`` around the query terms, as safe HTML.

Matching happens on folded text, so the snippet maps folded offsets back to
the original characters: the reader sees their own accents and case.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from matchmaker.search.text import Term, fold, strip_edges

SNIPPET_CHARS = 180
LOCALE_ORDER = ("en", "zh_Hans", "ar", "ru", "es", "fr")
_CHUNK = re.compile(r"\S+")


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    return fold(char)


def _folded_with_offsets(text: str) -> tuple[str, list[int]]:
    """Return fold(text) and, per folded character, the index of its source character."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    pieces: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        pieces.append(folded)
        offsets.extend([index] * len(folded))
    return "".join(pieces), offsets


def _term_spans(folded: str, term: Term) -> Iterable[tuple[int, int]]:
    if term.whole_word:
        for chunk in _CHUNK.finditer(folded):
            word = strip_edges(chunk.group())
            if word == term.text:
                start = chunk.start() + chunk.group().index(word)
                yield start, start + len(word)
        return
    start = folded.find(term.text)
    while start != -1:
        yield start, start + len(term.text)
        start = folded.find(term.text, start + 1)


def match_spans(text: str, terms: Iterable[Term]) -> list[tuple[int, int]]:
    """Return merged (start, end) spans of ``text`` where any term occurs."""
    folded, offsets = _folded_with_offsets(text)
    spans = sorted(
        (offsets[start], offsets[end - 1] + 1)
        for term in terms
        for start, end in _term_spans(folded, term)
    )
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def render(text: str, spans: list[tuple[int, int]], width: int = SNIPPET_CHARS) -> str:
    """Return an escaped window of ``text`` around the first span, spans in <mark>."""
    first = spans[0][0] if spans else 0
    start = 0
    if first >= width // 3:
        # Start a little before the first match, on a word boundary when there is one.
        start = first - width // 4
        space = text.rfind(" ", max(0, start - 20), start)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + width)
    space = text.rfind(" ", end - 20, end) if end < len(text) else -1
    if space > first:
        end = space
    parts = ["…" if start > 0 else ""]
    cursor = start
    for span_start, span_end in spans:
        if span_start >= end:
            break
        if span_end <= cursor:
            continue
        span_start = max(span_start, cursor)
        span_end = min(span_end, end)
        parts.append(html.escape(text[cursor:span_start]))
        parts.append(f"<mark>{html.escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    parts.append(html.escape(text[cursor:end]))
    parts.append("…" if end < len(text) else "")
    return "".join(parts)


def candidate_texts(doc: Mapping, locale: str | None) -> list[str]:
    """Return the fields a snippet may come from, the reader's description first."""
    texts = doc.get("texts") or {}
    order = sorted(texts, key=lambda code: (code != locale, *_locale_rank(code)))
    fields = [texts[code] for code in order if texts[code]]
    # Not search_terms: that is service names in six languages, which reads as a jumble.
    # A hit found only there shows the start of the reader's description instead.
    fields += [doc.get("name") or "", doc.get("city") or ""]
    return [field for field in fields if field]


def _locale_rank(code: str) -> tuple[int, str]:
    return (LOCALE_ORDER.index(code) if code in LOCALE_ORDER else len(LOCALE_ORDER), code)


def snippet(doc: Mapping, terms: list[Term], locale: str | None) -> str:
    """Return the highlight for one hit: "" without terms, else a marked snippet."""
    if not terms:
        return ""
    fields = candidate_texts(doc, locale)
    for text in fields:
        spans = match_spans(text, terms)
        if spans:
            return render(text, spans)
    return render(fields[0], []) if fields else ""
