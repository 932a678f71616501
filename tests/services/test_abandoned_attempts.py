"""Issue 19.6: an attempt left unanswered for a day stops counting as active, everywhere it is
shown, and keeps its history (answers, score, the time it was last touched)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import MetaData, func, select, text

from sinorus_learn.database import utcnow
from sinorus_learn.domain.attempts import ABANDON_AFTER, status_at
from sinorus_learn.extensions import db
from sinorus_learn.models import AnswerRecord, Attempt, ReviewCard
from sinorus_learn.services import classes, quiz, statistics
from sinorus_learn.services.quiz import QuizError, QuizRequest
from tests.support.history import seed_history
from tests.support.quiz import answer_form, item_and_version

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
SECOND = timedelta(seconds=1)


@pytest.mark.parametrize(
    ("status", "deadline", "idle", "expected"),
    [
        ("active", None, ABANDON_AFTER - SECOND, "active"),
        ("active", None, ABANDON_AFTER, "abandoned"),
        ("active", None, 30 * ABANDON_AFTER, "abandoned"),
        ("active", T0 + HOUR, ABANDON_AFTER, "expired"),  # the time limit came first
        ("active", T0 + 48 * HOUR, HOUR, "active"),
        ("finished", None, 30 * ABANDON_AFTER, "finished"),
        ("expired", None, 30 * ABANDON_AFTER, "expired"),
    ],
)
def test_status_at(status, deadline, idle, expected) -> None:
    assert status_at(status, deadline, T0, T0 + idle) == expected


def answer(user_id: int, attempt_id: int, position: int, when: datetime) -> None:
    item, version = item_and_version(attempt_id, position)
    quiz.submit_answer(
        user_id, attempt_id, position, answer_form(version, item.presented), now=when
    )


def listed_status(user_id: int, attempt_id: int, now: datetime) -> str:
    rows = quiz.list_attempts(user_id, now=now).items
    return next(row.status for row in rows if row.id == attempt_id)


@pytest.mark.usefixtures("content")
def test_a_day_without_an_answer_abandons_the_attempt_and_keeps_its_history(app, make_user) -> None:
    user = make_user()
    with app.app_context():
        attempt_id = quiz.start_attempt(
            user.id, QuizRequest(mode="lesson", topic="energy", count=4), now=T0
        )
        answer(user.id, attempt_id, 1, T0 + HOUR)
        answer(user.id, attempt_id, 2, T0 + 20 * HOUR)  # answering keeps it going
        last = T0 + 20 * HOUR
        assert listed_status(user.id, attempt_id, last + ABANDON_AFTER - SECOND) == "active"
        assert listed_status(user.id, attempt_id, last + ABANDON_AFTER) == "abandoned"
        db.session.remove()

        opened = quiz.get_attempt(user.id, attempt_id, now=last + ABANDON_AFTER - SECOND)
        assert opened.status == "active"
        closed = quiz.get_attempt(user.id, attempt_id, now=last + 2 * ABANDON_AFTER)
        assert closed.status == "abandoned"
        assert closed.finished_at == last  # when the learner left, not when it was noticed
        assert closed.answered_count == 2 and closed.score > 0
        responses = db.session.scalar(
            select(func.count(AnswerRecord.id)).where(AnswerRecord.attempt_id == attempt_id)
        )
        assert responses == 2
        with pytest.raises(QuizError):
            answer(user.id, attempt_id, 3, last + 3 * ABANDON_AFTER)
        assert listed_status(user.id, attempt_id, last + 3 * ABANDON_AFTER) == "abandoned"


@pytest.mark.usefixtures("content")
def test_answering_an_abandoned_attempt_closes_it_and_refuses_the_answer(app, make_user) -> None:
    user = make_user()
    with app.app_context():
        attempt_id = quiz.start_attempt(
            user.id, QuizRequest(mode="lesson", topic="sco", count=3), now=T0
        )
        with pytest.raises(QuizError):
            answer(user.id, attempt_id, 1, T0 + ABANDON_AFTER)
        attempt = db.session.get(Attempt, attempt_id)
        db.session.refresh(attempt)
        assert (attempt.status, attempt.finished_at, attempt.answered_count) == (
            "abandoned",
            T0,
            0,
        )


@pytest.mark.usefixtures("content")
def test_an_abandoned_exam_shows_its_results_and_reaches_the_review_cards(app, make_user) -> None:
    user = make_user()
    with app.app_context():
        attempt_id = quiz.start_attempt(user.id, QuizRequest(mode="exam", count=3), now=T0)
        answer(user.id, attempt_id, 1, T0 + HOUR)
        assert db.session.scalar(select(func.count(ReviewCard.id))) == 0  # hidden while open
        later = T0 + HOUR + ABANDON_AFTER
        shown = quiz.get_attempt(user.id, attempt_id, now=later)
        assert (shown.status, shown.finished_at) == ("abandoned", T0 + HOUR)
        db.session.remove()  # a read writes nothing: the exam is still open in the database
        assert db.session.scalar(select(Attempt.status).where(Attempt.id == attempt_id)) == "active"
        assert db.session.scalar(select(func.count(ReviewCard.id))) == 0
        # the learner's next quiz closes it first, so its answers reach the cards it draws on
        quiz.start_attempt(user.id, QuizRequest(mode="lesson", topic="sco", count=2), now=later)
        closed = db.session.get(Attempt, attempt_id)
        assert (closed.status, closed.finished_at) == ("abandoned", T0 + HOUR)
        assert db.session.scalar(select(func.count(ReviewCard.id))) == 1


@pytest.mark.usefixtures("content")
def test_finishing_an_overdue_exam_closes_it_as_expired(app, make_user) -> None:
    user = make_user()
    with app.app_context():
        request = QuizRequest(mode="exam", count=3, minutes=30)
        attempt_id = quiz.start_attempt(user.id, request, now=T0)
        answer(user.id, attempt_id, 1, T0 + 10 * timedelta(minutes=1))
        assert quiz.finish_attempt(user.id, attempt_id, now=T0 + HOUR) is True
        assert quiz.finish_attempt(user.id, attempt_id, now=T0 + HOUR) is False
        db.session.remove()
        closed = db.session.get(Attempt, attempt_id)
        assert (closed.status, closed.finished_at, closed.answered_count) == (
            "expired",
            T0 + HOUR,
            1,
        )
        assert db.session.scalar(select(func.count(ReviewCard.id))) == 1


@pytest.mark.usefixtures("content")
def test_pages_stop_showing_an_abandoned_attempt_as_active(app, client, auth, make_user) -> None:
    teacher = make_user("instructor")
    student = make_user()
    yesterday = utcnow() - ABANDON_AFTER - HOUR
    with app.app_context():
        room = classes.create_class(teacher.id, "Seminar")
        classes.join_class(student.id, room.join_code)
        left = quiz.start_attempt(
            student.id, QuizRequest(mode="lesson", topic="energy", count=2), now=yesterday
        )
        going = quiz.start_attempt(student.id, QuizRequest(mode="lesson", topic="sco", count=2))
        board = statistics.class_dashboard(room.id)
        assert {(row.id, row.status) for row in board.recent} == {
            (left, "abandoned"),
            (going, "active"),
        }
        report = statistics.student_report(room.id, student.id)
        assert {(row.id, row.status) for row in report.attempts} == {
            (left, "abandoned"),
            (going, "active"),
        }
        db.session.remove()

    auth.login(student.email)
    history = client.get("/quiz/history").get_data(as_text=True)
    assert f'href="/quiz/{going}/q/1">Continue' in history
    assert f'href="/quiz/{left}/q/1"' not in history
    assert f'href="/quiz/{left}/review">Review' in history and "<td>abandoned</td>" in history
    review = client.get(f"/quiz/{left}/review")
    assert review.status_code == 200
    assert "left unanswered for a day, so it was closed" in review.get_data(as_text=True)
    auth.logout()

    auth.login(teacher.email)
    for url in (
        f"/instructor/classes/{room.id}",
        f"/instructor/classes/{room.id}/students/{student.id}",
    ):
        page = client.get(url).get_data(as_text=True)
        assert page.count("<td>abandoned</td>") == 1 and page.count("<td>active</td>") == 1, url


@pytest.mark.usefixtures("content")
def test_an_overdue_timed_attempt_is_listed_as_expired(app, make_user) -> None:
    user = make_user()
    with app.app_context():
        attempt_id = quiz.start_attempt(
            user.id, QuizRequest(mode="exam", count=2, minutes=30), now=T0
        )
        assert listed_status(user.id, attempt_id, T0 + 29 * timedelta(minutes=1)) == "active"
        assert listed_status(user.id, attempt_id, T0 + HOUR) == "expired"


def test_the_migration_dates_each_attempt_by_its_latest_answer(empty_app) -> None:
    """Migration 88cb307f33bd fills last_active_at from the latest answer, else the start."""
    t0 = datetime(2026, 11, 1, 12, 0)  # naive: these columns hold UTC without a zone
    answers = [(1, 1, True, t0), (1, 2, False, t0 + 5 * HOUR), (2, 1, True, t0 + 9 * HOUR)]
    with empty_app.app_context():
        upgrade(revision="343e392cedbd")
        meta = MetaData()
        meta.reflect(db.engine)
        with db.engine.begin() as conn:
            seed_history(conn, meta.tables, answers, t0)
            conn.execute(
                meta.tables["attempts"].insert().values(
                    id=9, user_id=1, mode="lesson", params={}, seed=1, status="active",
                    question_count=3, answered_count=0, score=0.0, started_at=t0 - HOUR,
                )
            )  # fmt: skip
            # a second answer to attempt 2, later than its own start
            conn.execute(text("UPDATE responses SET attempt_id = 2 WHERE id = 3"))
        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT id, last_active_at FROM attempts ORDER BY id")).all()
    assert {i: naive_utc(v) for i, v in rows} == {
        1: t0,
        2: t0 + 9 * HOUR,
        3: t0 + 9 * HOUR,
        9: t0 - HOUR,
    }


def naive_utc(value: object) -> datetime:
    """Read a stored time as naive UTC (SQLite returns text, PostgreSQL an aware datetime)."""
    stamp = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return stamp.astimezone(UTC).replace(tzinfo=None) if stamp.tzinfo else stamp
