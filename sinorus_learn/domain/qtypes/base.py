"""What every question type provides, and the helpers several types share.

A type is one subclass of ``QType`` in its own module, registered in ``qtypes/__init__.py``; the
rest of the app asks the registry (``qtypes.get(name)``) instead of testing the type's name.
Each type owns, for its answer model ``A``: the JSON mapping, the rules of a well-formed key,
the instructor's form fields, the GIFT answer lines, the layout shown to a learner (never the
key), reading the learner's form, grading, display, and sample answers for tests. Its answer
controls are one template partial, ``templates/quiz/answers/_<name>.html``.
"""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from sinorus_learn.domain.grading import Grade

A = TypeVar("A")
Choices = tuple[str, ...] | None
Form = Mapping[str, Any]  # a submitted form: a MultiDict, or a dict of values or lists
Presented = Mapping[str, Any]  # the layout stored with an attempt item (JSON)


class QuestionSpecError(ValueError):
    """A question spec that breaks the rules of its type."""


@dataclass(frozen=True)
class Problem:
    """What is wrong with a question, and the field of the question form it concerns.

    ``field`` names an input of the instructor's question form (``prompt``, ``choices``,
    ``correct``, ``pairs``, ``numeric_value``, ``tolerance``, ``true_false``, ``level``...), so
    the form shows the message next to it; importers only read ``message``.
    """

    field: str
    message: str


@dataclass(frozen=True)
class AnswerInput:
    """The answer part of the instructor's question form, as typed (shared by every type)."""

    choices: str = ""  # one per line
    correct: str = ""  # one per line
    true_false: str = "true"
    numeric_value: float | None = None
    tolerance: float | None = None
    unit: str = ""
    pairs: str = ""  # "left = right" per line
    model_answer: str = ""
    checklist: str = ""  # "text | evidence | section | footnotes" per line


@dataclass(frozen=True)
class Authored(Generic[A]):
    """The choices and key read from an ``AnswerInput``, and what is missing from it."""

    choices: Choices
    answer: A
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class Sample(Generic[A]):
    """A well-formed question of a type, for tests: its choices and key."""

    choices: Choices
    answer: A


class QType(ABC, Generic[A]):
    """One kind of question: everything the app does that depends on the kind."""

    name: ClassVar[str]  # stored in the database and the JSON export: never rename
    label: ClassVar[str]  # shown to people
    uses_choices: ClassVar[bool] = False  # the spec has a list of choices (or items) to show
    in_gift: ClassVar[bool] = True  # GIFT can express it (``gift_answers``)
    gift_mark: ClassVar[str] = ""  # written right after the ``{`` of its GIFT answer block
    options_shown: ClassVar[bool] = False  # its choices are options of one kind (item lint)
    one_option_right: ClassVar[bool] = False  # exactly one of its options is the key
    # Answered in two steps: the response is stored pending, then the learner self-assesses
    # it against the key (the quiz service's flow; ``explain``).
    self_assessed: ClassVar[bool] = False

    @property
    def partial(self) -> str:
        """Return the template that renders its answer controls."""
        return f"quiz/answers/_{self.name}.html"

    # -- the answer model and its JSON shape

    @abstractmethod
    def answer_to_json(self, answer: A) -> Any:
        """Return ``answer`` in the JSON export shape."""

    @abstractmethod
    def read_json(self, raw: Any) -> A:
        """Build the key from its JSON shape (may raise KeyError, TypeError or ValueError)."""

    def answer_from_json(self, raw: Any) -> A:
        """Build the key from its JSON shape; raise QuestionSpecError when malformed."""
        try:
            return self.read_json(raw)
        except (KeyError, TypeError, ValueError) as exc:
            raise QuestionSpecError(f"malformed {self.name} answer: {exc}") from exc

    def json_answer_problem(self, raw: object) -> str:
        """Say what is wrong with the JSON shape of an imported key ("" when it fits)."""
        del raw  # a shape ``read_json`` reads strictly enough needs no check of its own
        return ""

    # -- a well-formed question

    @abstractmethod
    def problems(self, choices: Choices, answer: A) -> list[Problem]:
        """List what breaks the rules of this type (empty when the key is well formed)."""

    def keyed_options(self, answer: A) -> frozenset[str] | None:
        """Return the options that are right, for a type whose key is chosen among options
        (None otherwise: such a type has no per-option feedback)."""
        del answer
        return None

    def stem_cues(self, choices: Choices, answer: A) -> tuple[list[str], list[str]]:
        """Return the texts a stem must not print (the key) and the other options."""
        right = self.keyed_options(answer)
        if right is None:
            return [], []
        shown = choices or ()
        return [c for c in shown if c in right], [c for c in shown if c not in right]

    def shown_texts(self, answer: A) -> list[str]:
        """Return the texts of the key a learner reads besides the choices (item lint)."""
        del answer
        return []

    # -- the instructor's form

    @abstractmethod
    def from_input(self, fields: AnswerInput) -> Authored[A]:
        """Read the choices and key from the question form; note what is missing."""

    @abstractmethod
    def to_input(self, choices: Choices, answer: A) -> dict[str, Any]:
        """Return the question form's values that rebuild this key."""

    # -- GIFT

    def gift_answers(
        self, choices: Choices, answer: A, option_feedback: tuple[tuple[str, str], ...]
    ) -> list[str]:
        """Return the lines inside the GIFT answer block (types with ``in_gift`` only)."""
        raise NotImplementedError(f"GIFT has no {self.name} questions")

    def gift_general_feedback(self, answer: A, explanation: str) -> str:
        """Return what its GIFT block's ``####general feedback`` holds: the explanation."""
        del answer
        return explanation

    # -- the learner's side

    def present(self, choices: Choices, answer: A, rng: random.Random) -> dict[str, Any]:
        """Return the layout to store with an attempt item: never the key itself."""
        del choices, answer, rng
        return {}

    @abstractmethod
    def parse_form(self, form: Form, presented: Presented) -> Any:
        """Turn the submitted form into a response; raise ResponseError when incomplete."""

    def response_to_json(self, response: Any) -> Any:
        """Return a JSON-storable copy of a response."""
        return list(response) if isinstance(response, tuple | list) else response

    def response_from_json(self, stored: Any) -> Any:
        """Rebuild a response stored by ``response_to_json``."""
        return stored

    def self_assess(self, stored: Any, ticked: Sequence[str], answer: A) -> Any:
        """Return a stored response with the learner's self-assessment (``self_assessed``
        types); raise ResponseError when it names what was not shown."""
        raise NotImplementedError(f"{self.name} answers are not self-assessed")

    @abstractmethod
    def grade(self, answer: A, response: Any, choices: Choices) -> Grade:
        """Grade a response of any shape (``grading.grade`` catches a wrong shape's errors)."""

    # -- display

    def format_answer(self, answer: A) -> str:
        """Describe the key for a person."""
        return str(answer)

    def response_text(self, response: Any) -> str:
        """Describe a stored response (``response_from_json``'s) for a person."""
        return ", ".join(response) if isinstance(response, list) else str(response)

    # -- samples for tests and the benchmark

    @abstractmethod
    def sample(self) -> Sample[A]:
        """Return a small well-formed question of this type."""

    @abstractmethod
    def sample_form(self, answer: A, presented: Presented, right: bool = True) -> dict[str, Any]:
        """Return the form a learner submits for the key, or a wrong but readable answer."""

    @abstractmethod
    def invalid_forms(self, presented: Presented) -> list[dict[str, Any]]:
        """Return forms ``parse_form`` refuses (incomplete, or naming what was not shown)."""


# ---------------------------------------------------------------- helpers the types share


def lines(text: str) -> list[str]:
    """Return the non-blank lines of a text area, stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def choice_problems(choices: Choices, field: str = "choices") -> list[Problem]:
    """Require two or more distinct choices."""
    if not choices or len(choices) < 2:
        return [Problem(field, "at least two choices are needed")]
    if len(set(choices)) != len(choices):
        return [Problem(field, "choices must be distinct")]
    return []


def json_kind(value: object) -> str:
    """Name a JSON value's type as a person would."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"


def json_strings(value: object) -> bool:
    """Tell whether a JSON value is a list of strings."""
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def json_number(value: object) -> bool:
    """Tell whether a JSON value is a number (true/false are not)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def strings_problem(raw: object) -> str:
    """The JSON-shape check of a key that is a list of strings."""
    if json_strings(raw):
        return ""
    return f"field 'answer' must be a list of strings, found {json_kind(raw)}"


def gift_escape(text: str) -> str:
    """Escape GIFT's special characters; newlines become ``\\n`` so a question stays one block."""
    out = text.replace("\\", "\\\\")
    for ch in "~=#{}:":
        out = out.replace(ch, "\\" + ch)
    return out.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def gift_number(value: float) -> str:
    """Write a number for GIFT: whole numbers without a decimal point."""
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def gift_feedback(feedback: Mapping[str, str], choice: str) -> str:
    """Return ``#feedback`` for a choice that has some, else ""."""
    text = feedback.get(choice, "")
    return f"#{gift_escape(text)}" if text.strip() else ""


def pick_other(options: Sequence[str], not_this: object) -> str:
    """Return the first option that is not ``not_this`` (a wrong sample answer)."""
    return next(o for o in options if o != not_this)
