"""Consistent copies of the SQLite database and the embedded search index, and restoring them.

``matchmaker backup PATH`` copies both files into the folder PATH with SQLite's online backup
API while the site keeps serving: a read transaction is opened on each file first, so the
copies are two snapshots taken a moment apart however long copying takes, and writers are not
held up (both files are in WAL mode). Each copy is checked (``PRAGMA integrity_check``) and
described in ``manifest.json`` (size, SHA-256, rows per table, schema revision); the manifest
is written last, so a folder without one is not a finished backup.

``matchmaker restore PATH`` checks a backup against its manifest and copies it back over the
configured files, again through SQLite (never a file copy over a live WAL database).

PostgreSQL is backed up with ``pg_dump`` instead (the command says so); an index kept in
Elasticsearch is not copied: ``matchmaker reindex`` rebuilds it from the database.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import Engine

MANIFEST = "manifest.json"
FORMAT = 1
DATABASE_FILE = "matchmaker.sqlite3"
INDEX_FILE = "search.sqlite3"
# Pages copied per step of the online backup (4 MiB with SQLite's default 4 KiB pages).
PAGES_PER_STEP = 1024

# progress(label, total_pages) -> callable(pages_done) reporting one file's copy.
ProgressFactory = Callable[[str, int], Callable[[int], None]]

POSTGRES_MESSAGE = (
    "The database is {dialect}: `matchmaker backup` copies SQLite databases only.\n"
    "Back it up with pg_dump, for example\n"
    '  pg_dump --format=custom --file=matchmaker.dump "$MATCHMAKER_DATABASE_URL"\n'
    "and bring it back with pg_restore --clean --dbname=…; then rebuild the search index with\n"
    "`matchmaker reindex`. See “Backups” in the README."
)


class BackupError(Exception):
    """A backup or restore that cannot be done; the message tells the operator why."""


@dataclass(frozen=True)
class Part:
    """One file to copy: the database, or the embedded search index."""

    name: str  # key in the manifest
    label: str  # for progress output
    live: Path  # where the site keeps it
    file: str  # its name inside the backup folder


def parts(engine: Engine, config: dict) -> tuple[list[Part], list[str]]:
    """What a backup of this configuration holds, and notes for the operator.

    Refuses (BackupError) when the database is not an SQLite file.
    """
    url = engine.url
    if url.get_backend_name() != "sqlite":
        raise BackupError(POSTGRES_MESSAGE.format(dialect=url.get_backend_name()))
    database = url.database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        raise BackupError("The database is in memory: there is no file to back up.")
    found = [Part("database", "Database", Path(database), DATABASE_FILE)]
    notes = []
    if config.get("ELASTICSEARCH_URL"):
        notes.append(
            "The search index is in Elasticsearch and is not copied: after a restore, "
            "rebuild it with `matchmaker reindex` (or use Elasticsearch snapshots)."
        )
    else:
        found.append(
            Part("search_index", "Search index", Path(str(config["SEARCH_INDEX_PATH"])), INDEX_FILE)
        )
    return found, notes


# -- backup ------------------------------------------------------------------------------------


def backup(
    engine: Engine,
    config: dict,
    folder: Path,
    progress: ProgressFactory | None = None,
    pages_per_step: int = PAGES_PER_STEP,
) -> dict:
    """Copy the database (and the embedded index) into ``folder``; return the manifest."""
    todo, notes = parts(engine, config)
    if not todo[0].live.is_file():
        raise BackupError(f"Database not found at {todo[0].live}.")
    for part in todo[1:]:
        if not part.live.is_file():
            todo.remove(part)
            notes.append(
                f"No {part.label.lower()} at {part.live} yet: not copied; "
                "`matchmaker restore` rebuilds it from the database."
            )
    _prepare_folder(folder)
    sources = [_open_source(part.live) for part in todo]
    try:
        # Snapshot every file before copying any: the copies then agree with each other
        # (to within a moment), whatever the copying takes.
        for source in sources:
            source.execute("BEGIN")
            source.execute("SELECT count(*) FROM sqlite_master").fetchone()
        entries = {}
        for part, source in zip(todo, sources, strict=True):
            target = folder / part.file
            _copy(source, target, part.label, progress, pages_per_step)
            entries[part.name] = _describe(target, part)
    finally:
        for source in sources:
            with contextlib.suppress(sqlite3.Error):
                source.execute("ROLLBACK")
            source.close()
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "files": entries,
        "notes": notes,
    }
    _write_private(folder / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return manifest


def _prepare_folder(folder: Path) -> None:
    if folder.exists():
        if not folder.is_dir():
            raise BackupError(f"{folder} is a file: give a folder for the backup.")
        if any(folder.iterdir()):
            raise BackupError(f"{folder} is not empty: give a new or empty folder.")
    # Backups hold password hashes and private messages: readable by the owner only.
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder.chmod(0o700)


def _open_source(path: Path) -> sqlite3.Connection:
    try:
        connection = sqlite3.connect(path, isolation_level=None, timeout=15)
        connection.execute("PRAGMA busy_timeout = 15000")
    except sqlite3.Error as error:
        raise BackupError(f"Cannot open {path}: {error}") from error
    return connection


def _copy(
    source: sqlite3.Connection,
    target: Path,
    label: str,
    progress: ProgressFactory | None,
    pages_per_step: int,
) -> None:
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    report: Callable[[int], None] | None = None

    def step(_status: int, remaining: int, total: int) -> None:
        nonlocal report
        if progress is None:
            return
        if report is None:
            report = progress(label, total)
        report(total - remaining)

    destination = sqlite3.connect(partial, isolation_level=None)
    try:
        source.backup(destination, pages=pages_per_step, progress=step)
        # One self-contained file, readable without its -wal and -shm companions.
        destination.execute("PRAGMA journal_mode = DELETE")
        problem = destination.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.Error as error:
        destination.close()
        partial.unlink(missing_ok=True)
        raise BackupError(f"Copying {label.lower()} failed: {error}") from error
    destination.close()
    if problem != "ok":
        partial.unlink(missing_ok=True)
        raise BackupError(f"The copy of {label.lower()} is damaged: {problem}")
    partial.replace(target)


def _describe(path: Path, part: Part) -> dict:
    entry = {
        "file": path.name,
        "bytes": path.stat().st_size,
        "sha256": _sha256(path),
        "tables": table_counts(path),
    }
    if part.name == "database":
        entry["revision"] = _revision(path)
    return entry


def table_counts(path: Path) -> dict[str, int]:
    """Rows in each ordinary table of an SQLite file (virtual tables are counted by their
    shadow tables)."""
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'"
                " ORDER BY name"
            )
        ]
        return {
            name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            for name in names
        }
    finally:
        connection.close()


def _revision(path: Path) -> list[str]:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return sorted(
            row[0] for row in connection.execute("SELECT version_num FROM alembic_version")
        )
    except sqlite3.Error:
        return []
    finally:
        connection.close()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


# -- restore -----------------------------------------------------------------------------------


def read_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{folder} holds no finished backup ({MANIFEST} is missing).") from None
    except (OSError, ValueError) as error:
        raise BackupError(f"{path} cannot be read: {error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a matchmaker backup this version can restore.")
    files = manifest.get("files")
    if not isinstance(files, dict) or "database" not in files:
        raise BackupError(f"{path} lists no database.")
    return manifest


def verify(folder: Path, manifest: dict) -> None:
    """Check every file of the backup against its manifest entry before touching anything."""
    for name, entry in manifest["files"].items():
        file_name = str(entry.get("file", ""))
        path = folder / file_name
        if Path(file_name).name != file_name or not path.is_file():
            raise BackupError(f"The backup's {name} file {file_name!r} is missing.")
        if _sha256(path) != entry.get("sha256"):
            raise BackupError(f"{path} does not match its checksum: the backup is damaged.")


def restore(
    engine: Engine,
    config: dict,
    folder: Path,
    progress: ProgressFactory | None = None,
    pages_per_step: int = PAGES_PER_STEP,
) -> tuple[dict, list[str]]:
    """Bring a backup back over the configured files; return its manifest and notes.

    The caller must have stopped the site: workers would keep serving from their caches.
    """
    todo, notes = parts(engine, config)
    manifest = read_manifest(folder)
    verify(folder, manifest)
    engine.dispose()  # no pooled connection of this process keeps the old file open
    restored = []
    for part in todo:
        entry = manifest["files"].get(part.name)
        if entry is None:
            notes.append(
                f"The backup holds no {part.label.lower()}; rebuild it with `matchmaker reindex`."
            )
            continue
        _copy_back(folder / entry["file"], part, progress, pages_per_step)
        restored.append(part.name)
    manifest["restored"] = restored
    return manifest, notes


def _copy_back(
    source_path: Path,
    part: Part,
    progress: ProgressFactory | None,
    pages_per_step: int,
) -> None:
    part.live.parent.mkdir(parents=True, exist_ok=True)
    report: Callable[[int], None] | None = None

    def step(_status: int, remaining: int, total: int) -> None:
        nonlocal report
        if progress is None:
            return
        if report is None:
            report = progress(part.label, total)
        report(total - remaining)

    with _connect(f"{source_path.resolve().as_uri()}?mode=ro") as source:
        try:
            destination = sqlite3.connect(part.live, isolation_level=None, timeout=15)
        except sqlite3.Error as error:
            raise BackupError(f"Cannot open {part.live}: {error}") from error
        try:
            destination.execute("PRAGMA busy_timeout = 15000")
            # Through SQLite, so the live file's -wal and -shm stay coherent with it.
            source.backup(destination, pages=pages_per_step, progress=step)
            destination.execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error as error:
            raise BackupError(
                f"Restoring {part.label.lower()} into {part.live} failed: {error}. "
                "Is the site still running?"
            ) from error
        finally:
            destination.close()


@contextlib.contextmanager
def _connect(uri: str) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(uri, uri=True, isolation_level=None)
    try:
        yield connection
    finally:
        connection.close()
