"""The question bank: a question keeps every version a learner may have seen."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sinorus_learn.database import UTCDateTime, utcnow
from sinorus_learn.extensions import db

ORIGINS = ("generated", "authored", "imported")
# "draft": written or imported, not yet published (no quiz, review, practice or exam draws on
# it); "retired" is an instructor's decision; "removed" means the bank no longer has it.
STATUSES = ("draft", "active", "retired", "removed")


class Question(db.Model):
    __tablename__ = "questions"
    __table_args__ = (Index("ix_questions_status_topic", "status", "topic"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    origin: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(20), default="active")
    topic: Mapped[str] = mapped_column(String(60))
    qtype: Mapped[str] = mapped_column(String(30), index=True)
    template: Mapped[str | None] = mapped_column(String(120), index=True)
    table_id: Mapped[str | None] = mapped_column(String(60), index=True)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    # What the question teaches and asks (LEARNING.md sections 1-3): objective ids of its
    # topic's lesson, its skill level, the fact it asks (siblings share one; "" = its own key)
    # and the facts its stem states. Read by quiz selection, so kept on the question.
    objectives: Mapped[list[str]] = mapped_column(JSON, default=list)
    level: Mapped[str] = mapped_column(String(20), default="", index=True)
    fact: Mapped[str] = mapped_column(String(255), default="", index=True)
    given: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The version new attempts get; no FK, to keep the two tables free of a cycle.
    current_version_id: Mapped[int | None]
    # Hash of the bank spec last synced, so a sync never undoes an instructor's edit.
    source_hash: Mapped[str | None] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set on every change, ORM or Core UPDATE: the progress page's memo of mastery per
    # objective is keyed on the newest active question's (services/progress.py).
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    versions: Mapped[list[QuestionVersion]] = relationship(
        back_populates="question", lazy="raise", order_by="QuestionVersion.number"
    )


class QuestionVersion(db.Model):
    __tablename__ = "question_versions"
    __table_args__ = (UniqueConstraint("question_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    number: Mapped[int]
    content_hash: Mapped[str] = mapped_column(String(64))
    qtype: Mapped[str] = mapped_column(String(30))
    prompt: Mapped[str] = mapped_column(Text)
    choices: Mapped[list[str] | None] = mapped_column(JSON)
    answer: Mapped[Any] = mapped_column(JSON)
    explanation: Mapped[str] = mapped_column(Text)
    difficulty: Mapped[int] = mapped_column(default=1)
    source: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The report's words behind the key, and feedback for known wrong options: part of what
    # the learner is shown, so versioned with the prompt.
    evidence: Mapped[str] = mapped_column(Text, default="")
    # A nudge the learner may ask for before answering: never the key (item lint checks).
    hint: Mapped[str] = mapped_column(Text, default="", server_default="")
    option_feedback: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    # "markdown", or "html" (a GIFT [html] file's): how prompt and explanation are rendered.
    text_format: Mapped[str] = mapped_column(
        String(10), default="markdown", server_default="markdown"
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    question: Mapped[Question] = relationship(back_populates="versions", lazy="raise")


class ProblemReport(db.Model):
    """A learner's note that a question looks wrong, worked through by instructors."""

    __tablename__ = "problem_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id"), index=True)
    question_version_id: Mapped[int] = mapped_column(ForeignKey("question_versions.id"))
    note: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    reply: Mapped[str | None] = mapped_column(Text)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # when the learner marked the instructor's reply as read; NULL while it is news to them
    reply_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
