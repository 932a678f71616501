"""Grading: every question type, forgiving input, partial credit, and never an exception."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sinorus_learn.domain import qtypes
from sinorus_learn.domain.grading import (
    Grade,
    ResponseError,
    format_answer,
    grade,
    normalise_text,
    parse_response,
    parse_student_number,
)
from sinorus_learn.domain.questions import QUESTION_TYPES, NumericAnswer

MC_CHOICES = ("1999", "2004", "2006")
MS_CHOICES = ("Su-27", "Kilo", "S-300", "Mi-8")
MS_KEY = ("Su-27", "Kilo", "S-300")
ORDER = ("1991", "1996", "2001", "2005")
PAIRS = (("Su-27", "Air force"), ("Kilo", "Navy"), ("S-300", "Air defence"))
OIL = NumericAnswer(12.8, 0.05, "million tons")


def test_grade_is_correct_only_at_full_score() -> None:
    assert Grade(1.0).correct and not Grade(1.0).partial
    assert Grade(0.5).partial and not Grade(0.5).correct
    assert not Grade(0.0).correct and not Grade(0.0).partial


def test_multiple_choice() -> None:
    assert grade("multiple_choice", "2004", "2004", MC_CHOICES).correct
    assert grade("multiple_choice", "2004", "1999", MC_CHOICES).score == 0
    assert grade("multiple_choice", "2004", "", MC_CHOICES).message == "no answer given"


def test_true_false_takes_bools_and_form_strings() -> None:
    assert grade("true_false", False, False).correct
    assert grade("true_false", False, "false").correct
    assert grade("true_false", True, False).score == 0
    assert grade("true_false", True, "maybe").score == 0


@pytest.mark.parametrize(
    ("chosen", "score"),
    [
        (MS_KEY, 1.0),
        (("Su-27", "Kilo"), 2 / 3),
        (("Su-27", "Kilo", "Mi-8"), 1 / 3),
        (("Su-27", "Mi-8"), 0.0),
        (("Mi-8",), 0.0),  # floored at 0, never negative
        (("Su-27", "Su-27"), 1 / 3),  # a repeat counts once
    ],
)
def test_multiple_select_moodle_credit(chosen: tuple[str, ...], score: float) -> None:
    result = grade("multiple_select", MS_KEY, chosen, MS_CHOICES)
    assert result.score == pytest.approx(score)


def test_multiple_select_message() -> None:
    result = grade("multiple_select", MS_KEY, ["Su-27", "Kilo", "Mi-8"], MS_CHOICES)
    assert result.message == "2 of 3 right answers chosen, 1 wrong: 33% credit"
    assert result.partial


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("12.8", 12.8),
        (" 12,8 ", 12.8),
        ("1,680", 1680.0),
        ("1,680.5", 1680.5),
        ("15.8 million tons", 15.8),
        ("10 %", 10.0),
        ("10%", 10.0),
        ("$3.5", 3.5),
        ("-4", -4.0),
        ("\u22124.5", -4.5),  # the typographic minus
        (".5", 0.5),
        ("\uff11\uff12", 12.0),  # full-width digits
    ],
)
def test_parse_student_number_reads_what_people_type(typed: str, value: float) -> None:
    assert parse_student_number(typed) == pytest.approx(value)


@pytest.mark.parametrize("typed", ["abc", "", "3-6", "1e3", "12.8.5", "nan", "inf", "12,", "--1"])
def test_parse_student_number_rejects_garbage(typed: str) -> None:
    assert parse_student_number(typed) is None


@pytest.mark.parametrize("typed", [" " * 499 + "1!", "1" + " a." * 166 + "!", "1," * 250])
def test_parse_student_number_stays_fast_on_long_input(typed: str) -> None:
    started = time.perf_counter()
    assert parse_student_number(typed) is None
    assert time.perf_counter() - started < 0.05  # once 1.8 s: nested \s* backtracked


def test_numeric_tolerance_is_inclusive_and_float_safe() -> None:
    assert grade("numeric", OIL, "12.85").correct  # 12.8 + 0.05 is 12.850000000000001
    assert grade("numeric", OIL, "12.75").correct
    assert not grade("numeric", OIL, "12.86").correct
    assert grade("numeric", NumericAnswer(0.3), "0.30").correct  # 0.1 + 0.2 style noise


def test_numeric_exact_and_garbage() -> None:
    assert grade("numeric", NumericAnswer(1680), "1,680").correct
    result = grade("numeric", OIL, "about twelve")
    assert result.score == 0 and result.message == "not a number"
    assert grade("numeric", OIL, "   ").message == "no answer given"


def test_numeric_range_accepts_every_value_within() -> None:
    key = NumericAnswer.from_range(3, 6)
    assert all(grade("numeric", key, str(v)).correct for v in (3, 4, 4.5, 6))
    assert not grade("numeric", key, "7").correct
    assert not grade("numeric", key, "2.99").correct


@pytest.mark.parametrize(
    ("typed", "accepted"),
    [
        ("Shanghai five", ("Shanghai-Five",)),
        ("shanghai-five", ("Shanghai Five",)),
        ("US", ("U.S.",)),
        ("  the  United   States ", ("United States",)),
        ("Sinoroszkaya", ("Sinorószkaya",)),  # diacritics forgiven
        ("ШОС", ("шос",)),
        ("Yeltsin's visit", ("Yeltsins visit",)),
    ],
)
def test_short_text_forgives_case_spacing_punctuation_and_accents(
    typed: str, accepted: tuple[str, ...]
) -> None:
    assert grade("short_text", accepted, typed).correct


def test_short_text_wrong_and_empty() -> None:
    assert not grade("short_text", ("SIPRI",), "IISS").correct
    assert not grade("short_text", ("SIPRI",), "...").correct  # nothing left after normalising
    assert normalise_text("U.S.") == normalise_text("us")


def test_ordering_kendall_credit() -> None:
    assert grade("ordering", ORDER, list(ORDER)).correct
    one_swap = ["1996", "1991", "2001", "2005"]
    result = grade("ordering", ORDER, one_swap)
    assert result.score == pytest.approx(5 / 6)
    assert result.message == "5 of 6 pairs in the right order: 83% credit"
    assert grade("ordering", ORDER, list(reversed(ORDER))).score == 0
    first_last = ["1996", "2001", "2005", "1991"]  # one event misplaced keeps half the pairs
    assert grade("ordering", ORDER, first_last).score == pytest.approx(3 / 6)


def test_ordering_with_wrong_items_scores_zero() -> None:
    assert grade("ordering", ORDER, ["1991", "1991", "2001", "2005"]).score == 0
    assert grade("ordering", ORDER, ["1991", "1996"]).score == 0


def test_matching_share_of_pairs() -> None:
    assert grade("matching", PAIRS, dict(PAIRS)).correct
    mixed = {"Su-27": "Air force", "Kilo": "Air defence", "S-300": "Navy"}
    result = grade("matching", PAIRS, mixed)
    assert result.score == pytest.approx(1 / 3)
    assert result.message == "1 of 3 pairs right: 33% credit"
    assert grade("matching", PAIRS, [("Su-27", "Air force"), ("Kilo", "Navy")]).score == (
        pytest.approx(2 / 3)
    )


def test_wrong_shapes_score_zero_instead_of_raising() -> None:
    assert grade("matching", PAIRS, 12).score == 0
    assert grade("ordering", ORDER, 3.5).score == 0
    assert grade("numeric", OIL, ["12.8"]).message == "not a number"
    assert grade("nonsense", "x", "x").score == 0


SAMPLES = {name: kind.sample() for name, kind in qtypes.REGISTRY.items()}  # every type's key


@given(qtype=st.sampled_from(QUESTION_TYPES), text=st.text())
def test_grade_never_raises_on_text(qtype: str, text: str) -> None:
    result = grade(qtype, SAMPLES[qtype].answer, text, SAMPLES[qtype].choices)
    assert 0.0 <= result.score <= 1.0


@given(
    qtype=st.sampled_from(QUESTION_TYPES),
    response=st.one_of(
        st.lists(st.text(max_size=8), max_size=5),
        st.dictionaries(st.text(max_size=8), st.text(max_size=8), max_size=4),
        st.none(),
        st.booleans(),
        st.floats(),
    ),
)
def test_grade_never_raises_on_any_shape(qtype: str, response: object) -> None:
    result = grade(qtype, SAMPLES[qtype].answer, response, SAMPLES[qtype].choices)
    assert 0.0 <= result.score <= 1.0


def test_parse_response_every_type() -> None:
    assert parse_response("multiple_choice", {"choice": ["2004"]}, MC_CHOICES) == "2004"
    assert parse_response("true_false", {"choice": ["false"]}) is False
    chosen = parse_response("multiple_select", {"choice": ["Kilo", "Su-27"]}, MS_CHOICES)
    assert chosen == ["Su-27", "Kilo"]
    assert parse_response("numeric", {"value": [" 12,8 "]}) == "12,8"
    ranks = {"position-0": ["2"], "position-1": ["1"]}
    assert parse_response("ordering", ranks, ("1996", "1991")) == ["1991", "1996"]
    form = {"match-0": ["Navy"], "match-1": ["Air force"]}
    matched = parse_response("matching", form, ("Air force", "Navy"), lefts=("Kilo", "Su-27"))
    assert matched == {"Kilo": "Navy", "Su-27": "Air force"}


@pytest.mark.parametrize(
    ("qtype", "form", "choices"),
    [
        ("multiple_choice", {}, MC_CHOICES),
        ("multiple_choice", {"choice": ["1066"]}, MC_CHOICES),
        ("multiple_select", {}, MS_CHOICES),
        ("true_false", {"choice": ["yes"]}, None),
        ("numeric", {"value": ["  "]}, None),
        ("ordering", {"position-0": ["1"], "position-1": ["1"]}, ("a", "b")),
        ("ordering", {"position-0": ["1"], "position-1": ["3"]}, ("a", "b")),
        ("ordering", {"position-0": ["1"]}, ("a", "b")),
    ],
)
def test_parse_response_rejects_incomplete_forms(
    qtype: str, form: dict[str, list[str]], choices: tuple[str, ...] | None
) -> None:
    with pytest.raises(ResponseError):
        parse_response(qtype, form, choices)
    assert issubclass(ResponseError, ValueError)


def test_parse_response_rejects_unknown_match() -> None:
    with pytest.raises(ResponseError):
        parse_response("matching", {"match-0": ["Army"]}, ("Navy",), lefts=("Kilo",))


@pytest.mark.parametrize(
    ("qtype", "answer", "text"),
    [
        ("numeric", OIL, "12.8 million tons (±0.05)"),
        ("numeric", NumericAnswer.from_range(3, 6), "3–6"),
        ("numeric", NumericAnswer(1680, 0, "islands"), "1,680 islands"),
        ("numeric", NumericAnswer(2006), "2006"),  # a year: never "2,006"
        ("numeric", NumericAnswer(1689, 0, "year"), "1689"),
        ("numeric", NumericAnswer(12000), "12,000"),
        ("numeric", NumericAnswer(6.4, 0.5, "%"), "6.4% (±0.5)"),
        ("numeric", NumericAnswer(6.5, 0.5, "%"), "6–7%"),  # whole ends: shown as a range
        ("numeric", NumericAnswer(100, 5), "100 (±5)"),
        ("matching", (("A", "B"), ("C", "D")), "A → B; C → D"),
        ("ordering", ("1991", "1996"), "1991 → 1996"),
        ("multiple_select", ("Su-27", "Kilo"), "Su-27; Kilo"),
        ("true_false", False, "False"),
        ("short_text", ("SCO",), "SCO"),
        (
            "short_text",
            ("SCO", "Shanghai Cooperation Organization"),
            "SCO (also accepted: Shanghai Cooperation Organization)",
        ),
        ("multiple_choice", "2004", "2004"),
    ],
)
def test_format_answer(qtype: str, answer: object, text: str) -> None:
    assert format_answer(qtype, answer) == text  # type: ignore[arg-type]
