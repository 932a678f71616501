"""Issue 19.3: a skip link reaches the answer in two keys; after submitting, focus is on the
feedback heading, so the verdict is read next and Tab goes on from there."""

from __future__ import annotations

import pytest

from tests.browser.helpers import QUESTION_URL, answer_with_keyboard, key_for, press_link, register

pytestmark = pytest.mark.browser

ACTIVE = (
    "(() => { const el = document.activeElement; return [el.tagName, el.id, el.name || ''] })()"
)


def test_skip_link_reaches_the_answer_and_focus_follows_the_feedback(
    page, live_server, axe_check
) -> None:
    register(page, "Student Focus", "focus@example.org")
    page.goto("/lessons/energy")
    press_link(page, "Take the lesson quiz")
    assert QUESTION_URL.search(page.url), page.url

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to the answer"
    assert page.get_by_role("link", name="Skip to the answer").is_visible()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    tag, _, name = page.evaluate(ACTIVE)
    assert tag in ("INPUT", "SELECT", "TEXTAREA") and name, (tag, name)  # the first answer control

    page.goto(page.url.split("#")[0])
    key = key_for(live_server.app, page.url)
    answer_with_keyboard(page, key)
    assert page.url.endswith("#feedback"), page.url
    assert page.evaluate(ACTIVE)[:2] == ["H2", "feedback"]
    assert page.get_by_role("heading", name="Feedback", level=2).is_visible()
    page.keyboard.press("Tab")  # onwards from the feedback, not from the top of the page
    assert page.evaluate("document.activeElement.closest('main') !== null")
    axe_check(page)
