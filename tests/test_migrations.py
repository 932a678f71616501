"""The Alembic migrations build exactly the models' schema, and go down and up again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import check, downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from sinorus_learn import create_app
from sinorus_learn.extensions import db
from tests.conftest import TEST_DATABASE_URL, pg_url

SCHEMA = "migration_check"


@pytest.fixture
def empty_app(tmp_path: Path) -> Iterator[Flask]:
    """An app on an empty database: a new SQLite file, or an empty PostgreSQL schema."""
    if TEST_DATABASE_URL:
        engine = create_engine(pg_url(TEST_DATABASE_URL))
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
        sep = "&" if "?" in TEST_DATABASE_URL else "?"
        url = f"{TEST_DATABASE_URL}{sep}options=-csearch_path%3D{SCHEMA}"
    else:
        url = f"sqlite:///{tmp_path / 'migrations.db'}"
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    yield app
    with app.app_context():
        db.engine.dispose()
    if TEST_DATABASE_URL:
        with engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        engine.dispose()


def test_migrations_match_models_and_round_trip(empty_app: Flask) -> None:
    with empty_app.app_context():
        upgrade()
        check()  # exits non-zero when the models and the migrated schema differ
        tables = set(inspect(db.engine).get_table_names())
        assert {t.name for t in db.metadata.sorted_tables} <= tables
        db.session.remove()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        check()
