"""Issue 17.3: a quiz with "rate my confidence" on, answered with levels by keyboard; the
confidence marks beside the score; calibration as a chart and a table; and the same without
JavaScript."""

from __future__ import annotations

import re

import pytest

from sinorus_learn.domain import confidence
from sinorus_learn.domain.confidence import Certainty
from sinorus_learn.domain.mastery import percent
from tests.browser.helpers import (
    EASY_TO_MISS,
    QUESTION_URL,
    answer_with_keyboard,
    key_for,
    press_link,
    register,
)

pytestmark = pytest.mark.browser

LEVELS = [Certainty.LOW, Certainty.MID, Certainty.HIGH]


def test_confidence_quiz_marks_and_calibration(page, live_server, axe_check) -> None:
    register(page, "Sure Student", "sure@example.org")
    page.goto("/account/password")
    page.get_by_label("Ask how sure I am with each answer").check()
    page.get_by_role("button", name="Save preferences").click()
    assert "Your preferences are saved." in page.inner_text("main")
    assert page.get_by_label("Ask how sure I am with each answer").is_checked()
    axe_check(page)

    page.goto("/lessons/energy")
    assert page.get_by_label("Rate my confidence").is_checked()  # from the account default
    press_link(page, "Take the lesson quiz")
    assert page.get_by_role("group", name=re.compile("How sure are you")).is_visible()
    axe_check(page)  # a question with the confidence levels

    total = int(re.search(r"of (\d+)", page.locator("main p.muted").first.inner_text())[1])
    given: list[tuple[Certainty, bool]] = []
    for position in range(1, total + 1):
        key = key_for(live_server.app, page.url)
        wrong = not given and key.qtype in EASY_TO_MISS  # the first easy miss, "very sure"
        level = Certainty.HIGH if wrong else LEVELS[position % 3]
        answer_with_keyboard(page, key, wrong=wrong, certainty=int(level))
        mark = confidence.mark(0.0 if wrong else 1.0, level)
        expected = confidence.describe(mark, level, 0.0 if wrong else 1.0)
        assert page.locator(".cbm-mark").inner_text().strip() == expected
        given.append((level, not wrong))
        if position < total:
            press_link(page, "Next question")
    axe_check(page)  # feedback with its confidence mark
    press_link(page, "Finish and see results")
    assert page.url.endswith("/review"), page.url
    marks = confidence.total(
        confidence.mark(1.0 if right else 0.0, level) for level, right in given
    )
    line = page.locator(".cbm-total").inner_text()
    assert f"Confidence marks: {confidence.signed(marks.total)} of a possible {3 * total}" in line
    assert page.locator("h1").inner_text().endswith(f"/ {total}")  # the plain score beside
    axe_check(page)

    page.goto("/progress")
    assert page.get_by_role("heading", name="Calibration").is_visible()
    chart = page.locator("svg#calibration-chart, svg[aria-labelledby^='calibration-chart']")
    assert chart.count() == 1
    table = page.get_by_role("table", name=re.compile("Accuracy at each confidence level"))
    for level in Certainty:
        answers = [right for lv, right in given if lv is level]
        row = table.get_by_role("row").filter(has_text=level.label).inner_text()
        cells = row.split("\t")
        assert cells[1].strip() == level.claim
        assert cells[2].strip() == str(len(answers)), row
        assert cells[3].strip() == str(sum(answers)), row
        accuracy = f"{percent(sum(answers), len(answers))}%" if answers else "—"
        assert cells[4].strip() == accuracy, row
    axe_check(page)


def test_confidence_quiz_without_javascript(page, live_server) -> None:
    register(page, "Plain Student", "plain@example.org")
    context = page.context.browser.new_context(java_script_enabled=False, base_url=live_server.url)
    context.add_cookies(page.context.cookies())
    bare = context.new_page()
    bare.goto("/quiz/practice")
    assert not bare.get_by_label("Rate my confidence").is_checked()
    bare.get_by_label("Multiple choice").check()
    bare.get_by_label("Rate my confidence").check()
    bare.get_by_label("Number of questions").fill("2")
    bare.get_by_role("button", name="Start").click()
    assert QUESTION_URL.search(bare.url), bare.url
    key = key_for(live_server.app, bare.url)
    bare.get_by_label(key.answer, exact=True).check()
    bare.get_by_role("button", name="Submit answer").click()  # no level: the browser refuses
    assert QUESTION_URL.search(bare.url) and "#feedback" not in bare.url
    bare.get_by_label("Fairly sure").check()
    bare.get_by_role("button", name="Submit answer").click()
    bare.wait_for_url(re.compile("#feedback$"))
    assert bare.locator(".cbm-mark").inner_text().strip() == "+2 (fairly sure, right)"
    context.close()
