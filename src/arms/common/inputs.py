"""Typed service inputs: the "not given" marker and the base of the frozen dataclasses that carry a service's
optional fields (``CustomerFields``, ``ContractTerms``).

A service takes its fields as typed keyword-only parameters that default to ``UNSET``; it puts them into its
input dataclass, whose ``clean()`` is the one place they are checked. ``given()`` is what the caller gave: an
update changes only those, a create leaves the rest to the model's defaults.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from django.utils.translation import gettext as _

from arms.common.errors import ValidationFailed, money_message
from arms.domain.money import MoneyError, check_currency


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

    @staticmethod
    def check_choices(cleaned: dict[str, Any], choices: dict[str, Any]) -> None:
        """Refuse a given field whose value is not one of its enum's values (``{"status": CustomerStatus}``)."""
        for name, enum in choices.items():
            if name in cleaned and cleaned[name] not in enum.values:
                raise ValidationFailed(
                    _("%(value)s is not a valid %(field)s; use one of %(choices)s.")
                    % {"value": cleaned[name], "field": name, "choices": ", ".join(enum.values)},
                    field=name,
                )

    @staticmethod
    def clean_currency(cleaned: dict[str, Any]) -> None:
        """A given currency as its ISO 4217 code (upper case), or refused."""
        if "currency" in cleaned:
            try:
                cleaned["currency"] = check_currency(cleaned["currency"])
            except MoneyError as exc:
                raise ValidationFailed(money_message(exc), field="currency") from exc
