"""Questions on Table 1: Russian transfers and licensed production of weapons to China.

A designation can be ordered several times (Mi-8/Mi-17 four times), so a row is always named by
designation *and* order year; Unknown quantities are never asked for; ranges are accepted as
ranges; every explanation states the row's estimates ( ) and SIPRI-IISS conflicts ^.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator

from sinorus_learn.domain.generators.common import (
    Maker,
    choice_list,
    nearest,
    pick,
    shuffled,
    year_variants,
)
from sinorus_learn.domain.questions import NumericAnswer, QuestionSpec
from sinorus_learn.domain.tables import NOTATION, ArmsTransfer, Table, arms_transfers

TABLE = "arms_transfers"
GROUP = 4  # items per ordering or matching question

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
        yield _description(make, rows, designation, orders)
    for row in rows:
        yield from _row_questions(make, rows, by_designation[row.designation], row)
    for designation, orders in by_designation.items():
        if len(orders) > 1:
            yield from _designation_totals(make, designation, orders)
    yield from _counts(make, rows)
    yield from _by_order_year(make, rows, by_designation)
    yield from _extremes(make, rows)
    yield from _notation(make, rows)
    yield from _chronologies(make, by_designation)
    yield from _matchings(make, by_designation)


def flags(row: ArmsTransfer) -> str:
    """Say which of the row's cells are SIPRI estimates or conflict with IISS."""
    notes = []
    if row.quantity.estimate:
        notes.append(f"the number ordered, {row.quantity.raw.strip()}, is a SIPRI estimate")
    if row.order.estimate:
        notes.append(f"the order year, {row.order.raw.strip()}, is a SIPRI estimate")
    if row.conflict:
        notes.append("the ^ mark means SIPRI's data conflict with IISS's")
    if not row.quantity.known:
        notes.append("the number ordered is Unknown")
    if row.delivery is None:
        notes.append(
            "the empty delivery cell means not (yet) delivered when the data were compiled"
        )
    return (" Note: " + "; ".join(notes) + ".") if notes else ""


def order_year(row: ArmsTransfer) -> str:
    """Return the order year, flagged when it is a SIPRI estimate."""
    return f"{row.order.start} (SIPRI estimate)" if row.order.estimate else str(row.order.start)


def named(row: ArmsTransfer) -> str:
    """Name a row unambiguously: designation and order year."""
    return f"the {row.designation} order of {order_year(row)}"


def _printed(row: ArmsTransfer) -> str:
    delivery = row.delivery.raw.strip() if row.delivery else "blank"
    return (
        f"Table 1 lists {row.quantity.raw.strip()} {row.designation} ({row.description}), "
        f"ordered {row.order.raw.strip()}, delivered {delivery}."
    )


def _description(
    make: Maker, rows: list[ArmsTransfer], designation: str, orders: list[ArmsTransfer]
) -> QuestionSpec:
    correct = orders[0].description
    rng = make.rng("description", designation)
    kinds: dict[str, list[str]] = defaultdict(list)
    for description in sorted({r.description for r in rows}):
        if family(description) != family(correct):
            kinds[family(description)].append(description)
    pool = [rng.choice(options) for options in kinds.values()]  # one per kind of weapon
    rng.shuffle(pool)
    facts = " ".join(_printed(r) + flags(r) for r in orders)
    return make.spec(
        "description",
        designation,
        "multiple_choice",
        f"Table 1 lists Russian transfers of the {designation} to China. What kind of weapon is "
        "it?",
        correct,
        f"Table 1 describes the {designation} as '{correct}'. {facts}",
        choices=choice_list(rng, correct, pick(rng, pool, correct)),
        rows=tuple(r.key for r in orders),
    )


def _row_questions(
    make: Maker, rows: list[ArmsTransfer], siblings: list[ArmsTransfer], row: ArmsTransfer
) -> Iterator[QuestionSpec]:
    """Yield the questions about one row: quantity, order and delivery years, flags."""
    facts = _printed(row) + flags(row)
    if row.quantity.known:
        assert row.quantity.low is not None and row.quantity.high is not None
        q = row.quantity
        answer = (
            NumericAnswer.from_range(q.low, q.high, "units")
            if q.is_range
            else NumericAnswer(q.low, 0.0, "units")
        )
        ranged = (
            f" The range {q.text} is printed, so any number in it is accepted."
            if q.is_range
            else ""
        )
        yield make.spec(
            "quantity",
            row.key,
            "numeric",
            f"According to Table 1, how many {row.designation} did China order in "
            f"{order_year(row)}?",
            answer,
            facts + ranged,
            rows=(row.key,),
            difficulty=2,
        )
        yield make.spec(
            "quantity_estimate",
            row.key,
            "true_false",
            # Name the row by its plain year: flagging the order year here would hint at the key.
            f"In Table 1, the number ordered for the {row.designation} order of "
            f"{row.order.start} ({q.text}) is a SIPRI estimate.",
            q.estimate,
            facts + (" Parentheses mark a SIPRI estimate." if q.estimate else " No parentheses."),
            rows=(row.key,),
            difficulty=2,
        )
    yield from _order_year(make, rows, siblings, row, facts)
    yield make.spec(
        "delivered",
        row.key,
        "true_false",
        f"Table 1 records a year of delivery for {named(row)}.",
        row.delivered,
        facts,
        rows=(row.key,),
    )
    if row.delivery is not None:
        d = row.delivery
        yield make.spec(
            "delivery_year",
            row.key,
            "short_text",
            f"In Table 1, when was {named(row)} delivered? (a year, or a range such as 1996-97)",
            year_variants(d.start, d.end),
            facts,
            rows=(row.key,),
            difficulty=3,
        )
        gap = d.start - row.order.start
        yield make.spec(
            "delivery_gap",
            row.key,
            "numeric",
            f"China ordered {row.designation} in {order_year(row)}. According to Table 1, how "
            "many years after the order year did deliveries begin?",
            NumericAnswer(gap, 0.0, "years"),
            f"{facts} First delivery year {d.start} - order year {row.order.start} = {gap}.",
            rows=(row.key,),
            difficulty=3,
        )


def _order_year(
    make: Maker,
    rows: list[ArmsTransfer],
    siblings: list[ArmsTransfer],
    row: ArmsTransfer,
    facts: str,
) -> Iterator[QuestionSpec]:
    """Ask the order year only where the prompt identifies a single row."""
    if len(siblings) == 1:
        what = f"the {row.designation}"
    else:
        same = [
            s
            for s in siblings
            if (s.quantity.low, s.quantity.high) == (row.quantity.low, row.quantity.high)
        ]
        if not row.quantity.known or len(same) > 1:
            return
        what = f"{row.quantity.text} {row.designation}"
    correct = str(row.order.start)
    years = sorted({r.order.start for r in rows} - {row.order.start})
    rng = make.rng("order_year", row.key)
    pool = [str(y) for y in nearest(years, row.order.start, float)]
    yield make.spec(
        "order_year",
        row.key,
        "multiple_choice",
        f"According to Table 1, in which year did China order {what}?",
        correct,
        facts,
        choices=choice_list(rng, correct, pick(rng, pool, correct)),
        rows=(row.key,),
        difficulty=2,
    )


def _designation_totals(
    make: Maker, designation: str, orders: list[ArmsTransfer]
) -> Iterator[QuestionSpec]:
    """Yield how often a designation was ordered and, when every quantity is known, how many."""
    keys = tuple(o.key for o in orders)
    years = ", ".join(o.order.raw.strip() for o in orders)
    yield make.spec(
        "order_count",
        designation,
        "numeric",
        f"How many separate orders of the {designation} does Table 1 list?",
        NumericAnswer(len(orders), 0.0, "orders"),
        f"Table 1 has {len(orders)} rows for the {designation}, ordered {years}.",
        rows=keys,
        difficulty=2,
    )
    if not all(o.quantity.known for o in orders):
        return
    low = sum(o.quantity.low or 0 for o in orders)
    high = sum(o.quantity.high or 0 for o in orders)
    parts = " + ".join(o.quantity.raw.strip() for o in orders)
    estimated = any(o.quantity.estimate for o in orders)
    note = " Numbers in parentheses are SIPRI estimates." if estimated else ""
    note += " A ^ marks a SIPRI-IISS conflict." if any(o.conflict for o in orders) else ""
    answer = (
        NumericAnswer.from_range(low, high, "units")
        if high != low
        else NumericAnswer(low, 0, "units")
    )
    total = f"{low}" if low == high else f"{low}-{high} (any number in the range is accepted)"
    yield make.spec(
        "designation_total",
        designation,
        "numeric",
        f"Adding up all its rows in Table 1, how many {designation} did China order in total?",
        answer,
        f"{parts} = {total}.{note}",
        rows=keys,
        difficulty=3,
    )


def _counts(make: Maker, rows: list[ArmsTransfer]) -> Iterator[QuestionSpec]:
    """Yield counts of rows by notation, delivery, period and category."""
    tests = (
        ("unknown", "have 'Unknown' as the number ordered", lambda r: not r.quantity.known),
        ("undelivered", "have an empty delivery cell", lambda r: not r.delivered),
        ("before_1995", "have an order year before 1995", lambda r: r.order.start < 1995),
        ("after_2005", "have an order year after 2005", lambda r: r.order.start > 2005),
        ("conflict", "carry the ^ mark", lambda r: r.conflict),
    )
    for name, clause, test in tests:
        hits = [r for r in rows if test(r)]
        yield make.spec(
            "count_rows",
            name,
            "numeric",
            f"How many of the {len(rows)} rows of Table 1 {clause}?",
            NumericAnswer(len(hits), 0.0, "rows"),
            _listing(hits),
            rows=tuple(r.key for r in hits),
            difficulty=2 if name in ("unknown", "undelivered") else 3,
        )
    descriptions = Counter(r.description for r in rows)
    for description, n in sorted(descriptions.items()):
        if n < 2:
            continue
        hits = [r for r in rows if r.description == description]
        yield make.spec(
            "count_description",
            description,
            "numeric",
            f"How many rows of Table 1 describe the weapon as '{description}'?",
            NumericAnswer(n, 0.0, "rows"),
            _listing(hits),
            rows=tuple(r.key for r in hits),
            difficulty=2,
        )


def _listing(hits: list[ArmsTransfer]) -> str:
    """List the rows a count found, with a word on estimates and conflicts among them."""
    if not hits:
        return "None."
    noun = "row" if len(hits) == 1 else "rows"
    text = f"{len(hits)} {noun}: " + "; ".join(r.label for r in hits) + "."
    if any(r.estimate for r in hits):
        text += " Values in parentheses among them are SIPRI estimates."
    if any(r.conflict for r in hits):
        text += " A ^ marks a conflict between SIPRI and IISS."
    if any(not r.delivered for r in hits):
        text += " An empty delivery cell means not (yet) delivered when the data were compiled."
    return text


def _by_order_year(
    make: Maker, rows: list[ArmsTransfer], by_designation: dict[str, list[ArmsTransfer]]
) -> Iterator[QuestionSpec]:
    """Yield 'which of these were ordered in YEAR?' selections, by designation."""
    years = sorted({r.order.start for r in rows})
    for year in years:
        ordered = sorted(
            d for d, orders in by_designation.items() if any(o.order.start == year for o in orders)
        )
        if len(ordered) < 2:
            continue
        params = str(year)
        rng = make.rng("ordered_in_year", params)
        correct = rng.sample(ordered, min(3, len(ordered)))
        others = [d for d, orders in by_designation.items() if d not in ordered]
        others = sorted(others, key=lambda d, y=year: _distance(by_designation[d], y))
        wrong = pick(rng, others, "", n=3)
        hits = [r for r in rows if r.order.start == year and r.designation in correct]
        estimated = any(r.order.estimate for r in hits)
        note = (
            " Some of these order years are SIPRI estimates (in parentheses)." if estimated else ""
        )
        yield make.spec(
            "ordered_in_year",
            params,
            "multiple_select",
            f"According to Table 1, which of these did China order in {year}?",
            tuple(sorted(correct)),
            "Ordered in "
            + f"{year}: "
            + "; ".join(r.label for r in hits)
            + ". The others have no order in that year."
            + note,
            choices=choice_list(rng, correct[0], [*correct[1:], *wrong]),
            rows=tuple(r.key for r in hits),
            difficulty=2,
        )


def _distance(orders: list[ArmsTransfer], year: int) -> tuple[int, str]:
    """Rank a designation by how close its nearest order year is to ``year``."""
    return min(abs(o.order.start - year) for o in orders), orders[0].designation


def _unique_max(
    rows: list[ArmsTransfer], measure: Callable[[ArmsTransfer], float]
) -> tuple[ArmsTransfer, ArmsTransfer] | None:
    """Return the top two rows by ``measure``; None when the top is tied."""
    ranked = sorted(rows, key=measure, reverse=True)
    if len(ranked) < 2 or measure(ranked[0]) == measure(ranked[1]):
        return None
    return ranked[0], ranked[1]


def _extremes(make: Maker, rows: list[ArmsTransfer]) -> Iterator[QuestionSpec]:
    """Yield the largest orders, longest deliveries and earliest and latest order years."""
    exact = [r for r in rows if r.quantity.known and not r.quantity.is_range]
    measures = {
        "largest_order": (exact, lambda r: r.quantity.low, "the largest number ordered"),
        "longest_delivery": (
            [r for r in rows if r.delivery],
            lambda r: r.delivery.end - r.delivery.start,
            "the longest delivery period (from first to last delivery year)",
        ),
        "longest_wait": (
            [r for r in rows if r.delivery],
            lambda r: r.delivery.start - r.order.start,
            "the longest wait from order year to first delivery year",
        ),
    }
    for name, (pool, measure, phrase) in measures.items():
        top = _unique_max(pool, measure)
        if top is None:
            continue
        best, second = top
        ranked = sorted(pool, key=measure, reverse=True)
        rng = make.rng(name, "all")
        wrong = pick(rng, [r.label for r in ranked[1:] if measure(r) != measure(best)], best.label)
        yield make.spec(
            name,
            "all",
            "multiple_choice",
            f"Which row of Table 1 has {phrase}?",
            best.label,
            f"{_printed(best)}{flags(best)} Next: {_printed(second)}",
            choices=choice_list(rng, best.label, wrong),
            rows=(best.key, second.key),
            difficulty=3,
        )
    for description in sorted({r.description for r in exact}):
        pool = [r for r in exact if r.description == description]
        top = _unique_max(pool, lambda r: r.quantity.low) if len(pool) >= 3 else None
        if top is None:
            continue
        best, second = top
        rng = make.rng("largest_in_category", description)
        wrong = pick(rng, [r.label for r in pool if r is not best], best.label)
        yield make.spec(
            "largest_in_category",
            description,
            "multiple_choice",
            f"Among the rows of Table 1 described as '{description}', which order was the largest?",
            best.label,
            f"{_printed(best)}{flags(best)} Next: {_printed(second)}",
            choices=choice_list(rng, best.label, wrong),
            rows=tuple(r.key for r in pool),
            difficulty=3,
        )
    earliest = min(r.order.start for r in rows)
    first = [r for r in rows if r.order.start == earliest]
    yield make.spec(
        "earliest_order_year",
        "all",
        "numeric",
        "What is the earliest order year in Table 1 (whose title says 1995-2005)?",
        NumericAnswer(earliest, 0.0, ""),
        f"{earliest}: "
        + "; ".join(r.label for r in first)
        + ". Some rows fall outside the title's "
        "1995-2005.",
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
            f"{_printed(last[0])}{flags(last[0])} The title's period ends in 2005.",
            choices=choice_list(rng, last[0].designation, pick(rng, pool, last[0].designation)),
            rows=(last[0].key,),
            difficulty=2,
        )


NOTATION_QUESTIONS: tuple[tuple[str, str, str], ...] = (
    ("estimate", "( )", "In Table 1, what do parentheses around a number, such as (95), mean?"),
    ("conflict", "^", "In Table 1, what does the mark ^ after a cell mean?"),
    ("blank", "(blank delivery)", "In Table 1, what does an empty 'Yr. of delivery' cell mean?"),
    ("range", "3-6", "In Table 1, what does a 'No. ordered' of 3-6 mean?"),
    ("year_range", "1996-97", "In Table 1, what does a delivery year of 1996-97 mean?"),
    ("unknown", "Unknown", "In Table 1, what does 'Unknown' in the 'No. ordered' column mean?"),
)


def _notation(make: Maker, rows: list[ArmsTransfer]) -> Iterator[QuestionSpec]:
    """Yield what each mark of the notation means, a matching, the sources and marked rows."""
    meanings = list(NOTATION.values())
    for name, mark, prompt in NOTATION_QUESTIONS:
        correct = NOTATION[mark]
        rng = make.rng("notation", name)
        yield make.spec(
            "notation",
            name,
            "multiple_choice",
            prompt,
            correct,
            f"The table's notes and notation: {mark} = {correct}.",
            choices=choice_list(rng, correct, pick(rng, meanings, correct, n=3)),
            difficulty=1,
        )
    marks = ("( )", "^", "Unknown", "(blank delivery)")
    pairs = tuple((m, NOTATION[m]) for m in marks)
    yield make.spec(
        "notation_match",
        "marks",
        "matching",
        "Match each mark used in Table 1 to its meaning.",
        pairs,
        "Table 1's notes: " + "; ".join(f"{m} = {v}" for m, v in pairs) + ".",
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
        "Table 1's source line cites SIPRI (the SIPRI Yearbook 2006 and SIPRI's web site) and "
        "IISS's The Military Balance 2007.",
        choices=shuffled(make.rng("sources", "table"), sources),
    )
    for name, test in (
        ("conflict", lambda r: r.conflict),
        ("unknown", lambda r: not r.quantity.known),
    ):
        marked = [r for r in rows if test(r)]
        rng = make.rng("marked_rows", name)
        correct = rng.sample(marked, min(3, len(marked)))
        clean = [r for r in rows if not test(r)]
        wrong = rng.sample(clean, 3)
        what = "carry the ^ mark" if name == "conflict" else "have an Unknown number ordered"
        yield make.spec(
            "marked_rows",
            name,
            "multiple_select",
            f"Which of these rows of Table 1 {what}?",
            tuple(r.label for r in correct),
            "; ".join(
                f"{r.label}: {r.quantity.raw.strip()}, ordered {r.order.raw.strip()}"
                for r in correct + wrong
            )
            + ".",
            choices=shuffled(rng, [r.label for r in correct + wrong]),
            rows=tuple(r.key for r in correct + wrong),
            difficulty=2,
        )


def _chronologies(
    make: Maker, by_designation: dict[str, list[ArmsTransfer]]
) -> Iterator[QuestionSpec]:
    """Yield orderings of single-order weapons by order year (strictly different years)."""
    single = [orders[0] for orders in by_designation.values() if len(orders) == 1]
    by_year: dict[int, list[ArmsTransfer]] = defaultdict(list)
    for row in sorted(single, key=lambda r: (r.order.start, r.designation)):
        by_year[row.order.start].append(row)
    years = sorted(by_year)
    for start in range(len(years) - GROUP + 1):
        picked = [by_year[y][start % len(by_year[y])] for y in years[start : start + GROUP]]
        params = "-".join(str(r.order.start) for r in picked)
        answer = tuple(r.designation for r in picked)
        yield make.spec(
            "order_chronology",
            params,
            "ordering",
            "Put these weapons in the order China ordered them, earliest first (Table 1).",
            answer,
            "; ".join(f"{r.designation}: ordered {r.order.raw.strip()}" for r in picked)
            + "."
            + (
                " Years in parentheses are SIPRI estimates."
                if any(r.order.estimate for r in picked)
                else ""
            ),
            choices=shuffled(make.rng("order_chronology", params), answer),
            rows=tuple(r.key for r in picked),
            difficulty=2,
        )
    for designation, orders in by_designation.items():
        values = [(o.quantity.low, o.quantity.high) for o in orders]
        years_ = [o.order.start for o in orders]
        if len(orders) < 3 or len(set(values)) < len(values) or len(set(years_)) < len(years_):
            continue
        ranked = sorted(orders, key=lambda o: o.order.start)
        answer = tuple(f"{o.quantity.raw.strip()} ordered" for o in ranked)
        yield make.spec(
            "designation_chronology",
            designation,
            "ordering",
            f"Table 1 lists {len(orders)} orders of the {designation}, given here by number "
            "ordered. Put them in order of order year, earliest first.",
            answer,
            "; ".join(f"{o.quantity.raw.strip()} in {o.order.raw.strip()}" for o in ranked)
            + "."
            + (" Parentheses mark SIPRI estimates." if any(o.estimate for o in ranked) else ""),
            choices=shuffled(make.rng("designation_chronology", designation), answer),
            rows=tuple(o.key for o in ranked),
            difficulty=3,
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
            "; ".join(f"{d}: {desc}" for d, desc in pairs) + ".",
            choices=shuffled(rng, [desc for _, desc in pairs] + extra),
            rows=tuple(o.key for d in group for o in by_designation[d]),
            difficulty=2,
        )
