"""Shared helpers for the table generators: keys, seeded choices, citations, number formats."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sinorus_learn.domain.questions import Answer, QuestionSpec, QuestionType, Source
from sinorus_learn.domain.tables import Table

T = TypeVar("T")
DISTRACTORS = 3  # wrong choices next to the right one in a multiple-choice question


@dataclass(frozen=True)
class Maker:
    """Builds the specs of one table: stable keys, a seeded rng per key, uniform provenance."""

    table: Table
    seed: int

    def key(self, template: str, params: str) -> str:
        """Return the stable key: the same table, template and row always give the same key."""
        return f"{self.table.id}:{template}:{params}"

    def rng(self, template: str, params: str) -> random.Random:
        """Return the rng for one question, so its choices do not depend on any other."""
        return random.Random(f"{self.seed}:{self.key(template, params)}")

    def spec(
        self,
        template: str,
        params: str,
        qtype: QuestionType,
        prompt: str,
        answer: Answer,
        explanation: str,
        *,
        choices: Sequence[str] | None = None,
        difficulty: int = 1,
        rows: Iterable[str] = (),
        footnotes: Iterable[int] | None = None,
        topic: str | None = None,
    ) -> QuestionSpec:
        """Return one spec with this table's topic and provenance."""
        row_keys = tuple(rows)
        notes = tuple(footnotes) if footnotes is not None else self.table.footnotes
        section = topic or self.table.topic
        return QuestionSpec(
            key=self.key(template, params),
            type=qtype,
            prompt=prompt,
            choices=tuple(choices) if choices is not None else None,
            answer=answer,
            explanation=f"{explanation} {self.cite(row_keys, notes)}",
            topic=section,
            difficulty=difficulty,
            source=Source(section=section, table=self.table.id, rows=row_keys, footnotes=notes),
            template=f"{self.table.id}.{template}",
            tags=("generated", self.table.id),
        )

    def cite(self, rows: Sequence[str], footnotes: Sequence[int]) -> str:
        """Say where the answer comes from: table, rows, footnotes and original source."""
        labels = [self.table.row(key).label for key in rows]
        where = f"Source: {self.table.title}"
        if labels:
            noun = "row" if len(labels) == 1 else "rows"
            where += f", {noun} " + "; ".join(labels)
        if footnotes:
            numbers = [str(n) for n in footnotes]
            if len(numbers) == 1:
                where += f", footnote {numbers[0]}"
            else:
                where += f", footnotes {', '.join(numbers[:-1])} and {numbers[-1]}"
        return f"{where} (original source: {self.table.source})."


def nearest(values: Iterable[T], target: float, measure: Callable[[T], float]) -> list[T]:
    """Order ``values`` by closeness to ``target`` (ties broken by the smaller value)."""
    return sorted(values, key=lambda v: (abs(measure(v) - target), measure(v)))


def pick(rng: random.Random, pool: Sequence[str], correct: str, n: int = DISTRACTORS) -> list[str]:
    """Pick ``n`` distinct wrong choices from the first ``n + 2`` candidates of ``pool``."""
    candidates = list(dict.fromkeys(c for c in pool if c != correct))[: n + 2]
    return rng.sample(candidates, min(n, len(candidates)))


def choice_list(rng: random.Random, correct: str, distractors: Sequence[str]) -> tuple[str, ...]:
    """Return the right choice among the distractors, in a seeded order."""
    choices = [correct, *dict.fromkeys(d for d in distractors if d != correct)]
    rng.shuffle(choices)
    return tuple(choices)


def shuffled(rng: random.Random, items: Sequence[str]) -> tuple[str, ...]:
    """Return ``items`` in a seeded order that is never already the correct one."""
    order = list(items)
    rng.shuffle(order)
    if order == list(items) and len(order) > 1:
        order = order[1:] + order[:1]
    return tuple(order)


def fmt(value: float, decimals: int = 2) -> str:
    """Format a number for a prompt: thousands commas, no trailing zeros."""
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


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
