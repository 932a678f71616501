"""The question-type registry: every type is complete and its mappings round-trip."""

from __future__ import annotations

import dataclasses
import json
import random
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from sinorus_learn.domain import presentation, qtypes
from sinorus_learn.domain.formats import dump_json, export_gift, parse_gift, parse_json
from sinorus_learn.domain.grading import format_answer, grade
from sinorus_learn.domain.presentation import ResponseError
from sinorus_learn.domain.qtypes import AnswerInput, Problem, QType, QuestionSpecError
from sinorus_learn.domain.questions import (
    QUESTION_TYPES,
    TYPE_LABELS,
    QuestionSpec,
    Source,
    answer_from_json,
    check_spec,
    spec_problems,
)

TEMPLATES = Path(__file__).resolve().parents[2] / "sinorus_learn" / "templates"
NAMES = qtypes.names()


def sample_spec(kind: QType[Any]) -> QuestionSpec:
    """A well-formed question of ``kind`` built from its own sample."""
    sample = kind.sample()
    return QuestionSpec(
        key=f"test:qtypes:{kind.name}",
        type=kind.name,
        prompt=f"A {kind.label.lower()} question?",
        choices=sample.choices,
        answer=sample.answer,
        explanation="Because the report says so.",
        topic="energy",
        difficulty=2,
        source=Source(section="energy", footnotes=(3,)),
        objectives=("energy.deals",),
        level="recall",
    )


def test_the_registry_holds_the_eight_types_in_form_order() -> None:
    assert NAMES == (
        "multiple_choice",
        "multiple_select",
        "true_false",
        "numeric",
        "short_text",
        "ordering",
        "matching",
        "explain",
    )
    assert QUESTION_TYPES == NAMES and list(TYPE_LABELS) == list(NAMES)
    assert qtypes.find("essay") is None
    with pytest.raises(QuestionSpecError, match="unknown question type 'essay'"):
        qtypes.get("essay")


@pytest.mark.parametrize("name", NAMES)
def test_each_type_is_complete(name: str) -> None:
    kind = qtypes.get(name)
    assert isinstance(kind, QType) and kind.name == name and kind.label
    assert not getattr(type(kind), "__abstractmethods__", None)
    assert (TEMPLATES / kind.partial).is_file(), kind.partial
    assert type(kind).__module__ == f"sinorus_learn.domain.qtypes.{name}"  # one module each
    if kind.in_gift:
        assert type(kind).gift_answers is not QType.gift_answers
    assert check_spec(sample_spec(kind)) == []
    assert kind.format_answer(kind.sample().answer).strip()


@pytest.mark.parametrize("name", NAMES)
def test_json_round_trip(name: str) -> None:
    kind = qtypes.get(name)
    spec = sample_spec(kind)
    data = json.loads(json.dumps(spec.to_dict()))
    assert kind.json_answer_problem(data["answer"]) == ""
    assert QuestionSpec.from_dict(data) == spec
    assert parse_json(dump_json([spec])) == (spec,)


@pytest.mark.parametrize("name", NAMES)
def test_gift_round_trip_where_gift_has_the_type(name: str) -> None:
    kind = qtypes.get(name)
    spec = sample_spec(kind)
    exported = export_gift([spec])
    if not kind.in_gift:
        assert exported.skipped == (spec.key,)
        assert parse_gift(exported.text).questions == ()
        return
    assert exported.skipped == ()
    (imported,) = parse_gift(exported.text).questions
    back = imported.spec
    assert (back.key, back.type, back.topic) == (spec.key, spec.type, spec.topic)
    if kind.self_assessed:  # an essay: the model answer as general feedback, no checklist
        assert back.answer == replace(spec.answer, points=())
        assert (back.prompt, back.explanation) == (spec.prompt, "")
        return
    assert (back.choices, back.answer) == (spec.choices, spec.answer)
    assert (back.prompt, back.explanation) == (spec.prompt, spec.explanation)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("right", [True, False])
def test_sample_forms_grade_as_asked(name: str, right: bool) -> None:
    kind = qtypes.get(name)
    sample = kind.sample()
    presented = json.loads(
        json.dumps(kind.present(sample.choices, sample.answer, random.Random(7)))
    )
    response = kind.parse_form(kind.sample_form(sample.answer, presented, right), presented)
    result = grade(name, sample.answer, response, sample.choices)
    assert result.correct is right
    stored = json.loads(json.dumps(kind.response_to_json(response)))
    assert kind.response_from_json(stored) == response
    assert kind.response_text(kind.response_from_json(stored)).strip()


@pytest.mark.parametrize("name", NAMES)
def test_invalid_forms_are_refused(name: str) -> None:
    kind = qtypes.get(name)
    sample = kind.sample()
    presented = kind.present(sample.choices, sample.answer, random.Random(7))
    forms = kind.invalid_forms(presented)
    assert forms
    for form in forms:
        with pytest.raises(ResponseError):
            kind.parse_form(form, presented)


@pytest.mark.parametrize("name", NAMES)
def test_question_form_round_trip(name: str) -> None:
    kind = qtypes.get(name)
    sample = kind.sample()
    authored = kind.from_input(AnswerInput(**kind.to_input(sample.choices, sample.answer)))
    assert (authored.choices, authored.answer, authored.problems) == (
        sample.choices,
        sample.answer,
        (),
    )


@pytest.mark.parametrize("name", NAMES)
def test_an_empty_form_gives_problems_on_answer_fields(name: str) -> None:
    authored = qtypes.get(name).from_input(AnswerInput())
    answer_fields = {f.name for f in dataclasses.fields(AnswerInput)}
    assert {problem.field for problem in authored.problems} <= answer_fields
    assert all(problem.message.endswith(".") for problem in authored.problems)


def broken(name: str, **changes: Any) -> QuestionSpec:
    spec = sample_spec(qtypes.get(name))
    return QuestionSpec(**{**spec.__dict__, **changes})


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        (broken("true_false", prompt=" "), Problem("prompt", "the prompt is empty")),
        (broken("true_false", difficulty=4), Problem("difficulty", "difficulty must be 1, 2 or 3")),
        (
            broken("multiple_choice", choices=("a",), answer="a"),
            Problem("choices", "at least two choices are needed"),
        ),
        (
            broken("multiple_choice", answer="Mi-8"),
            Problem("correct", "the correct answer must be one of the choices"),
        ),
        (
            broken("multiple_select", answer=()),
            Problem("correct", "at least one choice must be correct"),
        ),
        (
            broken("ordering", answer=("1991", "1996")),
            Problem("choices", "the correct order must use exactly the items shown"),
        ),
        (
            broken("matching", choices=("Navy", "Navy")),
            Problem("pairs", "choices must be distinct"),
        ),
        (
            broken("matching", answer=(("Kilo", "Navy"),)),
            Problem("pairs", "at least two pairs are needed"),
        ),
        (
            broken("numeric", answer=qtypes.NumericAnswer(3, -1)),
            Problem("tolerance", "the tolerance cannot be below zero"),
        ),
        (
            broken("short_text", answer=(" ",)),
            Problem("correct", "at least one accepted answer is needed"),
        ),
        (
            broken("true_false", answer="yes"),
            Problem("true_false", "a true/false answer must be true or false"),
        ),
        (
            broken("true_false", fact="f", given=("f",)),
            Problem("given", "a question cannot state its own fact in its stem"),
        ),
        (
            broken("multiple_choice", option_feedback=(("Mi-8", "no"),)),
            Problem("option_feedback", "option feedback must name one of the choices"),
        ),
    ],
)
def test_problems_are_values_with_their_field(spec: QuestionSpec, problem: Problem) -> None:
    assert problem in check_spec(spec)
    assert problem.message in spec_problems(spec)


@pytest.mark.parametrize("name", NAMES)
def test_the_functions_that_look_the_type_up_take_the_stored_json(name: str) -> None:
    """``presentation`` and ``grading`` as the quiz service and the benchmark call them."""
    kind = qtypes.get(name)
    sample = kind.sample()
    stored = kind.answer_to_json(sample.answer)
    shown = list(sample.choices) if sample.choices is not None else None
    presented = presentation.present(name, shown, stored, random.Random(3))
    for right in (True, False):
        form = presentation.sample_form(name, stored, presented, right)
        response = presentation.form_to_response(name, form, presented)
        key = answer_from_json(name, stored)
        assert grade(name, key, response, sample.choices).correct is right
    assert format_answer(name, sample.answer) == kind.format_answer(sample.answer)
