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


TABLE_ROWS = {
    "border_islands": ("Amur", "1,680"),
    "crude_oil_imports": ("2005", "12.8"),
    "trade_2006": ("China", "14.37"),
    "export_commodities": ("2006H1", "&gt;90"),
    "arms_transfers": (None, "Su-27SK"),
}


@pytest.mark.parametrize("table_id", sorted(TABLE_ROWS))
def test_every_data_table_has_a_page_with_chart_notes_and_highlighted_row(client, table_id) -> None:
    row, figure = TABLE_ROWS[table_id]
    page = client.get(f"/tables/{table_id}" + (f"?row={row}" if row else ""))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert figure in html
    assert '<svg class="chart"' in html and 'role="img"' in html
    if row:
        assert html.count('class="highlight" aria-current="true"') == 1
        highlighted = re.search(
            r'<tr id="row-\d+" class="highlight"[^>]*>\s*<th scope="row">([^<]*)', html
        )
        assert highlighted and highlighted.group(1).strip() == row


def test_tables_index_and_home_list_every_table_page(client, make_user) -> None:
    make_user("admin")  # a site with no account sends its home page to the setup form
    index = client.get("/tables").get_data(as_text=True)
    home = client.get("/").get_data(as_text=True)
    for table_id in TABLE_ROWS:
        assert f'href="/tables/{table_id}"' in index
        assert f'href="/tables/{table_id}"' in home
    assert client.get("/tables/timeline").status_code == 404


def test_every_question_that_cites_a_table_links_to_a_page(app, client) -> None:
    from sinorus_learn.models import Question

    with app.app_context():
        tables = set(db.session.scalars(select(Question.table_id).distinct()))
    for table_id in tables - {None, "timeline"}:
        assert client.get(f"/tables/{table_id}").status_code == 200, table_id


def test_footnote_citations_render_markdown(client) -> None:
    html = client.get("/lessons/historical-context").get_data(as_text=True)
    assert "<em>A 4,000 Kilometer Journey Along the Sino-Russian Border</em>" in html
    assert "*A 4,000" not in html


def test_timeline_page_starts_a_quiz_on_dates_and_order(app, client, make_user, auth) -> None:
    from sinorus_learn.models import AttemptItem, Question
    from tests.conftest import post_form

    auth.login(make_user().email)
    page = client.get("/timeline").get_data(as_text=True)
    assert "Quiz on the timeline" in page
    started = post_form(
        client, "/quiz/start", {"mode": "table", "table": "timeline"}, form_url="/timeline"
    )
    assert started.status_code == 302 and "/q/1" in started.location, started.location
    with app.app_context():
        tables = set(
            db.session.scalars(
                select(Question.table_id).join(AttemptItem, AttemptItem.question_id == Question.id)
            )
        )
    assert tables == {"timeline"}


def test_explanatory_footnotes_show_their_content_not_an_empty_item(app, client) -> None:
    import re

    from sinorus_learn.content import bank_dir
    from sinorus_learn.domain.content import load_footnotes

    with app.app_context():
        footnotes = load_footnotes(bank_dir() / "footnotes.toml")
    explanatory = [fn for fn in footnotes.values() if not fn.citation.strip()]
    assert explanatory, "the report has footnotes that explain rather than cite"
    for fn in explanatory:
        html = client.get(f"/lessons/{fn.lesson}").get_data(as_text=True)
        item = re.search(rf'<li value="{fn.number}">(.*?)</li>', html, re.S)
        assert item, f"footnote {fn.number} is listed on /lessons/{fn.lesson}"
        text = re.sub(r"<[^>]+>", "", item.group(1)).replace(f"Footnote {fn.number}:", "")
        assert len(text.strip()) > 20, f"footnote {fn.number} shows no content"


def test_the_timeline_keeps_the_reports_order_within_a_year(client) -> None:
    # The arms embargo (no month in the report) followed the June 1989 crackdown.
    page = client.get("/timeline").get_data(as_text=True)
    crackdown = page.index("The Tiananmen Square crackdown")
    embargo = page.index("impose an arms embargo")
    visit = page.index("Gorbachev visits Beijing")
    assert visit < crackdown < embargo
