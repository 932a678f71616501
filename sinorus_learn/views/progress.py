"""The learner's progress page and review queue."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_login import current_user, login_required

from sinorus_learn.charts import bar_chart
from sinorus_learn.database import utcnow
from sinorus_learn.domain.mastery import MASTERY_RULES
from sinorus_learn.domain.questions import TYPE_LABELS
from sinorus_learn.forms.quiz import StartQuizForm
from sinorus_learn.services import progress, quiz

bp = Blueprint("progress", __name__)


@bp.get("/progress")
@login_required
def overview() -> str:
    data = progress.learner_progress(current_user.id)
    daily_chart = bar_chart(
        "daily-chart",
        "Accuracy per day, last 30 days",
        [d.strftime("%d %b") for d, _, _ in data.daily],
        [round(100 * c / n) if n else 0 for _, n, c in data.daily],
        unit="%",
        css_class="bar alt",
    )
    return render_template(
        "progress/overview.html",
        data=data,
        rules=MASTERY_RULES,
        type_labels=TYPE_LABELS,
        daily_chart=daily_chart,
    )


@bp.get("/review")
@login_required
def review_queue() -> str:
    now = utcnow()
    due_today, due_week = progress.due_counts(current_user.id, now)
    cap = current_app.config["DAILY_REVIEW_CAP"]
    done = quiz.reviews_today(current_user.id, now)
    return render_template(
        "progress/review.html",
        due_today=due_today,
        due_week=due_week,
        cap=cap,
        done=done,
        form=StartQuizForm(mode="review", count=min(max(cap - done, 1), 30)),
    )
