"""Issue 19.9: an instructor's reply to a problem report reaches the student who sent it."""

from __future__ import annotations

import pytest

from sinorus_learn.services import quiz
from sinorus_learn.services.quiz import QuizRequest
from tests.conftest import post_form
from tests.support.quiz import answer_form, item_and_version

pytestmark = pytest.mark.usefixtures("content")

NOTICE = "An instructor replied to your problem report"


def _answer_and_report(app, client, student) -> tuple[str, int]:
    with app.app_context():
        attempt_id = quiz.start_attempt(
            student.id, QuizRequest(mode="lesson", topic="energy", count=1)
        )
        item, version = item_and_version(attempt_id, 1)
        quiz.submit_answer(student.id, attempt_id, 1, answer_form(version, item.presented))
    url = f"/quiz/{attempt_id}/q/1"
    sent = post_form(client, f"{url}/report", {"note": "The <b>key</b> looks wrong"}, form_url=url)
    assert sent.status_code == 302
    return url, item.question_id


def test_reply_reaches_the_student_until_marked_read(app, client, make_user, auth) -> None:
    student, other, teacher = make_user(), make_user(), make_user("instructor")
    auth.login(student.email)
    url, _ = _answer_and_report(app, client, student)
    mine = client.get("/reports").get_data(as_text=True)
    assert "waiting for an instructor" in mine and "&lt;b&gt;key&lt;/b&gt;" in mine
    assert NOTICE not in client.get("/topics").get_data(as_text=True)
    auth.logout()

    auth.login(teacher.email)
    reports = client.get("/instructor/reports").get_data(as_text=True)
    report_id = int(reports.split("/instructor/reports/")[1].split("/resolve")[0])
    reply = "The key is right: see **table 1**. <script>alert(1)</script>"
    post_form(
        client,
        f"/instructor/reports/{report_id}/resolve",
        {"action": "dismiss", "reply": reply},
        form_url="/instructor/reports",
    )
    auth.logout()

    auth.login(other.email)
    assert NOTICE not in client.get("/topics").get_data(as_text=True)
    assert "table 1" not in client.get("/reports").get_data(as_text=True)
    auth.logout()

    auth.login(student.email)
    topics = client.get("/topics").get_data(as_text=True)
    assert NOTICE in topics and 'href="/reports"' in topics
    inbox = client.get("/reports").get_data(as_text=True)
    assert "<strong>table 1</strong>" in inbox and "new reply" in inbox
    assert "<script>" not in inbox
    feedback = client.get(url).get_data(as_text=True)
    assert "The instructor replied" in feedback and "<strong>table 1</strong>" in feedback

    post_form(client, "/reports/read", {}, form_url="/reports")
    assert NOTICE not in client.get("/topics").get_data(as_text=True)
    inbox = client.get("/reports").get_data(as_text=True)
    assert "<strong>table 1</strong>" in inbox and "new reply" not in inbox


def test_marking_read_needs_a_login_and_a_csrf_token(client, make_user, auth) -> None:
    assert client.get("/reports").status_code == 302  # to the login page
    assert client.post("/reports/read").status_code == 400  # no CSRF token
    auth.login(make_user().email)
    assert client.post("/reports/read").status_code == 400
