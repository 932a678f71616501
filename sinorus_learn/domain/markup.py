"""Markdown to safe HTML for instructor- and content-written text."""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "sup", "sub", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "ol": {"start"}}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # "js-default" escapes raw HTML instead of passing it through, like CommonMark-in-the-browser.
    return MarkdownIt("js-default").enable("table")


@lru_cache(maxsize=4096)  # the same prompts and lesson texts are rendered on every page view
def render_markdown(text: str) -> str:
    """Render Markdown and sanitise the HTML, so no script or event handler survives."""
    html = _parser().render(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def render_inline(text: str) -> str:
    """Render one line of Markdown without the wrapping paragraph."""
    html = render_markdown(text).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html
