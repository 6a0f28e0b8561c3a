"""Every services and selectors module is type-checked strictly (issue 11: "mypy ... over arms.domain and every
services/selectors module, strict there").

mypy checks only what pyproject's ``[tool.mypy] files`` names, and strictly only what a ``[[tool.mypy.overrides]]``
with ``disallow_untyped_defs`` names. A new app that forgets either line would go unchecked without a word, so this
test reads pyproject.toml as it is when the test runs and lists what is missing.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"


def typed_module_names() -> list[str]:
    """The dotted names of every services/selectors module under src/arms: a file named ``*services.py`` or
    ``*selectors.py``, or any module inside a ``services`` or ``selectors`` package."""
    names = []
    for path in sorted((SRC / "arms").rglob("*.py")):
        relative = path.relative_to(SRC)
        if "migrations" in relative.parts:
            continue
        packages = relative.parts[:-1]
        if not (path.stem.endswith(("services", "selectors")) or any(p in ("services", "selectors") for p in packages)):
            continue
        parts = list(relative.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names.append(".".join(parts))
    return names


def mypy_config() -> tuple[list[str], list[str]]:
    """The ``files`` entries and the module patterns of the strict override (the one that disallows untyped defs)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    strict = [
        pattern
        for override in config.get("overrides", [])
        if override.get("disallow_untyped_defs")
        for pattern in ([override["module"]] if isinstance(override["module"], str) else override["module"])
    ]
    return config["files"], strict


def matches(module: str, pattern: str) -> bool:
    """mypy's rule: ``a.b.*`` names ``a.b`` and everything under it; otherwise the name must be equal."""
    if pattern.endswith(".*"):
        base = pattern[:-2]
        return module == base or module.startswith(base + ".")
    return module == pattern


def checked(module: str, files: list[str]) -> bool:
    """Whether a ``files`` entry (a file, or a directory ending in /) covers the module's source file."""
    path = Path("src", *module.split("."))
    candidates = {f"{path}.py", f"{path}/__init__.py"}
    return any(
        candidate == entry or (entry.rstrip("/") and candidate.startswith(entry.rstrip("/") + "/"))
        for entry in files
        for candidate in candidates
    )


def test_the_scan_finds_the_modules_it_is_about():
    names = typed_module_names()
    assert "arms.ledger.services.allocations" in names
    assert "arms.cases.selectors" in names
    assert "arms.writeoffs.small_services" in names
    assert not any(name.endswith(".models") for name in names)


def test_every_services_and_selectors_module_is_checked_strictly():
    files, strict = mypy_config()
    names = typed_module_names()
    unchecked = [name for name in names if not checked(name, files)]
    lenient = [name for name in names if not any(matches(name, pattern) for pattern in strict)]
    assert not unchecked, f"add to [tool.mypy] files in pyproject.toml: {unchecked}"
    assert not lenient, f"add to the strict [[tool.mypy.overrides]] in pyproject.toml: {lenient}"


def test_matching_follows_mypy():
    assert matches("arms.ledger.services", "arms.ledger.services.*")
    assert matches("arms.ledger.services.fx", "arms.ledger.services.*")
    assert not matches("arms.ledger.servicesx", "arms.ledger.services.*")
    assert not matches("arms.ledger.selectors", "arms.ledger")
    assert checked("arms.ledger.services.fx", ["src/arms/ledger/services/"])
    assert checked("arms.ledger.services", ["src/arms/ledger/services"])
    assert not checked("arms.ledger.selectors", ["src/arms/ledger/services/"])
