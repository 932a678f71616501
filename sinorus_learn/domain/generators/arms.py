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
    Claim,
    Decisions,
    Maker,
    choice_list,
    claim_specs,
    close_given,
    options,
    pick,
    plural,
    shuffled,
)
from sinorus_learn.domain.questions import NumericAnswer, QuestionSpec
from sinorus_learn.domain.tables import ArmsTransfer, Table, arms_transfers

TABLE = "arms_transfers"
REPEATED = 3  # orders of one designation worth counting: repeat buying, not a pair
NOTATION_OBJ = ("military.table-notation",)
SCALE = ("military.arms-scale",)
# Systems the report's text names ("Kilo-class diesel submarines; Su-27 and Su-30 fighter
# planes; Sovremenny-class destroyers"): only their totals are worth adding up.
TOTALS = ("Su-27SK/Flanker-B", "Su-30MK/Flanker", "Sovremenny Class", "Type-636E/Kilo Class")
# Matchings of designation to description, each over four systems the text names.
MATCH_SETS = (
    ("Su-27SK/Flanker-B", "Sovremenny Class", "Type-877E/Kilo Class", "Tor-M1/SA-15"),
    ("Su-30MK/Flanker", "Type-636E/Kilo Class", "S-300PMU-1/SA-10D", "R-73/AA-11 Archer"),
)
NAMED = (
    "The weapons systems and technology that China has procured from Russia include Kilo-class "
    "diesel submarines; Su-27 and Su-30 fighter planes"
)
SUBSTANTIAL = (
    "the level of hardware and technology transfer between Russia and China has been substantial"
)
AIR_NAVAL = (
    "Russian deal makers have tended to transfer air and naval capabilities rather than ground "
    "platforms"
)
ESTIMATE_NOTE = "( ) indicates SIPRI estimate"
CONFLICT_NOTE = "SIPRI conflicts with IISS"
SU33 = "Beijing and Moscow finalized a deal involving the sale of Russia's advanced Su-33 fighter"
ABBREVIATIONS = {
    "FGA Aircraft": "FGA is fighter/ground-attack",
    "SAM": "SAM is surface-to-air missile",
    "SAM system": "SAM is surface-to-air missile",
    "Mobile SAM system": "SAM is surface-to-air missile",
    "SRAAM": "SRAAM is short-range air-to-air missile",
    "BVRAAM": "BVRAAM is beyond-visual-range air-to-air missile",
    "ASM": "ASM is air-to-surface missile",
    "ASW Helicopter": "ASW is anti-submarine warfare",
    "AEW&C aircraft": "AEW&C is airborne early warning and control",
    "MP aircraft radar": "MP is maritime patrol",
}

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
    "SRAAM": "air-to-air missile",
    "BVRAAM": "air-to-air missile",
}

# One fact per point, whichever template asks it (LEARNING.md section 3).
CONFLICT = f"{TABLE}:derived:notation:conflict"  # the ^ flags a SIPRI-IISS disagreement
EXACT = f"{TABLE}:derived:claim:exact_numbers"  # not every number is exact
EVERY_DELIVERY = f"{TABLE}:derived:claim:every_delivery_year"  # some delivery cells are empty
ORDER_YEARS = f"{TABLE}:derived:order_years:title"  # order years run beyond the title's period
RANGE = f"{TABLE}:derived:notation:range"
SU27_ESTIMATE = f"{TABLE}:derived:claim:su27_estimate"


def family(description: str) -> str:
    """Return the group of meanings a weapon description belongs to."""
    return FAMILIES.get(description, description)


def label(row: ArmsTransfer) -> str:
    """Name a row as printed: designation and order year, in parentheses when SIPRI estimated
    it (the ^ is left out: a label must not give a question on the marks away)."""
    return f"{row.designation}, ordered {row.order.raw.replace('^', '').strip()}"


def ordered_in(row: ArmsTransfer) -> str:
    """Say when a row was ordered, hedged where SIPRI estimated the year."""
    if row.order.estimate:
        return f"ordered, by SIPRI's estimate, in {row.order.start}"
    return f"ordered in {row.order.start}"


def decisions(tables: dict[str, Table]) -> Decisions:
    """Table 1's derived facts are not settled by cells a stem prints (stems print none)."""
    return {}


def generate(tables: dict[str, Table], seed: int) -> Iterator[QuestionSpec]:
    """Yield every question on Table 1."""
    yield from close_given(_generate(tables, seed), decisions(tables))


def _generate(tables: dict[str, Table], seed: int) -> Iterator[QuestionSpec]:
    make = Maker(tables[TABLE], seed)
    rows = arms_transfers(tables)
    by_designation: dict[str, list[ArmsTransfer]] = defaultdict(list)
    for row in rows:
        by_designation[row.designation].append(row)
    for designation, orders in by_designation.items():
        if len(orders) >= REPEATED:
            yield _order_count(make, designation, orders)
        if designation in TOTALS and len(orders) > 1:
            yield _designation_total(make, designation, orders)
    yield from _counts(make, rows)
    yield from _extremes(make, rows)
    yield from _notation(make, rows)
    yield from _claims(make, rows, by_designation)
    yield from _matchings(make, by_designation)


def _weapon(designation: str, orders: list[ArmsTransfer]) -> str:
    return f"the {designation} ({orders[0].description})"


def _order_count(make: Maker, designation: str, orders: list[ArmsTransfer]) -> QuestionSpec:
    """How often a designation was ordered: repeat buying of one system."""
    return make.spec(
        "order_count",
        designation,
        "numeric",
        f"How many separate orders of {_weapon(designation, orders)} does Table 1 list?",
        NumericAnswer(len(orders), 0.0, "orders"),
        "Count the rows with that designation: each is a separate order, named by its order "
        "year. Repeat orders are one way the table backs the report's word 'substantial'.",
        level="data",
        objectives=SCALE,
        fact=make.derived("order_count", designation),
        rows=tuple(o.key for o in orders),
        difficulty=2,
        evidence=SUBSTANTIAL,
    )


def _printed(row: ArmsTransfer) -> str:
    """A quantity as an addend: '(95)' for an estimate, '(8 to 10)' for a range."""
    q = row.quantity
    if q.is_range:
        return f"({q.low} to {q.high})"
    return f"({q.text})" if q.estimate else q.text


def _designation_total(make: Maker, designation: str, orders: list[ArmsTransfer]) -> QuestionSpec:
    """How many units of a system the text names China ordered over all its orders."""
    low = sum(o.quantity.low or 0 for o in orders)
    high = sum(o.quantity.high or 0 for o in orders)
    estimated = [o for o in orders if o.quantity.estimate]
    disputed = [o for o in orders if o.quantity.conflict]
    hedge, given = "", [make.derived("order_count", designation)] if len(orders) >= 3 else []
    for row in estimated:
        hedge += (
            f" The {row.order.start} figure, {row.quantity.text}, is a SIPRI estimate: count it "
            "as printed."
        )
        given.append(EXACT)
        if designation == "Su-27SK/Flanker-B":
            given.append(SU27_ESTIMATE)  # the stem states the claim's key
    for row in disputed:
        hedge += (
            f" The {row.order.start} figure, {row.quantity.text}, is disputed between SIPRI and "
            "IISS and printed as a range."
        )
        given += [EXACT, CONFLICT, RANGE]
    answer = (
        NumericAnswer.from_range(low, high, "units")
        if high != low
        else NumericAnswer(low, 0, "units")
    )
    total = f"{low}" if low == high else f"{low} to {high}, so any number in that range counts"
    hedged = estimated + disputed
    why = ""
    if hedged:
        which = "every part" if len(hedged) == len(orders) else "one part"
        kind = "an estimate" if estimated else "disputed"
        why = f"; {which} is {kind}, so the total is {kind} too"
    count = f"its {len(orders)} orders" if len(orders) >= 3 else "all its orders"
    return make.spec(
        "designation_total",
        designation,
        "numeric",
        f"Adding up {count} in Table 1, how many units of {_weapon(designation, orders)} did "
        f"China order in total?{hedge}",
        answer,
        f"{' + '.join(_printed(o) for o in orders)} = {total}{why}. A total over several orders "
        "shows the scale of a programme better than any single row.",
        level="data",
        objectives=SCALE + (NOTATION_OBJ if hedged else ()),
        fact=make.derived("designation_total", designation),
        given=given,
        rows=tuple(o.key for o in orders),
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
            EXACT,
        ),
        (
            "undelivered",
            "have no delivery year printed",
            lambda r: not r.delivered,
            "The notes do not define an empty delivery cell. Most of these rows are orders from "
            "2004 on, so they were probably not yet delivered when the data were compiled.",
            EVERY_DELIVERY,
        ),
        (
            "conflict",
            "carry the ^ mark",
            lambda r: r.conflict,
            "Few rows carry the ^: elsewhere the table records no disagreement between SIPRI and "
            "IISS, and the marked figures are the ones to quote with care.",
            CONFLICT,
        ),
    )
    for name, clause, test, why, stated in tests:
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
            given=(stated,),
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
        wrong = pick(
            rng, [label(r) for r in ranked[1:] if measure(r) != measure(best)], label(best)
        )
        given: tuple[str, ...] = ()
        if name == "largest_order":
            estimate = "a SIPRI estimate, " if best.quantity.estimate else ""
            why = (
                f"{best.quantity.text} units, {estimate}the largest count among the known "
                "numbers. Missiles are counted in hundreds and aircraft in tens, so the number "
                "of units says little about an order's value."
            )
            level = "evaluate"
            objectives: tuple[str, ...] = SCALE + NOTATION_OBJ
            given = (EXACT,)  # the stem says some numbers are Unknown and some estimates
        else:
            span, runner_up = int(measure(best)), int(measure(second))
            hedge = (
                " Both waits start from order years that are SIPRI estimates, so they are "
                "approximate."
                if name == "longest_wait" and best.order.estimate and second.order.estimate
                else ""
            )
            why = (
                f"{plural(span, 'year')}, ahead of {label(second)} with "
                f"{plural(runner_up, 'year')}.{hedge} An order year is only the start of a "
                "transfer that can run for years."
            )
            level = "data"
            objectives = NOTATION_OBJ
        yield make.spec(
            name,
            "all",
            "multiple_choice",
            prompt,
            label(best),
            why,
            level=level,  # type: ignore[arg-type]
            objectives=objectives,
            fact=make.derived(name, "all"),
            given=given,
            choices=choice_list(rng, label(best), wrong),
            rows=(best.key, second.key),
            difficulty=3,
        )
    years = sorted({r.order.start for r in rows})
    earliest = years[0]
    first = [r for r in rows if r.order.start == earliest]
    rng = make.rng("earliest_order_year", "all")
    wrong = [str(y) for y in years[1:4]]  # the next order years: 1993 is outside the title too
    yield make.spec(
        "earliest_order_year",
        "all",
        "multiple_choice",
        "Table 1's title gives the period 1995-2005. What is the earliest order year it lists?",
        str(earliest),
        f"{earliest} is before the title's period: a title describes a table's main period, not "
        "its limits, so read the rows as well as the title.",
        level="evaluate",
        objectives=NOTATION_OBJ,
        fact=ORDER_YEARS,
        choices=choice_list(rng, str(earliest), wrong),
        rows=tuple(r.key for r in first),
        difficulty=3,
    )
    latest = max(r.order.start for r in rows)
    last = [r for r in rows if r.order.start == latest]
    if len(last) == 1:
        rng = make.rng("latest_order", "all")
        names = [
            r.designation for r in sorted(rows, key=lambda r: -r.order.start) if r is not last[0]
        ]
        yield make.spec(
            "latest_order",
            "all",
            "multiple_choice",
            "Which weapon in Table 1 has the latest order year?",
            last[0].designation,
            f"The {last[0].designation} is the table's newest order. The report's text mentions "
            "the deal for Russia's 'advanced Su-33 fighter': arms sales to China went on.",
            level="data",
            objectives=SCALE,
            fact=make.derived("latest_order", "all"),
            choices=choice_list(rng, last[0].designation, pick(rng, names, last[0].designation)),
            rows=(last[0].key,),
            difficulty=2,
            evidence=SU33,
        )


def _first(rows: list[ArmsTransfer], test: Callable[[ArmsTransfer], bool]) -> ArmsTransfer:
    """Return the first row that shows a mark (the table always has one)."""
    return next(r for r in rows if test(r))


def _notation(make: Maker, rows: list[ArmsTransfer]) -> Iterator[QuestionSpec]:
    """Yield what each mark means on a real row, the sources and the ^ rows.

    Every option is false of the row shown except the key, and the wrong options reuse the
    stem's terms, so the key is not the only option that repeats them (LEARNING.md section 5).
    """
    estimate = _first(
        rows,
        lambda r: (
            r.quantity.estimate
            and not r.order.estimate
            and not r.conflict
            and r.designation not in TOTALS
        ),  # the Su-27SK's estimate is claim:su27_estimate
    )
    conflict = _first(rows, lambda r: r.quantity.conflict and r.quantity.is_range)
    blank = _first(rows, lambda r: r.delivery is None and r.order.start >= 2005 and not r.estimate)
    ranged = _first(rows[::-1], lambda r: r.quantity.is_range and r is not conflict)
    unknown = _first(rows, lambda r: not r.quantity.known and not r.order.estimate)
    low, high = ranged.quantity.low, ranged.quantity.high
    licence = "a licence to build, not a purchase"
    estimate_meaning = "SIPRI's own estimate of the number"
    conflict_meaning = "SIPRI's figure conflicts with IISS's"
    cases = (
        (
            "estimate",
            estimate,
            f"Table 1 prints the number of {estimate.designation} {ordered_in(estimate)} as "
            f"{estimate.quantity.text} in parentheses. What do the "
            "parentheses mean?",
            estimate_meaning,
            (conflict_meaning, "the number ordered is not known", licence),
            "The notes define parentheses as a SIPRI estimate: treat the number as approximate. "
            "Much of Table 1 is estimated, especially missile quantities.",
            make.derived("notation", "estimate"),
            (EXACT,),
            ESTIMATE_NOTE,
        ),
        (
            "conflict",
            conflict,
            f"Table 1 prints the number of {conflict.designation} {ordered_in(conflict)} as "
            f"{conflict.quantity.text} followed by ^. What does the ^ "
            "mean?",
            conflict_meaning,
            (estimate_meaning, "the number was revised after the order", licence),
            "The notes define ^ as a conflict between the table's two sources, SIPRI and IISS's "
            "Military Balance: the figure is disputed, not necessarily wrong.",
            CONFLICT,
            (EXACT,),
            CONFLICT_NOTE,
        ),
        (
            "blank",
            blank,
            f"Table 1 prints no delivery year for the {blank.designation} {ordered_in(blank)}. "
            "What do the table's notes say an empty delivery cell means?",
            "the notes do not define it",
            (
                "the order was cancelled",
                "the delivery year is a SIPRI estimate",
                "SIPRI and IISS disagree on the delivery",
            ),
            "The notes define only ( ) and ^. Most rows without a delivery year are orders from "
            "2004 on, so they were probably not yet delivered when the data were compiled, but "
            "the table does not say so.",
            make.derived("notation", "blank"),
            (EVERY_DELIVERY,),
            "",
        ),
        (
            "range",
            ranged,
            f"Table 1 gives the number of {ranged.designation} {ordered_in(ranged)} as "
            f"{ranged.quantity.text}{' with a ^ beside it' if ranged.conflict else ''}. What "
            f"does {ranged.quantity.text} itself mean?",
            f"between {low} and {high} were ordered",
            (
                f"{low} were ordered, then {high} more",
                f"{low} were ordered and {high} delivered",
                f"{high} were ordered and {low} delivered",
            ),
            "A range gives the lowest and highest number ordered: the table gives no single "
            "figure, so any total using it is a range too.",
            RANGE,
            (EXACT,),
            "",
        ),
        (
            "unknown",
            unknown,
            f"Table 1 gives the number of {unknown.designation} {ordered_in(unknown)} as "
            "'Unknown'. What does that mean?",
            "the number ordered is not known",
            (
                "the weapon's type is not known",
                "no units were ordered",
                "the weapon's designation is not known",
            ),
            "Unknown means the table records the order but not its size; it is not zero, and "
            "it keeps the table from giving a total of units.",
            make.derived("notation", "unknown"),
            (EXACT,),
            "",
        ),
    )
    for name, row, prompt, correct, wrong, why, fact, given, evidence in cases:
        rng = make.rng("notation", name)
        yield make.spec(
            "notation",
            name,
            "multiple_choice",
            prompt,
            correct,
            why,
            level="data",
            objectives=NOTATION_OBJ,
            fact=fact,
            given=given,
            choices=choice_list(rng, correct, list(wrong)),
            rows=(row.key,),
            difficulty=1,
            evidence=evidence,
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
        "Table 1 names SIPRI's Yearbook and IISS's Military Balance as its sources; the other "
        "names are the sources of the report's trade and oil figures.",
        level="recall",
        objectives=NOTATION_OBJ,
        fact=make.derived("sources", "table"),
        choices=shuffled(make.rng("sources", "table"), sources),
    )
    marked = [r for r in rows if r.conflict]
    rng = make.rng("marked_rows", "conflict")
    marked_shown = rng.sample(marked, min(3, len(marked)))
    clean = [r for r in rows if not r.conflict]
    wrong_rows = rng.sample(clean, 3)
    both = [r for r in marked if r.quantity.conflict and r.order.conflict]
    note = (
        f"; on the {both[0].designation} it marks both the number and the estimated order year"
        if both
        else ""
    )
    yield make.spec(
        "marked_rows",
        "conflict",
        "multiple_select",
        "In which of these rows of Table 1 do SIPRI's data conflict with IISS's?",
        tuple(label(r) for r in marked_shown),
        f"The ^ appears on {plural(len(marked), 'row')}{note}. Where it appears, the two "
        "sources disagree, so those figures are to be quoted with care.",
        level="data",
        objectives=NOTATION_OBJ,
        fact=make.derived("count_rows", "conflict"),
        given=(CONFLICT,),  # the stem says the table records SIPRI-IISS conflicts
        choices=shuffled(rng, [label(r) for r in marked_shown + wrong_rows]),
        rows=tuple(r.key for r in marked_shown + wrong_rows),
        difficulty=2,
    )


def _claims(
    make: Maker, rows: list[ArmsTransfer], by_designation: dict[str, list[ArmsTransfer]]
) -> Iterator[QuestionSpec]:
    """Yield statements about the whole table to check, true and false in balance."""
    in_title = all(1995 <= r.order.start <= 2005 for r in rows)
    exact = all(r.quantity.known and not r.quantity.is_range for r in rows)
    every_delivery = all(r.delivered for r in rows)
    su27 = by_designation.get("Su-27SK/Flanker-B", [])
    su27_keys = tuple(r.key for r in su27)
    estimated = next((r for r in su27 if r.quantity.estimate), None)
    descriptions = {r.description.lower() for r in rows}
    ground = any(word in d for d in descriptions for word in ("tank", "artillery", "armoured"))
    claims: list[Claim] = [
        Claim(
            name="within_title",
            statement="Every order year in Table 1 falls within its title's period, 1995-2005.",
            truth=in_title,
            why=(
                "No: a few orders fall before the title's period and one after it. A table's title "
                "describes its main period, not necessarily every row."
            ),
            level="evaluate",
            objectives=NOTATION_OBJ,
            fact=ORDER_YEARS,
        ),
        Claim(
            name="exact_numbers",
            statement="Table 1 gives an exact number for every order it lists.",
            truth=exact,
            why=(
                "No: some numbers are Unknown, some are ranges, and many are SIPRI estimates in "
                "parentheses. Any totals drawn from it are at best approximate."
            ),
            level="evaluate",
            objectives=NOTATION_OBJ,
            fact=EXACT,
        ),
        Claim(
            name="every_delivery_year",
            statement="Table 1 prints a delivery year for every order it lists.",
            truth=every_delivery,
            why=(
                "No: several rows, mostly orders from 2004 on, have no delivery year. The notes do "
                "not explain the blanks; most of those orders were probably not yet delivered when "
                "the data were compiled."
            ),
            level="data",
            objectives=NOTATION_OBJ,
            fact=EVERY_DELIVERY,
        ),
        Claim(
            name="flags_conflicts",
            statement=(
                "Where SIPRI and IISS disagree, Table 1 marks the figure rather than silently "
                "choosing one source."
            ),
            truth=any(r.conflict for r in rows),
            why=(
                "Yes: the notes define ^ as a conflict between SIPRI and IISS, so a reader can see "
                "which figures the two sources dispute."
            ),
            level="evaluate",
            objectives=NOTATION_OBJ,
            fact=CONFLICT,
            evidence=CONFLICT_NOTE,
        ),
        Claim(
            name="repeat_orders",
            statement="Table 1 lists more than one order of Su-27SK/Flanker-B fighters.",
            truth=len(su27) > 1,
            why=(
                "Yes: the Su-27SK appears in several rows, each a separate order. Repeat orders of "
                "fighters are one way the table backs the report's word 'substantial'."
            ),
            level="data",
            objectives=SCALE,
            fact=make.derived("order_count", "Su-27SK/Flanker-B"),
            rows=su27_keys,
            evidence=SUBSTANTIAL,
        ),
        Claim(
            name="air_naval",
            statement=(
                "Table 1 fits the report's statement that Russia tended to transfer air and naval "
                "capabilities rather than ground platforms."
            ),
            truth=not ground,
            why=(
                "Yes: its rows are aircraft, helicopters, engines, radars, missiles, destroyers "
                "and submarines; no tanks or artillery appear, although some air-defence systems "
                "are based on the ground."
            ),
            level="evaluate",
            objectives=SCALE,
            fact=make.derived("claim", "air_naval"),
            evidence=AIR_NAVAL,
        ),
    ]
    if estimated is not None:
        claims.append(
            Claim(
                name="su27_estimate",
                statement=(
                    "Table 1's figure for the Su-27SK/Flanker-B fighters ordered in "
                    f"{estimated.order.start} is a SIPRI estimate, not a reported number."
                ),
                truth=estimated.quantity.estimate,
                why=(
                    "Yes: it is printed in parentheses, which the notes define as a SIPRI "
                    "estimate. The largest fighter order in the table is an estimate."
                ),
                level="evaluate",
                objectives=NOTATION_OBJ,
                fact=SU27_ESTIMATE,
                rows=(estimated.key,),
                evidence=ESTIMATE_NOTE,
            )
        )
    yield from claim_specs(make, claims)


def _matchings(
    make: Maker, by_designation: dict[str, list[ArmsTransfer]]
) -> Iterator[QuestionSpec]:
    """Yield designation-to-description matchings over systems the report's text names."""
    all_descriptions = sorted({orders[0].description for orders in by_designation.values()})
    for group in MATCH_SETS:
        if not all(d in by_designation for d in group):
            continue
        params = "|".join(group)
        pairs = tuple((d, by_designation[d][0].description) for d in group)
        kinds = {family(desc) for _, desc in pairs}
        rng = make.rng("match_description", params)
        extra = pick(rng, [d for d in all_descriptions if family(d) not in kinds], "", n=1)
        shown = [desc for _, desc in pairs] + extra
        spelled = list(dict.fromkeys(ABBREVIATIONS[d] for d in shown if d in ABBREVIATIONS))
        yield make.spec(
            "match_description",
            params,
            "matching",
            "Match each weapon in Table 1 to its description (one description is not used).",
            pairs,
            "The report's text names these systems among China's purchases from Russia. "
            + ("; ".join(spelled) + "." if spelled else ""),
            level="recall",
            objectives=SCALE,
            fact=make.derived("match_description", params),
            choices=options(rng, shown),
            rows=tuple(o.key for d in group for o in by_designation[d]),
            difficulty=2,
            evidence=NAMED,
        )
