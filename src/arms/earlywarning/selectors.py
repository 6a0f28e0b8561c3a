"""Reads of early warning: the warning log and what other apps may ask of it.

INTERFACE h1 (issue 15): `warnings_in_period` and `WarningRow` are what the monthly management report (stress /
reports) shows in its risk section; their names and meaning do not change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

WARNINGS_IN_PERIOD_LIMIT = 200


@dataclass(frozen=True, slots=True)
class WarningRow:
    """One warning as the management report shows it (labels already in the reader's language)."""

    id: int
    indicator_name: str
    severity: str  # "info" | "warning" | "critical"
    severity_label: str
    scope_label: str
    customer_id: int | None
    customer_name: str
    raised_on: date
    closed_on: date | None
    status_label: str
    figures_text: str
    url: str


def warnings_in_period(*, start: date, end: date) -> list[WarningRow]:
    """Warnings raised in [start, end] or still open at `end`; at most 200 rows, most severe first, then the
    newest first. Placeholder until the Warning model lands on this branch: returns no rows."""
    del start, end
    return []
