"""Server-rendered bar charts: geometry computed here, drawn as inline SVG by a macro."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from html import escape
from typing import NamedTuple

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


def bar_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    unit: str = "",
    value_format: str = "{:g}",
    css_class: str = "bar",
) -> BarChart:
    """Lay out one bar per value, scaled to the largest, with four axis ticks."""
    top = max(values, default=0) or 1.0
    plot_height = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    slot = (WIDTH - MARGIN_LEFT) / max(len(values), 1)
    bars = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        height = plot_height * value / top
        bars.append(
            Bar(
                x=round(MARGIN_LEFT + index * slot + slot * 0.15, 1),
                y=round(HEIGHT - MARGIN_BOTTOM - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                label=label,
                value_text=value_format.format(value) + (f" {unit}" if unit else ""),
            )
        )
    ticks = tuple(
        (round(HEIGHT - MARGIN_BOTTOM - plot_height * i / 4, 1), f"{top * i / 4:g}")
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
) -> BarChart:
    """Lay out one horizontal bar per value: for long category names such as topics."""
    top = top or max(values, default=0) or 1.0
    plot_width = WIDTH - HBAR_LABEL_WIDTH - 70
    bars = tuple(
        Bar(
            x=HBAR_LABEL_WIDTH,
            y=MARGIN_TOP + index * HBAR_ROW,
            width=round(plot_width * value / top, 1),
            height=HBAR_ROW - 6,
            label=label,
            value_text=value_format.format(value) + (f" {unit}" if unit else ""),
        )
        for index, (label, value) in enumerate(zip(labels, values, strict=True))
    )
    height = MARGIN_TOP * 2 + HBAR_ROW * len(bars)
    return BarChart(
        chart_id, title, unit, bars, (), height=height, css_class=css_class, horizontal=True
    )


def table_charts(table: object) -> list[BarChart]:
    """Return the charts drawn beside a data table's page."""
    from sinorus_learn.domain import tables as t

    table_id = getattr(table, "id", "")
    if table_id == "crude_oil_imports":
        rows = t.oil_imports({table_id: table})  # type: ignore[dict-item]
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
    if table_id == "arms_transfers":
        rows_a = t.arms_transfers({table_id: table})  # type: ignore[dict-item]
        by_year: dict[int, int] = {}
        by_kind: dict[str, int] = {}
        for row in rows_a:
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
    return []
