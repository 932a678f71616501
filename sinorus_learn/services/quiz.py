"""Quiz use cases: start an attempt, show a question, take an answer, finish, review."""

from __future__ import annotations

import json
import random
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CursorResult,
    Text,
    bindparam,
    case,
    cast,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from sinorus_learn.database import utcnow, write
from sinorus_learn.domain import confidence, grading, presentation, qtypes, scheduling, selection
from sinorus_learn.domain.attempts import ABANDON_AFTER, status_at
from sinorus_learn.domain.qtypes.explain import MIN_POINTS
from sinorus_learn.domain.questions import LEVELS, QUESTION_TYPES, TOPICS, answer_from_json
from sinorus_learn.extensions import db
from sinorus_learn.models import (
    AnswerRecord,
    Attempt,
    AttemptItem,
    Question,
    QuestionVersion,
)
from sinorus_learn.models.review import ReviewCard
from sinorus_learn.services.catalogue import Catalogue
from sinorus_learn.services.paging import Page, page_of

MAX_QUESTIONS = 30
DRILL_LEVELS = ("data", "evaluate")
SPACED_REVIEW = timedelta(days=1)
DEFAULT_QUESTIONS = 10
EXPECTED_SECONDS = 30.0


class QuizError(ValueError):
    """A quiz request that cannot be honoured; the message is for the learner."""


class CertaintyRequiredError(QuizError):
    """An answer to an attempt that rates confidence, sent without a level (or a bad one)."""


CERTAINTY_REQUIRED = "Choose how sure you are of your answer: not sure, fairly sure or very sure."


@dataclass(frozen=True)
class QuizRequest:
    """What the learner asked for when starting an attempt."""

    mode: str
    topic: str | None = None
    table: str | None = None
    topics: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    objectives: tuple[str, ...] = ()  # practice and exam: only these; lesson: this one alone
    levels: tuple[str, ...] = ()
    count: int = DEFAULT_QUESTIONS
    minutes: int | None = None
    confidence: bool = False  # "rate my confidence": each answer says how sure the learner is


@dataclass(frozen=True)
class ItemView:
    """One question as the learner sees it, with their response once given."""

    attempt: Attempt
    item: AttemptItem
    version: QuestionVersion
    response: AnswerRecord | None
    total: int

    @property
    def answered(self) -> bool:
        return self.response is not None

    @property
    def pending(self) -> bool:
        """Tell whether the answer waits for the learner's self-assessment (explain)."""
        return self.response is not None and bool(self.response.pending)

    @property
    def show_feedback(self) -> bool:
        return self.response is not None and (
            self.attempt.mode != "exam" or self.attempt.status != "active"
        )


# The types answered in two steps (write, then self-assess): no exam draws them, since their
# model answer and checklist are shown before the exam ends (docs/question-types.md).
SELF_ASSESSED = tuple(name for name, kind in qtypes.REGISTRY.items() if kind.self_assessed)


@cache  # a constant: built once, as SQLAlchemy would otherwise rebuild it per quiz
def _servable() -> ColumnElement[bool]:
    """SQL: the question can be asked; an explain question needs its checklist (two points
    and a model answer: an imported GIFT essay has neither until an instructor adds them).
    The check looks up the question's own current version (a scan of every version, as an
    IN over them was, took most of the time to start a quiz)."""
    checklisted = (
        select(QuestionVersion.id)
        .where(
            QuestionVersion.id == Question.current_version_id,
            func.json_array_length(QuestionVersion.answer["points"]) >= MIN_POINTS,
            func.length(QuestionVersion.answer["model"].as_string()) > 0,
        )
        .exists()
    )
    return Question.qtype.not_in(SELF_ASSESSED) | checklisted


# The learner and the moment a quiz is drawn for: bound per execution, so the statements
# that pick candidates are built once per request shape (building them cost about as much
# as running them).
_USER: BindParameter[int] = bindparam("user_id")
_NOW: BindParameter[datetime] = bindparam("now")


def _candidate_filter(request: QuizRequest) -> Any:
    """Return the SQL condition picking the questions a mode draws on (``user_id`` and
    ``now`` bound when it runs)."""
    active: ColumnElement[bool] = (Question.status == "active") & _servable()
    if request.mode == "lesson":
        if request.topic not in TOPICS:
            raise QuizError("Choose a topic.")
        return active & (Question.topic == request.topic)
    if request.mode == "table":  # data practice: reading and weighing the table
        condition: ColumnElement[bool] = active & (Question.table_id == request.table)
        if request.table == "timeline":  # its dates and orderings are what drilling it means
            return condition
        return condition & Question.level.in_(DRILL_LEVELS)
    if request.mode in ("practice", "exam"):
        condition = active
        if request.topics:
            condition = condition & Question.topic.in_(request.topics)
        if request.types:
            condition = condition & Question.qtype.in_(request.types)
        if request.levels:
            condition = condition & Question.level.in_(request.levels)
        if request.mode == "exam":
            condition = condition & Question.qtype.not_in(SELF_ASSESSED)
        return condition
    if request.mode == "review":
        due = select(ReviewCard.question_id).where(
            ReviewCard.user_id == _USER, ReviewCard.due <= _NOW
        )
        return active & Question.id.in_(due)
    if request.mode == "mistakes":
        return active & Question.id.in_(_last_wrong())
    raise QuizError("Unknown quiz mode.")


@lru_cache(maxsize=128)
def _candidates(shape: QuizRequest) -> Any:
    """The questions a mode draws on, each with the learner's latest result and whether its
    card is due (both kept on the card; NULL if never answered): what selection weighs, in one
    query. Versions are read for the chosen few only (decoding every candidate's choices and
    answer took most of the time to start a quiz). ``shape`` is the request with only what
    the condition depends on; ``user_id`` and ``now`` are bound when it runs."""
    card = (ReviewCard.question_id == Question.id) & (ReviewCard.user_id == _USER)
    return (
        select(
            Question.id.label("id"),
            ReviewCard.last_correct.label("last_correct"),
            (ReviewCard.due <= _NOW).label("due"),
            Question.fact.label("fact"),
            cast(Question.given, Text).label("given"),  # as stored: decoded once per value
            cast(Question.objectives, Text).label("objectives"),
            Question.level.label("level"),
            Question.qtype.label("qtype"),
            Question.table_id.label("table_id"),
        )
        .outerjoin(ReviewCard, card)
        .where(_candidate_filter(shape))
        .order_by(Question.id)  # the same seed draws the same questions
    )


def _shape(request: QuizRequest) -> QuizRequest:
    """The request without what the candidate query does not depend on (a small cache key)."""
    return replace(request, objectives=(), count=DEFAULT_QUESTIONS, minutes=None, confidence=False)


@dataclass(frozen=True, kw_only=True)
class _Version:
    """What presenting a question needs of its current version."""

    id: int
    qtype: str
    choices: Any
    answer: Any


_CURRENT_VERSIONS = (
    select(
        Question.id.label("question_id"),
        QuestionVersion.id.label("id"),
        QuestionVersion.qtype.label("qtype"),
        QuestionVersion.choices.label("choices"),
        QuestionVersion.answer.label("answer"),
    )
    .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
    .where(Question.id.in_(bindparam("ids", expanding=True)))
)


def _current_versions(question_ids: list[int]) -> dict[int, _Version]:
    """Map each question to its current version: id, type, choices and answer."""
    rows = db.session.execute(_CURRENT_VERSIONS, {"ids": question_ids}).all()
    return {
        row.question_id: _Version(
            id=row.id, qtype=row.qtype, choices=row.choices, answer=row.answer
        )
        for row in rows
    }


def _last_wrong() -> Any:
    return select(ReviewCard.question_id).where(
        ReviewCard.user_id == _USER, ReviewCard.last_correct.is_(False)
    )


def _count_for(request: QuizRequest, user_id: int, now: datetime, cap: int) -> int:
    count = max(1, min(request.count, MAX_QUESTIONS))
    if request.mode == "review":
        done = reviews_today(user_id, now)
        count = min(count, max(0, cap - done))
        if count == 0:
            raise QuizError("You have reached today's review limit. Come back tomorrow!")
    return count


def reviews_today(user_id: int, now: datetime) -> int:
    """Count the review answers given since midnight UTC (for the daily cap)."""
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return (
        db.session.scalar(
            select(func.count(AnswerRecord.id)).where(
                AnswerRecord.user_id == user_id,
                AnswerRecord.was_due.is_(True),
                AnswerRecord.answered_at >= midnight,
            )
        )
        or 0
    )


_INSERT_ATTEMPT = insert(Attempt).returning(Attempt.id)


def start_attempt(
    user_id: int,
    request: QuizRequest,
    now: datetime | None = None,
    seed: int | None = None,
    review_cap: int = 50,
    known_objectives: Collection[str] = frozenset(),
) -> int:
    """Create an attempt with its questions frozen as they will be shown; return its id.

    ``known_objectives`` are the ids of the lessons' objectives (``all_objectives``): a
    request for any other is refused."""
    now = now or utcnow()
    if request.types and any(t not in QUESTION_TYPES for t in request.types):
        raise QuizError("Unknown question type.")
    if request.topics and any(t not in TOPICS for t in request.topics):
        raise QuizError("Unknown topic.")
    if request.levels and any(level not in LEVELS for level in request.levels):
        raise QuizError("Unknown skill level.")
    if request.objectives and not set(request.objectives) <= set(known_objectives):
        raise QuizError("Unknown objective.")
    seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
    with write():
        _close_overdue(user_id, now)  # an abandoned exam's answers reach the cards drawn on
        count = _count_for(request, user_id, now, review_cap)
        learner = {"user_id": user_id, "now": now}
        rows = db.session.execute(_candidates(_shape(request)), learner).all()
        if not rows:
            raise QuizError(_empty_message(request.mode))
        candidates = [_candidate(row) for row in rows]
        if request.objectives:
            candidates = [c for c in candidates if set(c.objectives) & set(request.objectives)]
        if request.mode == "review":
            candidates = _unburied(candidates, user_id, now)
        if not candidates:
            raise QuizError(_empty_message(request.mode))
        rng = random.Random(seed)  # noqa: S311 - question order, not security
        blueprint = _blueprint(request, candidates, rng)
        chosen = [int(k) for k in selection.select_questions(candidates, count, rng, blueprint)]
        if not chosen:  # no mix the blueprint allows: an empty attempt would fail to insert
            raise QuizError(_empty_message(request.mode))
        version_of = _current_versions(chosen)
        deadline = now + timedelta(minutes=request.minutes) if request.minutes else None
        attempt_id: int = db.session.execute(  # Core: the ORM's flush cost as much again
            _INSERT_ATTEMPT,
            {
                "user_id": user_id,
                "mode": request.mode,
                "params": _params(request),
                "seed": seed,
                "question_count": len(chosen),
                "started_at": now,
                "last_active_at": now,
                "deadline_at": deadline,
                "confidence": request.confidence,
            },
        ).scalar_one()
        items = []
        for position, qid in enumerate(chosen, start=1):
            version = version_of[qid]
            items.append(
                {
                    "attempt_id": attempt_id,
                    "position": position,
                    "question_id": qid,
                    "question_version_id": version.id,
                    "presented": presentation.present(
                        version.qtype, version.choices, version.answer, rng
                    ),
                }
            )
        # One executemany: ORM objects would each need their own INSERT ... RETURNING on SQLite.
        db.session.execute(insert(AttemptItem), items)
        return attempt_id


def _candidate(row: Any) -> selection.Candidate:
    """Build what selection weighs from one row of ``_candidates``."""
    return _candidate_of(
        question_id=row.id,
        last_correct=row.last_correct,
        due=bool(row.due),
        fact=row.fact,
        given=row.given,
        objectives=row.objectives,
        level=row.level,
        qtype=row.qtype,
        table_id=row.table_id,
    )


@lru_cache(maxsize=8192)
def _candidate_of(
    *,
    question_id: int,
    last_correct: bool | None,
    due: bool,
    fact: str | None,
    given: str | None,
    objectives: str | None,
    level: str | None,
    qtype: str,
    table_id: str | None,
) -> selection.Candidate:
    """Keyed on the row's values as stored, so never stale: it spares decoding and building
    the same few hundred candidates on every quiz start (most of a start's own work)."""
    origin = (
        selection.TEXT
        if table_id is None
        else selection.TIMELINE
        if table_id == "timeline"
        else selection.TABLE
    )
    return selection.Candidate(
        key=str(question_id),
        seen=last_correct is not None,
        last_correct=last_correct,
        due=due,
        fact=fact or "",
        given=frozenset(json.loads(given) if given else ()),
        objectives=tuple(json.loads(objectives) if objectives else ()),
        level=level or "",
        qtype=qtype,
        origin=origin,
    )


def _blueprint(
    request: QuizRequest, candidates: list[selection.Candidate], rng: random.Random
) -> selection.Blueprint | None:
    """A lesson quiz's blueprint: its objectives, the one the learner is weakest on first."""
    if request.mode != "lesson":
        return None
    # The objectives its questions serve (read with them: no query for the lesson's list).
    served = sorted({o for c in candidates for o in c.objectives})
    objectives = list(request.objectives) or served
    return selection.lesson_blueprint(weakest_first(objectives, candidates, rng))


def weakest_first(
    objectives: Sequence[str], candidates: Sequence[selection.Candidate], rng: random.Random
) -> list[str]:
    """Order ``objectives`` by the share of their questions last answered right, lowest first
    (ties in a seeded order, so a new learner meets them in varied order)."""
    right: dict[str, int] = dict.fromkeys(objectives, 0)
    total: dict[str, int] = dict.fromkeys(objectives, 0)
    for c in candidates:
        for objective in c.objectives:
            if objective in total:
                total[objective] += 1
                right[objective] += bool(c.last_correct)
    tiebreak = {o: rng.random() for o in objectives}
    return sorted(objectives, key=lambda o: (right[o] / total[o] if total[o] else 0, tiebreak[o]))


def all_objectives(catalogue: Catalogue) -> dict[str, str]:
    """Map every lesson objective's id to its text, lessons in the report's order."""
    lessons = catalogue.lesson_objectives()  # read once per process from the lesson files
    return {o.id: o.text for objectives in lessons.values() for o in objectives}


def _unburied(
    candidates: list[selection.Candidate], user_id: int, now: datetime
) -> list[selection.Candidate]:
    """Drop questions whose sibling was answered today: the second would be answered from
    short-term memory (Anki buries sibling cards for the same reason)."""
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    answered = db.session.execute(
        select(Question.id, Question.fact)
        .join(AnswerRecord, AnswerRecord.question_id == Question.id)
        .where(AnswerRecord.user_id == user_id, AnswerRecord.answered_at >= midnight)
        .distinct()
    ).all()
    facts_by_other: dict[str, set[str]] = {}
    for qid, fact in answered:
        facts_by_other.setdefault(fact or "", set()).add(str(qid))
    return [c for c in candidates if not (facts_by_other.get(c.fact_id, set()) - {c.key})]


def _params(request: QuizRequest) -> dict[str, Any]:
    return {
        "topic": request.topic,
        "table": request.table,
        "topics": list(request.topics),
        "types": list(request.types),
        "objectives": list(request.objectives),
        "levels": list(request.levels),
        "minutes": request.minutes,
    }


def _empty_message(mode: str) -> str:
    return {
        "review": "Nothing is due for review right now. Well done!",
        "mistakes": "You have no mistakes to revisit. Well done!",
    }.get(mode, "No questions match this choice yet.")


def get_attempt(user_id: int, attempt_id: int, now: datetime | None = None) -> Attempt | None:
    """Return the learner's own attempt (None for anyone else's) as it stands at ``now``.

    Reading writes nothing: an attempt past its time limit, or abandoned, shows closed (its
    status and end), and is closed in the database by the next write that meets it (an answer,
    finishing it, or starting another quiz).
    """
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != user_id:
        return None
    now = now or utcnow()
    status = status_at(attempt.status, attempt.deadline_at, attempt.last_active_at, now)
    if status != attempt.status:  # shown as loaded: never flushed, so never written
        set_committed_value(attempt, "status", status)
        set_committed_value(attempt, "finished_at", _ended(status, attempt.last_active_at, now))
    return attempt


def _ended(status: str, last_active_at: datetime, now: datetime) -> datetime:
    """When an attempt closed at ``now`` ended: an abandoned one, when it was last touched."""
    return last_active_at if status == "abandoned" else now


def _close_overdue(user_id: int, now: datetime) -> None:
    """Close the learner's attempts that ran out of time or were abandoned (in a write)."""
    rows = db.session.execute(
        _OVERDUE, {"user_id": user_id, "now": now, "idle_since": now - ABANDON_AFTER}
    ).all()
    for row in rows:
        ended = _ended(row.closes_as, row.last_active_at, now)
        _finish(user_id, row.id, row.closes_as, ended, exam=row.mode == "exam")


def status_now(now: Any, idle_since: Any = None) -> Any:
    """SQL for the domain's ``status_at``: what each attempt is at ``now``, for lists.
    ``idle_since`` (default ``now - ABANDON_AFTER``) is when an untouched one counts as
    abandoned; both may be bound parameters."""
    active = Attempt.status == "active"
    if idle_since is None:
        idle_since = now - ABANDON_AFTER
    return case(
        (active & (Attempt.deadline_at < now), "expired"),
        (active & (Attempt.last_active_at <= idle_since), "abandoned"),
        else_=Attempt.status,
    )


# The learner's attempts to close, with what each closes as: the domain's status_at in SQL,
# so it reads only those (none, almost always). Built once: starting a quiz runs it.
_CLOSES_AS = status_now(_NOW, bindparam("idle_since"))
_OVERDUE = select(
    Attempt.id.label("id"),
    _CLOSES_AS.label("closes_as"),
    Attempt.last_active_at.label("last_active_at"),
    Attempt.mode.label("mode"),
).where(Attempt.user_id == _USER, Attempt.status == "active", _CLOSES_AS != "active")


def attempt_rows(now: datetime) -> tuple[Any, ...]:
    """The columns a list of attempts shows, with each one's status at ``now``."""
    return (
        Attempt.id,
        Attempt.started_at,
        Attempt.finished_at,
        Attempt.mode,
        status_now(now).label("status"),
        Attempt.score,
        Attempt.question_count,
        Attempt.answered_count,
    )


def item_view(attempt: Attempt, position: int) -> ItemView | None:
    """Return the item at ``position`` with its version and response (one query)."""
    row = db.session.execute(
        select(AttemptItem, QuestionVersion, AnswerRecord)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
        .outerjoin(AnswerRecord, AnswerRecord.attempt_item_id == AttemptItem.id)
        .where(AttemptItem.attempt_id == attempt.id, AttemptItem.position == position)
    ).first()
    if row is None:
        return None
    item, version, response = row
    return ItemView(attempt, item, version, response, attempt.question_count)


class HintRefusedError(QuizError):
    """A hint asked where none may be given (an exam); the message is for the learner."""


def ask_hint(user_id: int, attempt_id: int, position: int, now: datetime | None = None) -> bool:
    """Record that the learner asked for the hint of an unanswered item (once: a repeat keeps
    the first time); True if this call recorded it. LookupError when there is no such item or
    it has no hint, HintRefusedError in an exam, QuizError once answered or closed."""
    now = now or utcnow()
    items = AttemptItem.__table__
    with write():
        row = db.session.execute(_hint_target(user_id, attempt_id, position)).first()
        if row is None or not row.hint:
            raise LookupError("no hint to show")
        if row.mode == "exam":
            raise HintRefusedError("Hints are not available in an exam.")
        if row.response_id is not None:
            raise QuizError("This question is already answered.")
        if status_at(row.status, row.deadline_at, row.last_active_at, now) != "active":
            raise QuizError("This attempt is finished; its questions can no longer change.")
        result: CursorResult[Any] = db.session.execute(  # type: ignore[assignment]
            update(items)
            .where(items.c.id == row.item_id, items.c.hint_at.is_(None))
            .values(hint_at=now)
        )
        return result.rowcount == 1


def _hint_target(user_id: int, attempt_id: int, position: int) -> Any:
    """The attempt, item, hint and any response that asking for a hint checks (one query)."""
    items, versions = AttemptItem.__table__, QuestionVersion.__table__
    return (
        select(
            Attempt.status.label("status"),
            Attempt.mode.label("mode"),
            Attempt.deadline_at.label("deadline_at"),
            Attempt.last_active_at.label("last_active_at"),
            items.c.id.label("item_id"),
            versions.c.hint.label("hint"),
            AnswerRecord.id.label("response_id"),
        )
        .join(items, items.c.attempt_id == Attempt.id)
        .join(versions, versions.c.id == items.c.question_version_id)
        .outerjoin(AnswerRecord, AnswerRecord.attempt_item_id == items.c.id)
        .where(Attempt.id == attempt_id, Attempt.user_id == user_id, items.c.position == position)
    )


def submit_answer(
    user_id: int,
    attempt_id: int,
    position: int,
    form: Mapping[str, Sequence[str]],
    seconds: float = 0.0,
    now: datetime | None = None,
) -> AnswerRecord:
    """Grade and store an answer once; a repeated submit returns the stored response.

    The hot path of a quiz, so it is kept to four statements after the login's: one read of
    attempt, item, version, earlier response and review card, then three prebuilt Core writes
    (response, attempt counters, card) and one commit, with no ORM flush.
    """
    now = now or utcnow()
    try:
        with write():
            target = _answer_target(user_id, attempt_id, position, now)
            if target.response_id is None and target.status == "active":
                return _record(user_id, attempt_id, target, form, seconds, now)
            # otherwise nothing to record; an overdue attempt's closing is committed
    except _AnsweredMeanwhile as exc:  # the same item answered by a concurrent request
        existing: AnswerRecord | None = db.session.scalar(
            select(AnswerRecord).where(AnswerRecord.attempt_item_id == exc.item_id)
        )
        assert existing is not None
        return existing  # keep the first
    if target.response_id is not None:
        stored = db.session.get(AnswerRecord, target.response_id)
        assert stored is not None
        return stored
    raise QuizError("This attempt is finished; its answers can no longer change.")


class _AnsweredMeanwhile(Exception):
    """The item's answer was stored by a concurrent request (its insert met the unique key)."""

    def __init__(self, item_id: int) -> None:
        super().__init__(item_id)
        self.item_id = item_id


def _record(
    user_id: int,
    attempt_id: int,
    target: _Target,
    form: Mapping[str, Sequence[str]],
    seconds: float,
    now: datetime,
) -> AnswerRecord:
    """Grade the answer and write it, the attempt's counters and the card (in a write)."""
    grade, value = _graded(target, form)
    certainty = _certainty(target, form)
    hinted = target.hint_at is not None
    rating = scheduling.adjusted_rating(
        scheduling.rating_for(grade.correct, grade.partial, seconds, EXPECTED_SECONDS),
        correct=grade.correct,
        certainty=certainty,
        hinted=hinted,
    )
    # a written explanation waits for its self-assessment: score 0, no rating, no card yet
    pending = qtypes.get(target.qtype).self_assessed
    values = {
        "attempt_item_id": target.item_id,
        "attempt_id": attempt_id,
        "user_id": user_id,
        "question_id": target.question_id,
        "question_version_id": target.version_id,
        "answer": presentation.response_to_json(target.qtype, value),
        "score": grade.score,
        "correct": grade.correct,
        "time_ms": int(max(0.0, min(seconds, 86_400.0)) * 1000),
        "rating": None if pending else int(rating),
        "was_due": target.mode == "review",
        "answered_at": now,
        "certainty": int(certainty) if certainty is not None else None,
        "cbm_mark": confidence.mark(grade.score, certainty) if certainty is not None else None,
        "hinted": hinted,
        "pending": pending,
    }
    statements = _write_statements()
    try:
        result: CursorResult[Any] = db.session.execute(statements.response, values)  # type: ignore[assignment]
    except IntegrityError as exc:
        raise _AnsweredMeanwhile(target.item_id) from exc
    counters = {"attempt_id": attempt_id, "score": grade.score, "now": now}
    db.session.execute(statements.counters, counters)
    if target.mode != "exam" and not pending:  # an exam's cards learn its results at its end
        sure_wrong = scheduling.sure_and_wrong(grade.correct, grade.score, certainty)
        _schedule(user_id, target, rating, grade.correct, values["was_due"], now, sure_wrong)
    inserted = result.inserted_primary_key
    assert inserted is not None
    return AnswerRecord(id=inserted[0], **values)


@dataclass(frozen=True, kw_only=True)
class _Target:
    """What grading and recording one answer needs: attempt, item, version, response, card."""

    status: str
    mode: str
    confidence: bool
    deadline_at: datetime | None
    last_active_at: datetime
    item_id: int
    question_id: int
    presented: dict[str, Any]
    hint_at: datetime | None  # when the learner asked for the hint; the answer is marked
    version_id: int
    qtype: str
    answer: Any
    choices: list[str] | None
    response_id: int | None
    card_id: int | None
    card_state: dict[str, Any] | None
    card_reps: int | None
    card_lapses: int | None
    card_last_review: datetime | None


@dataclass(frozen=True)
class _WriteStatements:
    """The statements of an answer, built once: building and cache-keying them per request
    cost more CPU than running them on SQLite."""

    target: Any
    response: Any
    counters: Any
    card_insert: Any
    card_update: Any


@cache
def _write_statements() -> _WriteStatements:
    attempts, items = Attempt.__table__, AttemptItem.__table__
    versions, responses = QuestionVersion.__table__, AnswerRecord.__table__
    cards = ReviewCard.__table__
    target = (
        select(  # labelled as the fields of _Target
            attempts.c.status,
            attempts.c.mode,
            attempts.c.confidence,
            attempts.c.deadline_at,
            attempts.c.last_active_at,
            items.c.id.label("item_id"),
            items.c.question_id,
            items.c.presented,
            items.c.hint_at,
            versions.c.id.label("version_id"),
            versions.c.qtype,
            versions.c.answer,
            versions.c.choices,
            responses.c.id.label("response_id"),
            *_card_columns(cards),
        )
        .select_from(attempts)
        .outerjoin(
            items,
            (items.c.attempt_id == attempts.c.id) & (items.c.position == bindparam("position")),
        )
        .outerjoin(versions, versions.c.id == items.c.question_version_id)
        .outerjoin(responses, responses.c.attempt_item_id == items.c.id)
        .outerjoin(
            cards,
            (cards.c.user_id == attempts.c.user_id) & (cards.c.question_id == items.c.question_id),
        )
        .where(attempts.c.id == bindparam("attempt_id"), attempts.c.user_id == bindparam("user_id"))
    )
    counters = (
        update(attempts)
        .where(attempts.c.id == bindparam("attempt_id"))
        .values(
            answered_count=attempts.c.answered_count + 1,
            score=attempts.c.score + bindparam("score"),
            last_active_at=bindparam("now"),
        )
    )
    card_update = (
        update(cards)
        .where(cards.c.id == bindparam("card_id"))
        .values(
            state=bindparam("state"),
            due=bindparam("due"),
            last_review=bindparam("last_review"),
            reps=bindparam("reps"),
            lapses=bindparam("lapses"),
            wrong=cards.c.wrong + bindparam("wrong"),
            last_correct=bindparam("last_correct"),
            due_reviews=cards.c.due_reviews + bindparam("due_reviews"),
            due_passed=cards.c.due_passed + bindparam("due_passed"),
            spaced_reviews=cards.c.spaced_reviews + bindparam("spaced_reviews"),
            spaced_passed=cards.c.spaced_passed + bindparam("spaced_passed"),
        )
    )
    return _WriteStatements(target, insert(responses), counters, insert(cards), card_update)


def _answer_target(user_id: int, attempt_id: int, position: int, now: datetime) -> _Target:
    """Read everything an answer needs in one query; LookupError if there is nothing to answer.

    An overdue or abandoned attempt is closed here (``get_attempt`` only shows it closed), so
    it refuses the answer.
    """
    params = {"attempt_id": attempt_id, "user_id": user_id, "position": position}
    row = db.session.execute(_write_statements().target, params).first()
    if row is None:
        raise LookupError("no such attempt")
    if row.item_id is None:
        raise LookupError("no such question")
    target = _Target(**row._mapping)
    closed = status_at(target.status, target.deadline_at, target.last_active_at, now)
    if closed != target.status:  # closed in this write transaction, which then commits it
        ended = _ended(closed, target.last_active_at, now)
        _finish(user_id, attempt_id, closed, ended, exam=target.mode == "exam")
        target = replace(target, status=closed)
    return target


def _graded(target: _Target, form: Mapping[str, Sequence[str]]) -> tuple[grading.Grade, Any]:
    """Read the learner's response from the form and grade it; QuizError if it is unreadable."""
    try:
        value = presentation.form_to_response(target.qtype, form, target.presented)
    except presentation.ResponseError as exc:
        raise QuizError(str(exc)) from exc
    if qtypes.get(target.qtype).self_assessed:  # the ticks come once the checklist is shown
        value = {**value, "ticked": None}
    if target.qtype == "numeric" and grading.parse_student_number(str(value)) is None:
        raise QuizError("Type a number, such as 12.8 or 1,680.")
    answer = answer_from_json(target.qtype, target.answer)
    choices = tuple(target.choices) if target.choices is not None else None
    return grading.grade(target.qtype, answer, value, choices), value


def _certainty(target: _Target, form: Mapping[str, Sequence[str]]) -> confidence.Certainty | None:
    """How sure the learner said they were: required when the attempt rates confidence,
    ignored otherwise; QuizError when missing or not one of the three levels."""
    if not target.confidence:
        return None
    submitted = presentation.form_values(form, "certainty")
    try:
        certainty = confidence.parse(submitted[0] if submitted else None)
    except confidence.CertaintyError as exc:
        raise CertaintyRequiredError(CERTAINTY_REQUIRED) from exc
    if certainty is None:
        raise CertaintyRequiredError(CERTAINTY_REQUIRED)
    return certainty


def assess_explanation(
    user_id: int,
    attempt_id: int,
    position: int,
    ticked: Sequence[str],
    now: datetime | None = None,
) -> AnswerRecord:
    """Record the points a learner ticked against the checklist of their written answer: the
    score is the share ticked, and the card is scheduled like any answer. The text is kept as
    written; a repeated submit changes nothing (the first ticks stand)."""
    now = now or utcnow()
    with write():
        target = _answer_target(user_id, attempt_id, position, now)
        kind = qtypes.get(target.qtype)
        if not kind.self_assessed:
            raise LookupError("not a self-assessed question")
        record = (
            db.session.get(AnswerRecord, target.response_id, populate_existing=True)
            if target.response_id
            else None
        )
        if record is None:
            raise QuizError("Write your explanation first.")
        if not record.pending:
            return record
        if target.status != "active":
            raise QuizError("This attempt is finished; the explanation was not self-assessed.")
        answer = answer_from_json(target.qtype, target.answer)
        try:
            response = kind.self_assess(record.answer, ticked, answer)
        except presentation.ResponseError as exc:
            raise QuizError(str(exc)) from exc
        grade = grading.grade(target.qtype, answer, response, None)
        # Writing takes longer than the expected time of a choice: the time plays no part.
        # The certainty and the hint were recorded with the text.
        certainty = confidence.Certainty(record.certainty) if record.certainty else None
        rating = scheduling.adjusted_rating(
            scheduling.rating_for(grade.correct, grade.partial, 0.0, EXPECTED_SECONDS),
            correct=grade.correct,
            certainty=certainty,
            hinted=record.hinted,
        )
        cbm_mark = confidence.mark(grade.score, certainty) if certainty is not None else None
        done: CursorResult[Any] = db.session.execute(  # type: ignore[assignment]
            update(AnswerRecord)
            .where(AnswerRecord.id == record.id, AnswerRecord.pending.is_(True))
            .values(
                answer=response,
                score=grade.score,
                correct=grade.correct,
                rating=int(rating),
                cbm_mark=cbm_mark,
                pending=False,
            )
            .execution_options(synchronize_session=False)
        )
        if done.rowcount == 1:  # not ticked meanwhile by a concurrent request
            db.session.execute(
                update(Attempt)
                .where(Attempt.id == attempt_id)
                .values(score=Attempt.score + grade.score, last_active_at=now)
                .execution_options(synchronize_session=False)
            )
            sure_wrong = scheduling.sure_and_wrong(grade.correct, grade.score, certainty)
            _schedule(user_id, target, rating, grade.correct, record.was_due, now, sure_wrong)
        db.session.expire(record)
    stored = db.session.get(AnswerRecord, record.id)
    assert stored is not None
    return stored


def _card_columns(cards: Any) -> tuple[Any, ...]:
    """A review card's columns, labelled as the card fields of ``_Target`` and ``_CardRef``."""
    return (
        cards.c.id.label("card_id"),
        cards.c.state.label("card_state"),
        cards.c.reps.label("card_reps"),
        cards.c.lapses.label("card_lapses"),
        cards.c.last_review.label("card_last_review"),
    )


@dataclass(frozen=True, kw_only=True)
class _CardRef:
    """The learner's card for one question, as ``_schedule`` reads it from a ``_Target``."""

    question_id: int
    card_id: int | None
    card_state: dict[str, Any] | None
    card_reps: int | None
    card_lapses: int | None
    card_last_review: datetime | None


def _schedule(
    user_id: int,
    target: _Target | _CardRef,
    rating: Any,
    correct: bool,
    was_due: bool,
    now: datetime,
    sure_wrong: bool = False,
) -> None:
    """Record the answer as a review of the learner's card for this question, and on the
    card's running record (answers, wrong answers, latest result, due reviews passed).

    A wrong answer given "very sure" (``sure_wrong``) makes the card due at once."""
    statements = _write_statements()
    state = target.card_state
    if state is None:
        state = scheduling.new_card_state(card_id=target.question_id, now=now)
    outcome = scheduling.review(state, rating, now)
    if sure_wrong:
        outcome = scheduling.due_now(outcome, now)
    values = {
        "state": outcome.state,
        "due": outcome.due,
        "last_review": now,
        "reps": (target.card_reps or 0) + 1,
        "lapses": (target.card_lapses or 0) + (1 if int(rating) == 1 else 0),
        "last_correct": correct,
    }
    # A review a day or more after the previous answer measures retention; a same-day re-ask
    # would flatter it (Anki's "true retention" counts the same way).
    last = target.card_last_review
    spaced = last is not None and now - last >= SPACED_REVIEW
    counts = {  # added in SQL: concurrent answers cannot lose a count
        "wrong": int(not correct),
        "due_reviews": int(was_due),
        "due_passed": int(was_due and correct),
        "spaced_reviews": int(spaced),
        "spaced_passed": int(spaced and correct),
    }
    if target.card_id is None:
        card = {"user_id": user_id, "question_id": target.question_id, **counts, **values}
        db.session.execute(statements.card_insert, card)
    else:
        params = {"card_id": target.card_id, **counts, **values}
        db.session.execute(statements.card_update, params)


def finish_attempt(user_id: int, attempt_id: int, now: datetime | None = None) -> bool:
    """Finalise an attempt exactly once (a conditional update); True if this call did it.

    One past its time limit, or abandoned, closes as expired or abandoned, as it was shown.
    """
    now = now or utcnow()
    with write():
        row = db.session.execute(
            select(
                Attempt.status.label("status"),
                Attempt.deadline_at.label("deadline_at"),
                Attempt.last_active_at.label("last_active_at"),
                Attempt.mode.label("mode"),
            ).where(Attempt.id == attempt_id, Attempt.user_id == user_id)
        ).first()
        if row is None or row.status != "active":
            return False
        status = status_at(row.status, row.deadline_at, row.last_active_at, now)
        if status == "active":
            status, ended = "finished", now
        else:
            ended = _ended(status, row.last_active_at, now)
        return _finish(user_id, attempt_id, status, ended, exam=row.mode == "exam")


def _finish(user_id: int, attempt_id: int, status: str, ended: datetime, exam: bool) -> bool:
    """Close an active attempt with ``status`` at ``ended`` (in a write); True if it did."""
    total = (
        select(func.coalesce(func.sum(AnswerRecord.score), 0.0))
        .where(AnswerRecord.attempt_id == attempt_id)
        .scalar_subquery()
    )
    answered = (
        select(func.count(AnswerRecord.id))
        .where(AnswerRecord.attempt_id == attempt_id)
        .scalar_subquery()
    )
    result: CursorResult[Any] = db.session.execute(  # type: ignore[assignment]
        update(Attempt)
        .where(Attempt.id == attempt_id, Attempt.user_id == user_id, Attempt.status == "active")
        .values(status=status, finished_at=ended, score=total, answered_count=answered)
        .execution_options(synchronize_session=False)
    )
    done: bool = result.rowcount == 1
    if done and exam:
        _schedule_exam(user_id, attempt_id)
    return done


_CARD_FIELDS = ("card_id", "card_state", "card_reps", "card_lapses", "card_last_review")


def _schedule_exam(user_id: int, attempt_id: int) -> None:
    """Record a finished exam's answers on the learner's cards, in the order given.

    Until the exam ends its answers touch no card, since cards feed the mistakes quiz, the
    review queue and the progress page: each would tell whether an exam answer was right.
    """
    cards = ReviewCard.__table__
    answers = db.session.execute(
        select(
            AnswerRecord.question_id,
            AnswerRecord.rating,
            AnswerRecord.correct,
            AnswerRecord.score,
            AnswerRecord.certainty,
            AnswerRecord.answered_at,
        )
        .where(AnswerRecord.attempt_id == attempt_id, AnswerRecord.pending.is_(False))
        .order_by(AnswerRecord.answered_at, AnswerRecord.id)
    ).all()
    for answer in answers:
        card = db.session.execute(
            select(*_card_columns(cards)).where(
                cards.c.user_id == user_id, cards.c.question_id == answer.question_id
            )
        ).first()
        fields = card._asdict() if card is not None else dict.fromkeys(_CARD_FIELDS)
        ref = _CardRef(question_id=answer.question_id, **fields)
        # A practice answer given during the exam may be later: never review back in time.
        when = max(answer.answered_at, ref.card_last_review or answer.answered_at)
        certainty = confidence.Certainty(answer.certainty) if answer.certainty else None
        sure_wrong = scheduling.sure_and_wrong(bool(answer.correct), answer.score, certainty)
        _schedule(user_id, ref, answer.rating, bool(answer.correct), False, when, sure_wrong)


def attempt_review(
    attempt: Attempt,
) -> list[tuple[AttemptItem, QuestionVersion, AnswerRecord | None]]:
    """Return every item of an attempt with the version shown and the learner's response."""
    rows = db.session.execute(
        select(AttemptItem, QuestionVersion, AnswerRecord)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
        .outerjoin(AnswerRecord, AnswerRecord.attempt_item_id == AttemptItem.id)
        .where(AttemptItem.attempt_id == attempt.id)
        .order_by(AttemptItem.position)
    ).all()
    return [(item, version, response) for item, version, response in rows]


def confidence_marks(
    attempt: Attempt, rows: Sequence[tuple[AttemptItem, QuestionVersion, AnswerRecord | None]]
) -> confidence.MarkTotal | None:
    """The CBM total of an attempt that rated confidence (from ``attempt_review``'s rows)."""
    if not attempt.confidence:
        return None
    return confidence.total(response.cbm_mark for _, _, response in rows if response)


def list_attempts(
    user_id: int, page: int = 1, per_page: int = 20, now: datetime | None = None
) -> Page:
    """Return one page of the learner's attempts, newest first: the columns the list shows."""
    query = (
        select(*attempt_rows(now or utcnow()))
        .where(Attempt.user_id == user_id)
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
    )
    return page_of(query, page, per_page)
