"""The Alembic migrations build exactly the models' schema, and go down and up again."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from flask_migrate import check, downgrade, upgrade
from sqlalchemy import MetaData, inspect, text

from sinorus_learn.extensions import db
from tests.support.history import seed_history


def test_migrations_match_models_and_round_trip(empty_app: Flask) -> None:
    with empty_app.app_context():
        upgrade()
        check()  # exits non-zero when the models and the migrated schema differ
        tables = set(inspect(db.engine).get_table_names())
        assert {t.name for t in db.metadata.sorted_tables} <= tables
        db.session.remove()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        check()


def test_card_records_are_filled_from_the_responses(empty_app: Flask) -> None:
    """Migration 3c1d2e7a9b40 fills each card's wrong answers, latest result and due reviews
    passed from the responses already given: only that learner's, latest by id."""
    now = datetime(2026, 11, 1, 12, 0)  # naive: these columns hold UTC without a zone
    with empty_app.app_context():
        upgrade(revision="f54de87070b6")
        meta = MetaData()
        meta.reflect(db.engine)
        tables = meta.tables
        # learner, question, right; then whether each was given in review when due
        answers = [(1, 1, False), (1, 1, True), (1, 2, True), (1, 2, False), (1, 2, False)]
        answers += [(2, 1, False)]
        was_due = [False, True, True, True, False, True]
        with db.engine.begin() as conn:
            seed_history(conn, tables, [(*a, now) for a in answers], now, was_due=was_due)
        upgrade()
        with db.engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT user_id, question_id, wrong, last_correct, due_reviews, due_passed "
                    "FROM review_cards"
                )
            ).all()
    assert sorted((u, q, w, bool(c), d, p) for u, q, w, c, d, p in rows) == [
        (1, 1, 1, True, 1, 1),
        (1, 2, 2, False, 2, 1),
        (2, 1, 1, False, 1, 0),
    ]


def test_objectives_migration_keeps_history_and_counts_spaced_reviews(empty_app: Flask) -> None:
    """Migration 7a4e2b9c1d05 keeps every attempt and answer, leaves questions unclassified
    until the bank is loaded again, and counts as retention reviews only the answers given a day
    or more after the previous answer to the same question."""
    from datetime import timedelta

    day = timedelta(days=1)
    t0 = datetime(2026, 11, 1, 12, 0)
    answers = [
        (1, 1, False, t0),
        (1, 1, True, t0 + timedelta(hours=2)),  # same day: not a retention review
        (1, 1, True, t0 + 3 * day),  # spaced, right
        (1, 2, True, t0),
        (1, 2, False, t0 + day),  # spaced (exactly a day), wrong
        (2, 1, True, t0 + day),  # another learner's first answer
        (2, 1, True, t0 + day + timedelta(hours=23)),  # 23 h later: not spaced
    ]
    with empty_app.app_context():
        upgrade(revision="3c1d2e7a9b40")
        meta = MetaData()
        meta.reflect(db.engine)
        with db.engine.begin() as conn:
            seed_history(conn, meta.tables, answers, t0)
        upgrade()
        check()
        with db.engine.connect() as conn:
            cards = conn.execute(
                text("SELECT user_id, question_id, spaced_reviews, spaced_passed FROM review_cards")
            ).all()
            counts = conn.execute(
                text("SELECT (SELECT count(*) FROM responses), (SELECT count(*) FROM attempts)")
            ).one()
            questions = conn.execute(text("SELECT level, fact, objectives FROM questions")).all()
            versions = conn.execute(text("SELECT evidence FROM question_versions")).all()
    assert sorted(tuple(row) for row in cards) == [(1, 1, 1, 1), (1, 2, 1, 0), (2, 1, 0, 0)]
    assert tuple(counts) == (7, 7)
    assert {(level, fact) for level, fact, _ in questions} == {("", "")}
    assert {str(objectives) for _, _, objectives in questions} == {"[]"}
    assert {evidence for (evidence,) in versions} == {""}


def test_drafts_migration_keeps_history_and_reads_every_version_as_markdown(
    empty_app: Flask,
) -> None:
    """Migration 171242b04706 adds the versions' text format (Markdown for every existing
    one) and the import jobs, keeping every answer; going down, a draft is never made live."""
    now = datetime(2026, 11, 1, 12, 0)
    answers = [(1, 1, True, now), (2, 2, False, now)]
    with empty_app.app_context():
        upgrade(revision="c5a9e2f47d13")
        meta = MetaData()
        meta.reflect(db.engine)
        with db.engine.begin() as conn:
            seed_history(conn, meta.tables, answers, now)
        upgrade()
        check()
        with db.engine.begin() as conn:
            formats = conn.execute(text("SELECT text_format FROM question_versions")).all()
            counts = conn.execute(
                text("SELECT (SELECT count(*) FROM responses), (SELECT count(*) FROM import_jobs)")
            ).one()
            conn.execute(text("UPDATE questions SET status = 'draft' WHERE id = 2"))
        downgrade(revision="88cb307f33bd")
        with db.engine.connect() as conn:
            statuses = conn.execute(text("SELECT id, status FROM questions ORDER BY id")).all()
        assert "import_jobs" not in set(inspect(db.engine).get_table_names())
        upgrade()
        check()
    assert {f for (f,) in formats} == {"markdown"}
    assert tuple(counts) == (2, 0)
    assert [tuple(row) for row in statuses] == [(1, "active"), (2, "retired")]


def test_deeper_practice_migration_keeps_history_with_plain_defaults(empty_app: Flask) -> None:
    """Migration 5d2c8e1f9a47 (issue 17) adds hints, certainty and self-assessment columns:
    every earlier answer keeps its score, was given without a hint or a certainty and is not
    pending; every version has an empty hint; going down and up again keeps the answers."""
    now = datetime(2026, 11, 1, 12, 0)
    answers = [(1, 1, True, now), (2, 2, False, now)]
    with empty_app.app_context():
        upgrade(revision="171242b04706")
        meta = MetaData()
        meta.reflect(db.engine)
        with db.engine.begin() as conn:
            seed_history(conn, meta.tables, answers, now)
        upgrade()
        check()
        with db.engine.connect() as conn:
            responses = conn.execute(
                text(
                    "SELECT score, certainty, cbm_mark, hinted, pending, corrected_by_id "
                    "FROM responses ORDER BY id"
                )
            ).all()
            hints = conn.execute(text("SELECT DISTINCT hint FROM question_versions")).all()
            flags = conn.execute(
                text(
                    "SELECT DISTINCT confidence FROM attempts UNION ALL "
                    "SELECT DISTINCT confidence_default FROM users"
                )
            ).all()
        downgrade(revision="171242b04706")
        upgrade()
        check()
        with db.engine.connect() as conn:
            kept = conn.execute(text("SELECT count(*) FROM responses")).scalar()
    assert [tuple(r) for r in responses] == [
        (1.0, None, None, False, False, None),
        (0.0, None, None, False, False, None),
    ]
    assert [h for (h,) in hints] == [""]
    assert {bool(f) for (f,) in flags} == {False}
    assert kept == 2
