"""Typed service inputs: the "not given" marker and the base of the frozen dataclasses that carry a service's
optional fields (``CustomerFields``, ``ContractTerms``).

A service takes its fields as typed keyword-only parameters that default to ``UNSET``; it puts them into its
input dataclass, whose ``clean()`` is the one place they are checked. ``given()`` is what the caller gave: an
update changes only those, a create leaves the rest to the model's defaults.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


class _Unset:
    """A field the caller did not give (``None`` is a value: "nobody", "no date")."""

    _instance: _Unset | None = None

    def __new__(cls) -> _Unset:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


#: typed as Any so that ``name: str = UNSET`` reads as what the parameter takes when it is given
UNSET: Any = _Unset()


@dataclass(frozen=True, kw_only=True)
class ServiceInput:
    """Base of a service's input: every field defaults to ``UNSET``."""

    def given(self) -> dict[str, Any]:
        """The fields the caller gave, in declaration order."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not UNSET}

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))
