"""Embedded search backend: an SQLite file with FTS5 (trigram) plus in-memory postings.

The index lives in its own file, apart from the application database, so it
works the same whether the application runs on SQLite or PostgreSQL.

* FTS5 with the trigram tokenizer finds any substring of three characters or
  more, in any script; it answers selective terms in well under a millisecond.
* Terms found in thousands of documents, and one- or two-character terms
  (which trigrams cannot match), go to the in-memory segment
  (see :mod:`sqlite_segment`), as do filters and facet counts.
* Several processes (gunicorn workers) share the file: each write bumps a
  version counter, and a reader whose snapshot is older reloads what changed.
* A write only appends to the pending log (documents and tombstones newer than
  the segment); a search overlays that log on the segment. Past a threshold the
  log is folded into a new segment in the background (see :mod:`sqlite_merge`),
  never inside a save.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from matchmaker.search import sqlite_merge
from matchmaker.search.base import (
    Hit,
    ProgressCallback,
    SearchQuery,
    SearchResult,
    SearchUnavailable,
    validate_query,
)
from matchmaker.search.highlight import snippet
from matchmaker.search.sqlite_query import TermMasks, execute
from matchmaker.search.sqlite_segment import IndexedDoc, Segment, build_segment
from matchmaker.search.sqlite_snapshot import Snapshot
from matchmaker.search.text import Term, query_terms

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta VALUES ('version', 0), ('generation', 0), ('segment_seq', 0),
    ('segment_id', 0), ('segment_next', 0), ('segment_size', 0), ('merges', 0),
    ('tombstone_floor', 0);
CREATE TABLE IF NOT EXISTS docs (
    id INTEGER PRIMARY KEY,
    seq INTEGER NOT NULL,
    visibility INTEGER NOT NULL,
    filters TEXT NOT NULL,
    document TEXT NOT NULL,
    name TEXT NOT NULL,
    descriptions TEXT NOT NULL,
    search_terms TEXT NOT NULL,
    city TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS docs_seq ON docs (seq);
CREATE TABLE IF NOT EXISTS tombstones (id INTEGER PRIMARY KEY, seq INTEGER NOT NULL);
-- Before segments were staged in parts (read while meta.segment_id is 0).
CREATE TABLE IF NOT EXISTS segment (name TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS segment_parts (
    segment_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    part INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (segment_id, name, part)
);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5 (
    name, descriptions, search_terms, city,
    content = 'docs', content_rowid = 'id', tokenize = 'trigram'
);
"""
TEXT_COLUMNS = ("name", "descriptions", "search_terms", "city")
ROW_COLUMNS = ("id", "visibility", "filters", *TEXT_COLUMNS)
# Past this many matches a term is cheaper to resolve from the in-memory postings.
FTS_LIMIT = 2000
BATCH = 1000
# Where a merge runs: "process" (a child process, so its CPU work does not hold
# the worker's GIL), "thread" (a thread of this process) or "inline" (inside the
# write that crossed the threshold, after its commit: tests and the benchmark).
MERGE_MODES = ("process", "thread", "inline")
# After a failed merge, saves do not start another for this long.
MERGE_RETRY_SECONDS = 30.0
# Another process holds the merge lock: do not knock again for this long.
MERGE_BUSY_SECONDS = 1.0
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])

logger = logging.getLogger(__name__)


class SqliteFtsBackend:
    """Search backend over one SQLite file; safe to share between threads and processes."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        compact_after: int = 2000,
        fts_limit: int = FTS_LIMIT,
        merge: str = "thread",
    ) -> None:
        if merge not in MERGE_MODES:
            raise ValueError(f"merge must be one of {MERGE_MODES}")
        self.path = Path(path)
        self.fts_limit = fts_limit
        # The delta is folded into a new segment once it exceeds this many documents
        # (or a twentieth of the index, whichever is larger).
        self.compact_after = compact_after
        self.merge_mode = merge
        self._merge_guard = threading.Lock()
        self._merger: threading.Thread | None = None
        self._merge_not_before = 0.0
        # A segment newer than the snapshot's, loaded in the background: (generation, segment).
        self._next_base: tuple[int, Segment] | None = None
        self._base_loader: threading.Thread | None = None
        self._local = threading.local()
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        # Terms FTS5 found in too many documents: skip asking it again.
        self._common_terms: dict[str, None] = {}

    # -- connections -------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None or self._local.pid != os.getpid():
            connection = self._connect()
            self._local.connection, self._local.pid = connection, os.getpid()
        return connection

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            connection.execute("PRAGMA busy_timeout = 10000")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.executescript(SCHEMA)
        except (sqlite3.Error, OSError) as error:
            raise SearchUnavailable(f"search index {self.path}: {error}") from error
        return connection

    @contextlib.contextmanager
    def _transaction(self, mode: str = "DEFERRED") -> Iterator[sqlite3.Connection]:
        connection = self._connection()
        try:
            connection.execute(f"BEGIN {mode}")
            try:
                yield connection
            except BaseException:
                with contextlib.suppress(sqlite3.Error):  # SQLite may have rolled back already
                    connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
        except sqlite3.Error as error:
            raise SearchUnavailable(f"search index {self.path}: {error}") from error

    # -- writes ------------------------------------------------------------

    def index(self, docs: Iterable[dict]) -> None:
        prepared = _prepare(docs)
        if not prepared:
            return
        with self._transaction("IMMEDIATE") as connection:
            seq = _bump(connection, "version")
            for batch in _batches(prepared):
                _remove_from_fts(connection, [doc.id for doc, _ in batch])
                _insert(connection, batch, seq)
                connection.executemany(
                    "DELETE FROM tombstones WHERE id = ?", [(doc.id,) for doc, _ in batch]
                )
            due = self._merge_due(connection)
        if due:
            self._start_merge()

    def delete(self, org_id: int) -> None:
        with self._transaction("IMMEDIATE") as connection:
            if not _remove_from_fts(connection, [org_id]):
                return
            seq = _bump(connection, "version")
            connection.execute("DELETE FROM docs WHERE id = ?", (org_id,))
            connection.execute("INSERT OR REPLACE INTO tombstones VALUES (?, ?)", (org_id, seq))
            due = self._merge_due(connection)
        if due:
            self._start_merge()

    def rebuild(self, docs: Iterable[dict], progress: ProgressCallback | None = None) -> int:
        prepared = _prepare(docs)
        with self._transaction("IMMEDIATE") as connection:
            seq = _bump(connection, "version")
            connection.execute("INSERT INTO fts (fts) VALUES ('delete-all')")
            connection.execute("DELETE FROM docs")
            connection.execute("DELETE FROM tombstones")
            done = 0
            for batch in _batches(prepared):
                _insert(connection, batch, seq)
                done += len(batch)
                if progress:
                    progress(done)
            connection.execute("INSERT INTO fts (fts) VALUES ('optimize')")
            segment = build_segment([doc for doc, _ in prepared], seq)
            sqlite_merge.store_segment(connection, segment)
        return len(prepared)

    # -- merging the pending log ---------------------------------------------

    def _merge_due(self, connection: sqlite3.Connection) -> bool:
        """Whether the pending log has outgrown max(compact_after, 5 % of the segment)."""
        if self._merger is not None and self._merger.is_alive():
            return False  # this process is merging already
        segment_seq = _meta(connection, "segment_seq")
        threshold = max(self.compact_after, _meta(connection, "segment_size") // 20)
        # Both counts walk only the pending entries (docs_seq index, small tombstones).
        pending = connection.execute(
            "SELECT (SELECT count(*) FROM docs WHERE seq > ?1)"
            " + (SELECT count(*) FROM tombstones WHERE seq > ?1)",
            (segment_seq,),
        ).fetchone()[0]
        return pending > threshold

    def pending(self) -> int:
        """Return how many changes wait in the log on top of the stored segment."""
        with self._transaction() as connection:
            return connection.execute(
                "SELECT (SELECT count(*) FROM docs WHERE seq > ?1)"
                " + (SELECT count(*) FROM tombstones WHERE seq > ?1)",
                (_meta(connection, "segment_seq"),),
            ).fetchone()[0]

    def merges(self) -> int:
        """Return how many background merges were swapped in since the file was created."""
        with self._transaction() as connection:
            return _meta(connection, "merges")

    def merge(self) -> bool:
        """Merge now in the caller's thread; False if another merge holds the lock."""
        try:
            fd = sqlite_merge.try_lock(self.path)
        except OSError as error:
            raise SearchUnavailable(f"search index {self.path}: {error}") from error
        if fd is None:
            return False
        try:
            return self.merge_locked()
        finally:
            sqlite_merge.unlock(fd)

    def merge_locked(self) -> bool:
        """Merge the pending log into a new segment; the caller holds the merge lock."""
        try:
            return sqlite_merge.run_merge(
                self._connection(), _row_doc, ", ".join(ROW_COLUMNS), self._hand_over
            )
        except sqlite3.Error as error:
            raise SearchUnavailable(f"search index {self.path}: {error}") from error

    def wait_for_merge(self, timeout: float | None = None) -> bool:
        """Wait for this handle's background merge, if any; False if still running."""
        merger = self._merger
        if merger is None:
            return True
        merger.join(timeout)
        return not merger.is_alive()

    def _start_merge(self) -> None:
        """Start a merge in the background unless one runs (here or in another process)."""
        with self._merge_guard:
            if self._merger is not None and self._merger.is_alive():
                return
            if time.monotonic() < self._merge_not_before:
                return
            try:
                fd = sqlite_merge.try_lock(self.path)
            except OSError:
                logger.warning("search index merge lock unavailable", exc_info=True)
                self._merge_not_before = time.monotonic() + MERGE_RETRY_SECONDS
                return
            if fd is None:  # another worker merges; its segment will do for us too
                self._merge_not_before = time.monotonic() + MERGE_BUSY_SECONDS
                return
            if self.merge_mode == "inline":
                self._merge_holding(fd)
                return
            merger = threading.Thread(
                target=self._merge_holding, args=(fd,), name="search-index-merge", daemon=True
            )
            self._merger = merger
            merger.start()

    def _merge_holding(self, fd: int) -> None:
        """Run one merge with the lock descriptor ``fd``, which this call releases."""
        ok = False
        try:
            if self.merge_mode == "process":
                ok = self._merge_in_child(fd)
            else:
                self.merge_locked()
                ok = True
        except Exception:  # the log stays valid; retry after a pause
            logger.exception("search index merge failed")
        finally:
            with contextlib.suppress(OSError):
                sqlite_merge.unlock(fd)
        if not ok:
            self._merge_not_before = time.monotonic() + MERGE_RETRY_SECONDS

    def _merge_in_child(self, fd: int) -> bool:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            part for part in (_PACKAGE_ROOT, env.get("PYTHONPATH")) if part
        )
        child = subprocess.Popen(
            [sys.executable, "-m", "matchmaker.search.sqlite_merge", str(self.path), str(fd)],
            pass_fds=(fd,),
            stdin=subprocess.DEVNULL,
            env=env,
        )
        # The child holds the lock through its copy of the descriptor; drop ours now, so
        # the lock ends with the child even if this process dies first.
        sqlite_merge.unlock(fd)
        return child.wait() == 0

    # -- reads -------------------------------------------------------------

    def version(self) -> int:
        """The index's write counter (any process's write raises it): a key for caches."""
        with self._transaction() as connection:
            return _meta(connection, "version")

    def ping(self) -> bool:
        try:
            with self._transaction() as connection:
                connection.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        except SearchUnavailable:
            return False
        return True

    def search(self, query: SearchQuery) -> SearchResult:
        query = validate_query(query)
        terms = query_terms(query.text)
        for attempt in range(3):
            with self._transaction() as connection:
                snapshot = self._current(connection)
                if snapshot.version != _meta(connection, "version") and attempt < 2:
                    continue  # another thread loaded a newer version: read again, newer
                lookup = functools.partial(self._fts_term, connection, snapshot)
                ranked = execute(snapshot, query, terms, lookup)
                ids = snapshot.ids[ranked.positions].tolist()
                documents = _documents(connection, ids)
                break
        hits = [
            Hit(id=org_id, score=score, highlight=snippet(documents[org_id], terms, query.locale))
            for org_id, score in zip(ids, ranked.scores, strict=True)
        ]
        return SearchResult(total=ranked.total, hits=hits, facets=ranked.facets)

    def _current(self, connection: sqlite3.Connection) -> Snapshot:
        """Return the snapshot matching the file as this transaction sees it."""
        version = _meta(connection, "version")
        snapshot = self._snapshot
        if snapshot is not None and snapshot.version >= version and self._next_base is None:
            return snapshot
        with self._lock:
            snapshot = self._snapshot
            if snapshot is None or snapshot.version < version or self._next_base is not None:
                snapshot = self._load(connection, version, snapshot)
                self._snapshot = snapshot
            return snapshot

    def _load(
        self, connection: sqlite3.Connection, version: int, previous: Snapshot | None
    ) -> Snapshot:
        generation = _meta(connection, "generation")
        ready, self._next_base = self._next_base, None
        if ready is not None and ready[0] == generation:
            base = ready[1]  # loaded (or merged) in the background
        elif previous is not None and (
            previous.generation == generation
            or _meta(connection, "tombstone_floor") <= previous.base.seq
        ):
            # Same segment, or a merge swapped in a newer one while the log on top of ours
            # is still whole: keep ours (until the new one is loaded in the background) and
            # add only what changed since the previous snapshot.
            if previous.generation != generation:
                self._load_base_in_background()
            since = previous.version
            deleted = [
                row[0]
                for row in connection.execute("SELECT id FROM tombstones WHERE seq > ?", (since,))
            ]
            return Snapshot.extend(
                previous,
                self._changed_since(connection, since),
                deleted,
                version,
                previous.generation,
            )
        else:
            base = sqlite_merge.load_segment(connection)
        deleted = [
            row[0]
            for row in connection.execute("SELECT id FROM tombstones WHERE seq > ?", (base.seq,))
        ]
        delta = self._changed_since(connection, base.seq)
        return Snapshot.combine(base, delta, deleted, version, generation)

    @staticmethod
    def _changed_since(connection: sqlite3.Connection, seq: int) -> list[IndexedDoc]:
        # No ORDER BY: it would make SQLite walk every row in id order instead of the seq index.
        rows = connection.execute(
            f"SELECT {', '.join(ROW_COLUMNS)} FROM docs WHERE seq > ?", (seq,)
        )
        return sorted(map(_row_doc, rows), key=lambda doc: doc.id)

    def _hand_over(self, generation: int, segment: Segment) -> None:
        """Give a segment this process merged to its own readers (no reload from disk)."""
        self._next_base = (generation, segment)

    def _load_base_in_background(self) -> None:
        """Load the current segment in a thread; the next search switches to it."""
        loader = self._base_loader
        if loader is not None and loader.is_alive():
            return
        loader = threading.Thread(target=self._load_base, name="search-index-load", daemon=True)
        self._base_loader = loader
        loader.start()

    def _load_base(self) -> None:
        try:
            with self._transaction() as connection:
                generation = _meta(connection, "generation")
                segment = sqlite_merge.load_segment(connection)
        except Exception:  # the next search loads it in the foreground instead
            logger.exception("loading the search index segment failed")
            return
        self._next_base = (generation, segment)

    def _fts_term(
        self, connection: sqlite3.Connection, snapshot: Snapshot, term: Term
    ) -> TermMasks | None:
        """Resolve a selective term with FTS5; None when memory is the faster way."""
        if term.whole_word or len(term.text) < 3 or term.text in self._common_terms:
            return None
        phrase = '"' + term.text.replace('"', '""') + '"'
        try:
            found = connection.execute(
                "SELECT rowid FROM fts WHERE fts MATCH ? LIMIT ?", (phrase, self.fts_limit + 1)
            ).fetchall()
            if len(found) > self.fts_limit:
                self._remember_common(term.text)
                return None
            in_text = connection.execute(
                "SELECT rowid FROM fts WHERE fts MATCH ?",
                ("{descriptions search_terms city} : " + phrase,),
            ).fetchall()
        except sqlite3.OperationalError:
            return None  # whatever FTS5 objects to, the in-memory postings can answer
        positions = snapshot.positions_of(np.asarray([row[0] for row in found], dtype=np.int64))
        in_name = np.zeros(snapshot.size, dtype=bool)
        in_name[positions[snapshot.name_hits(positions, term)]] = True
        text_positions = snapshot.positions_of(np.asarray([r[0] for r in in_text], dtype=np.int64))
        in_other = np.zeros(snapshot.size, dtype=bool)
        in_other[text_positions] = True
        return in_name, in_other

    def _remember_common(self, text: str) -> None:
        if len(self._common_terms) > 4096:
            self._common_terms.clear()
        self._common_terms[text] = None


def _prepare(docs: Iterable[dict]) -> list[tuple[IndexedDoc, str]]:
    """Fold each document once; the last of duplicate ids wins; sorted by id."""
    latest = {int(doc["id"]): doc for doc in docs}
    return [
        (IndexedDoc.from_document(latest[org_id]), json.dumps(latest[org_id], ensure_ascii=False))
        for org_id in sorted(latest)
    ]


def _batches(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _insert(connection: sqlite3.Connection, batch: list[tuple[IndexedDoc, str]], seq: int) -> None:
    connection.executemany(
        "INSERT OR REPLACE INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                doc.id,
                seq,
                doc.visibility,
                json.dumps(doc.filters),
                raw,
                doc.name,
                doc.descriptions,
                doc.search_terms,
                doc.city,
            )
            for doc, raw in batch
        ],
    )
    connection.executemany(
        "INSERT INTO fts (rowid, name, descriptions, search_terms, city) VALUES (?, ?, ?, ?, ?)",
        [(doc.id, doc.name, doc.descriptions, doc.search_terms, doc.city) for doc, _ in batch],
    )


def _remove_from_fts(connection: sqlite3.Connection, ids: list[int]) -> int:
    """Drop the FTS5 entries of stored documents (external content needs the old text)."""
    marks = ", ".join("?" * len(ids))
    old = connection.execute(
        f"SELECT id, {', '.join(TEXT_COLUMNS)} FROM docs WHERE id IN ({marks})", ids
    ).fetchall()
    connection.executemany(
        "INSERT INTO fts (fts, rowid, name, descriptions, search_terms, city)"
        " VALUES ('delete', ?, ?, ?, ?, ?)",
        old,
    )
    return len(old)


def _row_doc(row: tuple) -> IndexedDoc:
    org_id, visibility, filters, name, descriptions, search_terms, city = row
    return IndexedDoc(
        org_id, name, descriptions, search_terms, city, visibility, json.loads(filters)
    )


def _documents(connection: sqlite3.Connection, ids: list[int]) -> dict[int, dict]:
    if not ids:
        return {}
    marks = ", ".join("?" * len(ids))
    rows = connection.execute(f"SELECT id, document FROM docs WHERE id IN ({marks})", ids)
    return {org_id: json.loads(document) for org_id, document in rows}


def _meta(connection: sqlite3.Connection, key: str) -> int:
    return connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()[0]


def _bump(connection: sqlite3.Connection, key: str) -> int:
    connection.execute("UPDATE meta SET value = value + 1 WHERE key = ?", (key,))
    return _meta(connection, key)
