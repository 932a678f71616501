"""Admin use cases: list accounts, change roles, deactivate and reactivate them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select, update

from sinorus_learn.database import write
from sinorus_learn.extensions import db
from sinorus_learn.models import User
from sinorus_learn.models.user import ROLES


class AdminError(ValueError):
    """A change to an account that is refused; the message is for the admin."""


@dataclass(frozen=True)
class UserChange:
    user_id: int
    email: str
    role: str
    active: bool


def list_users(page: int = 1, search: str = "", per_page: int = 25) -> Any:
    """Return one page of accounts, optionally matching ``search`` in e-mail or name."""
    query = select(User).order_by(User.email)
    text = search.strip()
    if text:
        needle = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            or_(User.email.ilike(needle, escape="\\"), User.display_name.ilike(needle, escape="\\"))
        )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def _other_active_admins(user_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count(User.id)).where(
                User.role == "admin", User.active.is_(True), User.id != user_id
            )
        )
        or 0
    )


def _load(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise LookupError(user_id)
    return user


def change_role(user_id: int, role: str) -> UserChange:
    """Give an account another role; the last active admin keeps theirs."""
    if role not in ROLES:
        raise AdminError(f"Unknown role {role!r}.")
    with write():
        user = _load(user_id)
        demoting = user.role == "admin" and role != "admin" and user.active
        if demoting and not _other_active_admins(user.id):
            raise AdminError("This is the last active admin: make another admin first.")
        user.role = role  # roles are read from the database on every request: no session to end
    db.session.refresh(user)
    return UserChange(user.id, user.email, user.role, user.active)


def set_active(user_id: int, active: bool) -> UserChange:
    """Deactivate (log-ins refused, sessions ended, history kept) or reactivate an account."""
    with write():
        user = _load(user_id)
        if (
            not active
            and user.role == "admin"
            and user.active
            and not _other_active_admins(user.id)
        ):
            raise AdminError("This is the last active admin: it cannot be deactivated.")
        values: dict[str, Any] = {"active": active}
        if not active:
            values["session_version"] = User.session_version + 1
        db.session.execute(update(User).where(User.id == user.id).values(**values))
    db.session.refresh(user)
    return UserChange(user.id, user.email, user.role, user.active)
