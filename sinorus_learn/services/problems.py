"""Learners' reports of questions that look wrong."""

from __future__ import annotations

from sinorus_learn.database import begin_write
from sinorus_learn.extensions import db
from sinorus_learn.models import ProblemReport


def report_problem(user_id: int, question_id: int, version_id: int, note: str) -> int:
    """Record a learner's note about a question version; return the report id."""
    begin_write()
    report = ProblemReport(
        user_id=user_id,
        question_id=question_id,
        question_version_id=version_id,
        note=note.strip(),
    )
    db.session.add(report)
    db.session.commit()
    return report.id
