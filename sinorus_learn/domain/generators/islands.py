"""Questions on footnote 4: how the border settlement divided the river islands.

The Amur figures do not add up (708 + 902 = 1,610, printed total 1,680): values are asked as
printed, explanations say so, and no question relies on the Amur parts summing to its total.
"""

from __future__ import annotations

from collections.abc import Iterator

from sinorus_learn.domain.generators.common import Maker, choice_list, fmt, pick, shuffled
from sinorus_learn.domain.questions import NumericAnswer, QuestionSpec
from sinorus_learn.domain.tables import IslandDivision, Table, border_islands

TABLE = "border_islands"
COLUMNS = {"total": "islands and islets in total", "russia": "to Russia", "china": "to China"}


def generate(tables: dict[str, Table], seed: int) -> Iterator[QuestionSpec]:
    """Yield every question on the island division."""
    make = Maker(tables[TABLE], seed)
    rivers = border_islands(tables)
    values = sorted({getattr(r, c) for r in rivers for c in COLUMNS})
    for river in rivers:
        for column in COLUMNS:
            yield from _lookups(make, rivers, values, river, column)
        yield from _split(make, river)
    yield from _across(make, rivers)


def caveat(river: IslandDivision) -> str:
    """Say when a river's printed parts do not add up to its printed total."""
    added = river.russia + river.china
    if added == river.total:
        return ""
    return (
        f" Note: as printed, {fmt(river.russia)} + {fmt(river.china)} = {fmt(added)}, not the "
        f"stated {fmt(river.total)}."
    )


def _fact(river: IslandDivision) -> str:
    return (
        f"Footnote 4: of the {fmt(river.total)} islands along the {river.river}, Russia received "
        f"{fmt(river.russia)} and China {fmt(river.china)}.{caveat(river)}"
    )


def _ask(river: IslandDivision, column: str) -> str:
    if column == "total":
        return f"How many islands and islets along the {river.river} River were divided?"
    side = "Russia" if column == "russia" else "China"
    return (
        f"In the border settlement, how many of the {river.river} River's islands went to {side}?"
    )


def _lookups(
    make: Maker, rivers: list[IslandDivision], values: list[int], river: IslandDivision, column: str
) -> Iterator[QuestionSpec]:
    value = getattr(river, column)
    params = f"{river.key}|{column}"
    yield make.spec(
        "count_value",
        params,
        "numeric",
        _ask(river, column),
        NumericAnswer(value, 0.0, "islands"),
        _fact(river),
        rows=(river.key,),
        difficulty=2,
    )
    rng = make.rng("count_choice", params)
    pool = [fmt(v) for v in sorted(values, key=lambda v: abs(v - value)) if v != value]
    yield make.spec(
        "count_choice",
        params,
        "multiple_choice",
        _ask(river, column),
        fmt(value),
        _fact(river),
        choices=choice_list(rng, fmt(value), pick(rng, pool, fmt(value))),
        rows=(river.key,),
    )
    others = [r for r in rivers if r is not river and getattr(r, column) == value]
    if not others:
        described = {
            "total": f"had {fmt(value)} islands and islets to divide",
            "russia": f"saw {fmt(value)} islands go to Russia",
            "china": f"saw {fmt(value)} islands go to China",
        }[column]
        yield make.spec(
            "river_of_value",
            params,
            "short_text",
            f"Which border river {described} in the settlement? (footnote 4)",
            (river.river, f"{river.river} River"),
            _fact(river),
            rows=(river.key,),
            difficulty=2,
        )


def _split(make: Maker, river: IslandDivision) -> Iterator[QuestionSpec]:
    """Yield who received more along one river, by how many, and the share (when it adds up)."""
    more = river.china > river.russia
    yield make.spec(
        "china_more",
        river.key,
        "true_false",
        f"Along the {river.river} River, China received more islands than Russia.",
        more,
        _fact(river),
        rows=(river.key,),
    )
    difference = river.china - river.russia
    yield make.spec(
        "difference",
        river.key,
        "numeric",
        f"Along the {river.river} River, how many more islands did China receive than Russia? "
        "(negative if fewer)",
        NumericAnswer(difference, 0.0, "islands"),
        f"{fmt(river.china)} - {fmt(river.russia)} = {fmt(difference)}. {_fact(river)}",
        rows=(river.key,),
        difficulty=2,
    )
    if caveat(river):
        yield make.spec(
            "adds_up",
            river.key,
            "true_false",
            f"As printed in footnote 4, the {river.river} River islands given to Russia and to "
            "China add up to the stated total.",
            False,
            _fact(river) + " The app keeps the figures as printed and flags the discrepancy.",
            rows=(river.key,),
            difficulty=3,
        )
        return
    share = round(river.china / river.total * 100, 1)
    yield make.spec(
        "china_share",
        river.key,
        "numeric",
        f"What percentage of the {river.river} River's islands went to China? (one decimal)",
        NumericAnswer(share, 0.1, "%"),
        f"{fmt(river.china)} / {fmt(river.total)} × 100 ≈ {share}%. {_fact(river)}",
        rows=(river.key,),
        difficulty=3,
    )


def _across(make: Maker, rivers: list[IslandDivision]) -> Iterator[QuestionSpec]:
    """Yield comparisons across the three rivers."""
    keys = tuple(r.key for r in rivers)
    facts = " ".join(_fact(r) for r in rivers)
    names = tuple(r.river for r in rivers)
    ranked = sorted(rivers, key=lambda r: r.total, reverse=True)
    if ranked[0].total != ranked[1].total:
        rng = make.rng("most_islands", "all")
        yield make.spec(
            "most_islands",
            "all",
            "multiple_choice",
            "Along which river were the most islands divided in the border settlement?",
            ranked[0].river,
            facts,
            choices=choice_list(rng, ranked[0].river, [r.river for r in ranked[1:]]),
            rows=keys,
        )
    yield make.spec(
        "order_by_total",
        "all",
        "ordering",
        "Order the rivers from the fewest to the most islands divided (as printed).",
        tuple(r.river for r in reversed(ranked)),
        facts,
        choices=shuffled(make.rng("order_by_total", "all"), [r.river for r in reversed(ranked)]),
        rows=keys,
        difficulty=2,
    )
    china_more = tuple(r.river for r in rivers if r.china > r.russia)
    yield make.spec(
        "china_more_rivers",
        "all",
        "multiple_select",
        "Along which rivers did China receive more islands than Russia?",
        china_more,
        facts,
        choices=shuffled(make.rng("china_more_rivers", "all"), names),
        rows=keys,
        difficulty=2,
    )
    pairs = tuple((r.river, fmt(r.total)) for r in rivers)
    yield make.spec(
        "match_totals",
        "all",
        "matching",
        "Match each river to the number of islands and islets divided along it.",
        pairs,
        facts,
        choices=shuffled(make.rng("match_totals", "all"), [v for _, v in pairs]),
        rows=keys,
        difficulty=2,
    )
    for column, side in (("russia", "Russia"), ("china", "China")):
        total = sum(getattr(r, column) for r in rivers)
        parts = " + ".join(fmt(getattr(r, column)) for r in rivers)
        yield make.spec(
            "side_total",
            column,
            "numeric",
            f"Adding the three rivers of footnote 4, how many islands did {side} receive?",
            NumericAnswer(total, 0.0, "islands"),
            f"{parts} = {fmt(total)}. {facts}",
            rows=keys,
            difficulty=3,
        )
