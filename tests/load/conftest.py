"""A gunicorn server with 3 workers on its own database, shared by the load tests of a module.

The database follows the run: SQLite in a temp dir, or PostgreSQL (TEST_DATABASE_URL) in a
dedicated schema, so the per-test fixtures' ``public`` schema is never touched.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, func, insert, select, text
from werkzeug.security import generate_password_hash

from sinorus_learn import create_app
from sinorus_learn.extensions import db
from sinorus_learn.models import AnswerRecord, Attempt, User
from tests.load.server import PASSWORD, Gunicorn, Stats

LOAD_SCHEMA = "sinorus_load"


@dataclass
class LoadEnv:
    server: Gunicorn
    app: Flask
    backend: str


def _load_database(tmp: Path) -> tuple[str, str]:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp / 'load.db'}", "sqlite"
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {LOAD_SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {LOAD_SCHEMA}"))
    engine.dispose()
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{LOAD_SCHEMA}", "postgresql"


def _drop_schema() -> None:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {LOAD_SCHEMA} CASCADE"))
        engine.dispose()


def create_students(app: Flask, prefix: str, count: int) -> list[str]:
    """Create ``count`` students in one INSERT (scrypt once, not per account); return e-mails."""
    from sinorus_learn.services import accounts

    emails = [f"{prefix}{i}@example.org" for i in range(count)]
    with app.app_context():
        accounts.create_user(emails[0], PASSWORD, f"{prefix} 0")  # the service's own path
        password_hash = generate_password_hash(PASSWORD)
        rows = [
            {"email": e, "display_name": f"{prefix} {i}", "password_hash": password_hash}
            for i, e in enumerate(emails[1:], start=1)
        ]
        if rows:
            db.session.execute(insert(User), rows)
            db.session.commit()
    return emails


@pytest.fixture(scope="module")
def load_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoadEnv]:
    """Start gunicorn (3 workers) on a fresh database with the content loaded."""
    from sinorus_learn.services.content_sync import load_content

    tmp = tmp_path_factory.mktemp("load")
    url, backend = _load_database(tmp)
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        load_content(Path(app.config["QUESTION_BANK_DIR"]))
    server = Gunicorn(url, tmp / "gunicorn.log").start()
    try:
        yield LoadEnv(server, app, backend)
    finally:
        server.stop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        _drop_schema()


def assert_scores_add_up(env: LoadEnv) -> int:
    """Every attempt's score and answered count equal what its responses say."""
    with env.app.app_context():
        totals = (
            select(
                AnswerRecord.attempt_id,
                func.sum(AnswerRecord.score).label("score"),
                func.count(AnswerRecord.id).label("n"),
            )
            .group_by(AnswerRecord.attempt_id)
            .subquery()
        )
        rows = db.session.execute(
            select(
                Attempt.id, Attempt.score, Attempt.answered_count, totals.c.score, totals.c.n
            ).outerjoin(totals, totals.c.attempt_id == Attempt.id)
        ).all()
        db.session.remove()
    for attempt_id, score, answered, total, n in rows:
        assert answered == (n or 0), attempt_id
        assert abs(score - (total or 0.0)) < 1e-9, attempt_id
    return len(rows)


def assert_clean(env: LoadEnv, stats: Stats) -> None:
    """No 5xx, no "database is locked" in a body or the log, no traceback in the log."""
    assert not stats.server_errors, stats.server_errors[:10]
    assert not stats.bodies_with_locked, stats.bodies_with_locked[:10]
    log = env.server.log()
    assert "database is locked" not in log
    assert "Traceback" not in log, log[-4000:]
