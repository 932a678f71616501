"""The data tables: the notation parser, loading, typed views and validation warnings."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from sinorus_learn.domain import tables as t
from sinorus_learn.domain.grading import parse_student_number

BANK_TABLES = Path(__file__).resolve().parents[2] / "question_bank" / "tables"


@pytest.fixture(scope="module")
def loaded() -> dict[str, t.Table]:
    return t.load_tables(BANK_TABLES)


# ------------------------------------------------------------------ parser


@pytest.mark.parametrize(
    ("raw", "low", "high", "estimate", "conflict"),
    [
        ("8", 8, 8, False, False),
        ("(95)", 95, 95, True, False),
        ("3-6 ^", 3, 6, False, True),
        ("8-10 ^", 8, 10, False, True),
        ("Unknown", None, None, False, False),
        ("1,680", 1680, 1680, False, False),
    ],
)
def test_parse_quantity(
    raw: str, low: int | None, high: int | None, estimate: bool, conflict: bool
):
    q = t.parse_quantity(raw)
    assert (q.low, q.high, q.estimate, q.conflict) == (low, high, estimate, conflict)
    assert q.known is (low is not None)
    assert q.is_range is (low is not None and low != high)


def test_quantity_text_drops_marks():
    assert t.parse_quantity("3-6 ^").text == "3-6"
    assert t.parse_quantity("(95)").text == "95"
    assert t.parse_quantity("Unknown").text == "Unknown"


@pytest.mark.parametrize(
    ("raw", "start", "end", "estimate", "conflict"),
    [
        ("1998", 1998, 1998, False, False),
        ("(1996)", 1996, 1996, True, False),
        ("(2003) ^", 2003, 2003, True, True),
        ("1996-97", 1996, 1997, False, False),
        ("1993-97", 1993, 1997, False, False),
        ("1997-99", 1997, 1999, False, False),
        ("2002-2003", 2002, 2003, False, False),
        ("1998-2005", 1998, 2005, False, False),
        ("1999-05", 1999, 2005, False, False),  # a two-digit end crossing the century
    ],
)
def test_parse_year(raw: str, start: int, end: int, estimate: bool, conflict: bool):
    span = t.parse_year(raw)
    assert span is not None
    assert (span.start, span.end, span.estimate, span.conflict) == (start, end, estimate, conflict)
    assert span.is_range is (start != end)


def test_empty_delivery_means_not_delivered():
    assert t.parse_year("") is None
    assert t.parse_year("   ") is None


@pytest.mark.parametrize("raw", ["19x6", "1996-9", "2003-2001", "(1996", "soon"])
def test_parse_year_rejects_garbage(raw: str):
    with pytest.raises(t.TableError):
        t.parse_year(raw)


@pytest.mark.parametrize("raw", ["", "many", "6-3", "-4", "3.5"])
def test_parse_quantity_rejects_garbage(raw: str):
    with pytest.raises(t.TableError):
        t.parse_quantity(raw)


def test_parse_percent_exact_and_lower_bound():
    exact = t.parse_percent("84.2")
    assert (exact.value, exact.lower_bound, exact.text) == (84.2, False, "84.2%")
    bound = t.parse_percent(">90")
    assert (bound.value, bound.lower_bound, bound.text) == (90.0, True, "more than 90%")
    assert t.parse_percent("more than 90").lower_bound


def test_numbers_footnotes_and_periods():
    assert t.parse_cell_number("15.8") == 15.8
    assert t.parse_int("1,680") == 1680
    assert t.parse_footnotes("") == ()
    assert t.parse_footnotes("2, 4") == (2, 4)
    assert t.parse_optional_int("") is None
    assert t.period_label("2006H1") == "the first half of 2006"
    assert t.period_label("2005") == "2005"


def test_notation_explains_every_mark():
    for mark in ("( )", "^", "Unknown", "3-6", "1996-97", "(blank delivery)"):
        assert t.NOTATION[mark]
    assert "estimate" in t.NOTATION["( )"]
    assert "IISS" in t.NOTATION["^"]


# ------------------------------------------------------------------ loading and typed views


def test_all_six_tables_load_with_provenance(loaded: dict[str, t.Table]):
    assert set(loaded) == {
        "crude_oil_imports",
        "arms_transfers",
        "border_islands",
        "trade_2006",
        "export_commodities",
        "timeline",
    }
    for table in loaded.values():
        assert table.title and table.source and table.columns and table.rows
    assert loaded["border_islands"].footnotes == (4,)
    assert loaded["trade_2006"].footnotes == (5,)
    assert loaded["export_commodities"].footnotes == (6,)
    assert "UN Comtrade" in loaded["crude_oil_imports"].source


def test_table1_has_54_rows_with_unique_stable_keys(loaded: dict[str, t.Table]):
    table = loaded["arms_transfers"]
    assert len(table.rows) == 54
    assert len(set(table.keys)) == 54
    assert table.row("Su-27SK/Flanker-B|1996").cells["quantity"] == "(95)"
    assert table.cell("A-50U/Mainstay|2003", "order_year") == "(2003) ^"
    mi8 = [k for k in table.keys if k.startswith("Mi-8/")]
    assert mi8 == [
        "Mi-8/Mi-17/Hip-H|1995",
        "Mi-8/Mi-17/Hip-H|2001",
        "Mi-8/Mi-17/Hip-H|1998",
        "Mi-8/Mi-17/Hip-H|2005",
    ]


def test_cell_and_row_raise_on_unknown_names(loaded: dict[str, t.Table]):
    with pytest.raises(KeyError):
        loaded["crude_oil_imports"].row("1998")
    with pytest.raises(KeyError):
        loaded["crude_oil_imports"].cell("2005", "price")


def test_typed_views(loaded: dict[str, t.Table]):
    oil = {r.year: r for r in t.oil_imports(loaded)}
    assert (oil[2005].shipments, oil[2005].share) == (12.8, 10.08)
    assert oil[2006].implied_total == pytest.approx(158.0)
    arms = {r.key: r for r in t.arms_transfers(loaded)}
    kilo = arms["Type-636E/Kilo Class|2002"]
    assert (kilo.quantity.low, kilo.quantity.high, kilo.conflict) == (8, 10, True)
    assert not arms["Mi-8/Mi-17/Hip-H|2005"].delivered
    assert arms["Su-27SK/Flanker-B|1995"].delivery == t.YearSpan("1996-97", 1996, 1997)
    amur = {r.river: r for r in t.border_islands(loaded)}["Amur"]
    assert (amur.total, amur.russia, amur.china) == (1680, 708, 902)
    trade = {r.reporter: r for r in t.trade_reports(loaded)}
    assert trade["Russia"].total == pytest.approx(33.40)
    assert trade["China"].russian_surplus == pytest.approx(1.85)
    shares = t.export_shares(loaded)
    assert [s.share.raw for s in shares] == ["84.2", "88.7", ">90"]
    assert shares[-1].share.lower_bound
    events = t.timeline_entries(loaded)
    assert 30 <= len(events) <= 50
    assert len({e.key for e in events}) == len(events)


def test_timeline_dates_are_the_reports(loaded: dict[str, t.Table]):
    events = {e.key: e for e in t.timeline_entries(loaded)}
    expected = {
        "nerchinsk": (1689, None, None),
        "treaty-1950": (1950, None, None),
        "aid-withdrawn": (1960, None, None),
        "nixon-opening": (1972, None, None),
        "us-normalisation": (1979, None, None),
        "gorbachev-visit": (1989, 5, None),
        "tiananmen": (1989, 6, 4),
        "border-agreement-1991": (1991, 5, None),
        "ussr-collapse": (1991, 12, 25),
        "constructive-partnership": (1994, None, None),
        "strategic-partnership": (1996, None, None),
        "shanghai-five": (1996, None, None),
        "force-reductions": (1997, None, None),
        "border-resolved": (1998, 11, None),
        "sco-founded": (2001, 6, None),
        "good-neighborly-treaty": (2001, 7, None),
        "complementary-agreement": (2004, 10, 14),
        "peace-mission-2005": (2005, 10, None),
        "atasu-alashankou": (2005, 12, None),
        "ahmadinejad-sco": (2006, 6, None),
        "joint-veto": (2007, 1, None),
        "asat-test": (2007, 1, None),
        "year-of-russia": (2006, None, None),
        "year-of-china": (2007, None, None),
    }
    for key, date in expected.items():
        assert (events[key].year, events[key].month, events[key].day) == date, key
    assert events["tiananmen"].footnotes == (2,)
    assert events["force-reductions"].footnotes == (3,)
    assert events["complementary-agreement"].footnotes == (4,)
    assert events["atasu-alashankou"].footnotes == (15,)
    assert events["ahmadinejad-sco"].footnotes == (13,)


def test_broken_structure_raises(tmp_path: Path):
    (tmp_path / "x.toml").write_text(
        'title = "X"\ntopic = "energy"\nsource = "S"\n[[columns]]\nid = "year"\nkind = "year"\n'
    )
    (tmp_path / "x.tsv").write_text("when\n2001\n")
    with pytest.raises(t.TableError, match="header"):
        t.load_tables(tmp_path)
    (tmp_path / "x.tsv").write_text("year\n2001\t5\n")
    with pytest.raises(t.TableError, match="cells"):
        t.load_tables(tmp_path)


# ------------------------------------------------------------------ validation


def test_bank_warnings_are_exactly_the_known_discrepancies(loaded: dict[str, t.Table]):
    warnings = t.validate_tables(loaded)
    found = {(w.table, w.row, w.rule) for w in warnings}
    assert found == {("border_islands", "Amur", "sum"), ("trade_2006", "China", "text")}
    amur = next(w for w in warnings if w.row == "Amur")
    assert "1,610" in amur.message and "1,680" in amur.message


def test_a_warning_never_changes_the_data(loaded: dict[str, t.Table]):
    t.validate_tables(loaded)
    assert loaded["border_islands"].cell("Amur", "total") == "1,680"


def _clean() -> t.Table:
    """A small table that passes every check."""
    columns = (
        t.Column("river", "River"),
        t.Column("total", "Total", "count", "islands"),
        t.Column("russia", "Russia", "count", "islands"),
        t.Column("china", "China", "count", "islands"),
    )
    rows = (
        t.Row(
            "Argun", "Argun", {"river": "Argun", "total": "413", "russia": "204", "china": "209"}
        ),
        t.Row(
            "Ussuri", "Ussuri", {"river": "Ussuri", "total": "320", "russia": "167", "china": "153"}
        ),
    )
    check = {"rule": "sum", "parts": ["russia", "china"], "total": "total"}
    return t.Table(
        "islands",
        "Islands",
        "historical-context",
        "",
        (4,),
        "S",
        "",
        columns,
        rows,
        "river",
        (check,),
    )


def test_a_clean_table_gives_no_warning():
    assert t.validate_table(_clean()) == []


def test_sum_duplicate_type_and_range_warnings():
    clean = _clean()
    bad_rows = (
        clean.rows[0],
        t.Row("Argun", "Argun", {"river": "Argun", "total": "400", "russia": "x", "china": "209"}),
    )
    warnings = t.validate_table(replace(clean, rows=bad_rows))
    rules = sorted(w.rule for w in warnings)
    assert rules == ["duplicate_key", "type"]
    bad_sum = (
        t.Row("Amur", "Amur", {"river": "Amur", "total": "1,680", "russia": "708", "china": "902"}),
    )
    (warning,) = t.validate_table(replace(clean, rows=bad_sum))
    assert (warning.table, warning.row, warning.rule) == ("islands", "Amur", "sum")


def test_delivery_before_order_and_share_out_of_range_warn():
    columns = (
        t.Column("order_year", "Order", "year"),
        t.Column("delivery_year", "Delivery", "year_range"),
        t.Column("share", "Share", "percent", "%"),
    )
    row = t.Row("r", "r", {"order_year": "(2001)", "delivery_year": "1999-2000", "share": "120"})
    check = {"rule": "not_before", "column": "delivery_year", "after": "order_year"}
    table = t.Table("x", "X", "military", "", (), "S", "", columns, (row,), "order_year", (check,))
    rules = sorted(w.rule for w in t.validate_table(table))
    assert rules == ["order", "range"]


def test_unit_topic_and_text_checks_warn(loaded: dict[str, t.Table]):
    oil = loaded["crude_oil_imports"]
    no_unit = tuple(replace(c, unit="") for c in oil.columns)
    rules = {w.rule for w in t.validate_table(replace(oil, columns=no_unit, topic="oil"))}
    assert {"unit", "topic"} <= rules
    rows = tuple(
        replace(r, cells={**r.cells, "shipments": "11.0"}) if r.key == "2005" else r
        for r in oil.rows
    )
    (warning,) = t.validate_table(replace(oil, rows=rows))
    assert (warning.row, warning.rule) == ("2005", "text")


def test_timeline_out_of_order_warns(loaded: dict[str, t.Table]):
    timeline = loaded["timeline"]
    swapped = (timeline.rows[1], timeline.rows[0], *timeline.rows[2:])
    warnings = t.validate_table(replace(timeline, rows=swapped))
    assert [w.rule for w in warnings] == ["chronology"]


@pytest.mark.parametrize(
    ("a", "b", "before"),
    [
        ((2006, None, None), (2007, 1, 1), True),  # the year decides
        ((2007, 12, 31), (2006, None, None), False),
        ((2007, 3, None), (2007, None, None), False),  # an unknown month compares with nothing
        ((2007, None, None), (2007, 3, None), False),
        ((2007, None, 2), (2007, None, 9), False),  # a day without its month, too
        ((2007, 1, 20), (2007, 3, 1), True),  # the month decides
        ((2007, 3, None), (2007, 1, 5), False),
        ((2007, 3, None), (2007, 3, 5), False),  # same month, an unknown day
        ((2007, 3, 4), (2007, 3, 5), True),
        ((2007, 3, 5), (2007, 3, 5), False),  # not before itself
    ],
)
def test_certainly_before_at_the_reports_precision(a, b, before):
    assert t.certainly_before(t.PartialDate(*a), t.PartialDate(*b)) is before


def test_timeline_entries_compare_by_their_dates(loaded: dict[str, t.Table]):
    entries = t.timeline_entries(loaded)
    assert entries[0].date == (entries[0].year, entries[0].month, entries[0].day)
    dated = [(a, b) for a in entries for b in entries if t.certainly_before(a.date, b.date)]
    assert dated  # the report's timeline has events known to be earlier than others
    assert all(a.sort_key <= b.sort_key for a, b in dated)
    assert not any(t.certainly_before(b.date, a.date) for a, b in dated)


@pytest.mark.parametrize(("cell", "typed"), [("-3", -3.0), ("12 mt", 12.0), ("+4", 4.0)])
def test_parse_cell_number_is_strict_where_student_input_is_lenient(cell: str, typed: float):
    with pytest.raises(t.TableError):
        t.parse_cell_number(cell)
    assert parse_student_number(cell) == typed


def test_a_comma_is_a_thousands_comma_in_cells_and_may_be_a_decimal_comma_when_typed():
    assert t.parse_cell_number(" 1,234.5 ") == 1234.5
    assert t.parse_cell_number("3,5") == 35.0
    assert parse_student_number("3,5") == 3.5
