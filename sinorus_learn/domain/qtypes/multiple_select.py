"""Multiple select: every right option among those shown, with partial credit."""

from __future__ import annotations

import random
from typing import Any

from sinorus_learn.domain.grading import RIGHT, Grade, credit, percent_credit
from sinorus_learn.domain.presentation import ResponseError, form_values, present_options
from sinorus_learn.domain.qtypes.base import (
    AnswerInput,
    Authored,
    Choices,
    Form,
    Presented,
    Problem,
    QType,
    Sample,
    choice_problems,
    gift_escape,
    gift_feedback,
    gift_number,
    lines,
    strings_problem,
)

Key = tuple[str, ...]


class MultipleSelect(QType[Key]):
    """The key is the texts of the right choices; the rest of the choices are wrong."""

    name = "multiple_select"
    label = "Multiple select"
    uses_choices = True
    options_shown = True

    def answer_to_json(self, answer: Key) -> list[str]:
        return list(answer)

    def read_json(self, raw: Any) -> Key:
        if not isinstance(raw, list | tuple):
            raise ValueError(f"a {self.name} answer must be a list")
        return tuple(str(item) for item in raw)

    def json_answer_problem(self, raw: object) -> str:
        return strings_problem(raw)

    def problems(self, choices: Choices, answer: Key) -> list[Problem]:
        problems = choice_problems(choices)
        if choices is not None:
            if not answer:
                problems.append(Problem("correct", "at least one choice must be correct"))
            elif any(a not in choices for a in answer):
                problems.append(
                    Problem("correct", "every correct answer must be one of the choices")
                )
        return problems

    def keyed_options(self, answer: Key) -> frozenset[str]:
        return frozenset(answer)

    def from_input(self, fields: AnswerInput) -> Authored[Key]:
        choices, correct = lines(fields.choices), lines(fields.correct)
        problems: list[Problem] = []
        if not correct:
            problems.append(Problem("correct", "Mark at least one choice as correct."))
        missing = [c for c in correct if c not in choices]
        if missing:
            problems.append(
                Problem(
                    "correct",
                    "Every correct answer must be one of the choices (not: "
                    + ", ".join(missing)
                    + ").",
                )
            )
        return Authored(tuple(choices), tuple(correct), tuple(problems))

    def to_input(self, choices: Choices, answer: Key) -> dict[str, Any]:
        return {"choices": "\n".join(choices or ()), "correct": "\n".join(answer)}

    def gift_answers(
        self, choices: Choices, answer: Key, option_feedback: tuple[tuple[str, str], ...]
    ) -> list[str]:
        """Share 100% among the right choices; each wrong one costs 100%, as Moodle's
        examples do."""
        feedback = dict(option_feedback)
        share = gift_number(round(100 / max(len(answer), 1), 5))
        return [
            f"~%{share if c in answer else '-100'}%{gift_escape(c)}{gift_feedback(feedback, c)}"
            for c in choices or ()
        ]

    def present(self, choices: Choices, answer: Key, rng: random.Random) -> dict[str, Any]:
        return present_options(choices, rng)

    def parse_form(self, form: Form, presented: Presented) -> list[str]:
        chosen = form_values(form, "choice")
        if not chosen:
            raise ResponseError("Choose at least one answer.")
        if any(c not in presented.get("choices", ()) for c in chosen):
            raise ResponseError("Choose among the answers shown.")
        return sorted(set(chosen), key=list(presented["choices"]).index)

    def grade(self, answer: Key, response: Any, choices: Choices) -> Grade:
        """(right choices chosen - wrong choices chosen) / right choices, as Moodle; never
        below 0."""
        if isinstance(response, str):
            response = (response,)
        right = set(answer)
        chosen = set(response)
        hits, misses = len(chosen & right), len(chosen - right)
        score = (hits - misses) / len(right) if right else 0.0
        if score >= 1.0:
            return RIGHT
        message = f"{hits} of {len(right)} right answers chosen"
        if misses:
            message += f", {misses} wrong"
        return credit(score, f"{message}: {percent_credit(score)}")

    def format_answer(self, answer: Key) -> str:
        return "; ".join(answer)

    def sample(self) -> Sample[Key]:
        return Sample(("Su-27", "Kilo", "S-300", "Mi-8"), ("Su-27", "Kilo"))

    def sample_form(self, answer: Key, presented: Presented, right: bool = True) -> dict[str, Any]:
        if right:
            return {"choice": list(answer)}
        # when every choice shown is in the key, no wrong choice exists: send one it refuses
        return {"choice": [c for c in presented["choices"] if c not in answer] or ["?"]}

    def invalid_forms(self, presented: Presented) -> list[dict[str, Any]]:
        return [{}, {"choice": [*presented["choices"][:1], "not one of the choices shown"]}]
