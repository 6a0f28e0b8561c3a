"""The transaction rule of ADR 0003, checked over the source tree.

A write service is ``@transaction.atomic`` (plain): it joins its caller's transaction, so an import or a batch can
run many services all-or-nothing. ``atomic(durable=True)`` is only for the places where a commit must really
happen right there: the per-unit transactions of a batch, and work whose effect outside the database (a stored
file, an e-mail, the queue) must follow a commit. They are listed here, each with its reason; a new one is a
decision, written into this list.
"""

from __future__ import annotations

import ast
from pathlib import Path

import arms

DURABLE = {
    ("cases/services/promises.py", "_promise_check_one"): "one promise per commit in the daily sweep",
    ("cases/services/plans.py", "_plan_check_one"): "one plan per commit in the daily sweep",
    ("cases/services/disputes.py", "disputes_sla_check"): "one dispute per commit in the daily sweep",
    ("cases/services/bundles.py", "evidence_bundle"): "the ZIP is stored: no bundle file without its row",
    ("imports/services.py", "import_file"): "a whole import commits or nothing does, never inside a caller",
    ("bank/services/importing.py", "_write"): "a statement file commits whole before its lines go to cash application",
    ("dunning/services/runs.py", "dunning_run"): "actions are processed after the run commits",
    ("reports/services.py", "report_generate"): "the run is committed before it is e-mailed",
    ("reports/services.py", "monthly_report_scheduled"): "the month's runs are committed before they are e-mailed",
}


def _is_durable_atomic(node: ast.AST) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "atomic"
            and any(k.arg == "durable" for k in node.keywords))


def _durable_uses() -> set[tuple[str, str]]:
    root = Path(arms.__file__).parent
    found = set()
    for path in root.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            inner = [n for n in ast.walk(function) if _is_durable_atomic(n)]
            own = [n for n in inner if not any(
                n in set(ast.walk(f)) for f in ast.walk(function)
                if f is not function and isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef))]
            if own:
                found.add((str(path.relative_to(root)), function.name))
    return found


def test_durable_transactions_only_where_adr_0003_allows_them():
    assert _durable_uses() == set(DURABLE)


def test_the_edges_open_no_transaction():
    """Views and API endpoints call a service; the service owns the transaction (ADR 0003, rule 1)."""
    root = Path(arms.__file__).parent
    edges = [path for path in root.rglob("*.py") if path.name in ("api.py", "views.py") or "views" in path.parts]
    offenders = sorted(f"{path.relative_to(root)}:{node.lineno}" for path in edges
                       for node in ast.walk(ast.parse(path.read_text()))
                       if isinstance(node, ast.Attribute) and node.attr == "atomic")
    assert offenders == []
