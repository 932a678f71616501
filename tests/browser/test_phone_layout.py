"""Issue 19.2: every student and instructor page fits a 390 x 844 phone without sideways
scrolling, and stays axe-clean there."""

from __future__ import annotations

from typing import Any

import pytest

from sinorus_learn.services import classes, problems, quiz
from sinorus_learn.services.accounts import create_user
from sinorus_learn.services.quiz import QuizRequest
from tests.browser.helpers import OVERFLOW, PASSWORD, log_in, log_out
from tests.support.quiz import answer_form, item_and_version

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PUBLIC_PAGES = (
    "/",
    "/topics",
    "/timeline",
    "/tables",
    "/account/login",
    "/account/register",
    "/account/forgot",
    "/lessons/military",
    "/search?q=oil+pipeline",
    '/search?q="strategic+partnership"+1996',
    "/search?q=NEAR(",
)
TABLE_PAGES = (
    "/tables/crude_oil_imports?row=2005",
    "/tables/arms_transfers",
    "/tables/border_islands?row=Amur",
    "/tables/trade_2006",
    "/tables/export_commodities",
)
STUDENT_PAGES = (
    "/topics",
    "/lessons/economics",
    "/quiz/practice",
    "/quiz/exam",
    "/quiz/history",
    "/progress",
    "/review",
    "/reports",
    "/classes/join",
    "/account/password",
    "/search?q=sanctions",
)
INSTRUCTOR_PAGES = (
    "/instructor/",
    "/instructor/questions",
    "/instructor/questions/new",
    "/instructor/questions/import",
    "/instructor/questions/export",
    "/instructor/items",
    "/instructor/reports",
    "/instructor/health",
    "/admin/users",
)


def _seed(app: Any) -> dict[str, int]:
    """A class whose student has answered a quiz and reported a question."""
    with app.app_context():
        create_user("admin@example.org", PASSWORD, "Site Admin", role="admin")
        teacher = create_user("teacher@example.org", PASSWORD, "Teacher Tao", role="instructor")
        student = create_user("student@example.org", PASSWORD, "Student Sun")
        room = classes.create_class(teacher.id, "Russia 101")
        classes.join_class(student.id, room.join_code)
        attempt_id = quiz.start_attempt(
            student.id, QuizRequest(mode="lesson", topic="economics", count=3)
        )
        for position in (1, 2, 3):
            item, version = item_and_version(attempt_id, position)
            quiz.submit_answer(
                student.id,
                attempt_id,
                position,
                answer_form(version, item.presented, position != 2),
            )
        item, version = item_and_version(attempt_id, 1)
        problems.report_problem(student.id, item.question_id, version.id, "Is this right?")
        quiz.finish_attempt(student.id, attempt_id)
        return {
            "class": room.id,
            "student": student.id,
            "attempt": attempt_id,
            "question": item.question_id,
        }


def _fits(page: Any, path: str, axe_check: Any) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    measured = page.evaluate(OVERFLOW)
    assert measured["scroll"] <= measured["width"], f"{path} scrolls sideways: {measured}"
    axe_check(page)


def test_every_page_fits_a_phone(page, live_server, axe_check) -> None:
    ids = _seed(live_server.app)
    page.set_viewport_size(PHONE)
    for path in PUBLIC_PAGES + TABLE_PAGES:
        _fits(page, path, axe_check)

    log_in(page, "student@example.org")
    attempt = ids["attempt"]
    for path in (*STUDENT_PAGES, f"/quiz/{attempt}/review", f"/quiz/{attempt}/q/1"):
        _fits(page, path, axe_check)
    log_out(page)

    log_in(page, "teacher@example.org")
    room, student, question = ids["class"], ids["student"], ids["question"]
    for path in (
        *INSTRUCTOR_PAGES[:-1],
        f"/instructor/classes/{room}",
        f"/instructor/classes/{room}/items",
        f"/instructor/classes/{room}/students/{student}",
        f"/instructor/questions/{question}/edit",
        f"/instructor/questions/{question}/preview",
    ):
        _fits(page, path, axe_check)
    log_out(page)

    log_in(page, "admin@example.org")
    _fits(page, "/admin/users", axe_check)
    _fits(page, "/admin/users/new", axe_check)
