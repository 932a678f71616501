"""The report's own words: check that a quoted piece of evidence really is in the report.

The report is Markdown converted from a printed PDF, so a sentence may be interrupted by a page
break (``---``) and the footnotes printed on that page. ``ReportText`` rebuilds the running text
without that debris, and the footnotes as their own stream, so a quotation that spans a page break
is still found; quotes, emphasis, footnote markers and whitespace are normalised on both sides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

MAX_EVIDENCE_WORDS = 30  # "one short quotation, at most about 25 words"

_FOOTNOTE_START = re.compile(r"^<sup>\d+</sup>")
_MARKUP = re.compile(r"<sup>[^<]*</sup>|\*+|\\(?=[$_\[\]])")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Fold quotes, dashes, emphasis, footnote markers and whitespace, for comparison."""
    text = _MARKUP.sub("", text).translate(_QUOTES)
    text = text.replace("\u00ad", "")
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class ReportText:
    """The report as normalised streams: the running text, the footnotes, and the whole."""

    body: str
    notes: str
    whole: str  # as printed, page breaks and all: a quote within one paragraph is always here

    @classmethod
    def from_markdown(cls, markdown: str) -> ReportText:
        """Split ``markdown`` into running text and footnotes, dropping page-break debris."""
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", markdown) if p.strip()]
        body: list[str] = []
        notes: list[str] = []
        after_break = False
        for index, paragraph in enumerate(paragraphs):
            following = paragraphs[index + 1] if index + 1 < len(paragraphs) else ""
            if paragraph == "---":
                after_break = True
                continue
            is_note = bool(_FOOTNOTE_START.match(paragraph))
            # After a page break, a paragraph followed by a footnote is a footnote's
            # continuation (or the author's thanks), not running text.
            if is_note or (after_break and _FOOTNOTE_START.match(following)):
                notes.append(paragraph)
                continue
            after_break = False
            body.append(paragraph)
        return cls(
            body=normalise(" ".join(body)),
            notes=normalise(" ".join(notes)),
            whole=normalise(" ".join(p for p in paragraphs if p != "---")),
        )

    @classmethod
    def from_file(cls, path: Path) -> ReportText:
        """Read the report from ``path``."""
        return cls.from_markdown(path.read_text(encoding="utf-8"))

    def contains(self, quotation: str) -> bool:
        """Return whether ``quotation`` occurs verbatim (after normalising) in the report."""
        wanted = normalise(quotation).strip('"')
        return bool(wanted) and any(wanted in text for text in (self.body, self.notes, self.whole))


def evidence_problems(evidence: str, report: ReportText) -> list[str]:
    """List what is wrong with one piece of evidence (empty when it is a short true quote)."""
    if not evidence.strip():
        return []
    problems = []
    if len(evidence.split()) > MAX_EVIDENCE_WORDS:
        problems.append(f"evidence is longer than {MAX_EVIDENCE_WORDS} words: quote only the key")
    if not report.contains(evidence):
        problems.append(f"evidence {evidence[:60]!r} is not in the report word for word")
    return problems
