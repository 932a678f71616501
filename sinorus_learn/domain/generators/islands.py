"""Questions on footnote 4: how the border settlement divided the river islands.

The footnote backs the report's judgement of "a fairly even division" (objective
``historical-context.border-settlement``): the templates compare the two sides' shares river by
river. The Amur figures do not add up (708 + 902 = 1,610, printed total 1,680): values are asked
as printed, a question says so where it matters, and none relies on the Amur parts summing to
its total.
"""

from __future__ import annotations

from collections.abc import Iterator

from sinorus_learn.domain.generators.common import Maker, choice_list, fmt, pick, shuffled
from sinorus_learn.domain.questions import NumericAnswer, QuestionSpec
from sinorus_learn.domain.tables import IslandDivision, Table, border_islands

TABLE = "border_islands"
COLUMNS = {"total": "islands and islets in total", "russia": "to Russia", "china": "to China"}
BORDER = ("historical-context.border-settlement",)
EVEN = (
    "The report calls the settlement a fairly even division: along each river the two sides' "
    "counts are close."
)


def generate(tables: dict[str, Table], seed: int) -> Iterator[QuestionSpec]:
    """Yield every question on the island division."""
    make = Maker(tables[TABLE], seed)
    rivers = border_islands(tables)
    values = sorted({getattr(r, c) for r in rivers for c in COLUMNS})
    for river in rivers:
        yield _total_choice(make, values, river)
    for index, river in enumerate(rivers):
        yield from _split(make, river, index)
    yield from _across(make, rivers)


def adds_up(river: IslandDivision) -> bool:
    """Return whether a river's printed parts add up to its printed total."""
    return river.russia + river.china == river.total


def _total_choice(make: Maker, values: list[int], river: IslandDivision) -> QuestionSpec:
    """How many islands a river had to divide, as a choice among the footnote's numbers."""
    value = river.total
    params = f"{river.key}|total"
    rng = make.rng("count_choice", params)
    pool = [fmt(v) for v in sorted(values, key=lambda v: abs(v - value)) if v != value]
    return make.spec(
        "count_choice",
        params,
        "multiple_choice",
        f"How many islands and islets along the {river.river} River were divided in the border "
        "settlement?",
        fmt(value),
        "The size of each river's share of the settlement: the Amur, the longest border river, "
        "had by far the most islands to divide, so its split mattered most.",
        level="recall",
        objectives=BORDER,
        fact=make.cell(river.key, "total"),
        choices=choice_list(rng, fmt(value), pick(rng, pool, fmt(value))),
        rows=(river.key,),
    )


def _split(make: Maker, river: IslandDivision, index: int) -> Iterator[QuestionSpec]:
    """Yield who received more along one river, by how many, and China's share."""
    name = river.river
    china_first = index % 2 == 0  # alternate the wording so true and false both occur
    first, second = ("China", "Russia") if china_first else ("Russia", "China")
    truth = river.china > river.russia if china_first else river.russia > river.china
    winner = "China" if river.china > river.russia else "Russia"
    yield make.spec(
        "claim",
        f"more|{river.key}",
        "true_false",
        f"Along the {name} River, {first} received more islands than {second}.",
        truth,
        f"Along the {name}, {winner} received more ({fmt(river.china)} to China, "
        f"{fmt(river.russia)} to Russia). {EVEN}",
        level="data",
        objectives=BORDER,
        fact=make.derived("more_islands", river.key),
        rows=(river.key,),
    )
    difference = river.china - river.russia
    yield make.spec(
        "difference",
        river.key,
        "numeric",
        f"Along the {name} River, how many more islands did China receive than Russia? "
        "(negative if fewer)",
        NumericAnswer(difference, 0.0, "islands"),
        f"China's count minus Russia's: {fmt(river.china)} - {fmt(river.russia)} = "
        f"{fmt(difference)}. "
        + (
            "A gap of a few islands out of hundreds is what the report means by an even split."
            if abs(difference) < 50
            else "The Amur is the one river where China came out clearly ahead."
        ),
        level="data",
        objectives=BORDER,
        fact=make.derived("more_islands", river.key),
        rows=(river.key,),
        difficulty=2,
    )
    if not adds_up(river):
        return
    share = round(river.china / river.total * 100, 1)
    yield make.spec(
        "china_share",
        river.key,
        "numeric",
        f"Along the {name} River, {fmt(river.china)} of the {fmt(river.total)} islands went to "
        "China. What percentage is that? (one decimal)",
        NumericAnswer(share, 0.1, "%"),
        f"{fmt(river.china)} / {fmt(river.total)} × 100 ≈ {share}%: close to half, which is "
        "what makes the division fairly even.",
        level="data",
        objectives=BORDER,
        fact=make.derived("china_share", river.key),
        given=(make.cell(river.key, "total"), make.cell(river.key, "china")),
        rows=(river.key,),
        difficulty=3,
    )


def _across(make: Maker, rivers: list[IslandDivision]) -> Iterator[QuestionSpec]:
    """Yield comparisons across the three rivers and the check of the printed sums."""
    keys = tuple(r.key for r in rivers)
    names = tuple(r.river for r in rivers)
    ranked = sorted(rivers, key=lambda r: r.total, reverse=True)
    yield make.spec(
        "order_by_total",
        "all",
        "ordering",
        "Order the rivers from the fewest to the most islands divided (as printed).",
        tuple(r.river for r in reversed(ranked)),
        "The Amur had more islands than the other two rivers together, so it weighs most in "
        "judging whether the division was even.",
        level="data",
        objectives=BORDER,
        fact=make.derived("order_by_total", "all"),
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
        "China received more along two rivers, Russia along one: neither side took everything, "
        "which is why the report calls the division fairly even.",
        level="data",
        objectives=BORDER,
        fact=make.derived("china_more_rivers", "all"),
        choices=shuffled(make.rng("china_more_rivers", "all"), names),
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
            f"{parts} = {fmt(total)}. Over all three rivers China received somewhat more, "
            "mostly thanks to the Amur.",
            level="data",
            objectives=BORDER,
            fact=make.derived("side_total", column),
            rows=keys,
            difficulty=3,
        )
    every = all(r.china > r.russia for r in rivers)
    yield make.spec(
        "claim",
        "china_every_river",
        "true_false",
        "China received more islands than Russia along every one of the three rivers in "
        "footnote 4.",
        every,
        "No: Russia received more along the Ussuri, China along the Argun and the Amur. The "
        "split went both ways, which is why the report calls it fairly even.",
        level="data",
        objectives=BORDER,
        fact=make.derived("china_more_rivers", "all"),
        rows=keys,
        difficulty=2,
    )
    for river in rivers:
        added = river.russia + river.china
        yield make.spec(
            "claim",
            f"adds_up|{river.key}",
            "true_false",
            f"As printed in footnote 4, the {river.river} River islands given to Russia and to "
            "China add up to the stated total.",
            adds_up(river),
            (
                f"Yes: {fmt(river.russia)} + {fmt(river.china)} = {fmt(river.total)}. The Amur "
                "is the river whose printed figures do not add up."
                if adds_up(river)
                else f"No: {fmt(river.russia)} + {fmt(river.china)} = {fmt(added)}, not the "
                f"stated {fmt(river.total)}. The report does not explain the gap; keep the "
                "figures as printed and treat the Amur total with care."
            ),
            level="evaluate",
            objectives=BORDER,
            fact=make.derived("adds_up", river.key),
            rows=(river.key,),
            difficulty=3 if not adds_up(river) else 2,
        )
