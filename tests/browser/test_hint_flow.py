"""Issue 17 point 4: a student asks for a hint, answers right, and the result, the review and
the scheduler treat it as answered with a hint (at most Hard); with and without JavaScript."""

from __future__ import annotations

import re

import pytest
from fsrs import Rating
from sqlalchemy import select

from sinorus_learn.extensions import db
from sinorus_learn.models import AnswerRecord, AttemptItem, QuestionVersion
from sinorus_learn.services import quiz
from sinorus_learn.services.accounts import create_user
from sinorus_learn.services.quiz import QuizRequest
from tests.browser.helpers import PASSWORD, answer_with_keyboard, key_for, log_in, press_link

pytestmark = pytest.mark.browser


def _hint_of(app, question_id: int) -> str:
    with app.app_context():
        hint = db.session.scalar(
            select(QuestionVersion.hint).where(QuestionVersion.question_id == question_id)
        )
        db.session.remove()
    assert hint, "every generated question carries a hint"
    return hint


def _answer_of(app, attempt_id: int, position: int) -> AnswerRecord:
    with app.app_context():
        record = db.session.scalars(
            select(AnswerRecord)
            .join(AttemptItem, AttemptItem.id == AnswerRecord.attempt_item_id)
            .where(AttemptItem.attempt_id == attempt_id, AttemptItem.position == position)
        ).one()
        db.session.remove()
    return record


def _ask_answer_and_check(page, app, url: str, position: int, axe_check=None) -> None:
    page.goto(url)
    key = key_for(app, page.url)
    hint = _hint_of(app, key.question_id)
    assert hint not in page.content()  # not in the page, not even hidden
    if axe_check:
        axe_check(page)  # the question with its "Show a hint" button
    press_link(page, "Show a hint")
    assert page.url.endswith(f"/q/{position}#hint"), page.url
    assert page.get_by_role("heading", name="Hint").is_visible()
    assert hint in page.locator("#hint").inner_text()
    assert page.get_by_role("button", name="Show a hint").count() == 0
    if axe_check:
        axe_check(page)  # the question with its hint shown
    answer_with_keyboard(page, key)
    feedback = page.locator(".feedback").first.inner_text()
    assert "Right." in feedback and "answered with a hint" in feedback, feedback
    if axe_check:
        axe_check(page)
    record = _answer_of(app, key.attempt_id, position)
    assert record.correct and record.hinted
    assert record.rating <= Rating.Hard  # a right answer given with a hint is at most Hard


def test_a_hint_asked_marks_the_answer_and_its_review(page, live_server, axe_check) -> None:
    app = live_server.app
    with app.app_context():
        user = create_user("hints@example.org", PASSWORD, "Hint Seeker")
        attempt = quiz.start_attempt(
            user.id, QuizRequest(mode="table", table="crude_oil_imports", count=2), seed=5
        )
        db.session.remove()
    log_in(page, "hints@example.org")
    _ask_answer_and_check(page, app, f"/quiz/{attempt}/q/1", 1, axe_check)

    # Without JavaScript: the same flow, forms and redirects only.
    plain = page.context.browser.new_context(java_script_enabled=False, base_url=live_server.url)
    plain.add_cookies(page.context.cookies())
    bare = plain.new_page()
    bare.set_default_timeout(15_000)
    _ask_answer_and_check(bare, app, f"/quiz/{attempt}/q/2", 2)
    plain.close()

    page.goto(f"/quiz/{attempt}/q/2")
    press_link(page, "Finish and see results")
    page.wait_for_url(re.compile(r"/quiz/\d+/review$"))
    assert page.locator("main").inner_text().count("answered with a hint") == 2
    axe_check(page)
