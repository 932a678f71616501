"""Lessons and the timeline, loaded from question_bank/."""

from __future__ import annotations

from typing import Any

from sqlalchemy import DDL, JSON, String, Text, event, func, literal_column
from sqlalchemy.orm import Mapped, mapped_column

from sinorus_learn.extensions import db


class Lesson(db.Model):
    __tablename__ = "lessons"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    section: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text)
    # key_points, key_figures, people, organisations, sources: shown together, never queried.
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))


class TimelineEvent(db.Model):
    __tablename__ = "timeline_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    year: Mapped[int] = mapped_column(index=True)
    month: Mapped[int | None]
    day: Mapped[int | None]
    event: Mapped[str] = mapped_column(Text)
    topic: Mapped[str] = mapped_column(String(60))
    footnotes: Mapped[list[int]] = mapped_column(JSON, default=list)


SEARCH_CONFIG = literal_column("'english'")  # PostgreSQL's text-search configuration


class SearchPassage(db.Model):
    """A passage of a lesson or the timeline, as the site search finds and shows it.

    The full-text index depends on the database: on PostgreSQL a GIN index over
    ``to_tsvector('english', body)``; on SQLite the FTS5 table ``search_fts`` over this table's
    rows (external content), rebuilt by ``flask content load`` whenever the passages change.
    """

    __tablename__ = "search_passages"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    topic: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(200))
    anchor: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    position: Mapped[int]


def body_vector() -> Any:
    """The indexed PostgreSQL expression: a query must repeat it exactly to use the index."""
    return func.to_tsvector(SEARCH_CONFIG, SearchPassage.body)


# The full-text index is DDL of one dialect each, so Alembic leaves it out of its comparisons
# (``include_name`` in migrations/env.py); the search migration creates the same.
SEARCH_FTS = "search_fts"
SEARCH_TSV_INDEX = "ix_search_passages_body_tsv"
_SEARCH_INDEX = {
    "postgresql": (
        f"CREATE INDEX {SEARCH_TSV_INDEX} ON search_passages USING gin "
        "(to_tsvector('english', body))"
    ),
    "sqlite": (
        f"CREATE VIRTUAL TABLE {SEARCH_FTS} USING fts5(body, content='search_passages', "
        "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"
    ),
}
for _dialect, _statement in _SEARCH_INDEX.items():
    event.listen(
        SearchPassage.__table__, "after_create", DDL(_statement).execute_if(dialect=_dialect)
    )
event.listen(
    SearchPassage.__table__,
    "before_drop",
    DDL(f"DROP TABLE IF EXISTS {SEARCH_FTS}").execute_if(dialect="sqlite"),
)
