"""Item statistics on a hand-checked example, and the class dashboard's SQL aggregation."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

import pytest

from sinorus_learn.database import utcnow
from sinorus_learn.extensions import db
from sinorus_learn.models import Classroom, Enrollment
from sinorus_learn.services import statistics
from tests.support.questions import add_questions, mc_spec, record


def make_class(app: Any, instructor_id: int, student_ids: list[int], name: str = "Class") -> int:
    with app.app_context():
        classroom = Classroom(name=name, join_code=statistics_code(), instructor_id=instructor_id)
        db.session.add(classroom)
        db.session.flush()
        for sid in student_ids:
            db.session.add(Enrollment(classroom_id=classroom.id, user_id=sid))
        db.session.commit()
        return classroom.id


def statistics_code() -> str:
    from sinorus_learn.services.classes import make_code

    return make_code()


# First responses of learners A..D to Q1..Q3 (1 = right), computed by hand below.
TABLE = {"A": (1, 1, 1), "B": (1, 0, 1), "C": (0, 0, 1), "D": (0, 1, 0)}


@pytest.fixture
def example(app, make_user) -> dict[str, Any]:
    q1, q2, q3 = add_questions(app, mc_spec("q1"), mc_spec("q2"), mc_spec("q3"))
    learners = {name: make_user() for name in TABLE}
    for name, scores in TABLE.items():
        for qid, score in zip((q1, q2, q3), scores, strict=True):
            wrong = "X" if qid == q2 else ("Y" if name == "C" else "Z")
            record(app, learners[name].id, qid, "Right" if score else wrong)
    record(app, learners["C"].id, q1, "Right")  # a retry: counts as an answer, not in the stats
    return {"ids": (q1, q2, q3), "learners": learners}


def test_facility_and_discrimination_match_a_hand_computation(app, example) -> None:
    q1, q2, q3 = example["ids"]
    with app.app_context():
        stats = {s.question_id: s for s in statistics.item_statistics()}
    # Facility = mean first-response score: Q1 2/4, Q2 2/4, Q3 3/4.
    assert stats[q1].facility == pytest.approx(0.5)
    assert stats[q2].facility == pytest.approx(0.5)
    assert stats[q3].facility == pytest.approx(0.75)
    assert (stats[q1].learners, stats[q1].answers) == (4, 5)
    # Q1: x = 1,1,0,0; rest-of-test means y = (1+1)/2, (0+1)/2, (0+1)/2, (1+0)/2 = 1,.5,.5,.5.
    # Σdxdy = .25, Σdx² = 1, Σdy² = .1875 -> r = .25 / sqrt(.1875) = 1/√3.
    assert stats[q1].discrimination == pytest.approx(1 / math.sqrt(3))
    # Q2: x = 1,0,0,1; y = 1,1,.5,0 -> Σdxdy = -.25, Σdy² = .6875 -> r = -.25/sqrt(.6875).
    assert stats[q2].discrimination == pytest.approx(-0.25 / math.sqrt(0.6875))
    # Q3: x = 1,1,1,0; y = 1,.5,0,.5 -> Σdxdy = 0 -> r = 0.
    assert stats[q3].discrimination == pytest.approx(0.0)
    assert stats[q2].flags and "negative discrimination" in stats[q2].flags[0]
    assert not stats[q1].flags and not stats[q3].flags
    assert (stats[q2].wrong_answer, stats[q2].wrong_count) == ("X", 2)


def test_discrimination_formula_handles_degenerate_cases() -> None:
    assert statistics.discrimination(1, 1, 1, 1, 1, 1) is None
    assert statistics.discrimination(3, 3, 1.5, 1.5, 3, 1) is None  # x does not vary
    assert statistics.discrimination(2, 1, 1, 1, 1, 1) == pytest.approx(1.0)


def test_low_facility_is_flagged(app, make_user, make_question) -> None:
    qid = make_question("hard")
    for _ in range(3):
        record(app, make_user().id, qid, "X")
    with app.app_context():
        (stat,) = statistics.item_statistics()
    assert stat.facility == 0 and stat.discrimination is None
    assert any("facility below" in flag for flag in stat.flags)


def test_class_scope_counts_only_its_students(app, make_user, example) -> None:
    learners = example["learners"]
    teacher = make_user("instructor")
    class_id = make_class(app, teacher.id, [learners["A"].id, learners["D"].id])
    with app.app_context():
        stats = {s.question_id: s for s in statistics.class_items(class_id)}
        board = statistics.class_dashboard(class_id)
    q1, _q2, q3 = example["ids"]
    assert stats[q1].learners == 2 and stats[q1].facility == pytest.approx(0.5)
    assert stats[q3].facility == pytest.approx(0.5)
    names = {s.id: s for s in board.students}
    assert set(names) == {learners["A"].id, learners["D"].id}
    # A answered all three energy questions right: 3/3 = 100%; D one of three: 33%.
    assert names[learners["A"].id].mastery["energy"] == 100
    assert names[learners["D"].id].mastery["energy"] == 33
    assert board.topic_totals["energy"] == 3


def test_falling_behind_lists_inactive_and_weak_students(app, make_user) -> None:
    q1, q2 = add_questions(app, mc_spec("f1"), mc_spec("f2"))
    strong, weak, idle = make_user(), make_user(), make_user()
    old = utcnow() - timedelta(days=30)
    for qid in (q1, q2):
        record(app, strong.id, qid, "Right")
        record(app, idle.id, qid, "Right", when=old)
    record(app, weak.id, q1, "X")
    class_id = make_class(app, make_user("instructor").id, [strong.id, weak.id, idle.id])
    with app.app_context():
        board = statistics.class_dashboard(class_id)
    behind = {s.id: s.behind for s in board.behind}
    assert strong.id not in behind
    assert any("no activity" in r for r in behind[idle.id])
    assert any("below half" in r for r in behind[weak.id])


def test_csv_has_one_row_per_student_and_defuses_formulas(app, make_user) -> None:
    from sinorus_learn.services import accounts

    with app.app_context():
        evil = accounts.create_user("evil@example.org", "x" * 12, "=HYPERLINK(1)")
    class_id = make_class(app, make_user("instructor").id, [evil.id, make_user().id])
    with app.app_context():
        text = statistics.class_csv(class_id)
    lines = text.strip().splitlines()
    assert len(lines) == 3 and lines[0].startswith("student,email,answers")
    assert "'=HYPERLINK(1)" in text
