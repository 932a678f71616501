"""Markdown (or imported HTML) to safe HTML for instructor- and content-written text."""

from __future__ import annotations

import html as html_module
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

# Markdown never writes b, i or u; a GIFT [html] file from Moodle's editor does.
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "sup", "sub", "hr",
    "b", "i", "u",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "ol": {"start"}}


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # "js-default" escapes raw HTML instead of passing it through, like CommonMark-in-the-browser.
    return MarkdownIt("js-default").enable("table")


@lru_cache(maxsize=4096)  # the same prompts and lesson texts are rendered on every page view
def render_markdown(text: str) -> str:
    """Render Markdown and sanitise the HTML, so no script or event handler survives."""
    return sanitise_html(_parser().render(text or ""))


def sanitise_html(html: str) -> str:
    """Keep only the allowed tags and attributes, so no script or event handler survives."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


@lru_cache(maxsize=4096)
def render_text(text: str, text_format: str = "markdown") -> str:
    """Render a question's text as written: Markdown, or HTML (a GIFT ``[html]`` file's)."""
    if text_format == "html":
        return sanitise_html(text or "")
    return render_markdown(text)


@lru_cache(maxsize=4096)
def plain_text(html: str) -> str:
    """Drop every tag and resolve entities: an HTML answer option or a one-line summary
    (memoised: the same prompts and options are stripped on every list that shows them)."""
    return html_module.unescape(nh3.clean(html or "", tags=set())).strip()


@lru_cache(maxsize=4096)
def render_inline(text: str) -> str:
    """Render one line of Markdown without the wrapping paragraph."""
    html = render_markdown(text).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html
