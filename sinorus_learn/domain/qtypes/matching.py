"""Matching: pair each left-hand item with one of the options, with credit per pair."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from sinorus_learn.domain.grading import RIGHT, Grade, credit, percent_credit
from sinorus_learn.domain.presentation import ResponseError, one_value, shuffled
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
    json_kind,
    lines,
    pick_other,
)

Key = tuple[tuple[str, str], ...]


class Matching(QType[Key]):
    """The key is the (left, right) pairs; the choices are every right-hand option, the
    pairs' and any distractors."""

    name = "matching"
    label = "Matching"
    uses_choices = True
    options_shown = True

    def answer_to_json(self, answer: Key) -> list[list[str]]:
        return [[left, right] for left, right in answer]

    def read_json(self, raw: Any) -> Key:
        return tuple((str(left), str(right)) for left, right in raw)

    def json_answer_problem(self, raw: object) -> str:
        pairs = isinstance(raw, list) and all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(v, str) for v in p) for p in raw
        )
        if pairs:
            return ""
        expected = "a list of [left, right] pairs of strings"
        return f"field 'answer' must be {expected}, found {json_kind(raw)}"

    def problems(self, choices: Choices, answer: Key) -> list[Problem]:
        problems = choice_problems(choices, field="pairs")
        if len(answer) < 2:
            problems.append(Problem("pairs", "at least two pairs are needed"))
        lefts = [left for left, _ in answer]
        if len(set(lefts)) != len(lefts):
            problems.append(Problem("pairs", "each left-hand item must appear once"))
        if choices is not None and any(r not in choices for _, r in answer):
            problems.append(Problem("pairs", "every right-hand answer must be one of the options"))
        return problems

    def shown_texts(self, answer: Key) -> list[str]:
        return [left for left, _ in answer]

    def from_input(self, fields: AnswerInput) -> Authored[Key]:
        """Read "left = right" lines; the choices field holds extra wrong options."""
        pairs: list[tuple[str, str]] = []
        problems: list[Problem] = []
        for number, line in enumerate(lines(fields.pairs), start=1):
            left, sep, right = line.partition("=")
            if not sep or not left.strip() or not right.strip():
                problems.append(Problem("pairs", f"Line {number}: write a pair as “left = right”."))
                continue
            pairs.append((left.strip(), right.strip()))
        options = list(dict.fromkeys([right for _, right in pairs] + lines(fields.choices)))
        return Authored(tuple(options), tuple(pairs), tuple(problems))

    def to_input(self, choices: Choices, answer: Key) -> dict[str, Any]:
        rights = {right for _, right in answer}
        return {
            "pairs": "\n".join(f"{left} = {right}" for left, right in answer),
            "choices": "\n".join(c for c in choices or () if c not in rights),
        }

    def gift_answers(
        self, choices: Choices, answer: Key, option_feedback: tuple[tuple[str, str], ...]
    ) -> list[str]:
        """Write ``=left -> right`` per pair, and ``= -> option`` per distractor."""
        pairs = [(str(left), str(right)) for left, right in answer]
        rights = {right for _, right in pairs}
        extra = [c for c in choices or () if c not in rights]
        return [f"={gift_escape(left)} -> {gift_escape(right)}" for left, right in pairs] + [
            f"= -> {gift_escape(c)}" for c in extra
        ]

    def present(self, choices: Choices, answer: Key, rng: random.Random) -> dict[str, Any]:
        lefts = [left for left, _ in answer]
        options = list(choices) if choices else sorted({right for _, right in answer})
        return {"lefts": shuffled(lefts, rng), "options": shuffled(options, rng)}

    def parse_form(self, form: Form, presented: Presented) -> dict[str, str]:
        """Read ``match-<i>``: the option chosen for presented left-hand item ``i``."""
        options = list(presented.get("options", ()))
        pairs: dict[str, str] = {}
        for index, left in enumerate(presented.get("lefts", ())):
            chosen = one_value(form, f"match-{index}", "Match every item.")
            if chosen not in options:
                raise ResponseError("Match each item with one of the options shown.")
            pairs[left] = chosen
        return pairs

    def response_to_json(self, response: Any) -> list[list[str]]:
        return [[left, right] for left, right in dict(response).items()]

    def response_from_json(self, stored: Any) -> dict[str, str]:
        return {left: right for left, right in stored}

    def grade(self, answer: Key, response: Any, choices: Choices) -> Grade:
        """Credit the share of left-hand items matched rightly (a mapping or pairs)."""
        given = dict(response.items() if isinstance(response, Mapping) else response)
        key = dict(answer)
        hits = sum(1 for left, right in key.items() if given.get(left) == right)
        if hits == len(key):
            return RIGHT
        score = hits / len(key) if key else 0.0
        return credit(score, f"{hits} of {len(key)} pairs right: {percent_credit(score)}")

    def format_answer(self, answer: Key) -> str:
        return "; ".join(f"{left} → {right}" for left, right in answer)

    def response_text(self, response: Any) -> str:
        return "; ".join(f"{left} → {right}" for left, right in response.items())

    def sample(self) -> Sample[Key]:
        pairs = (("Su-27", "Air force"), ("Kilo", "Navy"), ("S-300", "Air defence"))
        return Sample(("Air force", "Navy", "Air defence", "Army"), pairs)

    def sample_form(self, answer: Key, presented: Presented, right: bool = True) -> dict[str, Any]:
        key, options = dict(answer), presented["options"]
        return {
            f"match-{i}": key[left] if right else pick_other(options, key[left])
            for i, left in enumerate(presented["lefts"])
        }

    def invalid_forms(self, presented: Presented) -> list[dict[str, Any]]:
        return [{}, {f"match-{i}": "Cavalry" for i in range(len(presented["lefts"]))}]
