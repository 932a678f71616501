"""The server-drawn charts read right: round axes, time left to right, units in the singular."""

from __future__ import annotations

from pathlib import Path

import pytest

from sinorus_learn.charts import bar_chart, nice_top, table_charts
from sinorus_learn.domain.tables import load_tables

TABLES = load_tables(Path(__file__).resolve().parent.parent / "question_bank" / "tables")


@pytest.mark.parametrize(
    ("value", "top"), [(8, 8), (15.8, 20), (18, 20), (1680, 2000), (3, 4), (0, 4), (100, 100)]
)
def test_axis_tops_are_round(value: float, top: float) -> None:
    assert nice_top(value) == top


def test_a_percentage_axis_runs_to_100() -> None:
    chart = bar_chart("acc", "Accuracy", ["01 May", "02 May"], [18, 9], unit="%", top=100)
    assert [label for _, label in chart.ticks] == ["0%", "25%", "50%", "75%", "100%"]
    assert chart.bars[0].value_text == "18 %"


def test_oil_charts_run_from_1999_to_2006() -> None:
    for chart in table_charts(TABLES["crude_oil_imports"]):
        labels = [bar.label for bar in chart.bars]
        assert labels == sorted(labels) and labels[0] == "1999" and labels[-1] == "2006"


def test_one_order_is_singular() -> None:
    by_year = table_charts(TABLES["arms_transfers"])[0]
    texts = {bar.label: bar.value_text for bar in by_year.bars}
    assert texts["2006"] == "1 order" and texts["2001"] == "8 orders"
    assert "1 orders" not in by_year.summary


@pytest.mark.parametrize(
    "table_id", ["border_islands", "trade_2006", "export_commodities", "crude_oil_imports"]
)
def test_every_table_has_charts_with_years_unseparated(table_id: str) -> None:
    charts = table_charts(TABLES[table_id])
    assert charts
    for chart in charts:
        assert "2,00" not in chart.summary and "1,99" not in chart.summary
        assert all(bar.height >= 0 and bar.width >= 0 for bar in chart.bars)


def test_a_lower_bound_is_drawn_and_said_as_one() -> None:
    (chart,) = table_charts(TABLES["export_commodities"])
    assert chart.bars[-1].value_text == "more than 90 %"
    assert chart.bars[-1].label == "first half of 2006"
