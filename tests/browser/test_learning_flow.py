"""Issue 4: a student takes a lesson quiz with the keyboard only and sees the results."""

from __future__ import annotations

import re

import pytest

from tests.browser.helpers import (
    EASY_TO_MISS,
    QUESTION_URL,
    answer_with_keyboard,
    key_for,
    press_link,
    register,
    tab_until,
)

pytestmark = pytest.mark.browser

LESSON = "energy"
TOPIC_TITLE = "Energy"


def test_keyboard_only_lesson_quiz_review_history_and_progress(
    page, live_server, axe_check
) -> None:
    register(page, "Student Keys", "keys@example.org")
    page.goto("/progress")
    row = page.get_by_role("row").filter(has_text=TOPIC_TITLE).first
    assert "Not started" in row.inner_text()

    page.goto(f"/lessons/{LESSON}")
    press_link(page, "Take the lesson quiz")
    assert QUESTION_URL.search(page.url), page.url
    axe_check(page)  # a question, before answering

    missed = None
    total = int(re.search(r"of (\d+)", page.locator("main p.muted").first.inner_text())[1])
    for position in range(1, total + 1):
        assert page.url.endswith(f"/q/{position}"), page.url
        key = key_for(live_server.app, page.url)
        wrong = missed is None and key.qtype in EASY_TO_MISS
        answer_with_keyboard(page, key, wrong=wrong)
        verdict = page.locator(".feedback strong").inner_text()
        if wrong:
            missed = key
            assert verdict == "Not quite.", verdict
            summary = page.locator("dl.answer-summary").inner_text()
            assert "Correct answer" in summary
            assert page.get_by_role("heading", name="Explanation").is_visible()
            assert page.locator(".explanation").inner_text().strip()
            # The report form opens with the keyboard and is axe-clean when open.
            tab_until(page, "el => el.textContent.trim() === 'Report a problem with this question'")
            page.keyboard.press("Enter")
            assert page.get_by_label("What looks wrong?").is_visible()
            axe_check(page)  # feedback on a wrong answer, report form open
        else:
            assert verdict == "Right.", f"{key.qtype} at {position}: {verdict}"
        if position < total:
            press_link(page, "Next question")
        else:
            axe_check(page)  # feedback on a right answer
            press_link(page, "Finish and see results")
    assert missed is not None, "no question of a type that can be answered plainly wrong"

    page.wait_for_url(re.compile(r"/quiz/\d+/review$"))
    heading = page.get_by_role("heading", level=1).inner_text()
    assert f"{total - 1}.0 / {total}" in heading, heading
    assert page.locator("main").inner_text().count("Not quite.") == 1
    axe_check(page)

    page.goto("/quiz/history")
    history_row = page.get_by_role("row").filter(has_text="lesson").first
    assert "finished" in history_row.inner_text()
    assert f"{total - 1}.0 / {total}" in history_row.inner_text()
    axe_check(page)
    history_row.get_by_role("link", name=re.compile("Review")).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/quiz/{missed.attempt_id}/review")

    page.goto("/progress")
    row = page.get_by_role("row").filter(has_text=TOPIC_TITLE).first
    assert "Not started" not in row.inner_text()
    assert f"{total} of" in row.inner_text()
    axe_check(page)
    # each row's button submits the page's one topic form with its own topic
    row.get_by_role("button", name=f"Quiz on {TOPIC_TITLE}").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(QUESTION_URL)
    assert f"Lesson quiz on {TOPIC_TITLE}" in page.content()

    page.goto("/review")
    assert page.get_by_role("heading", level=1).is_visible()
    axe_check(page)


def test_keyboard_answers_ordering_and_matching(page, live_server, axe_check) -> None:
    """Selects (ordering positions, matching options) are set with arrow keys alone."""
    register(page, "Student Arrows", "arrows@example.org")
    page.goto("/quiz/practice")
    for name in ("Ordering", "Matching"):
        tab_until(page, "(el, n) => el.labels && el.labels[0]?.textContent.trim() === n", name)
        page.keyboard.press("Space")
    tab_until(page, "el => el.name === 'count'")
    page.keyboard.press("Control+A")
    page.keyboard.type("30")
    press_link(page, "Start")
    assert QUESTION_URL.search(page.url), page.url
    seen: set[str] = set()
    while True:
        key = key_for(live_server.app, page.url)
        assert key.qtype in ("ordering", "matching")
        if key.qtype not in seen:
            axe_check(page)
        answer_with_keyboard(page, key)
        assert page.locator(".feedback strong").inner_text() == "Right.", key
        seen.add(key.qtype)
        if seen == {"ordering", "matching"}:
            break
        press_link(page, "Next question")
    press_link(page, "Finish and see results")
    page.wait_for_url(re.compile(r"/review$"))
