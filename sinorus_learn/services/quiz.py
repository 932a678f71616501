"""Quiz use cases: start an attempt, show a question, take an answer, finish, review."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from sinorus_learn.database import begin_write, utcnow
from sinorus_learn.domain import grading, presentation, scheduling, selection
from sinorus_learn.domain.questions import QUESTION_TYPES, TOPICS, answer_from_json
from sinorus_learn.extensions import db
from sinorus_learn.models import Attempt, AttemptItem, Question, QuestionVersion, Response
from sinorus_learn.models.review import ReviewCard

MAX_QUESTIONS = 30
DEFAULT_QUESTIONS = 10
EXPECTED_SECONDS = 30.0


class QuizError(ValueError):
    """A quiz request that cannot be honoured; the message is for the learner."""


@dataclass(frozen=True)
class QuizRequest:
    """What the learner asked for when starting an attempt."""

    mode: str
    topic: str | None = None
    table: str | None = None
    topics: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    count: int = DEFAULT_QUESTIONS
    minutes: int | None = None


@dataclass(frozen=True)
class ItemView:
    """One question as the learner sees it, with their response once given."""

    attempt: Attempt
    item: AttemptItem
    version: QuestionVersion
    response: Response | None
    total: int

    @property
    def answered(self) -> bool:
        return self.response is not None

    @property
    def show_feedback(self) -> bool:
        return self.response is not None and (
            self.attempt.mode != "exam" or self.attempt.status != "active"
        )


def _candidate_filter(request: QuizRequest, user_id: int, now: datetime) -> Any:
    """Return the SQL condition picking the questions a mode draws on."""
    active = Question.status == "active"
    if request.mode == "lesson":
        if request.topic not in TOPICS:
            raise QuizError("Choose a topic.")
        return active & (Question.topic == request.topic)
    if request.mode == "table":
        return active & (Question.table_id == request.table)
    if request.mode in ("practice", "exam"):
        condition = active
        if request.topics:
            condition = condition & Question.topic.in_(request.topics)
        if request.types:
            condition = condition & Question.qtype.in_(request.types)
        return condition
    if request.mode == "review":
        due = select(ReviewCard.question_id).where(
            ReviewCard.user_id == user_id, ReviewCard.due <= now
        )
        return active & Question.id.in_(due)
    if request.mode == "mistakes":
        return active & Question.id.in_(_last_wrong(user_id))
    raise QuizError("Unknown quiz mode.")


def _latest_responses(user_id: int) -> Any:
    """Subquery: the newest response of ``user_id`` to each question."""
    newest = (
        select(func.max(Response.id).label("id"))
        .where(Response.user_id == user_id)
        .group_by(Response.question_id)
        .subquery()
    )
    return select(Response.question_id, Response.correct).join(newest, newest.c.id == Response.id)


def _last_wrong(user_id: int) -> Any:
    latest = _latest_responses(user_id).subquery()
    return select(latest.c.question_id).where(latest.c.correct.is_(False))


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
            select(func.count(Response.id)).where(
                Response.user_id == user_id,
                Response.was_due.is_(True),
                Response.answered_at >= midnight,
            )
        )
        or 0
    )


def start_attempt(
    user_id: int,
    request: QuizRequest,
    now: datetime | None = None,
    seed: int | None = None,
    review_cap: int = 50,
) -> int:
    """Create an attempt with its questions frozen as they will be shown; return its id."""
    now = now or utcnow()
    if request.types and any(t not in QUESTION_TYPES for t in request.types):
        raise QuizError("Unknown question type.")
    if request.topics and any(t not in TOPICS for t in request.topics):
        raise QuizError("Unknown topic.")
    seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
    begin_write()
    condition = _candidate_filter(request, user_id, now)
    count = _count_for(request, user_id, now, review_cap)
    # Candidates with the version each would show, in one query (the presentation needs it).
    rows = db.session.execute(
        select(
            Question.id,
            QuestionVersion.id,
            QuestionVersion.qtype,
            QuestionVersion.choices,
            QuestionVersion.answer,
        )
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .where(condition)
    ).all()
    if not rows:
        db.session.rollback()
        raise QuizError(_empty_message(request.mode))
    history = dict(db.session.execute(_latest_responses(user_id)).all())
    due_ids = set(
        db.session.scalars(
            select(ReviewCard.question_id).where(
                ReviewCard.user_id == user_id, ReviewCard.due <= now
            )
        )
    )
    candidates = [
        selection.Candidate(
            key=str(qid), seen=qid in history, last_correct=history.get(qid), due=qid in due_ids
        )
        for qid, *_version in rows
    ]
    rng = random.Random(seed)  # noqa: S311 - question order, not security
    chosen = [int(k) for k in selection.select_questions(candidates, count, rng)]
    version_of = {row[0]: row[1:] for row in rows}
    deadline = now + timedelta(minutes=request.minutes) if request.minutes else None
    attempt = Attempt(
        user_id=user_id,
        mode=request.mode,
        params=_params(request),
        seed=seed,
        question_count=len(chosen),
        started_at=now,
        deadline_at=deadline,
    )
    db.session.add(attempt)
    db.session.flush()
    items = []
    for position, qid in enumerate(chosen, start=1):
        version_id, qtype, choices, answer = version_of[qid]
        items.append(
            {
                "attempt_id": attempt.id,
                "position": position,
                "question_id": qid,
                "question_version_id": version_id,
                "presented": presentation.present(qtype, choices, answer, rng),
            }
        )
    # One executemany: ORM objects would each need their own INSERT ... RETURNING on SQLite.
    db.session.execute(insert(AttemptItem), items)
    db.session.commit()
    return attempt.id


def _params(request: QuizRequest) -> dict[str, Any]:
    return {
        "topic": request.topic,
        "table": request.table,
        "topics": list(request.topics),
        "types": list(request.types),
        "minutes": request.minutes,
    }


def _empty_message(mode: str) -> str:
    return {
        "review": "Nothing is due for review right now. Well done!",
        "mistakes": "You have no mistakes to revisit. Well done!",
    }.get(mode, "No questions match this choice yet.")


def get_attempt(user_id: int, attempt_id: int, now: datetime | None = None) -> Attempt | None:
    """Return the learner's own attempt (None for anyone else's), expiring it when overdue."""
    attempt = db.session.get(Attempt, attempt_id)
    if attempt is None or attempt.user_id != user_id:
        return None
    now = now or utcnow()
    if attempt.status == "active" and attempt.deadline_at is not None and now > attempt.deadline_at:
        finish_attempt(user_id, attempt_id, now=now, status="expired")
        db.session.refresh(attempt)
    return attempt


def item_view(attempt: Attempt, position: int) -> ItemView | None:
    """Return the item at ``position`` with its version and response (one query)."""
    row = db.session.execute(
        select(AttemptItem, QuestionVersion, Response)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
        .outerjoin(Response, Response.attempt_item_id == AttemptItem.id)
        .where(AttemptItem.attempt_id == attempt.id, AttemptItem.position == position)
    ).first()
    if row is None:
        return None
    item, version, response = row
    return ItemView(attempt, item, version, response, attempt.question_count)


def submit_answer(
    user_id: int,
    attempt_id: int,
    position: int,
    form: Mapping[str, Sequence[str]],
    seconds: float = 0.0,
    now: datetime | None = None,
) -> Response:
    """Grade and store an answer once; a repeated submit returns the stored response."""
    now = now or utcnow()
    begin_write()
    attempt = get_attempt(user_id, attempt_id, now)
    if attempt is None:
        db.session.rollback()
        raise LookupError("no such attempt")
    found = _item_and_card(attempt, position, user_id)
    if found is None:
        db.session.rollback()
        raise LookupError("no such question")
    view, card = found
    if view.response is not None:
        db.session.rollback()
        return view.response
    if attempt.status != "active":
        db.session.rollback()
        raise QuizError("This attempt is finished; its answers can no longer change.")
    version = view.version
    try:
        response_value = presentation.form_to_response(version.qtype, form, view.item.presented)
    except presentation.ResponseError as exc:
        db.session.rollback()
        raise QuizError(str(exc)) from exc
    if version.qtype == "numeric" and grading.parse_number(str(response_value)) is None:
        db.session.rollback()
        raise QuizError("Type a number, such as 12.8 or 1,680.")
    answer = answer_from_json(version.qtype, version.answer)
    grade = grading.grade(version.qtype, answer, response_value, _choices(version))
    was_due = attempt.mode == "review"
    rating = scheduling.rating_for(grade.correct, grade.partial, seconds, EXPECTED_SECONDS)
    response = Response(
        attempt_item_id=view.item.id,
        attempt_id=attempt.id,
        user_id=user_id,
        question_id=view.item.question_id,
        question_version_id=version.id,
        answer=presentation.response_to_json(version.qtype, response_value),
        score=grade.score,
        correct=grade.correct,
        time_ms=int(max(0.0, min(seconds, 86_400.0)) * 1000),
        rating=int(rating),
        was_due=was_due,
        answered_at=now,
    )
    db.session.add(response)
    try:
        db.session.flush()
    except IntegrityError:  # the same item answered by a concurrent request: keep the first
        db.session.rollback()
        existing = db.session.scalar(
            select(Response).where(Response.attempt_item_id == view.item.id)
        )
        assert existing is not None
        return existing
    db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id)
        .values(answered_count=Attempt.answered_count + 1, score=Attempt.score + grade.score)
    )
    _schedule(user_id, view.item.question_id, card, rating, now)
    db.session.commit()
    return response


def _item_and_card(
    attempt: Attempt, position: int, user_id: int
) -> tuple[ItemView, ReviewCard | None] | None:
    """Return the item as ``item_view`` does, with the learner's review card (one query)."""
    row = db.session.execute(
        select(AttemptItem, QuestionVersion, Response, ReviewCard)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
        .outerjoin(Response, Response.attempt_item_id == AttemptItem.id)
        .outerjoin(
            ReviewCard,
            (ReviewCard.user_id == user_id) & (ReviewCard.question_id == AttemptItem.question_id),
        )
        .where(AttemptItem.attempt_id == attempt.id, AttemptItem.position == position)
    ).first()
    if row is None:
        return None
    item, version, response, card = row
    return ItemView(attempt, item, version, response, attempt.question_count), card


def _choices(version: QuestionVersion) -> tuple[str, ...] | None:
    return tuple(version.choices) if version.choices is not None else None


def _schedule(
    user_id: int, question_id: int, card: ReviewCard | None, rating: Any, now: datetime
) -> None:
    """Record the answer as a review of the learner's card for this question."""
    if card is None:
        state = scheduling.new_card_state(card_id=question_id, now=now)
        card = ReviewCard(user_id=user_id, question_id=question_id, state=state, due=now)
        db.session.add(card)
    outcome = scheduling.review(card.state, rating, now)
    card.state = outcome.state
    card.due = outcome.due
    card.last_review = now
    card.reps = (card.reps or 0) + 1
    if int(rating) == 1:
        card.lapses = (card.lapses or 0) + 1


def finish_attempt(
    user_id: int, attempt_id: int, now: datetime | None = None, status: str = "finished"
) -> bool:
    """Finalise an attempt exactly once (a conditional update); True if this call did it."""
    now = now or utcnow()
    begin_write()  # the caller has usually read already: a deferred read-then-write meets BUSY
    total = (
        select(func.coalesce(func.sum(Response.score), 0.0))
        .where(Response.attempt_id == attempt_id)
        .scalar_subquery()
    )
    answered = (
        select(func.count(Response.id)).where(Response.attempt_id == attempt_id).scalar_subquery()
    )
    result = db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt_id, Attempt.user_id == user_id, Attempt.status == "active")
        .values(status=status, finished_at=now, score=total, answered_count=answered)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def attempt_review(attempt: Attempt) -> list[tuple[AttemptItem, QuestionVersion, Response | None]]:
    """Return every item of an attempt with the version shown and the learner's response."""
    rows = db.session.execute(
        select(AttemptItem, QuestionVersion, Response)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
        .outerjoin(Response, Response.attempt_item_id == AttemptItem.id)
        .where(AttemptItem.attempt_id == attempt.id)
        .order_by(AttemptItem.position)
    ).all()
    return [(item, version, response) for item, version, response in rows]


def list_attempts(user_id: int, page: int = 1, per_page: int = 20) -> Any:
    """Return one page of the learner's attempts, newest first."""
    query = select(Attempt).where(Attempt.user_id == user_id).order_by(Attempt.started_at.desc())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
