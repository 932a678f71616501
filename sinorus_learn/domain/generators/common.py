"""Shared helpers for the table generators: keys, fact ids, seeded choices, number formats."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from sinorus_learn.domain.grading import fmt
from sinorus_learn.domain.questions import (
    TOPICS,
    Answer,
    Level,
    QuestionSpec,
    QuestionType,
    Source,
)
from sinorus_learn.domain.tables import Table

T = TypeVar("T")
DISTRACTORS = 3  # wrong choices next to the right one in a multiple-choice question
# derived fact -> the alternative sets of printed cells that each settle it on their own
Decisions = Mapping[str, Sequence[frozenset[str]]]


@dataclass(frozen=True)
class Maker:
    """Builds the specs of one table: stable keys, a seeded rng per key, uniform provenance.

    Every template states its own classification (``level``, ``objectives``) and what it asks
    (``fact``) and states (``given``), so siblings and give-aways are known where the question
    is written (LEARNING.md sections 2 and 3).
    """

    table: Table
    seed: int

    def key(self, template: str, params: str) -> str:
        """Return the stable key: the same table, template and row always give the same key."""
        return f"{self.table.id}:{template}:{params}"

    def rng(self, template: str, params: str) -> random.Random:
        """Return the rng for one question, so its choices do not depend on any other."""
        return random.Random(f"{self.seed}:{self.key(template, params)}")

    def cell(self, row_key: str, column: str) -> str:
        """Return the fact id of one printed cell (``<table>:<row>:<column>``)."""
        return f"{self.table.id}:{row_key}:{column}"

    def derived(self, name: str, params: str) -> str:
        """Return the fact id of a quantity derived from several cells."""
        return f"{self.table.id}:derived:{name}:{params}"

    def spec(
        self,
        template: str,
        params: str,
        qtype: QuestionType,
        prompt: str,
        answer: Answer,
        explanation: str,
        *,
        level: Level,
        objectives: Sequence[str],
        fact: str,
        given: Iterable[str] = (),
        choices: Sequence[str] | None = None,
        difficulty: int = 1,
        rows: Iterable[str] = (),
        footnotes: Iterable[int] | None = None,
        topic: str | None = None,
        evidence: str = "",
        hint: str | None = None,
    ) -> QuestionSpec:
        """Return one spec with this table's topic and provenance (kept in ``source``, never
        glued to the explanation: the provenance line is rendered apart from it), and a hint
        that points to where the answer is read (``self.hint``) unless the template gives one."""
        row_keys = tuple(rows)
        notes = tuple(footnotes) if footnotes is not None else self.table.footnotes
        section = topic or self.table.topic
        return QuestionSpec(
            key=self.key(template, params),
            type=qtype,
            prompt=prompt,
            choices=tuple(choices) if choices is not None else None,
            answer=answer,
            explanation=explanation,
            topic=section,
            difficulty=difficulty,
            source=Source(section=section, table=self.table.id, rows=row_keys, footnotes=notes),
            template=f"{self.table.id}.{template}",
            tags=("generated", self.table.id),
            objectives=tuple(objectives),
            level=level,
            fact=fact,
            given=tuple(dict.fromkeys(g for g in given if g != fact)),
            evidence=evidence,
            hint=self.hint(section, fact) if hint is None else hint,
        )

    def hint(self, section: str, fact: str) -> str:
        """Point to where the answer is read, never to the answer: the columns of the cell or
        quantity the question asks (its fact), or the table's notes, in the table's lesson."""
        lesson = f"the lesson “{TOPICS.get(section, section)}”"
        if self.table.id == "timeline":
            return f"Find the event on the timeline, or in {lesson}: the events are in date order."
        numbered = re.match(r"(Table \d+)\.\s*(.+)", self.table.title)
        title = self.table.title
        where = f"{numbered[1]} (“{numbered[2]}”)" if numbered else f"the table “{title}”"
        read = _read_from(self.table, fact)
        if read == NOTES:
            return f"Read the notes under {where} in {lesson}: they say what its marks mean."
        labels = [f"“{c.label}”" for c in self.table.columns if c.id in read]
        if not labels:
            return f"Look at {where} in {lesson}."
        named = " and ".join([", ".join(labels[:-1]), labels[-1]] if len(labels) > 1 else labels)
        columns = "columns" if len(labels) > 1 else "column"
        return f"Look at the {named} {columns} of {where} in {lesson}."


NOTES = ("notes",)
# What a derived quantity is read from: table -> derived fact name -> its columns (or NOTES).
HINT_SOURCES: dict[str, dict[str, tuple[str, ...]]] = {
    "crude_oil_imports": {
        "above_10": ("share",),
        "share_peak": ("share",),
        "share_change": ("share",),
        "years_above": ("share",),
        "growth_factor": ("shipments",),
        "shipments_change": ("shipments",),
        "shipments_growth": ("shipments",),
        "implied_total": ("shipments", "share"),
    },
    "arms_transfers": {
        "designation_total": ("quantity",),
        "largest_order": ("quantity",),
        "order_count": ("designation", "order_year"),
        "order_years": ("order_year",),
        "latest_order": ("order_year",),
        "longest_delivery": ("order_year", "delivery_year"),
        "longest_wait": ("order_year", "delivery_year"),
        "match_description": ("designation", "description"),
        "notation": NOTES,
        "sources": NOTES,
        "count_rows": NOTES,
    },
    "border_islands": {
        "china_more_rivers": ("russia", "china"),
        "more_islands": ("russia", "china"),
        "side_total": ("russia", "china"),
        "china_share": ("total", "china"),
        "adds_up": ("total", "russia", "china"),
        "order_by_total": ("total",),
    },
    "export_commodities": {
        "above_85": ("share",),
        "change": ("share",),
        "trend": ("share",),
        "bound_above": ("share",),
        "bound_exact": ("share",),
    },
    "trade_2006": {
        name: ("china_exports", "china_imports")
        for name in ("larger_total", "reporter_gap", "total", "surplus")
    },
}


def _read_from(table: Table, fact: str) -> tuple[str, ...]:
    """Return the columns (or NOTES) the fact ``fact`` of ``table`` is read from; () if unknown."""
    parts = fact.split(":")
    if len(parts) < 3 or parts[0] != table.id:
        return ()
    if parts[1] == "derived":
        return HINT_SOURCES.get(table.id, {}).get(parts[2], ())
    return (parts[2],) if len(parts) == 3 else ()


@dataclass(frozen=True, kw_only=True)
class Claim:
    """A statement about a table for the learner to judge true or false; ``objectives``
    empty means the table's (see ``claim_specs``)."""

    name: str
    statement: str
    truth: bool
    why: str
    level: Level
    fact: str
    rows: tuple[str, ...] = ()
    given: tuple[str, ...] = ()
    evidence: str = ""
    objectives: tuple[str, ...] = ()


def claim_specs(
    make: Maker,
    claims: Iterable[Claim],
    objectives: Sequence[str] = (),
    evaluate_difficulty: int = 2,
) -> Iterator[QuestionSpec]:
    """Yield a true/false question per claim (template ``claim``): difficulty 2, or
    ``evaluate_difficulty`` for an "evaluate" claim; ``objectives`` where a claim has none."""
    for claim in claims:
        yield make.spec(
            "claim",
            claim.name,
            "true_false",
            claim.statement,
            claim.truth,
            claim.why,
            level=claim.level,
            objectives=claim.objectives or objectives,
            fact=claim.fact,
            given=claim.given,
            rows=tuple(dict.fromkeys(claim.rows)),
            difficulty=evaluate_difficulty if claim.level == "evaluate" else 2,
            evidence=claim.evidence,
        )


def close_given(specs: Iterable[QuestionSpec], decisions: Decisions) -> list[QuestionSpec]:
    """Add to each spec's ``given`` every derived fact that the cells its stem prints settle.

    A stem printing "12.8 million tons, 10.08%" answers "does the table back the text's 'more
    than 12 million tons, more than 10 percent'?" as surely as it states the two cells, so the
    selection must keep the two questions apart (LEARNING.md section 3).
    """
    closed = []
    for spec in specs:
        given = set(spec.given)
        extra = [
            fact
            for fact, alternatives in decisions.items()
            if fact != spec.fact_id and any(cells <= given for cells in alternatives)
        ]
        if extra:
            spec = replace(spec, given=tuple(dict.fromkeys((*spec.given, *extra))))
        closed.append(spec)
    return closed


def nearest(values: Iterable[T], target: float, measure: Callable[[T], float]) -> list[T]:
    """Order ``values`` by closeness to ``target`` (ties broken by the smaller value)."""
    return sorted(values, key=lambda v: (abs(measure(v) - target), measure(v)))


def nearest_choices(
    rng: random.Random,
    correct: str,
    values: Iterable[T],
    target: float,
    spell: Callable[[T], str],
    measure: Callable[[T], float],
) -> tuple[str, ...]:
    """Return the choices of a multiple-choice question: ``correct`` among distractors
    spelled from the ``values`` nearest ``target``, so size alone does not give it away."""
    pool = [spell(v) for v in nearest(values, target, measure)]
    return choice_list(rng, correct, pick(rng, pool, correct))


def pick(rng: random.Random, pool: Sequence[str], correct: str, n: int = DISTRACTORS) -> list[str]:
    """Pick ``n`` distinct wrong choices from the first ``n + 2`` candidates of ``pool``."""
    candidates = list(dict.fromkeys(c for c in pool if c != correct))[: n + 2]
    return rng.sample(candidates, min(n, len(candidates)))


def choice_list(rng: random.Random, correct: str, distractors: Sequence[str]) -> tuple[str, ...]:
    """Return the right choice among the distractors: numbers and dates in ascending order
    (LEARNING.md section 5), anything else in a seeded order."""
    choices = [correct, *dict.fromkeys(d for d in distractors if d != correct)]
    rng.shuffle(choices)
    if all(sort_value(c) is not None for c in choices):
        choices.sort(key=lambda c: sort_value(c) or 0.0)
    return tuple(choices)


_NUMBER = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?")


def sort_value(text: str) -> float | None:
    """Return the number (or date, as year + month/100) a choice stands for; None for words."""
    words = text.replace("more than ", "").replace("$", "")
    month = next((i for i, m in enumerate(MONTHS, start=1) if m in words), 0)
    if month:
        words = words.replace(MONTHS[month - 1], "")
    match = _NUMBER.search(words)
    if match is None or any(ch.isalpha() for ch in words[: match.start()]):
        return None
    return float(match.group().replace(",", "")) + month / 100


def options(rng: random.Random, items: Sequence[str]) -> tuple[str, ...]:
    """Return the options of a selection or matching: ascending when they are numbers or
    dates, else in a seeded order (never for an ordering question, whose order is the key)."""
    if all(sort_value(c) is not None for c in items):
        return tuple(sorted(items, key=lambda c: sort_value(c) or 0.0))
    order = list(items)
    rng.shuffle(order)
    return tuple(order)


def plural(n: float, singular: str, many: str | None = None) -> str:
    """Return '1 year' or '3 years': a count with the noun it needs."""
    noun = singular if n == 1 else (many or singular + "s")
    return f"{fmt(n)} {noun}"


def shuffled(rng: random.Random, items: Sequence[str]) -> tuple[str, ...]:
    """Return ``items`` in a seeded order that is never already the correct one."""
    order = list(items)
    rng.shuffle(order)
    if order == list(items) and len(order) > 1:
        order = order[1:] + order[:1]
    return tuple(order)


def ceil_to(value: float, step: float) -> float:
    """Round ``value`` up to a multiple of ``step`` (for tolerances)."""
    steps = -(-value // step)
    return round(steps * step, 10)


def year_variants(start: int, end: int) -> tuple[str, ...]:
    """Accepted spellings of a year or a range of years ('1996-97', '1996-1997', ...)."""
    if start == end:
        return (str(start),)
    short = f"{start}-{str(end)[-2:]}"
    return (
        f"{start}-{end}",
        short,
        f"{start} to {end}",
        f"{start}–{end}",
        f"{start}–{end % 100:02d}",
    )


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
