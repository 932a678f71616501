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
    nearest_choices,
    shuffled,
)
from sinorus_learn.domain.questions import QuestionSpec
from sinorus_learn.domain.tables import Table, TimelineEntry, certainly_before, timeline_entries

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

# Why events of each strand matter, in the project's words: the explanation after a date. None
# names a year or orders two events, since other questions ask exactly that (LEARNING.md 3).
WHY: dict[str, str] = {
    "historical-context.nerchinsk": (
        "Nerchinsk opens the report's history: the first treaty in which imperial China dealt "
        "with another state as an equal, long before the modern partnership."
    ),
    "historical-context.sino-soviet-split": (
        "Alliance, Soviet aid and an abrupt break: the split is the costly rivalry in the "
        "background of today's partnership."
    ),
    "historical-context.turn-to-us": (
        "The U.S. opening to China shows how far Beijing and Moscow had drifted apart in the "
        "years of the split."
    ),
    "historical-context.normalisation": (
        "These events close the Cold War chapter of the report's history: relations were "
        "normalised and then carried over to the Russian Federation."
    ),
    "historical-context.partnership-steps": (
        "In the report's account, the Good Neighborly Treaty, the agreements on troops and the "
        "border, and the announced partnership labels each took further a relationship that "
        "had stayed on a military footing into the 1980s."
    ),
    "historical-context.border-settlement": (
        "Agreements on the border eased disputes along a once tense and heavily militarised "
        "frontier: one concrete part of the rapprochement."
    ),
    "military.arms-motives": (
        "With the Western embargo in place, China needed Russian hardware for its military "
        "modernisation as much as Russia's arms industry needed Chinese customers."
    ),
    "military.arms-scale": (
        "Arms from Russia have outweighed all other sources, and deals such as the Su-33 sale "
        "went on even as the report sees signs of China's declining interest in buying from Russia."
    ),
    "military.no-alliance": (
        "The joint exercises sent a message and showed off Russian arms, but the report doubts "
        "either country would fight for the other."
    ),
    "military.space": (
        "After the test, Russia's space cooperation with China worried the United States; Putin "
        "avoided criticising China publicly, though the test may have given Russian security "
        "hands pause."
    ),
    "military.balance-of-power": (
        "Fighters China builds itself, with Russian help, may in time reduce its need to buy "
        "Russian arms, one way the arms relationship could sour."
    ),
    "united-states.grievances": (
        "Shared complaints about U.S. power drew the two together, even though neither admits "
        "a joint agenda against Washington."
    ),
    "sco.origins": (
        "The SCO and the Shanghai Five before it brought China and Russia together with the "
        "Central Asian states in a regional organisation."
    ),
    "sco.agenda": (
        "Meetings on disaster relief and energy show the SCO's agenda widening beyond security "
        "and the 'three evils'."
    ),
    "sco.rivalry": (
        "Russia looked suspiciously at the pipeline from Kazakhstan to China: one of the energy "
        "deals that lessened its control of Central Asia's energy system as China gained ground."
    ),
    "sco.iran": (
        "Iran's bid for full membership put China on the defensive, and its role even as an "
        "observer encourages suspicion that the SCO is a way to balance U.S. influence."
    ),
    "social-cultural.incidents": (
        "China's handling of the spill infuriated Russians, and the incident aggravated already "
        "tense relations along the border."
    ),
    "social-cultural.public-opinion": (
        "Polls show many Russians wary of China, a limit on how close the partnership can become."
    ),
    "economics.relative-weight": (
        "China ranked higher among Russia's partners than Russia did among China's: the trade "
        "matters marginally more to Russia."
    ),
    "overview.rhetoric": (
        "Theme years are the showcase of the relationship; the report separates such political "
        "rhetoric from what is real."
    ),
    "energy.deals": (
        "The gas deal was a memorandum promising large future deliveries; observers question "
        "whether Russia will have the capacity to meet such targets."
    ),
    "united-nations.joint-veto": (
        "Their first joint veto in decades, against a U.S.-sponsored resolution on Burma, showed "
        "the two coordinating in the Security Council."
    ),
}
# Where one event of a strand needs its own reason.
EVENT_WHY: dict[str, str] = {
    "kosovo": (
        "The report times the quickening of China's military development with Russian arms to "
        "U.S. actions near Taiwan and in the Balkans."
    ),
    "missile-defense-accommodation": (
        "Russia's apparent accommodation stunned and angered Beijing, a reminder of the "
        "uncertainties of Russian partnership, although the relationship soon recovered."
    ),
}
# Event texts that lean on their date ("From this year on", "Late in the year") reworded to
# stand alone in a stem that does not give the date.
REWORDED: dict[str, str] = {
    "arms-purchases-1992": (
        "China starts buying more weapons from Russia than from all other countries combined"
    ),
    "su33-deal": (
        "Beijing and Moscow finalise a deal for the sale of Russia's advanced Su-33 fighter"
    ),
    "songhua-spill": (
        "China's poor handling of the Songhua River chemical spill infuriates Russians"
    ),
    "j10-deployed": (
        "With Russian (and Israeli) technological assistance, China belatedly deploys its "
        "advanced indigenous J-10 fighter"
    ),
}
# An event whose words name another event's date, or place it just after another event: its
# questions state that event's fact (the joint veto's "since 1972" is also the year of Nixon's
# opening; the embargo came "after the Tiananmen Square crackdown").
REFERS: dict[str, tuple[str, ...]] = {
    "arms-embargo": ("tiananmen",),  # "After the Tiananmen Square crackdown"
    "good-neighborly-treaty": ("treaty-1950",),
    "joint-veto": ("nixon-opening",),  # "the first joint veto since 1972"
}
# An event whose evidence line (shown with a one-event question) dates another event: the 1996
# upgrade came "with China and the United States recently embroiled in Taiwan Strait tensions".
EVIDENCE_REFERS: dict[str, tuple[str, ...]] = {
    "strategic-partnership": ("taiwan-strait-crisis",),
}
# Dates no argument rests on, or answerable by logic alone (the Qing Dynasty's treaty before
# the People's Republic): never asked.
NOT_ASKED = frozenset({"nerchinsk", "sco-disaster-relief", "sco-business-council"})
# Months worth knowing: where the order within one year matters (May and June 1989, June and
# July 2001, January 2007).
MONTHS_ASKED = frozenset(
    {
        "gorbachev-visit",
        "tiananmen",
        "sco-founded",
        "good-neighborly-treaty",
        "joint-veto",
        "asat-test",
    }
)
# Pairs whose order the words give away (the Shanghai Five "becomes" the SCO).
OBVIOUS_PAIRS = frozenset({("shanghai-five", "sco-founded")})


# The report's own words for each event's date (LEARNING.md section 6), cut so that no other
# event's date is quoted. Events whose sentence straddles a page or names other dates go without.
EVIDENCE: dict[str, str] = {
    "prc-founded": (
        "After the founding of the People's Republic of China in 1949, Beijing and Moscow became "
        "tense partners"
    ),
    "treaty-1950": (
        "In 1950, they established a formal Treaty of Friendship, Alliance, and Mutual Assistance."
    ),
    "aid-withdrawn": (
        "In 1960, the USSR withdrew precipitously its economic aid and refused to assist China's "
        "ambitions to become a nuclear weapons state"
    ),
    "nixon-opening": "which led to President Richard Nixon's opening to China in 1972",
    "us-normalisation": "eventual normalization of relations with the United States in 1979",
    "arms-embargo": (
        "Following the 1989 arms embargo by the United States and Europe in the wake of "
        "Tiananmen Square"
    ),
    "afghanistan-withdrawal": "as did the Soviet withdrawal from Afghanistan in 1989",
    "gorbachev-visit": (
        "In May 1989, China and Russia normalized relations when Mikhail Gorbachev visited "
        "Beijing for the first Sino-Soviet summit in 30 years."
    ),
    "border-agreement-1991": (
        "In May 1991, for instance, the two governments entered into an agreement on shared borders"
    ),
    "ussr-collapse": "The collapse of the Soviet Union on Christmas 1991 stunned Beijing",
    "arms-purchases-1992": (
        "Since 1992, China has purchased more weapons from Russia than from all other countries "
        "combined."
    ),
    "constructive-partnership": (
        'In 1994, the two governments announced a "constructive partnership."'
    ),
    "anti-hegemonism": "declared joint opposition to hegemonism, a codeword for the United States",
    "strategic-partnership": (
        "In 1996, with China and the United States recently embroiled in Taiwan Strait tensions, "
        "the two sides upgraded relations"
    ),
    "taiwan-strait-crisis": (
        "The 1996 Taiwan Strait crisis, during which the United States sent two aircraft carriers "
        "toward the strait"
    ),
    "shanghai-five": "after the location of their first formal meeting in 1996",
    "force-reductions": "In 1997, agreement was reached on military force reductions",
    "border-resolved": (
        "in November 1998, China and Russia announced that the bilateral border dispute was all "
        "but resolved"
    ),
    "kosovo": "U.S. intervention in Kosovo in 1999",
    "missile-defense": (
        "In 2000, both countries announced their opposition to U.S. missile defense plans"
    ),
    "sco-founded": (
        "In June 2001, the Shanghai Five added Uzbekistan to their membership and changed their "
        "name to the Shanghai Cooperation Organization."
    ),
    "good-neighborly-treaty": (
        'the promulgation of a 20-year "Good Neighborly Treaty of Friendship and Cooperation" in '
        "July 2001, the first such agreement between China and Russia since 1950"
    ),
    "missile-defense-accommodation": (
        "Russia's apparent accommodation of NATO and U.S. missile defense in 2002, stunned and "
        "angered Beijing"
    ),
    "complementary-agreement": "left unresolved until October 14, 2004",
    "trade-partners-2005": (
        "In 2005, China became Russia's fourth-largest trade partner, while Russia became "
        "China's eighth-largest trade partner."
    ),
    "survey-2005": (
        "a July 2005 survey found that 62 percent of Russians view China's increasing presence "
        "negatively"
    ),
    "peace-mission-2005": (
        "In October 2005, China and Russia staged Peace Mission 2005, their first "
        "joint/combined military exercise."
    ),
    "songhua-spill": (
        "China's poor handling of the Songhua River chemical spill, in late 2005, infuriated "
        "Russians"
    ),
    "atasu-alashankou": (
        "the completion of the Atasu-Alashankou portion of the China-Kazakhstan oil pipeline, "
        "which occurred in December 2005"
    ),
    "year-of-russia": 'China proclaimed 2006 the "Year of Russia"',
    "putin-visit-gas": "Putin's visit to China in 2006",
    "poll-2006": (
        "In a 2006 poll conducted by Russia's Public Opinion Fund, fewer than half of Russians "
        "surveyed viewed China as friendly toward Russia"
    ),
    "ahmadinejad-sco": "attended an SCO summit in Shanghai in June 2006",
    "su33-deal": (
        "In late 2006, Beijing and Moscow finalized a deal involving the sale of Russia's "
        "advanced Su-33 fighter."
    ),
    "year-of-china": 'in 2007, Russia celebrates the "Year of China."',
    "joint-veto": "In January 2007, China and Russia cast their first joint veto",
    "asat-test": (
        "China's successful test in January 2007 of an antisatellite weapon against one of its "
        "aged weather satellites"
    ),
    "j10-deployed": (
        "the successful, if belated, deployment of the advanced indigenous J-10 fighter in early "
        "2007"
    ),
    "peace-mission-2007": (
        'Another joint/combined military exercise, entitled "Peace Mission-Rubezh 2007," is '
        "planned for this year"
    ),
}


def text(entry: TimelineEntry) -> str:
    """Return the words a learner sees for an event."""
    return REWORDED.get(entry.key, entry.event)


def why(entry: TimelineEntry) -> str:
    """Return why the event matters, without dates."""
    return EVENT_WHY.get(entry.key) or WHY[objective(entry)]


def date_text(entry: TimelineEntry) -> str:
    """Spell an event's date as precisely as the report gives it."""
    if entry.month is None:
        return str(entry.year)
    month = MONTHS[entry.month - 1]
    return f"{month} {entry.day}, {entry.year}" if entry.day else f"{month} {entry.year}"


def gives_year_away(entry: TimelineEntry) -> bool:
    """Return whether the event's own words give its year away."""
    return str(entry.year) in entry.event


def gives_month_away(entry: TimelineEntry) -> bool:
    """Return whether the event's words name or imply its month (Christmas Day -> December)."""
    return any(m in entry.event for m in (*MONTHS, "Christmas"))


def objective(entry: TimelineEntry) -> str:
    """Return the objective the event illustrates."""
    return OBJECTIVES[entry.key]


def _referred(entries: list[TimelineEntry]) -> tuple[str, ...]:
    """Return the facts the events' own words state (the 1950 treaty, 'the first since 1950')."""
    return tuple(f"{TABLE}:{key}" for e in entries for key in REFERS.get(e.key, ()))


def _single(make: Maker, entry: TimelineEntry) -> dict[str, Any]:
    """Keyword arguments for a question about one event: its lesson, objective, fact, row."""
    return {
        "rows": (entry.key,),
        "footnotes": entry.footnotes,
        "topic": entry.topic,
        "objectives": (objective(entry),),
        "fact": f"{TABLE}:{entry.key}",
        "given": _referred([entry])
        + tuple(f"{TABLE}:{key}" for key in EVIDENCE_REFERS.get(entry.key, ())),
        "evidence": EVIDENCE.get(entry.key, ""),
    }


def _group(entries: list[TimelineEntry]) -> dict[str, Any]:
    """Keyword arguments for a question about events of one lesson."""
    return {
        "rows": tuple(e.key for e in entries),
        "footnotes": tuple(dict.fromkeys(n for e in entries for n in e.footnotes)),
        "topic": entries[0].topic,
        "objectives": tuple(dict.fromkeys(objective(e) for e in entries)),
        "given": _referred(entries),
    }


def generate(tables: dict[str, Table], seed: int) -> Iterator[QuestionSpec]:
    """Yield every question on the timeline."""
    make = Maker(tables[TABLE], seed)
    entries = [e for e in timeline_entries(tables) if e.key not in NOT_ASKED]
    years = sorted({e.year for e in entries})
    for entry in entries:
        yield from _dates(make, entry, years)
    by_topic: dict[str, list[TimelineEntry]] = defaultdict(list)
    for entry in entries:
        by_topic[entry.topic].append(entry)
    index = 0
    for events in by_topic.values():
        for i, a in enumerate(events):
            later = [b for b in events[i + 1 : i + 3] if (a.key, b.key) not in OBVIOUS_PAIRS]
            if later and certainly_before(a.date, later[0].date):
                yield _before(make, a, later[0], index)
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
        if current and not certainly_before(current[-1].date, event.date):
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
    quoted = f"“{text(entry)}.”"
    reason = why(entry)
    if not gives_year_away(entry):
        rng = make.rng("year", entry.key)
        correct = str(entry.year)
        yield make.spec(
            "year",
            entry.key,
            "multiple_choice",
            f"In which year did this happen? {quoted}",
            correct,
            reason,
            level="recall",
            choices=nearest_choices(rng, correct, years, entry.year, str, float),
            difficulty=2,
            **_single(make, entry),
        )
    if entry.month is not None and entry.key in MONTHS_ASKED and not gives_month_away(entry):
        rng = make.rng("month_choice", entry.key)
        correct = f"{MONTHS[entry.month - 1]} {entry.year}"
        yield make.spec(
            "month_choice",
            entry.key,
            "multiple_choice",
            f"When did this happen? {quoted}",
            correct,
            reason,
            level="recall",
            choices=nearest_choices(
                rng,
                correct,
                range(1, 13),
                entry.month,
                lambda m: f"{MONTHS[m - 1]} {entry.year}",
                float,
            ),
            difficulty=3,
            **_single(make, entry),
        )


def _before(make: Maker, a: TimelineEntry, b: TimelineEntry, index: int) -> QuestionSpec:
    """State that one event came before (or after) the next; the wording alternates."""
    first, second = (a, b) if index % 2 == 0 else (b, a)
    truth = certainly_before(first.date, second.date)
    return make.spec(
        "before",
        f"{a.key}|{b.key}",
        "true_false",
        f"“{text(first)}” happened before “{text(second)}”.",
        truth,
        f"{'True' if truth else 'False'}: the {'first' if truth else 'second'} event came "
        f"earlier. {why(b)}",
        level="recall",
        fact=f"{TABLE}:derived:before:{a.key}|{b.key}",
        difficulty=2,
        **_group([a, b]),
    )


def _chronology(make: Maker, group: list[TimelineEntry]) -> QuestionSpec:
    params = "|".join(e.key for e in group)
    answer = tuple(text(e) for e in group)
    return make.spec(
        "chronology",
        params,
        "ordering",
        "Put these events in chronological order, earliest first.",
        answer,
        "Put in order, the events show the sequence of the report's account. " + why(group[-1]),
        level="recall",
        fact=f"{TABLE}:derived:chronology:{params}",
        choices=shuffled(make.rng("chronology", params), answer),
        difficulty=2,
        **_group(group),
    )
