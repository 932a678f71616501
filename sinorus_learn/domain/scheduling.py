"""Spaced repetition per learner and question: a thin wrapper over ``fsrs`` 6.

Times are UTC only: a naive or non-UTC datetime raises SchedulingError, because fsrs compares
stored and current times and a silent local-time guess would move every due date.

A quiz shows a question once, not again ten minutes later, so a new card has a single learning
step: answered right (Good or Easy) it graduates at once and comes back in days; answered wrong
(Again) or partly (Hard) it is due again within minutes, as is a lapsed card (one relearning step).

Card states are stored as ``fsrs.Card.to_dict()`` (JSON). Fuzz (spreading cards reviewed together
over nearby days, as Anki does) is ours, not fsrs's: fsrs draws from the global ``random``, while
we seed a generator from the card and the review time so that the same review always gives the
same due date.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from fsrs import Card, Rating, Scheduler, State

from sinorus_learn.domain.confidence import Certainty

T = TypeVar("T")

DESIRED_RETENTION = 0.9
DAILY_CAP = 50
SLOW_FACTOR, FAST_FACTOR = 2.0, 0.5
LEARNING_STEPS = (timedelta(minutes=10),)
RELEARNING_STEPS = (timedelta(minutes=10),)
# Anki's fuzz: +-15% of the part of an interval between 2.5 and 7 days, 10% up to 20, 5% beyond.
_FUZZ_RANGES = ((2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, float("inf"), 0.05))


class SchedulingError(ValueError):
    """A schedule asked for with a time that is not UTC, or a stored state that cannot be read."""


@dataclass(frozen=True)
class ReviewOutcome:
    """A card after one review: its new stored state and when it is next due."""

    state: dict[str, Any]
    due: datetime
    stability: float | None
    difficulty: float | None
    fsrs_state: str  # "Learning", "Review" or "Relearning"


def _require_utc(now: datetime) -> datetime:
    offset = now.utcoffset()
    if offset is None:
        raise SchedulingError("a naive datetime has no time zone: pass a UTC datetime")
    if offset != timedelta(0):
        raise SchedulingError("scheduling works in UTC: convert the datetime first")
    return now.replace(tzinfo=UTC)  # fsrs wants timezone.utc itself, not an equal zone


def new_card_state(card_id: int, now: datetime) -> dict[str, Any]:
    """Return the stored state of a card never reviewed, due at ``now``."""
    card = Card(card_id=card_id, state=State.Learning, due=_require_utc(now))
    return dict(card.to_dict())


def _card(state: dict[str, Any]) -> Card:
    try:
        card = Card.from_dict(state)  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError) as exc:
        raise SchedulingError(f"unreadable card state: {exc}") from exc
    card.due = _require_utc(card.due)
    if card.last_review is not None:
        card.last_review = _require_utc(card.last_review)
    return card


def _fuzzed(card: Card, now: datetime, maximum_interval: int) -> Card:
    """Move a review card's due date by a few days, the same way for the same review."""
    days = (card.due - now).days
    if card.state != State.Review or days < 2.5:
        return card
    delta = 1.0 + sum(
        factor * max(min(float(days), end) - start, 0.0) for start, end, factor in _FUZZ_RANGES
    )
    low = max(2, round(days - delta))
    high = min(round(days + delta), maximum_interval)
    rng = random.Random(f"{card.card_id}:{now.isoformat()}")  # noqa: S311 - not security
    card.due = now + timedelta(days=rng.randint(min(low, high), high))
    return card


def review(
    state: dict[str, Any],
    rating: Rating,
    now: datetime,
    desired_retention: float = DESIRED_RETENTION,
    enable_fuzzing: bool = True,
) -> ReviewOutcome:
    """Record one review of a card at ``now`` and return its next state and due date."""
    now = _require_utc(now)
    scheduler = Scheduler(
        desired_retention=desired_retention,
        learning_steps=LEARNING_STEPS,
        relearning_steps=RELEARNING_STEPS,
        enable_fuzzing=False,
    )
    card, _log = scheduler.review_card(_card(state), Rating(rating), review_datetime=now)
    if enable_fuzzing:
        card = _fuzzed(card, now, scheduler.maximum_interval)
    return ReviewOutcome(
        state=dict(card.to_dict()),
        due=card.due,
        stability=card.stability,
        difficulty=card.difficulty,
        fsrs_state=card.state.name,
    )


def rating_for(correct: bool, partial: bool, seconds: float, expected_seconds: float) -> Rating:
    """Turn a graded answer and its time into an fsrs rating.

    Wrong is Again; partly right, or right but slower than twice the expected time, is Hard;
    right in under half the expected time is Easy; otherwise Good. An unknown time (0) is Good.
    """
    if not correct:
        return Rating.Hard if partial else Rating.Again
    if expected_seconds > 0 and seconds > SLOW_FACTOR * expected_seconds:
        return Rating.Hard
    if expected_seconds > 0 and 0 < seconds < FAST_FACTOR * expected_seconds:
        return Rating.Easy
    return Rating.Good


def adjusted_rating(
    rating: Rating, *, correct: bool, certainty: Certainty | None = None, hinted: bool = False
) -> Rating:
    """Temper a rating with what the learner said of the answer: a right answer given with a
    hint, or given unsure, counts at most as Hard (it was not a sure recall)."""
    if correct and (hinted or certainty is Certainty.LOW):
        return min(rating, Rating.Hard, key=int)
    return rating


def sure_and_wrong(correct: bool, score: float, certainty: Certainty | None) -> bool:
    """A wrong answer given "very sure": a misconception, brought back at once (``due_now``)
    rather than after the relearning step."""
    return not correct and score <= 0 and certainty is Certainty.HIGH


def due_now(outcome: ReviewOutcome, now: datetime) -> ReviewOutcome:
    """Return ``outcome`` due at ``now``: the card is first in the learner's next review."""
    now = _require_utc(now)
    state = {**outcome.state, "due": now.isoformat()}
    return dataclasses.replace(outcome, state=state, due=now)


@dataclass(frozen=True)
class Retention:
    """Measured retention, as Anki's true-retention table: due reviews passed over due reviews."""

    reviews: int
    passed: int

    @property
    def rate(self) -> float | None:
        return self.passed / self.reviews if self.reviews else None


def retention_stats(reviews: Iterable[tuple[bool, bool]]) -> Retention:
    """Measure retention over ``(was_due_review, correct)`` pairs; reviews not due are skipped."""
    due = [correct for was_due, correct in reviews if was_due]
    return Retention(reviews=len(due), passed=sum(1 for correct in due if correct))


def cap_due(
    due_items: Sequence[T], already_reviewed_today: int, daily_cap: int = DAILY_CAP
) -> list[T]:
    """Return the due items (most overdue first) that today's cap still leaves room for."""
    room = max(daily_cap - max(already_reviewed_today, 0), 0)
    return list(due_items[:room])


__all__ = [
    "DESIRED_RETENTION",
    "Rating",
    "Retention",
    "ReviewOutcome",
    "SchedulingError",
    "State",
    "cap_due",
    "new_card_state",
    "rating_for",
    "retention_stats",
    "review",
]
