"""Mastery of a topic, in the spirit of Khan Academy, from the learner's latest answers.

Only the latest answer to each question counts, so a question once missed and later answered
right no longer holds a learner back. With *seen* the questions of the topic answered at least
once, *right* the share of those whose latest answer was right, and *coverage* the share of the
topic's questions seen:

- Not started: no question of the topic answered yet.
- Attempted: at least one question answered.
- Familiar: at least 3 questions seen (or every question of a smaller topic), 50% right.
- Proficient: half of the topic's questions seen and 80% right.
- Mastered: 80% of the topic's questions seen, 90% right, on at least 2 different days.

Progress (0-100) is the share of the topic's questions whose latest answer is right.

The same rules give the mastery of each lesson objective, over the questions that serve it. A
topic's level is built from its objectives: the lowest of them (at least Attempted once any is
started), so a topic cannot be Proficient on dates alone while its argument goes untested.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    """A mastery level; the value doubles as a CSS class."""

    NOT_STARTED = "not_started"
    ATTEMPTED = "attempted"
    FAMILIAR = "familiar"
    PROFICIENT = "proficient"
    MASTERED = "mastered"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


_RANKS = {level: index for index, level in enumerate(Level)}  # rank is read per objective

MIN_FAMILIAR_SEEN = 3
FAMILIAR_RIGHT = 0.5
PROFICIENT_COVERAGE, PROFICIENT_RIGHT = 0.5, 0.8
MASTERED_COVERAGE, MASTERED_RIGHT, MASTERED_DAYS = 0.8, 0.9, 2

MASTERY_RULES: tuple[tuple[Level, str], ...] = (
    (Level.NOT_STARTED, "You have not answered a question on this topic yet."),
    (Level.ATTEMPTED, "You have answered at least one question."),
    (
        Level.FAMILIAR,
        "You have answered at least 3 different questions (or all of a smaller topic) "
        "and at least half of your latest answers are right.",
    ),
    (
        Level.PROFICIENT,
        "You have answered at least half of the topic's questions "
        "and at least 80% of your latest answers are right.",
    ),
    (
        Level.MASTERED,
        "You have answered at least 80% of the topic's questions, at least 90% of your "
        "latest answers are right, and you answered on at least 2 different days.",
    ),
)


@dataclass(frozen=True)
class TopicStats:
    """A learner's latest answers on one topic: what the levels are computed from."""

    questions_total: int  # active questions in the topic
    seen: int  # distinct questions answered at least once
    correct: int  # of those, how many were last answered right
    days: int = 0  # distinct days on which those latest answers were given

    @property
    def coverage(self) -> float:
        total = max(self.questions_total, self.seen)  # retired questions still count as seen
        return self.seen / total if total else 0.0

    @property
    def right(self) -> float:
        return self.correct / self.seen if self.seen else 0.0


def _familiar(stats: TopicStats) -> bool:
    enough = stats.seen >= min(MIN_FAMILIAR_SEEN, max(stats.questions_total, 1))
    return enough and stats.right >= FAMILIAR_RIGHT


def _proficient(stats: TopicStats) -> bool:
    return (
        _familiar(stats)
        and stats.coverage >= PROFICIENT_COVERAGE
        and stats.right >= PROFICIENT_RIGHT
    )


def _mastered(stats: TopicStats) -> bool:
    return (
        _proficient(stats)
        and stats.coverage >= MASTERED_COVERAGE
        and stats.right >= MASTERED_RIGHT
        and stats.days >= MASTERED_DAYS
    )


def topic_mastery(stats: TopicStats) -> Level:
    """Return the highest level whose rule ``stats`` meets."""
    if _mastered(stats):
        return Level.MASTERED
    if _proficient(stats):
        return Level.PROFICIENT
    if _familiar(stats):
        return Level.FAMILIAR
    return Level.ATTEMPTED if stats.seen > 0 else Level.NOT_STARTED


def topic_from_objectives(levels: Sequence[Level]) -> Level:
    """Return a topic's level from its objectives' levels: the lowest, but at least Attempted
    once any objective is started."""
    if not levels:
        return Level.NOT_STARTED
    lowest = min(levels, key=lambda level: level.rank)
    if lowest is Level.NOT_STARTED and any(level is not Level.NOT_STARTED for level in levels):
        return Level.ATTEMPTED
    return lowest


@dataclass(frozen=True)
class ObjectiveMastery:
    """Where a learner stands on one objective."""

    id: str
    level: Level
    progress: int  # 0-100, as for a topic


def study_next(objectives: Sequence[ObjectiveMastery]) -> ObjectiveMastery | None:
    """Return the objective to study next: the lowest level, then the least progress, then the
    first in the report's order; None when every objective is mastered."""
    open_ = [o for o in objectives if o.level is not Level.MASTERED]
    if not open_:
        return None
    return min(open_, key=lambda o: (o.level.rank, o.progress))


def percent(part: int, whole: int) -> int:
    """Return ``part`` as a whole-number share (0-100) of ``whole``; 0 when there is none."""
    return round(100 * part / whole) if whole > 0 else 0


def progress(stats: TopicStats) -> int:
    """Return the share (0-100) of the topic's questions whose latest answer is right."""
    total = max(stats.questions_total, stats.seen)
    return percent(min(max(stats.correct, 0), total), total)


__all__ = [
    "MASTERY_RULES",
    "Level",
    "ObjectiveMastery",
    "TopicStats",
    "progress",
    "study_next",
    "topic_from_objectives",
    "topic_mastery",
]
