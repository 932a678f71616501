"""Issue 17 point 1 in the browser: a student explains in their own words, self-assesses
against the checklist, and meets the question again in the review queue; their instructor reads
the written answers and corrects one self-assessment. axe-clean; works without JavaScript."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from sinorus_learn.database import utcnow
from sinorus_learn.extensions import db
from sinorus_learn.models import AnswerRecord, AttemptItem, Question
from sinorus_learn.models.review import ReviewCard
from sinorus_learn.services import classes, quiz
from sinorus_learn.services.accounts import create_user
from sinorus_learn.services.quiz import QuizRequest
from tests.browser.helpers import PASSWORD, QUESTION_URL, log_in, log_out
from tests.support.questions import WRITTEN, add_questions, explain_spec

pytestmark = pytest.mark.browser

MODEL = "Russia needs the money and China needs the energy, so each gains from the trade."


def setup(app) -> tuple[int, dict[str, int]]:
    """An explain question, an instructor's class and two students in it."""
    (question_id,) = add_questions(app, explain_spec("browser/explain", model=MODEL))
    with app.app_context():
        # the shipped bank's explain questions stand aside: the quiz draws this one
        db.session.execute(
            update(Question)
            .where(Question.qtype == "explain", Question.id != question_id)
            .values(status="retired")
        )
        db.session.commit()
        teacher = create_user("teacher@example.org", PASSWORD, "Tess Teacher", role="instructor")
        room = classes.create_class(teacher.id, "Explainers")
        ids = {"teacher": teacher.id, "class": room.id}
        for name in ("writer", "plain"):
            student = create_user(f"{name}@example.org", PASSWORD, f"{name.title()} Student")
            classes.join_class(student.id, room.join_code)
            ids[name] = student.id
        db.session.remove()
    return question_id, ids


def start_explain(app, user_id: int) -> int:
    with app.app_context():
        attempt = quiz.start_attempt(user_id, QuizRequest(mode="practice", types=("explain",)))
        db.session.remove()
    return attempt


def write_and_tick(page, attempt_id: int, ticks: list[str], axe_check=None) -> None:
    """Write too little (refused), then enough; tick ``ticks`` on the checklist."""
    page.goto(f"/quiz/{attempt_id}/q/1")
    assert MODEL not in page.inner_text("main") and "Point 1" not in page.content()
    page.get_by_label("Your explanation").fill("Too short to count.")
    page.get_by_role("button", name="Submit answer").click()
    page.wait_for_load_state()
    assert "Write at least 15 words" in page.inner_text("main")
    assert MODEL not in page.inner_text("main")
    if axe_check:
        axe_check(page)
    page.get_by_label("Your explanation").fill(WRITTEN)
    page.get_by_role("button", name="Submit answer").click()
    page.wait_for_load_state()
    main = page.inner_text("main")
    assert "Compare your explanation" in main and MODEL in main and WRITTEN in main
    assert "the report says “evidence 1”" in main
    if axe_check:
        axe_check(page)
    for text in ticks:
        page.get_by_label(text, exact=True).check()
    page.get_by_role("button", name="Submit my self-assessment").click()
    page.wait_for_load_state()


def test_explain_write_tick_review_and_instructor_correction(page, live_server, axe_check) -> None:
    app = live_server.app
    question_id, ids = setup(app)
    attempt_id = start_explain(app, ids["writer"])
    log_in(page, "writer@example.org")
    write_and_tick(page, attempt_id, ["Point 1", "Point 2"], axe_check)
    main = page.inner_text("main")
    assert "Partly right: 67% credit." in main and "Not ticked: Point 3" in main
    assert page.get_by_label("Point 1", exact=True).count() == 0  # no second self-assessment
    axe_check(page)

    page.get_by_role("button", name="Finish and see results").click()
    page.wait_for_url(re.compile(r"/review$"))
    review = page.inner_text("main")
    assert WRITTEN in review and MODEL in review and "Your explanation" in review
    axe_check(page)

    # the review queue brings it back once its card is due (a day or more later)
    with app.app_context():
        card = db.session.scalar(
            select(ReviewCard).where(
                ReviewCard.user_id == ids["writer"], ReviewCard.question_id == question_id
            )
        )
        assert card is not None and card.due > utcnow() and card.last_correct is False
        db.session.execute(
            update(ReviewCard)
            .where(ReviewCard.id == card.id)
            .values(due=utcnow() - timedelta(minutes=1))
        )
        db.session.commit()
        db.session.remove()
    page.goto("/review")
    page.get_by_role("button", name=re.compile("Start")).first.click()
    page.wait_for_url(QUESTION_URL)
    review_attempt = int(QUESTION_URL.search(page.url)[1])
    with app.app_context():
        asked = db.session.scalars(
            select(AttemptItem.question_id).where(AttemptItem.attempt_id == review_attempt)
        ).all()
        db.session.remove()
    assert asked == [question_id]
    assert page.get_by_label("Your explanation").is_visible()
    log_out(page)

    # the instructor reads the written answers and corrects the self-assessment
    log_in(page, "teacher@example.org")
    page.goto(f"/instructor/questions/{question_id}/preview")
    page.get_by_label("Class").select_option(str(ids["class"]))
    page.get_by_role("button", name="Show").click()
    page.wait_for_load_state()
    section = page.locator("section", has=page.get_by_role("heading", name="Written answers"))
    assert WRITTEN in section.inner_text() and "Score: 67%" in section.inner_text()
    axe_check(page)
    section.get_by_label("Point 2").uncheck()
    section.get_by_role("button", name=re.compile("Not supported by the text")).click()
    page.wait_for_load_state()
    assert "Corrected: the answer now scores 33%." in page.inner_text("main")
    assert f"class_id={ids['class']}" in page.url
    axe_check(page)
    with app.app_context():
        record = db.session.scalar(
            select(AnswerRecord).where(AnswerRecord.attempt_id == attempt_id)
        )
        assert record.corrected_by_id == ids["teacher"] and record.answer["ticked"] == [0]
        db.session.remove()
    log_out(page)

    log_in(page, "writer@example.org")
    page.goto(f"/quiz/{attempt_id}/review")
    assert "Corrected by your instructor" in page.inner_text("main")
    axe_check(page)


def test_explain_works_without_javascript(page, live_server) -> None:
    app = live_server.app
    _, ids = setup(app)
    attempt_id = start_explain(app, ids["plain"])
    context = page.context.browser.new_context(java_script_enabled=False, base_url=live_server.url)
    bare = context.new_page()
    log_in(bare, "plain@example.org")
    write_and_tick(bare, attempt_id, ["Point 1", "Point 2", "Point 3"])
    assert "Right." in bare.inner_text("main")
    with app.app_context():
        record = db.session.scalar(
            select(AnswerRecord).where(AnswerRecord.attempt_id == attempt_id)
        )
        assert (record.score, record.correct, record.pending) == (1.0, True, False)
        db.session.remove()
    context.close()
