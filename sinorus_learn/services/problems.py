"""Learners' reports of questions that look wrong, and the replies they get back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, bindparam, func, select, update

from sinorus_learn.database import utcnow, write
from sinorus_learn.extensions import db
from sinorus_learn.models import ProblemReport, QuestionVersion


def report_problem(user_id: int, question_id: int, version_id: int, note: str) -> int:
    """Record a learner's note about a question version; return the report id."""
    with write():
        report = ProblemReport(
            user_id=user_id,
            question_id=question_id,
            question_version_id=version_id,
            note=note.strip(),
        )
        db.session.add(report)
    return report.id


@dataclass(frozen=True, kw_only=True)
class MyReport:
    """One of a learner's reports as they see it: what they said and what came back."""

    id: int
    question_id: int
    prompt: str
    note: str
    status: str
    reply: str | None
    created_at: datetime
    resolved_at: datetime | None
    unread: bool


def _unread() -> ColumnElement[bool]:
    return ProblemReport.reply.is_not(None) & ProblemReport.reply_seen_at.is_(None)


def my_reports(user_id: int, question_id: int | None = None) -> list[MyReport]:
    """Return a learner's reports, newest first (only one question's when given)."""
    query = (
        select(ProblemReport, QuestionVersion.prompt)
        .join(QuestionVersion, QuestionVersion.id == ProblemReport.question_version_id)
        .where(ProblemReport.user_id == user_id)
        .order_by(ProblemReport.created_at.desc(), ProblemReport.id.desc())
    )
    if question_id is not None:
        query = query.where(ProblemReport.question_id == question_id)
    return [_mine(row.ProblemReport, row.prompt) for row in db.session.execute(query)]


def _mine(report: ProblemReport, prompt: str) -> MyReport:
    return MyReport(
        id=report.id,
        question_id=report.question_id,
        prompt=prompt,
        note=report.note,
        status=report.status,
        reply=report.reply,
        created_at=report.created_at,
        resolved_at=report.resolved_at,
        unread=bool(report.reply) and report.reply_seen_at is None,
    )


@cache
def _unread_count_statement() -> Any:
    """Built once: every signed-in page asks, and building the statement cost more than
    running it."""
    return select(func.count(ProblemReport.id)).where(
        ProblemReport.user_id == bindparam("user_id"), _unread()
    )


def unread_reply_count(user_id: int) -> int:
    """Count the replies to a learner's reports they have not marked read."""
    statement = _unread_count_statement()
    return int(db.session.connection().execute(statement, {"user_id": user_id}).scalar() or 0)


def mark_replies_read(user_id: int, now: datetime | None = None) -> int:
    """Mark every reply to a learner's reports as read; return how many were unread."""
    with write():
        result = db.session.execute(
            update(ProblemReport)
            .where(ProblemReport.user_id == user_id, _unread())
            .values(reply_seen_at=now or utcnow())
        )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
