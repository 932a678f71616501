"""How a confidence mark reads in feedback, and an attempt's total of marks (issue 17.3)."""

from __future__ import annotations

import pytest

from sinorus_learn.domain import confidence
from sinorus_learn.domain.confidence import Certainty


@pytest.mark.parametrize(
    ("score", "certainty", "text"),
    [
        (1.0, Certainty.HIGH, "+3 (very sure, right)"),
        (1.0, Certainty.LOW, "+1 (not sure, right)"),
        (0.0, Certainty.LOW, "0 (not sure, wrong)"),
        (0.0, Certainty.MID, "\u22122 (fairly sure, wrong)"),
        (0.0, Certainty.HIGH, "\u22126 (very sure, wrong)"),
        (0.5, Certainty.HIGH, "+1.5 (very sure, partly right)"),
        (1 / 3, Certainty.MID, "+0.67 (fairly sure, partly right)"),
    ],
)
def test_a_mark_reads_with_its_sign_level_and_verdict(score, certainty, text) -> None:
    assert confidence.describe(confidence.mark(score, certainty), certainty, score) == text


def test_an_attempts_total_counts_only_rated_answers() -> None:
    marks = confidence.total([3.0, -6.0, None, 2.0, 0.0])
    assert (marks.total, marks.answered, marks.maximum) == (-1.0, 4, 12)
    assert marks.average == pytest.approx(-0.25)
    empty = confidence.total([None, None])
    assert (empty.total, empty.maximum, empty.average) == (0.0, 0, None)
