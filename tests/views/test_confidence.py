"""Rating confidence through the pages: the start forms' checkbox and the account default, the
required level with each answer, the marks in feedback and review, calibration on progress."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from sinorus_learn.database import utcnow
from sinorus_learn.extensions import db
from sinorus_learn.models import AnswerRecord, Attempt, User
from sinorus_learn.models.review import ReviewCard
from tests.conftest import csrf_token, post_form
from tests.support.quiz import QUESTION_URL, answer_form, item_and_version

pytestmark = pytest.mark.usefixtures("content")

CHECKBOX = re.compile(r'<input id="(?:[a-z]+-)?confidence" name="confidence" type="checkbox"[^>]*>')


@pytest.fixture
def student(make_user, auth):
    user = make_user("student")
    auth.login(user.email)
    return user


def set_default(client, on: bool):
    data = {"confidence_default": "y"} if on else {}
    response = post_form(client, "/account/preferences", data, form_url="/account/password")
    assert response.status_code == 302 and response.location.endswith("/account/password")
    return response


def ticked(page: str) -> list[bool]:
    """Whether each "Rate my confidence" checkbox on the page is ticked."""
    return [" checked" in box for box in CHECKBOX.findall(page)]


def start(client, **data) -> str:
    response = post_form(client, "/quiz/start", data, form_url="/quiz/practice")
    assert response.status_code == 302, response.data
    return response.location


def attempt_of(app, url: str) -> Attempt:
    with app.app_context():
        return db.session.get(Attempt, int(QUESTION_URL.search(url).group(1)))


def answer(client, app, url: str, right: bool = True, **extra):
    page = client.get(url)
    attempt_id, position = map(int, QUESTION_URL.search(url).groups())
    with app.app_context():
        item, version = item_and_version(attempt_id, position)
        form = answer_form(version, item.presented, right)
    return client.post(url, data={**form, **extra, "csrf_token": csrf_token(page)})


def test_every_start_form_offers_the_checkbox_ticked_from_the_account_default(
    app, client, student, take_quiz
) -> None:
    take_quiz(student.id, "energy", right=False)  # mistakes to practise
    with app.app_context():  # and reviews due now
        db.session.execute(update(ReviewCard).values(due=utcnow() - timedelta(hours=1)))
        db.session.commit()
    pages = ["/quiz/practice", "/quiz/exam", "/lessons/energy", "/progress", "/review"]
    for url in pages:
        assert ticked(client.get(url).get_data(as_text=True)) == [False], url
    account = client.get("/account/password").get_data(as_text=True)
    assert "Ask how sure I am with each answer" in account
    assert 'checked id="confidence_default"' not in account
    set_default(client, True)
    with app.app_context():
        assert db.session.get(User, student.id).confidence_default is True
    for url in pages:
        assert ticked(client.get(url).get_data(as_text=True)) == [True], url
    account = client.get("/account/password").get_data(as_text=True)
    assert 'checked id="confidence_default"' in account
    set_default(client, False)
    with app.app_context():
        assert db.session.get(User, student.id).confidence_default is False


def test_the_preferences_form_needs_its_token(client, student) -> None:
    response = client.post("/account/preferences", data={"confidence_default": "y"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("default", "fields", "expected"),
    [
        (False, {"confidence": "y", "confidence_choice": "1"}, True),  # ticked
        (True, {"confidence_choice": "1"}, False),  # offered, unticked
        (True, {}, True),  # not offered (a topic's button): the default
        (False, {}, False),
    ],
)
def test_the_attempt_rates_confidence_as_chosen_or_by_default(
    app, client, student, default, fields, expected
) -> None:
    set_default(client, default)
    url = start(client, mode="lesson", topic="energy", **fields)
    assert attempt_of(app, url).confidence is expected


@pytest.mark.usefixtures("without_explain")
def test_a_level_is_required_and_the_feedback_shows_the_mark(app, client, student) -> None:
    url = start(client, mode="lesson", topic="energy", confidence="y", confidence_choice="1")
    page = client.get(url).get_data(as_text=True)
    assert "<legend>How sure are you of this answer?" in page
    for label in ("Not sure", "Fairly sure", "Very sure"):
        assert label in page
    refused = answer(client, app, url, right=True)
    assert refused.status_code == 200  # shown again, not an error page
    text = refused.get_data(as_text=True)
    assert "Choose how sure you are of your answer" in text
    assert 'name="certainty"' in text  # the form again, with the answer still filled in
    with app.app_context():
        assert db.session.scalar(select(AnswerRecord.id)) is None
    done = answer(client, app, url, right=True, certainty="3")
    assert done.status_code == 302
    feedback = client.get(url).get_data(as_text=True)
    assert "Confidence mark" in feedback and "+3 (very sure, right)" in feedback
    second = url.replace("/q/1", "/q/2")
    answer(client, app, second, right=False, certainty="2")
    assert "\u22122 (fairly sure, wrong)" in client.get(second).get_data(as_text=True)


@pytest.mark.usefixtures("without_explain")
def test_the_review_shows_the_confidence_total_beside_the_score(app, client, student) -> None:
    url = start(client, mode="lesson", topic="energy", confidence="y", confidence_choice="1")
    answer(client, app, url, right=True, certainty="3")
    answer(client, app, url.replace("/q/1", "/q/2"), right=False, certainty="3")
    attempt_id = attempt_of(app, url).id
    finish = post_form(client, f"/quiz/{attempt_id}/finish", {}, form_url=url)
    review = client.get(finish.location).get_data(as_text=True)
    assert "1.0 / " in review  # the plain score
    # +3 and -6: a total of -3 of a possible 6, -1.5 an answer
    assert "Confidence marks: <strong>\u22123</strong> of a possible 6" in review
    assert "average \u22121.5 per answer" in review


def test_an_unrated_attempt_shows_no_level_and_no_marks(app, client, student) -> None:
    url = start(client, mode="lesson", topic="energy", confidence_choice="1")
    assert 'name="certainty"' not in client.get(url).get_data(as_text=True)
    assert answer(client, app, url, right=True).status_code == 302
    assert "Confidence mark" not in client.get(url).get_data(as_text=True)
    attempt_id = attempt_of(app, url).id
    finish = post_form(client, f"/quiz/{attempt_id}/finish", {}, form_url=url)
    assert "Confidence marks" not in client.get(finish.location).get_data(as_text=True)


def test_an_exams_marks_wait_for_its_end(app, client, student) -> None:
    url = start(client, mode="exam", confidence="y", confidence_choice="1", count=3)
    answer(client, app, url, right=False, certainty="3")
    saved = client.get(url).get_data(as_text=True)
    assert "Answer saved" in saved
    assert "Confidence mark" not in saved and "\u22126" not in saved
    assert "Calibration" in (progress := client.get("/progress").get_data(as_text=True))
    assert "No answers rated yet" in progress  # the open exam's answer is not counted
    attempt_id = attempt_of(app, url).id
    finish = post_form(client, f"/quiz/{attempt_id}/finish", {}, form_url=url)
    review = client.get(finish.location).get_data(as_text=True)
    assert "\u22126 (very sure, wrong)" in review


@pytest.mark.usefixtures("without_explain")
def test_progress_shows_calibration_as_a_chart_and_a_table_within_its_queries(
    app, client, student, count_queries
) -> None:
    url = start(client, mode="lesson", topic="energy", confidence="y", confidence_choice="1")
    for position, (right, level) in enumerate([(True, 3), (False, 3), (True, 1)], start=1):
        answer(client, app, url.replace("/q/1", f"/q/{position}"), right=right, certainty=level)
    with count_queries() as cold:
        page = client.get("/progress").get_data(as_text=True)
    with count_queries() as warm:
        assert client.get("/progress").status_code == 200
    assert 'id="calibration-chart-title"' in page
    table = page[page.index("Accuracy at each confidence level, over all") :]
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th><td>([^<]+)</td>(.*?)</tr>', table)
    figures = {label: re.findall(r'class="num">([^<]+)<', cells) for label, _, cells in rows[:3]}
    assert figures == {
        "Not sure": ["1", "1", "100%"],
        "Fairly sure": ["0", "0", "—"],
        "Very sure": ["2", "1", "50%"],
    }
    assert "more than 80% likely right" in table
    # the chart's text alternative: each level with the range it claims, and its accuracy
    assert "Very sure (80\u2013100%): 50 %" in page
    assert "Fairly sure (67\u201380%): no answers" in page

    def statements(counter):
        return [s for s in counter.statements if not s.lstrip().upper().startswith("BEGIN")]

    assert len(statements(cold)) <= 6, cold.statements
    assert len(statements(warm)) <= 3, warm.statements  # memoised: the user, cards, reports
