"""The learner's progress page and review queue."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from functools import lru_cache

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from werkzeug.wrappers import Response

from sinorus_learn.charts import BarChart, bar_chart
from sinorus_learn.content import current_catalogue
from sinorus_learn.database import utcnow
from sinorus_learn.domain import confidence
from sinorus_learn.domain.mastery import MASTERY_RULES, percent
from sinorus_learn.domain.questions import TOPICS, TYPE_LABELS
from sinorus_learn.forms.quiz import StartQuizForm
from sinorus_learn.services import problems, progress
from sinorus_learn.templating import link

bp = Blueprint("progress", __name__)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@bp.get("/progress")
@login_required
def overview() -> str:
    """Show the learner's progress and accuracy per day over the last 30 days."""
    data = progress.learner_progress(
        current_user.id, current_catalogue(), cap=current_app.config["DAILY_REVIEW_CAP"]
    )
    accuracy = [percent(c, n) for _, n, c in data.daily]
    daily_chart = bar_chart(
        "daily-chart",
        "Accuracy per day, last 30 days",
        [f"{d.day:02d} {MONTHS[d.month - 1]}" for d, _, _ in data.daily],  # strftime: 1.5 us
        accuracy,
        unit="%",
        css_class="bar alt",
        top=100,  # a share: the axis always runs to 100%
    )
    return render_template(
        "progress/overview.html",
        data=data,
        rules=MASTERY_RULES,
        topics=TOPICS,
        daily_chart=daily_chart,
        # table rows written here: a Jinja loop with a filter chain per cell cost more
        topic_rows=_topic_rows(data.topics),
        daily_rows=_count_rows(
            (d.isoformat(), n, c, pct) for (d, n, c), pct in zip(data.daily, accuracy, strict=True)
        ),
        type_rows=_count_rows(
            (TYPE_LABELS.get(t, t), n, c, percent(c, n)) for t, n, c in data.by_type
        ),
        objective_rows={t.slug: _objective_rows(t.objectives) for t in data.topics},
        calibration_chart=_calibration_chart(data.calibration) if data.rated else None,
    )


def _calibration_chart(rows: Iterable[confidence.CalibrationRow]) -> BarChart:
    """Accuracy at each certainty level, on an axis to 100%; a level never used shows "none"."""
    rows = list(rows)
    chart = bar_chart(
        "calibration-chart",
        "Accuracy at each confidence level",
        [_claimed(row.certainty) for row in rows],
        [row.accuracy for row in rows],
        unit="%",
        top=100,
    )
    bars = tuple(
        bar if row.answers else bar._replace(value_text="no answers")
        for bar, row in zip(chart.bars, rows, strict=True)
    )
    return dataclasses.replace(chart, bars=bars)


def _claimed(level: confidence.Certainty) -> str:
    """A level's chart label, with the accuracy it claims: "Fairly sure (67–80%)"."""
    low, high = confidence.CLAIMED_RANGE[level]
    return f"{level.label} ({low}\u2013{high}%)"


def _topic_rows(topics: list[progress.TopicProgress]) -> Markup:
    """The mastery-per-topic rows; titles and slugs are escaped, the rest are numbers."""
    rows = []
    for t in topics:
        title, slug = escape(t.title), escape(t.slug)
        rows.append(
            f'<tr><th scope="row"><a href="{link("lessons.lesson", slug=t.slug)}">{title}</a>'
            f'</th><td><span class="badge level-{t.level.value}">{t.level.label}</span></td>'
            f'<td class="num">{t.seen} of {t.total}</td><td class="num">{t.correct}</td>'
            f'<td class="num"><meter min="0" max="100" value="{t.percent}" aria-hidden="true">'
            f'</meter> {t.percent}%</td><td><button type="submit" form="topic-quiz" '
            f'name="topic" value="{slug}" class="link-button">Quiz<span class="visually-hidden">'
            f" on {title}</span></button></td></tr>"
        )
    return Markup("".join(rows))  # noqa: S704 - every text above is escaped


def _count_rows(rows: Iterable[tuple[str, int, int, int]]) -> Markup:
    """Rows of a label, answers, right answers and accuracy; the label is escaped."""
    return Markup(  # noqa: S704 - the label is escaped, the rest are numbers
        "".join(
            f'<tr><th scope="row">{escape(label)}</th><td class="num">{n}</td>'
            f'<td class="num">{c}</td><td class="num">{pct}%</td></tr>'
            for label, n, c, pct in rows
        )
    )


@lru_cache(maxsize=4096)
def _objective_rows(objectives: tuple[progress.ObjectiveProgress, ...]) -> Markup:
    """A topic's objective rows as one string: a Jinja loop (or Markup.format) over 55 rows
    cost a third of the page, and they change only when the learner's mastery does (memoised
    on it). Ids and texts are escaped; the rest are numbers and enum values."""
    rows = []
    for o in objectives:
        oid, text = escape(o.id), escape(o.text)
        # the button's name is "Practise" and the row's objective (by reference, not a copy)
        action = (
            f'<button type="submit" form="objective-quiz" name="objectives" value="{oid}" '
            f'id="p-{oid}" aria-labelledby="p-{oid} o-{oid}" class="link-button">Practise'
            f"</button>"
            if o.total
            else ""
        )
        rows.append(
            f'<tr id="progress-{oid}"><th scope="row" id="o-{oid}">{text}</th><td><span '
            f'class="badge level-{o.level.value}">{o.level.label}</span></td><td class="num">'
            f'{o.seen} of {o.total}</td><td class="num">{o.percent}%</td><td>{action}</td></tr>'
        )
    return Markup("".join(rows))  # noqa: S704 - every text above is escaped


@bp.get("/review")
@login_required
def review_queue() -> str:
    """Show how many reviews are due and start a review session."""
    due = progress.due_status(current_user.id, utcnow(), current_app.config["DAILY_REVIEW_CAP"])
    return render_template(
        "progress/review.html",
        due=due,
        form=StartQuizForm(
            mode="review",
            count=min(max(due.left_today, 1), 30),
            confidence=current_user.confidence_default,
        ),
    )


@bp.get("/reports")
@login_required
def my_reports() -> str:
    """List the learner's problem reports and the instructors' replies."""
    return render_template(
        "progress/reports.html", reports=problems.my_reports(current_user.id), form=FlaskForm()
    )


@bp.post("/reports/read")
@login_required
def mark_read() -> Response:
    """Mark the replies to one's reports as read."""
    if FlaskForm().validate_on_submit():
        problems.mark_replies_read(current_user.id)
        flash("Replies marked as read.", "success")
    return redirect(url_for("progress.my_reports"))
