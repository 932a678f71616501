"""The JSON question file: round trip of every type and clear errors."""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sinorus_learn.domain.formats import FormatError, JsonFormatError, dump_json, parse_json
from sinorus_learn.domain.qtypes.explain import ChecklistPoint, ExplainAnswer
from sinorus_learn.domain.questions import QUESTION_TYPES, NumericAnswer, QuestionSpec, Source


def make(qtype: str, choices: tuple[str, ...] | None, answer: object) -> QuestionSpec:
    return QuestionSpec(
        key=f"energy:{qtype}",
        type=qtype,  # type: ignore[arg-type]
        prompt=f"Which {qtype}? Китай и Россия",
        choices=choices,
        answer=answer,  # type: ignore[arg-type]
        explanation="Energy section, footnote 3.",
        topic="energy",
        difficulty=2,
        source=Source(section="energy", table="oil", rows=("2004",), footnotes=(3,)),
        template="oil.share",
        tags=("generated",),
    )


ALL_TYPES = [
    make("multiple_choice", ("1999", "2004"), "2004"),
    make("multiple_select", ("a", "b", "c"), ("a", "c")),
    make("true_false", None, False),
    make("numeric", None, NumericAnswer(14.5, 0.5, "million tons")),
    make("short_text", None, ("SIPRI", "Sipri")),
    make("ordering", ("1996", "1991", "2001"), ("1991", "1996", "2001")),
    make("matching", ("Navy", "Air force", "Army"), (("Su-27", "Air force"), ("Kilo", "Navy"))),
    make(
        "explain",
        None,
        ExplainAnswer(
            model="Oil from Russia, money from China.",
            points=(
                ChecklistPoint("Oil", "the report's words", "energy", (3, 4)),
                ChecklistPoint("Money"),
            ),
        ),
    ),
]


def test_round_trip_of_every_type() -> None:
    text = dump_json(ALL_TYPES)
    assert parse_json(text) == tuple(ALL_TYPES)
    assert "Китай" in text  # ensure_ascii=False
    assert text.startswith('[\n  {\n    "key": "energy:multiple_choice"')
    assert json.loads(text) == [s.to_dict() for s in ALL_TYPES]


def test_empty_list() -> None:
    assert parse_json(dump_json([])) == ()


def test_invalid_json_names_the_line() -> None:
    text = dump_json(ALL_TYPES[:2]).replace('"topic": "energy",', '"topic": "energy"', 1)
    with pytest.raises(JsonFormatError) as info:
        parse_json(text)
    bad_line = text.splitlines().index('    "difficulty": 2,') + 1
    assert info.value.line == bad_line
    assert str(info.value).startswith(f"line {bad_line}: invalid JSON")
    assert isinstance(info.value, FormatError)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"key": "a"}', "expected a list of questions"),
        ("[1]", "question 1: expected an object"),
        (
            '[{"type": "true_false", "prompt": "p", "answer": true}]',
            "question 1: expected a non-empty",
        ),
        ("[NaN]", "NaN is not a number JSON allows"),
        ("[" * 100_000, "invalid JSON"),
    ],
)
def test_malformed_files(text: str, message: str) -> None:
    with pytest.raises(JsonFormatError) as info:
        parse_json(text)
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"type": "essay"}, "unknown question type 'essay'"),
        ({"answer": "maybe"}, "true/false answer must be true or false"),
        ({"prompt": " "}, "the prompt is empty"),
        ({"difficulty": "hard"}, "field 'difficulty' must be 1, 2 or 3, found a string"),
        ({"source": "report"}, "field 'source' must be an object, found a string"),
        ({"choices": 5}, "field 'choices' must be a list of strings, found a number"),
    ],
)
def test_a_bad_question_names_its_index_and_key(change: dict[str, object], message: str) -> None:
    rows = [s.to_dict() for s in ALL_TYPES]
    rows[2].update(change)
    with pytest.raises(JsonFormatError) as info:
        parse_json(json.dumps(rows))
    assert info.value.index == 2
    assert str(info.value).startswith("question 3 (key 'energy:true_false'): ")
    assert message in str(info.value)


CLASSIFIED = dataclasses.replace(
    ALL_TYPES[0],
    objectives=("energy.oil-table", "energy.chinese-demand"),
    level="data",
    fact="crude_oil_imports:2004:share",
    given=("crude_oil_imports:2004:shipments",),
    evidence="Russia supplied 10.08 percent",
    option_feedback=(("1999", "1999 is before the table starts."),),
)


def test_classification_round_trips() -> None:
    text = dump_json([CLASSIFIED])
    row = json.loads(text)[0]
    assert row["objectives"] == ["energy.oil-table", "energy.chinese-demand"]
    assert row["level"] == "data" and row["fact"] == "crude_oil_imports:2004:share"
    assert row["given"] == ["crude_oil_imports:2004:shipments"]
    assert row["evidence"] == "Russia supplied 10.08 percent"
    assert row["option_feedback"] == [["1999", "1999 is before the table starts."]]
    assert parse_json(text) == (CLASSIFIED,)


def test_an_export_without_classification_still_reads() -> None:
    row = ALL_TYPES[0].to_dict()
    for name in ("objectives", "level", "fact", "given", "evidence", "option_feedback"):
        row.pop(name)
    (spec,) = parse_json(json.dumps([row]))
    assert (spec.objectives, spec.level, spec.option_feedback) == ((), "", ())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"objectives": "energy.oil-table"}, "field 'objectives' must be a list of strings"),
        ({"objectives": ["energy.oil-table", 3]}, "field 'objectives' must hold only non-empty"),
        ({"given": [""]}, "field 'given' must hold only non-empty strings"),
        ({"level": 2}, "field 'level' must be a string, found int"),
        ({"level": "remember"}, "level must be one of recall, explain, data, evaluate"),
        ({"fact": ["a"]}, "field 'fact' must be a string, found list"),
        ({"evidence": {"text": "x"}}, "field 'evidence' must be a string, found dict"),
        ({"option_feedback": "1999: no"}, "field 'option_feedback' must be a list of [option"),
        ({"option_feedback": [["1999"]]}, "field 'option_feedback', entry 1: expected"),
        ({"option_feedback": [["2010", "no"]]}, "option feedback must name one of the choices"),
    ],
)
def test_bad_classification_names_question_and_field(
    change: dict[str, object], message: str
) -> None:
    rows = [ALL_TYPES[1].to_dict(), CLASSIFIED.to_dict() | change]
    with pytest.raises(JsonFormatError) as info:
        parse_json(json.dumps(rows))
    assert info.value.index == 1
    assert str(info.value).startswith("question 2 (key 'energy:multiple_choice'): ")
    assert message in str(info.value)


def test_an_infinite_numeric_answer_is_refused() -> None:
    row = ALL_TYPES[3].to_dict()
    text = json.dumps([row]).replace('"value": 14.5', '"value": 1e999')
    with pytest.raises(JsonFormatError, match="question 1 .*finite number"):
        parse_json(text)


def test_duplicate_keys_are_refused() -> None:
    rows = [ALL_TYPES[0].to_dict(), ALL_TYPES[1].to_dict() | {"key": "energy:multiple_choice"}]
    with pytest.raises(JsonFormatError, match="question 2 repeats key 'energy:multiple_choice'"):
        parse_json(json.dumps(rows))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
QUESTIONISH = st.fixed_dictionaries(
    {"key": st.text(min_size=1, max_size=5), "type": st.sampled_from(QUESTION_TYPES)},
    optional={
        k: JSON_VALUES
        for k in (
            *("prompt", "choices", "answer", "difficulty", "source", "tags", "topic"),
            *("objectives", "level", "fact", "given", "evidence", "option_feedback"),
        )
    },
)


@settings(max_examples=400)
@given(st.lists(QUESTIONISH | JSON_VALUES, max_size=3) | JSON_VALUES)
def test_any_json_gives_specs_or_a_json_format_error(data: object) -> None:
    try:
        specs = parse_json(json.dumps(data))
    except JsonFormatError:
        return
    assert all(isinstance(s, QuestionSpec) for s in specs)
