"""Questions on the report's timeline: years, months, chronology, what happened when.

A question about one event belongs to that event's lesson; one spanning several events belongs
to the table's topic. Dates are compared only where the report's precision settles the order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from sinorus_learn.domain.generators.common import (
    MONTHS,
    Maker,
    choice_list,
    nearest,
    pick,
    shuffled,
)
from sinorus_learn.domain.questions import NumericAnswer, QuestionSpec
from sinorus_learn.domain.tables import Table, TimelineEntry, timeline_entries

TABLE = "timeline"
GROUP = 4


def date_text(entry: TimelineEntry) -> str:
    """Spell an event's date as precisely as the report gives it."""
    if entry.month is None:
        return str(entry.year)
    month = MONTHS[entry.month - 1]
    return f"{month} {entry.day}, {entry.year}" if entry.day else f"{month} {entry.year}"


def certainly_before(a: TimelineEntry, b: TimelineEntry) -> bool:
    """Return whether ``a`` is known to come before ``b`` at the report's precision."""
    if a.year != b.year:
        return a.year < b.year
    if a.month is None or b.month is None or a.month == b.month:
        return a.month == b.month and a.day is not None and b.day is not None and a.day < b.day
    return a.month < b.month


def gives_year_away(entry: TimelineEntry) -> bool:
    """Return whether the event's own words give its year away."""
    return str(entry.year) in entry.event


def _fact(entry: TimelineEntry) -> str:
    return f"{date_text(entry)}: {entry.event}."


def _single(entry: TimelineEntry) -> dict[str, Any]:
    """Keyword arguments for a question about one event: its lesson, row and footnotes."""
    return {"rows": (entry.key,), "footnotes": entry.footnotes, "topic": entry.topic}


def generate(tables: dict[str, Table], seed: int) -> Iterator[QuestionSpec]:
    """Yield every question on the timeline."""
    make = Maker(tables[TABLE], seed)
    entries = timeline_entries(tables)
    for entry in entries:
        yield from _dates(make, entry)
    for index, (a, b) in enumerate(zip(entries, entries[1:], strict=False)):
        if a.year != b.year:
            yield _before(make, a, b, index)
    # Events named after their year (Peace Mission 2005) would give the answer away.
    entries = [e for e in entries if not gives_year_away(e)]
    by_year: dict[int, list[TimelineEntry]] = defaultdict(list)
    for entry in entries:
        by_year[entry.year].append(entry)
    years = sorted(by_year)
    for start in range(len(years) - GROUP + 1):
        group = [by_year[y][start % len(by_year[y])] for y in years[start : start + GROUP]]
        yield _chronology(make, group)
    for start in range(0, len(years) - GROUP + 1, GROUP):
        group = [by_year[y][-1] for y in years[start : start + GROUP]]
        yield _match_years(make, group, years)
    for year in years:
        if len(by_year[year]) >= 2:
            yield _in_year(make, entries, by_year[year], year)


def _dates(make: Maker, entry: TimelineEntry) -> Iterator[QuestionSpec]:
    """Yield the year, month and day of one event, where the prompt does not give them away."""
    quoted = f"“{entry.event}.”"
    if not gives_year_away(entry):
        yield make.spec(
            "year",
            entry.key,
            "numeric",
            f"In which year did this happen? {quoted}",
            NumericAnswer(entry.year, 0.0, ""),
            f"The report dates it to {date_text(entry)}.",
            difficulty=2,
            **_single(entry),
        )
    if entry.month is not None:
        month = MONTHS[entry.month - 1]
        yield make.spec(
            "month",
            entry.key,
            "short_text",
            f"In which month of {entry.year} did this happen? {quoted}",
            tuple(dict.fromkeys((month, month[:3], str(entry.month)))),
            f"The report dates it to {date_text(entry)}.",
            difficulty=3,
            **_single(entry),
        )
        rng = make.rng("month_choice", entry.key)
        pool = [MONTHS[m - 1] for m in nearest(range(1, 13), entry.month, float)]
        yield make.spec(
            "month_choice",
            entry.key,
            "multiple_choice",
            f"When did this happen? {quoted}",
            f"{month} {entry.year}",
            f"The report dates it to {date_text(entry)}.",
            choices=choice_list(
                rng, f"{month} {entry.year}", [f"{m} {entry.year}" for m in pick(rng, pool, month)]
            ),
            difficulty=2,
            **_single(entry),
        )
    if entry.day is not None:
        yield make.spec(
            "day",
            entry.key,
            "numeric",
            f"On which day of {MONTHS[(entry.month or 1) - 1]} {entry.year} did this happen? "
            f"{quoted}",
            NumericAnswer(entry.day, 0.0, ""),
            f"The report dates it to {date_text(entry)}.",
            difficulty=3,
            **_single(entry),
        )


def _before(make: Maker, a: TimelineEntry, b: TimelineEntry, index: int) -> QuestionSpec:
    """State that one event came before (or after) the next; the wording alternates."""
    first, second = (a, b) if index % 2 == 0 else (b, a)
    return make.spec(
        "before",
        f"{a.key}|{b.key}",
        "true_false",
        f"“{first.event}” happened before “{second.event}”",
        certainly_before(first, second),
        f"{_fact(a)} {_fact(b)}",
        rows=(a.key, b.key),
        footnotes=tuple(dict.fromkeys(a.footnotes + b.footnotes)),
        difficulty=2,
    )


def _chronology(make: Maker, group: list[TimelineEntry]) -> QuestionSpec:
    params = "|".join(e.key for e in group)
    answer = tuple(e.event for e in group)
    return make.spec(
        "chronology",
        params,
        "ordering",
        "Put these events in chronological order, earliest first.",
        answer,
        " ".join(_fact(e) for e in group),
        choices=shuffled(make.rng("chronology", params), answer),
        rows=tuple(e.key for e in group),
        footnotes=tuple(dict.fromkeys(n for e in group for n in e.footnotes)),
        difficulty=2,
    )


def _match_years(make: Maker, group: list[TimelineEntry], years: list[int]) -> QuestionSpec:
    params = "|".join(e.key for e in group)
    pairs = tuple((e.event, str(e.year)) for e in group)
    rng = make.rng("match_years", params)
    used = {e.year for e in group}
    spare = [str(y) for y in nearest([y for y in years if y not in used], group[0].year, float)]
    return make.spec(
        "match_years",
        params,
        "matching",
        "Match each event to its year (one year is not used).",
        pairs,
        " ".join(_fact(e) for e in group),
        choices=shuffled(rng, [y for _, y in pairs] + pick(rng, spare, "", n=1)),
        rows=tuple(e.key for e in group),
        footnotes=tuple(dict.fromkeys(n for e in group for n in e.footnotes)),
        difficulty=3,
    )


def _in_year(
    make: Maker, entries: list[TimelineEntry], same_year: list[TimelineEntry], year: int
) -> QuestionSpec:
    params = str(year)
    rng = make.rng("in_year", params)
    correct = rng.sample(same_year, min(3, len(same_year)))
    others = nearest([e for e in entries if e.year != year], year, lambda e: e.year)
    wrong_events = pick(rng, [e.event for e in others], "", n=3)
    wrong = [e for e in others if e.event in wrong_events]
    shown = correct + wrong
    return make.spec(
        "in_year",
        params,
        "multiple_select",
        f"Which of these happened in {year}?",
        tuple(e.event for e in correct),
        " ".join(_fact(e) for e in sorted(shown, key=lambda e: (e.year, e.month or 0))),
        choices=shuffled(rng, [e.event for e in shown]),
        rows=tuple(e.key for e in shown),
        footnotes=tuple(dict.fromkeys(n for e in shown for n in e.footnotes)),
        difficulty=2,
    )
