"""Browser helpers: accounts, keyboard-only answering, and reading the answer key from the DB."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import Flask
from sqlalchemy import select

from sinorus_learn.extensions import db
from sinorus_learn.models import AttemptItem, QuestionVersion

PASSWORD = "correct horse battery"
QUESTION_URL = re.compile(r"/quiz/(\d+)/q/(\d+)$")
# Types where a deliberately wrong answer scores 0 ("Not quite."), not partial credit.
EASY_TO_MISS = ("multiple_choice", "true_false", "numeric", "short_text")
MAX_TABS = 80


def fill_account_form(page: Any, name: str, email: str) -> None:
    page.get_by_label("Your name").fill(name)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Repeat the password").fill(PASSWORD)


def register(page: Any, name: str, email: str) -> None:
    """Register a student account through the form (it logs the student in)."""
    page.goto("/account/register")
    fill_account_form(page, name, email)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(re.compile(r"/topics$"))


def log_in(page: Any, email: str) -> None:
    page.goto("/account/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/account/login" not in url)


def log_out(page: Any) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()


# ---------------------------------------------------------------- keyboard


def tab_until(page: Any, predicate: str, arg: Any = None) -> None:
    """Press Tab until the focused element satisfies the JS ``predicate(el, arg)``."""
    check = f"(arg) => {{ const el = document.activeElement; return ({predicate})(el, arg); }}"
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(check, arg):
            return
    raise AssertionError(f"no focusable element matching {predicate} within {MAX_TABS} tabs")


def press_link(page: Any, text: str) -> None:
    """Tab to the link or button whose text is ``text`` and activate it with Enter."""
    tab_until(page, "(el, t) => el.textContent.trim() === t", text)
    with page.expect_navigation():
        page.keyboard.press("Enter")


@dataclass(frozen=True)
class Key:
    """What the database says about the question on screen."""

    attempt_id: int
    position: int
    qtype: str
    presented: dict[str, Any]
    answer: Any
    question_id: int


def key_for(app: Flask, url: str) -> Key:
    """Read the answer key of the question at ``url`` through the app's models."""
    match = QUESTION_URL.search(url)
    assert match, url
    attempt_id, position = int(match[1]), int(match[2])
    with app.app_context():
        item = db.session.scalars(
            select(AttemptItem).where(
                AttemptItem.attempt_id == attempt_id, AttemptItem.position == position
            )
        ).one()
        version = db.session.get(QuestionVersion, item.question_version_id)
        assert version is not None
        key = Key(
            attempt_id,
            position,
            version.qtype,
            dict(item.presented or {}),
            version.answer,
            item.question_id,
        )
        db.session.remove()
    return key


def number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def answer_with_keyboard(
    page: Any,
    key: Key,
    *,
    wrong: bool = False,
    wrong_text: str | None = None,
    certainty: int | None = None,
) -> None:
    """Answer the question on screen with Tab, Space, arrows and typing; with ``certainty``
    (1-3), choose how sure in the "How sure are you?" group; submit with Enter."""
    qtype, p, answer = key.qtype, key.presented, key.answer
    if qtype in ("multiple_choice", "true_false"):
        options = p["choices"] if qtype == "multiple_choice" else ["true", "false"]
        right = answer if qtype == "multiple_choice" else ("true" if answer else "false")
        index = options.index(right)
        if wrong:
            index = (index + 1) % len(options)
        tab_until(page, "el => el.name === 'choice'")  # lands on the group's first radio
        if index == 0:
            page.keyboard.press("Space")
        for _ in range(index):
            page.keyboard.press("ArrowDown")  # moves the focus and checks the radio
        assert page.evaluate("document.activeElement.checked")
        assert page.evaluate("document.activeElement.value") == options[index]
    elif qtype == "multiple_select":
        assert not wrong, "a wrong multiple-select answer may earn partial credit"
        for choice in p["choices"]:
            tab_until(page, "(el, v) => el.name === 'choice' && el.value === v", choice)
            if choice in answer:
                page.keyboard.press("Space")
    elif qtype in ("numeric", "short_text"):
        if qtype == "numeric":
            value = float(answer["value"])
            miss = value + 10 * float(answer.get("tolerance") or 0) + 1000
            text = (wrong_text or number_text(miss)) if wrong else number_text(value)
        else:
            text = (wrong_text or "definitely not this") if wrong else answer[0]
        tab_until(page, "el => el.name === 'value'")
        page.keyboard.type(text)
    elif qtype == "ordering":
        assert not wrong
        for index, item in enumerate(p["items"]):
            tab_until(page, "(el, id) => el.id === id", f"position-{index}")
            for _ in range(list(answer).index(item) + 1):
                page.keyboard.press("ArrowDown")
    elif qtype == "matching":
        assert not wrong
        pairs = {left: right for left, right in answer}
        for index, left in enumerate(p["lefts"]):
            tab_until(page, "(el, id) => el.id === id", f"match-{index}")
            for _ in range(p["options"].index(pairs[left]) + 1):
                page.keyboard.press("ArrowDown")
    elif qtype == "explain":
        assert not wrong, "an explanation is scored by the learner's own ticks"
        tab_until(page, "el => el.name === 'text'")
        page.keyboard.type(EXPLANATION)
    else:
        raise AssertionError(f"unknown question type {qtype}")
    if certainty is not None:
        tab_until(page, "el => el.name === 'certainty'")  # the group's first level
        page.keyboard.press("Space")
        for _ in range(certainty - 1):
            page.keyboard.press("ArrowDown")
        assert page.evaluate("document.activeElement.value") == str(certainty)
    tab_until(page, "el => el.textContent.trim() === 'Submit answer'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    if qtype == "explain":  # then the checklist: tick every point, submit the self-assessment
        for index in range(len(answer["points"])):
            tab_until(page, "(el, id) => el.id === id", f"point-{index}")
            page.keyboard.press("Space")
        tab_until(page, "el => el.textContent.trim() === 'Submit my self-assessment'")
        with page.expect_navigation():
            page.keyboard.press("Enter")


# An explanation long enough to be accepted (the learner then ticks the points it makes).
EXPLANATION = (
    "The report argues that the partnership rests on shared interests and a wish to hedge "
    "against United States power, while history leaves a residue of mistrust between them."
)


OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 1)
    .filter(el => el.closest('.table-wrap') === null)
    .slice(0, 5).map(el => el.tagName + (el.className ? '.' + el.className : ''));
  return {scroll: document.documentElement.scrollWidth, width, wide};
}"""
