"""A learner's progress: mastery per topic, reviews due, streak, accuracy, weak spots."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import (
    Date,
    Integer,
    String,
    bindparam,
    case,
    cast,
    func,
    literal,
    null,
    select,
    union_all,
)

from sinorus_learn.database import utcnow
from sinorus_learn.domain import confidence, mastery
from sinorus_learn.domain.questions import TOPICS
from sinorus_learn.extensions import db
from sinorus_learn.models import AnswerRecord, Attempt, Question, QuestionVersion
from sinorus_learn.models.review import ReviewCard
from sinorus_learn.services.catalogue import Catalogue

DESIRED_RETENTION = 0.9
DAILY_REVIEW_CAP = 50  # the app's DAILY_REVIEW_CAP setting, passed in by the views


@dataclass(frozen=True, kw_only=True)
class ObjectiveProgress:
    """Mastery of one lesson objective, over the active questions that serve it."""

    id: str
    text: str
    topic: str
    level: mastery.Level
    percent: int
    seen: int
    total: int


@dataclass(frozen=True, kw_only=True)
class TopicProgress:
    slug: str
    title: str
    level: Any
    percent: int
    seen: int
    correct: int
    total: int
    objectives: tuple[ObjectiveProgress, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Progress:
    topics: list[TopicProgress]
    due: Due
    streak: int
    daily: list[tuple[date, int, int]]  # day, answers, correct
    by_type: list[tuple[str, int, int]]  # type, answers, correct
    weakest: list[tuple[int, str, int, int, str]]  # question id, prompt, answers, wrong, topic
    retention: float | None
    retention_reviews: int
    desired_retention: float
    study_next: ObjectiveProgress | None = None
    # accuracy at each certainty level, over every answer given with one
    calibration: tuple[confidence.CalibrationRow, ...] = ()

    @property
    def rated(self) -> int:
        """How many answers were given with a certainty level."""
        return sum(row.answers for row in self.calibration)


def _day(column: Any, dialect: str) -> Any:
    return func.date(column) if dialect == "sqlite" else cast(column, Date)


@dataclass(frozen=True)
class _Statements:
    """The page's queries, built once per dialect with bound parameters: building them and
    computing their cache keys took more CPU than SQLite took to run them."""

    cards: Any
    due: Any
    daily: Any
    weakest: Any
    objectives: Any


@cache
def _statements(dialect: str) -> _Statements:
    user: Any = bindparam("user_id")
    return _Statements(
        cards=_cards_statement(user, dialect),
        due=_due_statement(user),
        daily=_daily_statement(user, dialect),
        weakest=_weakest_statement(user),
        objectives=_objectives_statement(user, dialect),
    )


def _queries() -> _Statements:
    return _statements(db.engine.dialect.name)


def _run(statement: Any, params: dict[str, Any]) -> Any:
    """Run a Core statement on the session's connection (same transaction): these return plain
    rows, and the ORM's execute path cost about 0.1 ms more per statement."""
    return db.session.connection().execute(statement, params)


# Row kinds of the cards statement, which answers three questions in one round trip.
_TOPIC, _ACTIVE, _TYPE = 0, 1, 2


@dataclass(frozen=True, kw_only=True)
class Due:
    """Where the learner's review queue stands: the one definition of "due" that the progress
    page, the review queue and the review quiz share.

    A card is due now when its time has come; the review quiz serves those, except a question
    whose sibling (same fact) was answered today, held back until tomorrow as the quiz buries
    it. Cards whose time comes before midnight UTC are "due later today", not "due now".
    """

    now: int  # served by a review started now
    held: int  # due, but held back until tomorrow: a sibling was answered today
    later_today: int  # falling due later today (UTC)
    next_at: datetime | None  # when the first of those falls due
    week: int  # falling due over the 7 days after today
    done_today: int  # review answers given today, against the daily cap
    cap: int

    @property
    def left_today(self) -> int:
        """How many more reviews today's cap allows."""
        return max(self.cap - self.done_today, 0)

    @property
    def can_review(self) -> bool:
        """Whether "Start review" would serve a question now."""
        return self.now > 0 and self.left_today > 0


def _facts_answered_today(user: Any) -> Any:
    """Per fact, the questions the learner answered today: how many, and one of them (the
    review quiz holds back a due question when another question on its fact was answered
    today). Grouped once per statement, then joined: a correlated test per due card cost
    more than the rest of the page's sums."""
    return (
        select(
            Question.fact.label("fact"),
            func.count(func.distinct(Question.id)).label("questions"),
            func.min(Question.id).label("one"),
        )
        .join(AnswerRecord, AnswerRecord.question_id == Question.id)
        .where(
            AnswerRecord.user_id == user,
            AnswerRecord.answered_at >= bindparam("midnight"),
            Question.fact != "",
        )
        .group_by(Question.fact)
        .subquery("answered_today")
    )


def _due_sums(answered_today: Any) -> tuple[Any, ...]:
    """Cards of active questions due now (served, held back), falling due later today (how
    many, the first when), and over the 7 days after today; ``answered_today`` is
    ``_facts_answered_today``, outer-joined on the question's fact.

    The status test sits inside the sums, not in WHERE: with it in WHERE, SQLite walked every
    active question and probed the learner's cards for each, instead of reading their cards.
    """
    now: Any = bindparam("now")
    today: Any = bindparam("end_of_today")
    week: Any = bindparam("week")
    active = Question.status == "active"
    sibling_today = (answered_today.c.questions > 1) | (answered_today.c.one != Question.id)
    due_now = active & (ReviewCard.due <= now)
    held = due_now & answered_today.c.fact.is_not(None) & sibling_today
    later = active & (ReviewCard.due > now) & (ReviewCard.due <= today)
    in_week = active & (ReviewCard.due > today) & (ReviewCard.due <= week)
    return (
        func.sum(case((due_now, 1), else_=0)).label("due_now"),
        func.sum(case((held, 1), else_=0)).label("held"),
        func.sum(case((later, 1), else_=0)).label("later_today"),
        func.min(case((later, ReviewCard.due), else_=None)).label("first_later"),
        func.sum(case((in_week, 1), else_=0)).label("week"),
    )


def _cards_statement(user: Any, dialect: str) -> Any:
    """From the learner's cards (one per question answered, holding its running record): per
    topic the questions seen, right at the latest answer, and due; per question type the
    answers, right answers and due reviews passed. With them, the active questions per topic."""
    answered_today = _facts_answered_today(user)
    # The three kinds share the columns, named by the first (UNION takes its labels).
    topics = (
        select(
            literal(_TOPIC).label("kind"),
            Question.topic.label("key"),
            func.count(ReviewCard.id).label("n"),  # not "count": a Row has a count()
            func.sum(case((ReviewCard.last_correct, 1), else_=0)).label("right"),
            func.count(func.distinct(_day(ReviewCard.last_review, dialect))).label("days"),
            *_due_sums(answered_today),
            cast(func.max(ReviewCard.last_review), String).label("newest"),
            func.sum(ReviewCard.reps).label("reps"),
            literal(0).label("spaced_reviews"),
            literal(0).label("spaced_passed"),
        )
        .join(Question, Question.id == ReviewCard.question_id)
        .outerjoin(answered_today, answered_today.c.fact == Question.fact)
        .where(ReviewCard.user_id == user)
        .group_by(Question.topic)
    )
    active = (
        select(
            literal(_ACTIVE),
            Question.topic,
            func.count(Question.id),
            *[literal(0)] * 5,
            null(),
            literal(0),
            cast(func.max(Question.updated_at), String),
            *[literal(0)] * 3,
        )
        .where(Question.status == "active")
        .group_by(Question.topic)
    )
    types = (
        select(
            literal(_TYPE),
            Question.qtype,
            func.sum(ReviewCard.reps),
            func.sum(ReviewCard.reps - ReviewCard.wrong),
            *[literal(0)] * 4,  # days, due now, held, later today
            null(),  # first later
            literal(0),  # week
            cast(literal(None), String),  # newest
            literal(0),  # reps
            func.sum(ReviewCard.spaced_reviews),
            func.sum(ReviewCard.spaced_passed),
        )
        .join(Question, Question.id == ReviewCard.question_id)
        .where(ReviewCard.user_id == user)
        .group_by(Question.qtype)
    )
    return union_all(topics, active, types)


@dataclass(frozen=True, kw_only=True)
class CardSummary:
    """What the learner's cards tell: mastery per topic, reviews due, accuracy per type."""

    topics: list[TopicProgress]
    due: Due
    by_type: list[tuple[str, int, int]]  # the question's type, answers, right; by type
    # share of reviews a day or more after the previous answer that were right (Anki's true
    # retention); same-day re-asks are left out, they measure short-term memory
    retention: float | None
    reviews: int  # how many such reviews that share is measured on
    # What the page's memos depend on: per topic, the learner's cards (how many, how many right,
    # the newest answer, the answers they hold: an exam's answers reach the cards when it ends,
    # maybe with no newer answer) and the active questions (how many, the newest change).
    stamp: tuple[tuple[Any, ...], ...] = ()


def _due_params(user_id: int, now: datetime) -> dict[str, Any]:
    end_of_today = now.replace(hour=23, minute=59, second=59, microsecond=999999)
    return {
        "user_id": user_id,
        "now": now,
        "midnight": now.replace(hour=0, minute=0, second=0, microsecond=0),
        "end_of_today": end_of_today,
        "week": end_of_today + timedelta(days=7),
    }


@dataclass(kw_only=True)
class _DueTotal:
    """The due sums (``_due_sums``) added up over rows."""

    now: int = 0
    held: int = 0
    later_today: int = 0
    next_at: datetime | None = None
    week: int = 0

    def add(self, row: Any) -> None:
        """Add one row's due sums."""
        self.now += int(row.due_now or 0)
        self.held += int(row.held or 0)
        self.later_today += int(row.later_today or 0)
        self.week += int(row.week or 0)
        if row.first_later is not None and (self.next_at is None or row.first_later < self.next_at):
            self.next_at = row.first_later

    def status(self, done_today: int, cap: int) -> Due:
        """The queue as the learner sees it: what is served now leaves out what is held."""
        return Due(
            now=self.now - self.held,
            held=self.held,
            later_today=self.later_today,
            next_at=self.next_at,
            week=self.week,
            done_today=done_today,
            cap=cap,
        )


def card_summary(
    user_id: int, now: datetime, done_today: int = 0, cap: int = DAILY_REVIEW_CAP
) -> CardSummary:
    """Sum the learner's cards per topic and per question type (1 query).

    Mastery counts each question once, by the learner's latest answer to it; accuracy per type
    counts every answer, under the question's current type.
    """
    stats: dict[str, tuple[int, int, int]] = {}
    totals: dict[str, int] = {}
    by_type = []
    reviews = passed = 0
    due = _DueTotal()
    rows = _run(_queries().cards, _due_params(user_id, now)).all()
    stamp = tuple(
        sorted((r.kind, r.key, r.n, r.right, r.newest, r.reps) for r in rows if r.kind != _TYPE)
    )
    for row in rows:
        if row.kind == _TOPIC:
            stats[row.key] = (int(row.n), int(row.right or 0), int(row.days))
            due.add(row)
        elif row.kind == _ACTIVE:
            totals[row.key] = int(row.n)
        else:
            by_type.append((row.key, int(row.n or 0), int(row.right or 0)))
            reviews += int(row.spaced_reviews or 0)
            passed += int(row.spaced_passed or 0)
    topics = []
    for slug, title in TOPICS.items():
        seen, correct, days = stats.get(slug, (0, 0, 0))
        topic_stats = mastery.TopicStats(
            questions_total=totals.get(slug, 0), seen=seen, correct=correct, days=days
        )
        topics.append(
            TopicProgress(
                slug=slug,
                title=title,
                level=mastery.topic_mastery(topic_stats),
                percent=mastery.progress(topic_stats),
                seen=seen,
                correct=correct,
                total=totals.get(slug, 0),
            )
        )
    return CardSummary(
        topics=topics,
        due=due.status(done_today, cap),
        by_type=sorted(by_type),
        retention=passed / reviews if reviews else None,
        reviews=reviews,
        stamp=stamp,
    )


# Row kinds of the objectives statement: active questions, and the learner's cards by day.
_OBJ_ACTIVE, _OBJ_SEEN = 0, 1


def _objectives_statement(user: Any, dialect: str) -> Any:
    """Per set of objectives a question serves: the active questions, and the learner's cards
    by the day of their latest answer (seen, right), so that every objective's mastery is summed
    in Python from a few dozen rows, the same on SQLite and PostgreSQL (no JSON unnesting)."""
    served = cast(Question.objectives, String).label("served")
    active = (
        select(
            literal(_OBJ_ACTIVE).label("kind"),
            served,
            func.count(Question.id).label("total"),
            literal(0).label("correct"),
            cast(literal(None), String).label("day"),
        )
        .where(Question.status == "active")
        .group_by(served)
    )
    day = cast(_day(ReviewCard.last_review, dialect), String).label("day")
    seen = (
        select(
            literal(_OBJ_SEEN).label("kind"),
            served,
            func.count(ReviewCard.id).label("total"),
            func.sum(case((ReviewCard.last_correct, 1), else_=0)).label("correct"),
            day,
        )
        .join(Question, Question.id == ReviewCard.question_id)
        .where(ReviewCard.user_id == user, Question.status == "active")
        .group_by(served, day)
    )
    return union_all(active, seen)


@lru_cache(maxsize=512)
def _served(served: str | None) -> tuple[str, ...]:
    """Decode a question's objectives as stored (few distinct lists: decoded once each)."""
    return tuple(json.loads(served or "[]"))


ObjectiveTable = dict[str, tuple[ObjectiveProgress, ...]]


def objective_progress(
    user_id: int, catalogue: Catalogue, stamp: tuple[tuple[Any, ...], ...] | None = None
) -> ObjectiveTable:
    """Return each topic's objectives with the learner's mastery of each (1 query, none when
    nothing it depends on has changed since the learner's last look).

    ``stamp`` (``CardSummary.stamp``) changes whenever the learner answers or an active
    question is added, removed or edited, so a memo keyed on it is never stale; it spares the
    page's most expensive sum on every visit but the first after an answer. Without a stamp,
    summed afresh. ``catalogue`` (the lessons' objectives) is part of the memo's key: a
    small frozen value, only its folder.
    """
    if stamp is None:
        return _objective_progress.__wrapped__(str(db.engine.url), catalogue, user_id, ())
    return _objective_progress(str(db.engine.url), catalogue, user_id, stamp)


@lru_cache(maxsize=2048)
def _objective_progress(
    _database: str, catalogue: Catalogue, user_id: int, _stamp: tuple[tuple[Any, ...], ...]
) -> ObjectiveTable:
    lessons = catalogue.lesson_objectives().items()  # read once per process, as the tables are
    totals: dict[str, int] = {}
    seen: dict[str, int] = {}
    right: dict[str, int] = {}
    days: dict[str, set[str]] = {}
    for row in _run(_queries().objectives, {"user_id": user_id}):
        for objective in _served(row.served):
            if row.kind == _OBJ_ACTIVE:
                totals[objective] = totals.get(objective, 0) + int(row.total)
            else:
                seen[objective] = seen.get(objective, 0) + int(row.total)
                right[objective] = right.get(objective, 0) + int(row.correct or 0)
                days.setdefault(objective, set()).add(str(row.day))
    result: ObjectiveTable = {}
    for slug, objectives in lessons:
        built = []
        for item in objectives:
            oid = item.id
            stats = mastery.TopicStats(
                questions_total=totals.get(oid, 0),
                seen=seen.get(oid, 0),
                correct=right.get(oid, 0),
                days=len(days.get(oid, ())),
            )
            built.append(
                ObjectiveProgress(
                    id=oid,
                    text=item.text,
                    topic=slug,
                    level=mastery.topic_mastery(stats),
                    percent=mastery.progress(stats),
                    seen=stats.seen,
                    total=stats.questions_total,
                )
            )
        result[slug] = tuple(built)
    return result


def _with_objectives(
    topics: list[TopicProgress], objectives: ObjectiveTable
) -> list[TopicProgress]:
    """Attach each topic's objectives and build its level from theirs (those with questions)."""
    built = []
    for topic in topics:
        own = objectives.get(topic.slug, ())
        measured = [o.level for o in own if o.total]
        level = mastery.topic_from_objectives(measured) if measured else topic.level
        built.append(dataclasses.replace(topic, level=level, objectives=own))
    return built


def _study_next(topics: list[TopicProgress]) -> ObjectiveProgress | None:
    """The one objective to study next, across every topic in the report's order."""
    candidates = [o for t in topics for o in t.objectives if o.total]
    pick = mastery.study_next(
        [mastery.ObjectiveMastery(o.id, o.level, o.percent) for o in candidates]
    )
    return next((o for o in candidates if pick is not None and o.id == pick.id), None)


def _due_statement(user: Any) -> Any:
    reviews_today = (
        select(func.count(AnswerRecord.id))
        .where(
            AnswerRecord.user_id == user,
            AnswerRecord.was_due.is_(True),
            AnswerRecord.answered_at >= bindparam("midnight"),
        )
        .scalar_subquery()
    )
    answered_today = _facts_answered_today(user)
    return (
        select(*_due_sums(answered_today), reviews_today.label("reviews_today"))
        .select_from(ReviewCard)
        .join(Question, Question.id == ReviewCard.question_id)
        .outerjoin(answered_today, answered_today.c.fact == Question.fact)
        .where(ReviewCard.user_id == user)
    )


def due_status(user_id: int, now: datetime, cap: int = DAILY_REVIEW_CAP) -> Due:
    """Where the learner's review queue stands (for the review queue page; 1 query)."""
    row = _run(_queries().due, _due_params(user_id, now)).one()
    due = _DueTotal()
    due.add(row)
    return due.status(int(row.reviews_today or 0), cap)


# Row kinds of the daily statement: answers per day, and per certainty level (calibration).
_PER_DAY, _PER_LEVEL = 0, 1


def _daily_statement(user: Any, dialect: str) -> Any:
    """Answers and right answers per day since ``since`` (with the review answers), and over
    every answer per certainty level the learner gave (one GROUP BY each, one round trip):
    read from ix_responses_user_time, leaving out the answers of an exam still open (their
    right count would tell what the exam hides)."""
    day = _day(AnswerRecord.answered_at, dialect)
    open_exams = select(Attempt.id).where(
        Attempt.user_id == user, Attempt.mode == "exam", Attempt.status == "active"
    )
    shown = (AnswerRecord.user_id == user) & AnswerRecord.attempt_id.not_in(open_exams)
    right = func.sum(cast(AnswerRecord.correct, Integer)).label("right")
    per_day = (
        select(
            literal(_PER_DAY).label("kind"),
            day.label("day"),
            func.count().label("answers"),
            right,
            func.sum(cast(AnswerRecord.was_due, Integer)).label("extra"),  # review answers
        )
        .where(shown, AnswerRecord.answered_at >= bindparam("since"))
        .group_by(day)
    )
    per_level = (
        select(
            literal(_PER_LEVEL).label("kind"),
            (cast(literal(None), Date) if dialect != "sqlite" else null()).label("day"),
            func.count().label("answers"),
            right,
            cast(AnswerRecord.certainty, Integer).label("extra"),  # the certainty level
        )
        .where(shown, AnswerRecord.certainty.is_not(None))
        .group_by(AnswerRecord.certainty)
    )
    return union_all(per_day, per_level)


def daily_answers(user_id: int, since: datetime) -> list[tuple[date, int, int]]:
    """Sum the learner's answers per day (UTC) since ``since``: day, answers, right; oldest
    first (1 query)."""
    return [(day, n, right) for day, n, right, _ in _daily_rows(user_id, since)]


def _daily_rows(user_id: int, since: datetime) -> list[tuple[date, int, int, int]]:
    """Per day since ``since``: answers, right answers, review answers; oldest first."""
    return _answer_rows(user_id, since)[0]


def _answer_rows(
    user_id: int, since: datetime
) -> tuple[list[tuple[date, int, int, int]], tuple[confidence.CalibrationRow, ...]]:
    """Per day since ``since`` (answers, right, reviews; oldest first), and the calibration
    rows over every answer given with a certainty level (1 query)."""
    days, levels = [], []
    for row in _run(_queries().daily, {"user_id": user_id, "since": since}):
        if row.kind == _PER_DAY:
            days.append(
                (_as_date(row.day), int(row.answers), int(row.right or 0), int(row.extra or 0))
            )
        else:
            levels.append((int(row.extra), int(row.answers), int(row.right or 0)))
    return sorted(days), tuple(confidence.calibration(levels))


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
    """The learner's active questions with the most wrong answers (counted on their cards)."""
    return (
        select(
            Question.id, QuestionVersion.prompt, ReviewCard.reps, ReviewCard.wrong, Question.topic
        )
        .join(Question, Question.id == ReviewCard.question_id)
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(ReviewCard.user_id == user, ReviewCard.wrong > 0, Question.status == "active")
        .order_by(ReviewCard.wrong.desc(), Question.id)
        .limit(bindparam("limit", type_=Integer))
    )


def weakest(user_id: int, limit: int = 5) -> list[tuple[int, str, int, int, str]]:
    """Return the questions the learner gets wrong most often."""
    params = {"user_id": user_id, "limit": limit}
    rows = _run(_queries().weakest, params).all()
    return [(row.id, row.prompt, row.reps, int(row.wrong), row.topic) for row in rows]


STREAK_WINDOW_DAYS = 60  # the streak is counted over this many days of activity
CHART_DAYS = 30


def learner_progress(
    user_id: int,
    catalogue: Catalogue,
    now: datetime | None = None,
    cap: int = DAILY_REVIEW_CAP,
) -> Progress:
    """Gather everything the progress page shows: the learner's cards (one query, one per
    question answered, whatever the number of answers); then, unless nothing they depend on
    has changed since the learner's last look today, mastery per objective, the answers of the
    last 60 days and the weakest cards (one query each)."""
    now = now or utcnow()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    cards = card_summary(user_id, now, 0, cap)
    rows, weakest_rows, calibration = _history(str(db.engine.url), user_id, cards.stamp, midnight)
    daily = [(day, n, right) for day, n, right, _ in rows]
    done_today = sum(reviews for day, _, _, reviews in rows if day == now.date())
    topics = _with_objectives(cards.topics, objective_progress(user_id, catalogue, cards.stamp))
    chart_from = (midnight - timedelta(days=CHART_DAYS)).date()
    return Progress(
        topics=topics,
        due=dataclasses.replace(cards.due, done_today=done_today),
        streak=streak([d for d, _, _ in daily], now.date()),
        daily=[row for row in daily if row[0] >= chart_from],
        by_type=cards.by_type,
        weakest=weakest_rows,
        retention=cards.retention,
        retention_reviews=cards.reviews,
        desired_retention=DESIRED_RETENTION,
        study_next=_study_next(topics),
        calibration=calibration,
    )


History = tuple[
    list[tuple[date, int, int, int]],
    list[tuple[int, str, int, int, str]],
    tuple[confidence.CalibrationRow, ...],
]


@lru_cache(maxsize=2048)
def _history(
    _database: str, user_id: int, _stamp: tuple[tuple[Any, ...], ...], midnight: datetime
) -> History:
    """The answers per day since 60 days before ``midnight``, the weakest cards, and accuracy
    per certainty level: memoised, like mastery per objective, on the cards' stamp (every
    answer that reaches a card, and every change to an active question, moves it) and the day
    (the window moves at midnight). An open exam's answers are left out of all three until it
    ends, which moves the stamp."""
    since = midnight - timedelta(days=STREAK_WINDOW_DAYS)
    days, calibration = _answer_rows(user_id, since)
    return days, weakest(user_id), calibration
