"""question_bank/tables against the report itself, cell by cell.

The report lives outside the repository (``../shared/report/china-and-russia.md``; the
SINORUS_REPORT environment variable overrides it). Without it these tests skip, unless CI is set.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from sinorus_learn.domain.tables import Table, load_tables
from tests.conftest import require_shared

REPO_ROOT = Path(__file__).resolve().parents[2]
REPORT = Path(
    os.environ.get("SINORUS_REPORT")
    or REPO_ROOT.parent / "shared" / "report" / "china-and-russia.md"
)


@pytest.fixture(scope="module")
def report() -> str:
    require_shared(REPORT.is_file(), f"the report is not at {REPORT} (set SINORUS_REPORT)")
    return REPORT.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def tables() -> dict[str, Table]:
    return load_tables(REPO_ROOT / "question_bank" / "tables")


def _tab_rows(text: str, start: str, end: str) -> list[list[str]]:
    """Return the tab-separated lines between two markers, marks made plain, headers dropped."""
    block = text[text.index(start) : text.index(end, text.index(start))]
    rows = []
    for line in block.splitlines():
        if "\t" not in line:
            continue
        cells = [c.replace("<sup>^</sup>", "^").strip() for c in line.split("\t")]
        if cells[0] in ("Year", "No. ordered"):
            continue
        rows.append(cells)
    return rows


def _cells(table: Table) -> list[list[str]]:
    return [[row.cells[c.id] for c in table.columns] for row in table.rows]


def _footnote(text: str, number: int) -> str:
    match = re.search(rf"^<sup>{number}</sup>(.*)$", text, re.M)
    assert match, f"footnote {number} not found in the report"
    return match.group(1)


def test_oil_table_matches_cell_by_cell(report: str, tables: dict[str, Table]):
    printed = _tab_rows(report, "### Chinese Import of Crude Oil", "Source: UN Comtrade")
    assert len(printed) == 8
    assert _cells(tables["crude_oil_imports"]) == printed


def test_table1_matches_cell_by_cell_including_its_continuation(
    report: str, tables: dict[str, Table]
):
    printed = _tab_rows(report, "Table 1. Russia Transfers", "Sources: SIPRI")
    assert report.count("Table 1 (continued)") == 1
    first_page = _tab_rows(report, "Table 1. Russia Transfers", "Table 1 (continued)")
    assert (len(first_page), len(printed) - len(first_page)) == (37, 17)
    padded = [cells + [""] * (5 - len(cells)) for cells in printed]
    ours = _cells(tables["arms_transfers"])
    assert len(ours) == 54
    for number, (mine, theirs) in enumerate(zip(ours, padded, strict=True), start=1):
        assert mine == theirs, f"Table 1 row {number}"


def test_table1_title_and_notes_are_carried(report: str, tables: dict[str, Table]):
    table = tables["arms_transfers"]
    title = re.search(r"^Table 1\. (.+)$", report, re.M)
    assert title and table.title == f"Table 1. {title.group(1).strip()}"
    assert "SIPRI estimate" in table.notes and "conflicts with IISS" in table.notes


def test_footnote4_islands_match(report: str, tables: dict[str, Table]):
    text = _footnote(report, 4)
    found = re.findall(
        r"Of the ([\d,]+) islands(?: and islets)? along(?: the)? (\w+) River.*?"
        r"Russia received (\d+) and China (\d+)",
        text,
    )
    printed = [[river, total, russia, china] for total, river, russia, china in found]
    assert [r[0] for r in printed] == ["Argun", "Amur", "Ussuri"]
    assert _cells(tables["border_islands"]) == printed


def test_footnote5_trade_matches(report: str, tables: dict[str, Table]):
    text = _footnote(report, 5)
    russian = re.search(
        r"Russian figures, China exported \\?\$([\d.]+) billion and imported "
        r"\\?\$([\d.]+) billion",
        text,
    )
    chinese = re.search(
        r"Chinese trade statistics, China exported \\?\$([\d.]+) billion and "
        r"imported \\?\$([\d.]+) billion",
        text,
    )
    assert russian and chinese
    table = tables["trade_2006"]
    assert [table.cell("Russia", "china_exports"), table.cell("Russia", "china_imports")] == list(
        russian.groups()
    )
    assert [table.cell("China", "china_exports"), table.cell("China", "china_imports")] == list(
        chinese.groups()
    )
    assert "RIA Novosti" in table.source and "Ministry of Commerce" in table.source


def test_export_shares_match_the_text(report: str, tables: dict[str, Table]):
    sentence = re.search(
        r"more than (\d+) percent of Russia's exports to China \(against ([\d.]+) percent in "
        r"2005 and ([\d.]+) percent in 2004\)\.?<sup>6</sup>",
        report,
    )
    assert sentence
    bound, y2005, y2004 = sentence.groups()
    table = tables["export_commodities"]
    assert table.cell("2004", "share") == y2004
    assert table.cell("2005", "share") == y2005
    assert table.cell("2006H1", "share") == f">{bound}"


def test_footnote_numbers_of_the_timeline_exist(report: str, tables: dict[str, Table]):
    for row in tables["timeline"].rows:
        for number in filter(None, row.cells["footnote"].split(",")):
            assert f"<sup>{number.strip()}</sup>" in report, row.key
        assert row.cells["year"] in report, row.key
