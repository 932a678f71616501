"""How a question is laid out for a learner, and how a submitted form becomes a response.

Each type lays out its question and reads its form (``qtypes/<type>.py``: ``present``,
``parse_form``); this module holds what they share, and the functions that look the type up.
Forms are plain HTML, no JavaScript; each type's template partial names its fields.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from typing import Any

MAX_FIELD_LENGTH = 500


class ResponseError(ValueError):
    """A submitted form that is not a complete answer; the message is for the learner."""


def present(
    qtype: str, choices: Sequence[str] | None, answer: Any, rng: random.Random
) -> dict[str, Any]:
    """Return the shuffled layout to store with an attempt item (never the key itself);
    ``answer`` is the key in its stored JSON shape."""
    from sinorus_learn.domain import qtypes  # the types import this module: look up at call

    kind = qtypes.find(qtype)
    if kind is None:
        return {}
    shown = tuple(choices) if choices is not None else None
    return kind.present(shown, kind.answer_from_json(answer), rng)


def present_options(choices: Sequence[str] | None, rng: random.Random) -> dict[str, Any]:
    """Lay out options: ascending when all are figures or years, else shuffled."""
    numbers = [leading_number(choice) for choice in choices or ()]
    if numbers and all(n is not None for n in numbers):  # figures and years: ascending
        return {"choices": [c for _, c in sorted(zip(numbers, choices or (), strict=True))]}
    return {"choices": shuffled(choices or (), rng)}


_LEADING_NUMBER = re.compile(
    r"^\s*(?:about |around |more than |less than )?[$€£]?(-?\d[\d,]*(?:\.\d+)?)"
)


def leading_number(text: str) -> float | None:
    """The number an option starts with ("12.8 million tons", "$33 billion", "1996-97"), or
    None: options that are all figures or years are shown in ascending order (LEARNING.md 5)."""
    match = _LEADING_NUMBER.match(text)
    return float(match.group(1).replace(",", "")) if match else None


def shuffled(items: Sequence[str], rng: random.Random) -> list[str]:
    """Return the items in a random order drawn from ``rng``."""
    result = list(items)
    rng.shuffle(result)
    return result


def form_values(form: Mapping[str, Any], name: str) -> list[str]:
    """Return every value of field ``name`` (a MultiDict's list, or a dict's value or list),
    each cut to MAX_FIELD_LENGTH."""
    getlist = getattr(form, "getlist", None)
    raw = getlist(name) if getlist else form.get(name, [])
    if isinstance(raw, str):
        raw = [raw]
    return [str(v)[:MAX_FIELD_LENGTH] for v in raw]


def one_value(form: Mapping[str, Any], name: str, missing: str) -> str:
    """Return the first non-blank value of field ``name``; raise ResponseError(missing)."""
    values = [v for v in form_values(form, name) if v.strip()]
    if not values:
        raise ResponseError(missing)
    return values[0]


def form_to_response(qtype: str, form: Mapping[str, Any], presented: Mapping[str, Any]) -> Any:
    """Turn the submitted form into the response shape the grader takes."""
    from sinorus_learn.domain import qtypes  # the types import this module: look up at call

    kind = qtypes.find(qtype)
    if kind is None:
        raise ResponseError("This question type cannot be answered here.")
    return kind.parse_form(form, presented)


def sample_form(
    qtype: str, answer: Any, presented: Mapping[str, Any], right: bool = True
) -> dict[str, Any]:
    """Return the form a learner submits for the key (stored JSON shape), or a wrong answer."""
    from sinorus_learn.domain import qtypes  # the types import this module: look up at call

    kind = qtypes.find(qtype)
    if kind is None:
        raise ValueError(f"no sample form for a {qtype!r} question")
    return kind.sample_form(kind.answer_from_json(answer), presented, right)


def response_to_json(qtype: str, response: Any) -> Any:
    """Return a JSON-storable copy of a response."""
    from sinorus_learn.domain import qtypes  # the types import this module: look up at call

    return qtypes.get(qtype).response_to_json(response)


def response_from_json(qtype: str, stored: Any) -> Any:
    """Rebuild a response stored by ``response_to_json``."""
    from sinorus_learn.domain import qtypes  # the types import this module: look up at call

    return qtypes.get(qtype).response_from_json(stored)
