"""Rated answers through the quiz service: marks stored with the answer, the scheduler's reading
of certainty, and calibration on the progress page's figures (issue 17 point 3)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fsrs import Rating
from sqlalchemy import select

from sinorus_learn.content import current_catalogue
from sinorus_learn.database import utcnow
from sinorus_learn.domain.confidence import Certainty
from sinorus_learn.extensions import db
from sinorus_learn.models import AnswerRecord, Attempt
from sinorus_learn.models.review import ReviewCard
from sinorus_learn.services import progress, quiz
from sinorus_learn.services.quiz import CertaintyRequiredError, QuizRequest
from tests.support.quiz import answer_form, item_and_version

MODERATE = 20.0  # seconds: neither fast (Easy) nor slow (Hard), so a right answer rates Good


@pytest.fixture
def questions(make_question):
    return [make_question() for _ in range(6)]


def start(app, user_id, mode="practice", confidence=True, count=6, when=None):
    with app.app_context():
        request = QuizRequest(mode=mode, count=count, confidence=confidence)
        return quiz.start_attempt(user_id, request, now=when or utcnow(), seed=1)


def submit(app, user_id, attempt_id, position, right, certainty, when=None):
    """Answer one item (rightly or wrongly) with a certainty level ("" for none chosen)."""
    with app.app_context():
        item, version = item_and_version(attempt_id, position)
        form = answer_form(version, item.presented, right)
        if certainty is not None:
            form["certainty"] = str(certainty)
        stored = quiz.submit_answer(
            user_id, attempt_id, position, form, seconds=MODERATE, now=when or utcnow()
        )
        return stored.question_id


def stored(app, attempt_id):
    with app.app_context():
        return db.session.execute(
            select(
                AnswerRecord.question_id,
                AnswerRecord.certainty,
                AnswerRecord.cbm_mark,
                AnswerRecord.rating,
            )
            .where(AnswerRecord.attempt_id == attempt_id)
            .order_by(AnswerRecord.id)
        ).all()


def card_due(app, user_id, question_id):
    with app.app_context():
        return db.session.scalar(
            select(ReviewCard.due).where(
                ReviewCard.user_id == user_id, ReviewCard.question_id == question_id
            )
        )


def test_the_attempt_keeps_the_choice_and_each_answer_its_level_and_mark(
    app, make_user, questions
) -> None:
    user = make_user()
    attempt_id = start(app, user.id)
    plan = [(True, 3), (False, 3), (True, 2), (False, 2), (True, 1), (False, 1)]
    for position, (right, level) in enumerate(plan, start=1):
        submit(app, user.id, attempt_id, position, right, level)
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).confidence is True
    rows = stored(app, attempt_id)
    assert [(r.certainty, r.cbm_mark) for r in rows] == [
        (3, 3.0), (3, -6.0), (2, 2.0), (2, -2.0), (1, 1.0), (1, 0.0)
    ]  # fmt: skip


def test_an_attempt_without_confidence_ignores_a_level_and_stores_none(
    app, make_user, questions
) -> None:
    user = make_user()
    attempt_id = start(app, user.id, confidence=False)
    submit(app, user.id, attempt_id, 1, True, 3)
    submit(app, user.id, attempt_id, 2, True, None)
    assert [(r.certainty, r.cbm_mark) for r in stored(app, attempt_id)] == [(None, None)] * 2


@pytest.mark.parametrize("level", ["", "4", "0", "sure", "-1"])
def test_an_answer_without_a_valid_level_is_refused_and_nothing_is_stored(
    app, make_user, questions, level
) -> None:
    user = make_user()
    attempt_id = start(app, user.id)
    with pytest.raises(CertaintyRequiredError, match="how sure"):
        submit(app, user.id, attempt_id, 1, True, level)
    assert stored(app, attempt_id) == []
    with app.app_context():
        assert db.session.get(Attempt, attempt_id).answered_count == 0
    submit(app, user.id, attempt_id, 1, True, 2)  # then answered with a level, as usual
    assert [r.certainty for r in stored(app, attempt_id)] == [2]


def test_a_right_answer_given_unsure_is_rated_hard_and_sure_stays_good(
    app, make_user, questions
) -> None:
    user = make_user()
    attempt_id = start(app, user.id)
    submit(app, user.id, attempt_id, 1, True, Certainty.LOW)
    submit(app, user.id, attempt_id, 2, True, Certainty.HIGH)
    submit(app, user.id, attempt_id, 3, False, Certainty.LOW)
    ratings = [r.rating for r in stored(app, attempt_id)]
    assert ratings == [int(Rating.Hard), int(Rating.Good), int(Rating.Again)]
    other = make_user()
    plain = start(app, other.id, confidence=False)
    submit(app, other.id, plain, 1, True, None)  # the same answer unrated: Good
    assert [r.rating for r in stored(app, plain)] == [int(Rating.Good)]


def test_a_sure_wrong_answer_is_due_at_once_and_a_fairly_sure_one_later(
    app, make_user, questions
) -> None:
    user = make_user()
    now = utcnow()
    attempt_id = start(app, user.id, when=now)
    sure = submit(app, user.id, attempt_id, 1, False, Certainty.HIGH, when=now)
    fairly = submit(app, user.id, attempt_id, 2, False, Certainty.MID, when=now)
    assert card_due(app, user.id, sure) == now
    assert card_due(app, user.id, fairly) > now
    with app.app_context():  # a review started now serves the sure-wrong question alone
        review = quiz.start_attempt(user.id, QuizRequest(mode="review", count=5), now=now)
        served = [
            item.question_id for item, _, _ in quiz.attempt_review(db.session.get(Attempt, review))
        ]
    assert served == [sure]


def test_an_exams_sure_wrong_answer_is_due_when_the_exam_ends(app, make_user, questions) -> None:
    user = make_user()
    now = utcnow()
    attempt_id = start(app, user.id, mode="exam", when=now)
    sure = submit(app, user.id, attempt_id, 1, False, Certainty.HIGH, when=now)
    other = submit(app, user.id, attempt_id, 2, False, Certainty.LOW, when=now)
    assert card_due(app, user.id, sure) is None  # an open exam touches no card
    ended = now + timedelta(minutes=5)
    with app.app_context():
        assert quiz.finish_attempt(user.id, attempt_id, now=ended)
    assert card_due(app, user.id, sure) == now  # reviewed as of the answer, due at once
    assert card_due(app, user.id, other) > ended


def test_a_rated_answer_costs_no_extra_statement(app, make_user, questions, count_queries) -> None:
    counts = []
    for confidence, level in ((False, None), (True, 3)):
        user = make_user()
        attempt_id = start(app, user.id, confidence=confidence)
        submit(app, user.id, attempt_id, 1, True, level)  # the card exists: an UPDATE next
        with app.app_context():
            item, version = item_and_version(attempt_id, 2)
            form = answer_form(version, item.presented, True)
        if level:
            form["certainty"] = str(level)
        with count_queries() as counter, app.app_context():
            quiz.submit_answer(user.id, attempt_id, 2, form, seconds=MODERATE)
        counts.append(counter.count)
    assert counts[0] == counts[1], counts


def test_calibration_counts_every_rated_answer_per_level_but_an_open_exams(
    app, make_user, questions
) -> None:
    user = make_user()
    now = utcnow()
    earlier = start(app, user.id, when=now - timedelta(days=90))  # beyond the daily window
    submit(app, user.id, earlier, 1, True, 3, when=now - timedelta(days=90))
    attempt_id = start(app, user.id, when=now)
    plan = [(True, 3), (False, 3), (True, 3), (True, 1), (False, 1)]
    for position, (right, level) in enumerate(plan, start=1):
        submit(app, user.id, attempt_id, position, right, level, when=now)
    plain = start(app, user.id, confidence=False, when=now)
    submit(app, user.id, plain, 1, True, None, when=now)
    exam = start(app, user.id, mode="exam", when=now)
    submit(app, user.id, exam, 1, False, 2, when=now)  # hidden while the exam is open
    with app.app_context():
        data = progress.learner_progress(user.id, current_catalogue(), now=now)
    figures = [(r.certainty, r.answers, r.right, r.accuracy) for r in data.calibration]
    assert figures == [
        (Certainty.LOW, 2, 1, 50),
        (Certainty.MID, 0, 0, 0),
        (Certainty.HIGH, 4, 3, 75),
    ]
    assert data.rated == 6
    with app.app_context():
        quiz.finish_attempt(user.id, exam, now=now)
        data = progress.learner_progress(user.id, current_catalogue(), now=now)
    assert [(r.answers, r.right) for r in data.calibration][1] == (1, 0)  # the exam, ended
