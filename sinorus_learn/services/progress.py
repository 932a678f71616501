"""A learner's progress: mastery per topic, reviews due, streak, accuracy, weak spots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Date, Integer, bindparam, case, cast, func, literal, select, union_all

from sinorus_learn.database import utcnow
from sinorus_learn.domain import mastery
from sinorus_learn.domain.questions import TOPICS
from sinorus_learn.extensions import db
from sinorus_learn.models import Question, QuestionVersion, Response
from sinorus_learn.models.review import ReviewCard

DESIRED_RETENTION = 0.9


@dataclass(frozen=True)
class TopicProgress:
    slug: str
    title: str
    level: Any
    percent: int
    seen: int
    correct: int
    total: int


@dataclass(frozen=True)
class Progress:
    topics: list[TopicProgress]
    due_today: int
    due_week: int
    streak: int
    daily: list[tuple[date, int, int]]  # day, answers, correct
    by_type: list[tuple[str, int, int]]  # type, answers, correct
    weakest: list[tuple[int, str, int, int]]  # question id, prompt, answers, wrong
    retention: float | None
    retention_reviews: int
    desired_retention: float


def _day(column: Any, dialect: str) -> Any:
    return func.date(column) if dialect == "sqlite" else cast(column, Date)


@dataclass(frozen=True)
class _Statements:
    """The page's queries, built once per dialect with bound parameters: building them and
    computing their cache keys took more CPU than SQLite took to run them."""

    topics: Any
    due: Any
    daily: Any
    by_type: Any
    weakest: Any


@cache
def _statements(dialect: str) -> _Statements:
    user = bindparam("user_id")
    return _Statements(
        topics=_topics_statement(user, dialect),
        due=_due_statement(user),
        daily=_daily_statement(user, dialect),
        by_type=_by_type_statement(user),
        weakest=_weakest_statement(user),
    )


def _queries() -> _Statements:
    return _statements(db.engine.dialect.name)


def _topics_statement(user: Any, dialect: str) -> Any:
    """Latest answer per question, by topic, with active questions per topic (UNION ALL)."""
    newest = (
        select(func.max(Response.id).label("id"))
        .where(Response.user_id == user)
        .group_by(Response.question_id)
        .subquery()
    )
    answered = (
        select(
            Question.topic,
            literal(0),
            func.count(Response.id),
            func.sum(case((Response.correct, 1), else_=0)),
            func.count(func.distinct(_day(Response.answered_at, dialect))),
        )
        .join(newest, newest.c.id == Response.id)
        .join(Question, Question.id == Response.question_id)
        .group_by(Question.topic)
    )
    active = (
        select(Question.topic, func.count(Question.id), literal(0), literal(0), literal(0))
        .where(Question.status == "active")
        .group_by(Question.topic)
    )
    return union_all(answered, active)


def topic_progress(user_id: int) -> list[TopicProgress]:
    """Return mastery per topic from the learner's latest answer to each question (1 query)."""
    stats: dict[str, tuple[int, int, int]] = {}
    totals: dict[str, int] = {}
    rows = db.session.execute(_queries().topics, {"user_id": user_id})
    for topic, total, seen, correct, days in rows:
        if total:
            totals[topic] = int(total)
        else:
            stats[topic] = (int(seen), int(correct or 0), int(days))
    result = []
    for slug, title in TOPICS.items():
        seen, correct, days = stats.get(slug, (0, 0, 0))
        topic_stats = mastery.TopicStats(
            questions_total=totals.get(slug, 0), seen=seen, correct=correct, days=days
        )
        result.append(
            TopicProgress(
                slug,
                title,
                mastery.topic_mastery(topic_stats),
                mastery.progress(topic_stats),
                seen,
                correct,
                totals.get(slug, 0),
            )
        )
    return result


def _due_statement(user: Any) -> Any:
    today, week = bindparam("end_of_today"), bindparam("week")
    return (
        select(
            func.sum(case((ReviewCard.due <= today, 1), else_=0)),
            func.sum(case(((ReviewCard.due > today) & (ReviewCard.due <= week), 1), else_=0)),
        )
        .join(Question, Question.id == ReviewCard.question_id)
        .where(ReviewCard.user_id == user, Question.status == "active")
    )


def due_counts(user_id: int, now: datetime) -> tuple[int, int]:
    """Count cards due by the end of today and over the next 7 days."""
    end_of_today = now.replace(hour=23, minute=59, second=59, microsecond=0)
    params = {
        "user_id": user_id,
        "end_of_today": end_of_today,
        "week": end_of_today + timedelta(days=7),
    }
    today, next_week = db.session.execute(_queries().due, params).one()
    return int(today or 0), int(next_week or 0)


def _daily_statement(user: Any, dialect: str) -> Any:
    day = _day(Response.answered_at, dialect).label("day")
    return (
        select(day, func.count(Response.id), func.sum(case((Response.correct, 1), else_=0)))
        .where(Response.user_id == user, Response.answered_at >= bindparam("since"))
        .group_by(day)
        .order_by(day)
    )


def daily_activity(user_id: int, now: datetime, days: int = 30) -> list[tuple[date, int, int]]:
    """Return answers and correct answers per day over the last ``days`` days."""
    params = {"user_id": user_id, "since": now - timedelta(days=days)}
    rows = db.session.execute(_queries().daily, params).all()
    return [(_as_date(d), n, int(c or 0)) for d, n, c in rows]


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def streak(active_days: list[date], today: date) -> int:
    """Count consecutive days with answers, ending today (or yesterday, not yet broken)."""
    days = set(active_days)
    current = today if today in days else today - timedelta(days=1)
    count = 0
    while current in days:
        count += 1
        current -= timedelta(days=1)
    return count


def _by_type_statement(user: Any) -> Any:
    due_correct = (Response.was_due.is_(True)) & (Response.correct.is_(True))
    return (
        select(
            QuestionVersion.qtype,
            func.count(Response.id),
            func.sum(case((Response.correct, 1), else_=0)),
            func.sum(case((Response.was_due.is_(True), 1), else_=0)),
            func.sum(case((due_correct, 1), else_=0)),
        )
        .join(QuestionVersion, QuestionVersion.id == Response.question_version_id)
        .where(Response.user_id == user)
        .group_by(QuestionVersion.qtype)
        .order_by(QuestionVersion.qtype)
    )


def answers_by_type(user_id: int) -> tuple[list[tuple[str, int, int]], float | None, int]:
    """Return answers and correct answers per question type, and the measured retention.

    Retention is the share of due reviews answered right (Anki's true retention), given with
    how many there were; both come from the same pass over the learner's answers.
    """
    rows = db.session.execute(_queries().by_type, {"user_id": user_id}).all()
    reviews = sum(int(due or 0) for *_, due, _ok in rows)
    retained = sum(int(ok or 0) for *_, ok in rows)
    by_type = [(qtype, n, int(c or 0)) for qtype, n, c, _due, _ok in rows]
    return by_type, (retained / reviews if reviews else None), reviews


def _weakest_statement(user: Any) -> Any:
    wrong = func.sum(case((Response.correct, 0), else_=1)).label("wrong")
    return (
        select(Question.id, QuestionVersion.prompt, func.count(Response.id), wrong)
        .join(Question, Question.id == Response.question_id)
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(Response.user_id == user, Question.status == "active")
        .group_by(Question.id, QuestionVersion.prompt)
        .having(wrong > 0)
        .order_by(wrong.desc(), Question.id)
        .limit(bindparam("limit", type_=Integer))
    )


def weakest(user_id: int, limit: int = 5) -> list[tuple[int, str, int, int]]:
    """Return the questions the learner gets wrong most often."""
    params = {"user_id": user_id, "limit": limit}
    rows = db.session.execute(_queries().weakest, params).all()
    return [(qid, prompt, n, int(w)) for qid, prompt, n, w in rows]


def learner_progress(user_id: int, now: datetime | None = None) -> Progress:
    """Gather everything the progress page shows (a fixed number of queries)."""
    now = now or utcnow()
    daily = daily_activity(user_id, now, days=60)
    due_today, due_week = due_counts(user_id, now)
    by_type, retention, reviews = answers_by_type(user_id)
    return Progress(
        topics=topic_progress(user_id),
        due_today=due_today,
        due_week=due_week,
        streak=streak([d for d, _, _ in daily], now.date()),
        daily=[row for row in daily if row[0] >= (now - timedelta(days=30)).date()],
        by_type=by_type,
        weakest=weakest(user_id),
        retention=retention,
        retention_reviews=reviews,
        desired_retention=DESIRED_RETENTION,
    )
