"""Hostile input: random forms and route parameters never cause a 500; sizes are capped."""

from __future__ import annotations

import io
import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from sinorus_learn.extensions import db
from sinorus_learn.models import Question, QuestionVersion
from tests.conftest import post_form
from tests.security.conftest import World, rule_urls, segment

FIELD_NAMES = [
    "email", "password", "password2", "confirm", "current", "display_name", "remember", "mode",
    "topic", "table", "topics", "types", "count", "minutes", "choice", "value", "position-0",
    "position-1", "match-0", "match-1", "rendered_at", "note", "name", "code", "qtype", "prompt",
    "choices", "correct", "explanation", "tolerance", "unit", "pairs", "tags", "difficulty",
    "source_rows", "footnotes", "role", "status", "reply", "action", "dry_run", "file", "q",
]  # fmt: skip
SKIP_POST = {"/account/logout"}  # it would end the session the fuzzing runs in
FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
values = st.one_of(
    text,
    st.sampled_from(["", "0", "-1", "1e309", "NaN", "99999999999999999999", "true", "\x00",
                     "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd"]),
)  # fmt: skip
forms = st.dictionaries(
    st.one_of(st.sampled_from(FIELD_NAMES), text), st.one_of(values, st.lists(values, max_size=3))
)


def post_routes(world: World) -> list[str]:
    """Every POST route, with real ids filled in."""
    urls = []
    for rule in world.app.url_map.iter_rules():
        if "POST" in (rule.methods or ()) and rule.rule not in SKIP_POST:
            urls.append(rule.build({k: world.ids[k] for k in rule.arguments})[1])
    return sorted(urls)


@FUZZ
@given(data=st.data())
def test_random_forms_on_every_post_route_never_500(world: World, data: st.DataObject) -> None:
    role = data.draw(st.sampled_from(["student", "instructor", "admin"]))
    client = getattr(world, role)
    url = data.draw(st.sampled_from(post_routes(world)))
    form = data.draw(forms)
    form["csrf_token"] = world.tokens[role]
    response = client.post(url, data=form)
    assert response.status_code < 500, (url, form)


@FUZZ
@given(data=st.data(), body=st.binary(max_size=400))
def test_wrongly_encoded_bodies_never_500(world: World, data: st.DataObject, body: bytes) -> None:
    url = data.draw(st.sampled_from(post_routes(world)))
    token = world.tokens["instructor"].encode()
    payload = b"csrf_token=" + token + b"&" + body
    ctypes = ["application/x-www-form-urlencoded", "multipart/form-data; boundary=xy", "text/json"]
    ctype = data.draw(st.sampled_from(ctypes))
    response = world.instructor.post(url, data=payload, content_type=ctype)
    assert response.status_code < 500, (url, payload)


QUERY_NAMES = ["page", "next", "q", "format", "topic", "status", "tag"]


@FUZZ
@given(data=st.data(), query=st.dictionaries(st.sampled_from(QUERY_NAMES), segment))
def test_random_route_parameters_never_500(world: World, data: st.DataObject, query: dict) -> None:
    rule, arguments = data.draw(st.sampled_from(rule_urls(world)))
    url = rule
    for name in arguments:
        value = data.draw(segment).replace("/", "%2F").replace("?", "%3F").replace("#", "%23")
        url = re.sub(rf"<(?:[^:>]+:)?{name}>", lambda _, v=value: v, url)  # taken literally
    role = data.draw(st.sampled_from(["student", "instructor", "admin"]))
    response = getattr(world, role).get(url, query_string=query)
    assert response.status_code < 500, (url, query)


def test_over_long_inputs_are_refused_with_a_message(client, world: World) -> None:
    page = post_form(client, "/account/register", {
        "display_name": "x" * 5000, "email": "long@example.org",
        "password": "p" * 12, "password2": "p" * 12, "confirm": "p" * 12,
    })  # fmt: skip
    assert page.status_code in (200, 422)
    assert "longer than 80" in page.get_data(as_text=True)
    page = post_form(world.instructor, "/instructor/classes", {"name": "c" * 1000},
                     form_url="/instructor/")  # fmt: skip
    assert page.status_code < 500
    follow = world.instructor.get("/instructor/").get_data(as_text=True)
    assert "c" * 1000 not in follow


def test_request_size_is_capped_with_a_page(client) -> None:
    response = client.post("/account/login", data={"email": "a" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    body = response.get_data(as_text=True)
    assert "too large" in body and "<html" in body


def question_rows(world: World) -> tuple[int, int]:
    with world.app.app_context():
        return (
            db.session.scalar(select(func.count(Question.id))) or 0,
            db.session.scalar(select(func.count(QuestionVersion.id))) or 0,
        )


VALID_JSON = {"questions": [{"type": "true_false", "prompt": "Fine?", "answer": True,
                             "topic": "overview"}]}  # fmt: skip
BAD_FILES = {
    "broken.gift": b"::Q1:: What? {=yes ~no}\n\n::Q2:: Broken {=\n",
    "broken.json": b'{"questions": [ {"type": "multiple_choice", ',
    "latin1.gift": "::Q:: Où est Pékin ? {=oui ~non}".encode("latin-1"),
    "binary.json": bytes(range(256)) * 8,
    "half.json": json.dumps({"questions": [VALID_JSON["questions"][0], {"type": "nope"}]}).encode(),
    "huge.gift": b"::Q:: " + b"x" * (1024 * 1024 + 10) + b" {=a ~b}\n",
}


def upload(world: World, raw: bytes, name: str):  # type: ignore[no-untyped-def]
    form = {"file": (io.BytesIO(raw), name)}
    url = "/instructor/questions/import"
    return post_form(world.instructor, url, form, content_type="multipart/form-data")


def test_bad_import_files_fail_cleanly_and_write_nothing(world: World) -> None:
    before = question_rows(world)
    for name, raw in BAD_FILES.items():
        page = upload(world, raw, name)
        assert page.status_code in (413, 422), (name, page.status_code)
        assert "error" in page.get_data(as_text=True).lower() or page.status_code == 413
        assert question_rows(world) == before, name
    too_big = b"x" * (3 * 1024 * 1024)
    page = upload(world, too_big, "big.json")
    assert page.status_code == 413
    assert question_rows(world) == before


def test_cli_import_of_bad_files_fails_cleanly(world: World, tmp_path) -> None:
    runner = world.app.test_cli_runner()
    before = question_rows(world)
    for name, raw in BAD_FILES.items():
        path = tmp_path / name
        path.write_bytes(raw)
        result = runner.invoke(args=["questions", "import", str(path)])
        assert result.exit_code != 0, name
        assert isinstance(result.exception, SystemExit), (name, result.exception)
        assert "Error" in result.output, result.output
        assert question_rows(world) == before, name
