"""The reading pages: topics, timeline and lessons show what the content holds."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from sinorus_learn.extensions import db
from sinorus_learn.models import Lesson, TimelineEvent

pytestmark = pytest.mark.usefixtures("content")


def test_topics_list_every_lesson_with_its_counts(app, client) -> None:
    page = client.get("/topics").get_data(as_text=True)
    with app.app_context():
        lessons = list(db.session.scalars(select(Lesson).order_by(Lesson.position)))
    found = re.findall(
        r'href="/lessons/([^"]+)".*?<p>(\d+) key points · (\d+) key figures', page, re.S
    )
    assert found == [
        (lesson.slug, str(len(lesson.body["key_points"])), str(len(lesson.body["key_figures"])))
        for lesson in lessons
    ]
    assert len(found) == 9


def test_timeline_links_each_event_to_its_lesson(app, client) -> None:
    page = client.get("/timeline").get_data(as_text=True)
    with app.app_context():
        topics = list(db.session.scalars(select(TimelineEvent.topic)))
    links = re.findall(r'<a href="/lessons/([^"]+)" class="badge">', page)
    assert sorted(links) == sorted(topics) and len(links) == 43


def test_unknown_lesson_is_a_404(client) -> None:
    assert client.get("/lessons/no-such-lesson").status_code == 404
