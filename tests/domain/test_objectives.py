"""Lesson objectives load with their rules; evidence must be the report's own words."""

from __future__ import annotations

from pathlib import Path

import pytest

from sinorus_learn.domain.content import ContentError, load_lesson, load_lessons
from sinorus_learn.domain.evidence import ReportText, evidence_problems
from sinorus_learn.domain.questions import QuestionSpec, classification_problems

BANK = Path(__file__).resolve().parents[2] / "question_bank"
REPORT = ReportText.from_file(BANK / "report" / "china-and-russia.md")

LESSON = """\
slug = "energy"
title = "Energy"
section = "Energy"
position = 4
summary = "Oil and gas."

[[key_points]]
text = "Russia is an obvious source."
{evidence}
{objectives}
"""


def lesson_with(tmp_path: Path, objectives: list[tuple[str, str]], evidence: str = "") -> Path:
    blocks = "".join(f'[[objectives]]\nid = "{i}"\ntext = "{t}"\n\n' for i, t in objectives)
    path = tmp_path / "04-energy.toml"
    line = f'evidence = "{evidence}"\n' if evidence else ""
    path.write_text(LESSON.format(objectives=blocks, evidence=line), encoding="utf-8")
    return path


def four(prefix: str = "energy") -> list[tuple[str, str]]:
    return [(f"{prefix}.o{i}", f"Explain point {i}") for i in range(4)]


def test_every_shipped_lesson_has_four_to_eight_objectives_of_its_own() -> None:
    seen: set[str] = set()
    for lesson in load_lessons(BANK / "lessons"):
        assert 4 <= len(lesson.objectives) <= 8, lesson.slug
        for objective in lesson.objectives:
            assert objective.id.startswith(f"{lesson.slug}.")
            assert objective.text.strip()
            assert objective.id not in seen
            seen.add(objective.id)


def test_a_lesson_with_four_objectives_loads(tmp_path: Path) -> None:
    lesson = load_lesson(lesson_with(tmp_path, four()))
    assert [o.id for o in lesson.objectives] == [f"energy.o{i}" for i in range(4)]


@pytest.mark.parametrize(
    ("objectives", "message"),
    [
        (four()[:3], "needs 4 to 8 objectives, found 3"),
        (four() + [(f"energy.x{i}", "More") for i in range(5)], "found 9"),
        (four() + [("energy.o1", "Again")], "duplicate objective id 'energy.o1'"),
        (four()[:3] + [("energy.o9", " ")], "must not be empty"),
        (four()[:3] + [("sco.o9", "Elsewhere")], "must look like 'energy.<name>'"),
    ],
)
def test_the_loader_refuses_bad_objectives(
    tmp_path: Path, objectives: list[tuple[str, str]], message: str
) -> None:
    with pytest.raises(ContentError, match="04-energy.toml") as error:
        load_lesson(lesson_with(tmp_path, objectives))
    assert message in str(error.value)


def test_evidence_spanning_a_page_break_and_curly_quotes_is_found() -> None:
    assert REPORT.contains("Before that, China had viewed external powers as inferiors")
    assert REPORT.contains("The Tiananmen Square crackdown of the following month")
    assert REPORT.contains("“not directed at any third country.”")
    assert REPORT.contains("which ultimately led to the violent crackdown of June 4")
    assert REPORT.contains("total trade reaching more than $33 billion in 2006")


def test_evidence_that_is_not_the_report_s_words_is_refused() -> None:
    assert not REPORT.contains("Russia stayed publicly silent on the antisatellite test")
    assert not REPORT.contains("")
    (problem,) = evidence_problems("Russia threatened to overshadow the SCO", REPORT)
    assert "not in the report word for word" in problem
    long_quote = " ".join(["word"] * 31)
    assert any("longer than" in p for p in evidence_problems(long_quote, REPORT))
    assert evidence_problems("threatened at first to overshadow the SCO", REPORT) == []


def test_a_lesson_key_point_with_false_evidence_is_a_bank_problem(tmp_path: Path) -> None:
    from sinorus_learn.domain.bank_check import bank_problems

    lesson = load_lesson(lesson_with(tmp_path, four(), evidence="Russia is the obvious source"))
    (problem,) = bank_problems([], [lesson], REPORT)
    assert problem.startswith("lesson energy, key point 1: evidence")


def spec(**changes: object) -> QuestionSpec:
    base: dict[str, object] = {
        "key": "k",
        "type": "true_false",
        "prompt": "Russia is China's largest oil provider.",
        "answer": False,
        "explanation": "Fourth.",
        "topic": "energy",
        "objectives": ["energy.o1"],
        "level": "recall",
    }
    base.update(changes)
    return QuestionSpec.from_dict(base)


def test_classification_needs_a_level_and_objectives_of_the_topic() -> None:
    known = {"energy": ("energy.o1", "energy.o2")}
    assert classification_problems(spec(), known) == []
    assert classification_problems(spec(level=""), known) == [
        "level must be one of recall, explain, data, evaluate"
    ]
    assert classification_problems(spec(objectives=[]), known) == [
        "at least one objective is needed"
    ]
    assert classification_problems(spec(objectives=["sco.o1"]), known) == [
        "objective 'sco.o1' is not one of topic 'energy''s"
    ]


def test_a_question_cannot_give_away_its_own_fact() -> None:
    from sinorus_learn.domain.questions import QuestionSpecError

    with pytest.raises(QuestionSpecError, match="its own fact"):
        spec(fact="oil:2005:share", given=["oil:2005:share"])
    assert spec(fact="oil:2005:share").fact_id == "oil:2005:share"
    assert spec().fact_id == "k"


def test_the_json_shape_round_trips_the_classification() -> None:
    original = spec(
        fact="oil:2005:share",
        given=["oil:2005:shipments"],
        evidence="fourth-largest oil provider",
        level="recall",
    )
    again = QuestionSpec.from_dict(original.to_dict())
    assert again == original
    assert again.to_dict()["objectives"] == ["energy.o1"]
