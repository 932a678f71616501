"""Issue 19.11: the class grid fits a 1280-pixel screen (no column cut off, no sideways page),
keeps the students' names in view when it has to scroll, and a name opens the student's page."""

from __future__ import annotations

import re
from typing import Any

import pytest

from sinorus_learn.domain.questions import TOPICS
from sinorus_learn.services import classes, quiz
from sinorus_learn.services.accounts import create_user
from sinorus_learn.services.quiz import QuizRequest
from tests.browser.helpers import PASSWORD, log_in
from tests.support.quiz import answer_form, item_and_version

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
NAMES = (
    "Alexandra Konstantinovna Petrova-Vasilyeva",
    "Oluwaseun Adebayo-Williams",
    "Maximilian von Hohenberg",
    "Zhang Wei",
    "Li Na",
    "Sam",
)
LONGEST = "Alexandra Konstantinovna Petrova-Vasilyeva"

# Where the grid's columns end, against its scroll box and the page.
FIT = """() => {
  const wrap = document.querySelector('.class-grid-wrap');
  const box = wrap.getBoundingClientRect();
  const heads = [...wrap.querySelectorAll('thead th')];
  return {
    page: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
    grid: [wrap.scrollWidth, wrap.clientWidth],
    columns: heads.length,
    cut: heads.filter(th => th.getBoundingClientRect().right > box.right + 1)
      .map(th => th.textContent.trim()),
  };
}"""
# The widest content a cell can hold: every mastery 100%, large counts, the longest name.
WORST_CASE = """(longest) => {
  const grid = document.querySelector('table.class-grid');
  grid.querySelectorAll('td.num').forEach(td => { td.textContent = '100%'; });
  grid.querySelectorAll('th[scope=row] a').forEach(a => { a.textContent = longest; });
}"""
# Is each student's name where it started, on top, after the grid scrolled?
NAMES_IN_VIEW = """() => {
  const wrap = document.querySelector('.class-grid-wrap');
  const left = wrap.getBoundingClientRect().left;
  return [...wrap.querySelectorAll('tbody th[scope=row]')].map(th => {
    window.scrollBy(0, th.getBoundingClientRect().top - 100);  // vertically only
    const r = th.getBoundingClientRect();
    const top = document.elementFromPoint(r.left + r.width / 2, r.top + 4);
    return {at: Math.round(r.left - left), onTop: th.contains(top), name: th.textContent.trim()};
  });
}"""


def _seed(app: Any) -> int:
    """A class of several students, each with answers in every topic."""
    with app.app_context():
        teacher = create_user("teacher@example.org", PASSWORD, "Teacher Tao", role="instructor")
        room = classes.create_class(teacher.id, "Russia 101")
        for number, name in enumerate(NAMES):
            student = create_user(f"student{number}@example.org", PASSWORD, name)
            classes.join_class(student.id, room.join_code)
            for topic in TOPICS:
                request = QuizRequest(mode="lesson", topic=topic, count=1)
                attempt_id = quiz.start_attempt(student.id, request)
                item, version = item_and_version(attempt_id, 1)
                form = answer_form(version, item.presented, right=number % 2 == 0)
                quiz.submit_answer(student.id, attempt_id, 1, form)
                quiz.finish_attempt(student.id, attempt_id)
        return room.id


def _open_grid(page: Any, app: Any, viewport: dict[str, int]) -> tuple[int, dict[str, Any]]:
    """Seed the class, open its dashboard as its teacher; return its id and how the grid fits."""
    room = _seed(app)
    page.set_viewport_size(viewport)
    log_in(page, "teacher@example.org")
    page.goto(f"/instructor/classes/{room}")
    fit = page.evaluate(FIT)
    assert fit["columns"] == 1 + len(TOPICS) + 3, fit
    assert fit["page"][0] <= fit["page"][1], f"the page scrolls sideways: {fit}"
    return room, fit


def test_the_class_grid_fits_1280_pixels_with_every_topic(page, live_server, axe_check) -> None:
    _, fit = _open_grid(page, live_server.app, DESKTOP)
    assert fit["grid"][0] <= fit["grid"][1] and not fit["cut"], f"columns cut off: {fit}"
    for title in TOPICS.values():  # every topic's full title is in its heading
        assert page.locator("table.class-grid thead th", has_text=title).count() == 1, title
    axe_check(page)

    page.evaluate(WORST_CASE, LONGEST)
    fit = page.evaluate(FIT)
    assert fit["page"][0] <= fit["page"][1] and fit["grid"][0] <= fit["grid"][1], fit
    assert not fit["cut"], fit


def test_names_stay_in_view_when_the_grid_scrolls(page, live_server, axe_check) -> None:
    room, fit = _open_grid(page, live_server.app, PHONE)
    assert fit["grid"][0] > fit["grid"][1], "on a phone the grid itself scrolls"
    before = page.evaluate(NAMES_IN_VIEW)
    assert [n["name"] for n in before] == sorted(NAMES)

    grid = page.locator(".class-grid-wrap")
    grid.evaluate("wrap => { wrap.scrollLeft = wrap.scrollWidth; }")
    assert grid.evaluate("wrap => wrap.scrollLeft") > 0
    after = page.evaluate(NAMES_IN_VIEW)
    assert [(n["at"], n["onTop"]) for n in after] == [(0, True)] * len(NAMES), after
    last = page.locator("table.class-grid thead th").last
    box, wrap = last.bounding_box(), grid.bounding_box()
    assert box["x"] + box["width"] <= wrap["x"] + wrap["width"] + 1  # the last column reached
    axe_check(page)

    grid.evaluate("wrap => { wrap.scrollLeft = 0; }")
    grid.get_by_role("link", name="Zhang Wei").click()  # the full detail, one click away
    page.wait_for_url(re.compile(rf"/instructor/classes/{room}/students/\d+$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Zhang Wei"
