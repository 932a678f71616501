"""Questions on the Economics footnotes: 2006 trade by reporting country (5), export shares (6).

Footnote 5 gives two countries' statistics for the same trade; the templates compare them and
check the text's "more than $33 billion" and "about $2 billion" against each
(``economics.trade-statistics``). Footnote 6 shows commodities' growing share of Russia's
exports (``economics.export-structure``). The first half of 2006 is known only as 'more than 90
percent' (a lower bound): it is asked for as printed ('more than 90%'), compared only where the
bound settles the answer, never as a value. Stems that compute from figures print them (and
list them in ``given``); explanations keep to their own reporter, flow or period.
"""

from __future__ import annotations

from collections.abc import Iterator

from sinorus_learn.domain.generators.common import (
    Claim,
    Decisions,
    Maker,
    choice_list,
    claim_specs,
    close_given,
    nearest_choices,
    options,
    shuffled,
)
from sinorus_learn.domain.grading import fmt
from sinorus_learn.domain.questions import NumericAnswer, QuestionSpec
from sinorus_learn.domain.tables import (
    ExportShare,
    Table,
    TradeReport,
    export_shares,
    trade_reports,
)

TRADE = "trade_2006"
EXPORTS = "export_commodities"
BN = "billion US$"
STATISTICS = ("economics.trade-statistics",)
SIZE = ("economics.trade-statistics", "economics.trade-growth")
STRUCTURE = ("economics.export-structure",)
# How to ask each flow: "how much did China <verb> Russia"
FLOWS = {
    "china_exports": ("export to", "China's exports to Russia"),
    "china_imports": ("import from", "China's imports from Russia"),
}
# Answers name the country; the agencies (RIA Novosti, the PRC Ministry of Commerce) are
# provenance, shown apart from the question.
AGENCIES = {"Russia": "Russian statistics", "China": "Chinese statistics"}
TWO_SOURCES = (
    "The two countries' statistics differ for the same trade, so any figure depends on whose "
    "you read."
)
OVER_33 = "total trade reaching more than $33 billion in 2006"
SURPLUS_TEXT = "Russia maintaining a slight trade surplus of about $2 billion"
DIVERSIFY = (
    "Russia has struggled to diversify its exports to China beyond natural resources, energy, "
    "and military arms sales."
)
FIRST_HALF = (
    "In the first six months of 2006, commodities and primarily processed products accounted "
    "for more than 90 percent of Russia's exports to China"
)
SURPLUS_DIRECTION = f"{TRADE}:derived:claim:surplus_direction"  # Russia's surplus, both counts


def trade_decisions(tables: dict[str, Table]) -> Decisions:
    """Derived facts that printed trade figures settle: one country's two flows settle its total
    and surplus; the two countries' figures for one flow settle the gap between them."""
    found: dict[str, list[frozenset[str]]] = {}
    reports = trade_reports(tables)
    for report in reports:
        flows = frozenset(f"{TRADE}:{report.key}:{flow}" for flow in FLOWS)
        found[f"{TRADE}:derived:total:{report.key}"] = [flows]
        found[f"{TRADE}:derived:surplus:{report.key}"] = [flows]
        if report.reporter == "China":
            found[SURPLUS_DIRECTION] = [flows]  # settles 'Chinese statistics show a surplus'
    for flow in FLOWS:
        found[f"{TRADE}:derived:reporter_gap:{flow}"] = [
            frozenset(f"{TRADE}:{r.key}:{flow}" for r in reports)
        ]
    return found


def export_decisions(tables: dict[str, Table]) -> Decisions:
    """Two exact periods' shares settle the change between them."""
    exact = [s for s in export_shares(tables) if not s.share.lower_bound]
    return {
        f"{EXPORTS}:derived:change:{a.key}-{b.key}": [
            frozenset({f"{EXPORTS}:{a.key}:share", f"{EXPORTS}:{b.key}:share"})
        ]
        for a, b in zip(exact, exact[1:], strict=False)
    }


def _money(value: float) -> str:
    return f"${value:.2f} billion"


def _adjective(reporter: str) -> str:
    return {"Russia": "Russian", "China": "Chinese"}.get(reporter, reporter)


def generate_trade(tables: dict[str, Table], seed: int) -> Iterator[QuestionSpec]:
    """Yield every question on the 2006 trade statistics."""
    yield from close_given(_generate_trade(tables, seed), trade_decisions(tables))


def _generate_trade(tables: dict[str, Table], seed: int) -> Iterator[QuestionSpec]:
    make = Maker(tables[TRADE], seed)
    reports = trade_reports(tables)
    cells = [(r, flow, getattr(r, flow)) for r in reports for flow in FLOWS]
    for report, flow, value in cells:
        yield from _trade_cell(make, cells, report, flow, value)
    for report in reports:
        yield from _trade_derived(make, report)
    yield from _trade_compare(make, reports, cells)


def _trade_cell(
    make: Maker,
    cells: list[tuple[TradeReport, str, float]],
    report: TradeReport,
    flow: str,
    value: float,
) -> Iterator[QuestionSpec]:
    params = f"{report.key}|{flow}"
    by = _adjective(report.reporter)
    verb, noun = FLOWS[flow]
    fact = make.cell(report.key, flow)
    rng = make.rng("flow_choice", params)
    yield make.spec(
        "flow_choice",
        params,
        "multiple_choice",
        f"According to {by} statistics, how much did China {verb} Russia in 2006?",
        _money(value),
        f"This is the {by} figure for {noun} in 2006. {TWO_SOURCES}",
        level="recall",
        objectives=STATISTICS,
        fact=fact,
        choices=nearest_choices(rng, _money(value), [v for *_, v in cells], value, _money, float),
        rows=(report.key,),
    )
    same = [c for c in cells if c[1] == flow and c[2] == value]
    if len(same) == 1:
        rng = make.rng("whose_statistics", params)
        correct = AGENCIES.get(report.reporter, report.reporter)
        yield make.spec(
            "whose_statistics",
            params,
            "multiple_choice",
            f"'{noun} in 2006: {_money(value)}.' Whose statistics give this figure?",
            correct,
            f"The footnote gives each country's own figure for {noun}; quote a trade figure "
            "with whose statistics it comes from.",
            level="recall",
            objectives=STATISTICS,
            fact=fact,
            choices=choice_list(rng, correct, [a for a in AGENCIES.values() if a != correct]),
            rows=(report.key,),
            difficulty=2,
        )


def _trade_derived(make: Maker, report: TradeReport) -> Iterator[QuestionSpec]:
    by = _adjective(report.reporter)
    total = round(report.total, 2)
    total_fact = make.derived("total", report.key)
    cells = tuple(make.cell(report.key, flow) for flow in FLOWS)
    printed = (
        f"{by} statistics put China's exports to Russia in 2006 at "
        f"{_money(report.china_exports)} and its imports from Russia at "
        f"{_money(report.china_imports)}."
    )
    above = report.total > 33
    yield make.spec(
        "total",
        report.key,
        "numeric",
        f"{printed} What was total China-Russia trade by these figures? (billion US$)",
        NumericAnswer(total, 0.01, BN),
        f"Total trade is exports plus imports: {report.china_exports:.2f} + "
        f"{report.china_imports:.2f} = {total:.2f}, "
        + ("above" if above else "below")
        + " the text's 'more than $33 billion'.",
        level="data",
        objectives=SIZE,
        fact=total_fact,
        given=cells,
        rows=(report.key,),
        difficulty=2,
        evidence=OVER_33,
    )
    surplus = round(report.russian_surplus, 2)
    yield make.spec(
        "surplus",
        report.key,
        "numeric",
        f"{printed} How large was Russia's trade surplus with China by these figures? "
        "(billion US$)",
        NumericAnswer(surplus, 0.01, BN),
        f"Russia's surplus is what China imports from it minus what China exports to it: "
        f"{report.china_imports:.2f} - {report.china_exports:.2f} = {surplus:.2f}, close to the "
        "text's 'about $2 billion'.",
        level="data",
        objectives=STATISTICS,
        fact=make.derived("surplus", report.key),
        given=cells,
        rows=(report.key,),
        difficulty=3,
        evidence=SURPLUS_TEXT,
    )
    supports = report.total > 33
    yield make.spec(
        "supports_33",
        report.key,
        "true_false",
        f"{by} statistics support the report's statement that total trade reached more than "
        "$33 billion in 2006.",
        supports,
        f"{by} figures add up to {_money(report.total)}, "
        + (
            "so they back the text's figure."
            if supports
            else "below $33 billion: they do not back the text's figure."
        ),
        level="evaluate",
        objectives=SIZE,
        fact=total_fact,
        rows=(report.key,),
        difficulty=3,
        evidence=OVER_33,
    )


def _trade_compare(
    make: Maker,
    reports: list[TradeReport],
    cells: list[tuple[TradeReport, str, float]],
) -> Iterator[QuestionSpec]:
    keys = tuple(r.key for r in reports)
    by = {r.reporter: r for r in reports}
    if "Russia" in by and "China" in by:
        ru, cn = by["Russia"], by["China"]
        for flow, (_, noun) in FLOWS.items():
            gap = round(getattr(ru, flow) - getattr(cn, flow), 2)
            yield make.spec(
                "reporter_gap",
                flow,
                "numeric",
                f"Russian statistics put {noun} in 2006 at {_money(getattr(ru, flow))}, Chinese "
                f"statistics at {_money(getattr(cn, flow))}. By how much does the Russian figure "
                "exceed the Chinese? (billion US$, negative if lower)",
                NumericAnswer(gap, 0.01, BN),
                f"{getattr(ru, flow):.2f} - {getattr(cn, flow):.2f} = {gap:.2f} for this flow. "
                "Only the gaps of both flows together decide whether trade passed $33 billion.",
                level="data",
                objectives=STATISTICS,
                fact=make.derived("reporter_gap", flow),
                given=(make.cell(ru.key, flow), make.cell(cn.key, flow)),
                rows=keys,
                difficulty=3,
            )
        larger = AGENCIES["Russia"] if ru.total > cn.total else AGENCIES["China"]
        smaller = [a for a in AGENCIES.values() if a != larger]
        yield make.spec(
            "larger_total",
            "all",
            "multiple_choice",
            "Whose statistics give the larger total for China-Russia trade in 2006?",
            larger,
            "Add each country's exports and imports and compare the two sums: a total depends "
            "on whose statistics you add.",
            level="data",
            objectives=STATISTICS,
            fact=make.derived("larger_total", "all"),
            choices=choice_list(make.rng("larger_total", "all"), larger, smaller),
            rows=keys,
            difficulty=2,
        )
        yield from _trade_claims(make, ru, cn, keys)


def _trade_claims(
    make: Maker, ru: TradeReport, cn: TradeReport, keys: tuple[str, ...]
) -> Iterator[QuestionSpec]:
    """Yield statements comparing the two statistics, true and false in equal measure."""
    gap = ru.total - cn.total
    claims = (
        Claim(
            name="both_surplus",
            statement=(
                "Both Russian and Chinese statistics show Russia with a trade surplus with China "
                "in 2006."
            ),
            truth=ru.russian_surplus > 0 and cn.russian_surplus > 0,
            why=(
                "Yes: in both countries' figures China imports more from Russia than it exports to "
                "it. The sources agree that the surplus is Russia's, though not on its size."
            ),
            level="evaluate",
            fact=SURPLUS_DIRECTION,
            evidence=SURPLUS_TEXT,
            rows=keys,
        ),
        Claim(
            name="russian_higher",
            statement=(
                "Russian statistics record more trade than Chinese statistics in both directions."
            ),
            truth=ru.china_exports > cn.china_exports and ru.china_imports > cn.china_imports,
            why=(
                "Yes: the Russian figure is higher in both flows, exports and imports alike, so "
                "the two sources differ throughout, not in one number only."
            ),
            level="evaluate",
            fact=make.derived("claim", "russian_higher"),
            rows=keys,
        ),
        Claim(
            name="chinese_surplus",
            statement="Chinese statistics show China with a trade surplus with Russia in 2006.",
            truth=cn.russian_surplus < 0,
            why=(
                "No: in Chinese figures China imports more from Russia than it exports to it, so "
                "the surplus is Russia's."
            ),
            level="evaluate",
            fact=SURPLUS_DIRECTION,
            evidence=SURPLUS_TEXT,
            rows=keys,
        ),
        Claim(
            name="agree_totals",
            statement=(
                "Russian and Chinese statistics agree on 2006 total trade to within $1 billion."
            ),
            truth=abs(gap) < 1,
            why=(
                f"No: the two totals are about {_money(abs(gap))} apart, far more than a rounding "
                "difference: whose statistics you quote changes the total."
            ),
            level="evaluate",
            fact=make.derived("claim", "agree_totals"),
            rows=keys,
        ),
    )
    yield from claim_specs(make, claims, objectives=STATISTICS)


# ------------------------------------------------------------------ export shares


def generate_exports(tables: dict[str, Table], seed: int) -> Iterator[QuestionSpec]:
    """Yield every question on commodities' share of Russia's exports to China."""
    yield from close_given(_generate_exports(tables, seed), export_decisions(tables))


def _generate_exports(tables: dict[str, Table], seed: int) -> Iterator[QuestionSpec]:
    make = Maker(tables[EXPORTS], seed)
    shares = export_shares(tables)
    keys = tuple(s.key for s in shares)
    for share in shares:
        if share.share.lower_bound:  # the text's own figure; the others are trend points
            yield _share_row(make, shares, share)
    exact = [s for s in shares if not s.share.lower_bound]
    for before, after in zip(exact, exact[1:], strict=False):
        change = round(after.share.value - before.share.value, 1)
        params = f"{before.key}-{after.key}"
        yield make.spec(
            "change",
            params,
            "numeric",
            f"By how many percentage points did commodities' share of Russia's exports to China "
            f"change from {before.label} to {after.label}?",
            NumericAnswer(change, 0.05, "percentage points"),
            f"{after.share.raw} - {before.share.raw} = {fmt(change, 1)} points in a single year: "
            "commodities took a larger part of Russia's exports to China, not a smaller one.",
            level="data",
            objectives=STRUCTURE,
            fact=make.derived("change", params),
            rows=(before.key, after.key),
            difficulty=2,
        )
    if _increasing(shares):
        answer = tuple(s.label for s in shares)
        yield make.spec(
            "order_periods",
            "all",
            "ordering",
            "Order these periods from the lowest to the highest share of commodities in "
            "Russia's exports to China.",
            answer,
            "The share rose each period. The last figure is only a lower bound, but a bound "
            "above the previous figure still settles the order.",
            level="data",
            objectives=STRUCTURE,
            fact=make.derived("trend", "all"),
            choices=shuffled(make.rng("order_periods", "all"), answer),
            rows=keys,
            difficulty=2,
        )
    above = tuple(s.label for s in shares if s.share.value > 85)
    yield make.spec(
        "above_85",
        "all",
        "multiple_select",
        "In which periods did commodities make up more than 85 percent of Russia's exports to "
        "China?",
        above,
        "Scan the periods for shares strictly above 85 percent; a lower bound above 85 counts, "
        "since the share is at least that.",
        level="data",
        objectives=STRUCTURE,
        fact=make.derived("above_85", "all"),
        choices=options(make.rng("above_85", "all"), [s.label for s in shares]),
        rows=keys,
        difficulty=2,
    )
    yield from _export_claims(make, shares)


def _increasing(shares: list[ExportShare]) -> bool:
    """Return whether each share is certainly above the one before (a bound counts as its floor)."""
    return all(
        b.share.value > a.share.value or (b.share.lower_bound and b.share.value >= a.share.value)
        for a, b in zip(shares, shares[1:], strict=False)
    )


def _share_row(make: Maker, shares: list[ExportShare], share: ExportShare) -> QuestionSpec:
    """The share the text gives for its latest period, asked as printed ('more than 90%')."""
    texts = [s.share.text for s in shares if s is not share]
    rng = make.rng("share_choice", share.key)
    return make.spec(
        "share_choice",
        share.key,
        "multiple_choice",
        f"What share of Russia's exports to China did commodities and primarily processed "
        f"products make up in {share.label}?",
        share.share.text,
        "The report gives only a lower bound for this period, hence 'more than'; the figure "
        "backs its view that Russia has struggled to diversify its exports beyond natural "
        "resources, energy and arms.",
        level="recall",
        objectives=STRUCTURE,
        fact=make.cell(share.key, "share"),
        choices=choice_list(rng, share.share.text, texts),
        rows=(share.key,),
        evidence=FIRST_HALF,
    )


def _export_claims(make: Maker, shares: list[ExportShare]) -> Iterator[QuestionSpec]:
    """Yield statements on the trend and on what a lower bound does and does not tell."""
    keys = tuple(s.key for s in shares)
    trend = make.derived("trend", "all")
    claims: list[Claim] = []
    if _increasing(shares):
        claims.append(
            Claim(
                name="rising",
                statement=(
                    "Commodities' share of Russia's exports to China rose from each period to the "
                    "next in the report's figures."
                ),
                truth=True,
                why=(
                    "Yes: each period's share is above the one before. The rise is the report's "
                    "evidence that Russia has struggled to diversify its exports."
                ),
                level="data",
                rows=keys,
                fact=trend,
                evidence=DIVERSIFY,
            )
        )
        claims.append(
            Claim(
                name="diversified",
                statement=(
                    "The figures show Russia diversifying its exports to China away from "
                    "commodities between 2004 and 2006."
                ),
                truth=False,
                why=(
                    "No: the commodity share rose every period, the opposite of diversifying. The "
                    "report says Russia 'has struggled to diversify'."
                ),
                level="evaluate",
                rows=keys,
                fact=trend,
                evidence=DIVERSIFY,
            )
        )
    for share in (s for s in shares if s.share.lower_bound):
        bound = fmt(share.share.value, 1)
        claims.append(
            Claim(
                name=f"bound_exact|{share.key}",
                statement=(
                    "The report gives the exact share of commodities in Russia's exports to China "
                    f"for {share.label}: {bound} percent."
                ),
                truth=False,
                why=(
                    f"No: it says only 'more than {bound} percent', a lower bound. The true share "
                    "could be anything above it."
                ),
                level="evaluate",
                rows=(share.key,),
                fact=make.derived("bound_exact", share.key),
                given=(make.cell(share.key, "share"),),
                evidence=FIRST_HALF,
            )
        )
        previous = [
            s for s in shares if not s.share.lower_bound and s.share.value < share.share.value
        ]
        for earlier in previous:
            gap = fmt(share.share.value - earlier.share.value, 1)
            claims.append(
                Claim(
                    name=f"bound_above|{share.key}>{earlier.key}",
                    statement=(
                        f"Commodities' share of Russia's exports to China in {share.label} was "
                        f"more than {gap} percentage points above its share in {earlier.label}."
                    ),
                    truth=True,
                    why=(
                        "Yes: the bound minus the earlier share gives the gap, and the true share "
                        "is above the bound, so the gap is larger still. A lower bound settles "
                        "comparisons in one direction."
                    ),
                    level="evaluate",
                    rows=(earlier.key, share.key),
                    fact=make.derived("bound_above", f"{share.key}>{earlier.key}"),
                )
            )
    yield from claim_specs(make, claims, objectives=STRUCTURE, evaluate_difficulty=3)
