"""Drafts (issue 19 point 8): imported and draft-saved questions reach no learner until an
instructor publishes them; GIFT categories map to topics; [html] text is kept as sanitised HTML."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import select

from sinorus_learn.content import current_catalogue
from sinorus_learn.database import utcnow
from sinorus_learn.domain.formats import FormatError
from sinorus_learn.domain.questions import QuestionSpec, Source
from sinorus_learn.extensions import db
from sinorus_learn.models import Question, QuestionVersion
from sinorus_learn.models.review import ReviewCard
from sinorus_learn.services import authoring, lint, progress, quiz, statistics, transfer
from sinorus_learn.services.content_sync import new_question
from sinorus_learn.services.quiz import QuizError, QuizRequest
from tests.support.content import objective_ids
from tests.support.questions import record

LEVEL = {"default_level": "recall"}


def spec(key: str, topic: str = "energy", level: str = "data") -> QuestionSpec:
    """A classified question of ``topic``, with a table behind it (so table drills see it)."""
    return QuestionSpec(
        key=key,
        type="multiple_choice",
        prompt=f"Which year for {key}?",
        choices=("2001", "2003", "2005"),
        answer="2003",
        explanation="From the table.",
        topic=topic,
        source=Source(section=topic, table="crude_oil_imports"),
        objectives=("energy.oil-table",),
        level=level,
    )


MODES = [
    QuizRequest(mode="lesson", topic="energy"),
    QuizRequest(mode="table", table="crude_oil_imports"),
    QuizRequest(mode="practice", topics=("energy",)),
    QuizRequest(mode="exam", topics=("energy",), minutes=30),
    QuizRequest(mode="review"),
    QuizRequest(mode="mistakes"),
]


@pytest.mark.parametrize("request_", MODES, ids=lambda r: r.mode)
def test_a_draft_is_never_selected_by_any_quiz_mode(app, make_user, request_) -> None:
    """Drafts only: every mode finds nothing, though the learner has due cards and wrong
    answers on them (history from before a question became a draft is the worst case)."""
    student = make_user()
    with app.app_context():
        ids = [
            new_question(spec(f"d/{level}", level=level), "imported", status="draft").id
            for level in ("recall", "explain", "data", "evaluate")
        ]
        db.session.commit()
    for qid in ids:
        record(app, student.id, qid, "X")  # wrong
    with app.app_context():
        for qid in ids:
            db.session.add(
                ReviewCard(user_id=student.id, question_id=qid, state={}, reps=1, wrong=1,
                           due=utcnow() - timedelta(days=1), last_review=utcnow())
            )  # fmt: skip
        db.session.commit()
        with pytest.raises(QuizError):
            quiz.start_attempt(student.id, request_, seed=1)
        db.session.rollback()
        drawn_by = select(Question.id).where(quiz._candidate_filter(request_))
        learner = {"user_id": student.id, "now": utcnow()}
        assert not db.session.scalars(drawn_by, learner).all()
        assert authoring.publish(ids) == 4
        drawn = set(db.session.scalars(drawn_by, learner))
        assert drawn and drawn <= set(ids)  # published: the same request now draws on them


def test_drafts_count_in_no_student_or_bank_statistics(app, make_user) -> None:
    student = make_user()
    with app.app_context():
        live = new_question(spec("live/1"), "authored").id
        draft = new_question(spec("draft/1"), "imported", status="draft").id
        db.session.commit()
    record(app, student.id, live, "2003")
    with app.app_context():
        summary = progress.card_summary(student.id, utcnow())
        energy = next(t for t in summary.topics if t.slug == "energy")
        assert energy.total == 1  # the draft is not a question of the topic yet
        assert [s.key for s in transfer.export_specs()] == ["live/1"]
        specs, _ = lint.active_bank(app.config["QUESTION_BANK_DIR"])
        assert [s.key for s in specs] == ["live/1"]
        assert draft not in {row.question_id for row in statistics.item_statistics()}


def test_publish_one_or_many_only_turns_drafts_live(app) -> None:
    with app.app_context():
        drafts = [new_question(spec(f"p/{n}"), "imported", status="draft").id for n in range(3)]
        retired = new_question(spec("p/retired"), "authored", status="retired").id
        db.session.commit()
        assert authoring.publish([drafts[0]]) == 1
        assert authoring.publish([*drafts, retired, 999_999]) == 2  # the rest of the drafts
        assert authoring.publish([]) == 0
        status = dict(db.session.execute(select(Question.id, Question.status)).all())
    assert [status[q] for q in drafts] == ["active"] * 3
    assert status[retired] == "retired"  # publishing never revives a retired question


def test_imports_land_as_drafts_unless_published_and_keep_a_status(app) -> None:
    gift = "::One:: Is one a number? {T}\n\n::Two:: Is two a number? {T}\n"
    defaults = {**LEVEL, "default_objectives": ("overview.best-ever",)}
    with app.app_context():
        report = transfer.import_questions(gift, "q.gift", objectives=objective_ids(), **defaults)
        assert report.lines()[0] == "2 question(s) added as drafts"
        assert set(db.session.scalars(select(Question.status))) == {"draft"}
        authoring.publish(db.session.scalars(select(Question.id)).all())
        changed = gift.replace("Is two", "Is 2")
        again = transfer.import_questions(changed, "q.gift", objectives=objective_ids(), **defaults)
        assert again.updated == ["import:two"]
        assert set(db.session.scalars(select(Question.status))) == {"active"}  # kept
        live = transfer.import_questions("::Three:: Three? {T}\n", "t.gift", publish=True,
                                         objectives=objective_ids(), **defaults)  # fmt: skip
        assert live.lines()[0] == "1 question(s) added"
        assert db.session.scalar(select(Question.status).where(Question.key == "import:three")) == (
            "active"
        )


GIFT = """$CATEGORY: $course$/Moodle quiz/Energy

// @objectives energy.oil-table
::Oil:: Did Russia ship oil to China by rail? {T}

$CATEGORY: $course$/Geography

::Capital::[html]Which is the <b>capital</b> of <i>Russia</i>?<script>alert(1)</script>{
=<b>Moscow</b>
~Kiev#That is <i>Ukraine's</i>.
####<p>Moscow has been the capital since 1918.</p>}
"""


def test_categories_are_summarised_and_mapped_to_topics(app) -> None:
    with app.app_context():
        summary = transfer.summarise(GIFT, "moodle.gift", "overview")
        assert [(g.name, g.count, g.topic) for g in summary.groups] == [
            ("$course$/Moodle quiz/Energy", 1, "energy"),  # the last segment names a topic
            ("$course$/Geography", 1, "overview"),  # no topic of that name: the default
        ]
        mapping = transfer.category_mapping(summary, {"$course$/Geography": "sco"})
        assert mapping == {"$course$/Moodle quiz/Energy": "energy", "$course$/Geography": "sco"}
        with pytest.raises(FormatError, match="no category 'Nope'"):
            transfer.category_mapping(summary, {"Nope": "sco"})
        with pytest.raises(FormatError, match="unknown topic 'moon'"):
            transfer.category_mapping(summary, {"$course$/Geography": "moon"})
        transfer.import_questions(
            GIFT, "moodle.gift", category_topics=mapping, default_topic="sco",
            default_objectives=("sco.origins",), objectives=objective_ids(), **LEVEL,
        )  # fmt: skip
        topics = dict(db.session.execute(select(Question.key, Question.topic)).all())
    assert topics == {"import:oil": "energy", "import:capital": "sco"}


def test_html_questions_keep_sanitised_html_and_plain_options(app) -> None:
    with app.app_context():
        transfer.import_questions(
            GIFT, "moodle.gift", default_topic="overview",
            default_objectives=("overview.best-ever",), objectives=objective_ids(), **LEVEL,
        )  # fmt: skip
        version = db.session.execute(
            select(QuestionVersion)
            .join(Question, Question.current_version_id == QuestionVersion.id)
            .where(Question.key == "import:capital")
        ).scalar_one()
    assert version.text_format == "html"
    assert version.prompt == "Which is the <b>capital</b> of <i>Russia</i>?"  # no script
    assert version.choices == ["Moscow", "Kiev"] and version.answer == "Moscow"
    assert version.option_feedback == [["Kiev", "That is Ukraine's."]]
    assert version.explanation == "<p>Moscow has been the capital since 1918.</p>"


def test_an_authored_question_may_be_saved_as_a_draft(app, make_user) -> None:
    teacher = make_user("instructor")
    data = authoring.QuestionInput(
        qtype="true_false", prompt="Is it so?", topic="energy", explanation="Yes.",
        level="recall", objectives=("energy.deals",),
    )  # fmt: skip
    with app.app_context():
        saved = authoring.create_question(data, teacher.id, current_catalogue(), draft=True)
        question = db.session.get(Question, saved.question_id)
        assert question is not None and question.status == "draft"
        assert authoring.preview(saved.question_id) is not None  # previewable before it is live
        html = dataclasses.replace(data, prompt="Is it <b>so</b>?", text_format="html")
        stored = authoring.create_question(html, teacher.id, current_catalogue())
        assert authoring.spec_of(*authoring.get_question(stored.question_id)).text_format == "html"


def test_the_cli_imports_drafts_by_default_maps_categories_and_publishes_on_request(
    app, runner, tmp_path
) -> None:
    path = tmp_path / "moodle.gift"
    path.write_text(GIFT)
    base = ["questions", "import", str(path), "--level", "recall"]
    refused = runner.invoke(args=base)
    assert refused.exit_code != 0 and "--category NAME=TOPIC:OBJECTIVE" in refused.output
    bad = runner.invoke(args=[*base, "--category", "$course$/Nope=sco"])
    assert bad.exit_code != 0 and "no category '$course$/Nope'" in bad.output
    wrong = runner.invoke(args=[*base, "--category", "$course$/Geography=moon"])
    assert wrong.exit_code == 2 and "expected NAME=TOPIC" in wrong.output
    mapped = [*base, "--category", "$course$/Geography=sco:sco.origins,sco.agenda"]
    dry = runner.invoke(args=[*mapped, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "category “$course$/Moodle quiz/Energy” (1 question(s)) -> topic energy" in dry.output
    assert (
        "category “$course$/Geography” (1 question(s)) -> topic sco, objectives sco.origins, "
        "sco.agenda" in dry.output
    )
    assert "2 question(s) would be added as drafts" in dry.output
    done = runner.invoke(args=mapped)
    assert done.exit_code == 0 and "New questions are drafts" in done.output
    with app.app_context():
        rows = db.session.execute(select(Question.key, Question.status, Question.topic)).all()
    assert sorted(rows) == [("import:capital", "draft", "sco"), ("import:oil", "draft", "energy")]
    other = tmp_path / "live.gift"
    other.write_text("::Live:: Is it live? {T}\n")
    live = runner.invoke(
        args=["questions", "import", str(other), "--level", "recall", "--publish",
              "--objective", "overview.best-ever"]
    )  # fmt: skip
    assert live.exit_code == 0 and "1 question(s) added\n" in live.output
    with app.app_context():
        assert db.session.scalar(select(Question.status).where(Question.key == "import:live")) == (
            "active"
        )
