"""ORM tables only: no commits and no business rules here."""

from sinorus_learn.models.attempt import AnswerRecord, Attempt, AttemptItem
from sinorus_learn.models.classroom import Classroom, Enrollment
from sinorus_learn.models.content import Lesson, SearchPassage, TimelineEvent
from sinorus_learn.models.imports import ImportJob
from sinorus_learn.models.question import ProblemReport, Question, QuestionVersion
from sinorus_learn.models.review import ReviewCard
from sinorus_learn.models.user import PasswordToken, User

__all__ = [
    "Attempt",
    "AttemptItem",
    "Classroom",
    "Enrollment",
    "ImportJob",
    "Lesson",
    "PasswordToken",
    "ProblemReport",
    "Question",
    "QuestionVersion",
    "AnswerRecord",
    "ReviewCard",
    "SearchPassage",
    "TimelineEvent",
    "User",
]
