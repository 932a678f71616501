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
