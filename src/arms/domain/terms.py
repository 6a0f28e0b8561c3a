"""Payment terms: when an invoice falls due.

Chinese trade uses three shapes: net N days from the invoice (发票后N天), month-end settlement
(月结N天: N days after the end of the invoice's month) and cash in advance (款到发货, N = 0).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class TermBasis(StrEnum):
    INVOICE_DATE = "invoice_date"
    MONTH_END = "month_end"


@dataclass(frozen=True, slots=True)
class PaymentTerms:
    days: int
    basis: TermBasis = TermBasis.INVOICE_DATE

    def __post_init__(self) -> None:
        if not 0 <= self.days <= 3650:
            raise ValueError("payment term days must be between 0 and 3650")

    def due_date(self, issue_date: date) -> date:
        start = issue_date
        if self.basis == TermBasis.MONTH_END:
            start = month_end(issue_date)
        return start + timedelta(days=self.days)


def month_start(day: date) -> date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def month_end(day: date) -> date:
    """The last day of ``day``'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def days_overdue(due: date, as_of: date) -> int:
    """Calendar days past due on ``as_of``; negative while not yet due."""
    return (as_of - due).days
