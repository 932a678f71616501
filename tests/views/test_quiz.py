"""Quiz modes, answering, feedback, integrity and review through the real pages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from sinorus_learn.database import utcnow
from sinorus_learn.extensions import db
from sinorus_learn.models import AnswerRecord, Attempt, AttemptItem, Question
from sinorus_learn.services import quiz
from sinorus_learn.services.quiz import QuizRequest
from tests.conftest import csrf_token, post_form
from tests.support.quiz import answer_current, answer_form, item_and_version

pytestmark = pytest.mark.usefixtures("content")


@pytest.fixture
def student(make_user, auth):
    user = make_user("student")
    auth.login(user.email)
    return user


def start(client, **data):
    response = post_form(client, "/quiz/start", data, form_url="/quiz/practice")
    assert response.status_code == 302, response.data
    return response.location


@pytest.mark.usefixtures("without_explain")
def test_lesson_quiz_answer_feedback_finish_review(app, client, student) -> None:
    url = start(client, mode="lesson", topic="energy")
    assert "/q/1" in url
    page = client.get(url).get_data(as_text=True)
    attempt_id = int(url.split("/")[2])
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        _, version = item_and_version(attempt_id, 1)
        assert attempt.question_count >= 5
    assert "Explanation" not in page and "Correct answer" not in page
    response = answer_current(client, app, url, right=True)
    assert response.status_code == 302
    feedback = client.get(url).get_data(as_text=True)
    assert "Right." in feedback and "Correct answer" in feedback
    assert "Report a problem with this question" in feedback
    url2 = url.replace("/q/1", "/q/2")
    answer_current(client, app, url2, right=False)
    wrong = client.get(url2).get_data(as_text=True)
    assert "Not quite." in wrong or "Partly right" in wrong
    finish = post_form(client, f"/quiz/{attempt_id}/finish", {}, form_url=url)
    assert finish.status_code == 302 and finish.location.endswith("/review")
    review = client.get(finish.location).get_data(as_text=True)
    assert "Question 2" in review and "Not answered." in review
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        total = db.session.scalar(
            select(func.sum(AnswerRecord.score)).where(AnswerRecord.attempt_id == attempt_id)
        )
        assert attempt.status == "finished" and attempt.score == pytest.approx(total)
    history = client.get("/quiz/history").get_data(as_text=True)
    assert f"/quiz/{attempt_id}/review" in history and "lesson" in history


def test_every_question_type_can_be_answered_right(app, client, student) -> None:
    seen: set[str] = set()
    for qtype in (
        "multiple_choice",
        "multiple_select",
        "true_false",
        "numeric",
        "short_text",
        "ordering",
        "matching",
    ):
        url = start(client, mode="practice", types=qtype, count=3)
        attempt_id = int(url.split("/")[2])
        with app.app_context():
            _, version = item_and_version(attempt_id, 1)
        assert version.qtype == qtype
        answer_current(client, app, url, right=True)
        assert "Right." in client.get(url).get_data(as_text=True), qtype
        seen.add(qtype)
    assert len(seen) == 7


def test_double_submit_records_once_and_finished_attempt_is_frozen(app, client, student) -> None:
    url = start(client, mode="lesson", topic="military")
    attempt_id = int(url.split("/")[2])
    token = csrf_token(client.get(url))
    with app.app_context():
        item, version = item_and_version(attempt_id, 1)
        form = answer_form(version, item.presented) | {"csrf_token": token}
    assert client.post(url, data=form).status_code == 302
    assert client.post(url, data=form).status_code == 302
    post_form(client, f"/quiz/{attempt_id}/finish", {}, form_url=url)
    post_form(client, f"/quiz/{attempt_id}/finish", {}, form_url=url)
    url2 = url.replace("/q/1", "/q/2")
    with app.app_context():
        item2, version2 = item_and_version(attempt_id, 2)
        late = answer_form(version2, item2.presented) | {"csrf_token": token}
    response = client.post(url2, data=late, follow_redirects=True)
    assert b"can no longer change" in response.data
    with app.app_context():
        count = db.session.scalar(
            select(func.count(AnswerRecord.id)).where(AnswerRecord.attempt_id == attempt_id)
        )
        assert count == 1


def test_finishing_twice_finalises_once(app, make_user) -> None:
    user = make_user()
    with app.app_context():
        attempt_id = quiz.start_attempt(user.id, QuizRequest(mode="lesson", topic="sco"))
        assert quiz.finish_attempt(user.id, attempt_id) is True
        assert quiz.finish_attempt(user.id, attempt_id) is False


def test_learner_cannot_see_another_learners_attempt(app, client, make_user, auth) -> None:
    owner = make_user()
    with app.app_context():
        attempt_id = quiz.start_attempt(owner.id, QuizRequest(mode="lesson", topic="sco"))
    intruder = make_user()
    auth.login(intruder.email)
    assert client.get(f"/quiz/{attempt_id}/q/1").status_code == 404
    assert client.get(f"/quiz/{attempt_id}/review").status_code == 404


def test_no_question_page_reveals_the_answer(app, client, student) -> None:
    url = start(client, mode="practice", count=20)
    attempt_id = int(url.split("/")[2])
    with app.app_context():
        n = db.session.get(Attempt, attempt_id).question_count
    for position in range(1, n + 1):
        page = client.get(url.replace("/q/1", f"/q/{position}")).get_data(as_text=True)
        with app.app_context():
            _, version = item_and_version(attempt_id, position)
        assert version.explanation[:40] not in page
        assert "checked" not in page and "data-correct" not in page


def test_exam_hides_feedback_until_finished_and_expires(app, client, student) -> None:
    url = start(client, mode="exam", count=4, minutes=30)
    attempt_id = int(url.split("/")[2])
    answer_current(client, app, url, right=False)
    page = client.get(url).get_data(as_text=True)
    assert "Answer saved" in page and "Correct answer" not in page
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        later = attempt.deadline_at + timedelta(seconds=1)
        expired = quiz.get_attempt(student.id, attempt_id, now=later)
        assert expired.status == "expired"
        assert quiz.finish_attempt(student.id, attempt_id, now=later)  # the write closes it
        db.session.remove()
        assert db.session.get(Attempt, attempt_id).status == "expired"
    assert "Correct answer" in client.get(url).get_data(as_text=True)


def test_table_drill_uses_only_that_table(app, client, student) -> None:
    url = start(client, mode="table", table="crude_oil_imports", count=10)
    attempt_id = int(url.split("/")[2])
    with app.app_context():
        tables = set(
            db.session.scalars(
                select(Question.table_id)
                .join(AttemptItem, AttemptItem.question_id == Question.id)
                .where(AttemptItem.attempt_id == attempt_id)
            )
        )
    assert tables == {"crude_oil_imports"}


@pytest.mark.usefixtures("without_explain")
def test_review_and_mistakes_follow_the_learners_history(app, make_user) -> None:
    user = make_user()
    now = utcnow()
    with app.app_context():
        attempt_id = quiz.start_attempt(
            user.id, QuizRequest(mode="lesson", topic="economics", count=3), now=now
        )
        item, version = item_and_version(attempt_id, 1)
        quiz.submit_answer(
            user.id, attempt_id, 1, answer_form(version, item.presented, False), now=now
        )
        quiz.finish_attempt(user.id, attempt_id, now=now)
        with pytest.raises(quiz.QuizError, match="Nothing is due"):
            quiz.start_attempt(user.id, QuizRequest(mode="review"), now=now - timedelta(hours=1))
        tomorrow = now + timedelta(days=1)
        review_id = quiz.start_attempt(user.id, QuizRequest(mode="review"), now=tomorrow)
        review_item, _ = item_and_version(review_id, 1)
        assert review_item.question_id == item.question_id
        mistakes_id = quiz.start_attempt(user.id, QuizRequest(mode="mistakes"), now=tomorrow)
        mistake_item, _ = item_and_version(mistakes_id, 1)
        assert mistake_item.question_id == item.question_id


def test_attempt_never_repeats_a_question(app, make_user) -> None:
    user = make_user()
    with app.app_context():
        attempt_id = quiz.start_attempt(user.id, QuizRequest(mode="practice", count=30))
        ids = list(
            db.session.scalars(
                select(AttemptItem.question_id).where(AttemptItem.attempt_id == attempt_id)
            )
        )
    assert len(ids) == 30 == len(set(ids))


def test_reload_shows_the_same_layout(app, client, student) -> None:
    url = start(client, mode="lesson", topic="military")
    volatile = re.compile(r'name="(csrf_token|rendered_at)"[^>]*>')

    def layout() -> str:
        return volatile.sub("", client.get(url).get_data(as_text=True))

    assert layout() == layout()


def test_bad_answers_get_a_message_not_a_500(app, client, student) -> None:
    url = start(client, mode="practice", types="numeric", count=1)
    token = csrf_token(client.get(url))
    for data in ({}, {"value": ""}, {"value": "x" * 10_000}, {"choice": "nonsense"}):
        response = client.post(url, data=data | {"csrf_token": token})
        assert response.status_code in (302, 400)
    assert client.get("/quiz/999999/q/1").status_code == 404
    assert client.get(url.replace("/q/1", "/q/99")).status_code == 404


def test_history_pages_newest_first_without_counting(app, client, student) -> None:
    now = utcnow()
    with app.app_context():
        ids = [
            quiz.start_attempt(
                student.id,
                QuizRequest(mode="lesson", topic="energy", count=1),
                now=now - timedelta(minutes=n),
            )
            for n in range(23)
        ]
    first = client.get("/quiz/history").get_data(as_text=True)
    second = client.get("/quiz/history?page=2").get_data(as_text=True)
    shown = [int(i) for i in re.findall(r"/quiz/(\d+)/q/1\"", first)]
    assert shown == ids[:20]  # the newest first, a page of 20
    assert [int(i) for i in re.findall(r"/quiz/(\d+)/q/1\"", second)] == ids[20:]
    assert "page=2" in first and "Older" in first and "Newer" not in first
    assert "Newer" in second and "Older" not in second
    beyond = client.get("/quiz/history?page=3").get_data(as_text=True)
    assert "No attempts on this page" in beyond
    assert client.get("/quiz/history?page=-4").status_code == 200
