"""Lessons and the timeline, loaded from question_bank/."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, String, Text
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
