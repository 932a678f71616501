"""`flask backup`: a consistent copy taken while the app writes; restoring it loses nothing."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sinorus_learn import create_app
from sinorus_learn.extensions import db
from sinorus_learn.models import User
from sinorus_learn.services import accounts
from sinorus_learn.services.backup import BackupError, backup_database
from tests.conftest import TEST_DATABASE_URL

postgres_only = pytest.mark.skipif(not TEST_DATABASE_URL, reason="needs TEST_DATABASE_URL")


def backup(app, runner, target: Path):  # type: ignore[no-untyped-def]
    """Run `flask backup -o target` (app.cli, unlike the flask command, pushes no context)."""
    with app.app_context():
        return runner.invoke(args=["backup", "-o", str(target)])


def add_users(app, prefix: str, count: int) -> None:
    from sqlalchemy import insert

    with app.app_context():
        rows = [{"email": f"{prefix}{i}@example.org", "display_name": prefix,
                 "password_hash": "x"} for i in range(count)]  # fmt: skip
        db.session.execute(insert(User), rows)
        db.session.commit()
        db.session.remove()


def test_sqlite_backup_while_writing_is_consistent_and_restores(sqlite_app, tmp_path) -> None:
    app, runner = sqlite_app, sqlite_app.test_cli_runner()
    add_users(app, "before", 200)
    stop = threading.Event()
    written = []

    def writer() -> None:
        n = 0
        while not stop.is_set():
            add_users(app, f"during{n}-", 20)
            written.append(n)
            n += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 2:  # the backup starts in the middle of the writes
            stop.wait(0.01)
        target = tmp_path / "copy.db"
        result = backup(app, runner, target)
    finally:
        stop.set()
        thread.join()
    assert result.exit_code == 0, result.output
    assert "Backup written" in result.output
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        emails = {e for (e,) in copy.execute("SELECT email FROM users")}
    copy.close()
    assert {f"before{i}@example.org" for i in range(200)} <= emails
    during = [e for e in emails if e.startswith("during")]
    assert len(during) % 20 == 0  # whole transactions only

    # Restore: put the copy in place of the live file and open it with the app.
    live = Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))
    with app.app_context():
        db.engine.dispose()
    restored = tmp_path / "restored.db"
    shutil.copyfile(target, restored)
    again = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{restored}"})
    with again.app_context():
        assert set(db.session.scalars(select(User.email))) == emails
        db.engine.dispose()
    assert live.exists()


def test_backup_refuses_to_overwrite(app, runner, tmp_path) -> None:
    target = tmp_path / "exists.db"
    target.write_text("keep me")
    result = backup(app, runner, target)
    assert result.exit_code != 0 and "already exists" in result.output
    assert target.read_text() == "keep me"


def test_postgres_backup_without_pg_dump_explains_what_to_do(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(BackupError, match="(?s)pg_dump is not installed.*pg_restore"):
        backup_database("postgresql://postgres@127.0.0.1/test", tmp_path / "x.dump")


@postgres_only
def test_postgres_backup_with_pg_dump(app, runner, tmp_path, monkeypatch) -> None:
    with app.app_context():
        accounts.create_user("kept@example.org", "correct horse battery", "Kept")
        users = db.session.scalar(select(func.count(User.id)))
    target = tmp_path / "pg.dump"
    if shutil.which("pg_dump") is None:
        result = backup(app, runner, target)
        assert result.exit_code != 0 and "pg_dump is not installed" in result.output
        return
    result = backup(app, runner, target)
    assert result.exit_code == 0, result.output
    listing = subprocess.run(["pg_restore", "--list", str(target)], capture_output=True,
                             text=True, check=True).stdout  # fmt: skip
    assert "TABLE DATA public users" in listing
    argv = ["pg_restore", "--data-only", "--table=users", "-f", "-", str(target)]
    script = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    assert "kept@example.org" in script and users == 1
    monkeypatch.setattr(shutil, "which", lambda name: None)
    result = backup(app, runner, tmp_path / "again.dump")
    assert result.exit_code != 0 and "pg_dump is not installed" in result.output
