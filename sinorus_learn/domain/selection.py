"""Which questions a quiz asks, and in what order its choices are shown.

Questions are drawn without replacement, weighted so that what a learner most needs comes up
most often: a question last answered wrong or never seen weighs 4, one due for review gets 2
more, and one last answered right and not due weighs 1. Weighted sampling (Efraimidis-Spirakis:
each candidate draws ``u ** (1 / weight)`` and the highest draws win) keeps some variety while
favouring those, and is deterministic for a given ``random.Random``.

Every quiz keeps siblings apart (LEARNING.md section 3): no two questions on the same fact, and
no question whose stem states another's fact. A lesson quiz also follows a ``Blueprint``
(section 4): questions spread round-robin over the lesson's objectives, weakest first; at most
40% from the data tables, 30% from the timeline, 40% of one type; at least a third ``explain``
or ``evaluate`` where the pool has them, and one or two "explain in your own words" questions
(never more) where the topic has them, counting toward that share. A quiz comes out shorter
rather than break a limit.
"""

from __future__ import annotations

import dataclasses
import math
import random
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from sinorus_learn.domain import qtypes

WEIGHT_NEEDED = 4.0  # never seen, or last answered wrong
WEIGHT_DUE_BONUS = 2.0
WEIGHT_KNOWN = 1.0
DEEP_LEVELS = frozenset({"explain", "evaluate"})
TABLE, TIMELINE, TEXT = "table", "timeline", "text"  # where a question's answer comes from
EXPLAIN = "explain"  # the type written in the learner's words (qtypes/explain.py)


@dataclass(frozen=True)
class Candidate:
    """A question that may be asked, with what the learner has done with it."""

    key: str
    seen: bool = False
    last_correct: bool | None = None
    due: bool = False
    fact: str = ""  # what it asks; "" means a fact of its own
    given: frozenset[str] = frozenset()  # the facts its stem states
    objectives: tuple[str, ...] = ()
    level: str = ""
    qtype: str = ""
    origin: str = TEXT  # TABLE, TIMELINE or TEXT

    @property
    def fact_id(self) -> str:
        return self.fact or self.key


@dataclass(frozen=True)
class Blueprint:
    """The mix a quiz must keep; the defaults impose nothing but the sibling rule."""

    objectives: tuple[str, ...] = ()  # to spread over, the one to favour first
    max_table: float = 1.0  # largest share from the data tables
    max_timeline: float = 1.0
    max_type: float = 1.0  # largest share of any one question type
    min_deep: float = 0.0  # smallest share of explain / evaluate, where the pool has them
    min_explain: int = 0  # "explain in your own words" questions, where the pool has them
    max_explain: int | None = None  # at most this many of them (they take the longest)


LESSON_MIX = Blueprint(
    max_table=0.4, max_timeline=0.3, max_type=0.4, min_deep=1 / 3, min_explain=1, max_explain=2
)


def lesson_blueprint(objectives: Sequence[str]) -> Blueprint:
    """Return the lesson quiz's blueprint over ``objectives``, weakest first."""
    return Blueprint(
        objectives=tuple(objectives),
        max_table=LESSON_MIX.max_table,
        max_timeline=LESSON_MIX.max_timeline,
        max_type=LESSON_MIX.max_type,
        min_deep=LESSON_MIX.min_deep,
        min_explain=LESSON_MIX.min_explain,
        max_explain=LESSON_MIX.max_explain,
    )


def weight(candidate: Candidate) -> float:
    """Return how strongly ``candidate`` is favoured."""
    needed = not candidate.seen or candidate.last_correct is False
    base = WEIGHT_NEEDED if needed else WEIGHT_KNOWN
    return base + (WEIGHT_DUE_BONUS if candidate.due else 0.0)


def clashes(a: Candidate, b: Candidate) -> bool:
    """Return whether ``a`` and ``b`` may not share a quiz (siblings, or a give-away)."""
    return a.fact_id == b.fact_id or a.fact_id in b.given or b.fact_id in a.given


def select_questions(
    candidates: Sequence[Candidate],
    n: int,
    rng: random.Random,
    blueprint: Blueprint | None = None,
) -> list[str]:
    """Return up to ``n`` distinct keys, favouring unseen, last-wrong and due questions, with
    no siblings or give-aways, and keeping ``blueprint``'s mix when one is given."""
    unique: dict[str, Candidate] = {}
    for candidate in candidates:
        unique.setdefault(candidate.key, candidate)
    draws = [
        (rng.random() ** (1.0 / weight(candidate)), index, candidate)
        for index, candidate in enumerate(unique.values())
    ]
    draws.sort(key=lambda draw: (-draw[0], draw[1]))
    ranked = [candidate for _, _, candidate in draws]
    n = max(n, 0)
    if blueprint is None or blueprint == Blueprint():
        return [c.key for c in _compose(ranked, n, Blueprint(), 0)]
    best: list[Candidate] = []
    size = n
    while size > 0:  # shorter rather than out of the mix
        for chosen in _attempts(ranked, size, blueprint):
            if len(chosen) == size:
                return [c.key for c in chosen]
            if len(chosen) > len(best) and _within(chosen, blueprint):
                best = chosen
        size -= 1
    return [c.key for c in best]


def _attempts(
    ranked: Sequence[Candidate], size: int, blueprint: Blueprint
) -> Iterator[list[Candidate]]:
    """Compose ``size`` questions round-robin over the objectives, then, if that fails, in
    plain order of need; no limit of the blueprint gives way (the quiz shortens instead)."""
    deep = _deep_target(ranked, blueprint, size)
    yield _compose(ranked, size, blueprint, deep)
    yield _compose(ranked, size, dataclasses.replace(blueprint, objectives=()), deep)


@dataclass
class _Mix:
    """The running counts a quiz is held to while it is composed."""

    blueprint: Blueprint
    size: int
    chosen: list[Candidate] = field(default_factory=list)
    origins: Counter[str] = field(default_factory=Counter)
    types: Counter[str] = field(default_factory=Counter)
    deep: int = 0
    facts: set[str] = field(default_factory=set)
    given: set[str] = field(default_factory=set)

    def cap(self, share: float) -> int:
        return self.size if share >= 1.0 else math.floor(share * self.size + 1e-9)

    def allows(self, c: Candidate, deep_needed: int) -> bool:
        bp = self.blueprint
        if c.fact_id in self.facts or c.fact_id in self.given or not self.facts.isdisjoint(c.given):
            return False  # the sibling rule, as ``clashes`` states it, against the whole quiz
        if c.origin == TABLE and self.origins[TABLE] >= self.cap(bp.max_table):
            return False
        if c.origin == TIMELINE and self.origins[TIMELINE] >= self.cap(bp.max_timeline):
            return False
        if self.types[c.qtype] >= max(1, self.cap(bp.max_type)):
            return False
        explain_full = bp.max_explain is not None and self.types[EXPLAIN] >= bp.max_explain
        if c.qtype == EXPLAIN and explain_full:
            return False
        slots_left = self.size - len(self.chosen)
        return c.level in DEEP_LEVELS or slots_left > deep_needed - self.deep

    def add(self, c: Candidate) -> None:
        self.chosen.append(c)
        self.origins[c.origin] += 1
        self.types[c.qtype] += 1
        self.deep += c.level in DEEP_LEVELS
        self.facts.add(c.fact_id)
        self.given.update(c.given)


def _deep_target(ranked: Sequence[Candidate], blueprint: Blueprint, size: int) -> int:
    """How many explain/evaluate questions the quiz needs: its share, or all the pool has."""
    wanted = math.ceil(blueprint.min_deep * size - 1e-9)
    available = len({c.fact_id for c in ranked if c.level in DEEP_LEVELS})
    return min(wanted, available)


def _compose(
    ranked: Sequence[Candidate], size: int, blueprint: Blueprint, deep_needed: int
) -> list[Candidate]:
    """Fill ``size`` slots from ``ranked`` (best first), round-robin over the objectives: the
    ``deep_needed`` explain/evaluate questions first (they are the scarce ones), then the rest."""
    mix = _Mix(blueprint, size)
    taken: set[str] = set()

    def take(pool: Iterable[Candidate]) -> bool:
        for c in pool:
            if c.key not in taken and mix.allows(c, deep_needed):
                mix.add(c)
                taken.add(c.key)
                return True
        return False

    def round_robin(pool: Sequence[Candidate], until: int) -> None:
        # the objectives least served so far first; among them, the order given (weakest first)
        served = Counter(o for c in mix.chosen for o in c.objectives)
        objectives = sorted(blueprint.objectives, key=lambda o: served[o])
        serving: dict[str, list[Candidate]] = {o: [] for o in objectives}
        for c in pool:  # one pass over the pool (not one per objective)
            for o in dict.fromkeys(c.objectives):
                if o in serving:
                    serving[o].append(c)
        while len(mix.chosen) < until and objectives:
            for objective in list(objectives):
                if len(mix.chosen) >= until:
                    break
                if not take(serving[objective]):
                    objectives.remove(objective)  # nothing left that fits: skip it from now on
        while len(mix.chosen) < until and take(pool):
            pass

    explain = [c for c in ranked if c.qtype == EXPLAIN]
    round_robin(explain, min(blueprint.min_explain, len({c.fact_id for c in explain}), size))
    round_robin(
        [c for c in ranked if c.level in DEEP_LEVELS],
        len(mix.chosen) + max(0, deep_needed - mix.deep),
    )
    round_robin(ranked, size)
    return mix.chosen


def _within(chosen: Sequence[Candidate], blueprint: Blueprint) -> bool:
    """Return whether ``chosen`` keeps ``blueprint``'s limits at its own size."""
    mix = _Mix(blueprint, len(chosen))
    for c in chosen:
        if not mix.allows(c, 0):
            return False
        mix.add(c)
    return True


def shuffle_choices(
    qtype: str,
    choices: Sequence[str] | None,
    rng: random.Random,
    correct_order: Sequence[str] | None = None,
) -> tuple[str, ...] | None:
    """Return the choices in the order to show them.

    True/false, numeric and short-text questions keep theirs. Every other list, ordering items
    included, comes out in a uniformly random order, the correct one as likely as any other:
    an order that could never be shown would tell the learner something about the key.
    ``correct_order`` is accepted for callers that pass it and plays no part.
    """
    del correct_order  # deliberately unused: see above
    kind = qtypes.find(qtype)
    if choices is None or (kind is not None and not kind.uses_choices):
        return tuple(choices) if choices is not None else None
    shuffled = list(choices)
    rng.shuffle(shuffled)
    return tuple(shuffled)


__all__ = [
    "LESSON_MIX",
    "Blueprint",
    "Candidate",
    "clashes",
    "lesson_blueprint",
    "select_questions",
    "shuffle_choices",
    "weight",
]
