"""Questions on Table 1: Russian transfers and licensed production of weapons to China.

Table 1 backs the report's claim that the transfers were substantial (``military.arms-scale``)
and teaches reading hedged data (``military.table-notation``): parentheses mark SIPRI
estimates, ^ a SIPRI-IISS conflict, ranges and Unknown quantities, empty delivery cells. The
templates therefore ask what the notation means, count and compare across rows, and add up a
weapon's orders; a single row's cell (its quantity, order or delivery year) is never asked on
its own: no argument of the report rests on one. A designation can be ordered several times
(Mi-8/Mi-17 four times), so a row is always named by designation *and* order year, and every
hedged figure a question relies on is said to be an estimate or disputed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator

from sinorus_learn.domain.generators.common import (
    Maker,
    choice_list,
    nearest,
    options,
    pick,
    plural,
    shuffled,
)
from sinorus_learn.domain.questions import NumericAnswer, QuestionSpec
from sinorus_learn.domain.tables import ArmsTransfer, Table, arms_transfers

TABLE = "arms_transfers"
GROUP = 4  # weapons per matching question
REPEATED = 3  # orders of one designation worth counting: repeat buying, not a pair
NOTATION_OBJ = ("military.table-notation",)
SCALE = ("military.arms-scale",)

# Descriptions that overlap in meaning are never distractors for each other.
FAMILIES: dict[str, str] = {
    "SAM": "air defence",
    "SAM system": "air defence",
    "Mobile SAM system": "air defence",
    "Air surv radar": "radar",
    "Fire control radar": "radar",
    "Aircraft radar": "radar",
    "MP aircraft radar": "radar",
    "Helicopter": "helicopter",
    "ASW Helicopter": "helicopter",
    "ASM": "guided missile",
    "Anti-ship missile": "guided missile",
    "Anti-radar missile": "guided missile",
}


# What each mark of Table 1's notation means, worded in parallel so that no meaning stands out
# by its length (LEARNING.md section 5).
NOTATION: dict[str, str] = {
    "( )": "a SIPRI estimate, not a reported figure",
    "^": "SIPRI's figure conflicts with IISS's",
    "Unknown": "the number ordered is not known",
    "3-6": "a range: between 3 and 6 were ordered",
    "1996-97": "delivered from 1996 to 1997",
    "(blank delivery)": "not (yet) delivered when compiled",
}


def family(description: str) -> str:
    """Return the group of meanings a weapon description belongs to."""
    return FAMILIES.get(description, description)


def generate(tables: dict[str, Table], seed: int) -> Iterator[QuestionSpec]:
    """Yield every question on Table 1."""
    make = Maker(tables[TABLE], seed)
    rows = arms_transfers(tables)
    by_designation: dict[str, list[ArmsTransfer]] = defaultdict(list)
    for row in rows:
        by_designation[row.designation].append(row)
    for designation, orders in by_designation.items():
        if len(orders) > 1:
            yield from _designation_totals(make, designation, orders)
    yield from _counts(make, rows)
    yield from _extremes(make, rows)
    yield from _notation(make, rows)
    yield from _claims(make, rows, by_designation)
    yield from _matchings(make, by_designation)


def order_year(row: ArmsTransfer) -> str:
    """Return the order year, flagged when it is a SIPRI estimate."""
    return f"{row.order.start} (SIPRI estimate)" if row.order.estimate else str(row.order.start)


def _designation_totals(
    make: Maker, designation: str, orders: list[ArmsTransfer]
) -> Iterator[QuestionSpec]:
    """Yield how often a designation was ordered and, when every quantity is known, how many."""
    keys = tuple(o.key for o in orders)
    weapon = f"the {designation} ({orders[0].description})"
    if len(orders) >= REPEATED:
        yield make.spec(
            "order_count",
            designation,
            "numeric",
            f"How many separate orders of {weapon} does Table 1 list?",
            NumericAnswer(len(orders), 0.0, "orders"),
            "Count the rows with that designation: each is a separate order, named by its order "
            "year. Repeat orders show China coming back for the same system, which is part of "
            "why the report calls the transfers substantial.",
            level="data",
            objectives=SCALE,
            fact=make.derived("order_count", designation),
            rows=keys,
            difficulty=2,
        )
    if not all(o.quantity.known for o in orders):
        return
    low = sum(o.quantity.low or 0 for o in orders)
    high = sum(o.quantity.high or 0 for o in orders)
    estimated = any(o.quantity.estimate for o in orders)
    disputed = any(o.quantity.conflict for o in orders)
    hedge = ""
    if estimated:
        hedge += " Count SIPRI's estimates as printed."
    if disputed:
        hedge += " One order is disputed between SIPRI and IISS and printed as a range."
    answer = (
        NumericAnswer.from_range(low, high, "units")
        if high != low
        else NumericAnswer(low, 0, "units")
    )
    total = f"{low}" if low == high else f"{low} to {high}, so any number in that range counts"
    parts = " + ".join(o.quantity.text for o in orders)
    why = "; some parts are estimates, so the total is one too" if estimated or disputed else ""
    yield make.spec(
        "designation_total",
        designation,
        "numeric",
        f"Adding up all its orders in Table 1, how many units of {weapon} did China order in "
        f"total?{hedge}",
        answer,
        f"{parts} = {total}{why}. A total over several orders shows the scale of a programme "
        "better than any single row.",
        level="evaluate" if disputed else "data",
        objectives=SCALE + (NOTATION_OBJ if estimated or disputed else ()),
        fact=make.derived("designation_total", designation),
        rows=keys,
        difficulty=3,
    )


def _counts(make: Maker, rows: list[ArmsTransfer]) -> Iterator[QuestionSpec]:
    """Yield counts of rows by notation: how much of the table is hedged."""
    tests = (
        (
            "unknown",
            "have 'Unknown' as the number ordered",
            lambda r: not r.quantity.known,
            "Unknown quantities are mostly missiles: the table can show that an order was made "
            "without saying how big it was, so a total of units over the table is impossible.",
        ),
        (
            "undelivered",
            "have an empty delivery cell",
            lambda r: not r.delivered,
            "An empty delivery cell means not (yet) delivered when the data were compiled: "
            "several of these are recent orders, so the transfers were still growing.",
        ),
        (
            "conflict",
            "carry the ^ mark",
            lambda r: r.conflict,
            "The ^ marks a cell where SIPRI's data conflict with IISS's. The table flags the "
            "disagreement rather than choosing silently, so those figures are disputed.",
        ),
    )
    for name, clause, test, why in tests:
        hits = [r for r in rows if test(r)]
        yield make.spec(
            "count_rows",
            name,
            "numeric",
            f"How many of the {len(rows)} rows of Table 1 {clause}?",
            NumericAnswer(len(hits), 0.0, "rows"),
            why,
            level="data",
            objectives=NOTATION_OBJ,
            fact=make.derived("count_rows", name),
            rows=tuple(r.key for r in hits),
            difficulty=2 if name != "conflict" else 3,
        )


def _unique_max(
    rows: list[ArmsTransfer], measure: Callable[[ArmsTransfer], float]
) -> tuple[ArmsTransfer, ArmsTransfer] | None:
    """Return the top two rows by ``measure``; None when the top is tied."""
    ranked = sorted(rows, key=measure, reverse=True)
    if len(ranked) < 2 or measure(ranked[0]) == measure(ranked[1]):
        return None
    return ranked[0], ranked[1]


def _extremes(make: Maker, rows: list[ArmsTransfer]) -> Iterator[QuestionSpec]:
    """Yield the largest order, longest deliveries and the earliest and latest order years."""
    known = [r for r in rows if r.quantity.known]
    delivered = [r for r in rows if r.delivery]
    measures: dict[str, tuple[list[ArmsTransfer], Callable[[ArmsTransfer], float], str]] = {
        "largest_order": (
            known,
            lambda r: float(r.quantity.high or 0),
            "Leaving aside the orders whose number is Unknown, which row of Table 1 has the "
            "largest number ordered? Count SIPRI's estimates as printed.",
        ),
        "longest_delivery": (
            delivered,
            lambda r: r.delivery.end - r.delivery.start if r.delivery else 0,
            "Which row of Table 1 has the longest delivery period, from first to last delivery "
            "year?",
        ),
        "longest_wait": (
            delivered,
            lambda r: r.delivery.start - r.order.start if r.delivery else 0,
            "Which row of Table 1 shows the longest wait from order year to first delivery "
            "year? Some order years are SIPRI estimates; take them as printed.",
        ),
    }
    for name, (pool, measure, prompt) in measures.items():
        top = _unique_max(pool, measure)
        if top is None:
            continue
        best, second = top
        ranked = sorted(pool, key=measure, reverse=True)
        rng = make.rng(name, "all")
        wrong = pick(rng, [r.label for r in ranked[1:] if measure(r) != measure(best)], best.label)
        if name == "largest_order":
            estimate = "a SIPRI estimate, " if best.quantity.estimate else ""
            why = (
                f"{best.quantity.text} units, {estimate}the largest count among the known "
                "numbers. Missiles are counted in hundreds and aircraft in tens, so the number "
                "of units says little about an order's value."
            )
            level = "evaluate"
            objectives = SCALE + NOTATION_OBJ
        else:
            span, runner_up = int(measure(best)), int(measure(second))
            why = (
                f"{plural(span, 'year')}, ahead of {second.label} with "
                f"{plural(runner_up, 'year')}. "
                "Long deliveries and waits show that an order year is only the start of a "
                "transfer that can run for years."
            )
            level = "data"
            objectives = NOTATION_OBJ
        yield make.spec(
            name,
            "all",
            "multiple_choice",
            prompt,
            best.label,
            why,
            level=level,  # type: ignore[arg-type]
            objectives=objectives,
            fact=make.derived(name, "all"),
            choices=choice_list(rng, best.label, wrong),
            rows=(best.key, second.key),
            difficulty=3,
        )
    earliest = min(r.order.start for r in rows)
    first = [r for r in rows if r.order.start == earliest]
    years = sorted({r.order.start for r in rows})
    rng = make.rng("earliest_order_year", "all")
    pool = [str(y) for y in nearest([y for y in years if y != earliest], earliest, float)]
    yield make.spec(
        "earliest_order_year",
        "all",
        "multiple_choice",
        "Table 1's title gives the period 1995-2005. What is the earliest order year it lists?",
        str(earliest),
        "The title's dates are not the table's limits: a few orders date from 1992 and 1993, "
        "and one from 2006. Read the rows, not only the title.",
        level="evaluate",
        objectives=NOTATION_OBJ,
        fact=make.derived("earliest_order_year", "all"),
        choices=choice_list(rng, str(earliest), pick(rng, pool, str(earliest))),
        rows=tuple(r.key for r in first),
        difficulty=3,
    )
    latest = max(r.order.start for r in rows)
    last = [r for r in rows if r.order.start == latest]
    if len(last) == 1:
        rng = make.rng("latest_order", "all")
        pool = [
            r.designation for r in sorted(rows, key=lambda r: -r.order.start) if r is not last[0]
        ]
        yield make.spec(
            "latest_order",
            "all",
            "multiple_choice",
            "Which weapon in Table 1 has the latest order year?",
            last[0].designation,
            "The Su-33 deal of late 2006 is the newest order, after the period in the title, "
            "and it was not yet delivered: the transfers were still moving to more advanced "
            "aircraft.",
            level="data",
            objectives=SCALE,
            fact=make.derived("latest_order", "all"),
            choices=choice_list(rng, last[0].designation, pick(rng, pool, last[0].designation)),
            rows=(last[0].key,),
            difficulty=2,
        )


def _first(rows: list[ArmsTransfer], test: Callable[[ArmsTransfer], bool]) -> ArmsTransfer:
    """Return the first row that shows a mark (the table always has one)."""
    return next(r for r in rows if test(r))


def _notation(make: Maker, rows: list[ArmsTransfer]) -> Iterator[QuestionSpec]:
    """Yield what each mark means on a real row, a matching, the sources and the ^ rows."""
    estimate = _first(
        rows, lambda r: r.quantity.estimate and not r.order.estimate and not r.conflict
    )
    conflict = _first(rows, lambda r: r.quantity.conflict and r.quantity.is_range)
    blank = _first(rows, lambda r: r.delivery is None and r.order.start >= 2005)
    ranged = _first(rows[::-1], lambda r: r.quantity.is_range and r is not conflict)
    spans = _first(rows, lambda r: r.delivery is not None and len(r.delivery.raw.strip()) == 7)
    unknown = _first(rows, lambda r: not r.quantity.known)
    cases = (
        (
            "estimate",
            "( )",
            estimate,
            f"Table 1 prints the number of {estimate.designation} ordered in "
            f"{estimate.order.start} as {estimate.quantity.text} in parentheses. What do the "
            "parentheses mean?",
            "evaluate",
            "Parentheses mark SIPRI's own estimate, not a reported figure: treat the number as "
            "approximate. Much of Table 1 is estimated, especially missile quantities.",
        ),
        (
            "conflict",
            "^",
            conflict,
            f"Table 1 prints the number of {conflict.designation} ordered in "
            f"{conflict.order.start} as {conflict.quantity.text} followed by ^. What does the ^ "
            "mean?",
            "evaluate",
            "The ^ flags a disagreement between the table's two sources, SIPRI and IISS's "
            "Military Balance: the figure is disputed, not wrong.",
        ),
        (
            "blank",
            "(blank delivery)",
            blank,
            f"Table 1 leaves the delivery year empty for the {blank.designation} ordered in "
            f"{blank.order.start}. What does the empty cell mean?",
            "data",
            "An empty delivery cell means not (yet) delivered when the data were compiled, not "
            "that the order was cancelled; recent orders are often in this state.",
        ),
        (
            "range",
            "3-6",
            ranged,
            f"Table 1 gives the number of {ranged.designation} ordered in {ranged.order.start} "
            f"as {ranged.quantity.text}{' with a ^ beside it' if ranged.conflict else ''}. "
            "What does the range itself mean?",
            "data",
            "A range gives the lowest and highest number ordered: the sources do not allow a "
            "single figure, so any total using it is a range too.",
        ),
        (
            "year_range",
            "1996-97",
            spans,
            f"Table 1 gives the delivery year of the {spans.designation} ordered in "
            f"{spans.order.start} as {spans.delivery.raw.strip() if spans.delivery else ''}. "
            "What does that mean?",
            "data",
            "Deliveries often stretch over several years; the table shortens the last year to "
            "its final two digits.",
        ),
        (
            "unknown",
            "Unknown",
            unknown,
            f"Table 1 gives the number of {unknown.designation} ordered as 'Unknown'. What does "
            "that mean?",
            "data",
            "Unknown means the sources record the order but not its size; it is not zero, and "
            "it keeps the table from giving a total of units.",
        ),
    )
    for name, mark, row, prompt, level, why in cases:
        correct = NOTATION[mark]
        # A distractor must be false of the row shown: the ^ example is also a range.
        true_of_row = {NOTATION["3-6"]} if row.quantity.is_range else set()
        if name == "range":
            correct = f"a range: between {row.quantity.low} and {row.quantity.high} were ordered"
            true_of_row.add(NOTATION["^"])
        meanings = [m for m in NOTATION.values() if m not in true_of_row and m != NOTATION[mark]]
        rng = make.rng("notation", name)
        yield make.spec(
            "notation",
            name,
            "multiple_choice",
            prompt,
            correct,
            why,
            level=level,  # type: ignore[arg-type]
            objectives=NOTATION_OBJ,
            fact=make.derived("notation", name),
            choices=choice_list(rng, correct, pick(rng, meanings, correct, n=3)),
            rows=(row.key,),
            difficulty=1 if level == "data" else 2,
        )
    marks = ("( )", "^", "Unknown", "(blank delivery)")
    pairs = tuple((m, NOTATION[m]) for m in marks)
    yield make.spec(
        "notation_match",
        "marks",
        "matching",
        "Match each mark used in Table 1 to its meaning.",
        pairs,
        "Each mark hedges a figure in its own way: an estimate, a disputed figure, a missing "
        "number, a delivery still to come. Reading them tells you how far to trust a row.",
        level="data",
        objectives=NOTATION_OBJ,
        fact=make.derived("notation_match", "marks"),
        choices=shuffled(make.rng("notation_match", "marks"), [v for _, v in pairs]),
    )
    sources = (
        "SIPRI Yearbook 2006",
        "IISS, The Military Balance 2007",
        "UN Comtrade Database",
        "RIA Novosti",
        "Ministry of Commerce of the PRC",
    )
    yield make.spec(
        "sources",
        "table",
        "multiple_select",
        "Which sources does Table 1 draw on?",
        sources[:2],
        "Table 1 combines SIPRI with IISS's Military Balance; where the two disagree the cell "
        "carries a ^. The other names are the sources of the report's trade and oil figures.",
        level="evaluate",
        objectives=NOTATION_OBJ,
        fact=make.derived("sources", "table"),
        choices=shuffled(make.rng("sources", "table"), sources),
    )
    marked = [r for r in rows if r.conflict]
    rng = make.rng("marked_rows", "conflict")
    correct = rng.sample(marked, min(3, len(marked)))
    clean = [r for r in rows if not r.conflict]
    wrong = rng.sample(clean, 3)
    yield make.spec(
        "marked_rows",
        "conflict",
        "multiple_select",
        "In which of these rows of Table 1 do SIPRI's data conflict with IISS's?",
        tuple(r.label for r in correct),
        "Only the A-50U/Mainstay and the 2002 Kilo-class order carry the ^: their numbers are "
        "disputed, which is why they are printed as ranges.",
        level="evaluate",
        objectives=NOTATION_OBJ,
        fact=make.derived("count_rows", "conflict"),
        choices=shuffled(rng, [r.label for r in correct + wrong]),
        rows=tuple(r.key for r in correct + wrong),
        difficulty=2,
    )


def _claims(
    make: Maker, rows: list[ArmsTransfer], by_designation: dict[str, list[ArmsTransfer]]
) -> Iterator[QuestionSpec]:
    """Yield statements about the whole table to check, true and false in equal measure."""
    in_title = all(1995 <= r.order.start <= 2005 for r in rows)
    exact = all(r.quantity.known and not r.quantity.is_range for r in rows)
    all_delivered = all(r.delivered for r in rows)
    su27 = by_designation.get("Su-27SK/Flanker-B", [])
    estimated = next((r for r in su27 if r.quantity.estimate), None)
    claims: list[tuple[str, str, bool, str, str, tuple[str, ...], tuple[str, ...]]] = [
        (
            "within_title",
            "Every order year in Table 1 falls within the 1995-2005 of its title.",
            in_title,
            "No: some orders date from 1992 and 1993 and one from 2006. A table's title "
            "describes its main period, not necessarily every row.",
            "evaluate",
            NOTATION_OBJ,
            (),
        ),
        (
            "exact_numbers",
            "Table 1 gives an exact number for every order it lists.",
            exact,
            "No: some numbers are Unknown, some are ranges, and many are SIPRI estimates in "
            "parentheses. Its totals are at best approximate.",
            "evaluate",
            NOTATION_OBJ,
            (),
        ),
        (
            "all_delivered",
            "Every order in Table 1 had been delivered when the data were compiled.",
            all_delivered,
            "No: several rows have an empty delivery cell, mostly orders from 2004 on, which "
            "had not (yet) been delivered.",
            "data",
            NOTATION_OBJ,
            (),
        ),
        (
            "flags_conflicts",
            "Where SIPRI and IISS disagree, Table 1 marks the figure rather than silently "
            "choosing one source.",
            any(r.conflict for r in rows),
            "Yes: the ^ mark flags each disputed figure, so a reader knows which numbers the two "
            "sources do not agree on.",
            "evaluate",
            NOTATION_OBJ,
            (),
        ),
        (
            "repeat_orders",
            "Table 1 lists more than one order of Su-27SK/Flanker-B fighters.",
            len(su27) > 1,
            "Yes: China ordered Su-27SKs three times. Repeat orders of fighters back the "
            "report's view that the transfers were substantial.",
            "data",
            SCALE,
            (make.derived("order_count", "Su-27SK/Flanker-B"),),
        ),
    ]
    if estimated is not None:
        claims.append(
            (
                "su27_estimate",
                f"Table 1's figure for the Su-27SK/Flanker-B fighters ordered in "
                f"{estimated.order.start} is a SIPRI estimate, not a reported number.",
                estimated.quantity.estimate,
                f"Yes: it is printed as {estimated.quantity.text} in parentheses, SIPRI's "
                "estimate. The largest fighter order in the table is an estimate.",
                "evaluate",
                NOTATION_OBJ,
                (),
            )
        )
    for name, statement, truth, why, level, objectives, fact in claims:
        yield make.spec(
            "claim",
            name,
            "true_false",
            statement,
            truth,
            why,
            level=level,  # type: ignore[arg-type]
            objectives=objectives,
            fact=fact[0] if fact else make.derived("claim", name),
            difficulty=2,
        )


def _matchings(
    make: Maker, by_designation: dict[str, list[ArmsTransfer]]
) -> Iterator[QuestionSpec]:
    """Yield designation-to-description matchings, four weapons of different kinds each."""
    designations = sorted(by_designation)
    used: set[str] = set()
    groups: list[list[str]] = []
    for first in designations:
        if first in used:
            continue
        group = [first]
        for other in designations:
            kinds = {family(by_designation[d][0].description) for d in group}
            if (
                other not in used
                and other not in group
                and family(by_designation[other][0].description) not in kinds
            ):
                group.append(other)
            if len(group) == GROUP:
                break
        if len(group) == GROUP:
            used.update(group)
            groups.append(group)
    all_descriptions = sorted({orders[0].description for orders in by_designation.values()})
    for group in groups:
        params = "|".join(group)
        pairs = tuple((d, by_designation[d][0].description) for d in group)
        kinds = {family(desc) for _, desc in pairs}
        rng = make.rng("match_description", params)
        extra = pick(rng, [d for d in all_descriptions if family(d) not in kinds], "", n=1)
        yield make.spec(
            "match_description",
            params,
            "matching",
            "Match each weapon in Table 1 to its description (one description is not used).",
            pairs,
            "Knowing what each designation is shows what China bought: aircraft, ships, "
            "submarines, missiles and radars, in line with Russia's preference for selling air "
            "and naval systems rather than ground platforms.",
            level="recall",
            objectives=SCALE,
            fact=make.derived("match_description", params),
            choices=options(rng, [desc for _, desc in pairs] + extra),
            rows=tuple(o.key for d in group for o in by_designation[d]),
            difficulty=2,
        )
