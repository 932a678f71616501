"""Mastery levels: each rule, the transitions between them, and the progress percentage."""

from __future__ import annotations

import pytest

from sinorus_learn.domain.mastery import (
    MASTERY_RULES,
    Level,
    TopicStats,
    percent,
    progress,
    topic_mastery,
)


@pytest.mark.parametrize(
    ("stats", "level"),
    [
        (TopicStats(questions_total=10, seen=0, correct=0), Level.NOT_STARTED),
        (TopicStats(questions_total=10, seen=1, correct=1), Level.ATTEMPTED),
        (TopicStats(questions_total=10, seen=3, correct=1), Level.ATTEMPTED),  # 33% right
        (TopicStats(questions_total=10, seen=3, correct=2), Level.FAMILIAR),
        (TopicStats(questions_total=10, seen=4, correct=4), Level.FAMILIAR),  # 40% seen
        (TopicStats(questions_total=10, seen=5, correct=4), Level.PROFICIENT),
        (TopicStats(questions_total=10, seen=5, correct=3), Level.FAMILIAR),  # 60% right
        (TopicStats(questions_total=10, seen=8, correct=8, days=1), Level.PROFICIENT),
        (TopicStats(questions_total=10, seen=8, correct=8, days=2), Level.MASTERED),
        (TopicStats(questions_total=10, seen=10, correct=8, days=3), Level.PROFICIENT),  # 80%
        (TopicStats(questions_total=2, seen=2, correct=2, days=2), Level.MASTERED),  # small topic
        (TopicStats(questions_total=0, seen=3, correct=3, days=2), Level.MASTERED),  # all retired
    ],
)
def test_levels(stats: TopicStats, level: Level) -> None:
    assert topic_mastery(stats) is level


def test_a_learner_climbs_one_level_at_a_time() -> None:
    steps = [
        TopicStats(10, 0, 0),
        TopicStats(10, 2, 2, 1),
        TopicStats(10, 3, 3, 1),
        TopicStats(10, 6, 6, 1),
        TopicStats(10, 9, 9, 2),
    ]
    ranks = [topic_mastery(s).rank for s in steps]
    assert ranks == [0, 1, 2, 3, 4]


def test_getting_answers_wrong_drops_the_level() -> None:
    assert topic_mastery(TopicStats(10, 9, 9, 2)) is Level.MASTERED
    assert topic_mastery(TopicStats(10, 9, 7, 2)) is Level.FAMILIAR


def test_progress_is_share_of_questions_last_answered_right() -> None:
    assert progress(TopicStats(10, 0, 0)) == 0
    assert progress(TopicStats(10, 5, 4)) == 40
    assert progress(TopicStats(3, 3, 2)) == 67
    assert progress(TopicStats(0, 0, 0)) == 0
    assert progress(TopicStats(2, 4, 4)) == 100  # never above 100 with retired questions


def test_rules_describe_every_level_in_order() -> None:
    assert [level for level, _ in MASTERY_RULES] == list(Level)
    assert all(text.endswith(".") for _, text in MASTERY_RULES)
    assert Level.NOT_STARTED.label == "Not started"
    assert Level.MASTERED.value == "mastered"


def test_percent_rounds_to_a_whole_share_and_is_zero_for_nothing() -> None:
    assert percent(2, 3) == 67
    assert percent(1, 8) == 12  # 12.5 rounds half to even, as the page always showed it
    assert percent(5, 5) == 100
    assert percent(0, 0) == 0
