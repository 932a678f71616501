"""Ordering: put items in order (a chronology), with credit for each pair in order."""

from __future__ import annotations

import random
from itertools import combinations
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
    lines,
    strings_problem,
)

Key = tuple[str, ...]


class Ordering(QType[Key]):
    """The key is the items in the right order; the choices are the items as shown."""

    name = "ordering"
    label = "Ordering"
    uses_choices = True
    in_gift = False

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
        if choices is not None and sorted(answer) != sorted(choices):
            problems.append(
                Problem("choices", "the correct order must use exactly the items shown")
            )
        return problems

    def from_input(self, fields: AnswerInput) -> Authored[Key]:
        items = tuple(lines(fields.choices))
        problems: tuple[Problem, ...] = ()
        if len(items) < 2:
            problems = (Problem("choices", "List at least two items to order."),)
        return Authored(items, items, problems)

    def to_input(self, choices: Choices, answer: Key) -> dict[str, Any]:
        return {"choices": "\n".join(answer)}

    def present(self, choices: Choices, answer: Key, rng: random.Random) -> dict[str, Any]:
        # Uniform over every order, the correct one included: refusing it as a layout made
        # two items always appear reversed, which gave the key away.
        return {"items": shuffled(list(choices or answer), rng)}

    def parse_form(self, form: Form, presented: Presented) -> list[str]:
        """Read ``position-<i>``: the rank (1..n) the learner gives presented item ``i``."""
        items = list(presented.get("items", ()))
        ranks: dict[int, str] = {}
        for index, item in enumerate(items):
            raw = one_value(form, f"position-{index}", "Give every item a position.")
            if not raw.isdigit() or not 1 <= int(raw) <= len(items):
                raise ResponseError(f"Positions go from 1 to {len(items)}.")
            if int(raw) in ranks:
                raise ResponseError("Give each item a different position.")
            ranks[int(raw)] = item
        return [ranks[rank] for rank in sorted(ranks)]

    def grade(self, answer: Key, response: Any, choices: Choices) -> Grade:
        """Kendall-style: the share of item pairs in the right relative order, so one event
        misplaced costs a little, not the whole question."""
        order = list(response)
        correct = list(answer)
        if sorted(order) != sorted(correct) or len(set(order)) != len(order):
            return Grade(0.0, "put every item in order exactly once")
        if order == correct:
            return RIGHT
        rank = {item: i for i, item in enumerate(order)}
        pairs = list(combinations(correct, 2))
        kept = sum(1 for first, then in pairs if rank[first] < rank[then])
        score = kept / len(pairs)
        return credit(
            score, f"{kept} of {len(pairs)} pairs in the right order: {percent_credit(score)}"
        )

    def format_answer(self, answer: Key) -> str:
        return " → ".join(answer)

    def response_text(self, response: Any) -> str:
        return " → ".join(response)

    def sample(self) -> Sample[Key]:
        items = ("1991", "1996", "2001", "2005")
        return Sample(items, items)

    def sample_form(self, answer: Key, presented: Presented, right: bool = True) -> dict[str, Any]:
        order = list(answer) if right else list(reversed(answer))
        items = presented["items"]
        return {f"position-{i}": str(order.index(item) + 1) for i, item in enumerate(items)}

    def invalid_forms(self, presented: Presented) -> list[dict[str, Any]]:
        count = len(presented["items"])
        return [
            {},
            {f"position-{i}": "1" for i in range(count)},  # the same position twice
            {f"position-{i}": str(count + 1) for i in range(count)},  # beyond the last
        ]
