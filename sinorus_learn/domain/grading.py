"""Grade a learner's response against a question's key, forgivingly and with partial credit.

Response shapes (what ``parse_response`` / ``presentation.form_to_response`` give):

================  =============================================================
type              response
================  =============================================================
multiple_choice   the chosen choice text
multiple_select   a collection of chosen choice texts
true_false        bool (the strings "true"/"false" are read too)
numeric           the text as typed: "1,680", "12,8", "$3.5", "15.8 million tons", "10 %"
short_text        the text as typed
ordering          a sequence of the items in the learner's order
matching          a mapping left -> chosen right (or a sequence of (left, right) pairs)
================  =============================================================

Partial credit:

- multiple_select (as Moodle): (right choices chosen - wrong choices chosen) / right choices,
  never below 0;
- ordering (Kendall-style): the share of item pairs the learner put in the right relative
  order, so one event misplaced costs a little, not the whole question;
- matching: the share of left-hand items matched correctly.

``grade`` never raises on what a learner sends: an unreadable response scores 0 with a message.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from sinorus_learn.domain.presentation import ResponseError, form_to_response
from sinorus_learn.domain.questions import Answer, NumericAnswer

Response = str | bool | Sequence[str] | Mapping[str, str]

_NUMBER = re.compile(
    r"""^(?P<sign>[-+\u2212]?)\s?[$€£¥₽]?\s?
    (?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?   # 1,680 or 1,680.5: commas group thousands
      |\d+,\d{1,2}                            # 12,8: a decimal comma
      |\d+,\d{4,}                             # 12,8000: a decimal comma, too
      |\d*\.\d+|\d+\.?)
    \s?(?P<unit>[^\W\d_](?:[^\W\d_]|[ ./\u00b2\u00b3-])*+|%)?$""",
    re.VERBOSE,
)
_LEADING_ARTICLE = re.compile(r"^the\s+")


@dataclass(frozen=True)
class Grade:
    """How right a response was: a score in [0, 1] and a sentence saying why."""

    score: float
    message: str = ""

    @property
    def correct(self) -> bool:
        return self.score >= 1.0

    @property
    def partial(self) -> bool:
        return 0.0 < self.score < 1.0


RIGHT = Grade(1.0)
WRONG = Grade(0.0)


def grade(
    qtype: str, answer: Answer, response: Any, choices: tuple[str, ...] | None = None
) -> Grade:
    """Grade ``response`` to a question of ``qtype`` whose key is ``answer``."""
    grader = _GRADERS.get(qtype)
    if grader is None:
        return Grade(0.0, f"cannot grade a {qtype!r} question")
    if response is None or (isinstance(response, str) and not response.strip()):
        return Grade(0.0, "no answer given")
    try:
        return grader(answer, response, choices)
    except (TypeError, ValueError, AttributeError):  # a response of the wrong shape
        return Grade(0.0, "this answer cannot be read")


def _credit(score: float, message: str) -> Grade:
    return Grade(max(0.0, min(1.0, score)), message)


def _percent(score: float) -> str:
    return f"{round(100 * max(score, 0.0))}% credit"


def _grade_choice(answer: Answer, response: Any, _choices: tuple[str, ...] | None) -> Grade:
    return RIGHT if isinstance(response, str) and response == answer else WRONG


def _grade_true_false(answer: Answer, response: Any, _choices: tuple[str, ...] | None) -> Grade:
    if isinstance(response, str):
        response = {"true": True, "false": False}.get(response.strip().lower(), response)
    if not isinstance(response, bool):
        return Grade(0.0, "answer true or false")
    return RIGHT if response is answer else WRONG


def _grade_select(answer: Answer, response: Any, choices: tuple[str, ...] | None) -> Grade:
    if isinstance(response, str):
        response = (response,)
    right = set(answer)  # type: ignore[arg-type]
    chosen = set(response)
    hits, misses = len(chosen & right), len(chosen - right)
    score = (hits - misses) / len(right) if right else 0.0
    if score >= 1.0:
        return RIGHT
    message = f"{hits} of {len(right)} right answers chosen"
    if misses:
        message += f", {misses} wrong"
    return _credit(score, f"{message}: {_percent(score)}")


def parse_number(text: str) -> float | None:
    """Read a number as a person types it; None when it is not one."""
    squeezed = " ".join(unicodedata.normalize("NFKC", text).split())  # keeps backtracking linear
    match = _NUMBER.match(squeezed)
    if match is None:
        return None
    digits = match["number"]
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", digits):
        digits = digits.replace(",", "")
    value = float(digits.replace(",", "."))
    return -value if match["sign"] in ("-", "\u2212") else value


def _within(value: float, key: NumericAnswer) -> bool:
    slack = 1e-9 * max(1.0, abs(key.value), abs(key.tolerance))
    return key.low - slack <= value <= key.high + slack


def _grade_numeric(answer: Answer, response: Any, _choices: tuple[str, ...] | None) -> Grade:
    assert isinstance(answer, NumericAnswer)
    if isinstance(response, bool) or not isinstance(response, str | int | float):
        return Grade(0.0, "not a number")
    value = float(response) if not isinstance(response, str) else parse_number(response)
    if value is None or not math.isfinite(value):
        return Grade(0.0, "not a number")
    return RIGHT if _within(value, answer) else WRONG


def normalise_text(text: str) -> str:
    """Reduce text to what matters for a short answer: letters and digits, any case or accent."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    words = re.sub(r"[\W_]+", " ", bare.replace(".", "").replace("'", "").replace("’", ""))
    return _LEADING_ARTICLE.sub("", words.strip()).replace(" ", "")


def _grade_text(answer: Answer, response: Any, _choices: tuple[str, ...] | None) -> Grade:
    given = normalise_text(str(response))
    accepted = {normalise_text(str(a)) for a in answer} - {""}  # type: ignore[union-attr]
    return RIGHT if given and given in accepted else WRONG


def _grade_ordering(answer: Answer, response: Any, _choices: tuple[str, ...] | None) -> Grade:
    order = list(response)
    correct = list(answer)  # type: ignore[arg-type]
    if sorted(order) != sorted(correct) or len(set(order)) != len(order):
        return Grade(0.0, "put every item in order exactly once")
    if order == correct:
        return RIGHT
    rank = {item: i for i, item in enumerate(order)}
    pairs = list(combinations(correct, 2))
    kept = sum(1 for first, then in pairs if rank[first] < rank[then])
    score = kept / len(pairs)
    return _credit(score, f"{kept} of {len(pairs)} pairs in the right order: {_percent(score)}")


def _grade_matching(answer: Answer, response: Any, _choices: tuple[str, ...] | None) -> Grade:
    given = dict(response.items() if isinstance(response, Mapping) else response)
    key = dict(answer)  # type: ignore[arg-type]
    hits = sum(1 for left, right in key.items() if given.get(left) == right)
    if hits == len(key):
        return RIGHT
    score = hits / len(key) if key else 0.0
    return _credit(score, f"{hits} of {len(key)} pairs right: {_percent(score)}")


_GRADERS = {
    "multiple_choice": _grade_choice,
    "multiple_select": _grade_select,
    "true_false": _grade_true_false,
    "numeric": _grade_numeric,
    "short_text": _grade_text,
    "ordering": _grade_ordering,
    "matching": _grade_matching,
}


def parse_response(
    qtype: str,
    form_values: Mapping[str, Sequence[str]],
    choices: Sequence[str] | None = None,
    lefts: Sequence[str] | None = None,
) -> Any:
    """Turn raw form values into a response; raise ResponseError when incomplete or invalid.

    Fields: ``choice`` (multiple choice; true/false as "true"/"false"), ``choice`` repeated
    (multiple select), ``value`` (numeric, short text), ``position-<i>`` = rank 1..n of item
    ``choices[i]`` (ordering), ``match-<i>`` = the option from ``choices`` chosen for
    ``lefts[i]`` (matching). ``choices`` and ``lefts`` are in the order they were shown.
    """
    shown = list(choices or ())
    presented = {"choices": shown, "items": shown, "options": shown, "lefts": list(lefts or ())}
    return form_to_response(qtype, form_values, presented)


def _number_text(value: float) -> str:
    text = f"{round(value, 10):,.10f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _with_unit(text: str, unit: str) -> str:
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def _is_year(answer: NumericAnswer) -> bool:
    """A whole number from 1000 to 2999 with no unit (or "year") is a year: never "2,006"."""
    value = float(answer.value)
    return answer.unit in ("", "year") and value.is_integer() and 1000 <= value <= 2999


def _format_numeric(answer: NumericAnswer) -> str:
    if _is_year(answer) and answer.tolerance <= 0:
        return str(int(answer.value))
    if answer.tolerance <= 0:
        return _with_unit(_number_text(answer.value), answer.unit)
    low, high, value = float(answer.low), float(answer.high), float(answer.value)
    if low.is_integer() and high.is_integer() and not value.is_integer():  # a range: 3-6
        span = f"{_number_text(answer.low)}–{_number_text(answer.high)}"
        return _with_unit(span, answer.unit)
    value = _with_unit(_number_text(answer.value), answer.unit)
    return f"{value} (±{_number_text(answer.tolerance)})"


def format_answer(qtype: str, answer: Answer) -> str:
    """Describe the correct answer for a person: "12.8 million tons (±0.05)", "A → B; C → D"."""
    if qtype == "numeric" and isinstance(answer, NumericAnswer):
        return _format_numeric(answer)
    if qtype == "true_false":
        return "True" if answer else "False"
    if qtype == "matching":
        return "; ".join(f"{left} → {right}" for left, right in answer)  # type: ignore[misc,union-attr]
    if qtype == "ordering":
        return " → ".join(answer)  # type: ignore[arg-type]
    if qtype == "multiple_select":
        return "; ".join(answer)  # type: ignore[arg-type]
    if qtype == "short_text" and not isinstance(answer, str):
        first, *others = answer  # type: ignore[misc]
        return f"{first} (also accepted: {', '.join(others)})" if others else str(first)
    return str(answer)


__all__ = [
    "Grade",
    "Response",
    "ResponseError",
    "format_answer",
    "grade",
    "normalise_text",
    "parse_number",
    "parse_response",
]
