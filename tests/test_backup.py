"""`matchmaker backup` / `restore`: consistent copies while the site writes, and back again."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest
from flask_babel import force_locale
from sqlalchemy import func
from sqlmodel import Session, select

from matchmaker import backup as backups
from matchmaker import create_app
from matchmaker.profiles.models import Organization
from matchmaker.search.base import SearchQuery


def _database_path(app) -> Path:
    return Path(app.extensions["matchmaker.engine"].url.database)


def _org_names(app) -> list[str]:
    with Session(app.extensions["matchmaker.engine"]) as session:
        return sorted(session.exec(select(Organization.name)))


def _search(app, text: str) -> int:
    from matchmaker.search.runtime import current_backend

    with app.app_context(), force_locale("en"):
        query = SearchQuery(text=text, visibilities=("public", "members", "hidden"))
        return current_backend().search(query).total


def test_backup_while_another_connection_writes_is_a_consistent_snapshot(app, make_org, tmp_path):
    for n in range(3):
        make_org(name=f"Before {n}")
    engine = app.extensions["matchmaker.engine"]
    written = []
    start_writing = threading.Event()
    enough = threading.Event()
    failures = []

    def writer():
        start_writing.wait(30)
        try:
            with Session(engine) as session:
                for n in range(25):
                    session.add(Organization(kind="buyer", name=f"During {n}", country="DE"))
                    session.commit()
                    written.append(n)
                    if len(written) == 10:
                        enough.set()
        except Exception as error:  # reported below: the backup must not block writers
            failures.append(error)
        finally:
            enough.set()

    def progress(label, total):
        def report(done):
            if label == "Database" and not start_writing.is_set():
                # The snapshot is taken; let the other connection write mid-copy.
                start_writing.set()
                enough.wait(30)

        return report

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        manifest = backups.backup(
            engine, app.config, tmp_path / "backup", progress=progress, pages_per_step=1
        )
    finally:
        start_writing.set()
        thread.join(30)
    assert not failures
    assert len(written) == 25  # writers went on while the backup ran
    copy = tmp_path / "backup" / backups.DATABASE_FILE
    entry = manifest["files"]["database"]
    # The copy holds exactly the rows of the moment the backup began, and is whole.
    assert entry["tables"]["organizations"] == 3
    assert backups.table_counts(copy) == entry["tables"]
    with sqlite3.connect(copy) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        names = sorted(row[0] for row in connection.execute("SELECT name FROM organizations"))
    assert names == ["Before 0", "Before 1", "Before 2"]
    assert entry["revision"]
    assert manifest["files"]["search_index"]["tables"]["docs"] == 3
    assert json.loads((tmp_path / "backup" / backups.MANIFEST).read_text()) == manifest
    # Only the owner may read a backup (it holds password hashes and messages).
    assert (tmp_path / "backup").stat().st_mode & 0o077 == 0
    assert copy.stat().st_mode & 0o077 == 0


def test_restore_brings_back_database_and_index(app, make_org, make_user, tmp_path):
    make_org(name="Kept Firm")
    gone = make_org(name="Deleted Later")
    make_user("keeper@example.com")
    runner = app.test_cli_runner()
    made = runner.invoke(args=["backup", str(tmp_path / "backup")])
    assert made.exit_code == 0, made.output
    assert "Database" in made.output and "Search index" in made.output  # progress shown
    manifest = json.loads((tmp_path / "backup" / backups.MANIFEST).read_text())

    # Life goes on after the backup: one firm leaves, another arrives.
    with Session(app.extensions["matchmaker.engine"]) as session:
        session.delete(session.get(Organization, gone.id))
        session.commit()
    from matchmaker.search.runtime import current_backend

    with app.app_context():
        current_backend().delete(gone.id)
    make_org(name="Arrived Later")
    assert _org_names(app) == ["Arrived Later", "Kept Firm"]
    assert _search(app, "Deleted Later") == 0

    result = runner.invoke(args=["restore", str(tmp_path / "backup"), "--yes"])
    assert result.exit_code == 0, result.output
    assert "Stop the site first" in result.output
    assert _org_names(app) == ["Deleted Later", "Kept Firm"]
    for name, entry in manifest["files"].items():
        live = _database_path(app) if name == "database" else Path(app.config["SEARCH_INDEX_PATH"])
        assert backups.table_counts(live) == entry["tables"], name
    assert _search(app, "Deleted Later") == 1
    assert _search(app, "Arrived Later") == 0
    # The restored database serves the site again.
    assert app.test_client().get("/readyz").status_code == 200
    assert app.test_client().get(f"/organizations/{gone.id}").status_code == 200


def test_restore_without_yes_warns_and_changes_nothing(app, make_org, tmp_path):
    make_org(name="First")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", str(tmp_path / "b")]).exit_code == 0
    make_org(name="Second")
    result = runner.invoke(args=["restore", str(tmp_path / "b")])
    assert result.exit_code == 1
    assert "Stop the site first" in result.output
    assert "--yes" in result.output
    assert _org_names(app) == ["First", "Second"]


def test_damaged_backup_is_refused_before_anything_changes(app, make_org, tmp_path):
    make_org(name="First")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", str(tmp_path / "b")]).exit_code == 0
    make_org(name="Second")
    copy = tmp_path / "b" / backups.DATABASE_FILE
    data = bytearray(copy.read_bytes())
    data[-100] ^= 0xFF
    copy.write_bytes(bytes(data))
    result = runner.invoke(args=["restore", str(tmp_path / "b"), "--yes"])
    assert result.exit_code == 2
    assert "checksum" in result.output
    assert _org_names(app) == ["First", "Second"]

    (tmp_path / "empty").mkdir()
    result = runner.invoke(args=["restore", str(tmp_path / "empty"), "--yes"])
    assert result.exit_code == 2
    assert "no finished backup" in result.output


def test_backup_refuses_a_folder_that_is_not_empty(app, tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "keep.txt").write_text("precious")
    result = app.test_cli_runner().invoke(args=["backup", str(folder)])
    assert result.exit_code == 2
    assert "not empty" in result.output
    assert sorted(p.name for p in folder.iterdir()) == ["keep.txt"]


def test_backup_on_postgresql_points_to_pg_dump(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            # Never connected to: the refusal comes first.
            "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:9/matchmaker",
            "SEARCH_INDEX_PATH": str(tmp_path / "search.sqlite3"),
            "SECRET_KEY": "test-secret",
        }
    )
    runner = app.test_cli_runner()
    result = runner.invoke(args=["backup", str(tmp_path / "b")])
    assert result.exit_code == 2
    assert "pg_dump" in result.output and "README" in result.output
    assert not (tmp_path / "b").exists()
    (tmp_path / "b").mkdir()
    result = runner.invoke(args=["restore", str(tmp_path / "b"), "--yes"])
    assert result.exit_code == 2
    assert "pg_dump" in result.output


def test_with_elasticsearch_only_the_database_is_copied(app, tmp_path):
    config = {**app.config, "ELASTICSEARCH_URL": "http://127.0.0.1:9"}
    manifest = backups.backup(app.extensions["matchmaker.engine"], config, tmp_path / "b")
    assert set(manifest["files"]) == {"database"}
    assert "matchmaker reindex" in manifest["notes"][0]


@pytest.mark.parametrize("pages", [1, backups.PAGES_PER_STEP])
def test_restore_rebuilds_a_missing_index(app, make_org, tmp_path, pages):
    make_org(name="Indexed Again")
    engine = app.extensions["matchmaker.engine"]
    config = {**app.config, "ELASTICSEARCH_URL": "http://127.0.0.1:9"}
    backups.backup(engine, config, tmp_path / "b", pages_per_step=pages)
    index = Path(app.config["SEARCH_INDEX_PATH"])
    for path in (index, index.with_name(index.name + "-wal"), index.with_name(index.name + "-shm")):
        path.unlink(missing_ok=True)
    app.extensions["matchmaker.search"] = None
    result = app.test_cli_runner().invoke(args=["restore", str(tmp_path / "b"), "--yes"])
    assert result.exit_code == 0, result.output
    assert "Rebuilt the search index: 1 organizations" in result.output
    assert _search(app, "Indexed Again") == 1
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Organization)).one() == 1
