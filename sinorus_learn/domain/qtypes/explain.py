"""Explain in your own words: the learner writes, then ticks the points of a checklist.

The key is a model answer and a checklist of 2-5 points from the report, each with its
provenance (section, footnotes, the report's words). Answering takes two steps: the written
text is stored first (``{"text": ..., "ticked": None}``: pending, score 0), then, once the model
answer and the checklist are shown, the learner ticks the points their text covered
(``ticked``: the points' indexes) and the score is the share ticked. Only the prompt and a text
area are shown before the text is in: ``present`` lays out nothing.

A question with fewer than two points, or no model answer (an imported GIFT essay), is well
formed but ``needs_checklist``: the bank flags it and no quiz draws it until one is added.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sinorus_learn.domain.grading import RIGHT, WRONG, Grade, credit, percent_credit
from sinorus_learn.domain.presentation import ResponseError
from sinorus_learn.domain.qtypes.base import (
    AnswerInput,
    Authored,
    Choices,
    Form,
    Presented,
    Problem,
    QType,
    Sample,
    json_kind,
    lines,
)

MIN_POINTS, MAX_POINTS = 2, 5
MIN_WORDS = 15
MAX_TEXT = 5000  # characters of a written answer
MODEL_MAX_WORDS = 120  # lint: a model answer a learner can compare at a glance


@dataclass(frozen=True)
class ChecklistPoint:
    """One point a good answer makes, with where the report makes it."""

    text: str
    evidence: str = ""  # the report's words, verbatim
    section: str = ""  # a lesson slug
    footnotes: tuple[int, ...] = ()


@dataclass(frozen=True)
class ExplainAnswer:
    """The key of an explain question: a model answer and its checklist."""

    model: str
    points: tuple[ChecklistPoint, ...] = ()

    @property
    def needs_checklist(self) -> bool:
        """Tell whether it lacks what a learner self-assesses against (no quiz serves it)."""
        return len(self.points) < MIN_POINTS or not self.model.strip()


def word_count(text: str) -> int:
    """Count the words of a text."""
    return len(text.split())


def ticked_of(response: Any) -> list[int] | None:
    """Return the points ticked in a stored response (None while it waits for them)."""
    if not isinstance(response, Mapping):
        return None
    ticked = response.get("ticked")
    return None if ticked is None else [int(i) for i in ticked]


class Explain(QType[ExplainAnswer]):
    """Free recall: a written explanation, self-assessed against a checklist."""

    name = "explain"
    label = "Explain in your own words"
    self_assessed = True

    # -- the answer model and its JSON shape

    def answer_to_json(self, answer: ExplainAnswer) -> dict[str, Any]:
        return {
            "model": answer.model,
            "points": [
                {
                    "text": p.text,
                    "evidence": p.evidence,
                    "section": p.section,
                    "footnotes": list(p.footnotes),
                }
                for p in answer.points
            ],
        }

    def read_json(self, raw: Any) -> ExplainAnswer:
        if not isinstance(raw, Mapping):
            raise TypeError("an explain answer must be an object with 'model' and 'points'")
        points = tuple(
            ChecklistPoint(
                text=str(p["text"]),
                evidence=str(p.get("evidence") or ""),
                section=str(p.get("section") or ""),
                footnotes=tuple(int(f) for f in (p.get("footnotes") or ())),
            )
            for p in raw.get("points") or ()
        )
        return ExplainAnswer(model=str(raw.get("model") or ""), points=points)

    def json_answer_problem(self, raw: object) -> str:
        if not isinstance(raw, Mapping):
            found = json_kind(raw)
            return f"field 'answer' must be an object with 'model' and 'points', found {found}"
        if not isinstance(raw.get("model", ""), str):
            return "field 'answer.model' must be a string"
        points = raw.get("points", [])
        if not isinstance(points, list) or not all(isinstance(p, Mapping) for p in points):
            return "field 'answer.points' must be a list of objects"
        for p in points:
            if not isinstance(p.get("text"), str):
                return "every point in 'answer.points' needs a 'text' string"
            footnotes = p.get("footnotes", [])
            if not isinstance(footnotes, list) or not all(
                isinstance(f, int) and not isinstance(f, bool) for f in footnotes
            ):
                return "a point's 'footnotes' must be a list of whole numbers"
        return ""

    # -- a well-formed question

    def problems(self, choices: Choices, answer: ExplainAnswer) -> list[Problem]:
        problems: list[Problem] = []
        if not isinstance(answer, ExplainAnswer):
            return [Problem("model_answer", "an explain answer needs a model answer and points")]
        if len(answer.points) > MAX_POINTS:
            problems.append(Problem("checklist", f"at most {MAX_POINTS} checklist points"))
        if any(not p.text.strip() for p in answer.points):
            problems.append(Problem("checklist", "every checklist point needs its text"))
        return problems

    def shown_texts(self, answer: ExplainAnswer) -> list[str]:
        return [answer.model, *(p.text for p in answer.points)]

    # -- the instructor's form

    def from_input(self, fields: AnswerInput) -> Authored[ExplainAnswer]:
        """Read the model answer and the checklist, one point a line:
        ``text | evidence | section | footnotes`` (all but the text may be left out)."""
        points: list[ChecklistPoint] = []
        problems: list[Problem] = []
        for number, line in enumerate(lines(fields.checklist), start=1):
            parts = [part.strip() for part in line.split("|")]
            if len(parts) > 4:
                problems.append(
                    Problem(
                        "checklist",
                        f"Point {number} has more than four parts: write "
                        "text | evidence | section | footnotes.",
                    )
                )
                continue
            text, evidence, section, footnotes = (parts + ["", "", ""])[:4]
            numbers = [f.strip() for f in footnotes.split(",") if f.strip()]
            if not all(n.isdigit() for n in numbers):
                problems.append(
                    Problem(
                        "checklist",
                        f"Point {number}: footnotes must be numbers separated by commas.",
                    )
                )
                continue
            points.append(ChecklistPoint(text, evidence, section, tuple(int(n) for n in numbers)))
        if not fields.model_answer.strip():
            problems.append(Problem("model_answer", "Write the model answer."))
        if len(points) < MIN_POINTS and not problems:
            problems.append(
                Problem("checklist", f"Write at least {MIN_POINTS} checklist points, one a line.")
            )
        answer = ExplainAnswer(fields.model_answer.strip(), tuple(points))
        return Authored(None, answer, tuple(problems))

    def to_input(self, choices: Choices, answer: ExplainAnswer) -> dict[str, Any]:
        def line(p: ChecklistPoint) -> str:
            parts = [p.text, p.evidence, p.section, ", ".join(str(f) for f in p.footnotes)]
            while parts and not parts[-1]:
                parts.pop()
            return " | ".join(parts)

        return {
            "model_answer": answer.model,
            "checklist": "\n".join(line(p) for p in answer.points),
        }

    # -- GIFT: an essay ``{}``, the model answer as its general feedback; the points are lost

    def gift_answers(
        self, choices: Choices, answer: ExplainAnswer, option_feedback: tuple[tuple[str, str], ...]
    ) -> list[str]:
        return []

    def gift_general_feedback(self, answer: ExplainAnswer, explanation: str) -> str:
        return answer.model

    # -- the learner's side

    def parse_form(self, form: Form, presented: Presented) -> dict[str, Any]:
        """Read the written text (and the ticked points, on the self-assessment step)."""
        getlist = getattr(form, "getlist", None)
        raw = getlist("text") if getlist else form.get("text", [])
        values = [raw] if isinstance(raw, str) else list(raw)
        text = str(values[0]).strip() if values else ""
        if len(text) > MAX_TEXT:
            raise ResponseError(f"Keep your answer under {MAX_TEXT:,} characters.")
        words = word_count(text)
        if words < MIN_WORDS:
            raise ResponseError(
                f"Write at least {MIN_WORDS} words: explain in full sentences "
                f"(your answer has {words})."
            )
        ticks = getlist("point") if getlist else form.get("point")
        return {"text": text, "ticked": None if ticks is None else self.read_ticks(ticks)}

    def read_ticks(self, values: Any, count: int | None = None) -> list[int]:
        """Read the ticked points' indexes; ResponseError for one that was not shown."""
        values = [values] if isinstance(values, str) else list(values or ())
        if not all(str(v).isdigit() for v in values):
            raise ResponseError("Tick among the points shown.")
        ticked = sorted({int(v) for v in values})
        if count is not None and any(i >= count for i in ticked):
            raise ResponseError("Tick among the points shown.")
        return ticked

    def self_assess(self, stored: Any, ticked: Sequence[str], answer: ExplainAnswer) -> Any:
        """Return the written text with the points ticked (indexes into the checklist)."""
        ticks = self.read_ticks(ticked, len(answer.points))
        return {"text": self.response_text(stored), "ticked": ticks}

    def response_to_json(self, response: Any) -> Any:
        if isinstance(response, Mapping):
            ticked = response.get("ticked")
            return {
                "text": str(response.get("text", "")),
                "ticked": None if ticked is None else list(ticked),
            }
        return {"text": str(response), "ticked": None}

    def grade(self, answer: ExplainAnswer, response: Any, choices: Choices) -> Grade:
        """The share of the checklist ticked; 0 while the ticks are still to come."""
        ticked = ticked_of(response)
        if ticked is None or not answer.points:
            return Grade(0.0, "waiting for your self-assessment")
        hits = len({i for i in ticked if 0 <= i < len(answer.points)})
        score = hits / len(answer.points)
        if score >= 1.0:
            return RIGHT
        if hits == 0:
            return WRONG
        return credit(score, f"{hits} of {len(answer.points)} points: {percent_credit(score)}")

    # -- display

    def format_answer(self, answer: ExplainAnswer) -> str:
        return answer.model or "(no model answer yet)"

    def response_text(self, response: Any) -> str:
        if isinstance(response, Mapping):
            return str(response.get("text", ""))
        return str(response)

    # -- samples

    def sample(self) -> Sample[ExplainAnswer]:
        return Sample(
            None,
            ExplainAnswer(
                model=(
                    "Russia sells arms and energy to a fast-growing China, and both want "
                    "a say in Central Asia without an outside power."
                ),
                points=(
                    ChecklistPoint("Arms sales", "Russia sells arms", "military", (12,)),
                    ChecklistPoint("Energy exports", "oil and gas", "energy", ()),
                    ChecklistPoint("Central Asia", "", "sco", ()),
                ),
            ),
        )

    def sample_form(
        self, answer: ExplainAnswer, presented: Presented, right: bool = True
    ) -> dict[str, Any]:
        text = (
            "Russia sells China weapons and oil, and the two want to keep the United States "
            "out of Central Asia, which is why they work together in the SCO."
        )
        ticked = range(len(answer.points)) if right else range(min(1, len(answer.points) - 1))
        return {"text": [text], "point": [str(i) for i in ticked]}

    def invalid_forms(self, presented: Presented) -> list[dict[str, Any]]:
        return [{}, {"text": ["Too short to be an explanation."]}, {"text": ["x " * 3000]}]
