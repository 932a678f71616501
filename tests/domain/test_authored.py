"""The hand-written question bank: well formed, classified, backed by the report's own words,
written to LEARNING.md section 5, and faithful to the report's numbers."""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest

from sinorus_learn.domain.authored import AuthoredError, load_authored, load_authored_file
from sinorus_learn.domain.bank_check import bank_problems
from sinorus_learn.domain.content import load_lessons, objectives_by_topic
from sinorus_learn.domain.evidence import ReportText
from sinorus_learn.domain.generators import generate_bank
from sinorus_learn.domain.questions import (
    QUESTION_TYPES,
    TOPICS,
    NumericAnswer,
    QuestionSpec,
    spec_problems,
)
from sinorus_learn.domain.tables import load_tables
from tests.conftest import require_shared

REPO_ROOT = Path(__file__).resolve().parents[2]
BANK_DIR = REPO_ROOT / "question_bank"
QUESTIONS_DIR = BANK_DIR / "questions"
FOOTNOTE_COUNT = 32
MAX_EXPLANATION_WORDS = 60  # LEARNING.md section 6: two or three sentences, own words
MAX_EVIDENCE_WORDS = 25  # issue 15: one short quotation, only what the key rests on
MAX_LONGEST_CORRECT = 0.35  # share of single-answer MC whose key is the strictly longest option
NUMBER_RE = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
OPTION_NUMBER_RE = re.compile(r"\$?(\d[\d,]*(?:\.\d+)?)(?:\s*(?:%|percent|billion|million)\b.*)?")
# A citation in an explanation: "footnote 8", or a section label opening it ("Energy: ...").
CITATION_RE = re.compile(
    r"\bfootnotes?\s+\d|^(?:"
    + "|".join(re.escape(t) for t in TOPICS.values())
    + r")(?:\s*\([^)]*\))?(?:,\s*footnotes?[^:]*)?:",
    re.IGNORECASE,
)

GOOD_QUESTION = """
[[question]]
key = "authored:economics:sample"
type = "true_false"
prompt = "True or false: sample."
answer = true
explanation = "Economics: sample."
topic = "economics"
source = { section = "economics" }
objectives = ["economics.trade-growth"]
level = "recall"
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


def strictly_longest(spec: QuestionSpec) -> bool:
    """Return whether a single-answer MC's key is longer than every other option."""
    key = str(spec.answer)
    return all(len(key) > len(c) for c in spec.choices or () if c != key)


def as_number(option: str) -> float | None:
    """Return the number an option consists of ("$12 billion", "2006", "40 percent"), else None."""
    match = OPTION_NUMBER_RE.fullmatch(option)
    return float(match.group(1).replace(",", "")) if match else None


def test_numbers_are_read_as_printed() -> None:
    assert numbers_in("a 2,700-mile border, 130,040 troops, 88.7 percent, the 1990s") == {
        2700.0,
        130040.0,
        88.7,
        1990.0,
    }
    assert as_number("$60 billion to $80 billion") == 60.0
    assert as_number("2 percent") == 2.0
    assert as_number("Iran and North Korea") is None
    assert CITATION_RE.search("Energy, footnote 8: the share rose.")
    assert CITATION_RE.search("Military cooperation: Russia sold ...")
    assert CITATION_RE.search("United Nations (introduction): the two ...")
    assert not CITATION_RE.search("Energy already made up a large share: it grew.")


def test_every_lesson_has_enough_questions(bank: list[QuestionSpec]) -> None:
    counts = Counter(spec.topic for spec in bank)
    assert set(counts) == set(TOPICS)
    assert all(counts[slug] >= 8 for slug in TOPICS), counts  # issue 15 raised the ceiling


def test_every_type_is_present(bank: list[QuestionSpec]) -> None:
    assert {spec.type for spec in bank} == set(QUESTION_TYPES)


def test_keys_are_unique_and_namespaced(bank: list[QuestionSpec]) -> None:
    keys = [spec.key for spec in bank]
    assert len(keys) == len(set(keys))
    assert all(spec.key.startswith(f"authored:{spec.topic}:") for spec in bank)


def test_every_spec_is_well_formed(bank: list[QuestionSpec]) -> None:
    problems = {spec.key: spec_problems(spec) for spec in bank if spec_problems(spec)}
    assert problems == {}
    assert all(spec.template is None and spec.source.table is None for spec in bank)
    # source.section is where the evidence is quoted from: the question's own topic, or another
    # section it connects (checked against the report in test_content_report.py)
    assert [spec.key for spec in bank if spec.source.section not in TOPICS] == []


def test_explanations_are_short_and_carry_no_citation(bank: list[QuestionSpec]) -> None:
    # Provenance (section, footnote, evidence) is shown separately from the explanation.
    too_long = {
        spec.key: len(spec.explanation.split())
        for spec in bank
        if len(spec.explanation.split()) > MAX_EXPLANATION_WORDS
    }
    cited = [spec.key for spec in bank if CITATION_RE.search(spec.explanation)]
    assert too_long == {}
    assert cited == []


@pytest.fixture(scope="module")
def report() -> ReportText:
    """The copy of the report that evidence is checked against."""
    return ReportText.from_file(BANK_DIR / "report" / "china-and-russia.md")


def test_the_bank_is_classified_and_its_evidence_is_the_reports(
    bank: list[QuestionSpec], report: ReportText
) -> None:
    assert bank_problems(bank, load_lessons(BANK_DIR / "lessons"), report) == []


def test_every_objective_is_practised_by_some_question(bank: list[QuestionSpec]) -> None:
    # An objective no question names cannot be practised or measured; the table-reading ones
    # may rest on generated questions alone, every other one needs a hand-written question.
    lessons = load_lessons(BANK_DIR / "lessons")
    shipped = generate_bank(load_tables(BANK_DIR / "tables"), seed=0) + bank
    named = {o for spec in shipped for o in spec.objectives}
    by_hand = {o for spec in bank for o in spec.objectives}
    tabled = {o for spec in shipped if spec.template for o in spec.objectives}
    every = {o for ids in objectives_by_topic(lessons).values() for o in ids}
    assert every - named == set()
    assert every - by_hand - tabled == set()


def test_every_question_quotes_short_evidence(bank: list[QuestionSpec]) -> None:
    missing = [spec.key for spec in bank if not spec.evidence.strip()]
    too_long = [spec.key for spec in bank if len(spec.evidence.split()) > MAX_EVIDENCE_WORDS]
    assert missing == []
    assert too_long == []


def test_facts_and_givens_name_real_cells_and_events(bank: list[QuestionSpec]) -> None:
    tables = load_tables(BANK_DIR / "tables")
    # a derived quantity a generated question asks (a share's peak, a count) is a fact too
    generated = {spec.fact_id for spec in generate_bank(tables, seed=0)}
    bad: list[str] = []
    for spec in bank:
        for fact in (spec.fact, *spec.given):
            if not fact or fact.startswith("claim:") or fact in generated:
                continue
            table_id, _, rest = fact.partition(":")
            table = tables.get(table_id)
            if table is None:
                bad.append(f"{spec.key}: {fact}")
            elif table_id == "timeline":
                # an event's date, or the order of events a generated chronology asks
                events = rest.removeprefix("derived:chronology:").split("|")
                if any(event not in table.keys for event in events):
                    bad.append(f"{spec.key}: {fact}")
            else:
                row, _, column = rest.rpartition(":")
                if row not in table.keys or column not in {c.id for c in table.columns}:
                    bad.append(f"{spec.key}: {fact}")
    assert bad == []
    assert [spec.key for spec in bank if spec.fact_id in spec.given] == []


def test_a_stated_claim_is_a_claim_some_question_asks(bank: list[QuestionSpec]) -> None:
    asked = {spec.fact_id for spec in bank}
    stated = {g for spec in bank for g in spec.given if g.startswith("claim:")}
    assert stated - asked == set()


def test_the_key_is_rarely_the_longest_option(bank: list[QuestionSpec]) -> None:
    single = [spec for spec in bank if spec.type == "multiple_choice"]
    longest = [spec.key for spec in single if strictly_longest(spec)]
    assert len(longest) <= MAX_LONGEST_CORRECT * len(single), longest


def test_numeric_options_are_in_ascending_order(bank: list[QuestionSpec]) -> None:
    unsorted = []
    for spec in bank:
        if spec.type in ("multiple_choice", "multiple_select") and spec.choices:
            numbers = [as_number(choice) for choice in spec.choices]
            if None not in numbers and numbers != sorted(numbers):  # type: ignore[type-var]
                unsorted.append(spec.key)
    assert unsorted == []


def test_option_feedback_is_for_a_wrong_option(bank: list[QuestionSpec]) -> None:
    bad = []
    for spec in bank:
        right = set(answer_texts(spec))
        for option, text in spec.option_feedback:
            if option not in (spec.choices or ()) or option in right or not text.strip():
                bad.append(f"{spec.key}: {option}")
    assert bad == []


def test_a_not_in_a_stem_is_bold(bank: list[QuestionSpec]) -> None:
    unbolded = [
        spec.key
        for spec in bank
        if re.search(r"\bNOT\b", spec.prompt) and "**NOT**" not in spec.prompt
    ]
    assert unbolded == []


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
