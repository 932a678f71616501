"""Written explanations as instructors read them: the answers to one explain question, and
correcting a self-assessment the text does not support."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, select, update

from sinorus_learn.database import utcnow, write
from sinorus_learn.domain import grading, qtypes
from sinorus_learn.domain.qtypes.explain import ticked_of
from sinorus_learn.extensions import db
from sinorus_learn.models import AnswerRecord, Attempt, QuestionVersion, User
from sinorus_learn.models.classroom import Classroom, Enrollment
from sinorus_learn.services.paging import Page, page_of

PER_PAGE = 20


class CorrectionError(ValueError):
    """A correction that cannot be made; the message is for the instructor."""


@dataclass(frozen=True)
class WrittenAnswer:
    """One learner's written explanation, their ticks and the score they give."""

    response_id: int
    student: str
    answered_at: datetime
    text: str
    ticked: frozenset[int]
    score: float
    pending: bool
    corrected_at: datetime | None
    version_id: int


def _taught(instructor_id: int, see_all: bool) -> Any:
    """Subquery: the students of the instructor's classes (of every class for an admin)."""
    query = select(Enrollment.user_id).join(Classroom, Classroom.id == Enrollment.classroom_id)
    return query if see_all else query.where(Classroom.instructor_id == instructor_id)


def written_answers(
    question_id: int,
    instructor_id: int,
    *,
    see_all: bool = False,
    class_id: int | None = None,
    page: int = 1,
) -> Page:
    """Return one page of the written answers to a question by the instructor's students
    (``class_id``: one of their classes only), newest first, as ``WrittenAnswer`` values."""
    students = _taught(instructor_id, see_all)
    if class_id is not None:
        students = students.where(Enrollment.classroom_id == class_id)
    query = (
        select(AnswerRecord, User.display_name)
        .join(User, User.id == AnswerRecord.user_id)
        .where(AnswerRecord.question_id == question_id, AnswerRecord.user_id.in_(students))
        .order_by(AnswerRecord.answered_at.desc(), AnswerRecord.id.desc())
        .execution_options(populate_existing=True)
    )
    rows = page_of(query, page, PER_PAGE)
    items = [_written(record, name) for record, name in rows.items]
    return Page(items=items, page=rows.page, has_next=rows.has_next)


def _written(record: AnswerRecord, name: str) -> WrittenAnswer:
    return WrittenAnswer(
        response_id=record.id,
        student=name,
        answered_at=record.answered_at,
        text=str((record.answer or {}).get("text", "")),
        ticked=frozenset(ticked_of(record.answer) or ()),
        score=record.score,
        pending=record.pending,
        corrected_at=record.corrected_at,
        version_id=record.question_version_id,
    )


def correct_assessment(
    instructor_id: int,
    question_id: int,
    response_id: int,
    supported: Sequence[str],
    *,
    see_all: bool = False,
    now: datetime | None = None,
) -> float:
    """Untick the points a written answer does not support, keeping those in ``supported``
    (indexes of points the learner ticked); rescore the answer and its attempt, and record who
    corrected it. Return the new score. LookupError when the answer is not one of the
    instructor's students'."""
    now = now or utcnow()
    with write():
        row = db.session.execute(
            select(AnswerRecord, QuestionVersion)
            .join(QuestionVersion, QuestionVersion.id == AnswerRecord.question_version_id)
            .where(
                AnswerRecord.id == response_id,
                AnswerRecord.question_id == question_id,
                AnswerRecord.user_id.in_(_taught(instructor_id, see_all)),
            )
            .execution_options(populate_existing=True)
        ).first()
        if row is None:
            raise LookupError("no such written answer among your students'")
        record, version = row
        kind = qtypes.get(version.qtype)
        if not kind.self_assessed:
            raise LookupError("not a written answer")
        ticked = ticked_of(record.answer)
        if record.pending or ticked is None:
            raise CorrectionError("The student has not ticked the checklist yet.")
        if not all(str(value).isdigit() for value in supported):
            raise CorrectionError("Choose among the points the student ticked.")
        kept = sorted(set(ticked) & {int(value) for value in supported})
        answer = kind.answer_from_json(version.answer)
        response = {"text": kind.response_text(record.answer), "ticked": kept}
        grade = grading.grade(version.qtype, answer, response, None)
        result: CursorResult[Any] = db.session.execute(  # type: ignore[assignment]
            update(AnswerRecord)
            .where(AnswerRecord.id == record.id, AnswerRecord.score == record.score)
            .values(
                answer=response,
                score=grade.score,
                correct=grade.correct,
                corrected_by_id=instructor_id,
                corrected_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:  # the attempt's total follows the answer's change
            db.session.execute(
                update(Attempt)
                .where(Attempt.id == record.attempt_id)
                .values(score=Attempt.score + (grade.score - record.score))
                .execution_options(synchronize_session=False)
            )
        return grade.score
