"""The question generators: every rule of DESIGN.md section 4, checked over the whole bank."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from sinorus_learn.domain.generators import REGISTRY, counts, generate_bank
from sinorus_learn.domain.questions import (
    QUESTION_TYPES,
    TOPICS,
    NumericAnswer,
    QuestionSpec,
    spec_problems,
)
from sinorus_learn.domain.tables import Table, arms_transfers, load_tables

BANK_TABLES = Path(__file__).resolve().parents[2] / "question_bank" / "tables"
NUMBER = re.compile(r"\$?(-?[\d,]+(?:\.\d+)?)(?:%| [a-zA-Z$ ]+)?")


@pytest.fixture(scope="module")
def tables() -> dict[str, Table]:
    return load_tables(BANK_TABLES)


@pytest.fixture(scope="module")
def bank(tables: dict[str, Table]) -> list[QuestionSpec]:
    return generate_bank(tables, seed=0)


def _by_key(bank: list[QuestionSpec]) -> dict[str, QuestionSpec]:
    return {spec.key: spec for spec in bank}


def _number(text: str) -> float | None:
    match = NUMBER.fullmatch(text.strip())
    return float(match.group(1).replace(",", "")) if match else None


# ------------------------------------------------------------------ the whole bank


def test_every_spec_is_well_formed(bank: list[QuestionSpec]):
    assert [(s.key, spec_problems(s)) for s in bank if spec_problems(s)] == []


def test_size_tables_and_types(bank: list[QuestionSpec]):
    per_table, per_type = counts(bank)
    assert len(bank) >= 300
    assert set(per_table) == set(REGISTRY)
    assert set(per_type) == set(QUESTION_TYPES)


def test_keys_are_unique_and_stable(bank: list[QuestionSpec]):
    keys = [s.key for s in bank]
    assert len(keys) == len(set(keys))
    for spec in bank:
        table, template, params = spec.key.split(":", 2)
        assert spec.source.table == table
        assert spec.template == f"{table}.{template}"
        assert params


def test_same_seed_same_bank_and_keys_never_depend_on_the_seed(tables: dict[str, Table]):
    first = generate_bank(tables, seed=0)
    assert first == generate_bank(tables, seed=0)
    other = generate_bank(tables, seed=7)
    assert [s.key for s in other] == [s.key for s in first]
    assert any(a.choices != b.choices for a, b in zip(first, other, strict=True))
    assert [s.answer for s in other if s.type != "multiple_select"] == [
        s.answer for s in first if s.type != "multiple_select"
    ]


def test_topics_and_sources(bank: list[QuestionSpec], tables: dict[str, Table]):
    for spec in bank:
        assert spec.topic in TOPICS, spec.key
        assert spec.source.section == spec.topic
        table = tables[spec.source.table or ""]
        if spec.source.table != "timeline":
            assert spec.topic == table.topic, spec.key
        for key in spec.source.rows:
            table.row(key)  # raises on a row key that does not exist


def test_every_explanation_cites_table_rows_and_footnotes(
    bank: list[QuestionSpec], tables: dict[str, Table]
):
    for spec in bank:
        table = tables[spec.source.table or ""]
        assert table.title in spec.explanation, spec.key
        for key in spec.source.rows:
            assert table.row(key).label in spec.explanation, spec.key
        cited = re.findall(r"[Ff]ootnotes? ([\d, and]+)", spec.explanation)
        numbers = {int(n) for group in cited for n in re.findall(r"\d+", group)}
        assert set(spec.source.footnotes) <= numbers, spec.key


def test_single_answer_choices_have_exactly_one_right_answer(bank: list[QuestionSpec]):
    for spec in (s for s in bank if s.type == "multiple_choice"):
        assert spec.choices is not None
        assert spec.choices.count(spec.answer) == 1, spec.key  # type: ignore[arg-type]
        assert len(spec.choices) >= 2
        key_value = _number(str(spec.answer))
        if key_value is None:
            continue
        others = [_number(c) for c in spec.choices if c != spec.answer]
        assert key_value not in others, f"{spec.key}: a distractor ties with the key"


def test_distractors_are_of_the_same_kind(bank: list[QuestionSpec]):
    for spec in (s for s in bank if s.type == "multiple_choice"):
        assert spec.choices is not None
        answer = str(spec.answer).removeprefix("more than ")
        if _number(answer) is None:
            continue
        suffix = re.sub(r"^\$?-?[\d,.]+", "", answer)
        for choice in (c.removeprefix("more than ") for c in spec.choices):
            assert _number(choice) is not None, spec.key
            assert re.sub(r"^\$?-?[\d,.]+", "", choice) == suffix, spec.key


def test_arms_description_distractors_never_overlap_in_meaning(bank: list[QuestionSpec]):
    from sinorus_learn.domain.generators.arms import family

    for spec in bank:
        if spec.template == "arms_transfers.description":
            assert spec.choices is not None
            kinds = [family(c) for c in spec.choices]
            assert len(set(kinds)) == len(kinds), spec.key


def test_ordering_is_never_shown_already_solved(bank: list[QuestionSpec]):
    for spec in (s for s in bank if s.type == "ordering"):
        assert spec.choices != spec.answer, spec.key


def test_matching_right_hand_sides_are_distinct(bank: list[QuestionSpec]):
    for spec in (s for s in bank if s.type == "matching"):
        rights = [right for _, right in spec.answer]  # type: ignore[misc,union-attr]
        assert len(set(rights)) == len(rights), spec.key


def test_multiple_select_has_a_wrong_choice_and_a_right_one(bank: list[QuestionSpec]):
    for spec in (s for s in bank if s.type == "multiple_select"):
        assert spec.choices is not None
        assert 1 <= len(spec.answer) < len(spec.choices), spec.key  # type: ignore[arg-type]


def test_numeric_tolerances_are_sensible(bank: list[QuestionSpec]):
    for spec in (s for s in bank if s.type == "numeric"):
        answer = spec.answer
        assert isinstance(answer, NumericAnswer)
        assert answer.tolerance >= 0
        if answer.value:
            assert answer.tolerance < abs(answer.value), spec.key
        if "year" in spec.prompt.lower() and "how many" not in spec.prompt.lower():
            assert answer.tolerance == 0, spec.key  # a year is right or wrong


def test_prompts_are_distinct_within_a_type(bank: list[QuestionSpec]):
    seen = Counter((s.type, s.prompt, s.choices) for s in bank)
    assert [k for k, n in seen.items() if n > 1] == []


# ------------------------------------------------------------------ Table 1 rules


def test_never_asks_for_an_unknown_quantity(bank: list[QuestionSpec], tables: dict[str, Table]):
    rows = {r.key: r for r in arms_transfers(tables)}
    for spec in bank:
        if spec.template in ("arms_transfers.quantity", "arms_transfers.designation_total"):
            assert all(rows[k].quantity.known for k in spec.source.rows), spec.key
        assert spec.answer != "Unknown" or spec.template == "arms_transfers.notation"


def test_rows_are_identified_by_designation_and_order_year(
    bank: list[QuestionSpec], tables: dict[str, Table]
):
    rows = {r.key: r for r in arms_transfers(tables)}
    per_designation = Counter(r.designation for r in rows.values())
    single_row = (
        "quantity",
        "quantity_estimate",
        "delivered",
        "delivery_year",
        "delivery_gap",
    )
    for spec in bank:
        if spec.source.table != "arms_transfers":
            continue
        template = (spec.template or "").split(".", 1)[1]
        if template in single_row:
            (key,) = spec.source.rows
            row = rows[key]
            assert row.designation in spec.prompt and str(row.order.start) in spec.prompt
        if template == "order_year":
            (key,) = spec.source.rows
            row = rows[key]
            if per_designation[row.designation] > 1:
                same = [
                    r
                    for r in rows.values()
                    if r.designation == row.designation and r.quantity.text == row.quantity.text
                ]
                assert len(same) == 1 and row.quantity.text in spec.prompt, spec.key
    keys = _by_key(bank)
    assert "arms_transfers:order_year:Mi-8/Mi-17/Hip-H|1995" not in keys  # 35 and (35): ambiguous
    assert "arms_transfers:order_year:Mi-8/Mi-17/Hip-H|1998" in keys  # (15) is unique
    assert keys["arms_transfers:order_count:Mi-8/Mi-17/Hip-H"].answer == NumericAnswer(
        4, 0, "orders"
    )


def test_ranges_are_accepted_as_ranges(bank: list[QuestionSpec]):
    keys = _by_key(bank)
    a50 = keys["arms_transfers:quantity:A-50U/Mainstay|2003"].answer
    assert isinstance(a50, NumericAnswer) and (a50.low, a50.high) == (3, 6)
    kilo = keys["arms_transfers:quantity:Type-636E/Kilo Class|2002"].answer
    assert isinstance(kilo, NumericAnswer) and (kilo.low, kilo.high) == (8, 10)
    total = keys["arms_transfers:designation_total:Type-636E/Kilo Class"].answer
    assert isinstance(total, NumericAnswer) and (total.low, total.high) == (10, 12)
    delivery = keys["arms_transfers:delivery_year:Su-27SK/Flanker-B|1995"].answer
    assert "1996-97" in delivery and "1996-1997" in delivery  # type: ignore[operator]


def test_estimates_and_conflicts_are_flagged(bank: list[QuestionSpec], tables: dict[str, Table]):
    rows = {r.key: r for r in arms_transfers(tables)}
    for spec in bank:
        if spec.source.table != "arms_transfers" or len(spec.source.rows) != 1:
            continue
        row = rows[spec.source.rows[0]]
        text = spec.prompt + " " + spec.explanation
        if row.estimate:
            assert "SIPRI estimate" in text, spec.key
        if row.conflict:
            assert "conflict" in text, spec.key
        if not row.delivered:
            assert "not (yet) delivered" in text, spec.key


# ------------------------------------------------------------------ content of chosen templates


def test_extremes_distinguish_most_shipments_from_largest_share(bank: list[QuestionSpec]):
    keys = _by_key(bank)
    assert keys["crude_oil_imports:max_shipments:all"].answer == "2006"
    assert keys["crude_oil_imports:max_share:all"].answer == "2005"
    both = keys["crude_oil_imports:max_both:all"]
    assert both.answer is False
    assert "10.08%" in both.explanation and "10.00%" in both.explanation


def test_derived_total_imports_are_toleranced_by_rounding(bank: list[QuestionSpec]):
    answer = _by_key(bank)["crude_oil_imports:implied_total:2006"].answer
    assert isinstance(answer, NumericAnswer)
    assert answer.value == 158.0 and answer.low <= 157.5 and answer.high >= 158.5
    assert answer.tolerance <= 1.0
    early = _by_key(bank)["crude_oil_imports:implied_total:1999"].answer
    assert isinstance(early, NumericAnswer) and early.low < 36 and early.high > 41


def test_share_thresholds_are_strict(bank: list[QuestionSpec]):
    above_10 = _by_key(bank)["crude_oil_imports:years_above:share>10"]
    assert above_10.answer == ("2005",)  # 2006 is exactly 10.00, not more than 10


def test_islands_keep_the_amur_discrepancy_visible(bank: list[QuestionSpec]):
    keys = _by_key(bank)
    assert keys["border_islands:count_value:Amur|total"].answer == NumericAnswer(1680, 0, "islands")
    adds_up = keys["border_islands:adds_up:Amur"]
    assert adds_up.answer is False and "1,610" in adds_up.explanation
    assert "border_islands:china_share:Amur" not in keys
    assert "1,610" in keys["border_islands:count_value:Amur|russia"].explanation


def test_trade_according_to_which_statistics(bank: list[QuestionSpec]):
    keys = _by_key(bank)
    assert keys["trade_2006:supports_33:Russia"].answer is True
    assert keys["trade_2006:supports_33:China"].answer is False
    whose = keys["trade_2006:whose_statistics:China|china_exports"]
    assert whose.answer == "Chinese figures (Ministry of Commerce of the PRC)"
    assert keys["trade_2006:surplus:Russia"].answer == NumericAnswer(1.7, 0.01, "billion US$")


def test_the_lower_bound_is_never_asked_as_a_value(bank: list[QuestionSpec]):
    for spec in bank:
        if spec.source.table != "export_commodities" or "2006H1" not in spec.source.rows:
            continue
        assert spec.type != "numeric", spec.key
        if spec.type == "multiple_choice":
            assert spec.answer == "more than 90%", spec.key
        if "90" in str(spec.answer):
            assert "more than 90" in str(spec.answer), spec.key
    keys = _by_key(bank)
    assert keys["export_commodities:bound_exact:2006H1"].answer is False


def test_timeline_questions_belong_to_the_events_lesson(bank: list[QuestionSpec]):
    keys = _by_key(bank)
    assert keys["timeline:year:ahmadinejad-sco"].topic == "sco"
    assert keys["timeline:year:ahmadinejad-sco"].source.footnotes == (13,)
    assert keys["timeline:month:gorbachev-visit"].answer[0] == "May"  # type: ignore[index]
    assert keys["timeline:day:complementary-agreement"].answer == NumericAnswer(14, 0, "")
    for spec in bank:
        if spec.template == "timeline.year":
            year = str(int(spec.answer.value))  # type: ignore[union-attr]
            assert year not in spec.prompt, spec.key  # the prompt never gives the answer away


def test_timeline_groups_never_name_their_own_year(
    bank: list[QuestionSpec], tables: dict[str, Table]
):
    from sinorus_learn.domain.tables import timeline_entries

    events = {e.event: e for e in timeline_entries(tables)}
    for spec in bank:
        if spec.template in ("timeline.chronology", "timeline.match_years", "timeline.in_year"):
            shown = spec.choices if spec.type != "matching" else [left for left, _ in spec.answer]  # type: ignore[misc,union-attr]
            for text in shown or ():
                assert str(events[text].year) not in text, spec.key
