"""The import pages (issues 18 and 19): upload, mapping preview, job status, drafts, publish.
CSRF stays on; students get 403, other instructors 404; bad input a 4xx with a message."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from sqlalchemy import select, update

from sinorus_learn.database import utcnow
from sinorus_learn.extensions import db
from sinorus_learn.models import ImportJob, Question
from tests.conftest import AuthActions, csrf_token, post_form

IMPORT = "/instructor/questions/import"
GIFT = b"""$CATEGORY: $course$/Energy

// @objectives energy.oil-table
::Rail:: Did oil go to China by rail? {T}

$CATEGORY: $course$/Geography

::Capital::[html]Which is the <b>capital</b> of <i>Russia</i>?<script>alert(1)</script>{
=<b>Moscow</b>
~Kiev#That is <i>Ukraine's</i>.}
"""


@pytest.fixture
def teacher(app, make_user, client) -> Any:
    user = make_user("instructor")
    AuthActions(client).login(user.email)
    return user


def upload(client, raw: bytes = GIFT, name: str = "moodle.gift", **fields: Any) -> Any:
    form = {"file": (io.BytesIO(raw), name), "level": "recall", **fields}
    return post_form(client, IMPORT, form, content_type="multipart/form-data")


def start(client, job_url: str, **fields: Any) -> Any:
    page = client.get(job_url)
    return client.post(f"{job_url}/start", data={"csrf_token": csrf_token(page), **fields})


def keys_and_status(app) -> dict[str, str]:
    with app.app_context():
        return dict(db.session.execute(select(Question.key, Question.status)).all())


def test_upload_preview_mapping_job_page_and_drafts(app, client, teacher) -> None:
    uploaded = upload(client)
    assert uploaded.status_code == 302
    job_url = uploaded.headers["Location"]
    preview = client.get(job_url).get_data(as_text=True)
    assert "$course$/Energy" in preview and "$course$/Geography" in preview
    assert re.search(r'<option value="energy" selected>Energy</option>', preview)  # suggested
    assert keys_and_status(app) == {}
    refused = start(client, job_url, **{"topic-1": "sco"})  # Geography: no objectives chosen
    assert refused.status_code == 422 and "no objectives" in refused.get_data(as_text=True)
    done = start(client, job_url, **{"topic-1": "sco", "objectives-1": ["sco.origins"]})
    assert done.status_code == 302 and done.headers["Location"].endswith(job_url)
    status = client.get(job_url).get_data(as_text=True)
    assert "Done." in status and 'http-equiv="refresh"' not in status
    assert "2 question(s) added as drafts" in status
    assert keys_and_status(app) == {"import:rail": "draft", "import:capital": "draft"}
    with app.app_context():
        job = db.session.scalars(select(ImportJob)).one()
        topics = dict(db.session.execute(select(Question.key, Question.topic)).all())
    assert topics == {"import:rail": "energy", "import:capital": "sco"}
    drafts = client.get(f"/instructor/questions?job={job.id}").get_data(as_text=True)
    assert "2 questions found" in drafts and 'name="question"' in drafts
    assert "Which is the capital of Russia?" in drafts  # a summary line: tags dropped


def test_html_text_is_rendered_sanitised_in_the_preview(app, client, teacher) -> None:
    start(client, upload(client).headers["Location"], **{"objectives-1": ["overview.best-ever"]})
    with app.app_context():
        qid = db.session.scalar(select(Question.id).where(Question.key == "import:capital"))
    page = client.get(f"/instructor/questions/{qid}/preview").get_data(as_text=True)
    assert "Which is the <b>capital</b> of <i>Russia</i>?" in page
    assert "&lt;b&gt;" not in page and "alert(1)" not in page
    assert "Draft:" in page and "Publish (quizzes may draw on it)" in page
    assert 'value="Moscow"' in page  # options as plain text


def test_publish_one_and_in_bulk(app, client, teacher) -> None:
    start(client, upload(client).headers["Location"], **{"objectives-1": ["overview.best-ever"]})
    with app.app_context():
        ids = dict(db.session.execute(select(Question.key, Question.id)).all())
    one = post_form(client, f"/instructor/questions/{ids['import:rail']}/publish", {},
                    form_url=f"/instructor/questions/{ids['import:rail']}/preview")  # fmt: skip
    assert one.status_code == 302
    assert keys_and_status(app)["import:rail"] == "active"
    page = client.get("/instructor/questions?status=draft")
    assert "1 question found" in page.get_data(as_text=True)
    bulk = client.post(
        "/instructor/questions/publish",
        data={"csrf_token": csrf_token(page), "question": [str(ids["import:capital"])],
              "next": "/instructor/questions?status=draft"},
    )  # fmt: skip
    assert bulk.status_code == 302 and bulk.headers["Location"].endswith("?status=draft")
    assert set(keys_and_status(app).values()) == {"active"}
    assert "0 questions found" in client.get("/instructor/questions?status=draft").get_data(
        as_text=True
    )


def test_bad_publish_forms_get_a_4xx_with_a_message(app, client, teacher) -> None:
    page = client.get("/instructor/questions")
    token = csrf_token(page)
    assert client.post("/instructor/questions/publish", data={"question": "1"}).status_code == 400
    nothing = client.post("/instructor/questions/publish", data={"csrf_token": token})
    assert nothing.status_code == 422 and "Tick the drafts" in nothing.get_data(as_text=True)
    junk = client.post("/instructor/questions/publish", data={"csrf_token": token,
                                                               "question": "x"})  # fmt: skip
    assert junk.status_code == 422 and "Nothing was published" in junk.get_data(as_text=True)
    away = client.post(
        "/instructor/questions/publish",
        data={"csrf_token": token, "question": "1", "next": "https://evil.test/"},
    )
    assert away.status_code == 302 and "evil" not in away.headers["Location"]  # fmt: skip
    assert (
        client.post("/instructor/questions/99/publish", data={"csrf_token": token}).status_code
        == 404
    )


def test_forged_mappings_and_bad_uploads_get_a_4xx(app, client, teacher) -> None:
    job_url = upload(client).headers["Location"]
    topic = start(client, job_url, **{"topic-0": "the-moon"})
    assert topic.status_code == 422 and "unknown topic" in topic.get_data(as_text=True)
    objective = start(client, job_url, **{"objectives-0": ["sco.origins"]})  # not energy's
    assert objective.status_code == 422
    assert "is not an objective of its topic" in objective.get_data(as_text=True)
    assert client.post(f"{job_url}/start", data={}).status_code == 400  # no CSRF token
    assert keys_and_status(app) == {}
    assert upload(client, b"::A:: {", "bad.gift").status_code == 422
    too_many = b"\n\n".join(b"::Q%d:: Is %d so? {T}" % (i, i) for i in range(12))
    app.config["IMPORT_MAX_QUESTIONS"] = 10
    page = upload(client, too_many, "many.gift")
    assert page.status_code == 422 and "at most 10 can be imported" in page.get_data(as_text=True)


def test_cancel_keeps_nothing_and_a_started_job_cannot_be_cancelled(app, client, teacher) -> None:
    job_url = upload(client).headers["Location"]
    cancelled = post_form(client, f"{job_url}/cancel", {}, form_url=job_url)
    assert cancelled.status_code == 302
    assert "cancelled" in client.get(job_url).get_data(as_text=True)
    assert start(client, job_url).status_code == 302  # not pending: back to its page
    assert keys_and_status(app) == {}


def test_a_running_job_page_refreshes_itself_and_a_stalled_one_stops(app, client, teacher) -> None:
    job_url = upload(client).headers["Location"]
    job_id = int(job_url.rsplit("/", 1)[1])

    def set_job(**values: Any) -> str:
        with app.app_context():
            db.session.execute(update(ImportJob).where(ImportJob.id == job_id).values(**values))
            db.session.commit()
        return client.get(job_url).get_data(as_text=True)

    running = set_job(status="running", processed=1, total=2, updated_at=utcnow())
    assert '<meta http-equiv="refresh" content="2">' in running
    assert "1 of 2 questions checked" in running and "<progress" in running
    from datetime import timedelta

    stalled = set_job(updated_at=utcnow() - timedelta(minutes=30))
    assert 'http-equiv="refresh"' not in stalled and "stopped without finishing" in stalled
    failed = set_job(status="failed", message="Nothing was imported: line 3: broken.")
    assert "The import failed." in failed and "line 3: broken." in failed


@pytest.mark.parametrize(
    ("role", "expected"), [("student", 403), ("instructor", 404), ("admin", 200)]
)
def test_only_the_owner_or_an_admin_reaches_a_job(app, client, teacher, make_user, role, expected):
    job_url = upload(client).headers["Location"]
    other = app.test_client()
    AuthActions(other).login(make_user(role).email)
    job_id = job_url.rsplit("/", 1)[1]
    assert other.get(job_url).status_code == expected
    assert other.get(f"/instructor/questions?job={job_id}").status_code == expected
    token = csrf_token(other.get("/classes/join"))
    # an admin reaches the job: its start is refused for the file's missing objectives (422)
    for action, admin in (("start", 422), ("cancel", 302)):
        response = other.post(f"{job_url}/{action}", data={"csrf_token": token})
        assert response.status_code == (admin if role == "admin" else expected), action


def test_a_hand_written_question_saved_as_a_draft(app, client, teacher) -> None:
    form = {"qtype": "true_false", "prompt": "Is it so?", "topic": "energy", "difficulty": "1",
            "explanation": "Yes.", "level": "recall", "objectives": ["energy.deals"],
            "true_false": "true", "text_format": "markdown",
            "save_draft": "Save as draft"}  # fmt: skip
    saved = post_form(client, "/instructor/questions/new", form)
    assert saved.status_code == 302
    assert "as a draft" in client.get(saved.headers["Location"]).get_data(as_text=True)
    assert list(keys_and_status(app).values()) == ["draft"]
