"""Start a throw-away PostgreSQL server for the tests (no Docker, no system cluster touched)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    pass


def _binaries() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise PostgresUnavailable("PostgreSQL is not installed (apt-get install postgresql)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    def __init__(self) -> None:
        self.bin = _binaries()
        self.dir = Path(tempfile.mkdtemp(prefix="matchmaker-pg-"))
        self.port = _free_port()
        # PostgreSQL refuses to run as root: run it as the postgres user then.
        self.prefix: list[str] = []
        if os.geteuid() == 0:
            if not shutil.which("runuser"):
                raise PostgresUnavailable("running as root and runuser is missing")
            shutil.chown(self.dir, "postgres", "postgres")
            self.prefix = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        result = subprocess.run([*self.prefix, *args], capture_output=True, text=True, timeout=120)
        if result.returncode:
            raise PostgresUnavailable(f"{args[0]} failed: {result.stderr.strip()[-500:]}")

    def start(self) -> str:
        data = self.dir / "data"
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(data),
            "-U",
            "matchmaker",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(self.dir / "log"),
            "-w",
            "-o",
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start",
        )
        self._run(
            str(self.bin / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "matchmaker",
            "matchmaker",
        )
        return f"postgresql+psycopg://matchmaker@127.0.0.1:{self.port}/matchmaker"

    def stop(self) -> None:
        try:
            self._run(
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.dir / "data"),
                "-m",
                "immediate",
                "-w",
                "stop",
            )
        except PostgresUnavailable:
            time.sleep(0.1)
        shutil.rmtree(self.dir, ignore_errors=True)


def reset_schema(engine) -> None:
    """Empty the test server's database and migrate it: each test starts from the schema."""
    from sqlalchemy import text

    from matchmaker.migrate import upgrade

    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    upgrade(engine)


def postgres_app(url: str, tmp_path, **config):
    """The site on the test server with a fresh, migrated schema."""
    from matchmaker import create_app

    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": url,
            "SEARCH_INDEX_PATH": str(tmp_path / "search.sqlite3"),
            "SECRET_KEY": "pg",
            "ELASTICSEARCH_URL": "",
            **config,
        }
    )
    reset_schema(app.extensions["matchmaker.engine"])
    return app
