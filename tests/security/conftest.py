"""A populated site for the security tests: content, one account per role, a class, an attempt."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import strategies as st

from tests.conftest import AuthActions, csrf_token, post_form
from tests.support.content import objective_ids


@dataclass
class World:
    app: Flask
    student: FlaskClient
    instructor: FlaskClient
    admin: FlaskClient
    ids: dict[str, int]
    tokens: dict[str, str]


def logged_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    response = AuthActions(client).login(email)
    assert response.status_code == 302, response.status_code
    return client


@pytest.fixture
def world(app: Flask, content: None, make_user: Any) -> World:
    """Every id a route can take points at a real row."""
    student_user = make_user("student")
    instructor_user = make_user("instructor")
    admin_user = make_user("admin")
    other = make_user("student")
    student = logged_in(app, student_user.email)
    instructor = logged_in(app, instructor_user.email)
    admin = logged_in(app, admin_user.email)
    start = post_form(student, "/quiz/start", {"mode": "practice", "count": "3"},
                      form_url="/quiz/practice")  # fmt: skip
    attempt_id = int(start.headers["Location"].split("/")[2])
    post_form(student, f"/quiz/{attempt_id}/q/1/report", {"note": "the prompt looks wrong"},
              form_url=f"/quiz/{attempt_id}/q/1")  # fmt: skip
    post_form(instructor, "/instructor/classes", {"name": "Class A"}, form_url="/instructor/")
    from sinorus_learn.extensions import db
    from sinorus_learn.models import Question
    from sinorus_learn.models.classroom import Classroom

    with app.app_context():
        from sqlalchemy import func, select

        class_id = db.session.scalar(select(func.max(Classroom.id)))
        question_id = db.session.scalar(select(func.min(Question.id)))
        report_id = 1
        from sinorus_learn.services import imports

        gift = "// @level recall\n// @objectives overview.best-ever\n::W:: Is it so? {T}\n"
        job_id = imports.upload(
            imports.Upload(gift, "w.gift"), instructor_user.id, 10, objectives=objective_ids()
        )
    ids = {
        "job_id": job_id,
        "attempt_id": attempt_id,
        "position": 1,
        "class_id": class_id or 1,
        "student_id": student_user.id,
        "question_id": question_id,
        "report_id": report_id,
        "response_id": 1,  # the student's first answer (a written one's correction route)
        "user_id": other.id,
        "token": "not-a-real-token",  # one-time password links
    }
    tokens = {
        name: csrf_token(client.get("/topics"))
        for name, client in (("student", student), ("instructor", instructor), ("admin", admin))
    }
    return World(app, student, instructor, admin, ids, tokens)


def rule_urls(world: World) -> list[tuple[str, list[str]]]:
    return [
        (rule.rule, sorted(rule.arguments))
        for rule in world.app.url_map.iter_rules()
        if "GET" in (rule.methods or ()) and rule.arguments and rule.endpoint != "static"
    ]


segment = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=40),
)
