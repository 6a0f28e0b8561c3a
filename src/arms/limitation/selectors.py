"""Reads of limitation periods. The published interface (Interface B of issue 14):

    arms.limitation.selectors.limitation_state(invoice) -> LimitationState
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Max
from django.utils import timezone

from arms.domain.limitation import DEFAULT_ALERT_DAYS, DEFAULT_PERIOD_YEARS, clock_for, clock_status
from arms.ledger.models import Invoice
from arms.limitation.enums import Status
from arms.limitation.models import LimitationClock, LimitationInterruption, LimitationSettings


@dataclass(frozen=True, slots=True)
class LimitationState:
    """An invoice's limitation clock as of today."""

    start: date
    last_interruption: date | None
    expires_on: date
    status: str
    days_left: int

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)


def settings_or_default(company_id: int) -> tuple[int, list[int]]:
    """(period years, alert days) of the company, the defaults while it has no settings row (nothing written)."""
    row = LimitationSettings.objects.filter(company_id=company_id).values_list("period_years", "alert_days").first()
    return (row[0], list(row[1])) if row else (DEFAULT_PERIOD_YEARS, list(DEFAULT_ALERT_DAYS))


def limitation_state(invoice: Invoice, *, today: date | None = None) -> LimitationState:
    """The invoice's clock computed now from its due date, interruptions and open amount (so it is right even
    before the daily refresh has stored it): two small queries."""
    today = today or timezone.localdate()
    years, alert_days = settings_or_default(invoice.company_id)
    last = LimitationInterruption.objects.filter(invoice=invoice).aggregate(last=Max("date"))["last"]
    clock = clock_for(invoice.due_date, () if last is None else (last,), years=years)
    status = clock_status(clock.expires_on, today, open_=invoice.amount_open_minor > 0, alert_days=alert_days)
    return LimitationState(start=clock.start, last_interruption=last, expires_on=clock.expires_on,
                           status=status.value, days_left=(clock.expires_on - today).days)


def clock_get(invoice: Invoice) -> LimitationClock | None:
    """The stored clock of the invoice, if the refresh has written one."""
    return LimitationClock.objects.filter(invoice=invoice).first()
