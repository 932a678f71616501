"""Questions on the Economics footnotes: 2006 trade by reporting country (5), export shares (6).

Footnote 5 gives two countries' statistics for the same trade; the templates compare them and
check the text's "more than $33 billion" and "about $2 billion" against each
(``economics.trade-statistics``). Footnote 6 shows commodities' growing share of Russia's
exports (``economics.export-structure``). The first half of 2006 is known only as 'more than 90
percent' (a lower bound): it is asked for as printed ('more than 90%'), compared only where the
bound settles the answer, never as a value.
"""

from __future__ import annotations

from collections.abc import Iterator

from sinorus_learn.domain.generators.common import Maker, choice_list, fmt, options, pick, shuffled
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


def _money(value: float) -> str:
    return f"${value:.2f} billion"


def _adjective(reporter: str) -> str:
    return {"Russia": "Russian", "China": "Chinese"}.get(reporter, reporter)


def generate_trade(tables: dict[str, Table], seed: int) -> Iterator[QuestionSpec]:
    """Yield every question on the 2006 trade statistics."""
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
    pool = [_money(v) for _, _, v in sorted(cells, key=lambda c: abs(c[2] - value)) if v != value]
    yield make.spec(
        "flow_choice",
        params,
        "multiple_choice",
        f"According to {by} statistics, how much did China {verb} Russia in 2006?",
        _money(value),
        f"The footnote gives both countries' figures; the {by} ones are "
        f"{'the higher' if by == 'Russian' else 'the lower'} in each direction. "
        f"{TWO_SOURCES}",
        level="recall",
        objectives=STATISTICS,
        fact=fact,
        choices=choice_list(rng, _money(value), pick(rng, pool, _money(value))),
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
            "Russian figures are higher than Chinese ones for both directions of trade; "
            f"knowing whose figure you quote matters. {TWO_SOURCES}",
            level="evaluate",
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
    yield make.spec(
        "total",
        report.key,
        "numeric",
        f"According to {by} statistics, what was total China-Russia trade in 2006? (billion US$)",
        NumericAnswer(total, 0.01, BN),
        f"Total trade is exports plus imports: {report.china_exports:.2f} + "
        f"{report.china_imports:.2f} = {total:.2f}. Only the Russian total supports the text's "
        "'more than $33 billion'.",
        level="data",
        objectives=SIZE,
        fact=total_fact,
        rows=(report.key,),
        difficulty=2,
    )
    surplus = round(report.russian_surplus, 2)
    yield make.spec(
        "surplus",
        report.key,
        "numeric",
        f"According to {by} statistics, how large was Russia's trade surplus with China in 2006? "
        "(billion US$)",
        NumericAnswer(surplus, 0.01, BN),
        f"Russia's surplus is what China imports from it minus what China exports to it: "
        f"{report.china_imports:.2f} - {report.china_exports:.2f} = {surplus:.2f}. Both "
        "countries' figures fit the text's 'slight trade surplus of about $2 billion'.",
        level="data",
        objectives=STATISTICS,
        fact=make.derived("surplus", report.key),
        rows=(report.key,),
        difficulty=3,
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
            else "below $33 billion: the text's figure rests on Russian statistics."
        ),
        level="evaluate",
        objectives=SIZE,
        fact=total_fact,
        rows=(report.key,),
        difficulty=3,
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
                f"By how much do Russian figures for {noun} in 2006 exceed the Chinese figures? "
                "(billion US$, negative if lower)",
                NumericAnswer(gap, 0.01, BN),
                f"{getattr(ru, flow):.2f} - {getattr(cn, flow):.2f} = {gap:.2f}: well over a "
                "billion dollars in each direction, enough to decide whether trade passed "
                "$33 billion.",
                level="evaluate",
                objectives=STATISTICS,
                fact=make.derived("reporter_gap", flow),
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
            f"Russian figures total {_money(ru.total)}, Chinese {_money(cn.total)}. The "
            "report's 'more than $33 billion' follows the larger, Russian count.",
            level="evaluate",
            objectives=STATISTICS,
            fact=make.derived("larger_total", "all"),
            choices=choice_list(make.rng("larger_total", "all"), larger, smaller),
            rows=keys,
            difficulty=2,
        )
        yield from _trade_claims(make, ru, cn, keys)
    ranked = sorted(cells, key=lambda c: c[2])
    items = tuple(f"{_adjective(r.reporter)} figures: {FLOWS[f][1]}" for r, f, _ in ranked)
    yield make.spec(
        "order_values",
        "all",
        "ordering",
        "Order these 2006 trade figures from smallest to largest.",
        items,
        "China imports more from Russia than it exports to it in both countries' statistics "
        "(Russia's surplus), and each Russian figure is above the Chinese one for the same flow.",
        level="data",
        objectives=STATISTICS,
        fact=make.derived("order_values", "all"),
        choices=shuffled(make.rng("order_values", "all"), items),
        rows=keys,
        difficulty=3,
    )


def _trade_claims(
    make: Maker, ru: TradeReport, cn: TradeReport, keys: tuple[str, ...]
) -> Iterator[QuestionSpec]:
    """Yield statements comparing the two statistics, true and false in equal measure."""
    gap = ru.total - cn.total
    claims = (
        (
            "both_surplus",
            "Both Russian and Chinese statistics show Russia with a trade surplus with China in "
            "2006.",
            ru.russian_surplus > 0 and cn.russian_surplus > 0,
            f"Yes: {_money(ru.russian_surplus)} in Russian figures, "
            f"{_money(cn.russian_surplus)} in Chinese. On the surplus the two sources agree.",
        ),
        (
            "russian_higher",
            "Russian statistics record more trade than Chinese statistics in both directions.",
            ru.china_exports > cn.china_exports and ru.china_imports > cn.china_imports,
            "Yes: each Russian figure is above the Chinese one for the same flow, so the "
            "difference is systematic, not a slip in one number.",
        ),
        (
            "chinese_surplus",
            "Chinese statistics show China with a trade surplus with Russia in 2006.",
            cn.russian_surplus < 0,
            "No: in Chinese figures too China imports more from Russia than it exports to it, so "
            "the surplus is Russia's.",
        ),
        (
            "agree_totals",
            "Russian and Chinese statistics agree on 2006 total trade to within $1 billion.",
            abs(gap) < 1,
            f"No: the totals differ by about {_money(abs(gap))}, enough to put trade above "
            "$33 billion in one count and below it in the other.",
        ),
    )
    for name, statement, truth, why in claims:
        yield make.spec(
            "claim",
            name,
            "true_false",
            statement,
            truth,
            why,
            level="evaluate",
            objectives=STATISTICS,
            fact=make.derived("claim", name),
            rows=keys,
            difficulty=2,
        )


# ------------------------------------------------------------------ export shares


def generate_exports(tables: dict[str, Table], seed: int) -> Iterator[QuestionSpec]:
    """Yield every question on commodities' share of Russia's exports to China."""
    make = Maker(tables[EXPORTS], seed)
    shares = export_shares(tables)
    keys = tuple(s.key for s in shares)
    for share in shares:
        yield from _share_row(make, shares, share)
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
            "Russia's exports were becoming more dependent on raw materials, not less.",
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
            "The share rose each period; 'more than 90' is above 88.7, so the order is certain "
            "even though the last figure is only a lower bound.",
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
        "Every period after 2004 is above 85 percent: commodities came to make up almost all of "
        "what Russia sold China.",
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


def _share_row(
    make: Maker, shares: list[ExportShare], share: ExportShare
) -> Iterator[QuestionSpec]:
    texts = [s.share.text for s in shares if s is not share]
    rng = make.rng("share_choice", share.key)
    bound = (
        " The report gives only a lower bound for it, hence 'more than'."
        if share.share.lower_bound
        else ""
    )
    yield make.spec(
        "share_choice",
        share.key,
        "multiple_choice",
        f"What share of Russia's exports to China did commodities and primarily processed "
        f"products make up in {share.label}?",
        share.share.text,
        "The share climbed from 84.2% in 2004 to more than 90% in early 2006: Russia "
        f"struggled to sell China anything but raw materials.{bound}",
        level="recall",
        objectives=STRUCTURE,
        fact=make.cell(share.key, "share"),
        choices=choice_list(rng, share.share.text, texts),
        rows=(share.key,),
    )
    if share.share.lower_bound:
        return
    rest = round(100 - share.share.value, 1)
    yield make.spec(
        "other_share",
        share.key,
        "numeric",
        f"In {share.label}, commodities and primarily processed products made up "
        f"{share.share.text} of Russia's exports to China. What percentage was left for all "
        "other goods?",
        NumericAnswer(rest, 0.05, "%"),
        f"100 - {share.share.raw} = {fmt(rest, 1)}: the small remainder is the measure of how "
        "little Russia had diversified its exports to China.",
        level="data",
        objectives=STRUCTURE,
        fact=make.derived("other_share", share.key),
        given=(make.cell(share.key, "share"),),
        rows=(share.key,),
        difficulty=2,
    )


def _export_claims(make: Maker, shares: list[ExportShare]) -> Iterator[QuestionSpec]:
    """Yield statements on the trend and on what a lower bound does and does not tell."""
    keys = tuple(s.key for s in shares)
    trend = make.derived("trend", "all")
    claims: list[tuple[str, str, bool, str, str, tuple[str, ...], str]] = []
    if _increasing(shares):
        claims.append(
            (
                "rising",
                "Commodities' share of Russia's exports to China rose from each period to the "
                "next in the report's figures.",
                True,
                "Yes: 84.2%, 88.7%, then more than 90%. The rise is the report's evidence that "
                "Russia struggled to diversify its exports.",
                "data",
                keys,
                trend,
            )
        )
        claims.append(
            (
                "diversified",
                "The figures show Russia diversifying its exports to China away from "
                "commodities between 2004 and 2006.",
                False,
                "No: the commodity share rose every period, the opposite of diversifying. The "
                "report says Russia 'has struggled to diversify'.",
                "evaluate",
                keys,
                trend,
            )
        )
    for share in (s for s in shares if s.share.lower_bound):
        bound = fmt(share.share.value, 1)
        claims.append(
            (
                f"bound_exact|{share.key}",
                f"The report gives the exact share of commodities in Russia's exports to China "
                f"for {share.label}: {bound} percent.",
                False,
                f"No: it says only 'more than {bound} percent', a lower bound. The true share "
                "could be anything above it.",
                "evaluate",
                (share.key,),
                make.derived("bound_exact", share.key),
            )
        )
        previous = [
            s for s in shares if not s.share.lower_bound and s.share.value < share.share.value
        ]
        for earlier in previous:
            gap = fmt(share.share.value - earlier.share.value, 1)
            claims.append(
                (
                    f"bound_above|{share.key}>{earlier.key}",
                    f"Commodities' share of Russia's exports to China in {share.label} was more "
                    f"than {gap} percentage points above its share in {earlier.label}.",
                    True,
                    f"Yes: more than {bound} minus {earlier.share.raw} is more than {gap} "
                    "points. A lower bound still settles comparisons in one direction.",
                    "evaluate",
                    (earlier.key, share.key),
                    make.derived("bound_above", f"{share.key}>{earlier.key}"),
                )
            )
    for name, statement, truth, why, level, rows, fact in claims:
        yield make.spec(
            "claim",
            name,
            "true_false",
            statement,
            truth,
            why,
            level=level,  # type: ignore[arg-type]
            objectives=STRUCTURE,
            fact=fact,
            rows=rows,
            difficulty=3 if level == "evaluate" else 2,
        )
