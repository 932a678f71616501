"""Classes: join codes, isolation, dashboard, student page, CSV and flat query counts."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from sinorus_learn.extensions import db
from sinorus_learn.models import Classroom, Enrollment
from sinorus_learn.services.classes import CODE_ALPHABET
from tests.conftest import AuthActions, post_form
from tests.support.questions import add_questions, mc_spec, record


def create_class(client, name: str = "Seminar A") -> tuple[int, str]:
    response = post_form(client, "/instructor/classes", {"name": name}, form_url="/instructor/")
    assert response.status_code == 302
    class_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    code = re.search(r"Join code: <code>([A-Z0-9]+)</code>", page).group(1)  # type: ignore[union-attr]
    return class_id, code


def login_as(app: Any, user: Any) -> Any:
    client = app.test_client()
    AuthActions(client).login(user.email)
    return client


def test_class_code_join_and_dashboard(app, client, make_user, auth, make_question) -> None:
    teacher = make_user("instructor")
    auth.login(teacher.email)
    class_id, code = create_class(client)
    assert len(code) == 8 and set(code) <= set(CODE_ALPHABET)
    student = make_user()
    learner = login_as(app, student)
    assert learner.get("/classes/join").status_code == 200
    bad = post_form(learner, "/classes/join", {"code": "NOPE0000"})
    assert bad.status_code == 422 and "No class has this join code" in bad.get_data(as_text=True)
    typed = f" {code[:4].lower()}-{code[4:]} "  # forgiving about case, spaces and dashes
    joined = post_form(learner, "/classes/join", {"code": typed})
    assert joined.status_code == 302
    post_form(learner, "/classes/join", {"code": code})  # twice: still one enrolment
    with app.app_context():
        rows = db.session.scalars(select(Enrollment).where(Enrollment.user_id == student.id))
        assert len(list(rows)) == 1
    assert "Seminar A" in learner.get("/classes/join").get_data(as_text=True)
    qid = make_question("c/1")
    record(app, student.id, qid, "Right")
    page = client.get(f"/instructor/classes/{class_id}").get_data(as_text=True)
    assert "Student Tester" in page and "100%" in page
    detail = client.get(f"/instructor/classes/{class_id}/students/{student.id}")
    assert detail.status_code == 200 and student.email in detail.get_data(as_text=True)
    outsider = make_user()
    assert client.get(f"/instructor/classes/{class_id}/students/{outsider.id}").status_code == 404
    csv = client.get(f"/instructor/classes/{class_id}/results.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert student.email in csv.get_data(as_text=True)
    items = client.get(f"/instructor/classes/{class_id}/items").get_data(as_text=True)
    assert "Question c/1?" in items


def test_instructors_see_only_their_own_classes(app, client, make_user, auth) -> None:
    owner, other, admin = make_user("instructor"), make_user("instructor"), make_user("admin")
    auth.login(owner.email)
    class_id, _ = create_class(client, "Owner's class")
    other_client = login_as(app, other)
    assert "Owner&#39;s class" not in other_client.get("/instructor/").get_data(as_text=True)
    for url in (
        f"/instructor/classes/{class_id}",
        f"/instructor/classes/{class_id}/items",
        f"/instructor/classes/{class_id}/results.csv",
    ):
        assert other_client.get(url).status_code == 404
    admin_client = login_as(app, admin)
    assert "Owner&#39;s class" in admin_client.get("/instructor/").get_data(as_text=True)
    assert admin_client.get(f"/instructor/classes/{class_id}").status_code == 200


def test_class_names_are_escaped_and_required(app, client, make_user, auth) -> None:
    auth.login(make_user("instructor").email)
    class_id, _ = create_class(client, "<script>alert(1)</script>")
    page = client.get(f"/instructor/classes/{class_id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    empty = post_form(client, "/instructor/classes", {"name": " "}, form_url="/instructor/")
    assert empty.status_code == 422
    with app.app_context():
        assert len(list(db.session.scalars(select(Classroom)))) == 1


def test_dashboard_query_count_stays_flat_as_the_class_grows(
    app, client, make_user, auth, count_queries
) -> None:
    teacher = make_user("instructor")
    auth.login(teacher.email)
    class_id, code = create_class(client)
    ids = add_questions(
        app,
        *(
            mc_spec(f"g/{n}", topic=t)
            for n, t in enumerate(["energy", "sco", "military", "economics"])
        ),
    )
    urls = [
        f"/instructor/classes/{class_id}",
        f"/instructor/classes/{class_id}/items",
        f"/instructor/classes/{class_id}/results.csv",
        "/instructor/questions",
        "/instructor/items",
        "/instructor/health",
    ]

    def grow(n: int) -> None:
        for _ in range(n):
            student = make_user()
            with app.app_context():
                db.session.add(Enrollment(classroom_id=class_id, user_id=student.id))
                db.session.commit()
            for i, qid in enumerate(ids):
                record(app, student.id, qid, "Right" if i % 2 else "X")
                record(app, student.id, qid, "Right")

    def counts() -> dict[str, int]:
        result = {}
        for url in urls:
            with count_queries() as counter:
                assert client.get(url).status_code == 200, url
            result[url] = counter.count
        return result

    grow(2)
    small = counts()
    grow(6)
    assert counts() == small
