"""arms.common.locks is the only way to lock a row: no ``select_for_update`` anywhere else in the source."""

from __future__ import annotations

import ast
from pathlib import Path

import arms

LOCK_MODULE = "common/locks.py"


def test_no_select_for_update_outside_the_lock_module():
    root = Path(arms.__file__).parent
    offenders = sorted(
        f"{path.relative_to(root)}:{node.lineno}"
        for path in root.rglob("*.py") if str(path.relative_to(root)) != LOCK_MODULE and "migrations" not in path.parts
        for node in ast.walk(ast.parse(path.read_text()))
        if (isinstance(node, ast.Attribute) and node.attr == "select_for_update")
        or (isinstance(node, ast.Constant) and node.value == "select_for_update")
    )
    assert offenders == []
