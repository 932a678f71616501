"""Every instructor and admin route × anonymous / student / other instructor / owner / admin."""

from __future__ import annotations

import pytest

from sinorus_learn.extensions import db
from sinorus_learn.models import Classroom, Enrollment
from sinorus_learn.services import quiz
from sinorus_learn.services.quiz import QuizRequest
from tests.conftest import AuthActions, csrf_token
from tests.support.questions import WRITTEN, add_questions, explain_spec

ROLES = ("anonymous", "student", "other", "owner", "admin")
JOB_FILE = "// @level recall\n// @objectives overview.best-ever\n::Matrix:: Is it so? {T}\n"
LOGIN = 302

# (method, url template, expected status per role). "{c}" is the owner's class, "{s}" a
# student in it, "{q}" a question, "{r}" a problem report, "{u}" a user, "{j}" the owner's
# import job, "{e}" an explain question and "{w}" the student's written answer to it.
OWN = {"anonymous": LOGIN, "student": 403, "other": 404, "owner": 200, "admin": 200}
ANY_INSTRUCTOR = {"anonymous": LOGIN, "student": 403, "other": 200, "owner": 200, "admin": 200}
ADMIN_ONLY = {"anonymous": LOGIN, "student": 403, "other": 403, "owner": 403, "admin": 200}
ANY_USER = {"anonymous": LOGIN, "student": 200, "other": 200, "owner": 200, "admin": 200}
POST_ADMIN = {"anonymous": LOGIN, "student": 403, "other": 403, "owner": 403, "admin": 302}
POST_INSTRUCTOR = {"anonymous": LOGIN, "student": 403, "other": 302, "owner": 302, "admin": 302}
# one-time links are shown in the POST's own response (200), never flashed
LINK_ADMIN = {**POST_ADMIN, "admin": 200}
LINK_OWN = {**OWN}

MATRIX = [
    ("GET", "/instructor/", ANY_INSTRUCTOR),
    ("GET", "/instructor/classes/{c}", OWN),
    ("GET", "/instructor/classes/{c}/items", OWN),
    ("GET", "/instructor/classes/{c}/results.csv", OWN),
    ("GET", "/instructor/classes/{c}/students/{s}", OWN),
    ("GET", "/instructor/questions", ANY_INSTRUCTOR),
    ("GET", "/instructor/questions/new", ANY_INSTRUCTOR),
    ("GET", "/instructor/questions/{q}/edit", ANY_INSTRUCTOR),
    ("GET", "/instructor/questions/{q}/preview", ANY_INSTRUCTOR),
    ("GET", "/instructor/questions/import", ANY_INSTRUCTOR),
    ("GET", "/instructor/questions/export", ANY_INSTRUCTOR),
    ("GET", "/instructor/questions/export?format=json", ANY_INSTRUCTOR),
    ("GET", "/instructor/items", ANY_INSTRUCTOR),
    ("GET", "/instructor/health", ANY_INSTRUCTOR),
    ("GET", "/instructor/reports", ANY_INSTRUCTOR),
    ("GET", "/admin/users", ADMIN_ONLY),
    ("GET", "/classes/join", ANY_USER),
    ("POST", "/instructor/classes", {**POST_INSTRUCTOR, "other": 302}),
    ("POST", "/instructor/questions/{q}/retire", POST_INSTRUCTOR),
    ("POST", "/instructor/questions/{q}/restore", POST_INSTRUCTOR),
    ("POST", "/instructor/questions/{q}/publish", POST_INSTRUCTOR),
    ("POST", "/instructor/questions/publish", POST_INSTRUCTOR),
    ("GET", "/instructor/imports/{j}", OWN),
    ("GET", "/instructor/questions?job={j}", OWN),
    ("POST", "/instructor/imports/{j}/start", {**OWN, "owner": 302, "admin": 302}),
    ("POST", "/instructor/imports/{j}/cancel", {**OWN, "owner": 302, "admin": 302}),
    ("POST", "/instructor/reports/{r}/resolve", POST_INSTRUCTOR),
    ("GET", "/instructor/questions/{e}/preview?class_id={c}", ANY_INSTRUCTOR),
    ("POST", "/instructor/questions/{e}/written/{w}", {**OWN, "owner": 302, "admin": 302}),
    ("POST", "/admin/users/{u}/role", POST_ADMIN),
    ("POST", "/admin/users/{u}/deactivate", POST_ADMIN),
    ("POST", "/admin/users/{u}/reactivate", POST_ADMIN),
    ("GET", "/admin/users/new", ADMIN_ONLY),
    ("POST", "/admin/users/new", LINK_ADMIN),
    ("POST", "/admin/users/{u}/reset-link", LINK_ADMIN),
    ("POST", "/instructor/classes/{c}/students/{s}/reset-link", LINK_OWN),
]


@pytest.fixture
def world(app, make_user, make_question):
    users = {
        role: make_user(
            role="student" if role == "student" else "admin" if role == "admin" else "instructor"
        )
        for role in ROLES
        if role != "anonymous"
    }
    target = make_user()
    qid = make_question("matrix/1")
    (explain_id,) = add_questions(app, explain_spec("matrix/explain"))
    with app.app_context():
        classroom = Classroom(name="Owner's", join_code="MATRIX23", instructor_id=users["owner"].id)
        db.session.add(classroom)
        db.session.flush()
        db.session.add(Enrollment(classroom_id=classroom.id, user_id=users["student"].id))
        from sinorus_learn.models import ProblemReport, Question

        version = db.session.get(Question, qid).current_version_id
        report = ProblemReport(
            user_id=users["student"].id,
            question_id=qid,
            question_version_id=version,
            note="looks wrong",
        )
        db.session.add(report)
        from sinorus_learn.models import ImportJob

        job = ImportJob(user_id=users["owner"].id, format="gift", text=JOB_FILE, total=1)
        db.session.add(job)
        db.session.commit()
        attempt = quiz.start_attempt(
            users["student"].id, QuizRequest(mode="practice", types=("explain",))
        )
        quiz.submit_answer(users["student"].id, attempt, 1, {"text": [WRITTEN]})
        written = quiz.assess_explanation(users["student"].id, attempt, 1, ["0", "1"])
        ids = {
            "e": explain_id,
            "w": written.id,
            "j": job.id,
            "c": classroom.id,
            "s": users["student"].id,
            "q": qid,
            "r": report.id,
            "u": target.id,
        }
    return users, ids


def test_the_matrix_covers_every_instructor_and_admin_route(app) -> None:
    covered = {url.split("?")[0].replace("{e}", "{q}") for _, url, _ in MATRIX}  # e: a question
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("instructor.", "admin.")):
            pattern = rule.rule
            for name, key in (
                ("class_id", "c"),
                ("student_id", "s"),
                ("question_id", "q"),
                ("report_id", "r"),
                ("user_id", "u"),
                ("job_id", "j"),
                ("response_id", "w"),
            ):
                pattern = pattern.replace(f"<int:{name}>", "{" + key + "}")
            assert pattern in covered, rule.rule


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(app, world, role, count_queries) -> None:
    users, ids = world
    client = app.test_client()
    if role != "anonymous":
        AuthActions(client).login(users[role].email)
    token = csrf_token(client.get("/account/login" if role == "anonymous" else "/classes/join"))
    failures = []
    for method, template, expected in MATRIX:
        url = template.format(**ids)
        if method == "GET":
            with count_queries() as counter:
                response = client.get(url)
            if counter.writes:  # a GET never writes
                failures.append((method, url, counter.writes))
        else:
            data = {
                "csrf_token": token,
                "name": "New class",
                "role": "student",
                "action": "fixed",
                "reply": "ok",
                "question": str(ids["q"]),
            }
            response = client.post(url, data=data)
        if response.status_code != expected[role]:
            failures.append((method, url, response.status_code, expected[role]))
        if expected[role] == LOGIN and role == "anonymous":
            assert "/account/login" in response.headers["Location"], url
    assert not failures, failures
