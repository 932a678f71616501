"""Progress figures from SQL aggregates, checked against the same figures worked out in Python
from the learner's raw responses and cards."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from sinorus_learn.content import current_catalogue
from sinorus_learn.database import utcnow
from sinorus_learn.domain.questions import TOPICS
from sinorus_learn.extensions import db
from sinorus_learn.models import AnswerRecord, AttemptItem, Question
from sinorus_learn.models.review import ReviewCard
from sinorus_learn.services import progress, quiz
from sinorus_learn.services.quiz import QuizRequest
from tests.support.quiz import answer_form, item_and_version

pytestmark = pytest.mark.usefixtures("content")


@pytest.fixture()
def history(app, make_user, take_quiz, without_explain):
    """A learner with answers on five days (one a gap), three topics, right and wrong, and two
    due reviews: one passed, one failed."""
    user = make_user()
    now = utcnow().replace(hour=12)
    plan = [(1, "energy", False), (2, "sco", True), (4, "military", True), (40, "energy", False)]
    for days_ago, topic, right in plan:
        take_quiz(user.id, topic, right=right, when=now - timedelta(days=days_ago))
    take_quiz(user.id, "energy", right=True, when=now)
    take_quiz(user.id, "military", right=False, when=now)
    with app.app_context():
        db.session.execute(
            update(ReviewCard)
            # only cards last answered a day or more ago: both reviews are then spaced
            .where(ReviewCard.user_id == user.id, ReviewCard.last_review <= now - timedelta(days=1))
            .values(due=now - timedelta(hours=1))
        )
        db.session.commit()
    for right in (True, False):
        _answer_once(app, user.id, QuizRequest(mode="review", count=1), right=right, when=now)
    return user.id, now


def test_topics_follow_the_latest_answer_to_each_question(app, history) -> None:
    user_id, now = history
    with app.app_context():
        rows = db.session.execute(
            select(AnswerRecord.question_id, AnswerRecord.correct, Question.topic)
            .join(Question, Question.id == AnswerRecord.question_id)
            .where(AnswerRecord.user_id == user_id)
            .order_by(AnswerRecord.id)
        ).all()
        latest = {qid: (correct, topic) for qid, correct, topic in rows}
        totals = Counter(
            db.session.scalars(select(Question.topic).where(Question.status == "active"))
        )
        topics = progress.card_summary(user_id, now).topics
    assert [t.slug for t in topics] == list(TOPICS)
    for topic in topics:
        mine = [ok for ok, slug in latest.values() if slug == topic.slug]
        assert (topic.seen, topic.correct, topic.total) == (
            len(mine),
            sum(mine),
            totals[topic.slug],
        ), topic.slug
    assert sum(t.seen for t in topics) == len(latest) > 0


def test_due_now_later_today_and_the_week_skip_retired_questions(app, history) -> None:
    user_id, now = history
    with app.app_context():
        cards = list(db.session.scalars(select(ReviewCard).where(ReviewCard.user_id == user_id)))
        assert len(cards) >= 6
        offsets = [timedelta(days=-3), timedelta(hours=1), timedelta(days=3), timedelta(days=30)]
        for index, card in enumerate(cards):
            card.due = now + offsets[index % len(offsets)]
        retired = db.session.get(Question, cards[0].question_id)
        retired.status = "retired"
        db.session.commit()
        end_of_today = now.replace(hour=23, minute=59, second=59, microsecond=999999)
        live = [c for c in cards if c.question_id != retired.id]
        expected = (
            sum(c.due <= now for c in live),
            sum(now < c.due <= end_of_today for c in live),
            min(c.due for c in live if now < c.due <= end_of_today),
            sum(end_of_today < c.due <= end_of_today + timedelta(days=7) for c in live),
        )
        due = progress.due_status(user_id, now, cap=50)
        assert (due.now + due.held, due.later_today, due.next_at, due.week) == expected
        assert due.done_today == 2  # the history fixture answers two reviews today
        summary = progress.card_summary(user_id, now).due
        assert (summary.now, summary.held, summary.later_today, summary.next_at, summary.week) == (
            due.now,
            due.held,
            due.later_today,
            due.next_at,
            due.week,
        )
        assert all(expected)


def test_due_now_is_what_a_review_serves_and_a_sibling_answered_today_holds_one_back(
    app, make_user, take_quiz
) -> None:
    """One definition of due: the count the pages show is the number of questions "Start
    review" serves; a due question whose sibling was answered today is held back, as the quiz
    buries it, and said so."""
    user = make_user()
    now = utcnow()
    take_quiz(user.id, "military", right=False, when=now - timedelta(days=3))
    take_quiz(user.id, "energy", right=True, when=now)
    with app.app_context():
        answered_today = db.session.scalars(
            select(Question)
            .join(AnswerRecord, AnswerRecord.question_id == Question.id)
            .where(AnswerRecord.user_id == user.id, AnswerRecord.answered_at >= now.replace(hour=0))
        ).all()
        seen = set(
            db.session.scalars(select(ReviewCard.question_id).where(ReviewCard.user_id == user.id))
        )
        answered = answered_today[0]
        sibling = db.session.scalars(
            select(Question).where(Question.status == "active", Question.id.not_in(seen))
        ).first()
        db.session.execute(  # make them siblings: the rule, not the bank, is under test
            update(Question)
            .where(Question.id.in_([answered.id, sibling.id]))
            .values(fact="claim:test-shared")
        )
        db.session.add(
            ReviewCard(
                user_id=user.id,
                question_id=sibling.id,
                state={},
                due=now - timedelta(days=1),
                last_review=now - timedelta(days=4),
            )
        )
        db.session.execute(
            update(ReviewCard)
            .where(
                ReviewCard.user_id == user.id,
                ReviewCard.question_id != sibling.id,
                ReviewCard.question_id.not_in([q.id for q in answered_today]),
            )
            .values(due=now - timedelta(hours=2))
        )
        db.session.commit()
        due = progress.due_status(user.id, now, cap=50)
        # at least the one made here: two drawn questions may share a fact of their own
        assert due.held >= 1 and due.now > 0 and due.can_review
        attempt_id = quiz.start_attempt(user.id, QuizRequest(mode="review", count=30), now=now)
        served = db.session.scalars(
            select(AttemptItem.question_id).where(AttemptItem.attempt_id == attempt_id)
        ).all()
    assert len(served) == due.now
    assert sibling.id not in served


def test_review_page_says_due_later_today_and_offers_no_review_past_the_cap(
    app, client, make_user, auth, take_quiz
) -> None:
    user = make_user()
    auth.login(user.email)
    now = utcnow()
    take_quiz(user.id, "sco", right=False, when=now - timedelta(days=2))
    with app.app_context():
        first, *rest = db.session.scalars(
            select(ReviewCard).where(ReviewCard.user_id == user.id).order_by(ReviewCard.id)
        ).all()
        later = min(now + timedelta(minutes=5), now.replace(hour=23, minute=59))
        first.due = later
        for card in rest:
            card.due = now - timedelta(hours=1)
        db.session.commit()
    page = client.get("/review").get_data(as_text=True)
    assert f"{len(rest)} questions due now" in page
    if later > now:
        assert f"1 more due later today, the first at {later:%H:%M} UTC" in page
    assert "Start today's review" in page
    app.config["DAILY_REVIEW_CAP"] = 0
    try:
        capped = client.get("/review").get_data(as_text=True)
        progress_page = client.get("/progress").get_data(as_text=True)
    finally:
        app.config["DAILY_REVIEW_CAP"] = 50
    assert "Start today" not in capped and "reached today's limit" in capped
    assert "Review now" not in progress_page and "reached today's limit" in progress_page


def test_history_sums_per_day_and_per_type_and_measures_retention(app, history) -> None:
    user_id, now = history
    with app.app_context():
        rows = db.session.execute(
            select(
                AnswerRecord.answered_at,
                AnswerRecord.correct,
                AnswerRecord.question_id,
                Question.qtype,
            )
            .join(Question, Question.id == AnswerRecord.question_id)
            .where(AnswerRecord.user_id == user_id)
            .order_by(AnswerRecord.id)  # the order they were given in, as the cards saw them
        ).all()
        data = progress.learner_progress(user_id, current_catalogue(), now)
    per_day: dict = defaultdict(lambda: [0, 0])
    per_type: dict = defaultdict(lambda: [0, 0])
    for answered_at, correct, _due, qtype in rows:
        if answered_at.date() >= (now - timedelta(days=progress.CHART_DAYS)).date():
            per_day[answered_at.date()][0] += 1
            per_day[answered_at.date()][1] += correct
        per_type[qtype][0] += 1
        per_type[qtype][1] += correct
    assert data.daily == sorted((day, n, c) for day, (n, c) in per_day.items())
    assert len(data.daily) == 4  # the answers of 40 days ago are beyond the chart
    assert data.by_type == sorted((qtype, n, c) for qtype, (n, c) in per_type.items())
    # retention: answers given a day or more after the previous answer to the same question
    previous: dict[int, object] = {}
    spaced = []
    for answered_at, correct, qid, _t in rows:
        if qid in previous and answered_at - previous[qid] >= timedelta(days=1):
            spaced.append(correct)
        previous[qid] = answered_at
    assert data.retention_reviews == len(spaced) > 0
    assert data.retention == pytest.approx(sum(spaced) / len(spaced))
    assert data.streak == 3  # today, yesterday and the day before; 4 days ago is after a gap


def test_weakest_lists_the_most_often_missed_active_questions(app, history) -> None:
    user_id, now = history
    with app.app_context():
        rows = db.session.execute(
            select(AnswerRecord.question_id, AnswerRecord.correct).where(
                AnswerRecord.user_id == user_id
            )
        ).all()
        wrong = Counter(qid for qid, correct in rows if not correct)
        answers = Counter(qid for qid, _ in rows)
        found = progress.weakest(user_id, limit=50)
    assert [(qid, n, w) for qid, _prompt, n, w, _topic in found] == sorted(
        ((qid, answers[qid], count) for qid, count in wrong.items()),
        key=lambda row: (-row[2], row[0]),
    )
    assert found and all(prompt for _qid, prompt, _n, _w, _topic in found)
    with app.app_context():
        topics = dict(db.session.execute(select(Question.id, Question.topic)).all())
    assert all(topic == topics[qid] for qid, _p, _n, _w, topic in found)  # to link its lesson


def _answer_once(app, user_id: int, request: QuizRequest, right: bool, when) -> int:
    """Start a one-question attempt, answer it, finish it; return the question's id."""
    with app.app_context():
        attempt_id = quiz.start_attempt(user_id, request, now=when)
        item, version = item_and_version(attempt_id, 1)
        form = answer_form(version, item.presented, right)
        quiz.submit_answer(user_id, attempt_id, 1, form, now=when)
        quiz.finish_attempt(user_id, attempt_id, now=when)
        return item.question_id


@pytest.mark.usefixtures("without_explain")
def test_a_question_answered_again_counts_once_with_its_latest_result(app, make_user) -> None:
    """Wrong, then right through my-mistakes: the topic counts the question once and right,
    the weak spots keep its one wrong answer of two, and it is no longer a mistake to practise."""
    user = make_user()
    now = utcnow()
    first = _answer_once(
        app, user.id, QuizRequest(mode="lesson", topic="energy", count=1), right=False, when=now
    )
    again = _answer_once(app, user.id, QuizRequest(mode="mistakes", count=1), right=True, when=now)
    assert again == first
    with app.app_context():
        topics = progress.card_summary(user.id, now).topics
        energy = next(t for t in topics if t.slug == "energy")
        assert (energy.seen, energy.correct) == (1, 1)
        assert [(qid, n, w) for qid, _p, n, w, _t in progress.weakest(user.id)] == [(first, 2, 1)]
        with pytest.raises(quiz.QuizError):
            quiz.start_attempt(user.id, QuizRequest(mode="mistakes", count=1), now=now)


def _objective_totals(app, user_id: int) -> dict[str, tuple[int, int]]:
    with app.app_context():
        topics = progress.learner_progress(user_id, current_catalogue()).topics
    return {o.id: (o.seen, o.total) for t in topics for o in t.objectives}


def test_mastery_per_objective_is_never_stale(app, make_user, take_quiz) -> None:
    """The page memoises mastery per objective on what it depends on: an answer, a retired
    question (ORM) and a question edited by a Core UPDATE each show on the next view."""
    user = make_user()
    fresh = _objective_totals(app, user.id)
    assert all(seen == 0 for seen, _ in fresh.values())
    take_quiz(user.id, "energy", right=True)
    answered = _objective_totals(app, user.id)
    assert sum(seen for seen, _ in answered.values()) > 0
    assert _objective_totals(app, user.id) == answered  # the memo, same figures
    with app.app_context():
        question = db.session.scalars(
            select(Question).where(Question.status == "active", Question.topic == "energy")
        ).first()
        objective = question.objectives[0]
        question.status = "retired"
        db.session.commit()
    retired = _objective_totals(app, user.id)
    assert retired[objective][1] == answered[objective][1] - 1
    with app.app_context():
        other = db.session.scalars(
            select(Question).where(Question.status == "active", Question.topic == "sco")
        ).first()
        moved_from = other.objectives[0]
        db.session.execute(
            update(Question).where(Question.id == other.id).values(objectives=[objective])
        )
        db.session.commit()
    moved = _objective_totals(app, user.id)
    assert moved[objective][1] == retired[objective][1] + 1
    assert moved[moved_from][1] == retired[moved_from][1] - 1


def _history(app, user_id: int) -> tuple[int, list[tuple[int, int, int]]]:
    with app.app_context():
        page = progress.learner_progress(user_id, current_catalogue())
    return sum(n for _, n, _ in page.daily), [(q, n, w) for q, _p, n, w, _t in page.weakest]


def test_answers_per_day_and_weak_spots_are_never_stale(app, make_user, take_quiz) -> None:
    """The page memoises answers per day and weak spots on the cards' stamp: an answer, an
    answer reaching a card with no newer answer (as a finished exam's earlier answers do) and
    a retired question each show on the next view."""
    user = make_user()
    assert _history(app, user.id) == (0, [])
    take_quiz(user.id, "energy", right=False)
    answers, weak = _history(app, user.id)
    assert answers == 5 and len(weak) == 5 and all(w == 1 for _, _, w in weak)
    assert _history(app, user.id) == (answers, weak)  # the memo, same figures
    take_quiz(user.id, "sco", right=False)
    assert _history(app, user.id)[0] == 10
    first = weak[0][0]
    with app.app_context():
        db.session.execute(
            update(ReviewCard)
            .where(ReviewCard.user_id == user.id, ReviewCard.question_id == first)
            .values(reps=ReviewCard.reps + 1, wrong=ReviewCard.wrong + 1)
        )
        db.session.commit()
    assert (first, 2, 2) in _history(app, user.id)[1]
    with app.app_context():
        db.session.get(Question, first).status = "retired"
        db.session.commit()
    assert first not in [q for q, _, _ in _history(app, user.id)[1]]
