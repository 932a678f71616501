"""Scheduling over fsrs: a moved clock, UTC only, stored state round trips, ratings, caps."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from sinorus_learn.domain.scheduling import (
    Rating,
    SchedulingError,
    cap_due,
    new_card_state,
    rating_for,
    retention_stats,
    review,
)

NOW = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def answered(ratings: list[Rating], start: datetime = NOW, fuzz: bool = False):
    """Review a new card with ``ratings``, each one when it falls due."""
    state, when = new_card_state(card_id=7, now=start), start
    outcome = None
    for rating in ratings:
        outcome = review(state, rating, when, enable_fuzzing=fuzz)
        state, when = outcome.state, outcome.due
    assert outcome is not None
    return outcome


def test_new_card_is_due_now_and_json_serialisable() -> None:
    state = new_card_state(card_id=42, now=NOW)
    assert json.loads(json.dumps(state)) == state
    assert state["card_id"] == 42 and state["due"] == NOW.isoformat()


def test_right_is_due_later_than_wrong() -> None:
    state = new_card_state(card_id=1, now=NOW)
    good = review(state, Rating.Good, NOW, enable_fuzzing=False)
    again = review(state, Rating.Again, NOW, enable_fuzzing=False)
    assert again.due <= NOW + timedelta(minutes=10)
    assert good.due >= NOW + timedelta(days=1) and good.fsrs_state == "Review"


def test_a_card_answered_right_on_its_due_days_moves_out_by_days() -> None:
    outcome = answered([Rating.Good, Rating.Good, Rating.Good])
    assert outcome.fsrs_state == "Review"
    assert outcome.due - NOW > timedelta(days=2)
    assert outcome.stability and outcome.difficulty


def test_a_lapse_brings_a_mature_card_back_soon() -> None:
    mature = answered([Rating.Good] * 4)
    lapse = review(mature.state, Rating.Again, mature.due, enable_fuzzing=False)
    assert lapse.fsrs_state == "Relearning"
    assert lapse.due - mature.due <= timedelta(minutes=10)


def test_state_round_trips_through_json() -> None:
    first = answered([Rating.Good, Rating.Good])
    stored = json.loads(json.dumps(first.state))
    again = review(stored, Rating.Good, first.due, enable_fuzzing=False)
    direct = review(first.state, Rating.Good, first.due, enable_fuzzing=False)
    assert again == direct


def test_higher_retention_schedules_sooner() -> None:
    ready = answered([Rating.Good, Rating.Good])
    relaxed = review(
        ready.state, Rating.Good, ready.due, desired_retention=0.8, enable_fuzzing=False
    )
    strict = review(
        ready.state, Rating.Good, ready.due, desired_retention=0.95, enable_fuzzing=False
    )
    assert strict.due < relaxed.due


def test_fuzz_is_deterministic_and_small() -> None:
    plain = answered([Rating.Good] * 5)
    fuzzed = answered([Rating.Good] * 5, fuzz=True)
    assert fuzzed == answered([Rating.Good] * 5, fuzz=True)
    assert abs(fuzzed.due - plain.due) < 0.3 * (plain.due - NOW)


@pytest.mark.parametrize(
    "when",
    [datetime(2024, 3, 1, 9, 0), datetime(2024, 3, 1, 9, 0, tzinfo=timezone(timedelta(hours=3)))],
)
def test_naive_or_non_utc_datetimes_are_rejected(when: datetime) -> None:
    with pytest.raises(SchedulingError):
        new_card_state(card_id=1, now=when)
    with pytest.raises(SchedulingError):
        review(new_card_state(card_id=1, now=NOW), Rating.Good, when)


def test_a_utc_equivalent_zone_is_accepted() -> None:
    zero = timezone(timedelta(0), "Z")
    assert review(new_card_state(1, NOW), Rating.Good, NOW.replace(tzinfo=zero)).due > NOW


def test_unreadable_state_is_a_clear_error() -> None:
    with pytest.raises(SchedulingError, match="unreadable"):
        review({"card_id": 1}, Rating.Good, NOW)


@pytest.mark.parametrize(
    ("correct", "partial", "seconds", "rating"),
    [
        (False, False, 5, Rating.Again),
        (False, True, 5, Rating.Hard),
        (True, False, 61, Rating.Hard),  # slower than twice the expected 30 s
        (True, False, 60, Rating.Good),
        (True, False, 14, Rating.Easy),
        (True, False, 15, Rating.Good),
        (True, False, 0, Rating.Good),  # time unknown
    ],
)
def test_rating_for(correct: bool, partial: bool, seconds: float, rating: Rating) -> None:
    assert rating_for(correct, partial, seconds, expected_seconds=30) is rating


def test_retention_counts_only_due_reviews() -> None:
    stats = retention_stats([(True, True), (True, False), (False, False), (True, True)])
    assert (stats.reviews, stats.passed) == (3, 2)
    assert stats.rate == pytest.approx(2 / 3)
    assert retention_stats([(False, True)]).rate is None


def test_cap_due() -> None:
    due = list(range(80))
    assert cap_due(due, already_reviewed_today=0) == list(range(50))
    assert cap_due(due, already_reviewed_today=45) == list(range(5))
    assert cap_due(due, already_reviewed_today=60) == []
    assert cap_due(due[:3], already_reviewed_today=10, daily_cap=20) == [0, 1, 2]
