"""The report's data tables: cells kept as printed, the notation parsed, the data validated.

Each table is ``question_bank/tables/<id>.tsv`` (cells exactly as printed, a header row of column
ids) with ``<id>.toml`` beside it (title, topic, provenance, columns).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

NOTATION: dict[str, str] = {
    "( )": "A figure in parentheses is a SIPRI estimate.",
    "^": "SIPRI's data conflict with the IISS Military Balance for this entry.",
    "Unknown": "The number ordered is not known.",
    "3-6": "A range: between 3 and 6 were ordered (the exact number is not known).",
    "1996-97": "A delivery period written with two-digit end years: 1996 to 1997.",
    "(empty delivery)": "No delivery year: not (yet) delivered when the data were compiled.",
}


class TableError(ValueError):
    """A table file that cannot be read; the message names the file and the problem."""


@dataclass(frozen=True)
class Column:
    id: str
    label: str
    kind: str = "text"
    unit: str = ""


@dataclass(frozen=True)
class Row:
    key: str
    cells: dict[str, str]
    line: int


@dataclass(frozen=True)
class Table:
    """One table as printed, with where it comes from."""

    id: str
    title: str
    topic: str
    section: str
    source: str
    notes: str
    footnotes: tuple[int, ...]
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]

    def row(self, key: str) -> Row:
        """Return the row with ``key``; KeyError when there is none."""
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(f"{self.id}: no row {key!r}")

    def cell(self, row_key: str, column_id: str) -> str:
        """Return the raw printed text of one cell."""
        return self.row(row_key).cells[column_id]

    def column(self, column_id: str) -> Column:
        return next(c for c in self.columns if c.id == column_id)


# --- notation ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Quantity:
    """A number ordered: exact, a range, or unknown; maybe an estimate or a source conflict."""

    raw: str
    low: int | None
    high: int | None
    estimate: bool = False
    conflict: bool = False

    @property
    def unknown(self) -> bool:
        return self.low is None

    @property
    def is_range(self) -> bool:
        return self.low is not None and self.high != self.low


@dataclass(frozen=True)
class YearSpan:
    """A year or a span of years as printed (``1996-97`` is 1996 to 1997)."""

    raw: str
    start: int
    end: int
    estimate: bool = False
    conflict: bool = False

    @property
    def is_range(self) -> bool:
        return self.end != self.start


_MARKS = re.compile(r"\s*\^\s*$")
_RANGE = re.compile(r"^(\d+)\s*-\s*(\d+)$")


def _strip_marks(raw: str) -> tuple[str, bool, bool]:
    """Remove the ^ conflict mark and the estimate parentheses; report which were there."""
    text = raw.strip()
    conflict = bool(_MARKS.search(text))
    text = _MARKS.sub("", text).strip()
    estimate = text.startswith("(") and text.endswith(")")
    if estimate:
        text = text[1:-1].strip()
    return text, estimate, conflict


def parse_quantity(raw: str) -> Quantity:
    """Parse a 'No. ordered' cell: ``8``, ``(95)``, ``3-6 ^``, ``8-10 ^``, ``Unknown``."""
    text, estimate, conflict = _strip_marks(raw)
    if text.lower() == "unknown":
        return Quantity(raw, None, None, estimate, conflict)
    match = _RANGE.match(text)
    if match:
        low, high = int(match.group(1)), int(match.group(2))
        if high < low:
            raise ValueError(f"quantity range {raw!r} runs backwards")
        return Quantity(raw, low, high, estimate, conflict)
    if not text.replace(",", "").isdigit():
        raise ValueError(f"not a quantity: {raw!r}")
    value = int(text.replace(",", ""))
    return Quantity(raw, value, value, estimate, conflict)


def parse_years(raw: str) -> YearSpan | None:
    """Parse a year cell: ``1995``, ``(2003) ^``, ``1996-97``, ``2002-2003``; empty → None."""
    if not raw.strip():
        return None
    text, estimate, conflict = _strip_marks(raw)
    match = _RANGE.match(text)
    if match:
        start_text, end_text = match.groups()
        start = int(start_text)
        if len(end_text) == 2:  # two-digit end year: same century as the start
            end = start - start % 100 + int(end_text)
            if end < start:
                end += 100
        else:
            end = int(end_text)
        if end < start:
            raise ValueError(f"year range {raw!r} runs backwards")
        return YearSpan(raw, start, end, estimate, conflict)
    if not (text.isdigit() and len(text) == 4):
        raise ValueError(f"not a year: {raw!r}")
    return YearSpan(raw, int(text), int(text), estimate, conflict)


def parse_number(raw: str) -> float:
    """Parse a printed number such as ``1,680`` or ``10.08``."""
    return float(raw.replace(",", "").strip())


def decimals(raw: str) -> int:
    """Count the decimals a number was printed with (so answers keep the report's precision)."""
    text = raw.strip().lstrip(">")
    return len(text.split(".")[1]) if "." in text else 0


# --- loading ----------------------------------------------------------------------------------


def _row_key(table_id: str, spec: str, cells: dict[str, str]) -> str:
    if "+" in spec:  # designation + order year: a designation alone repeats
        name_col, year_col = spec.split("+")
        years = parse_years(cells[year_col])
        return f"{cells[name_col]} {years.start if years else ''}".strip()
    return cells[spec]


def load_table(meta_path: Path) -> Table:
    """Read one table: ``<id>.toml`` for its provenance and ``<id>.tsv`` for its cells."""
    table_id = meta_path.stem
    try:
        meta: dict[str, Any] = tomllib.loads(meta_path.read_text(encoding="utf-8"))
        columns = tuple(
            Column(c["id"], c["label"], c.get("kind", "text"), c.get("unit", ""))
            for c in meta["columns"]
        )
        lines = meta_path.with_suffix(".tsv").read_text(encoding="utf-8").splitlines()
    except (OSError, KeyError, TypeError, tomllib.TOMLDecodeError) as exc:
        raise TableError(f"{meta_path.name}: cannot read the table ({exc})") from exc
    header = lines[0].split("\t") if lines else []
    if header != [c.id for c in columns]:
        raise TableError(f"{table_id}.tsv: header {header} does not match the columns")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) != len(columns):
            raise TableError(
                f"{table_id}.tsv line {number}: {len(cells)} cells, expected {len(columns)}"
            )
        values = dict(zip(header, cells, strict=True))
        try:
            key = _row_key(table_id, meta["key_column"], values)
        except ValueError as exc:
            raise TableError(f"{table_id}.tsv line {number}: {exc}") from exc
        rows.append(Row(key, values, number))
    return Table(
        id=table_id,
        title=meta["title"],
        topic=meta["topic"],
        section=meta.get("section", ""),
        source=meta.get("source", ""),
        notes=meta.get("notes", ""),
        footnotes=tuple(meta.get("footnotes", ())),
        columns=columns,
        rows=tuple(rows),
    )


def load_tables(directory: Path) -> dict[str, Table]:
    """Read every table in ``directory``, keyed by table id."""
    return {path.stem: load_table(path) for path in sorted(directory.glob("*.toml"))}


# --- typed views ------------------------------------------------------------------------------


@dataclass(frozen=True)
class OilYear:
    key: str
    year: int
    shipments: float  # million tons
    share: float  # percent of China's oil imports


def oil_imports(tables: dict[str, Table]) -> list[OilYear]:
    """Return the crude-oil rows, oldest year first."""
    rows = [
        OilYear(
            r.key,
            int(r.cells["year"]),
            parse_number(r.cells["shipments"]),
            parse_number(r.cells["share"]),
        )
        for r in tables["crude_oil_imports"].rows
    ]
    return sorted(rows, key=lambda r: r.year)


@dataclass(frozen=True)
class ArmsTransfer:
    key: str
    quantity: Quantity
    designation: str
    description: str
    ordered: YearSpan
    delivered: YearSpan | None  # None: not delivered when the data were compiled

    @property
    def estimate(self) -> bool:
        return self.quantity.estimate or self.ordered.estimate

    @property
    def conflict(self) -> bool:
        return self.quantity.conflict or self.ordered.conflict


def arms_transfers(tables: dict[str, Table]) -> list[ArmsTransfer]:
    """Return Table 1's rows in printed order, notation parsed."""
    result = []
    for r in tables["arms_transfers"].rows:
        ordered = parse_years(r.cells["order_year"])
        assert ordered is not None, r.key
        result.append(
            ArmsTransfer(
                r.key,
                parse_quantity(r.cells["quantity"]),
                r.cells["designation"],
                r.cells["description"],
                ordered,
                parse_years(r.cells["delivery_year"]),
            )
        )
    return result


@dataclass(frozen=True)
class IslandSplit:
    key: str
    river: str
    total: int
    russia: int
    china: int


def border_islands(tables: dict[str, Table]) -> list[IslandSplit]:
    """Return footnote 4's division of islands by river."""
    return [
        IslandSplit(
            r.key,
            r.cells["river"],
            int(parse_number(r.cells["total"])),
            int(parse_number(r.cells["russia"])),
            int(parse_number(r.cells["china"])),
        )
        for r in tables["border_islands"].rows
    ]


@dataclass(frozen=True)
class TradeReport:
    key: str
    reporter: str  # whose statistics
    china_exports: float  # billion US$
    china_imports: float

    @property
    def total(self) -> float:
        return round(self.china_exports + self.china_imports, 2)

    @property
    def russian_surplus(self) -> float:
        return round(self.china_imports - self.china_exports, 2)


def trade_2006(tables: dict[str, Table]) -> list[TradeReport]:
    """Return footnote 5's 2006 trade as reported by each country."""
    return [
        TradeReport(
            r.key,
            r.cells["reporter"],
            parse_number(r.cells["china_exports"]),
            parse_number(r.cells["china_imports"]),
        )
        for r in tables["trade_2006"].rows
    ]


@dataclass(frozen=True)
class CommodityShare:
    key: str
    period: str
    share: float
    lower_bound: bool  # printed as ">90": only "more than" is known

    @property
    def label(self) -> str:
        return "the first half of 2006" if self.period == "2006H1" else self.period


def export_commodities(tables: dict[str, Table]) -> list[CommodityShare]:
    """Return the commodity share of Russia's exports to China by period."""
    result = []
    for r in tables["export_commodities"].rows:
        raw = r.cells["share"].strip()
        result.append(
            CommodityShare(
                r.key, r.cells["period"], parse_number(raw.lstrip(">")), raw.startswith(">")
            )
        )
    return result


@dataclass(frozen=True)
class TimelineEntry:
    key: str
    year: int
    month: int | None
    day: int | None
    event: str
    topic: str
    footnotes: tuple[int, ...] = field(default=())

    @property
    def sort_key(self) -> tuple[int, int, int]:
        return (self.year, self.month or 0, self.day or 0)


def timeline_entries(tables: dict[str, Table]) -> list[TimelineEntry]:
    """Return the dated events, oldest first."""
    entries = [
        TimelineEntry(
            r.key,
            int(r.cells["year"]),
            int(r.cells["month"]) if r.cells["month"] else None,
            int(r.cells["day"]) if r.cells["day"] else None,
            r.cells["event"],
            r.cells["section"],
            tuple(int(f) for f in r.cells["footnote"].split(",") if f.strip()),
        )
        for r in tables["timeline"].rows
    ]
    return sorted(entries, key=lambda e: e.sort_key)


# --- validation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableWarning:
    """A check the data fail; shown to instructors and in the CLI, never silently fixed."""

    table: str
    row: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.table} [{self.row}] {self.rule}: {self.message}"


def validate_tables(tables: dict[str, Table]) -> list[TableWarning]:
    """Check types, ranges, duplicate keys and parts that should add up to their total."""
    warnings: list[TableWarning] = []
    for table in tables.values():
        warnings += _duplicate_keys(table)
        warnings += _cell_types(table)
    if not any(w.rule == "type" for w in warnings):
        warnings += _domain_checks(tables)
    return warnings


def _duplicate_keys(table: Table) -> list[TableWarning]:
    seen: set[str] = set()
    result = []
    for row in table.rows:
        if row.key in seen:
            result.append(
                TableWarning(table.id, row.key, "duplicate-key", "two rows share this key")
            )
        seen.add(row.key)
    return result


_PARSERS = {
    "number": parse_number,
    "percent": parse_number,
    "count": parse_number,
    "quantity": parse_quantity,
    "year": lambda raw: parse_years(raw) or 0,
    "year_range": lambda raw: parse_years(raw),
    "percent_bound": lambda raw: parse_number(raw.lstrip(">")),
    "month": lambda raw: raw and (1 <= int(raw) <= 12 or int("x")),
    "day": lambda raw: raw and (1 <= int(raw) <= 31 or int("x")),
}


def _cell_types(table: Table) -> list[TableWarning]:
    result = []
    for row in table.rows:
        for column in table.columns:
            parser = _PARSERS.get(column.kind)
            if parser is None:
                continue
            try:
                parser(row.cells[column.id])
            except ValueError as exc:
                result.append(TableWarning(table.id, row.key, "type", f"{column.label}: {exc}"))
    return result


def _domain_checks(tables: dict[str, Table]) -> list[TableWarning]:
    result: list[TableWarning] = []
    for oil in oil_imports(tables):
        if not 0 <= oil.share <= 100:
            result.append(
                TableWarning(
                    "crude_oil_imports", oil.key, "range", f"share {oil.share}% is outside 0–100"
                )
            )
        if oil.shipments < 0:
            result.append(TableWarning("crude_oil_imports", oil.key, "range", "negative shipments"))
    for arms in arms_transfers(tables):
        if arms.delivered is not None and arms.delivered.start < arms.ordered.start:
            result.append(
                TableWarning(
                    "arms_transfers",
                    arms.key,
                    "delivery-before-order",
                    f"delivered {arms.delivered.raw} before the order {arms.ordered.raw}",
                )
            )
        if not 1995 <= arms.ordered.start <= 2005:
            result.append(
                TableWarning(
                    "arms_transfers",
                    arms.key,
                    "outside-title-years",
                    f"ordered {arms.ordered.raw}, outside the title's 1995–2005",
                )
            )
    for split in border_islands(tables):
        if split.russia + split.china != split.total:
            result.append(
                TableWarning(
                    "border_islands",
                    split.key,
                    "parts-sum-to-total",
                    f"{split.russia:,} to Russia + {split.china:,} to China = "
                    f"{split.russia + split.china:,}, but the total is {split.total:,}",
                )
            )
    for share in export_commodities(tables):
        if not 0 <= share.share <= 100:
            result.append(
                TableWarning(
                    "export_commodities",
                    share.key,
                    "range",
                    f"share {share.share}% is outside 0–100",
                )
            )
    for report in trade_2006(tables):
        if report.total <= 0:
            result.append(TableWarning("trade_2006", report.key, "range", "no trade"))
    return result
