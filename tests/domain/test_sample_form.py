"""Sample forms: the key's form grades right and the wrong one does not, for every type."""

from __future__ import annotations

import random
from typing import Any

import pytest

from sinorus_learn.domain.grading import grade
from sinorus_learn.domain.presentation import form_to_response, present, sample_form
from sinorus_learn.domain.questions import QUESTION_TYPES, answer_from_json

# qtype: (choices, key in its stored JSON shape)
QUESTIONS: dict[str, tuple[list[str] | None, Any]] = {
    "multiple_choice": (["Kilo", "Su-27", "S-300"], "Su-27"),
    "multiple_select": (["Su-27", "Kilo", "S-300", "Mi-8"], ["Su-27", "Kilo"]),
    "true_false": (None, False),
    "numeric": (None, {"value": 12.8, "tolerance": 0.05, "unit": "million tons"}),
    "short_text": (None, ["Shanghai", "Shanghai Five"]),
    "ordering": (None, ["1991", "1996", "2001", "2005"]),
    "matching": (None, [["Su-27", "Air force"], ["Kilo", "Navy"], ["S-300", "Air defence"]]),
}


def test_every_type_has_a_sample() -> None:
    assert set(QUESTIONS) == set(QUESTION_TYPES)


@pytest.mark.parametrize("qtype", QUESTION_TYPES)
@pytest.mark.parametrize("right", [True, False])
def test_sample_form_grades_as_asked(qtype: str, right: bool) -> None:
    choices, stored = QUESTIONS[qtype]
    presented = present(qtype, choices, stored, random.Random(3))
    response = form_to_response(qtype, sample_form(qtype, stored, presented, right), presented)
    key = answer_from_json(qtype, stored)
    assert grade(qtype, key, response, tuple(choices or ())).correct is right
