"""Bank health: table warnings, coverage, template statistics and the problem-report queue."""

from __future__ import annotations

from sqlalchemy import select

from sinorus_learn.content import current_catalogue
from sinorus_learn.extensions import db
from sinorus_learn.models import ProblemReport, Question
from sinorus_learn.services import health
from sinorus_learn.services.problems import report_problem
from tests.conftest import post_form
from tests.support.questions import add_questions, mc_spec, record


def test_health_page_lists_warnings_coverage_and_templates(app, client, make_user, auth) -> None:
    auth.login(make_user("instructor").email)
    spec = mc_spec("gen/1")
    generated = spec.__class__(**{**spec.__dict__, "template": "oil.max"})
    (qid,) = add_questions(app, generated, origin="generated")
    record(app, make_user().id, qid, "Right")
    page = client.get("/instructor/health").get_data(as_text=True)
    with app.app_context():
        tables = current_catalogue().tables()
        warnings = health.table_warnings(tables)
        coverage = health.coverage(tables)
        templates = health.template_statistics()
    for warning in warnings[:3]:
        assert str(warning.message).replace("'", "&#39;").replace('"', "&#34;")[:30] in page
    energy = next(r for r in coverage.sections if r.ref == "energy")
    assert (energy.questions, energy.answers, energy.facility) == (1, 1, 1.0)
    assert [(t.template, t.questions, t.answers) for t in templates] == [("oil.max", 1, 1)]
    assert "oil.max" in page and "Coverage of the report" in page


def test_problem_reports_can_be_dismissed_with_a_reply_or_retire_the_question(
    app, client, make_user, auth
) -> None:
    teacher, student = make_user("instructor"), make_user()
    auth.login(teacher.email)
    q1, q2 = add_questions(app, mc_spec("r/1"), mc_spec("r/2"))
    with app.app_context():
        versions = dict(db.session.execute(select(Question.id, Question.current_version_id)).all())
        first = report_problem(student.id, q1, versions[q1], "The key looks <b>wrong</b>")
        second = report_problem(student.id, q2, versions[q2], "Two answers are right")
    page = client.get("/instructor/reports").get_data(as_text=True)
    assert "The key looks &lt;b&gt;wrong&lt;/b&gt;" in page
    url = f"/instructor/reports/{first}/resolve"
    no_reply = post_form(
        client,
        url,
        {"action": "dismiss", "reply": ""},
        form_url="/instructor/reports",
        follow_redirects=True,
    )
    assert "Say why the report is dismissed" in no_reply.get_data(as_text=True)
    post_form(
        client,
        url,
        {"action": "dismiss", "reply": "The key is right: see table 1."},
        form_url="/instructor/reports",
    )
    post_form(
        client,
        f"/instructor/reports/{second}/resolve",
        {"action": "retire", "reply": ""},
        form_url="/instructor/reports",
    )
    with app.app_context():
        reports = {r.id: r for r in db.session.scalars(select(ProblemReport))}
        retired = db.session.get(Question, q2).status
    assert reports[first].status == "dismissed" and reports[first].resolved_by_id == teacher.id
    assert reports[first].reply == "The key is right: see table 1."
    assert reports[second].status == "resolved" and retired == "retired"
    assert "No reports here" in client.get("/instructor/reports").get_data(as_text=True)
    assert "see table 1" in client.get("/instructor/reports?status=all").get_data(as_text=True)
    missing = post_form(
        client,
        "/instructor/reports/999/resolve",
        {"action": "fixed"},
        form_url="/instructor/reports",
    )
    assert missing.status_code == 404
