"""Classes: instructors create them with a join code, students join with the code."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from sinorus_learn.database import write
from sinorus_learn.extensions import db
from sinorus_learn.models import Classroom, Enrollment, User

# No 0/O, 1/I/L: codes are read aloud and copied from a projector.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


class ClassError(ValueError):
    """A class request that cannot be honoured; the message is for the user."""


@dataclass(frozen=True, kw_only=True)
class ClassSummary:
    id: int
    name: str
    join_code: str
    instructor: str
    students: int


def make_code() -> str:
    """Return a random join code from the unambiguous alphabet."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    """Accept codes typed in lower case, with spaces or dashes."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def create_class(instructor_id: int, name: str) -> Classroom:
    """Create a class with a fresh join code."""
    name = name.strip()
    if not name:
        raise ClassError("Give the class a name.")
    for _ in range(5):
        try:
            with write():
                classroom = Classroom(name=name, join_code=make_code(), instructor_id=instructor_id)
                db.session.add(classroom)
        except IntegrityError:  # a code collision: 31^8 makes it rare, retry with another
            continue
        return classroom
    raise ClassError("Could not find a free join code; please try again.")


def join_class(user_id: int, code: str) -> Classroom:
    """Enrol ``user_id`` in the class with this code; joining twice changes nothing."""
    with write():
        classroom: Classroom | None = db.session.scalar(
            select(Classroom).where(Classroom.join_code == normalise_code(code))
        )
        if classroom is None:
            raise ClassError("No class has this join code. Check it with your instructor.")
        enrolled = db.session.get(Enrollment, (classroom.id, user_id))
        if enrolled is None:
            db.session.add(Enrollment(classroom_id=classroom.id, user_id=user_id))
    return classroom


def list_classes(user_id: int, see_all: bool = False) -> list[ClassSummary]:
    """Return the instructor's classes (every class for an admin) with student counts."""
    counts = (
        select(Enrollment.classroom_id, func.count(Enrollment.user_id).label("n"))
        .group_by(Enrollment.classroom_id)
        .subquery()
    )
    query = (
        select(Classroom, User.display_name.label("instructor"), counts.c.n.label("students"))
        .join(User, User.id == Classroom.instructor_id)
        .outerjoin(counts, counts.c.classroom_id == Classroom.id)
        .order_by(Classroom.created_at.desc(), Classroom.id.desc())
    )
    if not see_all:
        query = query.where(Classroom.instructor_id == user_id)
    return [
        ClassSummary(
            id=row.Classroom.id,
            name=row.Classroom.name,
            join_code=row.Classroom.join_code,
            instructor=row.instructor,
            students=int(row.students or 0),
        )
        for row in db.session.execute(query)
    ]


def get_class(class_id: int, user_id: int, see_all: bool = False) -> Classroom | None:
    """Return the class if ``user_id`` runs it (or ``see_all``); None hides others' classes."""
    classroom = db.session.get(Classroom, class_id)
    if classroom is None or (not see_all and classroom.instructor_id != user_id):
        return None
    return classroom


def joined_classes(user_id: int) -> list[Classroom]:
    """Return the classes a student belongs to."""
    return list(
        db.session.scalars(
            select(Classroom)
            .join(Enrollment, Enrollment.classroom_id == Classroom.id)
            .where(Enrollment.user_id == user_id)
            .order_by(Classroom.name)
        )
    )


def is_enrolled(class_id: int, user_id: int) -> bool:
    """Tell whether a student belongs to a class."""
    return db.session.get(Enrollment, (class_id, user_id)) is not None
