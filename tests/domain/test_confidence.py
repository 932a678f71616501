"""Certainty-based marking and what the scheduler makes of certainty and hints (issue 17)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fsrs import Rating

from sinorus_learn.domain import confidence, scheduling
from sinorus_learn.domain.confidence import Certainty

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("certainty", "right", "wrong"),
    [(Certainty.LOW, 1, 0), (Certainty.MID, 2, -2), (Certainty.HIGH, 3, -6)],
)
def test_marks_are_moodles(certainty: Certainty, right: int, wrong: int) -> None:
    assert confidence.mark(1.0, certainty) == right
    assert confidence.mark(0.0, certainty) == wrong


def test_a_partly_right_answer_earns_its_share_of_the_right_mark() -> None:
    assert confidence.mark(0.5, Certainty.HIGH) == pytest.approx(1.5)
    assert confidence.mark(0.5, Certainty.LOW) == pytest.approx(0.5)


def test_honest_uncertainty_pays_when_the_odds_are_poor() -> None:
    """At a 50% chance of being right, "not sure" expects more than "very sure"."""

    def expected(c: Certainty) -> float:
        return 0.5 * confidence.mark(1.0, c) + 0.5 * confidence.mark(0.0, c)

    assert expected(Certainty.LOW) > expected(Certainty.MID) > expected(Certainty.HIGH)


@pytest.mark.parametrize("value", ["0", "4", "sure", "1.5"])
def test_a_level_that_is_not_one_of_three_is_refused(value: str) -> None:
    with pytest.raises(confidence.CertaintyError):
        confidence.parse(value)


def test_levels_read_and_nothing_chosen_is_none() -> None:
    assert confidence.parse("3") is Certainty.HIGH
    assert confidence.parse(" 1 ") is Certainty.LOW
    assert confidence.parse("") is None and confidence.parse(None) is None


def test_calibration_lists_every_level_in_order() -> None:
    rows = confidence.calibration([(3, 10, 9), (1, 4, 1), (None, 7, 7)])
    assert [(r.certainty, r.answers, r.right, r.accuracy) for r in rows] == [
        (Certainty.LOW, 4, 1, 25),
        (Certainty.MID, 0, 0, 0),
        (Certainty.HIGH, 10, 9, 90),
    ]


@pytest.mark.parametrize(
    ("rating", "correct", "certainty", "hinted", "expected"),
    [
        (Rating.Easy, True, Certainty.LOW, False, Rating.Hard),
        (Rating.Good, True, None, True, Rating.Hard),
        (Rating.Good, True, Certainty.MID, False, Rating.Good),
        (Rating.Easy, True, Certainty.HIGH, False, Rating.Easy),
        (Rating.Again, False, Certainty.LOW, True, Rating.Again),
        (Rating.Hard, False, None, True, Rating.Hard),  # partly right stays Hard
    ],
)
def test_unsure_or_hinted_right_answers_count_at_most_as_hard(
    rating: Rating, correct: bool, certainty: Certainty | None, hinted: bool, expected: Rating
) -> None:
    got = scheduling.adjusted_rating(rating, correct=correct, certainty=certainty, hinted=hinted)
    assert got == expected


def test_a_sure_wrong_answer_is_due_at_once() -> None:
    state = scheduling.new_card_state(1, NOW)
    outcome = scheduling.review(state, Rating.Again, NOW)
    assert outcome.due > NOW  # the relearning step
    assert scheduling.sure_and_wrong(False, 0.0, Certainty.HIGH)
    assert not scheduling.sure_and_wrong(False, 0.0, Certainty.MID)
    assert not scheduling.sure_and_wrong(False, 0.5, Certainty.HIGH)  # partly right
    sooner = scheduling.due_now(outcome, NOW)
    assert sooner.due == NOW
    again = scheduling.review(sooner.state, Rating.Good, NOW)  # the stored state reads back
    assert again.due > NOW
