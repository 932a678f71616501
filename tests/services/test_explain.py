"""Explain questions through the quiz and instructor services: written, self-assessed, scheduled,
never served without a checklist nor in an exam, corrected by the student's instructor."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from sinorus_learn.database import utcnow
from sinorus_learn.domain.qtypes.explain import ExplainAnswer
from sinorus_learn.domain.questions import QuestionSpec
from sinorus_learn.extensions import db
from sinorus_learn.models import AnswerRecord, Attempt, AttemptItem
from sinorus_learn.models.review import ReviewCard
from sinorus_learn.services import classes, explanations, quiz
from sinorus_learn.services.quiz import QuizError, QuizRequest
from tests.support.questions import WRITTEN, add_questions, explain_spec, mc_spec

PRACTICE = QuizRequest(mode="practice", types=("explain",), count=5)


@pytest.fixture
def explain_id(app) -> int:
    return add_questions(app, explain_spec("explain/one"))[0]


def start(app, user_id: int, request: QuizRequest = PRACTICE, now=None) -> int:
    with app.app_context():
        return quiz.start_attempt(user_id, request, now=now)


def card(user_id: int, question_id: int) -> ReviewCard | None:
    return db.session.scalar(
        select(ReviewCard).where(
            ReviewCard.user_id == user_id, ReviewCard.question_id == question_id
        )
    )


def test_written_then_ticked_scores_the_share_and_schedules_the_card(
    app, make_user, explain_id
) -> None:
    user = make_user()
    attempt_id = start(app, user.id)
    with app.app_context():
        with pytest.raises(QuizError, match="Write at least 15 words"):
            quiz.submit_answer(user.id, attempt_id, 1, {"text": ["Too short."]})
        # ticks sent with the text are ignored: the checklist was not shown yet
        record = quiz.submit_answer(user.id, attempt_id, 1, {"text": [WRITTEN], "point": ["0"]})
        assert record.pending and record.score == 0 and record.rating is None
        assert record.answer == {"text": WRITTEN, "ticked": None}
        assert card(user.id, explain_id) is None  # no scheduling before the ticks
        # the text cannot change once the checklist is shown
        again = quiz.submit_answer(user.id, attempt_id, 1, {"text": [WRITTEN + " More words."]})
        assert again.answer["text"] == WRITTEN
        with pytest.raises(QuizError, match="Tick among the points shown"):
            quiz.assess_explanation(user.id, attempt_id, 1, ["7"])
        assessed = quiz.assess_explanation(user.id, attempt_id, 1, ["0", "2"])
        assert (assessed.pending, assessed.correct) == (False, False)
        assert assessed.score == pytest.approx(2 / 3)
        assert assessed.answer == {"text": WRITTEN, "ticked": [0, 2]}
        assert assessed.rating == 2  # partly right: Hard
        reviewed = card(user.id, explain_id)
        assert reviewed is not None and reviewed.last_correct is False and reviewed.reps == 1
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.score == pytest.approx(2 / 3) and attempt.answered_count == 1
        # a second self-assessment changes nothing
        same = quiz.assess_explanation(user.id, attempt_id, 1, ["0", "1", "2"])
        assert same.score == pytest.approx(2 / 3)
        assert db.session.get(Attempt, attempt_id).score == pytest.approx(2 / 3)


def test_every_point_ticked_is_right_and_the_review_queue_brings_it_back(
    app, make_user, explain_id
) -> None:
    user = make_user()
    attempt_id = start(app, user.id)
    with app.app_context():
        quiz.submit_answer(user.id, attempt_id, 1, {"text": [WRITTEN]})
        assessed = quiz.assess_explanation(user.id, attempt_id, 1, ["0", "1", "2"])
        assert assessed.correct and assessed.score == 1.0
        quiz.finish_attempt(user.id, attempt_id)
        due = card(user.id, explain_id).due
    with pytest.raises(QuizError, match="Nothing is due"):
        start(app, user.id, QuizRequest(mode="review"))
    review_id = start(app, user.id, QuizRequest(mode="review"), now=due + timedelta(minutes=1))
    with app.app_context():
        items = db.session.scalars(
            select(AttemptItem.question_id).where(AttemptItem.attempt_id == review_id)
        ).all()
        assert items == [explain_id]


def test_finishing_with_a_pending_explanation_leaves_it_at_zero_and_unscheduled(
    app, make_user, explain_id
) -> None:
    user = make_user()
    attempt_id = start(app, user.id)
    with app.app_context():
        quiz.submit_answer(user.id, attempt_id, 1, {"text": [WRITTEN]})
        quiz.finish_attempt(user.id, attempt_id)
        with pytest.raises(QuizError, match="not self-assessed"):
            quiz.assess_explanation(user.id, attempt_id, 1, ["0"])
        record = db.session.scalar(
            select(AnswerRecord).where(AnswerRecord.attempt_id == attempt_id)
        )
        assert record.pending and record.score == 0
        assert card(user.id, explain_id) is None
        assert db.session.get(Attempt, attempt_id).score == 0


def test_an_explain_question_without_a_checklist_is_never_served(app, make_user) -> None:
    user = make_user()
    essay = QuestionSpec(
        key="import:essay",
        type="explain",
        prompt="Discuss the SCO.",
        choices=None,
        answer=ExplainAnswer(model="A model answer but no points."),
        explanation="",
        topic="sco",
    )
    one_point = explain_spec("explain/one-point", topic="sco", points=1)
    no_model = explain_spec("explain/no-model", topic="sco", model="")
    add_questions(app, essay, one_point, no_model)
    with pytest.raises(QuizError, match="No questions match"):
        start(app, user.id, QuizRequest(mode="practice", types=("explain",), topics=("sco",)))
    ready = add_questions(app, explain_spec("explain/ready", topic="sco", points=2))[0]
    attempt_id = start(app, user.id, QuizRequest(mode="practice", topics=("sco",), count=30))
    with app.app_context():
        asked = db.session.scalars(
            select(AttemptItem.question_id).where(AttemptItem.attempt_id == attempt_id)
        ).all()
    assert asked == [ready]  # the three without a checklist are left out


def test_no_exam_draws_an_explain_question(app, make_user, explain_id) -> None:
    user = make_user()
    add_questions(app, mc_spec("mc/one"), mc_spec("mc/two"))
    with pytest.raises(QuizError, match="No questions match"):
        start(app, user.id, QuizRequest(mode="exam", types=("explain",), minutes=10))
    attempt_id = start(app, user.id, QuizRequest(mode="exam", count=30, minutes=10))
    with app.app_context():
        asked = db.session.scalars(
            select(AttemptItem.question_id).where(AttemptItem.attempt_id == attempt_id)
        ).all()
    assert asked and explain_id not in asked


def test_the_instructor_reads_and_corrects_only_their_students_answers(
    app, make_user, explain_id
) -> None:
    teacher, other = make_user("instructor"), make_user("instructor")
    student, outsider = make_user(), make_user()
    with app.app_context():
        mine = classes.create_class(teacher.id, "Mine")
        classes.join_class(student.id, mine.join_code)
        theirs = classes.create_class(other.id, "Theirs")
        classes.join_class(outsider.id, theirs.join_code)
        theirs_id = theirs.id
    for user in (student, outsider):
        attempt_id = start(app, user.id)
        with app.app_context():
            quiz.submit_answer(user.id, attempt_id, 1, {"text": [WRITTEN]})
            quiz.assess_explanation(user.id, attempt_id, 1, ["0", "1", "2"])
    with app.app_context():
        page = explanations.written_answers(explain_id, teacher.id)
        (written,) = page.items
        assert (written.student, written.text) == (student.display_name, WRITTEN)
        assert written.ticked == {0, 1, 2} and written.score == 1.0
        assert explanations.written_answers(explain_id, teacher.id, class_id=theirs_id).items == []
        outsiders = explanations.written_answers(explain_id, other.id).items
        with pytest.raises(LookupError):
            explanations.correct_assessment(teacher.id, explain_id, outsiders[0].response_id, ["0"])
        when = utcnow()
        score = explanations.correct_assessment(
            teacher.id, explain_id, written.response_id, ["0", "2", "9"], now=when
        )
        assert score == pytest.approx(2 / 3)
        db.session.expire_all()
        record = db.session.get(AnswerRecord, written.response_id)
        assert record.answer["ticked"] == [0, 2] and record.correct is False
        assert record.corrected_by_id == teacher.id and record.corrected_at is not None
        assert db.session.get(Attempt, record.attempt_id).score == pytest.approx(2 / 3)
        # unticking never adds a point the student did not tick
        explanations.correct_assessment(teacher.id, explain_id, written.response_id, ["1"])
        db.session.expire_all()
        assert db.session.get(AnswerRecord, written.response_id).score == 0
        assert db.session.get(Attempt, record.attempt_id).score == pytest.approx(0)


def test_written_answers_are_paginated_newest_first(app, make_user, explain_id) -> None:
    teacher = make_user("instructor")
    with app.app_context():
        room = classes.create_class(teacher.id, "Big")
        room_id, code = room.id, room.join_code
    written = []
    for _ in range(explanations.PER_PAGE + 1):
        user = make_user()
        with app.app_context():
            classes.join_class(user.id, code)
        attempt_id = start(app, user.id)
        with app.app_context():
            written.append(quiz.submit_answer(user.id, attempt_id, 1, {"text": [WRITTEN]}).id)
    with app.app_context():
        first = explanations.written_answers(explain_id, teacher.id, class_id=room_id)
        second = explanations.written_answers(explain_id, teacher.id, class_id=room_id, page=2)
    assert first.has_next and not second.has_next
    assert len(first.items) == explanations.PER_PAGE
    assert [w.response_id for w in first.items + second.items] == written[::-1]
    assert all(w.pending for w in first.items)
