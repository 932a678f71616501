"""Build the form a learner would submit for a question: right, or wrong on purpose."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from sinorus_learn.domain import presentation, qtypes
from sinorus_learn.extensions import db
from sinorus_learn.models import AttemptItem, QuestionVersion

QUESTION_URL = re.compile(r"/quiz/(\d+)/q/(\d+)")


def item_and_version(attempt_id: int, position: int) -> tuple[AttemptItem, QuestionVersion]:
    """Read an attempt item and the version it shows (call inside an app context)."""
    row = db.session.execute(
        select(AttemptItem, QuestionVersion)
        .join(QuestionVersion, QuestionVersion.id == AttemptItem.question_version_id)
        .where(AttemptItem.attempt_id == attempt_id, AttemptItem.position == position)
    ).one()
    return row[0], row[1]


def answer_form(version: QuestionVersion, presented: dict[str, Any], right: bool = True) -> dict:
    """Return form fields answering ``version`` rightly (or wrongly when ``right`` is False)."""
    return presentation.sample_form(version.qtype, version.answer, presented, right)


def answer_current(client: FlaskClient, app: Any, url: str, right: bool = True) -> Any:
    """Answer the question at ``url`` through the page's form; return the POST response."""
    from tests.conftest import csrf_token

    page = client.get(url)
    attempt_id, position = map(int, QUESTION_URL.search(url).groups())  # type: ignore[union-attr]
    with app.app_context():
        item, version = item_and_version(attempt_id, position)
        form = answer_form(version, item.presented, right)
    form["csrf_token"] = csrf_token(page)
    response = client.post(url, data=form)
    if qtypes.get(version.qtype).self_assessed and response.status_code == 302:
        checklist = client.get(url)  # the model answer and checklist, to tick
        ticks = {"point": form.get("point", []), "csrf_token": csrf_token(checklist)}
        return client.post(f"{url}/assess", data=ticks)
    return response
