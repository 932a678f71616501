"""Questions on the report's timeline: when each event happened and how events follow each other.

A question belongs to its event's lesson and serves the objective that event illustrates
(``OBJECTIVES``); a question on several events is built from events of one lesson only, so it
serves that lesson. The year and the month of an event are one fact (``timeline:<key>``).
Dates are compared only where the report's precision settles the order.
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
from sinorus_learn.domain.questions import QuestionSpec
from sinorus_learn.domain.tables import Table, TimelineEntry, timeline_entries

TABLE = "timeline"
GROUP = 4  # events per ordering question

# The objective each event illustrates, within its own lesson.
OBJECTIVES: dict[str, str] = {
    "nerchinsk": "historical-context.nerchinsk",
    "prc-founded": "historical-context.sino-soviet-split",
    "treaty-1950": "historical-context.sino-soviet-split",
    "aid-withdrawn": "historical-context.sino-soviet-split",
    "nixon-opening": "historical-context.turn-to-us",
    "us-normalisation": "historical-context.turn-to-us",
    "arms-embargo": "military.arms-motives",
    "afghanistan-withdrawal": "historical-context.normalisation",
    "gorbachev-visit": "historical-context.normalisation",
    "tiananmen": "historical-context.normalisation",
    "border-agreement-1991": "historical-context.border-settlement",
    "ussr-collapse": "historical-context.normalisation",
    "arms-purchases-1992": "military.arms-scale",
    "constructive-partnership": "historical-context.partnership-steps",
    "anti-hegemonism": "united-states.grievances",
    "strategic-partnership": "historical-context.partnership-steps",
    "taiwan-strait-crisis": "united-states.grievances",
    "shanghai-five": "sco.origins",
    "force-reductions": "historical-context.partnership-steps",
    "border-resolved": "historical-context.border-settlement",
    "kosovo": "military.arms-motives",
    "missile-defense": "united-states.grievances",
    "sco-founded": "sco.origins",
    "good-neighborly-treaty": "historical-context.partnership-steps",
    "missile-defense-accommodation": "social-cultural.incidents",
    "complementary-agreement": "historical-context.border-settlement",
    "trade-partners-2005": "economics.relative-weight",
    "survey-2005": "social-cultural.public-opinion",
    "peace-mission-2005": "military.no-alliance",
    "songhua-spill": "social-cultural.incidents",
    "atasu-alashankou": "sco.rivalry",
    "year-of-russia": "overview.rhetoric",
    "putin-visit-gas": "energy.deals",
    "poll-2006": "social-cultural.public-opinion",
    "ahmadinejad-sco": "sco.iran",
    "sco-disaster-relief": "sco.agenda",
    "sco-business-council": "sco.agenda",
    "su33-deal": "military.arms-scale",
    "year-of-china": "overview.rhetoric",
    "joint-veto": "united-nations.joint-veto",
    "asat-test": "military.space",
    "j10-deployed": "military.balance-of-power",
    "peace-mission-2007": "military.no-alliance",
}

# Why events of each strand matter, in the project's words: the explanation after a date.
WHY: dict[str, str] = {
    "historical-context.nerchinsk": (
        "Nerchinsk opens the report's history: the first treaty in which imperial China dealt "
        "with another state as an equal, long before the modern partnership."
    ),
    "historical-context.sino-soviet-split": (
        "An alliance in 1950, Soviet aid through the 1950s, then a break in 1960: the split "
        "is the costly rivalry both sides now want to avoid repeating."
    ),
    "historical-context.turn-to-us": (
        "After the border fighting Mao turned to Washington; the U.S. opening shows how far "
        "Beijing and Moscow had drifted apart."
    ),
    "historical-context.normalisation": (
        "1989 ended decades of hostility. Tiananmen isolated China from the West and the Soviet "
        "collapse changed its partner, yet the rapprochement held."
    ),
    "historical-context.partnership-steps": (
        "Each step raised the relationship a level, from 'constructive' to 'strategic' "
        "partnership to the 2001 treaty, as Russia's disappointment with the West grew."
    ),
    "historical-context.border-settlement": (
        "Settling the long border step by step removed the issue that had once led to fighting, "
        "a foundation of the later partnership."
    ),
    "military.arms-motives": (
        "Western pressure and embargoes left China needing modern weapons that Russia's arms "
        "industry was keen to sell: the fit behind the arms trade."
    ),
    "military.arms-scale": (
        "China became Russia's main arms customer, and the orders kept moving toward more "
        "advanced systems."
    ),
    "military.no-alliance": (
        "The joint exercises sent a message and showed off Russian arms, but the report doubts "
        "either country would fight for the other."
    ),
    "military.space": (
        "The antisatellite test alarmed the United States; Putin did not criticise it, though "
        "Russian officials had reason for unease."
    ),
    "military.balance-of-power": (
        "Fighters China builds itself, with Russian help, may in time reduce its need to buy "
        "Russian arms, one way the arms relationship could sour."
    ),
    "united-states.grievances": (
        "Shared complaints about U.S. power in the late 1990s drew the two together, even "
        "though neither admits a joint agenda against Washington."
    ),
    "sco.origins": (
        "The SCO grew out of the Shanghai Five's border meetings into a regional organisation "
        "with China and Russia at its core."
    ),
    "sco.agenda": (
        "Meetings on disaster relief and energy show the SCO's agenda widening beyond security "
        "and the 'three evils'."
    ),
    "sco.rivalry": (
        "A pipeline from Kazakhstan to China shows China competing with Russia for Central "
        "Asia's energy, inside the SCO as well as outside it."
    ),
    "sco.iran": (
        "Iran's president at an SCO summit fed suspicions that the organisation could become an "
        "anti-Western bloc, which the report doubts."
    ),
    "social-cultural.incidents": (
        "Incidents like this fed mistrust between the two peoples even while official "
        "relations were warm."
    ),
    "social-cultural.public-opinion": (
        "Polls show many Russians wary of China, a limit on how close the partnership can become."
    ),
    "economics.relative-weight": (
        "China ranked higher among Russia's partners than Russia did among China's: the trade "
        "matters more to Russia."
    ),
    "overview.rhetoric": (
        "Theme years are the showcase of the relationship; the report separates such political "
        "rhetoric from what is real."
    ),
    "energy.deals": (
        "The gas deal was a memorandum promising large future deliveries; the report asks "
        "whether Russia can actually meet such targets."
    ),
    "united-nations.joint-veto": (
        "The first joint veto since 1972 showed the two coordinating in the Security Council "
        "against Western-backed sanctions, and more may follow."
    ),
}


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


def gives_month_away(entry: TimelineEntry) -> bool:
    """Return whether the event's words name or imply its month (Christmas Day -> December)."""
    return any(m in entry.event for m in (*MONTHS, "Christmas"))


def objective(entry: TimelineEntry) -> str:
    """Return the objective the event illustrates."""
    return OBJECTIVES[entry.key]


def _single(make: Maker, entry: TimelineEntry) -> dict[str, Any]:
    """Keyword arguments for a question about one event: its lesson, objective, fact, row."""
    return {
        "rows": (entry.key,),
        "footnotes": entry.footnotes,
        "topic": entry.topic,
        "objectives": (objective(entry),),
        "fact": f"{TABLE}:{entry.key}",
    }


def _group(entries: list[TimelineEntry]) -> dict[str, Any]:
    """Keyword arguments for a question about events of one lesson."""
    return {
        "rows": tuple(e.key for e in entries),
        "footnotes": tuple(dict.fromkeys(n for e in entries for n in e.footnotes)),
        "topic": entries[0].topic,
        "objectives": tuple(dict.fromkeys(objective(e) for e in entries)),
    }


def generate(tables: dict[str, Table], seed: int) -> Iterator[QuestionSpec]:
    """Yield every question on the timeline."""
    make = Maker(tables[TABLE], seed)
    entries = timeline_entries(tables)
    years = sorted({e.year for e in entries})
    for entry in entries:
        yield from _dates(make, entry, years)
    by_topic: dict[str, list[TimelineEntry]] = defaultdict(list)
    for entry in entries:
        by_topic[entry.topic].append(entry)
    index = 0
    for events in by_topic.values():
        for a, b in zip(events, events[1:], strict=False):
            if certainly_before(a, b):
                yield _before(make, a, b, index)
                index += 1
        # Events named after their year (Peace Mission 2005) would give the order away.
        plain = [e for e in events if not gives_year_away(e)]
        for group in _chains(plain):
            yield _chronology(make, group)


def _chains(events: list[TimelineEntry]) -> list[list[TimelineEntry]]:
    """Split a lesson's events into groups of up to GROUP whose order is certain, at least 3."""
    groups: list[list[TimelineEntry]] = []
    current: list[TimelineEntry] = []
    for event in events:
        if current and not certainly_before(current[-1], event):
            continue  # same year (or month) as the last one picked: skip, order unknown
        current.append(event)
        if len(current) == GROUP:
            groups.append(current)
            current = []
    if len(current) >= 3:
        groups.append(current)
    return groups


def _dates(make: Maker, entry: TimelineEntry, years: list[int]) -> Iterator[QuestionSpec]:
    """Yield the year (or the month) of one event, where the prompt does not give it away."""
    quoted = f"“{entry.event}.”"
    why = WHY[objective(entry)]
    if not gives_year_away(entry):
        rng = make.rng("year", entry.key)
        pool = [str(y) for y in nearest([y for y in years if y != entry.year], entry.year, float)]
        correct = str(entry.year)
        yield make.spec(
            "year",
            entry.key,
            "multiple_choice",
            f"In which year did this happen? {quoted}",
            correct,
            why,
            level="recall",
            choices=choice_list(rng, correct, pick(rng, pool, correct)),
            difficulty=2,
            **_single(make, entry),
        )
    if entry.month is not None and not gives_month_away(entry):
        month = MONTHS[entry.month - 1]
        rng = make.rng("month_choice", entry.key)
        pool = [MONTHS[m - 1] for m in nearest(range(1, 13), entry.month, float)]
        correct = f"{month} {entry.year}"
        yield make.spec(
            "month_choice",
            entry.key,
            "multiple_choice",
            f"When did this happen? {quoted}",
            correct,
            why,
            level="recall",
            choices=choice_list(
                rng, correct, [f"{m} {entry.year}" for m in pick(rng, pool, month)]
            ),
            difficulty=3,
            **_single(make, entry),
        )


def _before(make: Maker, a: TimelineEntry, b: TimelineEntry, index: int) -> QuestionSpec:
    """State that one event came before (or after) the next; the wording alternates."""
    first, second = (a, b) if index % 2 == 0 else (b, a)
    return make.spec(
        "before",
        f"{a.key}|{b.key}",
        "true_false",
        f"“{first.event}” happened before “{second.event}”.",
        certainly_before(first, second),
        f"{'True' if certainly_before(first, second) else 'False'}: the first dates from "
        f"{date_text(first)}, the second from {date_text(second)}. {WHY[objective(b)]}",
        level="recall",
        fact=f"{TABLE}:derived:before:{a.key}|{b.key}",
        difficulty=2,
        **_group([a, b]),
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
        "Seeing the events in sequence shows how one led to the next. " + WHY[objective(group[-1])],
        level="recall",
        fact=f"{TABLE}:derived:chronology:{params}",
        choices=shuffled(make.rng("chronology", params), answer),
        difficulty=2,
        **_group(group),
    )
