"""No leak (issue 17 point 5): for every registered question type, the unanswered question page,
and everything it loads, holds none of the key, the explanation, option feedback, the hint
(until asked for) or any other text of the answer (an explain question's model answer and
checklist live there); once the hint is asked, only the hint appears.

The types come from the registry, so a type added later (explain) is covered without an edit.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from sinorus_learn.domain import qtypes
from sinorus_learn.domain.questions import QuestionSpec, Source
from sinorus_learn.extensions import db
from sinorus_learn.models import AttemptItem
from sinorus_learn.services import quiz
from sinorus_learn.services.quiz import QuizError, QuizRequest
from tests.conftest import post_form
from tests.support.questions import add_questions

TYPES = sorted(qtypes.REGISTRY)
TRUE_FALSE_CONTROLS = {"True", "False", "true", "false"}
RESOURCE_RE = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*?(?:src|href)=["']([^"']+)["']""")


def _strings(value: Any) -> Iterator[str]:
    """Yield every string inside a JSON value (the values: keys name fields)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _spec(name: str) -> QuestionSpec:
    """A well-formed question of type ``name`` from its sample, with marked secret texts."""
    kind = qtypes.get(name)
    sample = kind.sample()
    keyed = kind.keyed_options(sample.answer)
    wrong = [c for c in sample.choices or () if keyed is not None and c not in keyed]
    return QuestionSpec(
        key=f"leak:{name}",
        type=name,
        prompt=f"Which one ({name})?",
        choices=sample.choices,
        answer=sample.answer,
        explanation=f"EXPLANATION-SECRET-{name}",
        topic="energy",
        source=Source(section="energy"),
        level="recall",
        objectives=("energy.deals",),
        option_feedback=((wrong[0], f"FEEDBACK-SECRET-{name}"),) if wrong else (),
        hint=f"HINT-SECRET-{name}: reread the passage.",
    )


def _key_texts(spec: QuestionSpec, presented: dict[str, Any]) -> set[str]:
    """Every text of the key that is not also something the page must show (a choice, an
    item to order, a true/false control): the formatted key, its stem cues, and each string
    of the answer's JSON (an explain question's model answer and checklist among them), and
    the whole key as JSON (an ordering's order is a secret though each item is shown)."""
    kind = qtypes.get(spec.type)
    texts = {kind.format_answer(spec.answer), *kind.stem_cues(spec.choices, spec.answer)[0]}
    texts |= set(kind.shown_texts(spec.answer))
    stored = kind.answer_to_json(spec.answer)
    texts |= set(_strings(stored))
    if isinstance(stored, list | dict):  # the whole key, as JSON or as Python would print it
        texts |= {json.dumps(stored), json.dumps(stored, ensure_ascii=False), str(stored)}
    shown = set(_strings(presented)) | set(spec.choices or ()) | TRUE_FALSE_CONTROLS
    return {t for t in texts if t.strip() and t not in shown and len(t) > 1}


def _absent(page: str, secret: str) -> bool:
    """Tell whether ``secret`` is nowhere in ``page``: as written, HTML-escaped or JSON."""
    read = html.unescape(page)
    return secret not in read and json.dumps(secret) not in read


def _everything_loaded(client: Any, url: str) -> str:
    """The page at ``url`` and every same-site resource it loads (scripts, styles, images)."""
    page = client.get(url)
    assert page.status_code == 200, url
    text = page.get_data(as_text=True)
    bodies = [text]
    for ref in RESOURCE_RE.findall(text):
        if ref.startswith("/") and not ref.startswith("//"):
            bodies.append(client.get(ref).get_data(as_text=True))
    return "\n".join(bodies)


@pytest.fixture
def student(make_user, auth):
    user = make_user("student")
    auth.login(user.email)
    return user


def _start(app: Any, user_id: int, spec: QuestionSpec, mode: str) -> tuple[int, dict[str, Any]]:
    add_questions(app, spec)
    with app.app_context():
        request = QuizRequest(
            mode=mode, types=(spec.type,), count=1, minutes=30 if mode == "exam" else None
        )
        attempt_id = quiz.start_attempt(user_id, request, seed=3)
        presented = db.session.scalar(
            select(AttemptItem.presented).where(AttemptItem.attempt_id == attempt_id)
        )
    return attempt_id, presented


def test_the_registry_is_covered() -> None:
    assert {"multiple_choice", "numeric", "ordering", "matching"} <= set(TYPES)


@pytest.mark.parametrize("name", TYPES)
def test_an_unanswered_question_shows_nothing_of_the_answer(app, client, student, name) -> None:
    spec = _spec(name)
    attempt_id, presented = _start(app, student.id, spec, "practice")
    url = f"/quiz/{attempt_id}/q/1"
    secrets = _key_texts(spec, presented)
    hidden = {spec.explanation, spec.hint, *(text for _, text in spec.option_feedback)}
    page = _everything_loaded(client, url)
    assert spec.prompt in page  # the page is the question
    assert "Show a hint" in page
    for secret in secrets | hidden:
        assert _absent(page, secret), f"{name}: {secret!r} is in the unanswered page"
    assert "SECRET" not in page

    asked = post_form(client, f"{url}/hint", {}, form_url=url)
    assert asked.status_code == 302
    page = _everything_loaded(client, url)
    assert spec.hint in page
    for secret in secrets | hidden - {spec.hint}:
        assert _absent(page, secret), f"{name}: {secret!r} is in the page after the hint"
    assert page.count("SECRET") == 1  # the hint, and nothing else marked secret


# An exam draws no self-assessed type (its model answer would show before the exam ends).
EXAM_TYPES = [name for name in TYPES if not qtypes.get(name).self_assessed]


def test_no_exam_draws_a_self_assessed_type(app, student) -> None:
    for name in sorted(set(TYPES) - set(EXAM_TYPES)):
        with pytest.raises(QuizError):
            _start(app, student.id, _spec(name), "exam")


@pytest.mark.parametrize("name", EXAM_TYPES)
def test_an_exam_question_shows_no_hint_nor_answer(app, client, student, name) -> None:
    spec = _spec(name)
    attempt_id, presented = _start(app, student.id, spec, "exam")
    page = _everything_loaded(client, f"/quiz/{attempt_id}/q/1")
    assert spec.prompt in page and "Show a hint" not in page
    for secret in _key_texts(spec, presented) | {spec.explanation, spec.hint}:
        assert _absent(page, secret), f"{name}: {secret!r} is in the exam page"
    assert "SECRET" not in page
