"""The progress page: mastery changes with answers; query counts stay flat as history grows."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from sinorus_learn.database import utcnow
from sinorus_learn.services import progress

pytestmark = pytest.mark.usefixtures("content")


def test_progress_page_shows_mastery_due_and_streak(
    app, client, make_user, auth, take_quiz
) -> None:
    user = make_user()
    auth.login(user.email)
    before = client.get("/progress").get_data(as_text=True)
    assert "Not started" in before
    take_quiz(user.id, "energy", right=True)
    page = client.get("/progress").get_data(as_text=True)
    assert "Mastery per topic" in page and "1 day" in page
    with app.app_context():
        topics = progress.card_summary(user.id, utcnow()).topics
    energy = next(t for t in topics if t.slug == "energy")
    assert energy.seen == 5 and energy.correct == 5
    assert energy.level.name != "NOT_STARTED"


def test_streak_counts_consecutive_days() -> None:
    today = utcnow().date()
    days = [today - timedelta(days=n) for n in (0, 1, 2, 4)]
    assert progress.streak(days, today) == 3
    assert progress.streak(days[1:], today) == 2  # yesterday still counts until today ends
    assert progress.streak([], today) == 0


def test_page_query_counts_stay_flat_as_attempts_grow(
    app, client, make_user, auth, count_queries, take_quiz
) -> None:
    user = make_user()
    auth.login(user.email)
    attempt_id = take_quiz(user.id, "military", right=False)
    urls = [
        "/progress",
        f"/quiz/{attempt_id}/q/1",
        f"/quiz/{attempt_id}/review",
        "/quiz/history",
        "/review",
    ]

    def counts() -> dict[str, int]:
        result = {}
        for url in urls:
            with count_queries() as counter:
                assert client.get(url).status_code == 200, url
            result[url] = counter.count
        return result

    small = counts()
    for day in range(1, 6):
        take_quiz(user.id, "economics", right=day % 2 == 0, when=utcnow() - timedelta(days=day))
    large = counts()
    assert small == large
    assert max(large.values()) <= 12, large


def test_accuracy_chart_axis_runs_to_100_percent(app, client, make_user, auth, take_quiz) -> None:
    user = make_user()
    auth.login(user.email)
    take_quiz(user.id, "economics", right=False, count=4)
    take_quiz(user.id, "economics", right=True, count=1)  # 1 of 5 right today: 20%
    page = client.get("/progress").get_data(as_text=True)
    chart = page[page.index('<svg class="chart"') : page.index("</svg>")]
    ticks = re.findall(r'text-anchor="end">([^<]+)</text>', chart)
    assert ticks == ["0%", "25%", "50%", "75%", "100%"]
    assert ": 20 %" in chart
