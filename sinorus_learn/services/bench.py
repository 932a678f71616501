"""The benchmark's bare read and write (bench/run.py), behind views/bench.py's endpoints."""

from __future__ import annotations

from sqlalchemy import text

from sinorus_learn.database import write
from sinorus_learn.extensions import db
from sinorus_learn.models import Lesson

BENCH_TABLE = "bench_writes"  # created by bench/run.py with raw SQL; not part of the schema


def bare_read() -> str:
    """Read one row by primary key; return a short string."""
    lesson = db.session.get(Lesson, 1)
    return lesson.slug if lesson else "-"


def bare_write() -> None:
    """Read one row by primary key and insert one, in one write transaction."""
    with write():
        lesson = db.session.get(Lesson, 1)
        db.session.execute(
            text(f"INSERT INTO {BENCH_TABLE} (note) VALUES (:note)"),  # noqa: S608 - constant name
            {"note": lesson.slug if lesson else "-"},
        )
