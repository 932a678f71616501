"""Authoring: each problem reaches its form field as a value, never by its wording."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from sinorus_learn.domain import qtypes
from sinorus_learn.domain.evidence import ReportText
from sinorus_learn.domain.qtypes import Problem
from sinorus_learn.domain.qtypes.explain import ChecklistPoint
from sinorus_learn.domain.questions import QuestionSpec, check_spec
from sinorus_learn.forms.instructor import QuestionForm
from sinorus_learn.services import authoring
from sinorus_learn.services.authoring import AuthoringError, QuestionInput, build_spec

OBJECTIVES = {"energy": ("energy.deals", "energy.oil-table")}
REPORT = ReportText.from_markdown("Moscow wavers over whether the route ought to go to Daqing.")
BASE: dict[str, Any] = {
    "prompt": "Something?",
    "topic": "energy",
    "level": "data",
    "objectives": ("energy.oil-table",),
}


def problems(**fields: Any) -> tuple[Problem, ...]:
    """Return the problems ``build_spec`` finds in these form values."""
    data = QuestionInput(**{**BASE, **fields})
    with pytest.raises(AuthoringError) as info:
        build_spec(data, "authored/energy/x", objectives=OBJECTIVES, report=REPORT)
    return info.value.problems


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"qtype": "multiple_choice", "choices": "a\nb"},
            [("correct", "Give the correct answer.")],
        ),
        (
            {"qtype": "multiple_choice", "choices": "a\na", "correct": "a"},
            [("choices", "Choices must be distinct.")],
        ),
        (
            {"qtype": "matching", "pairs": "a = 1"},
            [
                ("pairs", "At least two choices are needed."),
                ("pairs", "At least two pairs are needed."),
            ],
        ),
        (
            {"qtype": "numeric", "numeric_value": 3.0, "tolerance": -1.0},
            [("tolerance", "The tolerance cannot be below zero.")],  # the spec's rule not repeated
        ),
        (
            {"qtype": "ordering", "choices": "only one"},
            [("choices", "List at least two items to order.")],
        ),
        ({"qtype": "short_text"}, [("correct", "At least one accepted answer is needed.")]),
        (
            {"qtype": "true_false", "fact": "claim:x", "given": "claim:x"},
            [("given", "A question cannot state its own fact in its stem.")],
        ),
        (
            {"qtype": "true_false", "option_feedback": "True = no"},
            [
                (
                    "option_feedback",
                    "Per-option feedback is for multiple-choice and multiple-select questions.",
                )
            ],
        ),
        ({"qtype": "essay"}, [("qtype", "Choose a question type.")]),
        (
            {"qtype": "true_false", "evidence": "Moscow wavers over Tokyo"},
            [
                (
                    "evidence",
                    "Evidence 'Moscow wavers over Tokyo' is not in the report word for word.",
                )
            ],
        ),
    ],
)
def test_each_problem_names_its_field(
    fields: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    assert [(p.field, p.message) for p in problems(**fields)] == expected


def test_a_reworded_rule_stays_on_its_field(monkeypatch: pytest.MonkeyPatch) -> None:
    def reworded(spec: QuestionSpec) -> list[Problem]:
        return [dataclasses.replace(p, message="quite another wording") for p in check_spec(spec)]

    monkeypatch.setattr(authoring, "check_spec", reworded)
    found = problems(qtype="multiple_choice", choices="a", correct="a")
    assert [(p.field, p.message) for p in found] == [("choices", "Quite another wording.")]


def test_every_field_a_rule_names_is_on_the_question_form() -> None:
    named = {"prompt", "difficulty", "text_format", "level", "given", "option_feedback"}
    for kind in qtypes.REGISTRY.values():
        sample = kind.sample()
        named |= {p.field for p in kind.from_input(qtypes.AnswerInput()).problems}
        named |= {p.field for p in kind.problems(sample.choices, sample.answer)}
        named |= {
            p.field
            for p in kind.problems(
                None if sample.choices is None else sample.choices[:1],
                kind.from_input(qtypes.AnswerInput()).answer,
            )
        }
    fields = {name for name in dir(QuestionForm) if not name.startswith("_")}
    assert named - fields == set()
    assert {"correct", "choices", "pairs", "numeric_value"} <= named


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"qtype": "explain", "checklist": "one point\nanother"},
            [("model_answer", "Write the model answer.")],
        ),
        (
            {"qtype": "explain", "model_answer": "A model.", "checklist": "only one"},
            [("checklist", "Write at least 2 checklist points, one a line.")],
        ),
        (
            {"qtype": "explain", "model_answer": "A model.", "checklist": "a | b | energy | x\nc"},
            [("checklist", "Point 1: footnotes must be numbers separated by commas.")],
        ),
        (
            {"qtype": "explain", "model_answer": "M.", "checklist": "\n".join("abcdef")},
            [("checklist", "At most 5 checklist points.")],
        ),
    ],
)
def test_explain_problems_reach_the_model_answer_and_checklist_fields(
    fields: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    assert [(p.field, p.message) for p in problems(**fields)] == expected


def test_an_explain_question_is_built_from_the_form_and_back() -> None:
    data = QuestionInput(
        **{**BASE, "level": "explain"},
        qtype="explain",
        model_answer="Moscow wavers, so China waits.",
        checklist=(
            "Moscow wavers | Moscow wavers over whether the route | energy | 3, 4\nChina waits"
        ),
    )
    spec = build_spec(data, "authored/energy/x", objectives=OBJECTIVES, report=REPORT)
    assert spec.answer == qtypes.ExplainAnswer(
        model="Moscow wavers, so China waits.",
        points=(
            ChecklistPoint(
                "Moscow wavers", "Moscow wavers over whether the route", "energy", (3, 4)
            ),
            ChecklistPoint("China waits"),
        ),
    )
    again = authoring.input_of(spec)
    assert (again.model_answer, again.checklist) == (data.model_answer, data.checklist)


def test_a_hint_giving_the_key_is_refused_on_its_field() -> None:
    found = problems(
        qtype="multiple_choice",
        choices="Daqing\nHarbin",
        correct="Daqing",
        explanation="The report names Daqing.",
        hint="The answer is Daqing.",
    )
    assert [p.field for p in found] == ["hint"]
    assert "Daqing" in found[0].message


def test_a_pointing_hint_is_kept_on_the_spec_and_the_form() -> None:
    data = QuestionInput(
        **BASE,
        qtype="multiple_choice",
        choices="Daqing\nHarbin",
        correct="Daqing",
        explanation="The report names Daqing.",
        hint="  Reread the pipeline\npassage.  ",
    )
    spec = build_spec(data, "authored/energy/x", objectives=OBJECTIVES, report=REPORT)
    assert spec.hint == "Reread the pipeline passage."
    assert authoring.input_of(spec).hint == spec.hint
