"""Certainty-based marking (Gardner-Medwin's, as Moodle's deferred CBM): how sure a learner
says they are, what that earns, and how well their certainty matches their accuracy.

Knowing what you don't know matters as much as knowing: a confident wrong answer costs more
than an unsure one, so the best marks go to learners whose certainty is honest. The scheduler
hears it too (``scheduling.adjusted_rating``): a lucky guess is not a sure recall.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

from sinorus_learn.domain.mastery import percent

MARK_TOLERANCE = 0.0000005  # Moodle's: a score at or below this is wrong


class Certainty(IntEnum):
    """Moodle's three levels, with the chance of being right each one claims."""

    LOW = 1
    MID = 2
    HIGH = 3

    @property
    def label(self) -> str:
        return _LABELS[self][0]

    @property
    def claim(self) -> str:
        """The accuracy this level is right for, in Moodle's words."""
        return _LABELS[self][1]


_LABELS = {
    Certainty.LOW: ("Not sure", "less than 67% likely right"),
    Certainty.MID: ("Fairly sure", "67–80% likely right"),
    Certainty.HIGH: ("Very sure", "more than 80% likely right"),
}
# The accuracy, in percent, each level is the best choice for (Moodle's break-even points).
CLAIMED_RANGE = {Certainty.LOW: (0, 67), Certainty.MID: (67, 80), Certainty.HIGH: (80, 100)}
RIGHT_MARK = {Certainty.LOW: 1, Certainty.MID: 2, Certainty.HIGH: 3}
WRONG_MARK = {Certainty.LOW: 0, Certainty.MID: -2, Certainty.HIGH: -6}
MAX_MARK = RIGHT_MARK[Certainty.HIGH]


class CertaintyError(ValueError):
    """A submitted certainty that is not one of the three levels."""


def parse(value: str | None) -> Certainty | None:
    """Read a submitted level ("1"-"3"); None when nothing was chosen."""
    if value is None or not value.strip():
        return None
    try:
        return Certainty(int(value))
    except ValueError as exc:
        raise CertaintyError(
            "Choose how sure you are: not sure, fairly sure or very sure."
        ) from exc


def mark(score: float, certainty: Certainty) -> float:
    """The CBM mark of one answer: 1 / 2 / 3 times the score when (partly) right, 0 / -2 / -6
    when wrong (Moodle's ``adjust_fraction``)."""
    if score <= MARK_TOLERANCE:
        return float(WRONG_MARK[certainty])
    return RIGHT_MARK[certainty] * score


@dataclass(frozen=True, kw_only=True)
class CalibrationRow:
    """Accuracy at one certainty level, beside the range that level claims."""

    certainty: Certainty
    answers: int
    right: int

    @property
    def accuracy(self) -> int:
        """Right answers as a whole percentage of the answers at this level."""
        return percent(self.right, self.answers)


def calibration(counts: Iterable[tuple[int, int, int]]) -> list[CalibrationRow]:
    """Per level, from ``(level, answers, right)`` rows: every level, in order, 0 where none."""
    found = {int(level): (int(n), int(right)) for level, n, right in counts if level}
    return [
        CalibrationRow(
            certainty=level, answers=found.get(level, (0, 0))[0], right=found.get(level, (0, 0))[1]
        )  # fmt: skip
        for level in Certainty
    ]


def describe(mark_: float, certainty: Certainty, score: float) -> str:
    """One answer's CBM mark in words, as feedback shows it: "+3 (very sure, right)"."""
    verdict = "wrong" if score <= MARK_TOLERANCE else "right" if score >= 1 else "partly right"
    return f"{signed(mark_)} ({certainty.label.lower()}, {verdict})"


def signed(value: float) -> str:
    """A mark with its sign, as Moodle shows it: "+3", "0", "−6" (a real minus), "+1.5"."""
    text = f"{abs(value):.2f}".rstrip("0").rstrip(".")
    if text == "0":
        return "0"
    return f"+{text}" if value > 0 else f"\u2212{text}"


@dataclass(frozen=True, kw_only=True)
class MarkTotal:
    """An attempt's CBM marks: their sum, beside the most its answers could have earned."""

    total: float
    answered: int

    @property
    def maximum(self) -> int:
        return MAX_MARK * self.answered

    @property
    def average(self) -> float | None:
        """The mark per answer rated (Moodle's "CBM average"); None when none was."""
        return self.total / self.answered if self.answered else None


def total(marks: Iterable[float | None]) -> MarkTotal:
    """Sum the CBM marks of an attempt's answers; answers given without a rating are left out."""
    given = [m for m in marks if m is not None]
    return MarkTotal(total=float(sum(given)), answered=len(given))
