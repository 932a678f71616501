"""Import and export: round trip, idempotent re-import, all-or-nothing errors, the GIFT corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sinorus_learn import create_app
from sinorus_learn.domain.questions import NumericAnswer, QuestionSpec, Source
from sinorus_learn.extensions import db
from sinorus_learn.models import Question, QuestionVersion
from sinorus_learn.services import transfer
from sinorus_learn.services.transfer import TransferError
from tests.services.test_statistics import add_questions, mc_spec

CORPUS = Path("/work/shared/gift-corpus")

SPECS = (
    mc_spec("t/mc"),
    QuestionSpec(
        key="t/num",
        type="numeric",
        prompt="How many **million tons**?",
        choices=None,
        answer=NumericAnswer(15.3, 0.5, "million tons"),
        explanation="Table.",
        topic="energy",
        difficulty=2,
        source=Source("energy", "crude_oil_imports", ("2006",), (12,)),
        template="oil.shipments",
        tags=("oil",),
    ),
    QuestionSpec(
        key="t/tf",
        type="true_false",
        prompt="True?",
        choices=None,
        answer=False,
        explanation="",
        topic="sco",
    ),
    QuestionSpec(
        key="t/order",
        type="ordering",
        prompt="Order",
        choices=("b", "a", "c"),
        answer=("a", "b", "c"),
        explanation="",
        topic="historical-context",
    ),
    QuestionSpec(
        key="t/match",
        type="matching",
        prompt="Match",
        choices=("1", "2", "3"),
        answer=(("a", "1"), ("b", "2")),
        explanation="",
        topic="military",
    ),
    QuestionSpec(
        key="t/short",
        type="short_text",
        prompt="Name it",
        choices=None,
        answer=("SCO", "Shanghai Cooperation Organization"),
        explanation="",
        topic="sco",
    ),
    QuestionSpec(
        key="t/ms",
        type="multiple_select",
        prompt="Pick",
        choices=("a", "b", "c"),
        answer=("a", "c"),
        explanation="",
        topic="economics",
    ),
)


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count(Question.id))),
            db.session.scalar(select(func.count(QuestionVersion.id))),
        )


def test_json_round_trip_into_an_empty_database(app, tmp_path) -> None:
    add_questions(app, *SPECS)
    with app.app_context():
        exported = transfer.export_questions("json")
    assert exported.count == len(SPECS)
    data = json.loads(exported.text)
    assert set(data[0]) >= {
        "key",
        "type",
        "prompt",
        "choices",
        "answer",
        "explanation",
        "topic",
        "difficulty",
        "source",
    }
    other = create_app(
        {"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'other.db'}"}
    )
    with other.app_context():
        db.create_all()
        report = transfer.import_questions(exported.text, "bank.json")
        assert sorted(report.added) == sorted(s.key for s in SPECS)
        again = transfer.export_specs()
        origins = dict(db.session.execute(select(Question.key, Question.origin)).all())
        db.session.remove()
        db.engine.dispose()
    assert sorted(again, key=lambda s: s.key) == sorted(SPECS, key=lambda s: s.key)
    assert origins["t/num"] == "generated" and origins["t/mc"] == "imported"


def test_reimport_adds_nothing_and_a_change_makes_a_version(app) -> None:
    add_questions(app, *SPECS)
    with app.app_context():
        text = transfer.export_questions("json").text
    before = counts(app)
    with app.app_context():
        report = transfer.import_questions(text, "bank.json")
    assert len(report.unchanged) == len(SPECS) and not report.added and not report.updated
    assert counts(app) == before
    data = json.loads(text)
    data[0]["prompt"] = "A better prompt?"
    with app.app_context():
        dry = transfer.import_questions(json.dumps(data), "bank.json", dry_run=True)
        assert dry.updated == [data[0]["key"]] and counts(app) == before
        real = transfer.import_questions(json.dumps(data), "bank.json")
    assert real.updated == [data[0]["key"]]
    assert counts(app) == (before[0], before[1] + 1)


def test_gift_export_then_import_is_idempotent(app) -> None:
    gift = "::Capital:: Which city hosts the SCO secretariat? {=Beijing ~Moscow ~Astana}\n"
    with app.app_context():
        first = transfer.import_questions(gift, "q.gift")
        second = transfer.import_questions(gift, "q.gift")
        exported = transfer.export_questions("gift")
    assert len(first.added) == 1 and second.unchanged == first.added
    assert "Beijing" in exported.text


@pytest.mark.parametrize(
    ("text", "name", "line", "expected"),
    [
        ("::A:: Fine {=a ~b}\n\n::B:: Broken {=a ~b\n", "x.gift", 3, ""),
        ('[{"key": "k", "type": "numeric"', "x.json", 1, "invalid JSON"),
        ('{"key": "k"}', "x.json", 1, "expected a list"),
        ('[{"key": "k", "type": "essay", "prompt": "p"}]', "x.json", None, ""),
        (json.dumps([mc_spec("k", topic="nowhere").to_dict()]), "x.json", None, "unknown topic"),
        (json.dumps([mc_spec("k" * 300).to_dict()]), "x.json", None, "key is too long"),
    ],
)
def test_malformed_files_write_nothing_and_say_where(app, text, name, line, expected) -> None:
    add_questions(app, mc_spec("existing"))
    before = counts(app)
    with app.app_context(), pytest.raises(TransferError) as info:
        transfer.import_questions(text, name)
    assert info.value.line == line
    assert expected in str(info.value)
    assert counts(app) == before


def test_an_error_after_good_questions_rolls_everything_back(app) -> None:
    good = mc_spec("good").to_dict()
    bad = {**mc_spec("bad").to_dict(), "answer": "not a choice"}
    with app.app_context(), pytest.raises(TransferError):
        transfer.import_questions(json.dumps([good, bad]), "x.json")
    assert counts(app) == (0, 0)


def test_moodle_corpus_imports_and_names_skipped_essays(app) -> None:
    text = (CORPUS / "moodle" / "questions.gift.txt").read_text()
    with app.app_context():
        report = transfer.import_questions(text, "questions.gift.txt")
    assert report.added
    assert any(s.kind == "essay" and s.name for s in report.skipped)
    assert any("essay" in line and "“" in line for line in report.lines())


@pytest.mark.parametrize("path", sorted((CORPUS / "peg").glob("*.gift")), ids=lambda p: p.name)
def test_every_peg_corpus_file_imports_or_fails_cleanly(app, path) -> None:
    with app.app_context():
        try:
            report = transfer.import_questions(path.read_text(), path.name, dry_run=True)
        except TransferError as exc:
            assert str(exc)
            return
    assert report.added or report.skipped


def test_cli_import_dry_run_export_and_error_exit(app, runner, tmp_path) -> None:
    source = tmp_path / "bank.json"
    source.write_text(json.dumps([s.to_dict() for s in SPECS]))
    dry = runner.invoke(args=["questions", "import", str(source), "--dry-run"])
    assert dry.exit_code == 0 and "7 question(s) would be added" in dry.output
    assert counts(app) == (0, 0)
    done = runner.invoke(args=["questions", "import", str(source)])
    assert done.exit_code == 0 and counts(app)[0] == 7
    out = tmp_path / "out.json"
    exported = runner.invoke(
        args=["questions", "export", "--format", "json", "-o", str(out), "--topic", "sco"]
    )
    assert exported.exit_code == 0
    assert {q["key"] for q in json.loads(out.read_text())} == {"t/tf", "t/short"}
    gift = runner.invoke(args=["questions", "export", "--format", "gift", "--source", "imported"])
    assert gift.exit_code == 0 and "::" in gift.output
    broken = tmp_path / "broken.gift"
    broken.write_text("::A:: ok {=a ~b}\n\n::B:: no end {=a ~b\n")
    failed = runner.invoke(args=["questions", "import", str(broken)])
    assert failed.exit_code != 0 and "line 3" in failed.output
    assert counts(app)[0] == 7
