"""Which questions a quiz asks, and in what order its choices are shown.

Questions are drawn without replacement, weighted so that what a learner most needs comes up
most often: a question last answered wrong or never seen weighs 4, one due for review gets 2
more, and one last answered right and not due weighs 1. Weighted sampling (Efraimidis-Spirakis:
each candidate draws ``u ** (1 / weight)`` and the highest draws win) keeps some variety while
favouring those, and is deterministic for a given ``random.Random``.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

WEIGHT_NEEDED = 4.0  # never seen, or last answered wrong
WEIGHT_DUE_BONUS = 2.0
WEIGHT_KNOWN = 1.0
UNSHUFFLED_TYPES = frozenset({"true_false", "numeric", "short_text"})


@dataclass(frozen=True)
class Candidate:
    """A question that may be asked, with what the learner has done with it."""

    key: str
    seen: bool = False
    last_correct: bool | None = None
    due: bool = False


def weight(candidate: Candidate) -> float:
    """Return how strongly ``candidate`` is favoured."""
    needed = not candidate.seen or candidate.last_correct is False
    base = WEIGHT_NEEDED if needed else WEIGHT_KNOWN
    return base + (WEIGHT_DUE_BONUS if candidate.due else 0.0)


def select_questions(candidates: Sequence[Candidate], n: int, rng: random.Random) -> list[str]:
    """Return up to ``n`` distinct keys, favouring unseen, last-wrong and due questions."""
    unique: dict[str, Candidate] = {}
    for candidate in candidates:
        unique.setdefault(candidate.key, candidate)
    draws = [
        (rng.random() ** (1.0 / weight(candidate)), index, candidate.key)
        for index, candidate in enumerate(unique.values())
    ]
    draws.sort(key=lambda draw: (-draw[0], draw[1]))
    return [key for _, _, key in draws[: max(n, 0)]]


def shuffle_choices(
    qtype: str,
    choices: Sequence[str] | None,
    rng: random.Random,
    correct_order: Sequence[str] | None = None,
) -> tuple[str, ...] | None:
    """Return the choices in the order to show them.

    True/false, numeric and short-text questions keep theirs. Ordering items never come out in
    ``correct_order`` (by default ``choices`` itself) when there are two or more.
    """
    if choices is None or qtype in UNSHUFFLED_TYPES:
        return tuple(choices) if choices is not None else None
    shuffled = list(choices)
    rng.shuffle(shuffled)
    target = list(correct_order if correct_order is not None else choices)
    if qtype == "ordering" and len(shuffled) > 1 and shuffled == target:
        shuffled = shuffled[1:] + shuffled[:1]  # distinct items: a rotation is never in order
    return tuple(shuffled)


__all__ = ["Candidate", "select_questions", "shuffle_choices", "weight"]
