"""The read-optimized in-memory index of the SQLite backend, and its on-disk form.

FTS5 answers selective terms in well under a millisecond, but a term found in
most documents costs it 50-90 ms at 100k organizations (every trigram's
position list is decoded). A segment holds, per distinct word ("chunk": a run
of non-space characters of the folded text), the compact list of documents
containing it, so common terms become a few numpy operations. It is built at
rebuild/compaction time and stored as blobs in the index file, so a fresh
worker loads it in a fraction of a second instead of re-tokenizing.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain

import numpy as np

from matchmaker.reference import VISIBILITIES
from matchmaker.search.base import FILTER_KEYS, filter_values
from matchmaker.search.sqlite_filters import FilterColumn, gather_ranges
from matchmaker.search.text import fold, is_unspaced, strip_edges

NAME, OTHER = 1, 2  # posting flags: the word occurs in the name / in another field
_ASCII_RUN = re.compile("[\x00-\x7f]+")


@dataclass(frozen=True)
class IndexedDoc:
    """What the index needs of one organization document, text already folded.

    The four text columns are also the FTS5 columns; ``other`` joins all but the name.
    """

    id: int
    name: str
    descriptions: str
    search_terms: str
    city: str
    visibility: int
    filters: dict[str, list[str]]
    other: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        joined = "\n".join(
            part for part in (self.descriptions, self.search_terms, self.city) if part
        )
        object.__setattr__(self, "other", joined)

    @classmethod
    def from_document(cls, doc: dict) -> IndexedDoc:
        texts = doc.get("texts") or {}
        return cls(
            id=int(doc["id"]),
            name=" ".join(fold(doc.get("name") or "").split()),
            descriptions=fold("\n".join(text for text in texts.values() if text)),
            search_terms=fold(doc.get("search_terms") or ""),
            city=fold(doc.get("city") or ""),
            visibility=VISIBILITIES.index(doc.get("visibility") or "public"),
            filters={key: filter_values(doc, key) for key in FILTER_KEYS},
        )


class Vocabulary:
    """Distinct words, searchable by substring (the FTS5 trigram semantics)."""

    def __init__(self, words: Sequence[str], short_words: dict[str, list[int]]) -> None:
        self.words = list(words)
        self.short_words = short_words
        ascii_ids: list[int] = []
        other_ids: list[int] = []
        run_texts: list[str] = []
        run_ids: list[int] = []
        for index, word in enumerate(self.words):
            if word.isascii():
                ascii_ids.append(index)
                continue
            other_ids.append(index)
            # An ASCII term can only lie inside an ASCII run of a mixed word ("erp系统"):
            # index the runs, so ASCII terms never scan the (large) non-ASCII text.
            for run in _ASCII_RUN.findall(word):
                run_texts.append(run)
                run_ids.append(index)
        self._ascii = [
            self._group([self.words[i] for i in ascii_ids], ascii_ids),
            self._group(run_texts, run_ids),
        ]
        self._other = [self._group([self.words[i] for i in other_ids], other_ids)]

    @staticmethod
    def _group(texts: list[str], ids: list[int]) -> tuple[str, np.ndarray, np.ndarray]:
        lengths = np.fromiter((len(text) + 1 for text in texts), np.int64, len(texts))
        starts = np.zeros(len(texts), dtype=np.int64)
        starts[1:] = np.cumsum(lengths)[:-1]
        return "\n".join(texts), starts, np.asarray(ids, dtype=np.int64)

    def find(self, text: str, whole_word: bool) -> np.ndarray:
        """Return ids of the words equal to (whole_word) or containing ``text``."""
        if whole_word:
            return np.asarray(self.short_words.get(text, []), dtype=np.int64)
        found = [np.empty(0, np.int64)]
        for blob, starts, ids in self._ascii if text.isascii() else self._other:
            hits = []
            position = blob.find(text)
            while position != -1:
                hits.append(position)
                position = blob.find(text, position + 1)
            if hits:
                index = np.searchsorted(starts, np.asarray(hits), side="right") - 1
                found.append(ids[index])
        return np.unique(np.concatenate(found))


def short_words_of(words: Iterable[str]) -> dict[str, list[int]]:
    """Map each short word of a spaced script to the ids of the chunks it stands in."""
    table: dict[str, list[int]] = {}
    for index, chunk in enumerate(words):
        if len(chunk) > 8:
            continue
        word = strip_edges(chunk)
        if word and len(word) < 3 and not is_unspaced(word):
            table.setdefault(word, []).append(index)
    return table


@dataclass
class Segment:
    """Documents positions 0..n-1 (ids ascending) with postings and filter columns."""

    seq: int
    ids: np.ndarray
    visibility: np.ndarray
    names: list[str]
    name_rank: np.ndarray
    name_len: np.ndarray
    other_len: np.ndarray
    filters: dict[str, FilterColumn]
    vocabulary: Vocabulary
    offsets: np.ndarray
    postings: np.ndarray
    flags: np.ndarray
    _sorted_keys: list[tuple[str, int]] | None = field(default=None, repr=False)

    @property
    def size(self) -> int:
        return len(self.ids)

    def sorted_keys(self) -> list[tuple[str, int]]:
        """(name, id) in name order: where a newer document slots into the order."""
        if self._sorted_keys is None:
            order = np.argsort(self.name_rank)
            ids = self.ids.tolist()
            self._sorted_keys = [(self.names[p], ids[p]) for p in order.tolist()]
        return self._sorted_keys

    def word_postings(self, word_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return (positions, flags) of every posting of the given words."""
        if len(word_ids) <= 8:
            ranges = [slice(self.offsets[w], self.offsets[w + 1]) for w in word_ids.tolist()]
            return (
                np.concatenate([self.postings[r] for r in ranges] or [np.empty(0, np.int32)]),
                np.concatenate([self.flags[r] for r in ranges] or [np.empty(0, np.uint8)]),
            )
        index = gather_ranges(self.offsets, word_ids)
        return self.postings[index], self.flags[index]


def _filter_columns(docs: Sequence[IndexedDoc]) -> dict[str, FilterColumn]:
    columns = {}
    for key in FILTER_KEYS:
        values: dict[str, int] = {}
        positions: list[int] = []
        codes: list[int] = []
        for position, doc in enumerate(docs):
            for value in doc.filters.get(key, ()):
                positions.append(position)
                codes.append(values.setdefault(value, len(values)))
        columns[key] = FilterColumn(
            np.asarray(positions, dtype=np.int32), np.asarray(codes, dtype=np.int32), list(values)
        )
    return columns


def _postings(docs: Sequence[IndexedDoc], other_words: list[list[str]]):
    """Return (words, offsets, positions, flags) with postings sorted by word then position."""
    name_sets = [set(doc.name.split()) for doc in docs]
    other_sets = [set(words) for words in other_words]
    chunks = list(chain(chain.from_iterable(name_sets), chain.from_iterable(other_sets)))
    words = list(dict.fromkeys(chunks))
    word_id = {word: i for i, word in enumerate(words)}
    ids = np.fromiter(map(word_id.__getitem__, chunks), np.int64, len(chunks))
    per_doc = [len(s) for s in name_sets] + [len(s) for s in other_sets]
    positions = np.tile(np.arange(len(docs), dtype=np.int64), 2)
    positions = np.repeat(positions, per_doc)
    name_count = sum(per_doc[: len(docs)])
    flags = np.full(len(chunks), OTHER, dtype=np.uint8)
    flags[:name_count] = NAME
    if not chunks:
        return words, np.zeros(1, np.int64), np.empty(0, np.int32), np.empty(0, np.uint8)
    # One sort by (word, position) gives CSR postings; a word in name and text merges flags.
    key = ids * len(docs) + positions
    order = np.argsort(key, kind="stable")
    key, flags = key[order], flags[order]
    first = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]]))
    merged_flags = np.bitwise_or.reduceat(flags, first)
    unique_key = key[first]
    offsets = np.searchsorted(unique_key // len(docs), np.arange(len(words) + 1))
    postings = (unique_key % len(docs)).astype(np.int32)
    return words, offsets.astype(np.int64), postings, merged_flags.astype(np.uint8)


def build_segment(docs: Sequence[IndexedDoc], seq: int) -> Segment:
    """Build a segment from documents sorted by id."""
    other_words = [doc.other.split() for doc in docs]
    words, offsets, postings, flags = _postings(docs, other_words)
    names = [doc.name for doc in docs]
    ids = np.asarray([doc.id for doc in docs], dtype=np.int64)
    order = sorted(range(len(docs)), key=lambda p: (names[p], docs[p].id))
    rank = np.empty(len(docs), dtype=np.int32)
    rank[np.asarray(order, dtype=np.int64)] = np.arange(len(docs), dtype=np.int32)
    return Segment(
        seq=seq,
        ids=ids,
        visibility=np.asarray([doc.visibility for doc in docs], dtype=np.int8),
        names=names,
        name_rank=rank,
        name_len=np.asarray([len(doc.name.split()) for doc in docs], dtype=np.float32),
        other_len=np.asarray([len(words) for words in other_words], dtype=np.float32),
        filters=_filter_columns(docs),
        vocabulary=Vocabulary(words, short_words_of(words)),
        offsets=offsets,
        postings=postings,
        flags=flags,
    )


_ARRAYS = (
    "ids",
    "visibility",
    "name_rank",
    "name_len",
    "other_len",
    "offsets",
    "postings",
    "flags",
)


def _array_bytes(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def _array(data: bytes) -> np.ndarray:
    return np.load(io.BytesIO(data), allow_pickle=False)


def segment_blobs(segment: Segment) -> dict[str, bytes]:
    """Return the segment as named blobs for the index file."""
    blobs = {name: _array_bytes(getattr(segment, name)) for name in _ARRAYS}
    blobs["names"] = json.dumps(segment.names, ensure_ascii=False).encode()
    blobs["words"] = json.dumps(segment.vocabulary.words, ensure_ascii=False).encode()
    blobs["short_words"] = json.dumps(segment.vocabulary.short_words, ensure_ascii=False).encode()
    blobs["seq"] = str(segment.seq).encode()
    for key, column in segment.filters.items():
        blobs[f"filter.{key}.positions"] = _array_bytes(column.positions)
        blobs[f"filter.{key}.codes"] = _array_bytes(column.codes)
        blobs[f"filter.{key}.values"] = json.dumps(column.values).encode()
    return blobs


def segment_from_blobs(blobs: dict[str, bytes]) -> Segment:
    """Rebuild a segment from the blobs segment_blobs() wrote."""

    filters = {
        key: FilterColumn(
            _array(blobs[f"filter.{key}.positions"]),
            _array(blobs[f"filter.{key}.codes"]),
            json.loads(blobs[f"filter.{key}.values"]),
        )
        for key in FILTER_KEYS
    }
    return Segment(
        seq=int(blobs["seq"]),
        names=json.loads(blobs["names"]),
        filters=filters,
        vocabulary=Vocabulary(json.loads(blobs["words"]), json.loads(blobs["short_words"])),
        **{name: _array(blobs[name]) for name in _ARRAYS},
    )
