"""The embedded index folds its pending log into a new segment in the background.

Saves never merge inline, searches see every committed change before, during
and after a merge, one merge runs at a time across handles (workers), and a
merge that dies or is overtaken by a rebuild leaves a consistent index.
"""

from __future__ import annotations

import random
import sqlite3
import threading

import pytest

from matchmaker.search import sqlite_merge
from matchmaker.search.base import SearchQuery
from matchmaker.search.sqlite_fts import SqliteFtsBackend
from tests.search.conftest import doc

ALL = ("public", "members", "hidden")
WAIT = 60  # seconds; only reached if something hangs


def ids(result) -> list[int]:
    return sorted(hit.id for hit in result.hits)


def found(backend, text: str) -> list[int]:
    return ids(backend.search(SearchQuery(text=text, visibilities=ALL, per_page=100)))


def corpus(count: int = 20) -> list[dict]:
    return [
        doc(id=i, name=f"Firm{i:03d} Original", texts={"en": f"Plain text {i}."})
        for i in range(1, count + 1)
    ]


class Gate:
    """Hold merges inside their build step until released; counts the builds."""

    def __init__(self, monkeypatch) -> None:
        self.inside = threading.Event()
        self.release = threading.Event()
        self.builds = 0
        real = sqlite_merge.build_segment

        def held_build(docs, seq):
            self.builds += 1
            self.inside.set()
            assert self.release.wait(WAIT), "the test never released the merge"
            return real(docs, seq)

        monkeypatch.setattr(sqlite_merge, "build_segment", held_build)


def _open(tmp_path, **options) -> SqliteFtsBackend:
    return SqliteFtsBackend(tmp_path / "index.sqlite3", **options)


def test_saves_past_the_threshold_return_while_the_merge_runs(tmp_path, monkeypatch):
    backend = _open(tmp_path, compact_after=3, merge="thread")
    backend.rebuild(corpus())
    gate = Gate(monkeypatch)

    for i in range(1, 11):  # the 4th crosses the threshold; all return with the merge held
        backend.index([doc(id=100 + i, name=f"Newcomer{i} Ltd")])
        assert found(backend, f"newcomer{i}") == [100 + i]

    assert gate.inside.wait(WAIT)
    assert backend.merges() == 0  # nothing merged inside a save
    assert backend.pending() == 10
    gate.release.set()
    assert backend.wait_for_merge(WAIT)

    assert (gate.builds, backend.merges()) == (1, 1)  # one merge, not one per save
    assert backend.pending() < 10
    assert found(backend, "newcomer") == list(range(101, 111))
    assert found(_open(tmp_path), "newcomer") == list(range(101, 111))


def test_saves_during_a_merge_are_not_lost(tmp_path, monkeypatch):
    """The merge builds from version V while saves change, add and delete documents."""
    backend = _open(tmp_path, compact_after=10**9, merge="thread")
    backend.rebuild(corpus())
    backend.index([doc(id=i, name=f"Firm{i:03d} Before") for i in range(1, 6)])
    backend.delete(20)
    gate = Gate(monkeypatch)
    merged: list[bool] = []
    merger = threading.Thread(target=lambda: merged.append(backend.merge()))
    merger.start()
    assert gate.inside.wait(WAIT)  # the merge has read its documents

    other_worker = _open(tmp_path)
    other_worker.index([doc(id=i, name=f"Firm{i:03d} After") for i in range(1, 4)])
    other_worker.delete(5)  # in the merge's documents: must stay deleted
    other_worker.delete(19)
    other_worker.index([doc(id=200, name="Latecomer Partners")])
    gate.release.set()
    merger.join(WAIT)

    assert merged == [True]
    for reader in (backend, other_worker, _open(tmp_path)):
        assert found(reader, "after") == [1, 2, 3]
        assert found(reader, "before") == [4]
        assert found(reader, "latecomer") == [200]
        everything = reader.search(SearchQuery(visibilities=ALL, per_page=100))
        assert ids(everything) == sorted({*range(1, 21), 200} - {5, 19, 20})
    assert backend.pending() == 6  # 4 saves and 2 deletions made during the merge wait


def test_merging_while_threads_save_loses_nothing(tmp_path):
    backend = _open(tmp_path, compact_after=10**9, merge="thread")
    backend.rebuild(corpus(50))
    stop = threading.Event()
    merges: list[bool] = []
    errors: list[BaseException] = []

    def merge_repeatedly() -> None:
        try:
            while not stop.is_set():
                merges.append(backend.merge())
        except BaseException as error:  # surfaced below
            errors.append(error)

    def save(first: int) -> None:
        try:
            writer = _open(tmp_path)
            for i in range(first, first + 30):
                writer.index([doc(id=i, name=f"Renamed{i} Works")])
                if i % 10 == 0:
                    writer.delete(i)
        except BaseException as error:
            errors.append(error)

    merger = threading.Thread(target=merge_repeatedly)
    savers = [threading.Thread(target=save, args=(first,)) for first in (1, 31, 61)]
    merger.start()
    for thread in savers:
        thread.start()
    for thread in savers:
        thread.join(WAIT)
    stop.set()
    merger.join(WAIT)

    assert errors == []
    assert any(merges)
    expected = [i for i in range(1, 91) if i % 10]
    for reader in (backend, _open(tmp_path)):
        assert found(reader, "renamed") == expected
        assert found(reader, "original") == []
    backend.merge()  # whatever the last loop left (maybe nothing)
    assert backend.pending() == 0
    assert found(_open(tmp_path), "renamed") == expected


def test_two_merges_at_once_only_one_runs(tmp_path, monkeypatch):
    first, second = _open(tmp_path), _open(tmp_path)
    first.rebuild(corpus())
    first.index([doc(id=50, name="Pending Change")])
    gate = Gate(monkeypatch)
    results: list[bool] = []
    merger = threading.Thread(target=lambda: results.append(first.merge()))
    merger.start()
    assert gate.inside.wait(WAIT)

    assert second.merge() is False  # the loser skips at once
    gate.release.set()
    merger.join(WAIT)

    assert results == [True]
    assert (gate.builds, second.merges()) == (1, 1)
    assert found(second, "pending") == [50]


def test_merge_in_a_child_process(tmp_path):
    backend = _open(tmp_path, compact_after=3, merge="process")
    backend.rebuild(corpus())
    for i in range(1, 6):
        backend.index([doc(id=300 + i, name=f"Childmerge{i} Co")])
        assert found(backend, f"childmerge{i}") == [300 + i]

    assert backend.wait_for_merge(WAIT)
    assert backend.merges() == 1
    assert found(_open(tmp_path), "childmerge") == list(range(301, 306))
    fd = sqlite_merge.try_lock(backend.path)  # the child let go of the lock
    assert fd is not None
    sqlite_merge.unlock(fd)


def test_a_merge_that_dies_leaves_a_consistent_index(tmp_path, monkeypatch):
    backend = _open(tmp_path, compact_after=10**9)
    backend.rebuild(corpus())
    backend.index([doc(id=1, name="Firm001 Changed")])
    backend.delete(2)
    real_stage = sqlite_merge._stage
    staged: list[int] = []

    def stage_then_die(connection, batch):
        real_stage(connection, batch)
        staged.append(len(batch))
        raise OSError("disk full")

    monkeypatch.setattr(sqlite_merge, "_stage", stage_then_die)
    with pytest.raises(OSError):
        backend.merge()
    assert staged

    for reader in (backend, _open(tmp_path)):
        assert found(reader, "changed") == [1]
        assert found(reader, "original") == list(range(3, 21))
    monkeypatch.setattr(sqlite_merge, "_stage", real_stage)
    assert backend.merge() is True
    assert backend.pending() == 0
    assert found(_open(tmp_path), "original") == list(range(3, 21))
    with sqlite3.connect(backend.path) as connection:
        live = connection.execute("SELECT count(DISTINCT segment_id) FROM segment_parts")
        assert live.fetchone()[0] == 1  # the dead merge's parts are gone


def test_a_rebuild_during_a_merge_wins(tmp_path, monkeypatch):
    backend = _open(tmp_path, compact_after=10**9)
    backend.rebuild(corpus())
    backend.index([doc(id=60, name="Stale Change")])
    gate = Gate(monkeypatch)
    results: list[bool] = []
    merger = threading.Thread(target=lambda: results.append(backend.merge()))
    merger.start()
    assert gate.inside.wait(WAIT)

    _open(tmp_path).rebuild([doc(id=70, name="Fresh Start")])
    gate.release.set()
    merger.join(WAIT)

    assert results == [False]
    reader = _open(tmp_path)
    assert ids(reader.search(SearchQuery(visibilities=ALL))) == [70]
    assert backend.merges() == 0


def test_index_file_from_before_parts_still_loads(tmp_path):
    """Files written by the previous version keep their segment in one table."""
    path = tmp_path / "index.sqlite3"
    backend = SqliteFtsBackend(path)
    backend.rebuild(corpus())
    with sqlite3.connect(path) as connection:
        connection.execute(
            "INSERT INTO segment (name, data) SELECT name, data FROM segment_parts"
            " WHERE part = 0 AND name NOT IN (SELECT name FROM segment_parts WHERE part > 0)"
        )
        connection.execute("DELETE FROM segment_parts")
        connection.execute("UPDATE meta SET value = 0 WHERE key IN ('segment_id', 'segment_size')")

    legacy = SqliteFtsBackend(path)
    assert found(legacy, "original") == list(range(1, 21))
    legacy.index([doc(id=5, name="Firm005 Updated")])
    assert legacy.merge() is True
    assert found(SqliteFtsBackend(path), "original") == [i for i in range(1, 21) if i != 5]


def test_readers_keep_their_segment_until_the_new_one_is_loaded(tmp_path, monkeypatch):
    """After another worker's merge, searches go on (and stay right) while the reader loads."""
    writer = _open(tmp_path, compact_after=10**9)
    writer.rebuild(corpus())
    reader = _open(tmp_path)
    assert found(reader, "original") == list(range(1, 21))
    writer.delete(3)
    writer.index([doc(id=4, name="Firm004 Renamed")])
    assert writer.merge() is True  # folds the deletion of 3 into the new segment
    writer.index([doc(id=90, name="Afterwards Inc")])
    loading = threading.Event()
    release = threading.Event()
    real_load = sqlite_merge.load_segment

    def slow_load(connection):
        loading.set()
        assert release.wait(WAIT)
        return real_load(connection)

    monkeypatch.setattr(sqlite_merge, "load_segment", slow_load)

    assert found(reader, "original") == [i for i in range(1, 21) if i not in (3, 4)]
    assert loading.wait(WAIT)  # the new segment loads in the background meanwhile
    assert found(reader, "renamed") == [4]
    assert found(reader, "afterwards") == [90]
    release.set()
    reader._base_loader.join(WAIT)
    assert found(reader, "original") == [i for i in range(1, 21) if i not in (3, 4)]
    assert reader._snapshot.base.seq > 0 and reader._snapshot.generation == writer_generation(
        tmp_path
    )


def writer_generation(tmp_path) -> int:
    with sqlite3.connect(tmp_path / "index.sqlite3") as connection:
        return connection.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0]


def test_a_reader_following_each_save_agrees_with_a_fresh_one(tmp_path):
    """Snapshots extended save by save (names in order, facets, deletions) match a full load."""
    rng = random.Random(5)
    words = ["Alpha", "Beta", "Gamma", "Delta", "alpha", "Zeta"]
    countries = ["CN", "FR", "RU", "US"]
    writer = _open(tmp_path, compact_after=10**9)
    writer.rebuild(corpus(30))
    follower = _open(tmp_path)
    queries = [
        SearchQuery(visibilities=ALL, per_page=100, sort="name"),
        SearchQuery(text="alpha", visibilities=ALL, per_page=100),
        SearchQuery(text="be", visibilities=ALL, per_page=100, filters={"country": ["FR"]}),
    ]
    for step in range(80):
        org_id = rng.randint(1, 45)
        if step == 40:
            assert writer.merge() is True
        if rng.random() < 0.2:
            writer.delete(org_id)
        else:
            name = f"{rng.choice(words)} {rng.choice(words)}"
            writer.index([doc(id=org_id, name=name, country=rng.choice(countries))])
        fresh = _open(tmp_path)
        for query in queries:
            ours, theirs = follower.search(query), fresh.search(query)
            assert [h.id for h in ours.hits] == [h.id for h in theirs.hits], (step, query)
            assert ours.facets == theirs.facets
