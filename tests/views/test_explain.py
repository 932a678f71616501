"""Explain questions through the real pages: nothing of the key before the text is in, the
checklist to tick, the review, and the instructor's written answers and correction."""

from __future__ import annotations

import re

import pytest

from sinorus_learn.domain.qtypes.explain import ExplainAnswer
from sinorus_learn.domain.questions import QuestionSpec
from sinorus_learn.services import classes
from tests.conftest import csrf_token, post_form
from tests.support.questions import WRITTEN, add_questions, explain_spec

MODEL = "Russia needs the money and China needs the energy, so each gains from the trade."


@pytest.fixture
def explain_id(app) -> int:
    return add_questions(app, explain_spec("explain/view", model=MODEL))[0]


def start_explain(client) -> str:
    response = post_form(
        client, "/quiz/start", {"mode": "practice", "types": "explain"}, form_url="/quiz/practice"
    )
    assert response.status_code == 302, response.data
    return response.location


def test_write_tick_and_review(app, client, make_user, auth, explain_id) -> None:
    student = make_user()
    auth.login(student.email)
    url = start_explain(client)
    page = client.get(url).get_data(as_text=True)
    assert 'name="text"' in page and "Write at least 15 words" in page
    assert MODEL not in page and "Point 1" not in page and "evidence 1" not in page
    short = client.post(url, data={"text": "Too short.", "csrf_token": csrf_token(client.get(url))})
    assert short.status_code == 302
    refused = client.get(url).get_data(as_text=True)
    assert "Write at least 15 words" in refused and "your answer has 2" in refused
    assert MODEL not in refused
    client.post(url, data={"text": WRITTEN, "csrf_token": csrf_token(client.get(url))})
    checklist = client.get(url)
    text = checklist.get_data(as_text=True)
    assert "Compare your explanation" in text and MODEL in text and WRITTEN in text
    assert "Point 2" in text and "the report says “evidence 2”" in text and "footnote 2" in text
    assert 'name="point" value="0"' in text
    # no CSRF token: refused
    assert client.post(f"{url}/assess", data={"point": ["0"]}).status_code == 400
    done = client.post(
        f"{url}/assess", data={"point": ["0", "1"], "csrf_token": csrf_token(checklist)}
    )
    assert done.status_code == 302
    feedback = client.get(url).get_data(as_text=True)
    assert "Partly right: 67% credit." in feedback
    assert "Ticked:</strong> Point 1" in feedback and "Not ticked:</strong> Point 3" in feedback
    assert 'name="point"' not in feedback  # ticked once
    attempt_id = int(url.split("/")[2])
    finish = post_form(client, f"/quiz/{attempt_id}/finish", {}, form_url=url)
    review = client.get(finish.location).get_data(as_text=True)
    assert WRITTEN in review and MODEL in review and "Your explanation" in review
    assert "0.7 / 1" in review


def test_a_pending_explanation_at_the_end_says_it_counts_zero(
    app, client, make_user, auth, explain_id
) -> None:
    student = make_user()
    auth.login(student.email)
    url = start_explain(client)
    client.post(url, data={"text": WRITTEN, "csrf_token": csrf_token(client.get(url))})
    attempt_id = int(url.split("/")[2])
    finish = post_form(client, f"/quiz/{attempt_id}/finish", {}, form_url=url)
    review = client.get(finish.location).get_data(as_text=True)
    assert "Not self-assessed." in review and "was not scheduled for review" in review


def test_the_instructor_reads_and_corrects_a_written_answer(
    app, client, make_user, auth, explain_id
) -> None:
    teacher, student = make_user("instructor"), make_user()
    with app.app_context():
        room = classes.create_class(teacher.id, "Class A")
        classes.join_class(student.id, room.join_code)
        room_id = room.id
    auth.login(student.email)
    url = start_explain(client)
    client.post(
        url,
        data={"text": WRITTEN + " <script>x</script>", "csrf_token": csrf_token(client.get(url))},
    )
    client.post(
        f"{url}/assess", data={"point": ["0", "1", "2"], "csrf_token": csrf_token(client.get(url))}
    )
    auth.logout()
    auth.login(teacher.email)
    preview = client.get(f"/instructor/questions/{explain_id}/preview?class_id={room_id}")
    text = preview.get_data(as_text=True)
    assert "Written answers" in text and WRITTEN in text and "Score: 100%" in text
    assert "<script>x</script>" not in text and "&lt;script&gt;" in text
    action = re.search(r'action="(/instructor/questions/\d+/written/\d+[^"]*)"', text).group(1)
    corrected = client.post(
        action.replace("&amp;", "&"), data={"supported": ["0"], "csrf_token": csrf_token(preview)}
    )
    assert corrected.status_code == 302 and f"class_id={room_id}" in corrected.location
    after = client.get(corrected.location).get_data(as_text=True)
    assert "Corrected: the answer now scores 33%." in after and "Score: 33%" in after
    auth.logout()
    auth.login(student.email)
    attempt_id = int(url.split("/")[2])
    post_form(client, f"/quiz/{attempt_id}/finish", {}, form_url=url)
    review = client.get(f"/quiz/{attempt_id}/review").get_data(as_text=True)
    assert "Corrected by your instructor" in review and "Partly right: 33% credit." in review


def test_the_bank_and_the_preview_flag_an_essay_that_needs_a_checklist(
    app, client, make_user, auth, explain_id
) -> None:
    essay = QuestionSpec(
        key="import:essay",
        type="explain",
        prompt="Discuss the SCO.",
        choices=None,
        answer=ExplainAnswer(model="Imported general feedback."),
        explanation="",
        topic="sco",
    )
    (essay_id,) = add_questions(app, essay, origin="imported")
    auth.login(make_user("instructor").email)
    bank = client.get("/instructor/questions?qtype=explain").get_data(as_text=True)
    assert bank.count("needs a checklist") == 1 and "Discuss the SCO." in bank
    flagged = client.get(f"/instructor/questions/{essay_id}/preview").get_data(as_text=True)
    assert "Needs a checklist:" in flagged and "No points yet." in flagged
    ready = client.get(f"/instructor/questions/{explain_id}/preview")
    text = ready.get_data(as_text=True)
    assert (
        "Needs a checklist:" not in text
        and MODEL in text
        and "the report says “evidence 3”" in text
    )
    trial = client.post(
        f"/instructor/questions/{explain_id}/preview",
        data={"text": WRITTEN, "csrf_token": csrf_token(ready)},
    ).get_data(as_text=True)
    assert "Written." in trial and WRITTEN in trial
    edit = client.get(f"/instructor/questions/{explain_id}/edit").get_data(as_text=True)
    assert "Point 1 | evidence 1 | energy | 1" in edit and MODEL in edit
