"""Multiple choice: one right option among those shown."""

from __future__ import annotations

import random
from typing import Any

from sinorus_learn.domain.grading import RIGHT, WRONG, Grade
from sinorus_learn.domain.presentation import ResponseError, one_value, present_options
from sinorus_learn.domain.qtypes.base import (
    AnswerInput,
    Authored,
    Choices,
    Form,
    Presented,
    Problem,
    QType,
    QuestionSpecError,
    Sample,
    choice_problems,
    gift_escape,
    gift_feedback,
    lines,
    pick_other,
)


class MultipleChoice(QType[str]):
    """The key is the text of the one right choice."""

    name = "multiple_choice"
    label = "Multiple choice"
    uses_choices = True
    options_shown = True
    one_option_right = True

    def answer_to_json(self, answer: str) -> str:
        return answer

    def read_json(self, raw: Any) -> str:
        if not isinstance(raw, str):
            raise QuestionSpecError("a multiple-choice answer must be one choice text")
        return raw

    def problems(self, choices: Choices, answer: str) -> list[Problem]:
        problems = choice_problems(choices)
        if choices and answer not in choices:
            problems.append(Problem("correct", "the correct answer must be one of the choices"))
        return problems

    def keyed_options(self, answer: str) -> frozenset[str]:
        return frozenset({answer})

    def from_input(self, fields: AnswerInput) -> Authored[str]:
        choices, correct = lines(fields.choices), lines(fields.correct)
        problem = ""
        if not correct:
            problem = "Give the correct answer."
        elif len(correct) > 1:
            problem = "A multiple-choice question has one answer."
        elif correct[0] not in choices:
            problem = "The correct answer must be one of the choices."
        problems = (Problem("correct", problem),) if problem else ()
        return Authored(tuple(choices), correct[0] if correct else "", problems)

    def to_input(self, choices: Choices, answer: str) -> dict[str, Any]:
        return {"choices": "\n".join(choices or ()), "correct": answer}

    def gift_answers(
        self, choices: Choices, answer: str, option_feedback: tuple[tuple[str, str], ...]
    ) -> list[str]:
        feedback = dict(option_feedback)
        return [
            f"{'=' if c == answer else '~'}{gift_escape(c)}{gift_feedback(feedback, c)}"
            for c in choices or ()
        ]

    def present(self, choices: Choices, answer: str, rng: random.Random) -> dict[str, Any]:
        return present_options(choices, rng)

    def parse_form(self, form: Form, presented: Presented) -> str:
        choice = one_value(form, "choice", "Choose one answer.")
        if choice not in presented.get("choices", ()):
            raise ResponseError("Choose one of the answers shown.")
        return choice

    def grade(self, answer: str, response: Any, choices: Choices) -> Grade:
        return RIGHT if isinstance(response, str) and response == answer else WRONG

    def sample(self) -> Sample[str]:
        return Sample(("Kilo", "Su-27", "S-300"), "Su-27")

    def sample_form(self, answer: str, presented: Presented, right: bool = True) -> dict[str, Any]:
        return {"choice": answer if right else pick_other(presented["choices"], answer)}

    def invalid_forms(self, presented: Presented) -> list[dict[str, Any]]:
        return [{}, {"choice": ["not one of the choices shown"]}]
