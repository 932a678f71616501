"""Import and export: round trip, idempotent re-import, all-or-nothing errors, the GIFT corpus."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sinorus_learn import create_app
from sinorus_learn.domain.formats import FormatError
from sinorus_learn.domain.questions import NumericAnswer, QuestionSpec, Source
from sinorus_learn.extensions import db
from sinorus_learn.models import Question, QuestionVersion
from sinorus_learn.services import transfer
from tests.support.content import objective_ids
from tests.support.questions import add_questions, mc_spec

CORPUS = Path("/work/shared/gift-corpus")
# An objective of each topic used here (the shipped lessons'), for classified fixtures.
OBJECTIVE = {
    "energy": "energy.oil-table",
    "sco": "sco.origins",
    "historical-context": "historical-context.nerchinsk",
    "military": "military.arms-scale",
    "economics": "economics.trade-growth",
    "overview": "overview.best-ever",
}
# What a foreign (Moodle) file needs to be let in: a level, and objectives of the chosen topic.
DEFAULTS = {"default_level": "recall", "default_objectives": ("overview.best-ever",)}


def classified(spec: QuestionSpec, level: str = "recall") -> QuestionSpec:
    """Return ``spec`` filed under its topic's first test objective at ``level``."""
    return dataclasses.replace(spec, level=level, objectives=(OBJECTIVE[spec.topic],))


SPECS = tuple(
    classified(s)
    for s in (
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
            fact="claim:t-match",
            given=("timeline:nerchinsk",),
            evidence="some words",
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
            option_feedback=(("b", "b is the misreading"),),
        ),
    )
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
        *("objectives", "level", "fact", "given", "evidence", "option_feedback"),
    }
    match = next(row for row in data if row["key"] == "t/match")
    assert (match["objectives"], match["level"]) == (["military.arms-scale"], "recall")
    assert (match["fact"], match["given"]) == ("claim:t-match", ["timeline:nerchinsk"])
    assert match["evidence"] == "some words"
    other = create_app(
        {"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'other.db'}"}
    )
    with other.app_context():
        db.create_all()
        report = transfer.import_questions(
            exported.text, "bank.json", objectives=objective_ids(), publish=True
        )
        assert sorted(report.added) == sorted(s.key for s in SPECS)
        again = transfer.export_specs()
        origins = dict(db.session.execute(select(Question.key, Question.origin)).all())
        db.session.remove()
        db.engine.dispose()
    assert sorted(again, key=lambda s: s.key) == sorted(SPECS, key=lambda s: s.key)
    assert origins["t/num"] == "generated" and origins["t/mc"] == "imported"


def test_imported_questions_store_their_classification(app) -> None:
    with app.app_context():
        transfer.import_questions(
            json.dumps([s.to_dict() for s in SPECS]), "bank.json", objectives=objective_ids()
        )
        question, version = db.session.execute(
            select(Question, QuestionVersion)
            .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
            .where(Question.key == "t/match")
        ).one()
        assert question.objectives == ["military.arms-scale"] and question.level == "recall"
        assert (question.fact, question.given) == ("claim:t-match", ["timeline:nerchinsk"])
        assert version.evidence == "some words"
        ms = db.session.scalar(select(Question).where(Question.key == "t/ms"))
        ms_version = db.session.get(QuestionVersion, ms.current_version_id)
        assert ms_version.option_feedback == [["b", "b is the misreading"]]
        assert ms.fact == "t/ms"  # a fact of its own: its key


def test_reimport_adds_nothing_and_a_change_makes_a_version(app) -> None:
    add_questions(app, *SPECS)
    with app.app_context():
        text = transfer.export_questions("json").text
    before = counts(app)
    with app.app_context():
        report = transfer.import_questions(text, "bank.json", objectives=objective_ids())
    assert len(report.unchanged) == len(SPECS) and not report.added and not report.updated
    assert counts(app) == before
    data = json.loads(text)
    data[0]["prompt"] = "A better prompt?"
    with app.app_context():
        dry = transfer.import_questions(
            json.dumps(data), "bank.json", objectives=objective_ids(), dry_run=True
        )
        assert dry.updated == [data[0]["key"]] and counts(app) == before
        real = transfer.import_questions(json.dumps(data), "bank.json", objectives=objective_ids())
    assert real.updated == [data[0]["key"]]
    assert counts(app) == (before[0], before[1] + 1)


def test_gift_export_then_import_is_idempotent(app) -> None:
    gift = "::Capital:: Which city hosts the SCO secretariat? {=Beijing ~Moscow ~Astana}\n"
    with app.app_context():
        first = transfer.import_questions(
            gift, "q.gift", objectives=objective_ids(), publish=True, **DEFAULTS
        )
        second = transfer.import_questions(gift, "q.gift", objectives=objective_ids(), **DEFAULTS)
        exported = transfer.export_questions("gift")
        again = transfer.import_questions(exported.text, "bank.gift", objectives=objective_ids())
    assert len(first.added) == 1 and second.unchanged == first.added
    assert "Beijing" in exported.text
    # The export carries the classification the defaults gave, so it imports with no defaults.
    assert "// @level recall\n// @objectives overview.best-ever\n" in exported.text
    assert again.unchanged == first.added


def test_gift_classification_round_trips_through_the_bank(app) -> None:
    add_questions(app, *SPECS)
    with app.app_context():
        text = transfer.export_questions("gift").text
        report = transfer.import_questions(text, "bank.gift", objectives=objective_ids())
    assert "// @fact claim:t-match\n// @given timeline:nerchinsk\n// @evidence some words" in text
    assert "~%-100%b#b is the misreading" in text
    # Test keys ("t/match") are not bank keys, so they come back under import: keys, with
    # everything GIFT can say about them.
    assert "import:t-match" in report.added
    with app.app_context():
        question = db.session.scalar(select(Question).where(Question.key == "import:t-match"))
        version = db.session.get(QuestionVersion, question.current_version_id)
        ms = db.session.scalar(select(Question).where(Question.key == "import:t-ms"))
        ms_version = db.session.get(QuestionVersion, ms.current_version_id)
    assert (question.level, question.objectives) == ("recall", ["military.arms-scale"])
    assert (question.fact, question.given) == ("claim:t-match", ["timeline:nerchinsk"])
    assert version.evidence == "some words"
    assert ms_version.option_feedback == [["b", "b is the misreading"]]


def test_a_classification_only_change_updates_the_question_not_its_versions(app) -> None:
    add_questions(app, *SPECS)
    before = counts(app)
    data = [s.to_dict() for s in SPECS]
    data[0]["level"] = "explain"
    with app.app_context():
        report = transfer.import_questions(
            json.dumps(data), "bank.json", objectives=objective_ids()
        )
        level = db.session.scalar(select(Question.level).where(Question.key == data[0]["key"]))
        again = transfer.import_questions(json.dumps(data), "bank.json", objectives=objective_ids())
    assert report.updated == [data[0]["key"]] and level == "explain"
    assert counts(app) == before  # no new version: learners saw the same question
    assert len(again.unchanged) == len(SPECS)
    data[0]["evidence"] = "new words"
    with app.app_context():
        transfer.import_questions(json.dumps(data), "bank.json", objectives=objective_ids())
    assert counts(app) == (before[0], before[1] + 1)  # evidence is shown: a new version


@pytest.mark.parametrize(
    ("text", "name", "line", "expected"),
    [
        ("::A:: Fine {=a ~b}\n\n::B:: Broken {=a ~b\n", "x.gift", 3, ""),
        ('[{"key": "k", "type": "numeric"', "x.json", 1, "invalid JSON"),
        ('{"key": "k"}', "x.json", 1, "expected a list"),
        ('[{"key": "k", "type": "essay", "prompt": "p"}]', "x.json", None, ""),
        (json.dumps([mc_spec("k", topic="nowhere").to_dict()]), "x.json", None, "unknown topic"),
        (json.dumps([mc_spec("k" * 300).to_dict()]), "x.json", None, "key is too long"),
        (
            json.dumps([classified(mc_spec("a")).to_dict(), mc_spec("k").to_dict()]),
            "x.json",
            None,
            'question 2: k: no level; add a "level" field or choose a default level',
        ),
        (
            json.dumps([dataclasses.replace(classified(mc_spec("k")), objectives=()).to_dict()]),
            "x.json",
            None,
            'question 1: k: no objectives; add an "objectives" list naming objectives of '
            "topic 'energy' (energy.chinese-demand, energy.oil-table",
        ),
        (
            json.dumps(
                [
                    dataclasses.replace(
                        classified(mc_spec("k")), objectives=("sco.origins",)
                    ).to_dict()
                ]
            ),
            "x.json",
            None,
            "question 1: k: objective 'sco.origins' is not an objective of topic 'energy' "
            "(energy.chinese-demand",
        ),
        (
            "// @level recall\n// @objectives overview.rhetoric\n::A:: ok? {T}\n\n"
            "// @level data\n// @objectives overview.best-ever, energy.nope\n::B:: ok? {T}\n",
            "x.gift",
            6,
            "import:b: objective 'energy.nope' is not an objective of topic 'overview' "
            "(overview.best-ever",
        ),
        (
            "// @objectives overview.rhetoric\n::A:: ok? {T}\n",
            "x.gift",
            2,
            "import:a: no level; add a '// @level <level>' line above it or choose a default",
        ),
    ],
)
def test_malformed_files_write_nothing_and_say_where(app, text, name, line, expected) -> None:
    add_questions(app, mc_spec("existing"))
    before = counts(app)
    with app.app_context(), pytest.raises(FormatError) as info:
        transfer.import_questions(text, name, objectives=objective_ids())
    assert info.value.line == line
    assert expected in str(info.value)
    assert counts(app) == before


def test_an_error_after_good_questions_rolls_everything_back(app) -> None:
    good = mc_spec("good").to_dict()
    bad = {**mc_spec("bad").to_dict(), "answer": "not a choice"}
    with app.app_context(), pytest.raises(FormatError):
        transfer.import_questions(json.dumps([good, bad]), "x.json", objectives=objective_ids())
    assert counts(app) == (0, 0)


def test_moodle_corpus_imports_every_question_with_its_essay_as_explain(app) -> None:
    text = (CORPUS / "moodle" / "questions.gift.txt").read_text()
    with app.app_context():
        report = transfer.import_questions(
            text, "questions.gift.txt", objectives=objective_ids(), **DEFAULTS
        )
        stored = db.session.execute(select(Question.level, Question.objectives)).all()
        essay = db.session.scalar(select(Question).where(Question.key == "import:q8"))
        version = db.session.get(QuestionVersion, essay.current_version_id)
    assert len(report.added) == 9 and report.skipped == []  # no question skipped
    assert (essay.qtype, version.prompt) == ("explain", "How are you?")
    assert version.answer == {"model": "", "points": []}  # needs a checklist
    assert {(level, tuple(ids)) for level, ids in stored} == {("recall", ("overview.best-ever",))}


@pytest.mark.parametrize(
    ("defaults", "missing", "message"),
    [
        ({}, ("level",), "no level; add a '// @level <level>' line above it or choose a default"),
        (
            {"default_level": "recall"},
            ("objectives",),
            "no objectives; add a '// @objectives <id>, ...' line naming objectives of topic "
            "'overview' (overview.best-ever",
        ),
    ],
)
def test_a_foreign_file_without_defaults_is_refused_saying_what_to_choose(
    app, defaults, missing, message
) -> None:
    text = (CORPUS / "moodle" / "questions.gift.txt").read_text()
    with app.app_context(), pytest.raises(FormatError) as info:
        transfer.import_questions(
            text, "questions.gift.txt", objectives=objective_ids(), **defaults
        )
    assert info.value.missing == missing
    assert message in str(info.value)
    assert info.value.line == 2  # the first question: the essay, imported as explain
    assert counts(app) == (0, 0)


def test_default_objectives_apply_only_to_the_chosen_topic(app) -> None:
    text = (CORPUS / "moodle" / "questions_in_category.gift.txt").read_text()
    gift = "$CATEGORY: sco\n\n::Founded:: When was the SCO founded? {#2001}\n"
    with app.app_context():
        report = transfer.import_questions(
            text,
            "c.gift",
            objectives=objective_ids(),
            default_topic="energy",
            default_level="data",
            default_objectives=("energy.deals",),
        )
        assert report.added
        with pytest.raises(FormatError) as info:
            transfer.import_questions(
                gift,
                "sco.gift",
                objectives=objective_ids(),
                default_topic="energy",
                **{"default_level": "recall", "default_objectives": ("energy.deals",)},
            )
    assert "(default objectives apply only to questions of the chosen topic, 'energy')" in str(
        info.value
    )


@pytest.mark.parametrize(
    ("defaults", "message"),
    [
        ({"default_level": "remember"}, "unknown default level 'remember'"),
        (
            {"default_objectives": ("energy.deals",)},
            "default objective 'energy.deals' is not an objective of topic 'overview'",
        ),
        ({"default_topic": "nowhere"}, "unknown topic 'nowhere'"),
    ],
)
def test_bad_defaults_are_refused(app, defaults, message) -> None:
    with app.app_context(), pytest.raises(FormatError, match=message):
        transfer.import_questions("Is it? {T}", "q.gift", objectives=objective_ids(), **defaults)


@pytest.mark.parametrize("path", sorted((CORPUS / "peg").glob("*.gift")), ids=lambda p: p.name)
def test_every_peg_corpus_file_imports_or_fails_cleanly(app, path) -> None:
    with app.app_context():
        try:
            report = transfer.import_questions(
                path.read_text(), path.name, objectives=objective_ids(), dry_run=True, **DEFAULTS
            )
        except FormatError as exc:
            assert str(exc)
            return
    assert report.added or report.skipped


def test_cli_import_dry_run_export_and_error_exit(app, runner, tmp_path) -> None:
    source = tmp_path / "bank.json"
    source.write_text(json.dumps([s.to_dict() for s in SPECS]))
    dry = runner.invoke(args=["questions", "import", str(source), "--dry-run"])
    assert dry.exit_code == 0 and "7 question(s) would be added" in dry.output
    assert counts(app) == (0, 0)
    done = runner.invoke(args=["questions", "import", str(source), "--publish"])
    assert done.exit_code == 0 and counts(app)[0] == 7
    assert "7 question(s) added\n" in done.output  # live: not "as drafts"
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


def test_cli_import_of_a_foreign_file_needs_and_takes_defaults(app, runner) -> None:
    path = str(CORPUS / "moodle" / "questions.gift.txt")
    refused = runner.invoke(args=["questions", "import", path])
    assert refused.exit_code != 0
    assert "line 2: import:q8: no level" in refused.output
    assert "(choose one with --level); nothing was imported" in refused.output
    no_objectives = runner.invoke(args=["questions", "import", path, "--level", "recall"])
    assert "(choose them with --topic and --objective, or a GIFT" in no_objectives.output
    wrong = runner.invoke(
        args=["questions", "import", path, "--level", "recall", "--objective", "sco.origins"]
    )
    assert wrong.exit_code != 0 and "default objective 'sco.origins'" in wrong.output
    done = runner.invoke(
        args=[
            *("questions", "import", path, "--topic", "sco", "--level", "recall"),
            *("--objective", "sco.origins", "--objective", "sco.agenda"),
        ]
    )
    assert done.exit_code == 0, done.output
    with app.app_context():
        stored = db.session.execute(select(Question.topic, Question.objectives)).all()
    assert stored and all(
        (topic, ids) == ("sco", ["sco.origins", "sco.agenda"]) for topic, ids in stored
    )
    assert counts(app)[0] == 9  # the essay too, as explain
