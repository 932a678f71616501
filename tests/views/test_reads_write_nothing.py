"""Issue 16.4: a GET writes nothing, even when it shows an overdue attempt as closed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from sinorus_learn.database import utcnow
from sinorus_learn.domain.attempts import ABANDON_AFTER
from sinorus_learn.extensions import db
from sinorus_learn.models import Attempt, Lesson, Question
from sinorus_learn.services import quiz
from sinorus_learn.services.quiz import QuizRequest
from tests.conftest import csrf_token
from tests.support.quiz import answer_form, item_and_version

pytestmark = pytest.mark.usefixtures("content")


def stored_status(attempt_id: int) -> str | None:
    db.session.remove()
    return db.session.scalar(select(Attempt.status).where(Attempt.id == attempt_id))


@pytest.fixture
def overdue(app, make_user, auth):
    """A signed-in student with an exam past its time limit and a lesson quiz abandoned."""
    student = make_user()
    now = utcnow()
    with app.app_context():
        exam = quiz.start_attempt(student.id, QuizRequest(mode="exam", count=3, minutes=30))
        item, version = item_and_version(exam, 1)
        quiz.submit_answer(student.id, exam, 1, answer_form(version, item.presented, False))
        left = quiz.start_attempt(
            student.id, QuizRequest(mode="lesson", topic="sco", count=2), now=now - ABANDON_AFTER
        )
        db.session.execute(
            update(Attempt).where(Attempt.id == exam).values(deadline_at=now - timedelta(minutes=1))
        )
        db.session.commit()
    auth.login(student.email)
    return student, exam, left


def test_an_overdue_exam_shows_expired_without_writing_and_refuses_answers(
    app, client, overdue, count_queries
) -> None:
    _, exam, _ = overdue
    url = f"/quiz/{exam}/q/1"
    with count_queries() as counter:
        page = client.get(url)
    assert page.status_code == 200
    assert "Correct answer" in page.get_data(as_text=True)  # shown closed: feedback is open
    assert not counter.writes, counter.statements
    with count_queries() as counter:
        review = client.get(f"/quiz/{exam}/review").get_data(as_text=True)
    assert "the time limit ended it" in review
    assert not counter.writes, counter.statements
    with app.app_context():
        assert stored_status(exam) == "active"  # closed by the next write, not by a read
        item, version = item_and_version(exam, 2)
        form = answer_form(version, item.presented) | {"csrf_token": csrf_token(page)}
    refused = client.post(f"/quiz/{exam}/q/2", data=form, follow_redirects=True)
    assert b"can no longer change" in refused.data
    with app.app_context():
        assert stored_status(exam) == "expired"


def test_no_student_page_writes(app, client, overdue, count_queries) -> None:
    """Every GET page a student can open, with overdue attempts to show, runs no write."""
    _, exam, left = overdue
    with app.app_context():
        slug = db.session.scalar(select(Lesson.slug).limit(1))
        table = db.session.scalar(select(Question.table_id).where(Question.table_id.is_not(None)))
    values = {"attempt_id": exam, "position": 1, "slug": slug, "table_id": table}
    urls = [f"/quiz/{left}/q/1", f"/quiz/{left}/review", "/search?q=oil"]
    for rule in app.url_map.iter_rules():
        public = not rule.rule.startswith(("/instructor", "/admin", "/static", "/bench"))
        if "GET" in rule.methods and public and set(rule.arguments) <= set(values):
            with app.test_request_context():
                from flask import url_for

                urls.append(url_for(rule.endpoint, **{k: values[k] for k in rule.arguments}))
    assert len(urls) > 20
    for url in urls:
        with count_queries() as counter:
            response = client.get(url)
        assert response.status_code < 400, url
        assert not counter.writes, (url, counter.writes)
    with app.app_context():
        assert stored_status(exam) == "active" and stored_status(left) == "active"
