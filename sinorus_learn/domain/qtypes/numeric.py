"""Numeric: a number typed as a person types it, right within a tolerance."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sinorus_learn.domain.grading import RIGHT, WRONG, Grade, fmt, parse_student_number
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
    gift_number,
    json_kind,
    json_number,
)


@dataclass(frozen=True)
class NumericAnswer:
    """A numeric key: any answer within ``value ± tolerance`` (in ``unit``) is right."""

    value: float
    tolerance: float = 0.0
    unit: str = ""

    @property
    def low(self) -> float:
        return self.value - self.tolerance

    @property
    def high(self) -> float:
        return self.value + self.tolerance

    @classmethod
    def from_range(cls, low: float, high: float, unit: str = "") -> NumericAnswer:
        """Accept every value from ``low`` to ``high`` (a quantity printed as a range)."""
        return cls(value=(low + high) / 2, tolerance=(high - low) / 2, unit=unit)


class Numeric(QType[NumericAnswer]):
    """The key is a value, a tolerance and a unit; the learner types the number."""

    name = "numeric"
    label = "Numeric"
    gift_mark = "#"

    def answer_to_json(self, answer: NumericAnswer) -> dict[str, Any]:
        # Floats always, so 2 and 2.0 hash alike and an export re-imports as unchanged.
        return {
            "value": float(answer.value),
            "tolerance": float(answer.tolerance),
            "unit": answer.unit,
        }

    def read_json(self, raw: Any) -> NumericAnswer:
        return NumericAnswer(
            value=float(raw["value"]),
            tolerance=float(raw.get("tolerance") or 0.0),
            unit=str(raw.get("unit") or ""),
        )

    def json_answer_problem(self, raw: object) -> str:
        if not isinstance(raw, dict) or not json_number(raw.get("value")):
            return f"field 'answer' must be an object with a number 'value', found {json_kind(raw)}"
        tolerance, unit = raw.get("tolerance"), raw.get("unit")
        if tolerance is not None and not json_number(tolerance):
            return f"field 'answer.tolerance' must be a number, found {json_kind(tolerance)}"
        if unit is not None and not isinstance(unit, str):
            return f"field 'answer.unit' must be a string, found {json_kind(unit)}"
        return ""

    def problems(self, choices: Choices, answer: NumericAnswer) -> list[Problem]:
        if not isinstance(answer, NumericAnswer):
            return [Problem("numeric_value", "a numeric answer needs a value")]
        if answer.tolerance < 0:
            return [Problem("tolerance", "the tolerance cannot be below zero")]
        return []

    def stem_cues(self, choices: Choices, answer: NumericAnswer) -> tuple[list[str], list[str]]:
        if not isinstance(answer, NumericAnswer):
            return [], []
        value = answer.value
        if value == int(value):
            whole = int(value)
            return list(dict.fromkeys([str(whole), f"{whole:,}"])), []
        return [f"{value:g}"], []

    def from_input(self, fields: AnswerInput) -> Authored[NumericAnswer]:
        problems: tuple[Problem, ...] = ()
        if fields.numeric_value is None:
            problems = (Problem("numeric_value", "Give the numeric answer."),)
        answer = NumericAnswer(
            value=fields.numeric_value or 0.0,
            tolerance=fields.tolerance or 0.0,
            unit=fields.unit.strip(),
        )
        return Authored(None, answer, problems)

    def to_input(self, choices: Choices, answer: NumericAnswer) -> dict[str, Any]:
        return {"numeric_value": answer.value, "tolerance": answer.tolerance, "unit": answer.unit}

    def gift_answers(
        self, choices: Choices, answer: NumericAnswer, option_feedback: tuple[tuple[str, str], ...]
    ) -> list[str]:
        return [f"={gift_number(answer.value)}:{gift_number(answer.tolerance)}"]

    def parse_form(self, form: Form, presented: Presented) -> str:
        return one_value(form, "value", "Type an answer.").strip()

    def grade(self, answer: NumericAnswer, response: Any, choices: Choices) -> Grade:
        """Read the number as typed ("1,680", "12,8", "$3.5", "15.8 million tons", "10 %")."""
        assert isinstance(answer, NumericAnswer)
        if isinstance(response, bool) or not isinstance(response, str | int | float):
            return Grade(0.0, "not a number")
        value = float(response) if not isinstance(response, str) else parse_student_number(response)
        if value is None or not math.isfinite(value):
            return Grade(0.0, "not a number")
        return RIGHT if _within(value, answer) else WRONG

    def format_answer(self, answer: NumericAnswer) -> str:
        """Describe the key: "12.8 million tons (±0.05)", "3–6", "2006"."""
        if not isinstance(answer, NumericAnswer):
            return str(answer)
        if _is_year(answer) and answer.tolerance <= 0:
            return str(int(answer.value))
        if answer.tolerance <= 0:
            return _with_unit(fmt(round(answer.value, 10), 10), answer.unit)
        low, high, value = float(answer.low), float(answer.high), float(answer.value)
        if low.is_integer() and high.is_integer() and not value.is_integer():  # a range: 3-6
            span = f"{fmt(round(answer.low, 10), 10)}–{fmt(round(answer.high, 10), 10)}"
            return _with_unit(span, answer.unit)
        text = _with_unit(fmt(round(answer.value, 10), 10), answer.unit)
        return f"{text} (±{fmt(round(answer.tolerance, 10), 10)})"

    def sample(self) -> Sample[NumericAnswer]:
        return Sample(None, NumericAnswer(12.8, 0.05))

    def sample_form(
        self, answer: NumericAnswer, presented: Presented, right: bool = True
    ) -> dict[str, Any]:
        value = answer.value if right else answer.value + 10 * (answer.tolerance + 1000)
        return {"value": f"{value}"}

    def invalid_forms(self, presented: Presented) -> list[dict[str, Any]]:
        return [{}, {"value": ["  "]}]


def _within(value: float, key: NumericAnswer) -> bool:
    slack = 1e-9 * max(1.0, abs(key.value), abs(key.tolerance))
    return key.low - slack <= value <= key.high + slack


def _with_unit(text: str, unit: str) -> str:
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def _is_year(answer: NumericAnswer) -> bool:
    """A whole number from 1000 to 2999 with no unit (or "year") is a year: never "2,006"."""
    value = float(answer.value)
    return answer.unit in ("", "year") and value.is_integer() and 1000 <= value <= 2999
