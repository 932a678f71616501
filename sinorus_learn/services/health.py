"""Bank health: table warnings, learners' problem reports, coverage, template statistics."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from sinorus_learn.database import utcnow, write
from sinorus_learn.domain.questions import TOPICS
from sinorus_learn.domain.tables import Table, validate_tables
from sinorus_learn.extensions import db
from sinorus_learn.models import ProblemReport, Question, QuestionVersion, User
from sinorus_learn.services.bank import response_stats

REPORT_STATUSES = ("open", "resolved", "dismissed")
ACTIONS = ("fixed", "retire", "dismiss")


class HealthError(ValueError):
    """A request about a report that cannot be honoured; the message is for the user."""


def table_warnings(tables: Mapping[str, Table]) -> list[Any]:
    """Return the validation warnings of the data tables (table, row, rule, message)."""
    return list(validate_tables(tables))


# ---------------------------------------------------------------- problem reports


@dataclass(frozen=True, kw_only=True)
class ReportRow:
    report: ProblemReport
    question_key: str
    question_status: str
    prompt: str
    reporter: str
    resolver: str | None


@dataclass(frozen=True, kw_only=True)
class ReportPage:
    rows: list[ReportRow]
    page: int
    pages: int
    total: int
    has_prev: bool
    has_next: bool


def list_reports(status: str = "open", page: int = 1, per_page: int = 20) -> ReportPage:
    """Return one page of problem reports with the question version they are about."""
    query = select(ProblemReport).order_by(ProblemReport.created_at.desc(), ProblemReport.id.desc())
    if status in REPORT_STATUSES:
        query = query.where(ProblemReport.status == status)
    pagination = db.paginate(query, page=page, per_page=per_page, error_out=False)
    ids = [r.id for r in pagination.items]
    resolver = aliased(User)
    details = (
        {
            row.id: row
            for row in db.session.execute(
                select(
                    ProblemReport.id.label("id"),
                    Question.key.label("question_key"),
                    Question.status.label("question_status"),
                    QuestionVersion.prompt.label("prompt"),
                    User.display_name.label("reporter"),
                    resolver.display_name.label("resolver"),
                )
                .join(Question, Question.id == ProblemReport.question_id)
                .join(QuestionVersion, QuestionVersion.id == ProblemReport.question_version_id)
                .join(User, User.id == ProblemReport.user_id)
                .outerjoin(resolver, resolver.id == ProblemReport.resolved_by_id)
                .where(ProblemReport.id.in_(ids))
            )
        }
        if ids
        else {}
    )
    rows = [
        ReportRow(
            report=r,
            question_key=details[r.id].question_key,
            question_status=details[r.id].question_status,
            prompt=details[r.id].prompt,
            reporter=details[r.id].reporter,
            resolver=details[r.id].resolver,
        )
        for r in pagination.items
    ]
    return ReportPage(
        rows=rows,
        page=pagination.page,
        pages=max(1, pagination.pages),
        total=pagination.total or 0,
        has_prev=pagination.has_prev,
        has_next=pagination.has_next,
    )


def resolve_report(report_id: int, resolver_id: int, action: str, reply: str) -> ProblemReport:
    """Close a report: fixed (after an edit), retire its question, or dismiss with a reply."""
    if action not in ACTIONS:
        raise HealthError("Choose what to do with the report.")
    reply = reply.strip()
    if action == "dismiss" and not reply:
        raise HealthError("Say why the report is dismissed: the learner reads the reply.")
    with write():
        report = db.session.get(ProblemReport, report_id)
        if report is None:
            raise LookupError(report_id)
        if action == "retire":
            question = db.session.get(Question, report.question_id)
            assert question is not None
            question.status = "retired"
            question.updated_at = utcnow()
        report.status = "dismissed" if action == "dismiss" else "resolved"
        report.reply = reply or None
        report.resolved_by_id = resolver_id
        report.resolved_at = utcnow()
    return report


def open_report_count() -> int:
    """Count the reports still waiting for an instructor."""
    return (
        db.session.scalar(
            select(func.count(ProblemReport.id)).where(ProblemReport.status == "open")
        )
        or 0
    )


# ---------------------------------------------------------------- coverage


@dataclass(frozen=True, kw_only=True)
class CoverageRow:
    label: str
    ref: str
    questions: int
    answers: int
    facility: float | None


@dataclass(frozen=True, kw_only=True)
class Coverage:
    sections: list[CoverageRow]
    tables: dict[str, list[CoverageRow]]  # table id -> one row per data row


def _row_keys(table: Any) -> list[tuple[str, str]]:
    """Return (row key, label) for each row of a data table."""
    result = []
    for row in getattr(table, "rows", ()):
        key = str(getattr(row, "key", row))
        label = getattr(row, "label", None) or key
        result.append((key, str(label)))
    return result


def coverage(tables: Mapping[str, Table]) -> Coverage:
    """Count the active questions drawing on each section and each row of ``tables``, with
    learners' results."""
    stats = response_stats()
    rows = db.session.execute(
        select(
            Question.topic.label("topic"),
            Question.table_id.label("table_id"),
            QuestionVersion.source.label("source"),
            stats.c.attempts,
            stats.c.facility,
        )
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .outerjoin(stats, stats.c.question_id == Question.id)
        .where(Question.status == "active")
    ).all()
    # One row per active question (not per answer): answers were already aggregated in SQL.
    by_section: dict[str, list[int | float]] = {}
    by_row: dict[tuple[str, str], list[int | float]] = {}
    for row in rows:
        _tally(by_section, row.topic, row.attempts, row.facility)
        if row.table_id:
            for key in (row.source or {}).get("rows") or ():
                _tally(by_row, (row.table_id, str(key)), row.attempts, row.facility)
    sections = [_coverage_row(title, slug, by_section.get(slug)) for slug, title in TOPICS.items()]
    by_table = {
        table_id: [
            _coverage_row(label, key, by_row.get((table_id, key)))
            for key, label in _row_keys(table)
        ]
        for table_id, table in tables.items()
    }
    return Coverage(sections=sections, tables=by_table)


def _tally(into: dict[Any, list[int | float]], key: Any, attempts: Any, facility: Any) -> None:
    total = into.setdefault(key, [0, 0, 0.0])
    total[0] += 1
    if attempts:
        total[1] += int(attempts)
        total[2] += float(facility or 0.0) * int(attempts)


def _coverage_row(label: str, ref: str, total: list[int | float] | None) -> CoverageRow:
    questions, answers, score = total or (0, 0, 0.0)
    return CoverageRow(
        label=label,
        ref=ref,
        questions=int(questions),
        answers=int(answers),
        facility=float(score) / answers if answers else None,
    )


@dataclass(frozen=True, kw_only=True)
class TemplateStat:
    template: str
    questions: int
    answers: int
    facility: float | None


def template_statistics() -> list[TemplateStat]:
    """Return per generator template: active questions, answers and mean score (one query)."""
    stats = response_stats()
    answers = func.coalesce(func.sum(stats.c.attempts), 0)
    score = func.sum(stats.c.facility * stats.c.attempts)
    rows = db.session.execute(
        select(
            Question.template.label("template"),
            func.count(Question.id).label("questions"),
            answers.label("answers"),
            score.label("score"),
        )
        .outerjoin(stats, stats.c.question_id == Question.id)
        .where(Question.template.is_not(None), Question.status == "active")
        .group_by(Question.template)
        .order_by(Question.template)
    ).all()
    return [
        TemplateStat(
            template=row.template,
            questions=int(row.questions),
            answers=int(row.answers or 0),
            facility=float(row.score) / int(row.answers) if row.answers else None,
        )
        for row in rows
    ]
