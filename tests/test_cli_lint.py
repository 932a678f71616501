"""``flask questions lint [FILE]``: one line per finding, a summary, exit 1 on any error."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from sinorus_learn.domain.formats import dump_gift, dump_json
from sinorus_learn.domain.questions import QuestionSpec, Source
from tests.support.questions import add_questions

BANK = Path(__file__).resolve().parent.parent / "question_bank"

CLEAN = QuestionSpec(
    key="lint:clean",
    type="multiple_choice",
    prompt="Which route did Moscow finally favour for the oil pipeline?",
    choices=("Daqing", "Nakhodka", "Skovorodino", "Harbin"),
    answer="Nakhodka",
    explanation="A Pacific terminal lets Russia sell to Japan and Korea, not to China alone.",
    topic="energy",
    source=Source(section="energy"),
    objectives=("energy.pipeline-route",),
    level="explain",
)
# The key is the longest option (a warning only).
WARNED = replace(
    CLEAN, key="lint:warned", choices=("Daqing", "Nakhodka", "Harbin"), answer="Nakhodka"
)
FLAWED = replace(CLEAN, key="lint:flawed", prompt="Which is NOT the the route?", level="")


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_json_file_with_errors_exits_1_naming_lines_and_rules(runner, tmp_path) -> None:
    path = write(tmp_path, "new.json", dump_json([CLEAN, FLAWED]))
    result = runner.invoke(args=["questions", "lint", path])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    flawed_line = dump_json([CLEAN, FLAWED]).splitlines().index("  {", 2) + 1
    assert f"line {flawed_line}  doubled-word  error  doubled words 'the the'" in lines
    assert f"line {flawed_line}  unbolded-not  error  write the negation in bold: **NOT**" in lines
    assert any(line.startswith(f"line {flawed_line}  missing-level  error") for line in lines)
    assert lines[-1] == "2 question(s) from new.json (JSON): 3 error(s), 0 warning(s)"


def test_a_gift_file_with_only_warnings_exits_0(runner, tmp_path) -> None:
    # GIFT carries no objectives or level yet, so lint a JSON twin for the clean case.
    path = write(tmp_path, "ok.json", dump_json([CLEAN, WARNED]))
    result = runner.invoke(args=["questions", "lint", path])
    assert result.exit_code == 0, result.output
    assert "longest-correct  warning" in result.output
    assert result.output.splitlines()[-1].endswith("0 error(s), 1 warning(s)")


def test_a_gift_file_reports_its_question_lines(runner, tmp_path) -> None:
    text = dump_gift([CLEAN, FLAWED])
    path = write(tmp_path, "new.gift", text)
    result = runner.invoke(args=["questions", "lint", path])
    assert result.exit_code == 1
    flawed_line = next(n for n, line in enumerate(text.splitlines(), 1) if "the the" in line)
    assert f"line {flawed_line}  doubled-word  error" in result.output
    assert "2 question(s) from new.gift (GIFT)" in result.output


def test_an_unknown_objective_is_checked_against_the_lessons(runner, tmp_path) -> None:
    stray = replace(CLEAN, objectives=("energy.no-such-objective",))
    result = runner.invoke(
        args=["questions", "lint", write(tmp_path, "q.json", dump_json([stray]))]
    )
    assert result.exit_code == 1
    assert "unknown-objective  error  'energy.no-such-objective'" in result.output


def test_a_broken_file_is_a_clear_message_not_a_traceback(runner, tmp_path) -> None:
    result = runner.invoke(args=["questions", "lint", write(tmp_path, "bad.json", '[{"key": 1')])
    assert result.exit_code == 2
    assert "bad.json: line 1: invalid JSON" in result.output
    assert "Traceback" not in result.output
    gift = write(tmp_path, "bad.gift", "::t:: What? {=A ~B\n")
    result = runner.invoke(args=["questions", "lint", gift])
    assert result.exit_code == 2 and "line 1: expected '}'" in result.output
    latin = tmp_path / "latin.gift"
    latin.write_bytes("Qui a sign\xe9 ? {T}".encode("latin-1"))
    result = runner.invoke(args=["questions", "lint", str(latin)])
    assert result.exit_code == 2 and "expected UTF-8 text" in result.output


def test_without_a_file_it_lints_the_active_bank_in_the_database(app, runner) -> None:
    add_questions(app, CLEAN, FLAWED)
    result = runner.invoke(args=["questions", "lint"])
    assert result.exit_code == 1, result.output
    assert "lint:flawed  doubled-word  error  doubled words 'the the'" in result.output
    assert "lint:clean" not in result.output
    assert result.output.splitlines()[-1] == (
        "2 question(s) from the active bank (database): 3 error(s), 0 warning(s)"
    )


def test_with_an_empty_database_it_lints_the_bank_files(app, runner, tmp_path) -> None:
    bank = tmp_path / "bank"
    for part in ("tables", "lessons"):
        shutil.copytree(BANK / part, bank / part)
    (bank / "questions").mkdir()
    (bank / "questions" / "energy.toml").write_text(
        """
[[question]]
key = "authored:energy:route"
type = "multiple_choice"
prompt = "Which route did Moscow finally favour for the oil pipeline?"
choices = ["Daqing", "Nakhodka", "Skovorodino", "Harbin"]
answer = "Nakhodka"
explanation = "A Pacific terminal lets Russia sell beyond China."
topic = "energy"
source = { section = "energy" }
objectives = ["energy.pipeline-route"]
level = "explain"
""",
        encoding="utf-8",
    )
    app.config["QUESTION_BANK_DIR"] = bank
    result = runner.invoke(args=["questions", "lint"])
    assert "the database holds no active questions" in result.output.splitlines()[-1]
    assert "authored:energy:route" not in result.output  # the hand-written one is clean
    count = int(result.output.splitlines()[-1].split(" question(s)")[0])
    assert count > 100  # the generated questions were linted too
