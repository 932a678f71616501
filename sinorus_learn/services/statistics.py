"""Class progress and item statistics, aggregated in SQL (a fixed number of queries per page).

Item statistics follow Moodle's quiz statistics, adapted to a bank where each learner answers
a different subset of questions. Only each learner's FIRST response to a question counts.

- facility F_i = mean score of the first responses to item i (0..1; 1 = everyone right).
- discrimination D_i = Pearson correlation, over the learners who answered item i and at least
  one other item, between x = their score on item i and y = their rest-of-test score, the mean
  of their first-response scores on every OTHER item (the mean rather than Moodle's sum,
  because learners answered different numbers of items):

      y_u = (T_u - x_u) / (N_u - 1)   (T_u: sum of u's first-response scores, N_u: their count)
      D_i = (k·Σxy - Σx·Σy) / sqrt((k·Σx² - (Σx)²) · (k·Σy² - (Σy)²))

  The six sums are computed by GROUP BY in SQL; only the final formula runs in Python. D is
  undefined (None) with fewer than two such learners or when x or y does not vary.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Float, Text, case, cast, func, select

from sinorus_learn.database import utcnow
from sinorus_learn.domain.mastery import percent
from sinorus_learn.domain.questions import TOPICS
from sinorus_learn.extensions import db
from sinorus_learn.models import AnswerRecord, Attempt, Enrollment, Question, QuestionVersion, User
from sinorus_learn.services.quiz import attempt_rows

LOW_FACILITY = 0.2
MIN_LEARNERS_TO_FLAG = 3
INACTIVE_AFTER = timedelta(days=7)


@dataclass(frozen=True, kw_only=True)
class ItemStat:
    question_id: int
    key: str
    prompt: str
    qtype: str
    status: str
    learners: int  # learners with a first response (Moodle's "attempts")
    answers: int  # every response, retries included
    facility: float | None
    discrimination: float | None
    wrong_answer: Any = None  # the most chosen wrong answer (stored response shape)
    wrong_count: int = 0
    flags: tuple[str, ...] = ()
    hinted: int = 0  # answers given after asking for the hint (every response, as ``answers``)
    hinted_correct: int = 0

    @property
    def hinted_accuracy(self) -> float | None:
        """Return the share of the answers given with a hint that were right (None: none)."""
        return self.hinted_correct / self.hinted if self.hinted else None


@dataclass(frozen=True, kw_only=True)
class StudentRow:
    id: int
    name: str
    email: str
    answers: int
    correct: int
    last_active: datetime | None
    mastery: dict[str, int]  # topic -> percent of its active questions last answered right
    behind: tuple[str, ...] = ()

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.answers if self.answers else None

    @property
    def mean_mastery(self) -> float:
        return sum(self.mastery.values()) / len(self.mastery) if self.mastery else 0.0


@dataclass(frozen=True, kw_only=True)
class Dashboard:
    students: list[StudentRow]
    topics: dict[str, str]
    topic_totals: dict[str, int]
    recent: list[Any]  # rows: student, student_id and quiz.attempt_rows (status as of now)
    behind: list[StudentRow] = field(default_factory=list)


def students_of(class_id: int) -> Any:
    """Subquery: the ids of a class's students."""
    return select(Enrollment.user_id).where(Enrollment.classroom_id == class_id)


def _scoped(query: Any, users: Any) -> Any:
    return query if users is None else query.where(AnswerRecord.user_id.in_(users))


def first_responses(users: Any = None) -> Any:
    """Subquery: each learner's first response to each question (user, question, score)."""
    first = _scoped(
        select(func.min(AnswerRecord.id).label("id")).group_by(
            AnswerRecord.user_id, AnswerRecord.question_id
        ),
        users,
    ).subquery()
    return (
        select(
            AnswerRecord.user_id,
            AnswerRecord.question_id,
            cast(AnswerRecord.score, Float).label("score"),
        )
        .join(first, first.c.id == AnswerRecord.id)
        .subquery()
    )


def discrimination(
    k: int, sx: float, sy: float, sxy: float, sxx: float, syy: float
) -> float | None:
    """Pearson correlation from the sums over k pairs; None when it is undefined."""
    if k < 2:
        return None
    var_x = k * sxx - sx * sx
    var_y = k * syy - sy * sy
    if var_x <= 1e-12 or var_y <= 1e-12:
        return None
    return (k * sxy - sx * sy) / math.sqrt(var_x * var_y)


def _flags(learners: int, facility: float | None, disc: float | None) -> tuple[str, ...]:
    if learners < MIN_LEARNERS_TO_FLAG:
        return ()
    flags = []
    if facility is not None and facility < LOW_FACILITY:
        flags.append(f"facility below {LOW_FACILITY}: check the key and the wording")
    if disc is not None and disc < 0:
        flags.append("negative discrimination: stronger learners get it wrong more often")
    return tuple(flags)


def item_statistics(users: Any = None, question_ids: list[int] | None = None) -> list[ItemStat]:
    """Return per-question statistics over ``users`` (a subquery of ids; None: everyone)."""
    f = first_responses(users)
    totals = (
        select(f.c.user_id, func.sum(f.c.score).label("total"), func.count().label("n"))
        .group_by(f.c.user_id)
        .subquery()
    )
    several = totals.c.n > 1
    x = f.c.score
    y = (totals.c.total - x) / func.nullif(cast(totals.c.n - 1, Float), 0.0)

    def when_several(expr: Any) -> Any:
        return func.sum(case((several, expr), else_=0.0))

    agg = (
        select(
            f.c.question_id,
            func.count().label("learners"),
            func.avg(x).label("facility"),
            func.sum(case((several, 1), else_=0)).label("k"),
            when_several(x).label("sx"),
            when_several(y).label("sy"),
            when_several(x * y).label("sxy"),
            when_several(x * x).label("sxx"),
            when_several(y * y).label("syy"),
        )
        .join(totals, totals.c.user_id == f.c.user_id)
        .group_by(f.c.question_id)
        .subquery()
    )
    hinted = AnswerRecord.hinted.is_(True)
    hinted_right = hinted & AnswerRecord.correct.is_(True)
    answers = _scoped(
        select(
            AnswerRecord.question_id,
            func.count(AnswerRecord.id).label("n"),
            func.sum(case((hinted, 1), else_=0)).label("hinted"),
            func.sum(case((hinted_right, 1), else_=0)).label("hinted_ok"),
        ).group_by(AnswerRecord.question_id),
        users,
    ).subquery()
    query = (
        select(
            Question,
            QuestionVersion.prompt.label("prompt"),
            QuestionVersion.qtype.label("qtype"),
            agg,
            answers.c.n.label("answers"),
            answers.c.hinted.label("hinted"),
            answers.c.hinted_ok.label("hinted_ok"),
        )
        .join(agg, agg.c.question_id == Question.id)
        .join(answers, answers.c.question_id == Question.id)
        .join(QuestionVersion, QuestionVersion.id == Question.current_version_id)
        .order_by(agg.c.facility, Question.key)
    )
    if question_ids is not None:
        query = query.where(Question.id.in_(question_ids))
    wrong = most_chosen_wrong(users)
    result = []
    for row in db.session.execute(query):
        question = row.Question
        disc = discrimination(
            int(row.k or 0),
            row.sx or 0.0,
            row.sy or 0.0,
            row.sxy or 0.0,
            row.sxx or 0.0,
            row.syy or 0.0,
        )
        facility = float(row.facility) if row.facility is not None else None
        answer, count = wrong.get(question.id, (None, 0))
        result.append(
            ItemStat(
                question_id=question.id,
                key=question.key,
                prompt=row.prompt,
                qtype=row.qtype,
                status=question.status,
                learners=int(row.learners),
                answers=int(row.answers or 0),
                facility=facility,
                discrimination=disc,
                wrong_answer=answer,
                wrong_count=count,
                flags=_flags(int(row.learners), facility, disc),
                hinted=int(row.hinted or 0),
                hinted_correct=int(row.hinted_ok or 0),
            )
        )
    return result


def most_chosen_wrong(users: Any = None) -> dict[int, tuple[Any, int]]:
    """Return, per question, the wrong answer given most often and how often."""
    text = cast(AnswerRecord.answer, Text)
    rows = db.session.execute(
        _scoped(
            select(
                AnswerRecord.question_id.label("question_id"),
                text.label("answer"),
                func.count(AnswerRecord.id).label("n"),
            )
            .where(AnswerRecord.correct.is_(False))
            .group_by(AnswerRecord.question_id, text),
            users,
        )
    ).all()
    best: dict[int, tuple[Any, int]] = {}
    for row in rows:  # one row per distinct wrong answer, already counted in SQL
        if row.n > best.get(row.question_id, (None, 0))[1]:
            best[row.question_id] = (json.loads(row.answer) if row.answer else None, int(row.n))
    return best


def class_items(class_id: int) -> list[ItemStat]:
    """Return item statistics over one class's students."""
    return item_statistics(students_of(class_id))


def topic_mastery(users: Any) -> tuple[dict[int, dict[str, int]], dict[str, int]]:
    """Per learner and topic, the percent of its active questions whose latest answer is right."""
    latest = _scoped(
        select(func.max(AnswerRecord.id).label("id")).group_by(
            AnswerRecord.user_id, AnswerRecord.question_id
        ),
        users,
    ).subquery()
    rows = db.session.execute(
        select(
            AnswerRecord.user_id.label("user_id"),
            Question.topic.label("topic"),
            func.sum(case((AnswerRecord.correct, 1), else_=0)).label("correct"),
        )
        .join(latest, latest.c.id == AnswerRecord.id)
        .join(Question, Question.id == AnswerRecord.question_id)
        .where(Question.status == "active")
        .group_by(AnswerRecord.user_id, Question.topic)
    ).all()
    totals = dict(
        db.session.execute(
            select(Question.topic, func.count(Question.id))
            .where(Question.status == "active")
            .group_by(Question.topic)
        ).all()
    )
    grid: dict[int, dict[str, int]] = {}
    for row in rows:
        total = totals.get(row.topic, 0)
        if total:
            grid.setdefault(row.user_id, {})[row.topic] = percent(int(row.correct or 0), total)
    return grid, {t: int(totals.get(t, 0)) for t in TOPICS}


def _behind(row: StudentRow, class_mean: float, now: datetime) -> tuple[str, ...]:
    reasons = []
    if row.last_active is None:
        reasons.append("has not answered any question yet")
    elif now - row.last_active > INACTIVE_AFTER:
        reasons.append(f"no activity for {(now - row.last_active).days} days")
    if class_mean > 0 and row.mean_mastery < class_mean / 2:
        reasons.append("mastery below half the class average")
    return tuple(reasons)


def class_dashboard(class_id: int, now: datetime | None = None) -> Dashboard:
    """Gather the class grid, recent activity and who is falling behind (5 queries)."""
    now = now or utcnow()
    users = students_of(class_id)
    grid, totals = topic_mastery(users)
    activity = (
        select(
            AnswerRecord.user_id,
            func.count(AnswerRecord.id).label("answers"),
            func.sum(case((AnswerRecord.correct, 1), else_=0)).label("correct"),
            func.max(AnswerRecord.answered_at).label("last"),
        )
        .where(AnswerRecord.user_id.in_(users))
        .group_by(AnswerRecord.user_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            User.id.label("id"),
            User.display_name.label("name"),
            User.email.label("email"),
            activity.c.answers,
            activity.c.correct,
            activity.c.last,
        )
        .join(Enrollment, Enrollment.user_id == User.id)
        .outerjoin(activity, activity.c.user_id == User.id)
        .where(Enrollment.classroom_id == class_id)
        .order_by(User.display_name, User.id)
    ).all()
    students = [
        StudentRow(
            id=row.id,
            name=row.name,
            email=row.email,
            answers=int(row.answers or 0),
            correct=int(row.correct or 0),
            last_active=_utc(row.last),
            mastery=grid.get(row.id, {}),
        )
        for row in rows
    ]
    mean = sum(s.mean_mastery for s in students) / len(students) if students else 0.0
    students = [replace(s, behind=_behind(s, mean, now)) for s in students]
    recent = db.session.execute(
        select(User.display_name.label("student"), User.id.label("student_id"), *attempt_rows(now))
        .join(Attempt, Attempt.user_id == User.id)
        .where(User.id.in_(users))
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
        .limit(15)
    )
    return Dashboard(
        students=students,
        topics=TOPICS,
        topic_totals=totals,
        recent=list(recent),
        behind=[s for s in students if s.behind],
    )


def _utc(value: Any) -> datetime | None:
    """Return a timezone-aware value (SQLite returns aggregates as naive or as text)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    from datetime import UTC

    aware: datetime = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware


@dataclass(frozen=True, kw_only=True)
class StudentReport:
    user: User
    mastery: dict[str, int]
    topic_totals: dict[str, int]
    attempts: list[Any]  # rows of quiz.attempt_rows, newest first


def student_report(
    class_id: int, student_id: int, now: datetime | None = None
) -> StudentReport | None:
    """Return one class member's attempts (status as of ``now``) and mastery; None when not in
    the class."""
    if db.session.get(Enrollment, (class_id, student_id)) is None:
        return None
    user = db.session.get(User, student_id)
    assert user is not None
    grid, totals = topic_mastery(select(User.id).where(User.id == student_id))
    attempts = list(
        db.session.execute(
            select(*attempt_rows(now or utcnow()))
            .where(Attempt.user_id == student_id)
            .order_by(Attempt.started_at.desc(), Attempt.id.desc())
            .limit(50)
        )
    )
    return StudentReport(
        user=user, mastery=grid.get(student_id, {}), topic_totals=totals, attempts=attempts
    )


# A formula character at the start of a cell, or after a separator some spreadsheet may split
# at (a ';' locale splits "x;=1+1" into "x" and "=1+1"), possibly behind spaces or quotes.
_FORMULA = re.compile(r"(^|[,;\t|\r\n])([\s\"']*)([=+\-@])")


def _cell(value: Any) -> Any:
    """Defuse spreadsheet formulas in text cells (CSV injection): a ' before each formula
    character that could start a cell, whichever separator the spreadsheet splits at."""
    if not isinstance(value, str):
        return value
    if value[:1] in ("\t", "\r"):
        value = "'" + value
    return _FORMULA.sub(lambda m: f"{m.group(1)}{m.group(2)}'{m.group(3)}", value)


def class_csv(class_id: int, now: datetime | None = None) -> str:
    """Return the class results as CSV: one row per student, mastery per topic."""
    board = class_dashboard(class_id, now)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["student", "email", "answers", "correct", "accuracy", "last_active"]
        + [f"mastery_{slug}" for slug in TOPICS]
    )
    for s in board.students:
        writer.writerow(
            [
                _cell(s.name),
                _cell(s.email),
                s.answers,
                s.correct,
                f"{s.accuracy:.3f}" if s.accuracy is not None else "",
                s.last_active.isoformat() if s.last_active else "",
            ]
            + [s.mastery.get(slug, 0) for slug in TOPICS]
        )
    return out.getvalue()
