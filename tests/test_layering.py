"""Layers: the core stays free of Flask and the ORM; the app and bench never import tests."""

from __future__ import annotations

import ast
from pathlib import Path

DOMAIN = Path(__file__).resolve().parent.parent / "sinorus_learn" / "domain"
FORBIDDEN = (
    "flask",
    "flask_",
    "sqlalchemy",
    "werkzeug",
    "sinorus_learn.models",
    "sinorus_learn.services",
    "sinorus_learn.extensions",
)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_domain_imports_no_flask_or_orm() -> None:
    files = list(DOMAIN.rglob("*.py"))
    assert len(files) >= 5
    offenders = {
        f"{path.relative_to(DOMAIN)}: {name}"
        for path in files
        for name in imported_modules(path)
        if name.startswith(FORBIDDEN)
    }
    assert not offenders


def test_app_and_bench_import_no_tests() -> None:
    root = DOMAIN.parent.parent
    files = [*(root / "sinorus_learn").rglob("*.py"), *(root / "bench").rglob("*.py")]
    assert any(path.parent.name == "bench" for path in files)
    offenders = {
        f"{path.relative_to(root)}: {name}"
        for path in files
        for name in imported_modules(path)
        if name == "tests" or name.startswith("tests.")
    }
    assert not offenders


APP = DOMAIN.parent


def _offenders(
    folder: str, forbidden: tuple[str, ...], allowed: frozenset[str] = frozenset()
) -> set[str]:
    files = list((APP / folder).rglob("*.py"))
    assert files, folder
    return {
        f"{path.relative_to(APP)}: {name}"
        for path in files
        if str(path.relative_to(APP)) not in allowed
        for name in imported_modules(path)
        if name.startswith(forbidden)
    }


def test_models_import_no_services_or_views() -> None:
    assert not _offenders("models", ("sinorus_learn.services", "sinorus_learn.views"))


def test_services_use_no_request_session_flash_or_current_app() -> None:
    request_state = {"request", "session", "flash", "current_app", "g"}
    offenders = set()
    for path in (APP / "services").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in ("flask", "flask_login"):
                used = {alias.name for alias in node.names} & (request_state | {"current_user"})
                offenders |= {f"{path.relative_to(APP)}: {name}" for name in used}
    assert offenders == set(), offenders


def test_views_and_forms_run_no_sql() -> None:
    # views/bench.py counts the statements of a request (a listener on the engine) for the
    # benchmark, registered only under BENCH_ENDPOINTS; its read and write are a service's
    allowed = frozenset({"views/bench.py"})
    assert not _offenders("views", ("sqlalchemy",), allowed)
    assert not _offenders("forms", ("sqlalchemy",))
    for folder in ("views", "forms"):
        for path in (APP / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert "db.session" not in text and ".commit(" not in text, path
