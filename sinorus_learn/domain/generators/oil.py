"""Questions on Chinese crude-oil imports from Russia, 1999-2006 (UN Comtrade)."""

from __future__ import annotations

from collections.abc import Iterator

from sinorus_learn.domain.generators.common import (
    Maker,
    ceil_to,
    choice_list,
    fmt,
    nearest,
    pick,
    shuffled,
)
from sinorus_learn.domain.questions import NumericAnswer, QuestionSpec
from sinorus_learn.domain.tables import OilYear, Table, oil_imports

TABLE = "crude_oil_imports"
TONS = "million tons"
WINDOW = 4  # years per ordering or matching question


def generate(tables: dict[str, Table], seed: int) -> Iterator[QuestionSpec]:
    """Yield every question on the crude-oil table."""
    make = Maker(tables[TABLE], seed)
    years = sorted(oil_imports(tables), key=lambda r: r.year)
    for row in years:
        yield from _lookups(make, years, row)
        yield _implied_total(make, row)
    for before, after in zip(years, years[1:], strict=False):
        yield from _pair(make, before, after)
    yield from _extremes(make, years)
    yield from _growth_factors(make, years)
    for start in range(len(years) - WINDOW + 1):
        window = years[start : start + WINDOW]
        yield _order_by_share(make, window)
        yield _match(make, years, window, "shipments")
        yield _match(make, years, window, "share")
    yield from _thresholds(make, years)
    yield from _about_the_table(make, years)


def _shipments(row: OilYear) -> str:
    return f"{row.shipments_text} {TONS}"


def _share(row: OilYear) -> str:
    return f"{row.share_text}%"


def _lookups(make: Maker, years: list[OilYear], row: OilYear) -> Iterator[QuestionSpec]:
    """Yield the look-ups of one year, as choices, numbers and the year itself."""
    y, rows = str(row.year), (row.key,)
    said = f"In {y}, China imported {_shipments(row)} of crude oil from Russia"
    others = [r for r in years if r is not row]
    rng = make.rng("shipments_choice", y)
    pool = [_shipments(r) for r in nearest(others, row.shipments, lambda r: r.shipments)]
    yield make.spec(
        "shipments_choice",
        y,
        "multiple_choice",
        f"How much crude oil did China import from Russia in {y}?",
        _shipments(row),
        f"{said}.",
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
        f"In {y}, Russia supplied {_share(row)} of China's crude-oil imports.",
        choices=choice_list(rng, _share(row), pick(rng, pool, _share(row))),
        rows=rows,
        difficulty=2,
    )
    yield make.spec(
        "shipments_value",
        y,
        "numeric",
        f"How many million tons of crude oil did China import from Russia in {y}?",
        NumericAnswer(row.shipments, 0.05, TONS),
        f"{said} (printed to one decimal, so ±0.05 is accepted).",
        rows=rows,
        difficulty=2,
    )
    yield make.spec(
        "share_value",
        y,
        "numeric",
        f"What percentage of China's crude-oil imports came from Russia in {y}? "
        "(two decimals, as printed)",
        NumericAnswer(row.share, 0.005, "%"),
        f"In {y}, Russia's share of China's crude-oil imports was {_share(row)}.",
        rows=rows,
        difficulty=3,
    )
    rng = make.rng("year_of_shipments", y)
    pool = [str(r.year) for r in nearest(others, row.year, lambda r: r.year)]
    yield make.spec(
        "year_of_shipments",
        y,
        "multiple_choice",
        f"In which year did China import {_shipments(row)} of crude oil from Russia?",
        y,
        f"{said}.",
        choices=choice_list(rng, y, pick(rng, pool, y)),
        rows=rows,
        difficulty=2,
    )
    yield make.spec(
        "year_of_share",
        y,
        "short_text",
        f"In which year did Russia supply {_share(row)} of China's crude-oil imports? "
        "(give the year)",
        (y,),
        f"{_share(row)} is the proportion printed for {y}.",
        rows=rows,
        difficulty=3,
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
        f"{row.shipments_text} / {row.share_text}% = {row.shipments_text} / "
        f"{row.share / 100:.4f} ≈ {fmt(value, 1)} million tons. Both inputs are rounded as "
        f"printed, so anything from {fmt(value - tolerance, 1)} to {fmt(value + tolerance, 1)} "
        "is accepted.",
        rows=(row.key,),
        difficulty=3,
    )


def _pair(make: Maker, before: OilYear, after: OilYear) -> Iterator[QuestionSpec]:
    """Yield comparisons and changes between two consecutive years."""
    params = f"{before.year}-{after.year}"
    rows = (before.key, after.key)
    more = after.year % 2 == 0  # alternate the wording so true and false both occur
    word = "more" if more else "less"
    truth = after.shipments > before.shipments if more else after.shipments < before.shipments
    yield make.spec(
        "compare_shipments",
        params,
        "true_false",
        f"China imported {word} crude oil from Russia in {after.year} than in {before.year}.",
        truth,
        f"{after.year}: {_shipments(after)}; {before.year}: {_shipments(before)}.",
        rows=rows,
    )
    higher = after.year % 2 == 1
    word = "higher" if higher else "lower"
    truth = after.share > before.share if higher else after.share < before.share
    yield make.spec(
        "compare_share",
        params,
        "true_false",
        f"Russia's proportion of China's crude-oil imports was {word} in {after.year} "
        f"than in {before.year}.",
        truth,
        f"{after.year}: {_share(after)}; {before.year}: {_share(before)}.",
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
        f"{after.shipments_text} - {before.shipments_text} = {fmt(change, 1)} million tons.",
        rows=rows,
        difficulty=2,
    )
    points = round(after.share - before.share, 2)
    yield make.spec(
        "share_change",
        params,
        "numeric",
        f"By how many percentage points did Russia's proportion of China's crude-oil imports "
        f"change from {before.year} to {after.year}? (negative for a fall)",
        NumericAnswer(points, 0.005, "percentage points"),
        f"{after.share_text} - {before.share_text} = {points:.2f} percentage points.",
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
        f"({after.shipments_text} / {before.shipments_text} - 1) × 100 ≈ {fmt(growth, 1)}%; "
        "answers within one point are accepted.",
        rows=rows,
        difficulty=3,
    )


def _extremes(make: Maker, years: list[OilYear]) -> Iterator[QuestionSpec]:
    """Yield the years of the largest and smallest shipments and shares (ties skipped)."""
    measures = {
        "shipments": (lambda r: r.shipments, "the most crude oil from Russia", _shipments),
        "share": (lambda r: r.share, "the largest proportion of its crude-oil imports", _share),
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
            f"In which year, 1999-2006, did China import {phrase} from Russia?",
            str(top.year),
            f"{top.year} has the largest value, {show(top)}, ahead of {runner_up.year} "
            f"({show(runner_up)}).",
            choices=choice_list(rng, str(top.year), pick(rng, pool, str(top.year))),
            rows=(top.key, runner_up.key),
            difficulty=2 if name == "shipments" else 3,
        )
    most = max(years, key=lambda r: r.shipments)
    largest = max(years, key=lambda r: r.share)
    yield make.spec(
        "max_both",
        "all",
        "true_false",
        "The year in which China imported the most crude oil from Russia was also the year in "
        "which Russia's proportion of China's crude-oil imports was largest.",
        most.year == largest.year,
        f"Most shipments: {most.year} ({_shipments(most)}); largest proportion: {largest.year} "
        f"({_share(largest)} against {_share(most)} in {most.year}).",
        rows=tuple(dict.fromkeys((most.key, largest.key))),
        difficulty=3,
    )
    least = min(years, key=lambda r: r.shipments)
    yield make.spec(
        "min_shipments",
        "all",
        "short_text",
        "In which year of the table did China import the least crude oil from Russia?",
        (str(least.year),),
        f"The smallest shipments are {_shipments(least)}, in {least.year}.",
        rows=(least.key,),
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
            f"{b.shipments_text} / {a.shipments_text} ≈ {fmt(factor, 1)}.",
            rows=(a.key, b.key),
            difficulty=3,
        )


def _order_by_share(make: Maker, window: list[OilYear]) -> QuestionSpec:
    params = f"{window[0].year}-{window[-1].year}"
    ranked = sorted(window, key=lambda r: r.share)
    answer = tuple(str(r.year) for r in ranked)
    return make.spec(
        "order_by_share",
        params,
        "ordering",
        "Order these years from the lowest to the highest proportion of China's crude-oil "
        "imports supplied by Russia.",
        answer,
        "; ".join(f"{r.year}: {_share(r)}" for r in ranked) + ".",
        choices=shuffled(make.rng("order_by_share", params), answer),
        rows=tuple(r.key for r in window),
        difficulty=3 if answer != tuple(sorted(answer)) else 2,
    )


def _match(make: Maker, years: list[OilYear], window: list[OilYear], column: str) -> QuestionSpec:
    """Match each year of a window to its value; one value from outside is a distractor."""
    show = _shipments if column == "shipments" else _share
    params = f"{window[0].year}-{window[-1].year}"
    template = f"match_{column}"
    pairs = tuple((str(r.year), show(r)) for r in window)
    outside = [r for r in years if r not in window]
    extra = nearest(outside, window[0].year, lambda r: r.year)[:1]
    options = [show(r) for r in window] + [show(r) for r in extra]
    noun = (
        "China's crude-oil imports from Russia"
        if column == "shipments"
        else "Russia's proportion of China's crude-oil imports"
    )
    return make.spec(
        template,
        params,
        "matching",
        f"Match each year to {noun} in that year (one option is not used).",
        pairs,
        "; ".join(f"{y}: {v}" for y, v in pairs) + ".",
        choices=shuffled(make.rng(template, params), options),
        rows=tuple(r.key for r in window),
        difficulty=2,
    )


def _thresholds(make: Maker, years: list[OilYear]) -> Iterator[QuestionSpec]:
    """Yield 'which years were above ...' selections and counts (strictly more than)."""
    all_years = tuple(str(r.year) for r in years)
    tests = (
        ("shipments", 5.0, "China imported more than 5 million tons of crude oil from Russia"),
        ("shipments", 10.0, "China imported more than 10 million tons of crude oil from Russia"),
        ("share", 5.0, "Russia supplied more than 5% of China's crude-oil imports"),
        ("share", 10.0, "Russia supplied more than 10% of China's crude-oil imports"),
    )
    for column, limit, clause in tests:
        above = [r for r in years if getattr(r, column) > limit]
        show = _shipments if column == "shipments" else _share
        facts = "; ".join(f"{r.year}: {show(r)}" for r in years) + "."
        params = f"{column}>{fmt(limit)}"
        rng = make.rng("years_above", params)
        yield make.spec(
            "years_above",
            params,
            "multiple_select",
            f"Select every year in which {clause}.",
            tuple(str(r.year) for r in above),
            facts,
            choices=shuffled(rng, all_years),
            rows=tuple(r.key for r in years),
            difficulty=3 if limit == 10.0 and column == "share" else 2,
        )
        yield make.spec(
            "count_above",
            params,
            "numeric",
            f"In how many of the years 1999-2006 did it hold that {clause}?",
            NumericAnswer(len(above), 0.0, "years"),
            f"{len(above)} years: " + (", ".join(str(r.year) for r in above) or "none") + ".",
            rows=tuple(r.key for r in years),
            difficulty=2,
        )
    rising = [b for a, b in zip(years, years[1:], strict=False) if b.share > a.share]
    yield make.spec(
        "share_rose",
        "all",
        "multiple_select",
        "Select every year in which Russia's proportion of China's crude-oil imports was higher "
        "than in the year before.",
        tuple(str(r.year) for r in rising),
        "; ".join(f"{r.year}: {_share(r)}" for r in years) + ".",
        choices=shuffled(make.rng("share_rose", "all"), all_years[1:]),
        rows=tuple(r.key for r in years),
        difficulty=3,
    )


def _about_the_table(make: Maker, years: list[OilYear]) -> Iterator[QuestionSpec]:
    """Yield questions on the table's source and its agreement with the text."""
    yield make.spec(
        "source",
        "table",
        "short_text",
        "Which database does the report cite for its table of Chinese crude-oil imports from "
        "Russia?",
        ("UN Comtrade", "UN Comtrade Database", "Comtrade", "United Nations Comtrade"),
        "The table's source line reads 'UN Comtrade Database'.",
    )
    by_year = {r.year: r for r in years}
    if 2005 in by_year:
        row = by_year[2005]
        yield make.spec(
            "text_2005",
            "2005",
            "true_false",
            "The table agrees with the Energy section's statement that in 2005 China imported "
            "more than 12 million tons of crude oil from Russia, more than 10 percent of its "
            "oil imports.",
            row.shipments > 12 and row.share > 10,
            f"The 2005 row shows {_shipments(row)} and {_share(row)}.",
            rows=(row.key,),
            difficulty=2,
        )
