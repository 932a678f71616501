"""Build the form a learner would submit for a question: right, or wrong on purpose."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

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
    answer = version.answer
    qtype = version.qtype
    if qtype == "multiple_choice":
        wrong = next(c for c in presented["choices"] if c != answer)
        return {"choice": answer if right else wrong}
    if qtype == "multiple_select":
        if right:
            return {"choice": list(answer)}
        wrong = [c for c in presented["choices"] if c not in answer]
        return {"choice": wrong or list(answer)[:0] or ["?"]}
    if qtype == "true_false":
        return {"choice": "true" if answer == right else "false"}
    if qtype == "numeric":
        value = answer["value"] if right else answer["value"] + 10 * (answer["tolerance"] + 1000)
        return {"value": f"{value}"}
    if qtype == "short_text":
        return {"value": answer[0] if right else "zzz not it"}
    if qtype == "ordering":
        order = list(answer) if right else list(reversed(answer))
        items = presented["items"]
        return {f"position-{i}": str(order.index(item) + 1) for i, item in enumerate(items)}
    if qtype == "matching":
        key = {left: right_ for left, right_ in answer}
        options = presented["options"]
        form = {}
        for i, left in enumerate(presented["lefts"]):
            if right:
                form[f"match-{i}"] = key[left]
            else:
                form[f"match-{i}"] = next(o for o in options if o != key[left])
        return form
    raise AssertionError(qtype)


def answer_current(client: FlaskClient, app: Any, url: str, right: bool = True) -> Any:
    """Answer the question at ``url`` through the page's form; return the POST response."""
    from tests.conftest import csrf_token

    page = client.get(url)
    attempt_id, position = map(int, QUESTION_URL.search(url).groups())  # type: ignore[union-attr]
    with app.app_context():
        item, version = item_and_version(attempt_id, position)
        form = answer_form(version, item.presented, right)
    form["csrf_token"] = csrf_token(page)
    return client.post(url, data=form)
