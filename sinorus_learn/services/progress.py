"""A learner's progress: mastery per topic, reviews due, streak, accuracy, weak spots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Date, Integer, bindparam, case, cast, func, literal, null, select, union_all
from sqlalchemy.dialects.postgresql import distinct_on

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
    history: Any
    weakest: Any


@cache
def _statements(dialect: str) -> _Statements:
    user = bindparam("user_id")
    return _Statements(
        topics=_topics_statement(user, dialect),
        due=_due_statement(user),
        history=_history_statement(user, dialect),
        weakest=_weakest_statement(user),
    )


def _queries() -> _Statements:
    return _statements(db.engine.dialect.name)


def _run(statement: Any, params: dict[str, Any]) -> Any:
    """Run a Core statement on the session's connection (same transaction): these return plain
    rows, and the ORM's execute path cost about 0.1 ms more per statement."""
    return db.session.connection().execute(statement, params)


# Row kinds of the topics statement, which answers three questions in one round trip.
_ANSWERED, _ACTIVE, _DUE = 0, 1, 2


def _due_sums(user: Any) -> tuple[Any, Any]:
    """Cards of active questions due by the end of today, and over the following 7 days.

    The status test sits inside the sums, not in WHERE: with it in WHERE, SQLite walked every
    active question and probed the learner's cards for each, instead of reading their cards.
    """
    today, week = bindparam("end_of_today"), bindparam("week")
    active = Question.status == "active"
    return (
        func.sum(case((active & (ReviewCard.due <= today), 1), else_=0)),
        func.sum(case((active & (ReviewCard.due > today) & (ReviewCard.due <= week), 1), else_=0)),
    )


def latest_answers(user: Any, dialect: str) -> Any:
    """Subquery: the learner's newest response to each question (question_id, correct,
    answered_at); ``user`` is an id or a bound parameter.

    PostgreSQL reads it in one pass with DISTINCT ON; joined back by max(id), its planner
    hashed a full scan of responses. SQLite has no DISTINCT ON, and its plan for the join
    (primary-key probes) is the fast one.
    """
    columns = (Response.question_id, Response.correct, Response.answered_at)
    if dialect == "postgresql":
        return (
            select(*columns)
            .where(Response.user_id == user)
            .ext(distinct_on(Response.question_id))
            .order_by(Response.question_id, Response.id.desc())
            .subquery()
        )
    newest = (
        select(func.max(Response.id).label("id"))
        .where(Response.user_id == user)
        .group_by(Response.question_id)
        .subquery()
    )
    return select(*columns).join(newest, newest.c.id == Response.id).subquery()


def _topics_statement(user: Any, dialect: str) -> Any:
    """Per topic: the learner's latest answers, the active questions, and the cards due."""
    latest = latest_answers(user, dialect)
    answered = (
        select(
            literal(_ANSWERED),
            Question.topic,
            func.count(latest.c.question_id),
            func.sum(case((latest.c.correct, 1), else_=0)),
            func.count(func.distinct(_day(latest.c.answered_at, dialect))),
        )
        .join(Question, Question.id == latest.c.question_id)
        .group_by(Question.topic)
    )
    active = (
        select(literal(_ACTIVE), Question.topic, func.count(Question.id), literal(0), literal(0))
        .where(Question.status == "active")
        .group_by(Question.topic)
    )
    due = (
        select(literal(_DUE), Question.topic, *_due_sums(user), literal(0))
        .select_from(ReviewCard)
        .join(Question, Question.id == ReviewCard.question_id)
        .where(ReviewCard.user_id == user)
        .group_by(Question.topic)
    )
    return union_all(answered, active, due)


def _due_params(user_id: int, now: datetime) -> dict[str, Any]:
    end_of_today = now.replace(hour=23, minute=59, second=59, microsecond=0)
    return {
        "user_id": user_id,
        "end_of_today": end_of_today,
        "week": end_of_today + timedelta(days=7),
    }


def topics_and_due(user_id: int, now: datetime) -> tuple[list[TopicProgress], int, int]:
    """Return mastery per topic from the learner's latest answer to each question, and the
    cards due today and over the next 7 days (1 query)."""
    stats: dict[str, tuple[int, int, int]] = {}
    totals: dict[str, int] = {}
    due_today = due_week = 0
    rows = _run(_queries().topics, _due_params(user_id, now))
    for kind, topic, first, second, days in rows:
        if kind == _ANSWERED:
            stats[topic] = (int(first), int(second or 0), int(days))
        elif kind == _ACTIVE:
            totals[topic] = int(first)
        else:
            due_today += int(first or 0)
            due_week += int(second or 0)
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
    return result, due_today, due_week


def _due_statement(user: Any) -> Any:
    return (
        select(*_due_sums(user))
        .select_from(ReviewCard)
        .join(Question, Question.id == ReviewCard.question_id)
        .where(ReviewCard.user_id == user)
    )


def due_counts(user_id: int, now: datetime) -> tuple[int, int]:
    """Count cards due by the end of today and over the next 7 days (for the review queue)."""
    today, next_week = _run(_queries().due, _due_params(user_id, now)).one()
    return int(today or 0), int(next_week or 0)


def _history_statement(user: Any, dialect: str) -> Any:
    """Answers per day since ``since`` and answers per question type over all time (UNION ALL):
    one pass over the learner's answers feeds the activity chart, the streak, accuracy per
    type and retention."""
    right = func.sum(case((Response.correct, 1), else_=0))
    day = _day(Response.answered_at, dialect)
    daily = (
        select(day, null(), func.count(Response.id), right, literal(0), literal(0))
        .where(Response.user_id == user, Response.answered_at >= bindparam("since"))
        .group_by(day)
    )
    due_right = (Response.was_due.is_(True)) & (Response.correct.is_(True))
    by_type = (
        select(
            null(),
            QuestionVersion.qtype,
            func.count(Response.id),
            right,
            func.sum(case((Response.was_due.is_(True), 1), else_=0)),
            func.sum(case((due_right, 1), else_=0)),
        )
        .join(QuestionVersion, QuestionVersion.id == Response.question_version_id)
        .where(Response.user_id == user)
        .group_by(QuestionVersion.qtype)
    )
    return union_all(daily, by_type)


@dataclass(frozen=True)
class History:
    """The learner's answers summed per day (recent) and per question type (all time)."""

    daily: list[tuple[date, int, int]]  # day, answers, correct; oldest first
    by_type: list[tuple[str, int, int]]  # type, answers, correct; by type
    retention: float | None  # share of due reviews answered right (Anki's true retention)
    reviews: int  # how many due reviews that share is measured on


def answer_history(user_id: int, since: datetime) -> History:
    """Sum the learner's answers per day since ``since`` and per question type (1 query)."""
    rows = _run(_queries().history, {"user_id": user_id, "since": since}).all()
    daily = sorted((_as_date(d), int(n), int(c or 0)) for d, _t, n, c, _r, _k in rows if d)
    typed = sorted(
        (t, int(n), int(c or 0), int(r or 0), int(k or 0)) for d, t, n, c, r, k in rows if not d
    )
    reviews = sum(r for *_, r, _k in typed)
    retained = sum(k for *_, k in typed)
    return History(
        daily=daily,
        by_type=[(t, n, c) for t, n, c, _r, _k in typed],
        retention=retained / reviews if reviews else None,
        reviews=reviews,
    )


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
    rows = _run(_queries().weakest, params).all()
    return [(qid, prompt, n, int(w)) for qid, prompt, n, w in rows]


STREAK_WINDOW_DAYS = 60  # the streak is counted over this many days of activity
CHART_DAYS = 30


def learner_progress(user_id: int, now: datetime | None = None) -> Progress:
    """Gather everything the progress page shows (3 queries, whatever the history's size)."""
    now = now or utcnow()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    history = answer_history(user_id, since=midnight - timedelta(days=STREAK_WINDOW_DAYS))
    topics, due_today, due_week = topics_and_due(user_id, now)
    chart_from = (midnight - timedelta(days=CHART_DAYS)).date()
    return Progress(
        topics=topics,
        due_today=due_today,
        due_week=due_week,
        streak=streak([d for d, _, _ in history.daily], now.date()),
        daily=[row for row in history.daily if row[0] >= chart_from],
        by_type=history.by_type,
        weakest=weakest(user_id),
        retention=history.retention,
        retention_reviews=history.reviews,
        desired_retention=DESIRED_RETENTION,
    )
