"""The hand-written question bank: well formed, cited, and faithful to the report's numbers."""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest

from sinorus_learn.domain.authored import AuthoredError, load_authored, load_authored_file
from sinorus_learn.domain.questions import (
    QUESTION_TYPES,
    TOPICS,
    NumericAnswer,
    QuestionSpec,
    spec_problems,
)
from tests.conftest import require_shared

REPO_ROOT = Path(__file__).resolve().parents[2]
QUESTIONS_DIR = REPO_ROOT / "question_bank" / "questions"
FOOTNOTE_COUNT = 32
NUMBER_RE = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
FOOTNOTE_RE = re.compile(r"footnotes?\s+((?:\d+(?:,\s*|\s+and\s+)?)+)", re.IGNORECASE)

GOOD_QUESTION = """
[[question]]
key = "authored:economics:sample"
type = "true_false"
prompt = "True or false: sample."
answer = true
explanation = "Economics: sample."
topic = "economics"
source = { section = "economics" }
"""


@pytest.fixture(scope="module")
def bank() -> list[QuestionSpec]:
    """Load the real hand-written bank once."""
    return load_authored(QUESTIONS_DIR)


@pytest.fixture(scope="module")
def report_numbers() -> set[float]:
    """Every number printed in the report (commas removed); skip when the report is absent."""
    override = os.environ.get("SINORUS_REPORT")
    path = (
        Path(override)
        if override
        else REPO_ROOT.parent / "shared" / "report" / "china-and-russia.md"
    )
    require_shared(path.is_file(), f"report not found at {path} (set SINORUS_REPORT)")
    return numbers_in(path.read_text(encoding="utf-8"))


def numbers_in(text: str) -> set[float]:
    """Return the numbers written in ``text`` ("2,700" -> 2700.0, "1990s" -> 1990.0)."""
    return {float(match.replace(",", "")) for match in NUMBER_RE.findall(text)}


def answer_texts(spec: QuestionSpec) -> list[str]:
    """Return every text that is (part of) the correct answer."""
    answer = spec.answer
    if spec.type == "multiple_choice":
        return [str(answer)]
    if spec.type == "matching":
        return [side for pair in answer for side in pair]  # type: ignore[union-attr]
    if spec.type in ("multiple_select", "short_text", "ordering"):
        return list(answer)  # type: ignore[arg-type]
    return []


def cited_footnotes(explanation: str) -> set[int]:
    """Return the footnote numbers an explanation names ("footnotes 13, 14 and 15")."""
    return {int(n) for group in FOOTNOTE_RE.findall(explanation) for n in re.findall(r"\d+", group)}


def test_numbers_are_read_as_printed() -> None:
    assert numbers_in("a 2,700-mile border, 130,040 troops, 88.7 percent, the 1990s") == {
        2700.0,
        130040.0,
        88.7,
        1990.0,
    }
    assert cited_footnotes("Energy, footnotes 9 and 10; SCO, footnotes 13, 14 and 15") == {
        9,
        10,
        13,
        14,
        15,
    }


def test_every_lesson_has_enough_questions(bank: list[QuestionSpec]) -> None:
    counts = Counter(spec.topic for spec in bank)
    assert set(counts) == set(TOPICS)
    assert all(8 <= counts[slug] <= 12 for slug in TOPICS), counts


def test_all_seven_types_are_present(bank: list[QuestionSpec]) -> None:
    assert {spec.type for spec in bank} == set(QUESTION_TYPES)


def test_keys_are_unique_and_namespaced(bank: list[QuestionSpec]) -> None:
    keys = [spec.key for spec in bank]
    assert len(keys) == len(set(keys))
    assert all(spec.key.startswith(f"authored:{spec.topic}:") for spec in bank)


def test_every_spec_is_well_formed(bank: list[QuestionSpec]) -> None:
    problems = {spec.key: spec_problems(spec) for spec in bank if spec_problems(spec)}
    assert problems == {}
    assert all(spec.template is None and spec.source.table is None for spec in bank)
    assert [spec.key for spec in bank if spec.source.section != spec.topic] == []


def test_explanations_name_their_section(bank: list[QuestionSpec]) -> None:
    missing = [
        spec.key
        for spec in bank
        if TOPICS[spec.source.section].rstrip("?").lower() not in spec.explanation.lower()
    ]
    assert missing == []


def test_explanations_cite_exactly_the_listed_footnotes(bank: list[QuestionSpec]) -> None:
    mismatched = {
        spec.key: (sorted(cited_footnotes(spec.explanation)), list(spec.source.footnotes))
        for spec in bank
        if cited_footnotes(spec.explanation) != set(spec.source.footnotes)
    }
    assert mismatched == {}


def test_footnotes_exist_in_the_report(bank: list[QuestionSpec]) -> None:
    bad = {
        spec.key: spec.source.footnotes
        for spec in bank
        if not all(1 <= n <= FOOTNOTE_COUNT for n in spec.source.footnotes)
    }
    assert bad == {}


def test_answer_numbers_appear_in_the_report(
    bank: list[QuestionSpec], report_numbers: set[float]
) -> None:
    unknown: dict[str, list[float]] = {}
    for spec in bank:
        if isinstance(spec.answer, NumericAnswer):
            values = {spec.answer.value}
        else:
            values = set().union(*(numbers_in(text) for text in answer_texts(spec)))
        stray = sorted(v for v in values if v not in report_numbers)
        if stray:
            unknown[spec.key] = stray
    assert unknown == {}


def test_ordering_choices_are_not_already_in_order(bank: list[QuestionSpec]) -> None:
    presented_solved = [
        spec.key for spec in bank if spec.type == "ordering" and spec.choices == spec.answer
    ]
    assert presented_solved == []


def test_matching_has_a_distractor_or_several_pairs(bank: list[QuestionSpec]) -> None:
    for spec in bank:
        if spec.type == "matching":
            assert spec.choices is not None and len(spec.choices) > len(spec.answer), spec.key  # type: ignore[arg-type]


def test_round_trip_through_the_json_shape(bank: list[QuestionSpec]) -> None:
    assert all(QuestionSpec.from_dict(spec.to_dict()) == spec for spec in bank)


def test_a_good_file_loads_with_defaults(tmp_path: Path) -> None:
    (tmp_path / "economics.toml").write_text(GOOD_QUESTION, encoding="utf-8")
    [spec] = load_authored(tmp_path)
    assert spec.choices is None and spec.source.table is None and spec.difficulty == 1


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[[question]\nkey = ", "cannot read TOML"),
        (
            GOOD_QUESTION.replace('type = "true_false"', 'type = "essay"'),
            "authored:economics:sample",
        ),
        (GOOD_QUESTION.replace("answer = true", 'answer = "yes"'), "true or false"),
        (GOOD_QUESTION.replace('topic = "economics"', 'topic = "energy"'), "does not match"),
        (GOOD_QUESTION.replace('section = "economics"', 'section = "nowhere"'), "source.section"),
        (GOOD_QUESTION.replace('key = "authored:economics:', 'key = "x:'), "must start with"),
        (GOOD_QUESTION.replace("explanation", "explaination"), "missing explanation"),
        (GOOD_QUESTION + GOOD_QUESTION, "duplicate key"),
        (
            GOOD_QUESTION.replace('type = "true_false"', 'type = "matching"').replace(
                "answer = true", 'choices = ["x", "y"]\nanswer = ["ax", "by"]'
            ),
            "[left, right]",
        ),
        (
            GOOD_QUESTION.replace('type = "true_false"', 'type = "numeric"').replace(
                "answer = true", "answer = 5"
            ),
            "numeric answer",
        ),
        ("title = 'no questions'", "unexpected top-level"),
    ],
)
def test_a_malformed_file_names_the_file(tmp_path: Path, text: str, fragment: str) -> None:
    (tmp_path / "economics.toml").write_text(text, encoding="utf-8")
    with pytest.raises(AuthoredError) as info:
        load_authored(tmp_path)
    assert "economics.toml" in str(info.value)
    assert fragment in str(info.value)


def test_a_malformed_question_is_named_by_index_without_a_key(tmp_path: Path) -> None:
    path = tmp_path / "economics.toml"
    path.write_text(GOOD_QUESTION + '\n[[question]]\ntype = "true_false"\n', encoding="utf-8")
    with pytest.raises(AuthoredError, match=r"economics\.toml: question 2: missing key"):
        load_authored_file(path)


def test_a_file_not_named_after_a_lesson_is_refused(tmp_path: Path) -> None:
    (tmp_path / "misc.toml").write_text(GOOD_QUESTION, encoding="utf-8")
    with pytest.raises(AuthoredError, match=r"misc\.toml"):
        load_authored(tmp_path)
