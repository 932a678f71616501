"""The report's data tables: cells kept as printed, the notation parsed here, checks as warnings.

Each table is ``question_bank/tables/<id>.tsv`` (a header of column ids, then the cells exactly as
printed) beside ``<id>.toml`` (title, topic, footnotes, source, notes, columns, checks). Loading
raises TableError only when a file's *structure* is broken; what the data say is judged by
``validate_tables``, whose warnings never change a cell.
"""

from __future__ import annotations

import csv
import re
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from sinorus_learn.domain.grading import fmt
from sinorus_learn.domain.questions import TOPICS

ESTIMATE_MARK = "( )"
CONFLICT_MARK = "^"
UNKNOWN = "Unknown"

# Shown beside Table 1 in the UI: every mark the report's notation uses.
NOTATION: dict[str, str] = {
    ESTIMATE_MARK: "SIPRI estimate (the value in parentheses is estimated by SIPRI)",
    CONFLICT_MARK: "SIPRI's data conflict with those of IISS (The Military Balance 2007)",
    UNKNOWN: "the number ordered is not known",
    "3-6": "a range: between 3 and 6 were ordered",
    "1996-97": "a range of years with the end written in two digits: 1996 to 1997",
    "(blank delivery)": "no delivery year is recorded (the report's notes do not explain blanks)",
}

COLUMN_KINDS = (
    "text",
    "topic",
    "year",
    "year_range",
    "quantity",
    "number",
    "count",
    "percent",
    "period",
    "month",
    "day",
    "footnote",
)
PLAUSIBLE_YEARS = (1600, 2011)  # the report starts at Nerchinsk (1689) and ends in 2007
FOOTNOTE_COUNT = 32


class TableError(ValueError):
    """A table file whose structure is broken, or a cell that cannot be read."""


# ------------------------------------------------------------------ parsed values


@dataclass(frozen=True)
class Quantity:
    """A 'No. ordered' cell: a number, a range such as 3-6, or Unknown, with its marks."""

    raw: str
    low: int | None
    high: int | None
    estimate: bool = False
    conflict: bool = False

    @property
    def known(self) -> bool:
        return self.low is not None

    @property
    def is_range(self) -> bool:
        return self.known and self.low != self.high

    @property
    def text(self) -> str:
        """Return the number or range without its marks ('3-6', '95', 'Unknown')."""
        if self.low is None:
            return UNKNOWN
        return str(self.low) if self.low == self.high else f"{self.low}-{self.high}"


@dataclass(frozen=True)
class YearSpan:
    """A year or a range of years (two-digit ends expanded), with its marks."""

    raw: str
    start: int
    end: int
    estimate: bool = False
    conflict: bool = False

    @property
    def is_range(self) -> bool:
        return self.end != self.start

    @property
    def text(self) -> str:
        return str(self.start) if self.start == self.end else f"{self.start}–{self.end}"


@dataclass(frozen=True)
class Percent:
    """A percentage, or a lower bound printed as '>90' (the report's 'more than 90')."""

    raw: str
    value: float
    lower_bound: bool = False

    @property
    def text(self) -> str:
        return f"more than {self.raw.lstrip('>').strip()}%" if self.lower_bound else f"{self.raw}%"


def strip_marks(raw: str) -> tuple[str, bool, bool]:
    """Split a cell into (text, estimate, conflict): '(2003) ^' -> ('2003', True, True)."""
    text = raw.strip()
    conflict = text.endswith(CONFLICT_MARK)
    if conflict:
        text = text[: -len(CONFLICT_MARK)].strip()
    estimate = text.startswith("(") and text.endswith(")")
    if estimate:
        text = text[1:-1].strip()
    return text, estimate, conflict


def parse_int(text: str) -> int:
    """Read a whole number printed with thousands commas ('1,680')."""
    cleaned = text.strip().replace(",", "")
    if not re.fullmatch(r"\d+", cleaned):
        raise TableError(f"not a whole number: {text!r}")
    return int(cleaned)


def parse_cell_number(text: str) -> float:
    """Read a table cell's decimal number as the report prints it (thousands commas, no sign);
    raise TableError otherwise: a bad cell is a content error. Student input goes through
    ``grading.parse_student_number`` instead."""
    cleaned = text.strip().replace(",", "")
    if not re.fullmatch(r"\d+(\.\d+)?", cleaned):
        raise TableError(f"not a number: {text!r}")
    return float(cleaned)


def parse_quantity(raw: str) -> Quantity:
    """Parse '(95)', '3-6 ^', 'Unknown' into a Quantity."""
    text, estimate, conflict = strip_marks(raw)
    if text == UNKNOWN:
        return Quantity(raw, None, None, estimate, conflict)
    low_text, sep, high_text = text.partition("-")
    low = parse_int(low_text)
    high = parse_int(high_text) if sep else low
    if high < low:
        raise TableError(f"quantity range runs backwards: {raw!r}")
    return Quantity(raw, low, high, estimate, conflict)


def parse_year(raw: str) -> YearSpan | None:
    """Parse '(2003) ^', '1996-97', '2002-2003'; None for an empty cell (no year recorded)."""
    text, estimate, conflict = strip_marks(raw)
    if not text:
        return None
    match = re.fullmatch(r"(\d{4})(?:-(\d{2}|\d{4}))?", text)
    if match is None:
        raise TableError(f"not a year or a range of years: {raw!r}")
    start = int(match.group(1))
    end = _expand_end(start, match.group(2)) if match.group(2) else start
    if end < start:
        raise TableError(f"year range runs backwards: {raw!r}")
    return YearSpan(raw, start, end, estimate, conflict)


def _expand_end(start: int, end: str) -> int:
    """Expand a two-digit end year against its start: (1996, '97') -> 1997, (1998, '05') -> 2005."""
    if len(end) == 4:
        return int(end)
    candidate = start // 100 * 100 + int(end)
    return candidate + 100 if candidate < start else candidate


def parse_percent(raw: str) -> Percent:
    """Parse '84.2' or the lower bound '>90' (also 'more than 90')."""
    text = raw.strip()
    bound = re.fullmatch(r"(?:>|more than)\s*(.+)", text)
    value = parse_cell_number(bound.group(1) if bound else text)
    return Percent(raw.strip(), value, lower_bound=bound is not None)


def parse_footnotes(raw: str) -> tuple[int, ...]:
    """Parse a footnote cell: blank, '4' or '2,4'."""
    return tuple(parse_int(part) for part in raw.replace(";", ",").split(",") if part.strip())


def parse_optional_int(raw: str) -> int | None:
    """Parse a month or day cell, blank when the report does not give it."""
    return parse_int(raw) if raw.strip() else None


# ------------------------------------------------------------------ tables


@dataclass(frozen=True)
class Column:
    """One column: its id in the TSV header, the printed label, unit and kind of value."""

    id: str
    label: str
    kind: str = "text"
    unit: str = ""


@dataclass(frozen=True)
class Row:
    """One printed row; ``cells`` maps column id to the cell text exactly as printed."""

    key: str
    label: str
    cells: Mapping[str, str] = field(hash=False)
    line: int = 0  # line in the TSV file, for messages


@dataclass(frozen=True)
class Table:
    """A data table of the report with its provenance."""

    id: str
    title: str
    topic: str
    section: str
    footnotes: tuple[int, ...]
    source: str
    notes: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    key_column: str = ""
    checks: tuple[Mapping[str, Any], ...] = field(default=(), hash=False)

    def row(self, key: str) -> Row:
        """Return the row whose key is ``key``; raise KeyError when there is none."""
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(f"{self.id}: no row {key!r}")

    def cell(self, row_key: str, column_id: str) -> str:
        """Return the raw printed text of one cell."""
        self.column(column_id)
        return self.row(row_key).cells[column_id]

    def column(self, column_id: str) -> Column:
        """Return the column ``column_id``; raise KeyError when there is none."""
        for column in self.columns:
            if column.id == column_id:
                return column
        raise KeyError(f"{self.id}: no column {column_id!r}")

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(row.key for row in self.rows)


def load_tables(directory: Path) -> dict[str, Table]:
    """Load every ``<id>.toml`` + ``<id>.tsv`` pair of ``directory``, keyed by table id."""
    return {path.stem: load_table(path) for path in sorted(directory.glob("*.toml"))}


def load_table(meta_path: Path) -> Table:
    """Load one table from its TOML provenance file and the TSV beside it."""
    with meta_path.open("rb") as handle:
        meta = tomllib.load(handle)
    columns = tuple(_column(meta_path, raw) for raw in meta.get("columns", ()))
    if not columns:
        raise TableError(f"{meta_path.name}: no [[columns]]")
    tsv = meta_path.with_suffix(".tsv")
    cells = _read_tsv(tsv, tuple(c.id for c in columns))
    key_parts = str(meta.get("key_column") or columns[0].id).split("+")
    kinds = {c.id: c.kind for c in columns}
    for part in key_parts:
        if part not in kinds:
            raise TableError(f"{meta_path.name}: key column {part!r} is not a column")
    label_format = str(meta.get("label_format") or "")
    rows = tuple(
        Row(
            key=_row_key(values, key_parts, kinds),
            label=_label(label_format, values, key_parts, kinds),
            cells=values,
            line=line,
        )
        for line, values in cells
    )
    return Table(
        id=meta_path.stem,
        title=_text(meta_path, meta, "title"),
        topic=_text(meta_path, meta, "topic"),
        section=str(meta.get("section") or ""),
        footnotes=tuple(int(n) for n in meta.get("footnotes", ())),
        source=_text(meta_path, meta, "source"),
        notes=str(meta.get("notes") or ""),
        columns=columns,
        rows=rows,
        key_column="+".join(key_parts),
        checks=tuple(meta.get("checks", ())),
    )


def _text(path: Path, meta: Mapping[str, Any], name: str) -> str:
    value = meta.get(name)
    if not isinstance(value, str) or not value.strip():
        raise TableError(f"{path.name}: {name!r} must be a non-empty string")
    return value


def _column(path: Path, raw: Mapping[str, Any]) -> Column:
    kind = str(raw.get("kind") or "text")
    if kind not in COLUMN_KINDS or not raw.get("id"):
        raise TableError(f"{path.name}: column {raw!r} needs an id and a known kind")
    return Column(
        str(raw["id"]), str(raw.get("label") or raw["id"]), kind, str(raw.get("unit", ""))
    )


def _read_tsv(path: Path, ids: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """Read the TSV; the header must list exactly the TOML's column ids, in order."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    if not lines or tuple(lines[0]) != ids:
        raise TableError(f"{path.name}: header {lines[:1]} is not the columns {list(ids)}")
    result = []
    for number, cells in enumerate(lines[1:], start=2):
        if not cells:
            continue
        if len(cells) != len(ids):
            raise TableError(f"{path.name}:{number}: {len(cells)} cells, expected {len(ids)}")
        result.append((number, dict(zip(ids, cells, strict=True))))
    return result


def _key_part(value: str, kind: str) -> str:
    """Return a key part: years without their marks, so '(2003) ^' keys as '2003'."""
    if kind in ("year", "year_range"):
        try:
            span = parse_year(value)
        except TableError:
            return value.strip()
        return str(span.start) if span else ""
    return value.strip()


def _row_key(values: Mapping[str, str], parts: list[str], kinds: Mapping[str, str]) -> str:
    return "|".join(_key_part(values[p], kinds[p]) for p in parts)


def _label(fmt: str, values: Mapping[str, str], parts: list[str], kinds: Mapping[str, str]) -> str:
    if not fmt:
        return _row_key(values, parts, kinds)
    clean = {cid: _key_part(text, kinds[cid]) for cid, text in values.items()}
    return fmt.format(**clean)


# ------------------------------------------------------------------ typed views


@dataclass(frozen=True)
class OilYear:
    """One year of Chinese crude-oil imports from Russia."""

    key: str
    year: int
    shipments: float  # million tons
    share: float  # percent of China's oil imports
    shipments_text: str
    share_text: str

    @property
    def implied_total(self) -> float:
        """Return China's total crude imports (million tons) implied by shipments and share."""
        return self.shipments / self.share * 100


@dataclass(frozen=True)
class ArmsTransfer:
    """One row of Table 1."""

    key: str
    label: str
    quantity: Quantity
    designation: str
    description: str
    order: YearSpan
    delivery: YearSpan | None

    @property
    def delivered(self) -> bool:
        """Return whether a delivery was recorded when the data were compiled."""
        return self.delivery is not None

    @property
    def estimate(self) -> bool:
        return self.quantity.estimate or self.order.estimate

    @property
    def conflict(self) -> bool:
        return self.quantity.conflict or self.order.conflict


@dataclass(frozen=True)
class IslandDivision:
    """How the islands of one border river were divided (footnote 4)."""

    key: str
    river: str
    total: int
    russia: int
    china: int


@dataclass(frozen=True)
class TradeReport:
    """One country's statistics of 2006 China-Russia trade (footnote 5), in billion US$."""

    key: str
    reporter: str
    china_exports: float
    china_imports: float

    @property
    def total(self) -> float:
        return self.china_exports + self.china_imports

    @property
    def russian_surplus(self) -> float:
        return self.china_imports - self.china_exports


@dataclass(frozen=True)
class ExportShare:
    """Commodities' share of Russia's exports to China in one period (footnote 6)."""

    key: str
    period: str
    share: Percent

    @property
    def label(self) -> str:
        return period_label(self.period)


class PartialDate(NamedTuple):
    """A date as precisely as the report gives it: the month and day may be unknown."""

    year: int
    month: int | None = None
    day: int | None = None


def certainly_before(a: PartialDate, b: PartialDate) -> bool:
    """Return whether ``a`` is certainly earlier than ``b``: an unknown month or day (or a day
    whose month is unknown) compares with nothing, so March 2007 is not before 2007."""
    if a.year != b.year:
        return a.year < b.year
    if a.month is None or b.month is None:
        return False
    if a.month != b.month:
        return a.month < b.month
    return a.day is not None and b.day is not None and a.day < b.day


@dataclass(frozen=True)
class TimelineEntry:
    """One dated event of the report."""

    key: str
    year: int
    month: int | None
    day: int | None
    event: str
    topic: str
    footnotes: tuple[int, ...]

    @property
    def date(self) -> PartialDate:
        """The event's date, as precisely as the report gives it."""
        return PartialDate(self.year, self.month, self.day)

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)


def period_label(period: str) -> str:
    """Spell a period key: '2006H1' -> 'the first half of 2006'."""
    match = re.fullmatch(r"(\d{4})H([12])", period)
    if match:
        half = "first" if match.group(2) == "1" else "second"
        return f"the {half} half of {match.group(1)}"
    return period


def oil_imports(tables: Mapping[str, Table]) -> list[OilYear]:
    """Return the crude-oil table as typed rows, in printed order."""
    return [
        OilYear(
            row.key,
            parse_int(row.cells["year"]),
            parse_cell_number(row.cells["shipments"]),
            parse_cell_number(row.cells["share"]),
            row.cells["shipments"].strip(),
            row.cells["share"].strip(),
        )
        for row in tables["crude_oil_imports"].rows
    ]


def arms_transfers(tables: Mapping[str, Table]) -> list[ArmsTransfer]:
    """Return Table 1 as typed rows, in printed order."""
    result = []
    for row in tables["arms_transfers"].rows:
        order = parse_year(row.cells["order_year"])
        if order is None:
            raise TableError(f"arms_transfers:{row.line}: the order year is empty")
        result.append(
            ArmsTransfer(
                row.key,
                row.label,
                parse_quantity(row.cells["quantity"]),
                row.cells["designation"].strip(),
                row.cells["description"].strip(),
                order,
                parse_year(row.cells["delivery_year"]),
            )
        )
    return result


def border_islands(tables: Mapping[str, Table]) -> list[IslandDivision]:
    """Return footnote 4's island division as typed rows."""
    return [
        IslandDivision(
            row.key,
            row.cells["river"].strip(),
            parse_int(row.cells["total"]),
            parse_int(row.cells["russia"]),
            parse_int(row.cells["china"]),
        )
        for row in tables["border_islands"].rows
    ]


def trade_reports(tables: Mapping[str, Table]) -> list[TradeReport]:
    """Return footnote 5's two sets of 2006 trade statistics."""
    return [
        TradeReport(
            row.key,
            row.cells["reporter"].strip(),
            parse_cell_number(row.cells["china_exports"]),
            parse_cell_number(row.cells["china_imports"]),
        )
        for row in tables["trade_2006"].rows
    ]


def export_shares(tables: Mapping[str, Table]) -> list[ExportShare]:
    """Return footnote 6's commodity shares, the last one a lower bound."""
    return [
        ExportShare(row.key, row.cells["period"].strip(), parse_percent(row.cells["share"]))
        for row in tables["export_commodities"].rows
    ]


def timeline_entries(tables: Mapping[str, Table]) -> list[TimelineEntry]:
    """Return the timeline's events, in the table's (chronological) order."""
    return [
        TimelineEntry(
            key=row.key,
            year=parse_int(row.cells["year"]),
            month=parse_optional_int(row.cells["month"]),
            day=parse_optional_int(row.cells["day"]),
            event=row.cells["event"].strip(),
            topic=row.cells["section"].strip(),
            footnotes=parse_footnotes(row.cells["footnote"]),
        )
        for row in tables["timeline"].rows
    ]


# ------------------------------------------------------------------ validation


@dataclass(frozen=True)
class TableWarning:
    """Something in a table that does not check out; shown to instructors, never 'fixed'."""

    table: str
    row: str  # row key, or "" for the whole table
    rule: str
    message: str


def validate_tables(tables: Mapping[str, Table]) -> list[TableWarning]:
    """Check every table: types, units, ranges, duplicate keys, sums and the text's claims."""
    warnings: list[TableWarning] = []
    for table in tables.values():
        warnings.extend(validate_table(table))
    return warnings


def validate_table(table: Table) -> list[TableWarning]:
    """Check one table; an empty list means it is clean."""
    warnings = _check_provenance(table) + _check_duplicates(table)
    for row in table.rows:
        for column in table.columns:
            warnings.extend(_check_cell(table, row, column))
    for check in table.checks:
        rule = str(check.get("rule"))
        runner = _CHECKS.get(rule)
        if runner is None:
            warnings.append(TableWarning(table.id, "", "check", f"unknown check rule {rule!r}"))
            continue
        warnings.extend(runner(table, check))
    return warnings


def _check_provenance(table: Table) -> list[TableWarning]:
    warnings = []
    if table.topic not in TOPICS:
        warnings.append(TableWarning(table.id, "", "topic", f"unknown topic {table.topic!r}"))
    for number in table.footnotes:
        if not 1 <= number <= FOOTNOTE_COUNT:
            warnings.append(TableWarning(table.id, "", "footnote", f"no footnote {number}"))
    for column in table.columns:
        numeric = column.kind in ("quantity", "number", "count", "percent")
        if numeric and not column.unit:
            msg = f"column {column.id!r} holds numbers but has no unit"
            warnings.append(TableWarning(table.id, "", "unit", msg))
        if column.kind == "percent" and column.unit != "%":
            msg = f"column {column.id!r} holds percentages but its unit is {column.unit!r}"
            warnings.append(TableWarning(table.id, "", "unit", msg))
    return warnings


def _check_duplicates(table: Table) -> list[TableWarning]:
    counts = Counter(table.keys)
    return [
        TableWarning(table.id, key, "duplicate_key", f"row key {key!r} appears {n} times")
        for key, n in counts.items()
        if n > 1
    ]


def _check_cell(table: Table, row: Row, column: Column) -> list[TableWarning]:
    raw = row.cells[column.id]
    try:
        problem = _CELL_CHECKS.get(column.kind, _no_problem)(raw)
    except TableError as exc:
        return [TableWarning(table.id, row.key, "type", f"{column.id}: {exc}")]
    if problem:
        return [TableWarning(table.id, row.key, "range", f"{column.id}: {problem}")]
    return []


def _no_problem(raw: str) -> str:
    return ""


def _year_problem(span: YearSpan | None) -> str:
    low, high = PLAUSIBLE_YEARS
    if span is not None and not (low <= span.start and span.end <= high):
        return f"{span.raw!r} is outside {low}-{high}"
    return ""


def _single_year_problem(raw: str) -> str:
    span = parse_year(raw)
    if span is None:
        return "the year is empty"
    if span.is_range:
        return f"{raw!r} is a range where one year is expected"
    return _year_problem(span)


def _percent_problem(raw: str) -> str:
    value = parse_percent(raw).value
    return "" if 0 <= value <= 100 else f"{value} is not a share between 0 and 100"


def _between(low: int, high: int) -> Callable[[str], str]:
    def check(raw: str) -> str:
        value = parse_optional_int(raw)
        ok = value is None or low <= value <= high
        return "" if ok else f"{value} is not between {low} and {high}"

    return check


def _topic_problem(raw: str) -> str:
    return "" if raw.strip() in TOPICS else f"unknown topic {raw!r}"


def _footnote_problem(raw: str) -> str:
    bad = [n for n in parse_footnotes(raw) if not 1 <= n <= FOOTNOTE_COUNT]
    return f"no footnote {bad[0]}" if bad else ""


def _text_problem(raw: str) -> str:
    return "" if raw.strip() else "the cell is empty"


def _period_problem(raw: str) -> str:
    if not re.fullmatch(r"\d{4}(H[12])?", raw.strip()):
        raise TableError(f"not a period (YYYY or YYYYH1): {raw!r}")
    return ""


_CELL_CHECKS: dict[str, Callable[[str], str]] = {
    "text": _text_problem,
    "topic": _topic_problem,
    "year": _single_year_problem,
    "year_range": lambda raw: _year_problem(parse_year(raw)),
    "quantity": lambda raw: (parse_quantity(raw), "")[1],
    "number": lambda raw: (parse_cell_number(raw), "")[1],
    "count": lambda raw: (parse_int(raw), "")[1],
    "percent": _percent_problem,
    "period": _period_problem,
    "month": _between(1, 12),
    "day": _between(1, 31),
    "footnote": _footnote_problem,
}


def _numbers(table: Table, row: Row, columns: Iterable[str]) -> list[float] | None:
    """Return the numeric values of ``columns`` in ``row``; None when one is not a number."""
    try:
        return [parse_cell_number(row.cells[c]) for c in columns]
    except TableError:
        return None


def _check_sum(table: Table, check: Mapping[str, Any]) -> list[TableWarning]:
    """Parts (e.g. islands to Russia and to China) should add up to the stated total."""
    parts, total = list(check["parts"]), str(check["total"])
    warnings = []
    for row in table.rows:
        values = _numbers(table, row, [*parts, total])
        if values is None:
            continue
        stated, added = values[-1], sum(values[:-1])
        if abs(stated - added) > 1e-9:
            shown = " + ".join(row.cells[p].strip() for p in parts)
            msg = (
                f"{shown} = {fmt(added)}, not the printed {total} {row.cells[total].strip()} "
                f"(a difference of {fmt(stated - added)}); kept as printed"
            )
            warnings.append(TableWarning(table.id, row.key, "sum", msg))
    return warnings


def _check_not_before(table: Table, check: Mapping[str, Any]) -> list[TableWarning]:
    """A delivery should not start before its order."""
    later, earlier = str(check["column"]), str(check["after"])
    warnings = []
    for row in table.rows:
        try:
            end, start = parse_year(row.cells[later]), parse_year(row.cells[earlier])
        except TableError:
            continue
        if end is not None and start is not None and end.start < start.start:
            msg = f"{later} {end.raw!r} starts before {earlier} {start.raw!r}"
            warnings.append(TableWarning(table.id, row.key, "order", msg))
    return warnings


def _check_text_value(table: Table, check: Mapping[str, Any]) -> list[TableWarning]:
    """A cell should agree with what the report's text says about it."""
    key, column = str(check["row"]), str(check["column"])
    try:
        value = parse_cell_number(table.cell(key, column))
    except (KeyError, TableError) as exc:
        return [TableWarning(table.id, key, "text", f"cannot check {column}: {exc}")]
    if value > float(check["at_least"]):
        return []
    msg = f"{column} {fmt(value)} does not match the text: {check['quote']!r}"
    return [TableWarning(table.id, key, "text", msg)]


def _check_text_total(table: Table, check: Mapping[str, Any]) -> list[TableWarning]:
    """Each row's columns should add up to at least the total the text states."""
    warnings = []
    for row in table.rows:
        values = _numbers(table, row, check["columns"])
        if values is not None and sum(values) <= float(check["at_least"]):
            msg = f"these figures add up to {fmt(sum(values))}, not the text's {check['quote']!r}"
            warnings.append(TableWarning(table.id, row.key, "text", msg))
    return warnings


def _check_text_difference(table: Table, check: Mapping[str, Any]) -> list[TableWarning]:
    """Each row's difference should be about what the text states."""
    warnings = []
    for row in table.rows:
        values = _numbers(table, row, [check["minuend"], check["subtrahend"]])
        if values is None:
            continue
        difference = values[0] - values[1]
        if abs(difference - float(check["about"])) > float(check["tolerance"]):
            msg = f"the difference is {fmt(difference)}, not the text's {check['quote']!r}"
            warnings.append(TableWarning(table.id, row.key, "text", msg))
    return warnings


def _check_chronological(table: Table, check: Mapping[str, Any]) -> list[TableWarning]:
    """Rows should run oldest first; a blank month or day compares with nothing."""
    year_col, month_col, day_col = check["columns"]
    warnings = []
    last: PartialDate | None = None
    for row in table.rows:
        try:
            date = PartialDate(
                parse_int(row.cells[year_col]),
                parse_optional_int(row.cells[month_col]),
                parse_optional_int(row.cells[day_col]),
            )
        except TableError:
            continue
        if last is not None and certainly_before(date, last):
            msg = f"{date.year}-{date.month or '?'}-{date.day or '?'} is listed after a later date"
            warnings.append(TableWarning(table.id, row.key, "chronology", msg))
        last = date if last is None or date.month is not None or date.year != last.year else last
    return warnings


_CHECKS: dict[str, Callable[[Table, Mapping[str, Any]], list[TableWarning]]] = {
    "sum": _check_sum,
    "not_before": _check_not_before,
    "text_value": _check_text_value,
    "text_total": _check_text_total,
    "text_difference": _check_text_difference,
    "chronological": _check_chronological,
}
