"""Authoring through forms: validation, sanitising, versions, preview, retire, bank browser."""

from __future__ import annotations

import dataclasses
import io
import json
import re
from typing import Any

import pytest
from sqlalchemy import select

from sinorus_learn.extensions import db
from sinorus_learn.models import Question, QuestionVersion
from tests.conftest import csrf_token, post_form
from tests.support.questions import add_questions, mc_spec, record

NEW = "/instructor/questions/new"
BASE = {
    "topic": "energy",
    "difficulty": "2",
    "explanation": "From the table.",
    "tags": "oil, data",
    "level": "data",
    "objectives": ["energy.oil-table"],
}
EVIDENCE = "Moscow wavers over whether the route ought to go to Daqing in China"


@pytest.fixture
def instructor(make_user, auth) -> Any:
    user = make_user("instructor")
    auth.login(user.email)
    return user


def create(client, **fields: str) -> Any:
    return post_form(client, NEW, {**BASE, **fields})


def questions(app) -> list[tuple[Question, list[QuestionVersion]]]:
    with app.app_context():
        result = []
        for q in db.session.scalars(select(Question).order_by(Question.id)):
            versions = list(
                db.session.scalars(
                    select(QuestionVersion)
                    .where(QuestionVersion.question_id == q.id)
                    .order_by(QuestionVersion.number)
                )
            )
            result.append((q, versions))
        return result


VALID = {
    "multiple_choice": {"choices": "Russia\nSaudi Arabia\nAngola", "correct": "Russia"},
    "multiple_select": {"choices": "a\nb\nc", "correct": "a\nc"},
    "true_false": {"true_false": "false"},
    "numeric": {"numeric_value": "15.3", "tolerance": "0.5", "unit": "million tons"},
    "short_text": {"correct": "SCO\nShanghai Cooperation Organization"},
    "ordering": {"choices": "1996\n2001\n2005"},
    "matching": {"pairs": "Su-27 = aircraft\nKilo = submarine", "choices": "tank"},
}


@pytest.mark.parametrize("qtype", sorted(VALID))
def test_every_type_can_be_authored_and_previewed(app, client, instructor, qtype) -> None:
    response = create(client, qtype=qtype, prompt=f"A {qtype} question?", **VALID[qtype])
    assert response.status_code == 302, response.get_data(as_text=True)
    assert "/preview" in response.headers["Location"]
    ((question, versions),) = questions(app)
    assert question.origin == "authored" and question.created_by_id == instructor.id
    assert question.tags == ["oil", "data"] and versions[0].difficulty == 2
    assert (question.level, question.objectives) == ("data", ["energy.oil-table"])
    page = client.get(response.headers["Location"])
    assert page.status_code == 200 and f"A {qtype} question?" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("qtype", "fields", "field", "message"),
    [
        ("multiple_choice", {"choices": "a\nb"}, "correct", "Give the correct answer."),
        ("multiple_choice", {"choices": "a\nb", "correct": "c"}, "correct", "one of the choices"),
        ("multiple_choice", {"choices": "a\na", "correct": "a"}, "choices", "distinct"),
        ("multiple_choice", {"choices": "a", "correct": "a"}, "choices", "at least two"),
        ("multiple_select", {"choices": "a\nb"}, "correct", "at least one"),
        ("numeric", {"numeric_value": "3", "tolerance": "-1"}, "tolerance", "below zero"),
        ("numeric", {"tolerance": "1"}, "numeric_value", "Give the numeric answer."),
        ("numeric", {"numeric_value": "abc"}, "numeric_value", "Not a valid float"),
        ("numeric", {"numeric_value": "nan"}, "numeric_value", "finite"),
        ("ordering", {"choices": "only one"}, "choices", "at least two items"),
        ("matching", {"pairs": "a = 1"}, "pairs", "at least two pairs"),
        ("matching", {"pairs": "a = 1\nb"}, "pairs", "left = right"),
        ("short_text", {}, "correct", "accepted answer"),
        (
            "multiple_choice",
            {"choices": "a\nb", "correct": "a", "footnotes": "x"},
            "footnotes",
            "numbers",
        ),
        ("true_false", {"level": ""}, "level", "Choose the level"),
        ("true_false", {"level": "remember"}, "level", "Not a valid choice"),
        ("true_false", {"objectives": []}, "objectives", "at least one objective"),
        (
            "true_false",
            {"objectives": ["energy.deals", "sco.origins"]},
            "objectives",
            "“sco.origins” is not an objective of the Energy lesson",
        ),
        ("true_false", {"objectives": ["energy.nope"]}, "objectives", "not a valid choice"),
        (
            "true_false",
            {"evidence": "Moscow wavers over whether the route ought to go to Tokyo"},
            "evidence",
            "is not in the report word for word",
        ),
        ("true_false", {"fact": "claim:x", "given": "claim:x"}, "given", "its own fact"),
        ("true_false", {"option_feedback": "True = no"}, "option_feedback", "multiple-choice"),
        (
            "multiple_choice",
            {"choices": "a\nb\nc", "correct": "a", "option_feedback": "d = no"},
            "option_feedback",
            "Line 1: “d” is not a choice",
        ),
        (
            "multiple_choice",
            {"choices": "a\nb\nc", "correct": "a", "option_feedback": "b = no\na = yes"},
            "option_feedback",
            "Line 2: “a” is a correct answer",
        ),
        (
            "multiple_select",
            {"choices": "a\nb\nc", "correct": "a", "option_feedback": "b: no"},
            "option_feedback",
            "Line 1: write “wrong option = feedback”",
        ),
    ],
)
def test_field_errors_are_shown_next_to_the_field(
    app, client, instructor, qtype, fields, field, message
) -> None:
    response = create(client, qtype=qtype, prompt="Something?", **fields)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = re.search(rf'id="{field}-error">([^<]*)<', page)
    assert error and message.lower() in error.group(1).lower(), page[:200]
    assert questions(app) == []


def test_missing_prompt_and_unknown_type_are_form_errors(client, instructor) -> None:
    response = create(client, qtype="essay", prompt="")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="prompt-error"' in page and 'id="qtype-error"' in page


XSS = "<script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3))"


def test_markdown_is_rendered_and_scripts_never_reach_the_page(app, client, instructor) -> None:
    response = create(
        client, qtype="true_false", prompt=f"**Bold** {XSS}", explanation=XSS, true_false="true"
    )
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<strong>Bold</strong>" in preview
    assert "<script>alert" not in preview and "<img" not in preview
    assert 'href="javascript' not in preview
    assert "&lt;script&gt;" in preview  # shown as text, escaped
    edit = client.get(response.headers["Location"].replace("preview", "edit"))
    assert "<script>alert" not in edit.get_data(as_text=True)


def test_editing_creates_a_version_and_keeps_history(app, client, instructor) -> None:
    url = create(client, qtype="multiple_choice", prompt="Old?", **VALID["multiple_choice"])
    qid = int(url.headers["Location"].split("/")[-2])
    edit_url = f"/instructor/questions/{qid}/edit"
    form = client.get(edit_url).get_data(as_text=True)
    assert "Old?" in form and "Saudi Arabia" in form
    fields = {**BASE, "qtype": "multiple_choice", "prompt": "New?", **VALID["multiple_choice"]}
    assert post_form(client, edit_url, fields).status_code == 302
    assert post_form(client, edit_url, fields).status_code == 302  # unchanged: no new version
    ((question, versions),) = questions(app)
    assert [v.prompt for v in versions] == ["Old?", "New?"]
    assert question.current_version_id == versions[1].id and question.key.startswith("authored/")
    bad = post_form(client, edit_url, {**fields, "correct": "nope"})
    assert bad.status_code == 422 and len(questions(app)[0][1]) == 2


def test_generated_questions_can_be_edited_and_retired(app, client, instructor) -> None:
    spec = mc_spec("oil/largest-year")
    (qid,) = add_questions(
        app, spec.__class__(**{**spec.__dict__, "template": "oil.max"}), origin="generated"
    )
    page = client.get(f"/instructor/questions/{qid}/edit").get_data(as_text=True)
    assert "Question oil/largest-year?" in page
    fields = {
        **BASE,
        "qtype": "multiple_choice",
        "prompt": "Edited",
        "choices": "Right\nX",
        "correct": "Right",
    }
    assert post_form(client, f"/instructor/questions/{qid}/edit", fields).status_code == 302
    preview_url = f"/instructor/questions/{qid}/preview"
    response = post_form(client, f"/instructor/questions/{qid}/retire", {}, form_url=preview_url)
    assert response.status_code == 302
    ((question, versions),) = questions(app)
    assert question.status == "retired" and question.template == "oil.max" and len(versions) == 2
    post_form(client, f"/instructor/questions/{qid}/restore", {}, form_url=preview_url)
    assert questions(app)[0][0].status == "active"


def test_preview_grades_an_answer_without_storing_it(
    app, client, instructor, make_question
) -> None:
    qid = make_question("p")
    url = f"/instructor/questions/{qid}/preview"
    right = post_form(client, url, {"choice": "Right"}).get_data(as_text=True)
    assert "Right." in right
    wrong = post_form(client, url, {"choice": "X"}).get_data(as_text=True)
    assert "Not quite." in wrong
    missing = post_form(client, url, {}).get_data(as_text=True)
    assert "Choose one answer." in missing
    with app.app_context():
        from sinorus_learn.models import AnswerRecord

        assert db.session.scalar(select(AnswerRecord.id)) is None


def test_bank_browser_filters_searches_and_pages(app, client, instructor, make_user) -> None:
    specs = [mc_spec(f"energy/{n:02d}") for n in range(30)]
    specs.append(
        mc_spec("sco/one", topic="sco").__class__(
            **{**mc_spec("sco/one", topic="sco").__dict__, "tags": ("needle",)}
        )
    )
    ids = add_questions(app, *specs)
    student = make_user()
    record(app, student.id, ids[0], "Right")
    record(app, make_user().id, ids[0], "X")
    page1 = client.get("/instructor/questions").get_data(as_text=True)
    assert "31 questions found" in page1 and "Next page" in page1
    assert "50%" in page1  # the facility of energy/00
    page2 = client.get("/instructor/questions?page=2").get_data(as_text=True)
    assert "energy/29" in page2 or "sco/one" in page2
    assert "1 question found" in client.get("/instructor/questions?topic=sco").get_data(
        as_text=True
    )
    assert "sco/one" in client.get("/instructor/questions?tag=needle").get_data(as_text=True)
    assert "0 questions found" in client.get("/instructor/questions?tag=needl").get_data(
        as_text=True
    )
    assert "1 question found" in client.get("/instructor/questions?q=energy/07").get_data(
        as_text=True
    )
    assert "0 questions found" in client.get("/instructor/questions?origin=imported").get_data(
        as_text=True
    )
    assert client.get("/instructor/questions?topic=bogus&page=99").status_code == 200


def confirm_import(client, preview: Any, **mapping: str) -> Any:
    """Follow an upload to its preview page, then confirm it with the page's own token."""
    assert preview.status_code == 302 and "/instructor/imports/" in preview.headers["Location"]
    url = preview.headers["Location"]
    page = client.get(url)
    assert page.status_code == 200 and "Confirm the import" in page.get_data(as_text=True)
    return client.post(f"{url}/start", data={"csrf_token": csrf_token(page), **mapping})


def test_import_page_reports_errors_with_a_4xx_and_previews(app, client, instructor) -> None:
    url = "/instructor/questions/import"
    token = csrf_token(client.get(url))
    broken = {"csrf_token": token, "file": (io.BytesIO(b"::A:: x {=a ~b"), "bad.gift")}
    response = client.post(url, data=broken, content_type="multipart/form-data")
    assert response.status_code == 422 and "Nothing was imported" in response.get_data(as_text=True)
    filed = dataclasses.replace(mc_spec("imp/1"), level="recall", objectives=("energy.deals",))
    good = json.dumps([filed.to_dict()]).encode()
    uploaded = client.post(
        url,
        data={"csrf_token": token, "file": (io.BytesIO(good), "q.json")},
        content_type="multipart/form-data",
    )
    preview = client.get(uploaded.headers["Location"]).get_data(as_text=True)
    assert "1 question(s) would be added as drafts" in preview
    assert questions(app) == []
    done = confirm_import(client, uploaded)
    assert done.status_code == 302 and len(questions(app)) == 1
    assert "Done." in client.get(done.headers["Location"]).get_data(as_text=True)
    latin = client.post(
        url,
        data={"csrf_token": token, "file": (io.BytesIO(b"\xff\xfe"), "a")},
        content_type="multipart/form-data",
    )
    assert latin.status_code == 422
    missing = client.post(url, data={"csrf_token": token}, content_type="multipart/form-data")
    assert missing.status_code == 422


def test_export_downloads_the_active_bank(app, client, instructor) -> None:
    ids = add_questions(app, mc_spec("e/1"), mc_spec("e/2", topic="sco"))
    with app.app_context():
        db.session.get(Question, ids[1]).status = "retired"
        db.session.commit()
    assert client.get("/instructor/questions/export").status_code == 200
    response = client.get("/instructor/questions/export?format=json&topic=&source=")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    assert [q["key"] for q in json.loads(response.data)] == ["e/1"]
    gift = client.get("/instructor/questions/export?format=gift")
    assert gift.status_code == 200 and b"Question e/1?" in gift.data
    assert client.get("/instructor/questions/export?format=xml").status_code == 400


def test_classification_is_authored_kept_on_edit_and_versioned_only_when_shown(
    app, client, instructor
) -> None:
    fields = {
        **BASE,
        "qtype": "multiple_choice",
        "prompt": "Where might the pipeline end?",
        "choices": "Daqing or Nakhodka\nVladivostok\nHarbin",
        "correct": "Daqing or Nakhodka",
        "level": "explain",
        "objectives": ["energy.pipeline-route", "energy.obstacles"],
        "fact": "claim:pipeline-terminus",
        "given": "timeline:nerchinsk",
        "evidence": EVIDENCE,
        "option_feedback": "Harbin = Harbin is not a terminus the report names.",
    }
    response = create(client, **fields)
    assert response.status_code == 302, response.get_data(as_text=True)
    ((question, versions),) = questions(app)
    assert question.level == "explain"
    assert question.objectives == ["energy.pipeline-route", "energy.obstacles"]
    assert (question.fact, question.given) == ("claim:pipeline-terminus", ["timeline:nerchinsk"])
    assert versions[0].evidence == EVIDENCE
    assert versions[0].option_feedback == [["Harbin", "Harbin is not a terminus the report names."]]
    edit_url = f"/instructor/questions/{question.id}/edit"
    form = client.get(edit_url).get_data(as_text=True)
    assert '<option selected value="explain">' in form
    assert '<option selected value="energy.pipeline-route">' in form
    assert 'value="claim:pipeline-terminus"' in form and EVIDENCE in form
    assert "Harbin = Harbin is not a terminus the report names." in form
    # What the question is filed under changes on the question: no new version.
    regraded = {**fields, "level": "evaluate", "objectives": ["energy.obstacles"]}
    assert post_form(client, edit_url, regraded).status_code == 302
    ((question, versions),) = questions(app)
    assert (question.level, question.objectives) == ("evaluate", ["energy.obstacles"])
    assert len(versions) == 1
    # Evidence is shown to learners: a change makes a version.
    quoted = {**regraded, "evidence": "Moscow wavers over whether the route ought to go"}
    assert post_form(client, edit_url, quoted).status_code == 302
    ((question, versions),) = questions(app)
    assert [v.evidence for v in versions] == [EVIDENCE, quoted["evidence"]]
    assert question.level == "evaluate"


def test_bank_browser_filters_by_level_and_objective(app, client, instructor) -> None:
    def filed(key: str, level: str, *objectives: str) -> Any:
        return dataclasses.replace(mc_spec(key), level=level, objectives=objectives)

    add_questions(
        app,
        filed("energy/a", "recall", "energy.deals"),
        filed("energy/b", "explain", "energy.deals", "energy.obstacles"),
        filed("energy/c", "explain", "energy.obstacles"),
        mc_spec("energy/unfiled"),
    )
    page = client.get("/instructor/questions").get_data(as_text=True)
    assert "<td>Explain</td>" in page and "<td>Recall</td>" in page
    assert '<a href="/instructor/questions?objective=energy.obstacles">energy.obstacles</a>' in page
    assert 'Objectives: <span class="error">none</span>' in page  # energy/unfiled

    def keys(query: str) -> set[str]:
        response = client.get(f"/instructor/questions?{query}")
        assert response.status_code == 200
        return set(re.findall(r"energy/\w+", response.get_data(as_text=True)))

    assert keys("level=explain") == {"energy/b", "energy/c"}
    assert keys("objective=energy.deals") == {"energy/a", "energy/b"}
    assert keys("level=explain&objective=energy.deals") == {"energy/b"}
    bogus = client.get("/instructor/questions?level=remember&objective=energy.nope")
    text = bogus.get_data(as_text=True)
    assert bogus.status_code == 200 and "4 questions found" in text
    assert "Unknown level “remember”: that filter was ignored." in text
    assert "Unknown objective “energy.nope”: that filter was ignored." in text


def test_import_page_asks_a_foreign_file_for_defaults(app, client, instructor) -> None:
    url = "/instructor/questions/import"
    token = csrf_token(client.get(url))
    gift = b"::Founded:: In which year was the SCO founded? {#2001}\n"

    def post(**fields: Any) -> Any:
        data = {"csrf_token": token, "file": (io.BytesIO(gift), "moodle.gift"), **fields}
        return client.post(url, data=data, content_type="multipart/form-data")

    page = client.get(url).get_data(as_text=True)
    assert "// @objectives energy.pipeline-route, energy.obstacles" in page  # the help text
    assert '<optgroup label="Shanghai Cooperation Organization">' in page
    refused = post()
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "line 1: import:founded: no level" in text
    assert "Choose a <strong>Default level</strong> below" in text
    no_objectives = post(level="recall", topic="sco").get_data(as_text=True)
    assert "no objectives" in no_objectives and "Default objectives</strong> below" in no_objectives
    wrong = post(level="recall", topic="sco", objectives=["energy.deals"])
    assert wrong.status_code == 422
    assert (
        "default objective &#39;energy.deals&#39; is not an objective of topic &#39;sco&#39;"
        in (wrong.get_data(as_text=True))
    )
    assert questions(app) == []
    done = confirm_import(
        client, post(level="recall", topic="sco", objectives=["sco.origins", "sco.agenda"])
    )
    assert done.status_code == 302
    ((question, _),) = questions(app)
    assert question.status == "draft"
    assert (question.topic, question.level) == ("sco", "recall")
    assert question.objectives == ["sco.origins", "sco.agenda"]


def test_json_export_carries_the_classification(app, client, instructor) -> None:
    spec = dataclasses.replace(
        mc_spec("e/1"),
        level="explain",
        objectives=("energy.deals",),
        fact="claim:e1",
        given=("timeline:nerchinsk",),
        evidence=EVIDENCE,
    )
    add_questions(app, spec)
    (row,) = json.loads(client.get("/instructor/questions/export?format=json").data)
    assert (row["level"], row["objectives"]) == ("explain", ["energy.deals"])
    assert (row["fact"], row["given"], row["evidence"]) == (
        "claim:e1",
        ["timeline:nerchinsk"],
        EVIDENCE,
    )


def test_a_hint_is_authored_versioned_previewed_and_refused_when_it_gives_the_key(
    app, client, instructor
) -> None:
    mc = VALID["multiple_choice"]
    response = create(
        client, qtype="multiple_choice", prompt="Who?", hint="Look at the oil table.", **mc
    )
    assert response.status_code == 302
    ((question, versions),) = questions(app)
    assert versions[0].hint == "Look at the oil table."
    preview = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Look at the oil table." in preview
    edit_url = f"/instructor/questions/{question.id}/edit"
    assert "Look at the oil table." in client.get(edit_url).get_data(as_text=True)
    fields = {**BASE, "qtype": "multiple_choice", "prompt": "Who?", **mc}
    bad = post_form(client, edit_url, {**fields, "hint": "It is Russia."})
    assert bad.status_code == 422
    error = re.search(r'id="hint-error">([^<]*)<', bad.get_data(as_text=True))
    assert error and "Russia" in error.group(1)
    better = "Read the Energy lesson."
    assert post_form(client, edit_url, {**fields, "hint": better}).status_code == 302
    assert [v.hint for v in questions(app)[0][1]] == ["Look at the oil table.", better]
