"""The question types: one module each, registered here in the order forms list them.

Everything that depends on a question's type asks this registry (``get(name)``) instead of
testing the name; adding a type is one module, one template partial and its tests (see
docs/question-types.md).
"""

from __future__ import annotations

from typing import Any

from sinorus_learn.domain.qtypes.base import (
    AnswerInput,
    Authored,
    Problem,
    QType,
    QuestionSpecError,
    Sample,
)
from sinorus_learn.domain.qtypes.explain import Explain, ExplainAnswer
from sinorus_learn.domain.qtypes.matching import Matching
from sinorus_learn.domain.qtypes.multiple_choice import MultipleChoice
from sinorus_learn.domain.qtypes.multiple_select import MultipleSelect
from sinorus_learn.domain.qtypes.numeric import Numeric, NumericAnswer
from sinorus_learn.domain.qtypes.ordering import Ordering
from sinorus_learn.domain.qtypes.short_text import ShortText
from sinorus_learn.domain.qtypes.true_false import TrueFalse

# What a key may be, over every type (each type's module says which shape is its own).
Answer = str | bool | NumericAnswer | tuple[str, ...] | tuple[tuple[str, str], ...] | ExplainAnswer

REGISTRY: dict[str, QType[Any]] = {
    qtype.name: qtype
    for qtype in (
        MultipleChoice(),
        MultipleSelect(),
        TrueFalse(),
        Numeric(),
        ShortText(),
        Ordering(),
        Matching(),
        Explain(),
    )
}


def get(name: str) -> QType[Any]:
    """Return the type called ``name``; raise QuestionSpecError when there is none."""
    qtype = REGISTRY.get(name)
    if qtype is None:
        raise QuestionSpecError(f"unknown question type {name!r}")
    return qtype


def find(name: str) -> QType[Any] | None:
    """Return the type called ``name``, or None."""
    return REGISTRY.get(name)


def names() -> tuple[str, ...]:
    """Return every type's name, in the registry's order."""
    return tuple(REGISTRY)


def labels() -> dict[str, str]:
    """Return each type's name and label, in the registry's order."""
    return {name: qtype.label for name, qtype in REGISTRY.items()}


__all__ = [
    "REGISTRY",
    "Answer",
    "AnswerInput",
    "ExplainAnswer",
    "Authored",
    "NumericAnswer",
    "Problem",
    "QType",
    "QuestionSpecError",
    "Sample",
    "find",
    "get",
    "labels",
    "names",
]
