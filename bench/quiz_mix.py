"""Measure what lesson quizzes ask a new student: per topic, the share of data-table, timeline
and explain/evaluate questions, and quizzes holding siblings (two questions on one fact).

    .venv/bin/python bench/quiz_mix.py [--quizzes 20] [--count 10] [--levels levels.json]

Runs on a fresh SQLite database in a temporary folder: migrate, load the content, create one
student, start the quizzes through the quiz service. ``--levels`` (a JSON map of question key
to [level, fact], as ``--dump-levels`` writes it on a newer checkout) classifies questions on a
checkout whose bank carries no levels, so that older commits can be measured the same way.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEEP = {"explain", "evaluate"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quizzes", type=int, default=20)
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--levels", type=Path, help="JSON map: question key -> [level, fact]")
    parser.add_argument("--dump-levels", type=Path, help="write this bank's key -> [level, fact]")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="quiz-mix-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/mix.db"
    from flask_migrate import upgrade
    from sqlalchemy import select

    from sinorus_learn import create_app
    from sinorus_learn.content import bank_dir
    from sinorus_learn.domain.questions import TOPICS
    from sinorus_learn.extensions import db
    from sinorus_learn.models import AttemptItem, Question
    from sinorus_learn.services import accounts, quiz
    from sinorus_learn.services.content_sync import load_content

    app = create_app()
    with app.app_context():
        upgrade()
        load_content(bank_dir())
        user = accounts.create_user("mix@example.org", "a long passphrase 1", role="student")
        columns = {c.name for c in Question.__table__.columns}
        rows = db.session.execute(select(Question)).scalars().all()
        known = json.loads(args.levels.read_text()) if args.levels else {}
        info = {
            q.id: (
                q.key,
                q.table_id,
                (q.level if "level" in columns else "") or known.get(q.key, ["", ""])[0],
                (q.fact if "fact" in columns else "") or known.get(q.key, ["", ""])[1] or q.key,
            )
            for q in rows
        }
        if args.dump_levels:
            dump = {key: [level, fact] for key, _, level, fact in info.values()}
            args.dump_levels.write_text(json.dumps(dump))
        print(
            f"{'topic':<20} {'table':>6} {'timeline':>9} {'explain/evaluate':>17} "
            f"{'quizzes with siblings':>22} {'questions':>10}"
        )
        for topic in TOPICS:
            counts: Counter[str] = Counter()
            with_siblings = 0
            for seed in range(args.quizzes):
                request = quiz.QuizRequest(mode="lesson", topic=topic, count=args.count)
                attempt_id = quiz.start_attempt(user.id, request, seed=seed)
                ids = db.session.scalars(
                    select(AttemptItem.question_id).where(AttemptItem.attempt_id == attempt_id)
                ).all()
                facts = [info[i][3] for i in ids]
                with_siblings += len(set(facts)) < len(facts)
                for qid in ids:
                    _, table, level, _ = info[qid]
                    counts["all"] += 1
                    counts["table"] += table is not None and table != "timeline"
                    counts["timeline"] += table == "timeline"
                    counts["deep"] += level in DEEP
            n = counts["all"] or 1
            share = {what: 100 * counts[what] / n for what in ("table", "timeline", "deep")}
            print(
                f"{topic:<20} {share['table']:>5.0f}% {share['timeline']:>8.0f}% "
                f"{share['deep']:>16.0f}% {with_siblings:>15} of {args.quizzes:<3} "
                f"{counts['all']:>9}"
            )


if __name__ == "__main__":
    main()
