"""Hints (issue 17 point 4): carried by the spec and every format, generated for table
questions as a pointer (never the key), and refused by lint when they give the key away."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from sinorus_learn.domain.authored import AuthoredError, load_authored
from sinorus_learn.domain.formats.gift import export_gift, parse_gift
from sinorus_learn.domain.formats.json_format import JsonFormatError, dump_json, parse_json
from sinorus_learn.domain.generators import generate_bank
from sinorus_learn.domain.lint import hint_problems, lint
from sinorus_learn.domain.questions import NumericAnswer, QuestionSpec, Source
from sinorus_learn.domain.tables import load_tables

BANK = Path(__file__).resolve().parents[2] / "question_bank"


def _mc(hint: str = "") -> QuestionSpec:
    return QuestionSpec(
        key="authored:energy:hinted",
        type="multiple_choice",
        prompt="Which port did Moscow weigh against Daqing?",
        choices=("Nakhodka", "Harbin", "Vladivostok", "Murmansk"),
        answer="Nakhodka",
        explanation="The report names Nakhodka as the rival terminus.",
        topic="energy",
        source=Source(section="energy"),
        objectives=("energy.pipeline-route",),
        level="recall",
        hint=hint,
    )


def test_the_hint_is_part_of_the_content_and_its_hash() -> None:
    plain, hinted = _mc(), _mc("Reread the pipeline passage of the Energy lesson.")
    assert "hint" not in plain.to_dict()  # so every question without one keeps its hash
    assert hinted.to_dict()["hint"] == hinted.hint
    assert plain.content_hash() != hinted.content_hash()
    assert QuestionSpec.from_dict(hinted.to_dict()) == hinted


def test_json_round_trip_keeps_the_hint_and_refuses_a_list() -> None:
    spec = _mc("Reread the pipeline passage.")
    [back] = parse_json(dump_json([spec]))
    assert back.hint == "Reread the pipeline passage."
    with pytest.raises(JsonFormatError, match="hint"):
        parse_json(dump_json([spec]).replace('"Reread the pipeline passage."', '["a"]'))


def test_gift_hint_annotation_round_trip() -> None:
    text = export_gift([_mc("Reread the pipeline passage, in the Energy lesson.")]).text
    assert "// @hint Reread the pipeline passage, in the Energy lesson." in text
    [imported] = parse_gift(text).questions
    assert imported.spec.hint == "Reread the pipeline passage, in the Energy lesson."
    assert imported.line_of("hint") < imported.line


def test_gift_without_a_hint_imports_none() -> None:
    [imported] = parse_gift(export_gift([_mc()]).text).questions
    assert imported.spec.hint == ""


TOML = """
[[question]]
key = "authored:economics:sample"
type = "true_false"
prompt = "True or false: sample."
answer = true
explanation = "Economics: sample."
topic = "economics"
source = {{ section = "economics" }}
objectives = ["economics.trade-growth"]
level = "recall"
{hint}
"""


def test_a_hand_written_file_accepts_a_hint(tmp_path: Path) -> None:
    (tmp_path / "economics.toml").write_text(
        TOML.format(hint='hint = "Look at the trade passage."'), encoding="utf-8"
    )
    [spec] = load_authored(tmp_path)
    assert spec.hint == "Look at the trade passage."


def test_a_hand_written_hint_must_be_a_string(tmp_path: Path) -> None:
    (tmp_path / "economics.toml").write_text(TOML.format(hint="hint = 3"), encoding="utf-8")
    with pytest.raises(AuthoredError, match="hint must be a string"):
        load_authored(tmp_path)


@pytest.mark.parametrize(
    "hint",
    [
        "It is Nakhodka, on the Pacific.",
        "Think of “nakhodka”.",
    ],
)
def test_a_hint_naming_the_keyed_option_is_an_error(hint: str) -> None:
    findings = [f for f in lint([_mc(hint)]) if f.rule == "hint-gives-key"]
    assert [f.level for f in findings] == ["error"]
    assert "Nakhodka" in findings[0].message


def test_a_hint_naming_only_a_distractor_or_a_place_passes() -> None:
    assert hint_problems(_mc("Not Harbin: reread the pipeline passage.")) == []
    assert hint_problems(_mc()) == []


def test_a_hint_printing_a_numeric_key_is_an_error_but_a_table_number_is_not() -> None:
    spec = replace(
        _mc(),
        type="numeric",
        choices=None,
        answer=NumericAnswer(value=3.0, tolerance=0.0, unit=""),
        hint="Look at Table 3, the share column.",
    )
    assert hint_problems(spec) == []
    assert hint_problems(replace(spec, hint="The answer is near 3.")) != []


def test_every_generated_question_has_a_hint_that_points_and_gives_nothing_away() -> None:
    bank = generate_bank(load_tables(BANK / "tables"), seed=0)
    assert bank and all(spec.hint for spec in bank)
    assert not [f for f in lint(bank) if f.rule == "hint-gives-key"]
    by_key = {spec.key: spec for spec in bank}
    share = next(
        s
        for k, s in by_key.items()
        if k.startswith("crude_oil_imports:")
        and s.fact.endswith(":share")
        and s.fact.count(":") == 2
    )
    assert "“Proportion of China's oil imports” column" in share.hint
    assert "lesson “Energy”" in share.hint


def test_a_generated_hint_that_gave_the_key_would_be_caught() -> None:
    bank = generate_bank(load_tables(BANK / "tables"), seed=0)
    spec = next(s for s in bank if s.type == "multiple_choice")
    key = str(spec.answer)
    assert hint_problems(replace(spec, hint=f"{spec.hint} It is {key}.")) != []
