"""The question bank browser: filter, search and page through questions with their statistics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, cast, func, or_, select

from sinorus_learn.extensions import db
from sinorus_learn.models import AnswerRecord, Question, QuestionVersion

PER_PAGE = 25


@dataclass(frozen=True)
class BankFilter:
    topic: str = ""
    qtype: str = ""
    origin: str = ""
    tag: str = ""
    status: str = ""
    text: str = ""
    level: str = ""
    objective: str = ""  # an objective id
    keys: tuple[str, ...] | None = None  # only these questions (an import job's); None: any


@dataclass(frozen=True, kw_only=True)
class BankRow:
    question: Question
    version: QuestionVersion
    attempts: int
    facility: float | None


@dataclass(frozen=True, kw_only=True)
class BankPage:
    rows: list[BankRow]
    page: int
    pages: int
    total: int
    has_prev: bool
    has_next: bool


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _json_list_holds(column: Any, value: str) -> Any:
    """Match a JSON list of strings holding ``value``, by its quoted text (SQLite and PG)."""
    needle = '%"' + _escape_like(value) + '"%'
    return cast(column, String).like(needle, escape="\\")


def _conditions(filters: BankFilter) -> list[Any]:
    conditions: list[Any] = []
    if filters.keys is not None:
        conditions.append(Question.key.in_(filters.keys))
    if filters.topic:
        conditions.append(Question.topic == filters.topic)
    if filters.qtype:
        conditions.append(Question.qtype == filters.qtype)
    if filters.origin:
        conditions.append(Question.origin == filters.origin)
    if filters.status:
        conditions.append(Question.status == filters.status)
    if filters.level:
        conditions.append(Question.level == filters.level)
    if filters.tag:
        conditions.append(_json_list_holds(Question.tags, filters.tag.strip()))
    if filters.objective:
        conditions.append(_json_list_holds(Question.objectives, filters.objective.strip()))
    if filters.text.strip():
        needle = "%" + _escape_like(filters.text.strip()) + "%"
        conditions.append(
            or_(
                QuestionVersion.prompt.ilike(needle, escape="\\"),
                Question.key.ilike(needle, escape="\\"),
                QuestionVersion.explanation.ilike(needle, escape="\\"),
            )
        )
    return conditions


def response_stats() -> Any:
    """Subquery: per question, the number of answers and the mean score (all learners)."""
    return (
        select(
            AnswerRecord.question_id.label("question_id"),
            func.count(AnswerRecord.id).label("attempts"),
            func.avg(AnswerRecord.score).label("facility"),
        )
        .group_by(AnswerRecord.question_id)
        .subquery()
    )


def browse(filters: BankFilter, page: int = 1, per_page: int = PER_PAGE) -> BankPage:
    """Return one page of questions matching ``filters`` with their statistics (3 queries)."""
    query = (
        select(Question)
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(*_conditions(filters))
        .order_by(Question.topic, Question.key)
    )
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False)
    questions = list(pagination.items)
    stats = response_stats()
    details = (
        {
            row.id: row
            for row in db.session.execute(
                select(
                    Question.id.label("id"),
                    QuestionVersion,
                    stats.c.attempts,
                    stats.c.facility,
                )
                .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
                .outerjoin(stats, stats.c.question_id == Question.id)
                .where(Question.id.in_([q.id for q in questions]))
            )
        }
        if questions
        else {}
    )
    rows = []
    for question in questions:
        row = details[question.id]
        rows.append(
            BankRow(
                question=question,
                version=row.QuestionVersion,
                attempts=int(row.attempts or 0),
                facility=float(row.facility) if row.facility is not None else None,
            )
        )
    return BankPage(
        rows=rows,
        page=pagination.page,
        pages=max(1, pagination.pages),
        total=pagination.total or 0,
        has_prev=pagination.has_prev,
        has_next=pagination.has_next,
    )
