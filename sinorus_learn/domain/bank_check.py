"""What the shipped bank must satisfy before it is loaded: classified, and its evidence true.

Every question names objectives of its own topic's lesson and a skill level; every piece of
evidence, on a question or a lesson key point, is the report's own words. A failure names the
question (or lesson) so that an editor can find it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sinorus_learn.domain.content import Lesson
from sinorus_learn.domain.evidence import ReportText, evidence_problems
from sinorus_learn.domain.questions import QuestionSpec, classification_problems

REPORT_FILE = "report/china-and-russia.md"  # inside question_bank/, the text evidence is checked on


class BankError(ValueError):
    """The bank breaks a rule of LEARNING.md; the message lists each question at fault."""


def bank_problems(
    specs: Iterable[QuestionSpec],
    lessons: Iterable[Lesson],
    report: ReportText,
) -> list[str]:
    """List every classification or evidence problem of the bank and its lessons."""
    lessons = list(lessons)
    objectives: Mapping[str, tuple[str, ...]] = {
        lesson.slug: tuple(o.id for o in lesson.objectives) for lesson in lessons
    }
    problems: list[str] = []
    for spec in specs:
        found = classification_problems(spec, objectives) + evidence_problems(spec.evidence, report)
        problems.extend(f"{spec.key}: {problem}" for problem in found)
    for lesson in lessons:
        for index, point in enumerate(lesson.key_points, start=1):
            problems.extend(
                f"lesson {lesson.slug}, key point {index}: {problem}"
                for problem in evidence_problems(point.evidence, report)
            )
    return problems


def check_bank(
    specs: Iterable[QuestionSpec], lessons: Iterable[Lesson], report: ReportText
) -> None:
    """Raise BankError listing the first problems when the bank breaks a rule."""
    problems = bank_problems(specs, lessons, report)
    if problems:
        shown = "\n  ".join(problems[:20])
        more = f"\n  … and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise BankError(f"{len(problems)} problem(s) in the question bank:\n  {shown}{more}")
