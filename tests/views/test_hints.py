"""Asking for a hint (issue 17 point 4) through the real pages: recorded once, shown only once
asked, the answer marked and rated at most Hard, refused in an exam, counted in statistics."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fsrs import Rating
from sqlalchemy import select

from sinorus_learn.extensions import db
from sinorus_learn.models import AnswerRecord, AttemptItem
from sinorus_learn.services import quiz, statistics
from sinorus_learn.services.quiz import QuizRequest
from tests.conftest import csrf_token, post_form
from tests.support.questions import add_questions, mc_spec
from tests.support.quiz import answer_current

HINT = "Look at the pipeline passage of the Energy lesson."


@pytest.fixture
def questions(app) -> list[int]:
    hinted = replace(mc_spec("hinted"), hint=HINT)
    return add_questions(app, hinted, mc_spec("plain"))


@pytest.fixture
def student(make_user, auth):
    user = make_user("student")
    auth.login(user.email)
    return user


def _attempt(app, user_id: int, mode: str = "practice") -> int:
    with app.app_context():
        minutes = 30 if mode == "exam" else None
        return quiz.start_attempt(user_id, QuizRequest(mode=mode, count=2, minutes=minutes), seed=1)


def _position_of(app, attempt_id: int, question_id: int) -> int:
    with app.app_context():
        return db.session.scalar(
            select(AttemptItem.position).where(
                AttemptItem.attempt_id == attempt_id, AttemptItem.question_id == question_id
            )
        )


def _hint_at(app, attempt_id: int, position: int):
    with app.app_context():
        return db.session.scalar(
            select(AttemptItem.hint_at).where(
                AttemptItem.attempt_id == attempt_id, AttemptItem.position == position
            )
        )


def _response(app, attempt_id: int, position: int) -> AnswerRecord:
    with app.app_context():
        return db.session.scalar(
            select(AnswerRecord)
            .join(AttemptItem, AttemptItem.id == AnswerRecord.attempt_item_id)
            .where(AttemptItem.attempt_id == attempt_id, AttemptItem.position == position)
        )


def test_the_hint_is_absent_until_asked_then_shown_once_recorded(
    app, client, student, questions
) -> None:
    attempt_id = _attempt(app, student.id)
    position = _position_of(app, attempt_id, questions[0])
    url = f"/quiz/{attempt_id}/q/{position}"
    before = client.get(url).get_data(as_text=True)
    assert "Show a hint" in before and HINT not in before and "pipeline passage" not in before
    asked = post_form(client, f"{url}/hint", {}, form_url=url)
    assert asked.status_code == 302 and asked.location.endswith(f"{url}#hint")
    first = _hint_at(app, attempt_id, position)
    assert first is not None
    after = client.get(url).get_data(as_text=True)
    assert HINT in after and "Show a hint" not in after
    again = post_form(client, f"{url}/hint", {}, form_url=url)  # idempotent: the first time stays
    assert again.status_code == 302 and _hint_at(app, attempt_id, position) == first


def test_an_answer_given_with_a_hint_is_marked_and_at_most_hard(
    app, client, student, questions
) -> None:
    attempt_id = _attempt(app, student.id)
    hinted = _position_of(app, attempt_id, questions[0])
    plain = _position_of(app, attempt_id, questions[1])
    url = f"/quiz/{attempt_id}/q/{hinted}"
    post_form(client, f"{url}/hint", {}, form_url=url)
    assert answer_current(client, app, url, right=True).status_code == 302
    answer_current(client, app, f"/quiz/{attempt_id}/q/{plain}", right=True)
    with_hint, without = _response(app, attempt_id, hinted), _response(app, attempt_id, plain)
    assert with_hint.correct and with_hint.hinted and with_hint.rating <= Rating.Hard
    assert without.correct and not without.hinted and without.rating > Rating.Hard
    feedback = client.get(url).get_data(as_text=True)
    assert "answered with a hint" in feedback and HINT in feedback
    assert "answered with a hint" not in client.get(f"/quiz/{attempt_id}/q/{plain}").get_data(
        as_text=True
    )
    post_form(client, f"/quiz/{attempt_id}/finish", {}, form_url=url)
    review = client.get(f"/quiz/{attempt_id}/review").get_data(as_text=True)
    assert review.count("answered with a hint") == 1


def test_an_unhinted_question_has_no_button_and_refuses_the_post(
    app, client, student, questions
) -> None:
    attempt_id = _attempt(app, student.id)
    position = _position_of(app, attempt_id, questions[1])
    url = f"/quiz/{attempt_id}/q/{position}"
    assert "Show a hint" not in client.get(url).get_data(as_text=True)
    assert post_form(client, f"{url}/hint", {}, form_url=url).status_code == 404
    assert _hint_at(app, attempt_id, position) is None


def test_no_hint_once_answered(app, client, student, questions) -> None:
    attempt_id = _attempt(app, student.id)
    position = _position_of(app, attempt_id, questions[0])
    url = f"/quiz/{attempt_id}/q/{position}"
    answer_current(client, app, url, right=False)
    page = client.get(url).get_data(as_text=True)
    assert "Show a hint" not in page and HINT not in page
    refused = post_form(client, f"{url}/hint", {}, form_url=url, follow_redirects=True)
    assert "already answered" in refused.get_data(as_text=True)
    assert _hint_at(app, attempt_id, position) is None
    assert not _response(app, attempt_id, position).hinted


def test_an_exam_offers_no_hint_and_refuses_one(app, client, student, questions) -> None:
    attempt_id = _attempt(app, student.id, mode="exam")
    position = _position_of(app, attempt_id, questions[0])
    url = f"/quiz/{attempt_id}/q/{position}"
    page = client.get(url)
    assert "Show a hint" not in page.get_data(as_text=True)
    refused = client.post(f"{url}/hint", data={"csrf_token": csrf_token(page)})
    assert refused.status_code == 403
    assert "not available in an exam" in refused.get_data(as_text=True)
    assert _hint_at(app, attempt_id, position) is None


def test_someone_elses_attempt_and_a_missing_token_are_refused(
    app, client, make_user, auth, questions
) -> None:
    owner = make_user("student")
    attempt_id = _attempt(app, owner.id)
    position = _position_of(app, attempt_id, questions[0])
    auth.login(make_user("student").email)
    url = f"/quiz/{attempt_id}/q/{position}/hint"
    assert post_form(client, url, {}, form_url="/quiz/practice").status_code == 404
    assert client.post(url).status_code == 400
    assert _hint_at(app, attempt_id, position) is None


def test_item_statistics_count_answers_given_with_a_hint(app, make_user, questions) -> None:
    from tests.support.quiz import answer_form, item_and_version

    for right in (True, False, True):
        user = make_user("student")
        attempt_id = _attempt(app, user.id)
        position = _position_of(app, attempt_id, questions[0])
        with app.app_context():
            quiz.ask_hint(user.id, attempt_id, position)
            item, version = item_and_version(attempt_id, position)
            quiz.submit_answer(
                user.id, attempt_id, position, answer_form(version, item.presented, right)
            )
            other = _position_of(app, attempt_id, questions[1])
            item, version = item_and_version(attempt_id, other)
            quiz.submit_answer(user.id, attempt_id, other, answer_form(version, item.presented))
    with app.app_context():
        stats = {s.question_id: s for s in statistics.item_statistics()}
    assert (stats[questions[0]].hinted, stats[questions[0]].hinted_correct) == (3, 2)
    assert stats[questions[0]].hinted_accuracy == pytest.approx(2 / 3)
    assert (stats[questions[1]].hinted, stats[questions[1]].hinted_accuracy) == (0, None)


def test_the_instructor_sees_hint_use(app, client, make_user, auth, questions) -> None:
    student = make_user("student")
    attempt_id = _attempt(app, student.id)
    position = _position_of(app, attempt_id, questions[0])
    with app.app_context():
        from tests.support.quiz import answer_form, item_and_version

        quiz.ask_hint(student.id, attempt_id, position)
        item, version = item_and_version(attempt_id, position)
        quiz.submit_answer(student.id, attempt_id, position, answer_form(version, item.presented))
    auth.login(make_user("instructor").email)
    preview = client.get(f"/instructor/questions/{questions[0]}/preview").get_data(as_text=True)
    assert "answered with a hint: 1 (1 right, 100%)" in preview
    assert HINT in preview  # the instructor's preview shows the hint
    items = client.get("/instructor/items").get_data(as_text=True)
    assert "With a hint (right)" in items and "1 (100% right)" in items
