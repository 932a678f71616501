"""The GIFT importer against real files: the GIFT-grammar-PEG.js test set and Moodle's fixtures."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

import pytest

from sinorus_learn.domain.formats import GiftImport, ImportedQuestion, SkippedQuestion, parse_gift
from sinorus_learn.domain.markup import plain_text, sanitise_html
from sinorus_learn.domain.qtypes import ExplainAnswer
from sinorus_learn.domain.questions import NumericAnswer, QuestionSpec
from tests.conftest import require_shared

REPO_ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("SINORUS_GIFT_CORPUS") or REPO_ROOT.parent / "shared" / "gift-corpus")
PEG_FILES = sorted((CORPUS / "peg").glob("*.gift")) if CORPUS.is_dir() else []


def _require_corpus() -> None:
    require_shared(
        CORPUS.is_dir() and bool(PEG_FILES),
        f"GIFT corpus not found at {CORPUS} (set SINORUS_GIFT_CORPUS)",
    )


def _norm(text: str) -> str:
    return " ".join(text.split())


def _option(spec: QuestionSpec, text: str) -> str:
    """An option as the importer keeps it: an [html] question's as plain text."""
    return _norm(plain_text(text) if spec.text_format == "html" else text)


def _in_order(result: GiftImport) -> list[ImportedQuestion | SkippedQuestion]:
    """Questions and skipped items (not categories) in file order."""
    items: list[Any] = [*result.questions, *(s for s in result.skipped if s.kind != "category")]
    return sorted(items, key=lambda item: item.line)


def test_corpus_is_present() -> None:
    _require_corpus()
    assert len(PEG_FILES) >= 50
    assert all(path.with_suffix(".json").is_file() for path in PEG_FILES)
    assert (CORPUS / "moodle" / "questions.gift.txt").is_file()


@pytest.mark.parametrize("path", PEG_FILES, ids=lambda p: p.stem)
def test_peg_file_matches_the_expected_parse(path: Path) -> None:
    _require_corpus()
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    result = parse_gift(path.read_text(encoding="utf-8"))

    categories = [e["title"] for e in expected if e["type"] == "Category"]
    questions = [e for e in expected if e["type"] != "Category"]
    if not questions:  # a category-only file: reported, never silently dropped
        assert [s.name for s in result.skipped if s.kind == "category"] == categories
        assert result.questions == ()
        return
    got = _in_order(result)
    assert len(got) == len(questions), [type(g).__name__ for g in got]
    for exp, item in zip(questions, got, strict=True):
        _check(exp, item)


def _check(exp: dict[str, Any], item: ImportedQuestion | SkippedQuestion) -> None:
    kind = exp["type"]
    if kind == "Description":
        assert isinstance(item, SkippedQuestion), exp
        assert item.kind == kind.lower()
        name = exp["title"] or _norm(exp["stem"]["text"])[:60]
        assert item.name == name
        return
    assert isinstance(item, ImportedQuestion), (exp, item)
    spec = item.spec
    stem = exp["stem"]["text"]
    assert _norm(spec.prompt) == _norm(
        sanitise_html(stem) if exp["stem"]["format"] == "html" else stem
    )
    if exp["title"]:
        assert spec.key.startswith("import:")
    CHECKS[kind](exp, spec)


def _check_tf(exp: dict[str, Any], spec: QuestionSpec) -> None:
    assert spec.type == "true_false"
    assert spec.answer is exp["isTrue"]


def _check_mc(exp: dict[str, Any], spec: QuestionSpec) -> None:
    choices = exp["choices"]
    assert tuple(_norm(c) for c in spec.choices or ()) == tuple(
        _option(spec, c["text"]["text"]) for c in choices
    )
    correct = [_option(spec, c["text"]["text"]) for c in choices if c["isCorrect"]]
    if len(correct) == 1:
        assert spec.type == "multiple_choice"
        assert _norm(str(spec.answer)) == correct[0]
        return
    if not correct:  # Moodle's multiple response: the positive weights are the correct set
        correct = [_option(spec, c["text"]["text"]) for c in choices if (c["weight"] or 0) > 0]
    assert spec.type == "multiple_select"
    assert spec.answer == tuple(correct)


def _check_short(exp: dict[str, Any], spec: QuestionSpec) -> None:
    assert spec.type == "short_text"
    full = [c["text"]["text"] for c in exp["choices"] if c["weight"] in (None, 100)]
    assert tuple(_norm(a) for a in spec.answer) == tuple(_option(spec, a) for a in full)  # type: ignore[union-attr]


def _check_matching(exp: dict[str, Any], spec: QuestionSpec) -> None:
    assert spec.type == "matching"
    pairs = exp["matchPairs"]
    assert spec.answer == tuple(
        (_norm(p["subquestion"]["text"]), p["subanswer"]) for p in pairs if p["subquestion"]["text"]
    )
    assert spec.choices == tuple(dict.fromkeys(p["subanswer"] for p in pairs))


def _check_essay(exp: dict[str, Any], spec: QuestionSpec) -> None:
    """An essay imports as explain: its general feedback is the model answer, no checklist."""
    assert spec.type == "explain"
    assert isinstance(spec.answer, ExplainAnswer)
    assert spec.answer.points == () and spec.answer.needs_checklist
    general = (exp.get("globalFeedback") or {}).get("text") or ""
    assert _norm(spec.answer.model) == _norm(general)


def _check_numeric(exp: dict[str, Any], spec: QuestionSpec) -> None:
    assert spec.type == "numeric"
    choices = exp["choices"]
    if isinstance(choices, list):  # several answers: the 100% one is the key
        choices = next(c["text"] for c in choices if c["isCorrect"] and c["weight"] in (None, 100))
    assert isinstance(spec.answer, NumericAnswer)
    if choices["type"] == "high-low":
        low, high = choices["numberLow"], choices["numberHigh"]
        assert math.isclose(spec.answer.low, low) and math.isclose(spec.answer.high, high)
    else:
        assert spec.answer.value == choices["number"]
        assert spec.answer.tolerance == choices.get("range", 0)


CHECKS = {
    "TF": _check_tf,
    "MC": _check_mc,
    "Short": _check_short,
    "Matching": _check_matching,
    "Numerical": _check_numeric,
    "Essay": _check_essay,
}


def _by_key(name: str) -> dict[str, QuestionSpec]:
    _require_corpus()
    result = parse_gift((CORPUS / "moodle" / name).read_text(encoding="utf-8"))
    return {q.spec.key: q.spec for q in result.questions}


def test_moodle_questions_fixture() -> None:
    _require_corpus()
    result = parse_gift((CORPUS / "moodle" / "questions.gift.txt").read_text(encoding="utf-8"))
    assert result.skipped == ()  # nothing skipped: the essay imports as explain
    specs = {q.spec.key: q.spec for q in result.questions}
    essay = specs.pop("import:q8")
    assert (essay.type, essay.prompt) == ("explain", "How are you?")
    assert essay.answer == ExplainAnswer(model="") and essay.answer.needs_checklist
    assert list(specs) == [
        "import:moodle-activities",
        "import:q2",
        "import:colours",
        "import:q5",
        "import:shortanswer",
        "import:q1",
        "import:2-08-tsl",
        "import:2-08-tsl-2",  # the same title twice still gets two keys
    ]
    match = specs["import:moodle-activities"]
    assert match.type == "matching" and len(match.answer) == 4  # type: ignore[arg-type]
    assert match.choices == ("Forum", "Choice", "Database", "Wiki", "Chat")  # distractor kept
    assert match.answer[1] == (  # type: ignore[index]
        "A teacher asks a question and specifies a choice of multiple responses.",
        "Choice",
    )
    assert specs["import:q2"].answer == "yellow"
    # Moodle's per-answer feedback on a wrong choice is shown to whoever picks that choice.
    assert ("red", "wrong, it's yellow") in specs["import:q2"].option_feedback
    assert specs["import:q2"].explanation == "- yellow: right; good!"
    assert specs["import:colours"].answer == ("yellow", "off-beige")
    assert specs["import:q5"].answer == NumericAnswer(3, 2)
    assert specs["import:shortanswer"].answer == ("Frog",)
    assert "gift:partial-credit" in specs["import:shortanswer"].tags
    tf = specs["import:q1"]
    assert tf.answer is False
    assert tf.explanation.startswith("This is, of course, a Hitchiker's Guide")
    assert "- True: 42 is the Ultimate Answer." in tf.explanation
    assert specs["import:2-08-tsl"].answer is True


def test_moodle_category_fixture() -> None:
    _require_corpus()
    text = (CORPUS / "moodle" / "questions_in_category.gift.txt").read_text(encoding="utf-8")
    result = parse_gift(text, default_topic="energy")
    assert result.skipped == ()
    assert {q.category for q in result.questions} == {"$course$/Default for New Features"}
    specs = {q.spec.key: q.spec for q in result.questions}
    greeting = specs["import:greeting"]
    assert greeting.topic == "energy"  # the category names no topic: the default
    assert "category:$course$/Default for New Features" in greeting.tags
    assert "gift:html" in greeting.tags
    assert greeting.text_format == "html"  # [html]: sanitised HTML, links kept, made safe
    assert greeting.prompt.startswith(
        '<a href="http://demo.moodle.net/file.php/5/media/bonjour.mp3" rel="noopener noreferrer'
    )
    assert "Listen to this greeting:</a>" in greeting.prompt
    assert greeting.answer == "French"
    assert specs["import:moodle-user"].answer == ("Moodler",)
    acronym = specs["import:moodle-acronym"]
    assert acronym.answer is True and acronym.text_format == "html"
    assert "<span" not in acronym.prompt and "style=" not in acronym.prompt  # not on the allow-list


def test_foreign_files_carry_no_classification() -> None:
    """Moodle's files have no levels or objectives: an import must ask for defaults."""
    _require_corpus()
    for path in [CORPUS / "moodle" / "questions.gift.txt", *PEG_FILES]:
        try:
            result = parse_gift(path.read_text(encoding="utf-8"))
        except ValueError:
            continue  # a file the PEG set means to be malformed
        for item in result.questions:
            assert (item.spec.level, item.spec.objectives) == ("", ()), path.name
