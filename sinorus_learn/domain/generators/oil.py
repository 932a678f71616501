"""Questions on Chinese crude-oil imports from Russia, 1999-2006 (UN Comtrade).

The table's point (objective ``energy.oil-table``): tonnage grew every year while Russia's share
of China's imports fell in 2006, because China's total imports grew faster still. Templates ask
for comparisons, trends and derived quantities; a bare cell is asked only as a choice.
"""

from __future__ import annotations

from collections.abc import Iterator

from sinorus_learn.domain.generators.common import (
    Maker,
    ceil_to,
    choice_list,
    fmt,
    nearest,
    options,
    pick,
    shuffled,
)
from sinorus_learn.domain.questions import NumericAnswer, QuestionSpec
from sinorus_learn.domain.tables import OilYear, Table, oil_imports

TABLE = "crude_oil_imports"
TONS = "million tons"
WINDOW = 4  # years per ordering question
READ = ("energy.oil-table",)
DEMAND = ("energy.oil-table", "energy.chinese-demand")


def generate(tables: dict[str, Table], seed: int) -> Iterator[QuestionSpec]:
    """Yield every question on the crude-oil table."""
    make = Maker(tables[TABLE], seed)
    years = sorted(oil_imports(tables), key=lambda r: r.year)
    for row in years:
        yield from _lookups(make, years, row)
        yield _implied_total(make, row)
    for index, (before, after) in enumerate(zip(years, years[1:], strict=False)):
        yield from _pair(make, before, after, index)
    yield from _extremes(make, years)
    yield from _growth_factors(make, years)
    for start in range(0, len(years) - WINDOW + 1, 2):
        yield _order_by_share(make, years[start : start + WINDOW])
    yield from _thresholds(make, years)
    yield from _claims(make, years)


def _shipments(row: OilYear) -> str:
    return f"{row.shipments_text} {TONS}"


def _share(row: OilYear) -> str:
    return f"{row.share_text}%"


def _lookups(make: Maker, years: list[OilYear], row: OilYear) -> Iterator[QuestionSpec]:
    """Yield one year's tonnage and share as choices among neighbouring years' values."""
    y, rows = str(row.year), (row.key,)
    others = [r for r in years if r is not row]
    rng = make.rng("shipments_choice", y)
    pool = [_shipments(r) for r in nearest(others, row.shipments, lambda r: r.shipments)]
    yield make.spec(
        "shipments_choice",
        y,
        "multiple_choice",
        f"How much crude oil did China import from Russia in {y}?",
        _shipments(row),
        "Russian crude shipments to China, carried mostly by rail, grew every year of the table, "
        "from 0.6 million tons in 1999 to 15.8 in 2006: place each year on that climb.",
        level="recall",
        objectives=READ,
        fact=make.cell(row.key, "shipments"),
        choices=choice_list(rng, _shipments(row), pick(rng, pool, _shipments(row))),
        rows=rows,
    )
    rng = make.rng("share_choice", y)
    pool = [_share(r) for r in nearest(others, row.share, lambda r: r.share)]
    yield make.spec(
        "share_choice",
        y,
        "multiple_choice",
        f"What proportion of China's crude-oil imports came from Russia in {y}?",
        _share(row),
        "Russia's share rose from under 2% to about 10% by 2005, then slipped in 2006: Russia "
        "mattered more to China's oil supply, but it stayed one supplier among several.",
        level="recall",
        objectives=READ,
        fact=make.cell(row.key, "share"),
        choices=choice_list(rng, _share(row), pick(rng, pool, _share(row))),
        rows=rows,
        difficulty=2,
    )


def _implied_total(make: Maker, row: OilYear) -> QuestionSpec:
    """Total crude imports implied by shipments and share, toleranced by the printed rounding."""
    low = (row.shipments - 0.05) / (row.share + 0.005) * 100
    high = (row.shipments + 0.05) / (row.share - 0.005) * 100
    value = round(row.implied_total, 1)
    tolerance = ceil_to(max(value - low, high - value, 0.5), 0.1)
    return make.spec(
        "implied_total",
        str(row.year),
        "numeric",
        f"In {row.year}, China imported {_shipments(row)} of crude oil from Russia, "
        f"{_share(row)} of its crude-oil imports. What total crude-oil imports (in million tons) "
        "does that imply?",
        NumericAnswer(value, tolerance, TONS),
        f"Divide the tonnage by the share: {row.shipments_text} / {row.share_text}% ≈ "
        f"{fmt(value, 1)} million tons. The total shows the size of China's demand that Russia "
        f"only partly meets; both inputs are rounded, so {fmt(value - tolerance, 1)} to "
        f"{fmt(value + tolerance, 1)} is accepted.",
        level="data",
        objectives=DEMAND,
        fact=make.derived("implied_total", str(row.year)),
        given=(make.cell(row.key, "shipments"), make.cell(row.key, "share")),
        rows=(row.key,),
        difficulty=3,
    )


def _pair(make: Maker, before: OilYear, after: OilYear, index: int) -> Iterator[QuestionSpec]:
    """Yield comparisons and changes between two consecutive years."""
    params = f"{before.year}-{after.year}"
    rows = (before.key, after.key)
    tonnage = make.derived("shipments_change", params)
    share = make.derived("share_change", params)
    more = index % 2 == 0  # alternate the wording so true and false both occur
    word = "more" if more else "less"
    truth = after.shipments > before.shipments if more else after.shipments < before.shipments
    yield make.spec(
        "compare_shipments",
        params,
        "true_false",
        f"China imported {word} crude oil from Russia in {after.year} than in {before.year}.",
        truth,
        f"Tonnage rose from {before.year} to {after.year}, as it did in every year of the table: "
        "the steady climb is the first half of the table's story.",
        level="data",
        objectives=READ,
        fact=tonnage,
        rows=rows,
    )
    rose = after.share > before.share
    higher = index % 2 == 1
    word = "higher" if higher else "lower"
    if after.year == 2006:
        note = (
            "2006 is the one year the share fell, although tonnage rose: China's total imports "
            "grew faster than its imports from Russia."
        )
    else:
        note = (
            f"The share {'rose' if rose else 'fell'} from {before.year} to {after.year}; it "
            "climbed every year until 2005 and fell only in 2006."
        )
    yield make.spec(
        "compare_share",
        params,
        "true_false",
        f"Russia's proportion of China's crude-oil imports was {word} in {after.year} "
        f"than in {before.year}.",
        rose if higher else not rose,
        note,
        level="data",
        objectives=READ,
        fact=share,
        rows=rows,
        difficulty=2,
    )
    change = round(after.shipments - before.shipments, 1)
    yield make.spec(
        "shipments_change",
        params,
        "numeric",
        f"By how many million tons did China's crude-oil imports from Russia change from "
        f"{before.year} to {after.year}? (negative for a fall)",
        NumericAnswer(change, 0.05, TONS),
        f"Subtract the earlier year from the later: {after.shipments_text} - "
        f"{before.shipments_text} = {fmt(change, 1)}. Comparing the yearly gains shows when the "
        "trade took off (2003-2005).",
        level="data",
        objectives=READ,
        fact=tonnage,
        rows=rows,
        difficulty=2,
    )
    points = round(after.share - before.share, 2)
    yield make.spec(
        "share_change",
        params,
        "numeric",
        f"By how many percentage points did Russia's proportion of China's crude-oil imports "
        f"change from {before.year} to {after.year}? (to one decimal; negative for a fall)",
        NumericAnswer(round(points, 1), 0.05, "percentage points"),
        f"{after.share_text} - {before.share_text} = {points:.2f} points. A change in share "
        "is measured in percentage points, not percent; only 2006 shows a fall.",
        level="data",
        objectives=READ,
        fact=share,
        rows=rows,
        difficulty=3,
    )
    growth = round((after.shipments / before.shipments - 1) * 100, 1)
    yield make.spec(
        "shipments_growth",
        params,
        "numeric",
        f"By what percentage did China's crude-oil imports from Russia grow from {before.year} "
        f"to {after.year}? (to the nearest percent)",
        NumericAnswer(growth, 1.0, "%"),
        f"Growth is the new value over the old, minus one: ({after.shipments_text} / "
        f"{before.shipments_text} - 1) × 100 ≈ {fmt(growth, 1)}%. Small early tonnages make "
        "early growth rates look large; answers within one point are accepted.",
        level="data",
        objectives=READ,
        fact=make.derived("shipments_growth", params),
        rows=rows,
        difficulty=3,
    )


def _extremes(make: Maker, years: list[OilYear]) -> Iterator[QuestionSpec]:
    """Yield the years of the largest tonnage and the largest share (ties skipped)."""
    measures = {
        "shipments": (lambda r: r.shipments, "the most crude oil from Russia", _shipments),
        "share": (
            lambda r: r.share,
            "the largest proportion of its crude-oil imports from Russia",
            _share,
        ),
    }
    why = {
        "shipments": "Tonnage grew every year, so the peak is the last year of the table.",
        "share": (
            "The share peaked a year before the tonnage did: in 2006 China bought more Russian "
            "oil, but its other imports grew faster."
        ),
    }
    for name, (measure, phrase, show) in measures.items():
        ranked = sorted(years, key=measure, reverse=True)
        if measure(ranked[0]) == measure(ranked[1]):
            continue
        top, runner_up = ranked[0], ranked[1]
        rng = make.rng(f"max_{name}", "all")
        pool = [str(r.year) for r in ranked[1:]]
        yield make.spec(
            f"max_{name}",
            "all",
            "multiple_choice",
            f"In which year, 1999-2006, did China import {phrase}?",
            str(top.year),
            f"{why[name]} {top.year}: {show(top)}; {runner_up.year}: {show(runner_up)}.",
            level="data",
            objectives=READ,
            fact=make.derived(f"max_{name}", "all"),
            choices=choice_list(rng, str(top.year), pick(rng, pool, str(top.year))),
            rows=(top.key, runner_up.key),
            difficulty=2 if name == "shipments" else 3,
        )


def _growth_factors(make: Maker, years: list[OilYear]) -> Iterator[QuestionSpec]:
    """Yield how many times larger shipments were between distant years."""
    by_year = {r.year: r for r in years}
    for first, last in ((1999, 2006), (2001, 2005), (2003, 2006)):
        if first not in by_year or last not in by_year:
            continue
        a, b = by_year[first], by_year[last]
        factor = round(b.shipments / a.shipments, 1)
        yield make.spec(
            "growth_factor",
            f"{first}-{last}",
            "numeric",
            f"How many times larger were China's crude-oil imports from Russia in {last} than "
            f"in {first}? (to one decimal)",
            NumericAnswer(factor, 0.1, "times"),
            f"Divide the later tonnage by the earlier: {b.shipments_text} / {a.shipments_text} ≈ "
            f"{fmt(factor, 1)}. A multiple shows how fast a small trade became a large one.",
            level="data",
            objectives=READ,
            fact=make.derived("growth_factor", f"{first}-{last}"),
            rows=(a.key, b.key),
            difficulty=3,
        )


def _order_by_share(make: Maker, window: list[OilYear]) -> QuestionSpec:
    params = f"{window[0].year}-{window[-1].year}"
    ranked = sorted(window, key=lambda r: r.share)
    answer = tuple(str(r.year) for r in ranked)
    chronological = answer == tuple(sorted(answer))
    return make.spec(
        "order_by_share",
        params,
        "ordering",
        "Order these years from the lowest to the highest proportion of China's crude-oil "
        "imports supplied by Russia.",
        answer,
        (
            "Here the order is simply chronological: the share rose every year until 2005."
            if chronological
            else "Not quite chronological: 2006's share (10.00%) is just below 2005's (10.08%), "
            "the one fall in the table."
        ),
        level="data",
        objectives=READ,
        fact=make.derived("order_by_share", params),
        choices=shuffled(make.rng("order_by_share", params), answer),
        rows=tuple(r.key for r in window),
        difficulty=3 if not chronological else 2,
    )


def _thresholds(make: Maker, years: list[OilYear]) -> Iterator[QuestionSpec]:
    """Yield 'which years were above ...' selections (strictly more than)."""
    all_years = tuple(str(r.year) for r in years)
    tests = (
        ("shipments", 5.0, "China imported more than 5 million tons of crude oil from Russia"),
        ("shipments", 10.0, "China imported more than 10 million tons of crude oil from Russia"),
        ("share", 5.0, "Russia supplied more than 5% of China's crude-oil imports"),
        ("share", 10.0, "Russia supplied more than 10% of China's crude-oil imports"),
    )
    for column, limit, clause in tests:
        above = [r for r in years if getattr(r, column) > limit]
        params = f"{column}>{fmt(limit)}"
        if column == "share" and limit == 10.0:
            why = "Only 2005 is above 10%: 2006 is exactly 10.00%, which is not more than 10."
        else:
            why = (
                f"Scan the {'tonnage' if column == 'shipments' else 'share'} column: the years "
                f"above {fmt(limit)} are {', '.join(str(r.year) for r in above)}; none comes "
                "before 2003, when the trade took off."
            )
        yield make.spec(
            "years_above",
            params,
            "multiple_select",
            f"Select every year in which {clause}.",
            tuple(str(r.year) for r in above),
            why,
            level="data",
            objectives=READ,
            fact=make.derived("years_above", params),
            choices=options(make.rng("years_above", params), all_years),
            rows=tuple(r.key for r in years),
            difficulty=3 if limit == 10.0 and column == "share" else 2,
        )
    rising = [b for a, b in zip(years, years[1:], strict=False) if b.share > a.share]
    yield make.spec(
        "share_rose",
        "all",
        "multiple_select",
        "Select every year in which Russia's proportion of China's crude-oil imports was higher "
        "than in the year before.",
        tuple(str(r.year) for r in rising),
        "Every year but 2006: the share fell slightly (10.08% to 10.00%) even though tonnage "
        "rose, because China's total imports grew faster.",
        level="data",
        objectives=READ,
        fact=make.derived("share_rose", "all"),
        choices=options(make.rng("share_rose", "all"), [str(r.year) for r in years[1:]]),
        rows=tuple(r.key for r in years),
        difficulty=3,
    )


def _claims(make: Maker, years: list[OilYear]) -> Iterator[QuestionSpec]:
    """Yield statements to check against the table: the text's claim and tempting misreadings."""
    by_year = {r.year: r for r in years}
    most = max(years, key=lambda r: r.shipments)
    largest = max(years, key=lambda r: r.share)
    # name, statement, key, explanation, level, rows, the cells the statement gives away
    claims: list[tuple[str, str, bool, str, str, tuple[str, ...], tuple[str, ...]]] = [
        (
            "peaks_together",
            "The year in which China imported the most crude oil from Russia was also the year "
            "in which Russia's proportion of China's crude-oil imports was largest.",
            most.year == largest.year,
            f"No: tonnage peaked in {most.year}, the share in {largest.year}. More oil from "
            "Russia does not mean a larger share when China's total imports grow faster.",
            "data",
            (most.key, largest.key),
            (),
        ),
    ]
    if 2005 in by_year:
        row = by_year[2005]
        claims.append(
            (
                "text_2005",
                "The table supports the Energy section's statement that in 2005 China imported "
                "more than 12 million tons of crude oil from Russia, more than 10 percent of its "
                "oil needs.",
                row.shipments > 12 and row.share > 10,
                "Yes: the 2005 row shows 12.8 million tons and 10.08%. Checking a claim in the "
                "text against the report's own table is how to read its numbers critically.",
                "evaluate",
                (row.key,),
                (make.cell(row.key, "shipments"), make.cell(row.key, "share")),
            )
        )
    if 2006 in by_year:
        row = by_year[2006]
        claims.append(
            (
                "text_2006",
                "The table shows Russia supplying more than 10 percent of China's crude-oil "
                "imports in 2006 as well as in 2005.",
                row.share > 10,
                "No: 2006 is printed as exactly 10.00%, which is not more than 10, and it is "
                "below 2005's 10.08%. 'More than' claims need checking to the last decimal.",
                "evaluate",
                (row.key,),
                (),
            )
        )
        if 1999 in by_year:
            first = by_year[1999]
            claims.append(
                (
                    "tonnage_every_year",
                    "China's crude-oil imports from Russia grew in every year from 1999 to 2006.",
                    all(b.shipments > a.shipments for a, b in zip(years, years[1:], strict=False)),
                    "Yes: tonnage rose every year, from 0.6 to 15.8 million tons. It is the share, "
                    "not the tonnage, that fell in 2006.",
                    "data",
                    (first.key, row.key),
                    (),
                )
            )
    for name, statement, truth, why, level, rows, given in claims:
        yield make.spec(
            "claim",
            name,
            "true_false",
            statement,
            truth,
            why,
            level=level,  # type: ignore[arg-type]
            objectives=READ,
            fact=make.derived("claim", name),
            given=given,
            rows=tuple(dict.fromkeys(rows)),
            difficulty=3 if level == "evaluate" else 2,
        )
