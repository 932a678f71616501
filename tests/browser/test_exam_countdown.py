"""Issue 19.6: a timed exam shows a countdown with script, and its end time without."""

from __future__ import annotations

import re

import pytest

from sinorus_learn.services import quiz
from sinorus_learn.services.accounts import create_user
from sinorus_learn.services.quiz import QuizRequest
from tests.browser.helpers import PASSWORD, log_in

pytestmark = pytest.mark.browser


def test_exam_countdown_is_an_enhancement(page, live_server, axe_check) -> None:
    with live_server.app.app_context():
        user = create_user("exam@example.org", PASSWORD, "Exam Taker")
        attempt = quiz.start_attempt(user.id, QuizRequest(mode="exam", count=3, minutes=10))
    log_in(page, "exam@example.org")
    page.goto(f"/quiz/{attempt}/q/1")
    assert "time limit ends at" in page.inner_text("main")
    countdown = page.locator(".countdown")
    assert re.fullmatch(r"(9|10) min \d\d s left", countdown.inner_text()), countdown.inner_text()
    axe_check(page)

    plain = page.context.browser.new_context(java_script_enabled=False, base_url=live_server.url)
    plain.add_cookies(page.context.cookies())
    bare = plain.new_page()
    bare.goto(f"/quiz/{attempt}/q/1")
    assert "time limit ends at" in bare.inner_text("main")
    assert bare.locator(".countdown").count() == 0
    plain.close()
