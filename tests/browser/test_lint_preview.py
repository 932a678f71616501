"""Issue 14: the authoring preview shows the item-lint findings of the question being written."""

from __future__ import annotations

import re

import pytest

from sinorus_learn.services.accounts import create_user
from tests.browser.helpers import PASSWORD, log_in

pytestmark = pytest.mark.browser


def test_preview_lists_lint_findings(page, live_server, axe_check) -> None:
    with live_server.app.app_context():
        create_user("writer@example.org", PASSWORD, "Writer Wu", role="instructor")
    log_in(page, "writer@example.org")
    page.goto("/instructor/questions/new")
    page.get_by_label("Question type").select_option("multiple_choice")
    page.get_by_label("Prompt").fill(
        "Which body did China and Russia use to veto the the resolution?"
    )
    page.get_by_label("Topic").select_option("united-nations")
    page.get_by_label("Choices or items, one per line").fill(
        "The General Assembly\nThe UN Security Council, as permanent members\nAll of the above"
    )
    page.get_by_label("Correct answer(s), one per line").fill(
        "The UN Security Council, as permanent members"
    )
    page.get_by_label("Explanation").fill("Both hold a permanent seat and so a veto.")
    page.get_by_label("Level", exact=True).select_option("recall")
    page.get_by_label("Objectives", exact=True).select_option(["united-nations.joint-veto"])
    page.get_by_role("button", name="Save question").click()
    page.wait_for_url(re.compile(r"/instructor/questions/\d+/preview$"))

    check = page.get_by_role("heading", name="Item check")
    assert check.is_visible()
    findings = page.locator("ul.lint-findings").inner_text()
    assert "doubled-word" in findings  # "the the"
    assert "all-none-above" in findings
    assert "longest-correct" in findings
    summary = page.locator("#item-check + p").inner_text()
    assert re.match(r"[1-9]\d* error\(s\), [1-9]\d* warning\(s\)", summary), summary
    axe_check(page)
