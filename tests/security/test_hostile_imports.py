"""A hostile-input round over imports and query parameters (issue 18): random JSON of every
type in every field, random GIFT made of its special characters, random query strings on every
page. Nothing may fail except with the format's own error (a 4xx on the web)."""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sinorus_learn.domain.formats import FormatError, parse_gift, parse_json
from sinorus_learn.services import transfer
from tests.conftest import post_form
from tests.security.conftest import World, rule_urls, segment

FAST = settings(max_examples=300, deadline=None)
WEB = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
KNOWN = {"overview": ["overview.best-ever"]}
DEFAULTS = {"default_level": "recall", "default_objectives": ("overview.best-ever",)}

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = ["key", "type", "prompt", "choices", "answer", "explanation", "topic", "difficulty",
          "source", "template", "tags", "objectives", "level", "fact", "given", "evidence",
          "option_feedback"]  # fmt: skip
TYPES = ["multiple_choice", "multiple_select", "true_false", "numeric", "short_text",
         "ordering", "matching"]  # fmt: skip
BASE = {
    "key": "hostile/q",
    "type": "multiple_choice",
    "prompt": "Which?",
    "choices": ["a", "b"],
    "answer": "a",
    "explanation": "Because.",
    "topic": "overview",
    "level": "recall",
    "objectives": ["overview.best-ever"],
}
questions = st.builds(
    lambda qtype, changes: {**BASE, "type": qtype, **changes},
    st.one_of(st.just("multiple_choice"), st.sampled_from(TYPES)),
    st.one_of(  # one field of the wrong type alone reaches furthest; several, now and then
        st.dictionaries(st.sampled_from(FIELDS + ["source.table"]), json_values, max_size=1),
        st.dictionaries(st.sampled_from(FIELDS + ["source.table"]), json_values, max_size=3),
    ),
).map(lambda q: {**q, "source": {"table": q.pop("source.table")}} if "source.table" in q else q)


@FAST
@given(items=st.lists(questions, min_size=1, max_size=3))
def test_random_json_questions_fail_only_with_a_format_error(items: list[dict]) -> None:
    text = json.dumps(unique_keys(items))
    with contextlib.suppress(FormatError):
        parse_json(text)


gift_pieces = st.sampled_from(
    list(":{}=~#%->\\\n\t []/@.0123456789abcTF")
    + ["//", "\n\n", "::", "$CATEGORY:", "// @level ", "// @objectives ", "####", "->", "%50%"]
)
gift_text = st.lists(gift_pieces, max_size=80).map("".join)


@FAST
@given(text=gift_text)
def test_random_gift_fails_only_with_a_format_error(text: str) -> None:
    with contextlib.suppress(FormatError):
        parse_gift(text)


SERVICE = settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


FRESH = itertools.count()


def unique_keys(items: list[dict]) -> list[dict]:
    """Give each question a key never used before: a known key only gets a new version, and a
    wrong type in a question's own columns (its template, its table) shows on insert only."""
    return [{**item, "key": f"{item.get('key')}-{next(FRESH)}"} for item in items]


@SERVICE
@given(items=st.lists(questions, min_size=1, max_size=2), gift=gift_text)
def test_random_files_fail_only_with_a_transfer_error(
    world: World, items: list[dict], gift: str
) -> None:
    """Imported for real: a wrong type used to get past parsing and fail in the database."""
    with world.app.app_context():
        for text, name in ((json.dumps(unique_keys(items)), "f.json"), (gift, "f.gift")):
            with contextlib.suppress(FormatError):
                transfer.import_questions(text, name, objectives=KNOWN, **DEFAULTS)


@WEB
@given(items=st.lists(questions, min_size=1, max_size=2))
def test_random_json_uploads_never_500(world: World, items: list[dict]) -> None:
    raw = json.dumps(unique_keys(items)).encode()
    form: dict[str, Any] = {"file": (io.BytesIO(raw), "hostile.json"),
                            "topic": "overview", "level": "recall"}  # fmt: skip
    page = post_form(world.instructor, "/instructor/questions/import", form,
                     content_type="multipart/form-data")  # fmt: skip
    assert page.status_code in (302, 422), page.status_code
    if page.status_code == 302:  # the mapping preview, then the import job itself
        preview = world.instructor.get(page.headers["Location"])
        assert preview.status_code in (200, 422), preview.status_code
        started = post_form(world.instructor, page.headers["Location"] + "/start", {},
                            form_url=page.headers["Location"])  # fmt: skip
        assert started.status_code in (302, 422), started.status_code


QUERY_NAMES = ["page", "next", "q", "format", "topic", "status", "tag", "row", "qtype", "origin",
               "level", "objective", "source", "mode", "count"]  # fmt: skip
queries = st.lists(st.tuples(st.sampled_from(QUERY_NAMES), segment), max_size=6)


@WEB
@given(data=st.data(), query=queries)
def test_random_query_strings_on_every_page_never_500(
    world: World, data: st.DataObject, query: list[tuple[str, str]]
) -> None:
    """Repeated and odd query parameters, on pages with and without route arguments."""
    rules = rule_urls(world) + [(r.rule, []) for r in world.app.url_map.iter_rules()
                                if "GET" in (r.methods or ()) and not r.arguments]  # fmt: skip
    rule, arguments = data.draw(st.sampled_from(rules))
    url = rule
    for name in arguments:
        url = re.sub(rf"<(?:[^:>]+:)?{name}>", str(world.ids.get(name, 1)), url)
    role = data.draw(st.sampled_from(["student", "instructor", "admin"]))
    response = getattr(world, role).get(url, query_string=query)
    assert response.status_code < 500, (url, query)
