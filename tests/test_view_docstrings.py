"""Every view says in one line what it does (STYLE.md, habit 5)."""

from __future__ import annotations

import ast
from pathlib import Path

VIEWS = Path(__file__).resolve().parent.parent / "sinorus_learn" / "views"


def routed_functions(path: Path) -> list[ast.FunctionDef]:
    """Return the module's functions registered on a blueprint (``@bp.get``, ``@bp.route``...)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and any(ast.unparse(d).startswith("bp.") for d in node.decorator_list)
    ]


def test_views_are_found():
    assert len([f for p in VIEWS.glob("*.py") for f in routed_functions(p)]) > 50


def test_every_view_has_a_one_line_docstring():
    missing = [
        f"{path.name}:{view.lineno} {view.name}"
        for path in sorted(VIEWS.glob("*.py"))
        for view in routed_functions(path)
        if not (doc := ast.get_docstring(view)) or "\n" in doc
    ]
    assert missing == []
