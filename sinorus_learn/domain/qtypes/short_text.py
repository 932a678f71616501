"""Short answer: a few words typed, compared with the accepted variants."""

from __future__ import annotations

from typing import Any

from sinorus_learn.domain.grading import RIGHT, WRONG, Grade, normalise_text
from sinorus_learn.domain.presentation import one_value
from sinorus_learn.domain.qtypes.base import (
    AnswerInput,
    Authored,
    Choices,
    Form,
    Presented,
    Problem,
    QType,
    Sample,
    gift_escape,
    lines,
    strings_problem,
)

Key = tuple[str, ...]


class ShortText(QType[Key]):
    """The key is every accepted variant; case, accents and punctuation do not count."""

    name = "short_text"
    label = "Short answer"

    def answer_to_json(self, answer: Key) -> list[str]:
        return list(answer)

    def read_json(self, raw: Any) -> Key:
        if not isinstance(raw, list | tuple):
            raise ValueError(f"a {self.name} answer must be a list")
        return tuple(str(item) for item in raw)

    def json_answer_problem(self, raw: object) -> str:
        return strings_problem(raw)

    def problems(self, choices: Choices, answer: Key) -> list[Problem]:
        if not any(str(a).strip() for a in answer):
            return [Problem("correct", "at least one accepted answer is needed")]
        return []

    def stem_cues(self, choices: Choices, answer: Key) -> tuple[list[str], list[str]]:
        return [str(a) for a in answer], []

    def from_input(self, fields: AnswerInput) -> Authored[Key]:
        return Authored(None, tuple(lines(fields.correct)))

    def to_input(self, choices: Choices, answer: Key) -> dict[str, Any]:
        return {"correct": "\n".join(answer)}

    def gift_answers(
        self, choices: Choices, answer: Key, option_feedback: tuple[tuple[str, str], ...]
    ) -> list[str]:
        return [f"={gift_escape(a)}" for a in answer]

    def parse_form(self, form: Form, presented: Presented) -> str:
        return one_value(form, "value", "Type an answer.").strip()

    def grade(self, answer: Key, response: Any, choices: Choices) -> Grade:
        given = normalise_text(str(response))
        accepted = {normalise_text(str(a)) for a in answer} - {""}
        return RIGHT if given and given in accepted else WRONG

    def format_answer(self, answer: Key) -> str:
        """Describe the key: "SCO (also accepted: Shanghai Cooperation Organization)"."""
        if isinstance(answer, str):
            return answer
        first, *others = answer
        return f"{first} (also accepted: {', '.join(others)})" if others else str(first)

    def sample(self) -> Sample[Key]:
        return Sample(None, ("Shanghai", "Shanghai Five"))

    def sample_form(self, answer: Key, presented: Presented, right: bool = True) -> dict[str, Any]:
        return {"value": answer[0] if right else "zzz not it"}

    def invalid_forms(self, presented: Presented) -> list[dict[str, Any]]:
        return [{}, {"value": ["   "]}]
