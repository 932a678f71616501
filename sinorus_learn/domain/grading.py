"""Grading: what every question type shares (normalising, partial credit), and ``grade``.

Each type grades its own responses (``qtypes/<type>.py``, ``grade``); its module's docstring
says what its key and responses look like and how it gives partial credit. ``grade`` never
raises on what a learner sends: an unreadable response scores 0 with a message.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sinorus_learn.domain.presentation import ResponseError, form_to_response

if TYPE_CHECKING:
    from sinorus_learn.domain.qtypes import Answer

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
    from sinorus_learn.domain import qtypes  # the types import this module: look up at call

    kind = qtypes.find(qtype)
    if kind is None:
        return Grade(0.0, f"cannot grade a {qtype!r} question")
    if response is None or (isinstance(response, str) and not response.strip()):
        return Grade(0.0, "no answer given")
    try:
        return kind.grade(answer, response, choices)
    except (TypeError, ValueError, AttributeError):  # a response of the wrong shape
        return Grade(0.0, "this answer cannot be read")


def credit(score: float, message: str) -> Grade:
    """Return partial credit, held to [0, 1]."""
    return Grade(max(0.0, min(1.0, score)), message)


def percent_credit(score: float) -> str:
    """Say a score as credit: "50% credit"."""
    return f"{round(100 * max(score, 0.0))}% credit"


def fmt(value: float, decimals: int = 2) -> str:
    """Say a number as the report prints it: thousands commas, no trailing zeros, never -0."""
    text = f"{value:,.{decimals}f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text == "-0" else text


def parse_student_number(text: str) -> float | None:
    """Read a number as a person types it (a sign, a decimal comma, a unit after it); None when
    it is not one, which is an invalid answer rather than an error. Table cells go through the
    stricter ``tables.parse_cell_number``."""
    squeezed = " ".join(unicodedata.normalize("NFKC", text).split())  # keeps backtracking linear
    match = _NUMBER.match(squeezed)
    if match is None:
        return None
    digits = match["number"]
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", digits):
        digits = digits.replace(",", "")
    value = float(digits.replace(",", "."))
    return -value if match["sign"] in ("-", "\u2212") else value


def normalise_text(text: str) -> str:
    """Reduce text to what matters for a short answer: letters and digits, any case or accent."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    words = re.sub(r"[\W_]+", " ", bare.replace(".", "").replace("'", "").replace("’", ""))
    return _LEADING_ARTICLE.sub("", words.strip()).replace(" ", "")


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


def format_answer(qtype: str, answer: Answer) -> str:
    """Describe the correct answer for a person: "12.8 million tons (±0.05)", "A → B; C → D"."""
    from sinorus_learn.domain import qtypes  # the types import this module: look up at call

    kind = qtypes.find(qtype)
    return kind.format_answer(answer) if kind is not None else str(answer)


__all__ = [
    "RIGHT",
    "WRONG",
    "Grade",
    "Response",
    "ResponseError",
    "credit",
    "format_answer",
    "grade",
    "normalise_text",
    "parse_student_number",
    "parse_response",
    "percent_credit",
]
