"""Attempts (quiz sessions), the questions they showed, and the answers given."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, SmallInteger, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from sinorus_learn.database import UTCDateTime, utcnow
from sinorus_learn.extensions import db

MODES = ("lesson", "table", "practice", "review", "exam", "mistakes")


class Attempt(db.Model):
    __tablename__ = "attempts"
    __table_args__ = (Index("ix_attempts_user_started", "user_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    mode: Mapped[str] = mapped_column(String(20))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    seed: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), default="active")
    question_count: Mapped[int] = mapped_column(default=0)
    answered_count: Mapped[int] = mapped_column(default=0)
    score: Mapped[float] = mapped_column(default=0.0)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The start or the latest answer: an attempt left alone for a day is abandoned.
    last_active_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # "Rate my confidence": each answer says how sure the learner is (certainty-based marks).
    confidence: Mapped[bool] = mapped_column(default=False, server_default=false())


class AttemptItem(db.Model):
    """One question of an attempt, frozen as shown (version and choice order)."""

    __tablename__ = "attempt_items"
    __table_args__ = (
        UniqueConstraint("attempt_id", "position"),
        UniqueConstraint("attempt_id", "question_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"))
    position: Mapped[int]
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"))
    # The presentation the learner saw: choice order, ordering items, matching options.
    presented: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # When the learner asked for the question's hint (None: never); the answer is marked.
    hint_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AnswerRecord(db.Model):
    """The one answer to an attempt item; the unique item id makes double submits harmless."""

    __tablename__ = "responses"
    __table_args__ = (
        Index("ix_responses_user_question", "user_id", "question_id"),
        # a learner's answers by time, covering the per-day sums and the reviews done today
        Index("ix_responses_user_time", "user_id", "answered_at", "correct", "was_due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_item_id: Mapped[int] = mapped_column(ForeignKey("attempt_items.id"), unique=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"))
    answer: Mapped[Any] = mapped_column(JSON)
    score: Mapped[float]
    correct: Mapped[bool]
    time_ms: Mapped[int] = mapped_column(default=0)
    rating: Mapped[int | None]
    was_due: Mapped[bool] = mapped_column(default=False)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # How sure the learner said they were (1-3, confidence.Certainty), and the CBM mark it
    # earned; None when the attempt did not ask.
    certainty: Mapped[int | None] = mapped_column(SmallInteger)
    cbm_mark: Mapped[float | None] = mapped_column(Float)
    hinted: Mapped[bool] = mapped_column(default=False, server_default=false())
    # A written explanation waiting for the learner to tick the points it covered.
    pending: Mapped[bool] = mapped_column(default=False, server_default=false())
    # An instructor who found a self-assessment not supported by the text, and when.
    corrected_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    corrected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
