"""Questions on Chinese crude-oil imports from Russia, 1999-2006 (UN Comtrade).

The table's point (objective ``energy.oil-table``): tonnage grew every year while Russia's share
of China's oil imports fell in 2006, because China's total imports grew faster still. Templates
ask for trends and derived quantities; a bare cell is asked only for the two years the text
discusses (2005, 2006), as a choice. Each explanation keeps to its own row or event: the trend
("every year", "the one fall") is said only by the questions that ask it, which share one fact
(``share_peak``, ``tonnage_every_year``). The column is "Proportion of China's oil imports":
questions say "oil imports" as printed, never "crude-oil imports" or "needs".
"""

from __future__ import annotations

from collections.abc import Iterator

from sinorus_learn.domain.generators.common import (
    Claim,
    Decisions,
    Maker,
    ceil_to,
    claim_specs,
    close_given,
    nearest_choices,
    options,
    shuffled,
)
from sinorus_learn.domain.grading import fmt
from sinorus_learn.domain.questions import NumericAnswer, QuestionSpec
from sinorus_learn.domain.tables import OilYear, Table, oil_imports

TABLE = "crude_oil_imports"
TONS = "million tons"
WINDOW = 4  # years per ordering question
READ = ("energy.oil-table",)
DEMAND = ("energy.oil-table", "energy.chinese-demand")
TEXT_YEARS = (2005, 2006)  # the years the Energy section's text discusses: cells worth recalling
GROWTH_SPREAD = 5.0  # a growth rate whose rounding interval is wider than +-5 points is not asked
TEXT_2005 = (
    "In 2005, China imported more than 12 million tons of crude oil from Russia, accounting for "
    "more than 10 percent of China's oil needs."
)
# One fact per point, however many templates ask it (LEARNING.md section 3).
SHARE_PEAK = f"{TABLE}:derived:share_peak:2005-2006"  # 2006's share just below 2005's
ABOVE_10 = f"{TABLE}:derived:above_10:share"  # only 2005 is strictly above 10% (2006: 10.00)
TEXT_2005_FACT = f"{TABLE}:derived:claim:text_2005"
EVERY_YEAR = f"{TABLE}:derived:claim:tonnage_every_year"


def decisions(tables: dict[str, Table]) -> Decisions:
    """Derived facts that printed cells settle on their own (a stem printing them gives it)."""
    years = {r.year for r in oil_imports(tables)}
    found: dict[str, list[frozenset[str]]] = {}
    if 2005 in years:
        found[TEXT_2005_FACT] = [frozenset({f"{TABLE}:2005:shipments", f"{TABLE}:2005:share"})]
    if 2006 in years:
        found[ABOVE_10] = [frozenset({f"{TABLE}:2006:share"})]
    return found


def generate(tables: dict[str, Table], seed: int) -> Iterator[QuestionSpec]:
    """Yield every question on the crude-oil table."""
    yield from close_given(_generate(tables, seed), decisions(tables))


def _generate(tables: dict[str, Table], seed: int) -> Iterator[QuestionSpec]:
    make = Maker(tables[TABLE], seed)
    years = sorted(oil_imports(tables), key=lambda r: r.year)
    for row in years:
        if row.year in TEXT_YEARS:
            yield from _lookups(make, years, row)
        yield _implied_total(make, row)
    for before, after in zip(years, years[1:], strict=False):
        yield from _pair(make, before, after)
    yield from _growth_factors(make, years)
    windows = [years[i : i + WINDOW] for i in range(0, len(years) - WINDOW + 1, 2)]
    for window in windows:
        if [r.year for r in sorted(window, key=lambda r: r.share)] != [r.year for r in window]:
            yield _order_by_share(make, window)  # a chronological order is the trend again
    yield from _thresholds(make, years)
    yield from _claims(make, years)


def _shipments(row: OilYear) -> str:
    return f"{row.shipments_text} {TONS}"


def _share(row: OilYear) -> str:
    return f"{row.share_text}%"


LOOKUP_WHY = {
    ("shipments", 2005): (
        "The 2005 row is the year the Energy section quotes, as 'more than 12 million tons': "
        "the table gives the exact tonnage behind that rounded claim."
    ),
    ("shipments", 2006): (
        "The 2006 row is the table's last year; tonnage is the measure of how much oil came "
        "from Russia, whatever China's other suppliers sold."
    ),
    ("share", 2005): (
        "The 2005 row is the year the Energy section quotes as 'more than 10 percent'; the table "
        "measures Russia's proportion of China's oil imports, to two decimals."
    ),
    ("share", 2006): (
        "The 2006 row gives the share to two decimals, as printed: a share of imports shows how "
        "much China relied on Russia, which tonnage alone does not."
    ),
}


def _lookups(make: Maker, years: list[OilYear], row: OilYear) -> Iterator[QuestionSpec]:
    """Yield one year's tonnage and share as choices among neighbouring years' values."""
    y, rows = str(row.year), (row.key,)
    others = [r for r in years if r is not row]
    rng = make.rng("shipments_choice", y)
    yield make.spec(
        "shipments_choice",
        y,
        "multiple_choice",
        f"How much crude oil did China import from Russia in {y}, according to the table?",
        _shipments(row),
        LOOKUP_WHY.get(("shipments", row.year), "Read the tonnage off the year's row."),
        level="recall",
        objectives=READ,
        fact=make.cell(row.key, "shipments"),
        choices=nearest_choices(
            rng, _shipments(row), others, row.shipments, _shipments, lambda r: r.shipments
        ),
        rows=rows,
    )
    rng = make.rng("share_choice", y)
    yield make.spec(
        "share_choice",
        y,
        "multiple_choice",
        f"What proportion of China's oil imports came from Russia in {y}, according to the table?",
        _share(row),
        LOOKUP_WHY.get(("share", row.year), "Read the share off the year's row."),
        level="recall",
        objectives=READ,
        fact=make.cell(row.key, "share"),
        choices=nearest_choices(rng, _share(row), others, row.share, _share, lambda r: r.share),
        rows=rows,
        difficulty=2,
    )


def _implied_total(make: Maker, row: OilYear) -> QuestionSpec:
    """Total oil imports implied by shipments and share, toleranced by the printed rounding.

    The stem prints both cells, so ``given`` holds them (and ``close_given`` adds the claims
    they settle, such as the text's 2005 figures)."""
    low = (row.shipments - 0.05) / (row.share + 0.005) * 100
    high = (row.shipments + 0.05) / (row.share - 0.005) * 100
    value = round(row.implied_total, 1)
    tolerance = ceil_to(max(value - low, high - value, 0.5), 0.1)
    return make.spec(
        "implied_total",
        str(row.year),
        "numeric",
        f"In {row.year}, China imported {_shipments(row)} of crude oil from Russia, "
        f"{_share(row)} of its oil imports. What total oil imports (in million tons) does that "
        "imply?",
        NumericAnswer(value, tolerance, TONS),
        f"Divide the tonnage by the share: {row.shipments_text} / {row.share_text}% ≈ "
        f"{fmt(value, 1)} million tons. The total shows the size of China's oil imports that "
        "Russia only partly supplied; both inputs are rounded, so any answer within their "
        "rounding is accepted.",
        level="data",
        objectives=DEMAND,
        fact=make.derived("implied_total", str(row.year)),
        given=(make.cell(row.key, "shipments"), make.cell(row.key, "share")),
        rows=(row.key,),
        difficulty=3,
    )


def _growth_interval(before: OilYear, after: OilYear) -> tuple[float, float]:
    """Return the lowest and highest growth (%) the rounded tonnages allow."""
    low = ((after.shipments - 0.05) / (before.shipments + 0.05) - 1) * 100
    high = ((after.shipments + 0.05) / (before.shipments - 0.05) - 1) * 100
    return low, high


def _pair(make: Maker, before: OilYear, after: OilYear) -> Iterator[QuestionSpec]:
    """Yield the change and growth between two consecutive years (each its own fact).

    Explanations say how to compute, not the operands: the cells of 2005 and 2006 are keys of
    their own questions. The share comparison is asked only for the one fall (2005-2006)."""
    params = f"{before.year}-{after.year}"
    rows = (before.key, after.key)
    if after.share < before.share:
        yield make.spec(
            "claim",
            f"share_lower|{params}",
            "true_false",
            f"Russia's proportion of China's oil imports was lower in {after.year} than in "
            f"{before.year}.",
            True,
            f"Yes: the share slipped from {before.year} to {after.year} while the tonnage from "
            "Russia rose, so China's other oil imports must have grown faster than its imports "
            "from Russia.",
            level="data",
            objectives=READ,
            fact=SHARE_PEAK,
            rows=rows,
            difficulty=2,
        )  # the one fall, a statement among the table's claims
    change = round(after.shipments - before.shipments, 1)
    yield make.spec(
        "shipments_change",
        params,
        "numeric",
        f"By how many million tons did China's crude-oil imports from Russia change from "
        f"{before.year} to {after.year}? (negative for a fall)",
        NumericAnswer(change, 0.05, TONS),
        f"Subtract the {before.year} tonnage from the {after.year} tonnage. A change in tons "
        "shows the size of one year's gain, which a growth rate on a small base can exaggerate.",
        level="data",
        objectives=READ,
        fact=make.derived("shipments_change", params),
        rows=rows,
        difficulty=2,
    )
    if after.share >= before.share:
        points = round(after.share - before.share, 1)
        yield make.spec(
            "share_change",
            params,
            "numeric",
            f"By how many percentage points did Russia's proportion of China's oil imports "
            f"change from {before.year} to {after.year}? (to one decimal)",
            NumericAnswer(points, 0.05, "percentage points"),
            f"Subtract the {before.year} share from the {after.year} share. A change in a share "
            "is measured in percentage points, not percent.",
            level="data",
            objectives=READ,
            fact=make.derived("share_change", params),
            rows=rows,
            difficulty=3,
        )
    low, high = _growth_interval(before, after)
    if (high - low) / 2 > GROWTH_SPREAD:
        return  # tonnages printed to one decimal cannot settle a growth rate on a small base
    growth = round((after.shipments / before.shipments - 1) * 100)
    tolerance = float(max(1, -(-max(growth - low, high - growth) // 1)))
    yield make.spec(
        "shipments_growth",
        params,
        "numeric",
        f"By what percentage did China's crude-oil imports from Russia grow from {before.year} "
        f"to {after.year}? (to the nearest percent)",
        NumericAnswer(float(growth), tolerance, "%"),
        f"Growth is the later tonnage over the earlier, minus one, times 100: about {growth}%. "
        f"Both tonnages are rounded to one decimal, so {fmt(growth - tolerance)}% to "
        f"{fmt(growth + tolerance)}% is accepted.",
        level="data",
        objectives=READ,
        fact=make.derived("shipments_growth", params),
        rows=rows,
        difficulty=3,
    )


def _growth_factors(make: Maker, years: list[OilYear]) -> Iterator[QuestionSpec]:
    """Yield how many times as much oil came in a later year, where rounding allows a multiple.

    Ratios from 1999 (0.6 million tons, printed to one decimal) are not asked: its rounding
    alone moves the ratio by several units."""
    by_year = {r.year: r for r in years}
    for first, last in ((2001, 2005), (2003, 2006)):
        if first not in by_year or last not in by_year:
            continue
        a, b = by_year[first], by_year[last]
        factor = round(b.shipments / a.shipments, 1)
        low = (b.shipments - 0.05) / (a.shipments + 0.05)
        high = (b.shipments + 0.05) / (a.shipments - 0.05)
        tolerance = max(0.1, ceil_to(round(max(factor - low, high - factor), 6), 0.1))
        yield make.spec(
            "growth_factor",
            f"{first}-{last}",
            "numeric",
            f"How many times as much crude oil did China import from Russia in {last} as in "
            f"{first}? (to one decimal)",
            NumericAnswer(factor, tolerance, "times"),
            f"Divide the {last} tonnage by the {first} tonnage: about {fmt(factor, 1)} times. "
            "Both tonnages are rounded, so any answer within their rounding is accepted; a "
            "multiple shows how fast a small trade grew.",
            level="data",
            objectives=READ,
            fact=make.derived("growth_factor", f"{first}-{last}"),
            rows=(a.key, b.key),
            difficulty=3,
        )


def _order_by_share(make: Maker, window: list[OilYear]) -> QuestionSpec:
    """Order a window of years by share: asked only where the order is not the calendar's."""
    params = f"{window[0].year}-{window[-1].year}"
    ranked = sorted(window, key=lambda r: r.share)
    answer = tuple(str(r.year) for r in ranked)
    return make.spec(
        "order_by_share",
        params,
        "ordering",
        "Order these years from the lowest to the highest proportion of China's oil imports "
        "supplied by Russia.",
        answer,
        "Not quite chronological: the last year's share is just below the year before's, so a "
        "rising tonnage did not mean a rising share.",
        level="data",
        objectives=READ,
        fact=SHARE_PEAK,
        choices=shuffled(make.rng("order_by_share", params), answer),
        rows=tuple(r.key for r in window),
        difficulty=3,
    )


def _thresholds(make: Maker, years: list[OilYear]) -> Iterator[QuestionSpec]:
    """Yield 'which years were above ...' selections (strictly more than)."""
    all_years = tuple(str(r.year) for r in years)
    tests = (
        (
            "shipments",
            5.0,
            "more than 5 million tons",
            "China imported more than 5 million tons of crude oil from Russia",
        ),
        (
            "shipments",
            10.0,
            "more than 10 million tons",
            "China imported more than 10 million tons of crude oil from Russia",
        ),
        ("share", 5.0, "more than 5%", "Russia supplied more than 5% of China's oil imports"),
        ("share", 10.0, "more than 10%", "Russia supplied more than 10% of China's oil imports"),
    )
    for column, limit, threshold, clause in tests:
        above = [r for r in years if getattr(r, column) > limit]
        params = f"{column}>{fmt(limit)}"
        strict = column == "share" and limit == 10.0
        if strict:
            why = (
                "Only 2005: 'more than 10%' is strict, so a share printed as exactly 10 does not "
                "count. Claims of 'more than' need checking to the last printed decimal."
            )
        else:
            what = "tonnage" if column == "shipments" else "share"
            why = (
                f"Scan the {what} column for values strictly above the threshold, {threshold}: "
                f"{', '.join(str(r.year) for r in above)}."
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
            fact=ABOVE_10 if strict else make.derived("years_above", params),
            choices=options(make.rng("years_above", params), all_years),
            rows=tuple(r.key for r in years),
            difficulty=3 if strict else 2,
        )
    rising = [b for a, b in zip(years, years[1:], strict=False) if b.share > a.share]
    yield make.spec(
        "share_rose",
        "all",
        "multiple_select",
        "Select every year in which Russia's proportion of China's oil imports was higher than "
        "in the year before.",
        tuple(str(r.year) for r in rising),
        "Every year except the last: the share slipped in 2006 even though tonnage rose, because "
        "China's other oil imports grew faster.",
        level="data",
        objectives=READ,
        fact=SHARE_PEAK,
        choices=options(make.rng("share_rose", "all"), [str(r.year) for r in years[1:]]),
        rows=tuple(r.key for r in years),
        difficulty=3,
    )


def _claims(make: Maker, years: list[OilYear]) -> Iterator[QuestionSpec]:
    """Yield statements to check against the table: the text's claim and tempting misreadings."""
    by_year = {r.year: r for r in years}
    most = max(years, key=lambda r: r.shipments)
    largest = max(years, key=lambda r: r.share)
    claims: list[Claim] = [
        Claim(
            name="peaks_together",
            statement=(
                "The year in which China imported the most crude oil from Russia was also the year "
                "in which Russia's proportion of China's oil imports was largest."
            ),
            truth=most.year == largest.year,
            why=(
                f"No: tonnage peaked in {most.year}, the share in {largest.year}. More oil from "
                "Russia does not mean a larger share when China's other oil imports grow faster."
            ),
            level="data",
            rows=(most.key, largest.key),
            fact=SHARE_PEAK,
        ),
    ]
    if 2005 in by_year:
        row = by_year[2005]
        cells = (make.cell(row.key, "shipments"), make.cell(row.key, "share"))
        claims.append(
            Claim(
                name="text_2005",
                statement=(
                    "The table's 2005 row bears out the Energy section's 'more than 12 million "
                    "tons' of crude oil from Russia, and shows Russia above 10% of China's oil "
                    "imports."
                ),
                truth=row.shipments > 12 and row.share > 10,
                why=(
                    f"Yes: the 2005 row shows {_shipments(row)} and {_share(row)} of China's oil "
                    "imports. The text's 'oil needs' is not what the table measures: its 2005 "
                    "figures match this row, so 'needs' looks like loose wording, and the table "
                    "backs the share only as a share of imports."
                ),
                level="evaluate",
                rows=(row.key,),
                fact=TEXT_2005_FACT,
                given=cells,
                evidence=TEXT_2005,
            )
        )
        claims.append(
            Claim(
                name="imports_not_needs",
                statement=(
                    "The table on its own shows Russia supplying 'more than 10 percent of China's "
                    "oil needs' in 2005, as the Energy section puts it."
                ),
                truth=False,
                why=(
                    "No: the table gives only a share of China's oil imports and says nothing "
                    "about needs. The text's 2005 figures match that row, so its 'oil needs' looks "
                    "like loose wording for imports; the table can back the 10 percent only as a "
                    "share of imports."
                ),
                level="evaluate",
                rows=(row.key,),
                fact=TEXT_2005_FACT,
                evidence=TEXT_2005,
            )
        )
    if 2006 in by_year:
        row = by_year[2006]
        claims.append(
            Claim(
                name="text_2006",
                statement=(
                    "The table shows Russia supplying more than 10 percent of China's oil imports "
                    "in 2006 as well as in 2005."
                ),
                truth=row.share > 10,
                why=(
                    "No: the 2006 share is not above 10 percent, however close it comes. Claims of "
                    "'more than' need checking to the last printed decimal."
                ),
                level="evaluate",
                rows=(row.key,),
                fact=ABOVE_10,
            )
        )
        if 1999 in by_year:
            claims.append(
                Claim(
                    name="tonnage_every_year",
                    statement=(
                        "China's crude-oil imports from Russia grew in every year from 1999 to "
                        "2006."
                    ),
                    truth=all(
                        b.shipments > a.shipments for a, b in zip(years, years[1:], strict=False)
                    ),
                    why=(
                        "Yes: each year's tonnage is above the year before's, so the trade in tons "
                        "grew steadily across the whole table."
                    ),
                    level="data",
                    rows=tuple(r.key for r in years),
                    fact=EVERY_YEAR,
                )
            )
    yield from claim_specs(make, claims, objectives=READ, evaluate_difficulty=3)
