"""Server-rendered bar charts: geometry computed here, drawn as inline SVG by a macro."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from html import escape
from typing import Any, NamedTuple

from markupsafe import Markup

WIDTH = 640
HEIGHT = 260
MARGIN_LEFT = 48
MARGIN_BOTTOM = 40
MARGIN_TOP = 16


class Bar(NamedTuple):  # a tuple: the progress page lays out 30 of these per request
    x: float
    y: float
    width: float
    height: float
    label: str
    value_text: str


@dataclass(frozen=True)
class BarChart:
    """A labelled bar chart; ``summary`` is its text alternative."""

    id: str
    title: str
    unit: str
    bars: tuple[Bar, ...]
    ticks: tuple[tuple[float, str], ...]
    width: int = WIDTH
    height: int = HEIGHT
    css_class: str = "bar"
    horizontal: bool = False

    @property
    def summary(self) -> str:
        values = "; ".join(f"{bar.label}: {bar.value_text}" for bar in self.bars)
        return f"{self.title}. {values}."

    @property
    def baseline(self) -> float:
        return self.height - MARGIN_BOTTOM

    @cached_property
    def svg(self) -> Markup:
        """The chart as inline SVG, drawn once per chart (built here: a Jinja loop per bar cost
        a millisecond)."""
        cid = escape(self.id)
        parts = [
            f'<svg class="chart" viewBox="0 0 {self.width} {self.height}" role="img" '
            f'aria-labelledby="{cid}-title {cid}-desc">',
            f'<title id="{cid}-title">{escape(self.title)}</title>',
            f'<desc id="{cid}-desc">{escape(self.summary)}</desc>',
        ]
        parts += self._horizontal() if self.horizontal else self._vertical()
        parts.append("</svg>")
        return Markup("".join(parts))  # noqa: S704 - every text part is escaped above

    def _bar(self, bar: Bar) -> str:
        tip = escape(f"{bar.label}: {bar.value_text}")
        return (
            f'<rect class="{self.css_class}" x="{bar.x}" y="{bar.y}" width="{bar.width}" '
            f'height="{bar.height}"><title>{tip}</title></rect>'
        )

    def _horizontal(self) -> list[str]:
        return [
            f'<g><text x="{bar.x - 6}" y="{bar.y + bar.height - 4}" text-anchor="end">'
            f"{escape(bar.label)}</text>{self._bar(bar)}"
            f'<text x="{bar.x + bar.width + 6}" y="{bar.y + bar.height - 4}">'
            f"{escape(bar.value_text)}</text></g>"
            for bar in self.bars
        ]

    def _vertical(self) -> list[str]:
        parts = [
            f'<line class="axis" x1="44" x2="{self.width}" y1="{y}" y2="{y}" '
            f'stroke-opacity="0.25"></line><text x="40" y="{y + 4}" text-anchor="end">'
            f"{escape(label)}</text>"
            for y, label in self.ticks
        ]
        parts += [
            f'<g>{self._bar(bar)}<text x="{bar.x + bar.width / 2}" y="{self.baseline + 16}" '
            f'text-anchor="middle">{escape(bar.label)}</text></g>'
            for bar in self.bars
        ]
        parts.append(
            f'<line class="axis" x1="44" x2="{self.width}" y1="{self.baseline}" '
            f'y2="{self.baseline}"></line>'
        )
        return parts


def nice_top(value: float, ticks: int = 4) -> float:
    """Return an axis maximum at or above ``value`` whose ``ticks`` steps are round numbers
    (1, 2, 2.5 or 5 times a power of ten): 8 -> 8, 15.8 -> 20, 1,680 -> 2,000."""
    if value <= 0:
        return float(ticks)
    step = value / ticks
    power = 10.0 ** math.floor(math.log10(step))
    for factor in (1.0, 2.0, 2.5, 5.0, 10.0):
        if step <= factor * power + 1e-9:
            return factor * power * ticks
    return 10.0 * power * ticks


def with_unit(value: float, text: str, unit: str) -> str:
    """Attach a unit to a value's text, singular for exactly one ("1 order", "3 orders")."""
    if not unit:
        return text
    if value == 1 and unit.endswith("s") and " " not in unit:
        unit = unit[:-1]
    return f"{text} {unit}"


def bar_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    unit: str = "",
    value_format: str = "{:g}",
    css_class: str = "bar",
    top: float | None = None,
    value_texts: Sequence[str] | None = None,
) -> BarChart:
    """Lay out one bar per value on an axis from 0 to ``top`` (100 for a percentage; else the
    largest value rounded up to a round number), with four evenly spaced ticks."""
    top = top or nice_top(max(values, default=0))
    plot_height = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    slot = (WIDTH - MARGIN_LEFT) / max(len(values), 1)
    texts = value_texts or [value_format.format(value) for value in values]
    tick_unit = "%" if unit == "%" else ""
    bars = []
    for index, (label, value, text) in enumerate(zip(labels, values, texts, strict=True)):
        height = plot_height * min(value, top) / top
        bars.append(
            Bar(
                x=round(MARGIN_LEFT + index * slot + slot * 0.15, 1),
                y=round(HEIGHT - MARGIN_BOTTOM - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                label=label,
                value_text=with_unit(value, text, unit),
            )
        )
    ticks = tuple(
        (round(HEIGHT - MARGIN_BOTTOM - plot_height * i / 4, 1), f"{top * i / 4:,g}{tick_unit}")
        for i in range(5)
    )
    return BarChart(chart_id, title, unit, tuple(bars), ticks, css_class=css_class)


HBAR_LABEL_WIDTH = 230
HBAR_ROW = 22


def hbar_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    unit: str = "",
    value_format: str = "{:g}",
    css_class: str = "bar",
    top: float | None = None,
    value_texts: Sequence[str] | None = None,
) -> BarChart:
    """Lay out one horizontal bar per value: for long category names such as topics."""
    top = top or max(values, default=0) or 1.0
    texts = value_texts or [value_format.format(value) for value in values]
    plot_width = WIDTH - HBAR_LABEL_WIDTH - 70
    bars = tuple(
        Bar(
            x=HBAR_LABEL_WIDTH,
            y=MARGIN_TOP + index * HBAR_ROW,
            width=round(plot_width * value / top, 1),
            height=HBAR_ROW - 6,
            label=label,
            value_text=with_unit(value, text, unit),
        )
        for index, (label, value, text) in enumerate(zip(labels, values, texts, strict=True))
    )
    height = MARGIN_TOP * 2 + HBAR_ROW * len(bars)
    return BarChart(
        chart_id, title, unit, bars, (), height=height, css_class=css_class, horizontal=True
    )


def table_charts(table: object) -> list[BarChart]:
    """Return the charts drawn beside a data table's page."""
    from sinorus_learn.domain import tables as t

    table_id = str(getattr(table, "id", ""))
    typed = {table_id: table}
    drawers = {
        "crude_oil_imports": _oil_charts,
        "arms_transfers": _arms_charts,
        "border_islands": _island_charts,
        "trade_2006": _trade_charts,
        "export_commodities": _export_charts,
    }
    drawer = drawers.get(table_id)
    return drawer(t, typed) if drawer else []


def _oil_charts(t: Any, tables: Any) -> list[BarChart]:
    rows = sorted(t.oil_imports(tables), key=lambda r: r.year)  # time runs left to right
    years = [str(r.year) for r in rows]
    return [
        bar_chart(
            "oil-shipments",
            "Oil shipments from Russia to China",
            years,
            [r.shipments for r in rows],
            unit="million tons",
        ),
        bar_chart(
            "oil-share",
            "Russia's share of China's oil imports",
            years,
            [r.share for r in rows],
            unit="%",
            value_format="{:.2f}",
            css_class="bar alt",
        ),
    ]


def _arms_charts(t: Any, tables: Any) -> list[BarChart]:
    by_year: dict[int, int] = {}
    by_kind: dict[str, int] = {}
    for row in t.arms_transfers(tables):
        by_year[row.order.start] = by_year.get(row.order.start, 0) + 1
        by_kind[row.description] = by_kind.get(row.description, 0) + 1
    years = sorted(by_year)
    kinds = sorted(by_kind, key=lambda k: (-by_kind[k], k))
    return [
        bar_chart(
            "arms-by-year",
            "Orders per year of order (rows of Table 1)",
            [str(y) for y in years],
            [by_year[y] for y in years],
            unit="orders",
        ),
        hbar_chart(
            "arms-by-kind",
            "Orders per weapon category (rows of Table 1)",
            kinds,
            [by_kind[k] for k in kinds],
            unit="orders",
            css_class="bar alt",
        ),
    ]


def _island_charts(t: Any, tables: Any) -> list[BarChart]:
    rows = t.border_islands(tables)
    labels, values = [], []
    for row in rows:
        labels += [f"{row.river}: to Russia", f"{row.river}: to China"]
        values += [row.russia, row.china]
    return [
        bar_chart(
            "islands-total",
            "Islands in total per border river",
            [row.river for row in rows],
            [row.total for row in rows],
            unit="islands",
            value_texts=[f"{row.total:,}" for row in rows],
        ),
        hbar_chart(
            "islands-division",
            "How each river's islands were divided",
            labels,
            values,
            unit="islands",
            css_class="bar alt",
            value_texts=[f"{v:,}" for v in values],
        ),
    ]


def _trade_charts(t: Any, tables: Any) -> list[BarChart]:
    labels, values = [], []
    for row in t.trade_reports(tables):
        source = f"{row.reporter}'s figures"
        labels += [f"{source}: China's exports", f"{source}: China's imports"]
        values += [row.china_exports, row.china_imports]
    return [
        hbar_chart(
            "trade-2006",
            "China-Russia trade in 2006, by whose statistics",
            labels,
            values,
            unit="billion US$",
            value_format="{:.2f}",
        )
    ]


def _export_charts(t: Any, tables: Any) -> list[BarChart]:
    rows = t.export_shares(tables)
    return [
        bar_chart(
            "export-commodities",
            "Commodities' share of Russia's exports to China",
            [t.period_label(r.period).removeprefix("the ") for r in rows],
            [r.share.value for r in rows],
            unit="%",
            css_class="bar alt",
            top=100,
            value_texts=[r.share.text.removesuffix("%") for r in rows],
        )
    ]
