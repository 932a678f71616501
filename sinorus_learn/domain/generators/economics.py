"""Questions on the Economics footnotes: 2006 trade by reporting country (5), export shares (6).

The first half of 2006 is known only as 'more than 90 percent' (a lower bound): it is asked for
as printed ('more than 90%'), compared only where the bound settles the answer, never as a value.
"""

from __future__ import annotations

from collections.abc import Iterator

from sinorus_learn.domain.generators.common import Maker, choice_list, fmt, pick, shuffled
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
FLOWS = {
    "china_exports": "China's exports to Russia",
    "china_imports": "China's imports from Russia",
}
AGENCIES = {
    "Russia": "Russian figures (RIA Novosti)",
    "China": "Chinese figures (Ministry of Commerce of the PRC)",
}


def _money(value: float) -> str:
    return f"${value:.2f} billion"


def _adjective(reporter: str) -> str:
    return {"Russia": "Russian", "China": "Chinese"}.get(reporter, reporter)


def _trade_fact(reports: list[TradeReport]) -> str:
    return (
        "Footnote 5: "
        + "; ".join(
            f"{_adjective(r.reporter)} figures: China exported {_money(r.china_exports)} and "
            f"imported {_money(r.china_imports)} from Russia in 2006"
            for r in reports
        )
        + "."
    )


def generate_trade(tables: dict[str, Table], seed: int) -> Iterator[QuestionSpec]:
    """Yield every question on the 2006 trade statistics."""
    make = Maker(tables[TRADE], seed)
    reports = trade_reports(tables)
    facts = _trade_fact(reports)
    cells = [(r, flow, getattr(r, flow)) for r in reports for flow in FLOWS]
    for report, flow, value in cells:
        yield from _trade_cell(make, cells, report, flow, value, facts)
    for report in reports:
        yield from _trade_derived(make, report, facts)
    yield from _trade_compare(make, reports, cells, facts)


def _trade_cell(
    make: Maker,
    cells: list[tuple[TradeReport, str, float]],
    report: TradeReport,
    flow: str,
    value: float,
    facts: str,
) -> Iterator[QuestionSpec]:
    params = f"{report.key}|{flow}"
    by = _adjective(report.reporter)
    ask = f"According to {by} statistics, what was {FLOWS[flow]} in 2006?"
    yield make.spec(
        "flow_value",
        params,
        "numeric",
        ask + " (billion US$)",
        NumericAnswer(value, 0.005, BN),
        facts,
        rows=(report.key,),
        difficulty=2,
    )
    rng = make.rng("flow_choice", params)
    pool = [_money(v) for _, _, v in sorted(cells, key=lambda c: abs(c[2] - value)) if v != value]
    yield make.spec(
        "flow_choice",
        params,
        "multiple_choice",
        ask,
        _money(value),
        facts,
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
            f"'{FLOWS[flow]} in 2006: {_money(value)}.' According to whose statistics?",
            correct,
            facts,
            choices=choice_list(rng, correct, [a for a in AGENCIES.values() if a != correct]),
            rows=(report.key,),
            difficulty=2,
        )


def _trade_derived(make: Maker, report: TradeReport, facts: str) -> Iterator[QuestionSpec]:
    by = _adjective(report.reporter)
    total = round(report.total, 2)
    yield make.spec(
        "total",
        report.key,
        "numeric",
        f"According to {by} statistics, what was total China-Russia trade in 2006? (billion US$)",
        NumericAnswer(total, 0.01, BN),
        f"{report.china_exports:.2f} + {report.china_imports:.2f} = {total:.2f}. {facts}",
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
        f"China's imports minus its exports: {report.china_imports:.2f} - "
        f"{report.china_exports:.2f} = {surplus:.2f}. The text says 'about $2 billion'. {facts}",
        rows=(report.key,),
        difficulty=3,
    )
    yield make.spec(
        "supports_33",
        report.key,
        "true_false",
        f"{by} statistics support the report's statement that total trade reached more than "
        "$33 billion in 2006.",
        report.total > 33,
        f"{by} figures add up to {_money(report.total)}. {facts}",
        rows=(report.key,),
        difficulty=3,
    )


def _trade_compare(
    make: Maker,
    reports: list[TradeReport],
    cells: list[tuple[TradeReport, str, float]],
    facts: str,
) -> Iterator[QuestionSpec]:
    keys = tuple(r.key for r in reports)
    by = {r.reporter: r for r in reports}
    if "Russia" in by and "China" in by:
        ru, cn = by["Russia"], by["China"]
        for flow, label in FLOWS.items():
            gap = round(getattr(ru, flow) - getattr(cn, flow), 2)
            yield make.spec(
                "reporter_gap",
                flow,
                "numeric",
                f"By how much do Russian figures for {label} in 2006 exceed the Chinese figures? "
                "(billion US$, negative if lower)",
                NumericAnswer(gap, 0.01, BN),
                f"{getattr(ru, flow):.2f} - {getattr(cn, flow):.2f} = {gap:.2f}. {facts}",
                rows=keys,
                difficulty=3,
            )
        yield make.spec(
            "both_surplus",
            "all",
            "true_false",
            "Both Russian and Chinese statistics show Russia with a trade surplus with China in "
            "2006.",
            ru.russian_surplus > 0 and cn.russian_surplus > 0,
            f"Russian figures: surplus {_money(ru.russian_surplus)}; Chinese figures: "
            f"{_money(cn.russian_surplus)}. {facts}",
            rows=keys,
            difficulty=2,
        )
        larger = AGENCIES["Russia"] if ru.total > cn.total else AGENCIES["China"]
        smaller = [a for a in AGENCIES.values() if a != larger]
        yield make.spec(
            "larger_total",
            "all",
            "multiple_choice",
            "Whose statistics give the larger total for China-Russia trade in 2006?",
            larger,
            f"Russian figures total {_money(ru.total)}; Chinese figures {_money(cn.total)}. "
            + facts,
            choices=choice_list(make.rng("larger_total", "all"), larger, smaller),
            rows=keys,
            difficulty=2,
        )
    ranked = sorted(cells, key=lambda c: c[2])
    items = tuple(f"{_adjective(r.reporter)} figures: {FLOWS[f]}" for r, f, _ in ranked)
    yield make.spec(
        "order_values",
        "all",
        "ordering",
        "Order these 2006 trade figures from smallest to largest.",
        items,
        "; ".join(f"{item}: {_money(v)}" for item, (_, _, v) in zip(items, ranked, strict=True))
        + ".",
        choices=shuffled(make.rng("order_values", "all"), items),
        rows=keys,
        difficulty=3,
    )
    pairs = tuple((item, _money(v)) for item, (_, _, v) in zip(items, ranked, strict=True))
    yield make.spec(
        "match_values",
        "all",
        "matching",
        "Match each 2006 trade figure to its value.",
        pairs,
        facts,
        choices=shuffled(make.rng("match_values", "all"), [v for _, v in pairs]),
        rows=keys,
        difficulty=2,
    )
    above = tuple(_money(v) for _, _, v in cells if v > 15)
    yield make.spec(
        "above_15",
        "all",
        "multiple_select",
        "Which of these figures for 2006 China-Russia trade in one direction are above "
        "$15 billion, in either country's statistics?",
        above,
        facts,
        choices=shuffled(make.rng("above_15", "all"), [_money(v) for _, _, v in cells]),
        rows=keys,
        difficulty=1,
    )
    for name, answers, prompt in (
        ("agency_russia", ("RIA Novosti", "Russian News and Information Agency"), "Russian"),
        (
            "agency_china",
            ("Ministry of Commerce", "MOFCOM", "Ministry of Commerce of the PRC"),
            "Chinese",
        ),
    ):
        yield make.spec(
            "source",
            name,
            "short_text",
            f"Footnote 5 takes the {prompt} trade figures for 2006 from which agency or ministry?",
            answers,
            f"Footnote 5 cites {answers[0]} for the {prompt} figures.",
            difficulty=2,
        )


# ------------------------------------------------------------------ export shares


def _share_fact(shares: list[ExportShare]) -> str:
    return (
        "Footnote 6 (RIA Novosti): commodities and primarily processed products made up "
        + "; ".join(f"{s.share.text} of Russia's exports to China in {s.label}" for s in shares)
        + "."
    )


def generate_exports(tables: dict[str, Table], seed: int) -> Iterator[QuestionSpec]:
    """Yield every question on commodities' share of Russia's exports to China."""
    make = Maker(tables[EXPORTS], seed)
    shares = export_shares(tables)
    facts = _share_fact(shares)
    keys = tuple(s.key for s in shares)
    for share in shares:
        yield from _share_row(make, shares, share, facts)
    exact = [s for s in shares if not s.share.lower_bound]
    for before, after in zip(exact, exact[1:], strict=False):
        change = round(after.share.value - before.share.value, 1)
        yield make.spec(
            "change",
            f"{before.key}-{after.key}",
            "numeric",
            f"By how many percentage points did commodities' share of Russia's exports to China "
            f"change from {before.label} to {after.label}?",
            NumericAnswer(change, 0.05, "percentage points"),
            f"{after.share.raw} - {before.share.raw} = {fmt(change, 1)}. {facts}",
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
            facts + " 'More than 90' is above 88.7, so the order is certain.",
            choices=shuffled(make.rng("order_periods", "all"), answer),
            rows=keys,
            difficulty=2,
        )
        yield make.spec(
            "rising",
            "all",
            "true_false",
            "Commodities' share of Russia's exports to China rose from each period to the next "
            "in the report's figures.",
            True,
            facts,
            rows=keys,
        )
    pairs = tuple((s.label, s.share.text) for s in shares)
    yield make.spec(
        "match_periods",
        "all",
        "matching",
        "Match each period to commodities' share of Russia's exports to China.",
        pairs,
        facts,
        choices=shuffled(make.rng("match_periods", "all"), [v for _, v in pairs]),
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
        facts,
        choices=shuffled(make.rng("above_85", "all"), [s.label for s in shares]),
        rows=keys,
        difficulty=2,
    )
    yield from _bound_questions(make, shares, facts)


def _increasing(shares: list[ExportShare]) -> bool:
    """Return whether each share is certainly above the one before (a bound counts as its floor)."""
    return all(
        b.share.value > a.share.value or (b.share.lower_bound and b.share.value >= a.share.value)
        for a, b in zip(shares, shares[1:], strict=False)
    )


def _share_row(
    make: Maker, shares: list[ExportShare], share: ExportShare, facts: str
) -> Iterator[QuestionSpec]:
    texts = [s.share.text for s in shares if s is not share]
    rng = make.rng("share_choice", share.key)
    yield make.spec(
        "share_choice",
        share.key,
        "multiple_choice",
        f"What share of Russia's exports to China did commodities and primarily processed "
        f"products make up in {share.label}?",
        share.share.text,
        facts,
        choices=choice_list(rng, share.share.text, texts),
        rows=(share.key,),
    )
    if share.share.lower_bound:
        return
    yield make.spec(
        "share_value",
        share.key,
        "numeric",
        f"What percentage of Russia's exports to China were commodities and primarily processed "
        f"products in {share.label}? (one decimal)",
        NumericAnswer(share.share.value, 0.05, "%"),
        facts,
        rows=(share.key,),
        difficulty=2,
    )
    rest = round(100 - share.share.value, 1)
    yield make.spec(
        "other_share",
        share.key,
        "numeric",
        f"What percentage of Russia's exports to China were NOT commodities and primarily "
        f"processed products in {share.label}?",
        NumericAnswer(rest, 0.05, "%"),
        f"100 - {share.share.raw} = {fmt(rest, 1)}. {facts}",
        rows=(share.key,),
        difficulty=2,
    )
    yield make.spec(
        "period_of_share",
        share.key,
        "short_text",
        f"In which year did commodities and primarily processed products make up "
        f"{share.share.text} of Russia's exports to China?",
        (share.label,),
        facts,
        rows=(share.key,),
        difficulty=2,
    )


def _bound_questions(make: Maker, shares: list[ExportShare], facts: str) -> Iterator[QuestionSpec]:
    """Yield questions on what a lower bound does and does not tell (never its exact value)."""
    for share in (s for s in shares if s.share.lower_bound):
        bound = fmt(share.share.value, 1)
        yield make.spec(
            "bound_exact",
            share.key,
            "true_false",
            f"The report gives the exact share of commodities in Russia's exports to China for "
            f"{share.label}: {bound} percent.",
            False,
            f"The report says only 'more than {bound} percent': a lower bound, not an exact "
            f"value. {facts}",
            rows=(share.key,),
            difficulty=2,
        )
        previous = [
            s for s in shares if not s.share.lower_bound and s.share.value < share.share.value
        ]
        for earlier in previous:
            gap = fmt(share.share.value - earlier.share.value, 1)
            yield make.spec(
                "bound_above",
                f"{share.key}>{earlier.key}",
                "true_false",
                f"Commodities' share of Russia's exports to China in {share.label} was more than "
                f"{gap} percentage points above its share in {earlier.label}.",
                True,
                f"More than {bound} minus {earlier.share.raw} is more than {gap} points. {facts}",
                rows=(earlier.key, share.key),
                difficulty=3,
            )
