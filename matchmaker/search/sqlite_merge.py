"""Background merge of the embedded index: fold the pending log into a new segment.

Writers only append to the pending log (``docs`` rows and ``tombstones`` newer
than the segment); readers overlay that log on the stored segment, so a merge
is never needed for correctness, only to keep the overlay small. Like a Lucene
segment merge it runs apart from the writes:

1. Under the merge lock (an exclusive ``flock`` on ``<index>.merge-lock``: one
   merge at a time across threads, workers and hosts sharing the file; a second
   merge skips; the kernel frees it when a merging process dies).
2. Read every document in one read transaction (WAL: writers go on meanwhile)
   and build the segment as of that version, holding no write lock.
3. Stage its blobs in ``segment_parts`` under a new segment id, a megabyte or so
   per short write transaction, so a save never waits long behind the merge.
4. Swap in one small transaction: point ``meta.segment_id`` at the new parts,
   move ``segment_seq`` to the merged version, drop the folded tombstones. If a
   rebuild replaced the index meanwhile (``generation`` moved), discard instead.

A crash anywhere leaves the old segment and the full pending log in place;
parts staged by a dead merge are deleted by the next one.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from matchmaker.search.sqlite_segment import (
    IndexedDoc,
    Segment,
    build_segment,
    segment_blobs,
    segment_from_blobs,
)

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: merges are not coordinated across processes
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger(__name__)

PART_BYTES = 1 << 20
# Bytes written per staging transaction: a few milliseconds of write lock.
STAGE_BYTES = 2 * PART_BYTES


def lock_path(index_path: Path) -> Path:
    return index_path.with_name(index_path.name + ".merge-lock")


def try_lock(index_path: Path) -> int | None:
    """Take the merge lock without waiting: its file descriptor, or None if held elsewhere."""
    fd = os.open(lock_path(index_path), os.O_RDWR | os.O_CREAT, 0o644)
    if fcntl is None:  # pragma: no cover
        return fd
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def unlock(fd: int) -> None:
    os.close(fd)  # closing the last descriptor of the open file releases the flock


# -- segment storage -----------------------------------------------------------


def _meta(connection: sqlite3.Connection, key: str) -> int:
    return connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()[0]


def _set_meta(connection: sqlite3.Connection, key: str, value: int) -> None:
    connection.execute("UPDATE meta SET value = ? WHERE key = ?", (value, key))


def _bump(connection: sqlite3.Connection, key: str) -> int:
    connection.execute("UPDATE meta SET value = value + 1 WHERE key = ?", (key,))
    return _meta(connection, key)


def _parts(blobs: dict[str, bytes]) -> Iterator[tuple[str, int, bytes]]:
    for name, data in blobs.items():
        view = memoryview(data)
        for part, start in enumerate(range(0, max(len(data), 1), PART_BYTES)):
            yield name, part, bytes(view[start : start + PART_BYTES])


def load_segment(connection: sqlite3.Connection) -> Segment:
    """Return the segment ``meta.segment_id`` points at (inside the caller's transaction)."""
    segment_id = _meta(connection, "segment_id")
    if segment_id:
        chunks: dict[str, list[bytes]] = {}
        rows = connection.execute(
            "SELECT name, data FROM segment_parts WHERE segment_id = ? ORDER BY name, part",
            (segment_id,),
        )
        for name, data in rows:
            chunks.setdefault(name, []).append(data)
        blobs = {name: b"".join(parts) for name, parts in chunks.items()}
    else:  # an index file written before segments were staged in parts
        blobs = dict(connection.execute("SELECT name, data FROM segment"))
    return segment_from_blobs(blobs) if blobs else build_segment([], 0)


def _point_at(connection: sqlite3.Connection, segment_id: int, segment: Segment, floor: int) -> int:
    """Make ``segment_id`` the current segment (inside the caller's write transaction).

    Tombstones up to ``floor`` are dropped. A merge keeps those newer than the segment
    it replaces, so a reader may go on using that segment (the log on top of it is still
    whole) while it loads the new one in the background. Returns the new generation.
    """
    _set_meta(connection, "segment_id", segment_id)
    _set_meta(connection, "segment_seq", segment.seq)
    _set_meta(connection, "segment_size", segment.size)
    _set_meta(connection, "tombstone_floor", floor)
    connection.execute("DELETE FROM tombstones WHERE seq <= ?", (floor,))
    return _bump(connection, "generation")


def store_segment(connection: sqlite3.Connection, segment: Segment) -> None:
    """Write and switch to ``segment`` inside the caller's write transaction (rebuild)."""
    segment_id = _bump(connection, "segment_next")
    connection.executemany(
        "INSERT INTO segment_parts VALUES (?, ?, ?, ?)",
        ((segment_id, name, part, data) for name, part, data in _parts(segment_blobs(segment))),
    )
    # A rebuild may drop documents without tombstones: no older segment stays usable.
    _point_at(connection, segment_id, segment, floor=segment.seq)
    connection.execute("DELETE FROM segment_parts WHERE segment_id <> ?", (segment_id,))
    connection.execute("DELETE FROM segment")


# -- the merge -----------------------------------------------------------------


@contextlib.contextmanager
def _write(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def _checkpoint(connection: sqlite3.Connection) -> None:
    """Copy the merge's WAL frames into the file now, so a save's commit need not."""
    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()


def _drop_stale_parts(connection: sqlite3.Connection) -> None:
    """Delete parts no segment points at (the replaced one, or left by a merge that died).

    A part (a megabyte) per transaction, so that saves never wait long for the write lock.
    """
    stale = connection.execute(
        "SELECT segment_id, name, part FROM segment_parts"
        " WHERE segment_id <> (SELECT value FROM meta WHERE key = 'segment_id')"
    ).fetchall()
    for key in stale:
        with _write(connection):
            connection.execute(
                "DELETE FROM segment_parts WHERE segment_id = ? AND name = ? AND part = ?"
                " AND segment_id <> (SELECT value FROM meta WHERE key = 'segment_id')",
                key,
            )
    if stale:
        _checkpoint(connection)
    if connection.execute("SELECT 1 FROM segment LIMIT 1").fetchone():
        with _write(connection):
            if _meta(connection, "segment_id"):
                connection.execute("DELETE FROM segment")


def _read_all(
    connection: sqlite3.Connection, row_doc: Callable[[tuple], IndexedDoc], columns: str
) -> tuple[int, int, list[IndexedDoc]]:
    """Return (version, generation, every document) as of one consistent read."""
    connection.execute("BEGIN")
    try:
        version = _meta(connection, "version")
        generation = _meta(connection, "generation")
        rows = connection.execute(f"SELECT {columns} FROM docs ORDER BY id")
        docs = [row_doc(row) for row in rows]
    finally:
        connection.execute("COMMIT")
    return version, generation, docs


def run_merge(
    connection: sqlite3.Connection,
    row_doc: Callable[[tuple], IndexedDoc],
    columns: str,
    on_swap: Callable[[int, Segment], None] | None = None,
) -> bool:
    """Merge the pending log into a new segment; the caller holds the merge lock.

    Returns False when there was nothing to merge or a rebuild overtook the merge.
    ``on_swap(generation, segment)`` hands the new segment to this process's readers.
    """
    _drop_stale_parts(connection)
    if _meta(connection, "version") <= _meta(connection, "segment_seq") and _meta(
        connection, "segment_id"
    ):
        return False  # nothing pending
    version, generation, docs = _read_all(connection, row_doc, columns)
    segment = build_segment(docs, version)
    del docs
    blobs = segment_blobs(segment)
    with _write(connection):
        segment_id = _bump(connection, "segment_next")
    batch: list[tuple[int, str, int, bytes]] = []
    size = 0
    for name, part, data in _parts(blobs):
        batch.append((segment_id, name, part, data))
        size += len(data)
        if size >= STAGE_BYTES:
            _stage(connection, batch)
            batch, size = [], 0
    _stage(connection, batch)
    with _write(connection):
        swapped = _meta(connection, "generation") == generation
        if swapped:
            floor = _meta(connection, "segment_seq")
            new_generation = _point_at(connection, segment_id, segment, floor)
            _bump(connection, "merges")
        else:  # a rebuild replaced the documents while we built: ours is stale
            connection.execute("DELETE FROM segment_parts WHERE segment_id = ?", (segment_id,))
    if swapped:
        if on_swap is not None:
            on_swap(new_generation, segment)
        _drop_stale_parts(connection)
    return swapped


def _stage(connection: sqlite3.Connection, batch: list[tuple[int, str, int, bytes]]) -> None:
    if batch:
        with _write(connection):
            connection.executemany("INSERT INTO segment_parts VALUES (?, ?, ?, ?)", batch)
        _checkpoint(connection)


def main(argv: list[str] | None = None) -> int:
    """``python -m matchmaker.search.sqlite_merge INDEX [LOCK_FD]``: one merge, then exit.

    Run by a worker with the merge lock already taken (its descriptor inherited), so the
    merge's CPU work does not compete with the worker's requests for the GIL.
    """
    args = sys.argv[1:] if argv is None else argv
    from matchmaker.search.sqlite_fts import SqliteFtsBackend

    backend = SqliteFtsBackend(args[0])
    fd = int(args[1]) if len(args) > 1 else try_lock(backend.path)
    if fd is None:
        return 0
    start = time.perf_counter()
    try:
        merged = backend.merge_locked()
    except Exception:  # the index stays consistent; a later save retries
        logger.exception("search index merge failed")
        return 1
    finally:
        unlock(fd)
    if merged:
        logger.info("search index merged in %.1f s", time.perf_counter() - start)
    return 0


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    sys.exit(main())
