"""Questions on footnote 4: how the border settlement divided the river islands.

The footnote backs the report's judgement of "a fairly even division" (objective
``historical-context.border-settlement``): the templates compare the two sides' shares river by
river. The Amur figures do not add up (708 + 902 = 1,610, printed total 1,680): values are asked
as printed, a question says so where it matters, and none relies on the Amur parts summing to
its total.
Explanations keep to their own river: none names another river's winner or count.
"""

from __future__ import annotations

from collections.abc import Iterator

from sinorus_learn.domain.generators.common import (
    Decisions,
    Maker,
    close_given,
    nearest_choices,
    shuffled,
)
from sinorus_learn.domain.grading import fmt
from sinorus_learn.domain.questions import NumericAnswer, QuestionSpec
from sinorus_learn.domain.tables import IslandDivision, Table, border_islands

TABLE = "border_islands"
COLUMNS = {"total": "islands and islets in total", "russia": "to Russia", "china": "to China"}
BORDER = ("historical-context.border-settlement",)
RECALLED = ("Amur",)  # the one river whose total is worth recalling: most islands, parts short
EVEN = "Border resolution meant a fairly even division of islands along rivers"


def decisions(tables: dict[str, Table]) -> Decisions:
    """Who received more along a river is settled by two of its printed figures (any two where
    the parts add up to the total); whether they add up, by all three."""
    found: dict[str, list[frozenset[str]]] = {}
    for river in border_islands(tables):
        cell = {c: f"{TABLE}:{river.key}:{c}" for c in COLUMNS}
        pairs = [frozenset({cell["china"], cell["russia"]})]
        if adds_up(river):
            pairs += [
                frozenset({cell["china"], cell["total"]}),
                frozenset({cell["russia"], cell["total"]}),
            ]
        found[f"{TABLE}:derived:more_islands:{river.key}"] = pairs
        found[f"{TABLE}:derived:adds_up:{river.key}"] = [frozenset(cell.values())]
    return found


def generate(tables: dict[str, Table], seed: int) -> Iterator[QuestionSpec]:
    """Yield every question on the island division."""
    yield from close_given(_generate(tables, seed), decisions(tables))


def _generate(tables: dict[str, Table], seed: int) -> Iterator[QuestionSpec]:
    make = Maker(tables[TABLE], seed)
    rivers = border_islands(tables)
    values = sorted({getattr(r, c) for r in rivers for c in COLUMNS})
    for river in rivers:
        if river.river in RECALLED:
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
    return make.spec(
        "count_choice",
        params,
        "multiple_choice",
        f"How many islands and islets along the {river.river} River were divided in the border "
        "settlement?",
        fmt(value),
        f"The footnote prints {fmt(value)} islands and islets along the {river.river}"
        + (
            "; its two sides' printed counts add up to "
            f"{fmt(value - river.russia - river.china)} fewer, so take the total as printed, not "
            "as their sum."
            if not adds_up(river)
            else ", the figure against which each side's share is judged."
        ),
        level="recall",
        objectives=BORDER,
        fact=make.cell(river.key, "total"),
        # The explanation tells that the parts fall short: keep it apart from that claim.
        given=() if adds_up(river) else (make.derived("adds_up", river.key),),
        choices=nearest_choices(rng, fmt(value), values, value, fmt, float),
        rows=(river.key,),
    )


def _split(make: Maker, river: IslandDivision, index: int) -> Iterator[QuestionSpec]:
    """Yield who received more along one river, by how many, and China's share."""
    name = river.river
    china_first = index % 2 == 0  # alternate the wording so true and false both occur
    first, second = ("China", "Russia") if china_first else ("Russia", "China")
    truth = river.china > river.russia if china_first else river.russia > river.china
    winner = "China" if river.china > river.russia else "Russia"
    close = abs(river.china - river.russia) < 50
    verdict = (
        ": a gap of a few islands, the kind of split the report calls fairly even."
        if close
        else ", clearly in China's favour; the division was fairly even overall, not on every "
        "river."
    )
    yield make.spec(
        "claim",
        f"more|{river.key}",
        "true_false",
        f"Along the {name} River, {first} received more islands than {second}.",
        truth,
        f"Along the {name}, {winner} received more ({fmt(river.china)} to China, "
        f"{fmt(river.russia)} to Russia){verdict}",
        level="data",
        objectives=BORDER,
        fact=make.derived("more_islands", river.key),
        rows=(river.key,),
        evidence=EVEN,
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
            if close
            else "Along this river China came out clearly ahead."
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
        given=(make.cell(river.key, "total"), make.cell(river.key, "china")),  # + who got more
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
        "The split went both ways, river by river: neither side took everything, which fits "
        "the report's 'fairly even division'.",
        level="data",
        objectives=BORDER,
        fact=make.derived("china_more_rivers", "all"),
        choices=shuffled(make.rng("china_more_rivers", "all"), names),
        rows=keys,
        difficulty=2,
    )
    short = [r for r in rivers if not adds_up(r)]
    caveat = (
        f" (Use the printed parts: the {' and '.join(r.river for r in short)}'s do not add up to "
        "its printed total.)"
        if len(short) == 1
        else ""
    )
    for column, side in (("russia", "Russia"), ("china", "China")):
        total = sum(getattr(r, column) for r in rivers)
        parts = " + ".join(fmt(getattr(r, column)) for r in rivers)
        yield make.spec(
            "side_total",
            column,
            "numeric",
            f"Adding the printed figures for {side} on the three rivers of footnote 4, how many "
            f"islands did {side} receive?{caveat}",
            NumericAnswer(total, 0.0, "islands"),
            f"{parts} = {fmt(total)}. Summing the printed counts river by river gives one "
            "side's share of all three rivers.",
            level="data",
            objectives=BORDER,
            fact=make.derived("side_total", column),
            given=tuple(make.derived("adds_up", r.key) for r in short),  # the stem says so
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
        "No: the split went both ways, with each side ahead along some river, which fits the "
        "report's 'fairly even division'.",
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
                f"Yes: {fmt(river.russia)} + {fmt(river.china)} = {fmt(river.total)}. Checking "
                "that printed parts add up is how to catch a misprint or a missing category."
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
