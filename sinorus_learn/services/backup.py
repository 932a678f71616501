"""Consistent database backups: SQLite's online backup API, pg_dump for PostgreSQL."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump is run with a fixed argument list, no shell
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(RuntimeError):
    """The backup could not be written; the message says why and what to do."""


def backup_database(database_url: str, target: Path) -> Path:
    """Write a consistent copy of the database at ``database_url`` to ``target``."""
    url = make_url(database_url)
    target = target.resolve()
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new file name.")
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        return _backup_sqlite(Path(url.database or ""), target)
    if url.get_backend_name() == "postgresql":
        return _backup_postgres(url.set(drivername="postgresql"), target)
    raise BackupError(f"Backups of {url.get_backend_name()} databases are not supported.")


def _backup_sqlite(source: Path, target: Path) -> Path:
    if not source.exists():
        raise BackupError(f"No SQLite database at {source}.")
    # The online backup API copies a consistent snapshot while other connections keep writing.
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    dst.close()
    return target


def _backup_postgres(url: object, target: Path) -> Path:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise BackupError(
            "pg_dump is not installed. Install the PostgreSQL client and run:\n"
            f"  pg_dump --format=custom --file {target} '<DATABASE_URL>'\n"
            "Restore with: pg_restore --clean --dbname '<DATABASE_URL>' FILE"
        )
    rendered = url.render_as_string(hide_password=False)  # type: ignore[attr-defined]
    result = subprocess.run(  # noqa: S603 - fixed argv, no shell
        [pg_dump, "--format=custom", "--file", str(target), rendered],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return target
