"""Issue 5: an instructor writes a numeric question and a class; a student answers it."""

from __future__ import annotations

import re

import pytest

from sinorus_learn.services.accounts import create_user
from tests.browser.helpers import (
    PASSWORD,
    QUESTION_URL,
    answer_with_keyboard,
    key_for,
    log_in,
    log_out,
    press_link,
    register,
)

pytestmark = pytest.mark.browser

PROMPT = "How many permanent members does the UN Security Council have (browser test)?"
WRONG_ANSWER = "42"


def test_instructor_class_numeric_question_and_student_answer(page, live_server, axe_check) -> None:
    with live_server.app.app_context():
        create_user("admin@example.org", PASSWORD, "Site Admin", role="admin")
        create_user("teacher@example.org", PASSWORD, "Teacher Tao", role="instructor")

    # The instructor creates a class and reads its join code.
    log_in(page, "teacher@example.org")
    page.goto("/instructor/")
    axe_check(page)
    page.get_by_label("Class name").fill("Russia 101")
    page.get_by_role("button", name="Create class").click()
    page.wait_for_url(re.compile(r"/instructor/classes/\d+$"))
    class_url = page.url
    code = page.locator("main code").first.inner_text().strip()
    assert code and code in page.locator(".flashes").inner_text()
    axe_check(page)

    # ... writes a numeric question through the form ...
    page.goto("/instructor/questions/new")
    axe_check(page)
    page.get_by_label("Question type").select_option("numeric")
    page.get_by_label("Prompt").fill(PROMPT)
    page.get_by_label("Topic").select_option("united-nations")
    page.get_by_label("Numeric answer").fill("5")
    page.get_by_label("Tolerance (±)").fill("0")
    page.get_by_label("Explanation").fill("China and Russia are two of the **five** members.")
    page.get_by_label("Level", exact=True).select_option("recall")
    page.get_by_label("Objectives", exact=True).select_option(["united-nations.coordination"])
    page.get_by_label("Footnotes (optional)").fill("")
    page.get_by_role("button", name="Save question").click()
    page.wait_for_url(re.compile(r"/instructor/questions/\d+/preview$"))
    question_id = int(re.search(r"/questions/(\d+)/", page.url)[1])
    assert "Nobody has answered it yet." in page.inner_text("main")
    axe_check(page)
    page.get_by_label(re.compile("Your answer")).fill("5")
    page.get_by_role("button", name="Check my answer").click()
    assert page.locator(".feedback strong").inner_text() == "Right."
    axe_check(page)  # preview with graded feedback

    page.goto("/instructor/questions?qtype=numeric&topic=united-nations")
    assert PROMPT[:40] in page.inner_text("main")
    axe_check(page)
    page.goto("/instructor/health")
    axe_check(page)
    page.goto("/instructor/reports")
    axe_check(page)
    log_out(page)

    # A student registers, joins the class and answers the question in practice.
    register(page, "Student Sam", "sam@example.org")
    page.goto("/classes/join")
    axe_check(page)
    page.get_by_label("Join code").fill(code)
    page.get_by_role("button", name="Join class").click()
    assert "You joined “Russia 101”." in page.inner_text("main")
    axe_check(page)

    page.goto("/quiz/practice")
    axe_check(page)
    page.get_by_role("checkbox", name="United Nations").check()
    page.get_by_role("checkbox", name="Numeric").check()
    page.get_by_label("Number of questions").fill("30")
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(QUESTION_URL)
    total = int(re.search(r"of (\d+)", page.locator("main p.muted").first.inner_text())[1])
    for position in range(1, total + 1):
        page.goto(re.sub(r"/q/\d+$", f"/q/{position}", page.url))
        key = key_for(live_server.app, page.url)
        if key.question_id == question_id:
            break
    else:
        pytest.fail("the practice quiz on United Nations × Numeric left the new question out")
    assert PROMPT in page.locator(".prompt").inner_text()
    answer_with_keyboard(page, key, wrong=True, wrong_text=WRONG_ANSWER)
    assert page.locator(".feedback strong").inner_text() == "Not quite."
    page.get_by_text("Report a problem with this question").click()
    page.get_by_label("What looks wrong?").fill("Is 5 right for every year of the report?")
    page.get_by_role("button", name="Send report").click()
    assert "your report was sent" in page.locator(".flashes").inner_text()
    press_link(page, "Finish and see results")
    page.wait_for_url(re.compile(r"/review$"))
    log_out(page)

    # The instructor sees the answer on the class dashboard and in the item statistics.
    log_in(page, "teacher@example.org")
    page.goto(class_url)
    board = page.get_by_role("table", name="Students × topics")
    student_row = board.get_by_role("row").filter(has_text="Student Sam")
    assert student_row.count() == 1
    cells = student_row.get_by_role("cell").all_inner_texts()
    assert "1" in cells and "0%" in cells, cells  # one answer, none right
    assert "practice" in page.get_by_role("table", name="Latest quizzes of the class").inner_text()
    axe_check(page)

    student_row.get_by_role("link", name="Student Sam").click()
    page.wait_for_url(re.compile(r"/students/\d+$"))
    assert "practice" in page.inner_text("main")
    axe_check(page)

    page.goto(class_url + "/items")
    item_row = page.get_by_role("row").filter(has_text=PROMPT[:40])
    assert item_row.count() == 1
    assert f"{WRONG_ANSWER} (1×)" in item_row.inner_text()
    axe_check(page)

    page.goto("/instructor/items")
    item_row = page.get_by_role("row").filter(has_text=PROMPT[:40])
    assert f"{WRONG_ANSWER} (1×)" in item_row.inner_text()
    axe_check(page)

    page.goto("/instructor/reports")
    assert "Is 5 right for every year" in page.inner_text("main")
    axe_check(page)  # an open report with its resolve form

    page.goto(f"/instructor/questions/{question_id}/preview")
    heading = page.get_by_role("heading", name="Statistics (all learners)")
    stats = page.locator("section", has=heading)
    assert "answers: 1" in stats.inner_text() and WRONG_ANSWER in stats.inner_text()
    axe_check(page)  # preview with statistics
