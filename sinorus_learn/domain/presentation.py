"""How a question is laid out for a learner, and how a submitted form becomes a response.

The form fields of each type (plain HTML, no JavaScript):

- multiple_choice, true_false: one ``choice`` (a choice text; ``true``/``false``);
- multiple_select: ``choice`` repeated;
- numeric, short_text: ``value`` as typed;
- ordering: ``position-<i>`` = the rank (1..n) the learner gives presented item ``i``;
- matching: ``match-<i>`` = the option chosen for presented left-hand item ``i``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from typing import Any

MAX_FIELD_LENGTH = 500


class ResponseError(ValueError):
    """A submitted form that is not a complete answer; the message is for the learner."""


def present(qtype: str, choices: Sequence[str] | None, answer: Any, rng: random.Random) -> dict:
    """Return the shuffled layout to store with an attempt item (never the key itself)."""
    if qtype in ("multiple_choice", "multiple_select"):
        numbers = [leading_number(choice) for choice in choices or ()]
        if numbers and all(n is not None for n in numbers):  # figures and years: ascending
            return {"choices": [c for _, c in sorted(zip(numbers, choices or (), strict=True))]}
        return {"choices": _shuffled(choices or (), rng)}
    if qtype == "ordering":
        # Uniform over every order, the correct one included: refusing it as a layout made
        # two items always appear reversed, which gave the key away.
        return {"items": _shuffled(list(choices or answer), rng)}
    if qtype == "matching":
        lefts = [left for left, _ in answer]
        options = list(choices) if choices else sorted({right for _, right in answer})
        return {"lefts": _shuffled(lefts, rng), "options": _shuffled(options, rng)}
    return {}


_LEADING_NUMBER = re.compile(
    r"^\s*(?:about |around |more than |less than )?[$€£]?(-?\d[\d,]*(?:\.\d+)?)"
)


def leading_number(text: str) -> float | None:
    """The number an option starts with ("12.8 million tons", "$33 billion", "1996-97"), or
    None: options that are all figures or years are shown in ascending order (LEARNING.md 5)."""
    match = _LEADING_NUMBER.match(text)
    return float(match.group(1).replace(",", "")) if match else None


def _shuffled(items: Sequence[str], rng: random.Random) -> list[str]:
    result = list(items)
    rng.shuffle(result)
    return result


def _values(form: Mapping[str, Any], name: str) -> list[str]:
    getlist = getattr(form, "getlist", None)
    raw = getlist(name) if getlist else form.get(name, [])
    if isinstance(raw, str):
        raw = [raw]
    return [str(v)[:MAX_FIELD_LENGTH] for v in raw]


def _one(form: Mapping[str, Any], name: str, missing: str) -> str:
    values = [v for v in _values(form, name) if v.strip()]
    if not values:
        raise ResponseError(missing)
    return values[0]


def form_to_response(qtype: str, form: Mapping[str, Any], presented: Mapping[str, Any]) -> Any:
    """Turn the submitted form into the response shape the grader takes."""
    if qtype == "multiple_choice":
        choice = _one(form, "choice", "Choose one answer.")
        if choice not in presented.get("choices", ()):
            raise ResponseError("Choose one of the answers shown.")
        return choice
    if qtype == "multiple_select":
        chosen = _values(form, "choice")
        if not chosen:
            raise ResponseError("Choose at least one answer.")
        if any(c not in presented.get("choices", ()) for c in chosen):
            raise ResponseError("Choose among the answers shown.")
        return sorted(set(chosen), key=list(presented["choices"]).index)
    if qtype == "true_false":
        choice = _one(form, "choice", "Choose true or false.")
        if choice not in ("true", "false"):
            raise ResponseError("Choose true or false.")
        return choice == "true"
    if qtype in ("numeric", "short_text"):
        return _one(form, "value", "Type an answer.").strip()
    if qtype == "ordering":
        return _ordering(form, list(presented.get("items", ())))
    if qtype == "matching":
        return _matching(form, presented)
    raise ResponseError("This question type cannot be answered here.")


def _ordering(form: Mapping[str, Any], items: list[str]) -> list[str]:
    ranks: dict[int, str] = {}
    for index, item in enumerate(items):
        raw = _one(form, f"position-{index}", "Give every item a position.")
        if not raw.isdigit() or not 1 <= int(raw) <= len(items):
            raise ResponseError(f"Positions go from 1 to {len(items)}.")
        if int(raw) in ranks:
            raise ResponseError("Give each item a different position.")
        ranks[int(raw)] = item
    return [ranks[rank] for rank in sorted(ranks)]


def _matching(form: Mapping[str, Any], presented: Mapping[str, Any]) -> dict[str, str]:
    options = list(presented.get("options", ()))
    pairs: dict[str, str] = {}
    for index, left in enumerate(presented.get("lefts", ())):
        chosen = _one(form, f"match-{index}", "Match every item.")
        if chosen not in options:
            raise ResponseError("Match each item with one of the options shown.")
        pairs[left] = chosen
    return pairs


def sample_form(
    qtype: str, answer: Any, presented: Mapping[str, Any], right: bool = True
) -> dict[str, Any]:
    """Return the form a learner submits for the key (stored JSON shape), or a wrong answer."""
    if qtype == "multiple_choice":
        wrong = next(c for c in presented["choices"] if c != answer)
        return {"choice": answer if right else wrong}
    if qtype == "multiple_select":
        if right:
            return {"choice": list(answer)}
        # when every choice shown is in the key, no wrong choice exists: send one it refuses
        return {"choice": [c for c in presented["choices"] if c not in answer] or ["?"]}
    if qtype == "true_false":
        return {"choice": "true" if answer == right else "false"}
    if qtype == "numeric":
        value = answer["value"] if right else answer["value"] + 10 * (answer["tolerance"] + 1000)
        return {"value": f"{value}"}
    if qtype == "short_text":
        return {"value": answer[0] if right else "zzz not it"}
    if qtype == "ordering":
        order = list(answer) if right else list(reversed(answer))
        items = presented["items"]
        return {f"position-{i}": str(order.index(item) + 1) for i, item in enumerate(items)}
    if qtype == "matching":
        key, options = dict(answer), presented["options"]
        return {
            f"match-{i}": key[left] if right else next(o for o in options if o != key[left])
            for i, left in enumerate(presented["lefts"])
        }
    raise ValueError(f"no sample form for a {qtype!r} question")


def response_to_json(qtype: str, response: Any) -> Any:
    """Return a JSON-storable copy of a response."""
    if qtype == "matching":
        return [[left, right] for left, right in dict(response).items()]
    if isinstance(response, tuple | list):
        return list(response)
    return response


def response_from_json(qtype: str, stored: Any) -> Any:
    """Rebuild a response stored by ``response_to_json``."""
    if qtype == "matching":
        return {left: right for left, right in stored}
    return stored
