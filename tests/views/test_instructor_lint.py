"""The authoring preview lists the item-lint findings for the question being written."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from tests.conftest import post_form

NEW = "/instructor/questions/new"


@pytest.fixture
def instructor(make_user, auth) -> Any:
    user = make_user("instructor")
    auth.login(user.email)
    return user


def findings(page: str) -> list[str]:
    """Return the listed findings as plain text, one per item."""
    section = page.split('id="item-check"', 1)[1].split("</section>", 1)[0]
    items = re.findall(r'<li class="lint-(error|warning)">(.*?)</li>', section, re.S)
    return [
        f"{level}: {html.unescape(re.sub(r'<[^>]+>', '', text)).strip()}" for level, text in items
    ]


def author(client: Any, **fields: str) -> str:
    data = {
        "qtype": "multiple_choice",
        "topic": "energy",
        "difficulty": "1",
        "level": "data",
        "objectives": ["energy.oil-table"],
        **fields,
    }
    response = post_form(client, NEW, data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_preview_lists_errors_and_warnings(app, client, instructor) -> None:
    page = author(
        client,
        prompt="Which is NOT the the main supplier of China's crude oil?",
        choices="Saudi Arabia\nRussia\nAngola",
        correct="Saudi Arabia",
        explanation="",
    )
    listed = findings(page)
    assert "error: Error doubled-word: doubled words 'the the'" in listed
    assert "error: Error unbolded-not: write the negation in bold: **NOT**" in listed
    assert any(item.startswith("error: Error empty-explanation") for item in listed)
    assert any(item.startswith("warning: Warning longest-correct") for item in listed)
    # The authoring form requires objectives and a level, so the preview never lacks them.
    assert not any("missing-objective" in item or "missing-level" in item for item in listed)
    assert re.search(r"\d+ error\(s\), 1 warning\(s\)", page)


def test_preview_escapes_what_the_findings_quote(app, client, instructor) -> None:
    page = author(
        client,
        prompt="Is <b>Russia</b> the supplier named in the table?",
        choices="<b>Russia</b>\nAngola\nOman",
        correct="<b>Russia</b>",
        explanation="From the table.",
    )
    section = page.split('id="item-check"', 1)[1].split("</section>", 1)[0]
    assert "answer-in-stem" in section
    assert "&#39;&lt;b&gt;Russia&lt;/b&gt;&#39;" in section
    assert "<b>Russia</b>" not in section


def test_preview_of_a_sound_question_lists_nothing(app, client, instructor) -> None:
    page = author(
        client,
        prompt="Which country does the report name as China's main crude supplier in 2006?",
        choices="Angola\nRussia\nSaudi Arabia",
        correct="Russia",
        explanation="Russia ranked behind Saudi Arabia and Angola: rail limits its deliveries.",
    )
    assert findings(page) == []
    assert "No findings: the question passes the item-writing rules." in page
