"""True / false: a statement to judge."""

from __future__ import annotations

from typing import Any

from sinorus_learn.domain.grading import RIGHT, WRONG, Grade
from sinorus_learn.domain.presentation import ResponseError, one_value
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
)


class TrueFalse(QType[bool]):
    """The key is whether the statement is true."""

    name = "true_false"
    label = "True / false"

    def answer_to_json(self, answer: bool) -> bool:
        return answer

    def read_json(self, raw: Any) -> bool:
        if not isinstance(raw, bool):
            raise QuestionSpecError("a true/false answer must be true or false")
        return raw

    def problems(self, choices: Choices, answer: bool) -> list[Problem]:
        if not isinstance(answer, bool):
            return [Problem("true_false", "a true/false answer must be true or false")]
        return []

    def from_input(self, fields: AnswerInput) -> Authored[bool]:
        return Authored(None, fields.true_false == "true")

    def to_input(self, choices: Choices, answer: bool) -> dict[str, Any]:
        return {"true_false": "true" if answer else "false"}

    def gift_answers(
        self, choices: Choices, answer: bool, option_feedback: tuple[tuple[str, str], ...]
    ) -> list[str]:
        return ["TRUE" if answer else "FALSE"]

    def parse_form(self, form: Form, presented: Presented) -> bool:
        choice = one_value(form, "choice", "Choose true or false.")
        if choice not in ("true", "false"):
            raise ResponseError("Choose true or false.")
        return choice == "true"

    def grade(self, answer: bool, response: Any, choices: Choices) -> Grade:
        """Grade True or False (the strings "true" and "false" are read too)."""
        if isinstance(response, str):
            response = {"true": True, "false": False}.get(response.strip().lower(), response)
        if not isinstance(response, bool):
            return Grade(0.0, "answer true or false")
        return RIGHT if response is answer else WRONG

    def format_answer(self, answer: bool) -> str:
        return "True" if answer else "False"

    def response_text(self, response: Any) -> str:
        return "True" if response else "False"

    def sample(self) -> Sample[bool]:
        return Sample(None, False)

    def sample_form(self, answer: bool, presented: Presented, right: bool = True) -> dict[str, Any]:
        return {"choice": "true" if answer == right else "false"}

    def invalid_forms(self, presented: Presented) -> list[dict[str, Any]]:
        return [{}, {"choice": ["yes"]}]
