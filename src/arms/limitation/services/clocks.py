"""Recompute limitation clocks from the invoices' due dates and interruptions, set-based.

One query reads the invoices (with the latest interruption day as an aggregate), the clocks are computed in
Python by ``arms.domain.limitation`` (the holiday calendar is Python) and written back with one upsert per batch.
No query per invoice and no list of ids in SQL: the invoices are chosen by a filter.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Max, Q

from arms.domain.limitation import clock_for, clock_status
from arms.ledger.models import Invoice
from arms.limitation.models import LimitationClock, LimitationInterruption, LimitationSettings

if TYPE_CHECKING:
    from arms.customers.models import Company

BATCH = 2_000
CLOCK_FIELDS = ["company", "customer", "start", "last_interruption", "last_kind", "expires_on", "status",
                "refreshed_at"]


def _last_kinds(invoice_filter: Q) -> dict[tuple[int, date], str]:
    """(invoice, day) -> the kind recorded on the invoice's latest day (a lawsuit wins over a letter the same
    day: the kind of highest id is taken, which is the last recorded)."""
    rows = (LimitationInterruption.objects.filter(**{"invoice__in": Invoice.objects.filter(invoice_filter)})
            .values_list("invoice_id", "date", "kind").order_by("invoice_id", "date", "id"))
    return {(invoice_id, day): kind for invoice_id, day, kind in rows.iterator(chunk_size=BATCH)}


def clocks_recompute(*, company: Company, invoice_filter: Q, today: date,
                     settings: LimitationSettings) -> int:
    """Rewrite the clocks of the company's invoices matching ``invoice_filter`` (open ones, and those that have
    a clock already, which become stopped once settled). Returns the number of clocks written."""
    chosen = Q(company=company) & invoice_filter & (Q(amount_open_minor__gt=0) | Q(limitation_clock__isnull=False))
    kinds = _last_kinds(chosen)
    rows = (Invoice.objects.filter(chosen)
            .annotate(last_interruption=Max("limitation_interruptions__date"))
            .values_list("pk", "customer_id", "due_date", "amount_open_minor", "last_interruption")
            .order_by("pk"))
    written = 0
    batch: list[LimitationClock] = []
    alert_days = list(settings.alert_days)
    for pk, customer_id, due, open_minor, last in rows.iterator(chunk_size=BATCH):
        clock = clock_for(due, () if last is None else (last,), years=settings.period_years)
        batch.append(LimitationClock(
            invoice_id=pk, company_id=company.pk, customer_id=customer_id, start=clock.start,
            last_interruption=last, last_kind=kinds.get((pk, last), "") if last is not None else "",
            expires_on=clock.expires_on,
            status=clock_status(clock.expires_on, today, open_=open_minor > 0, alert_days=alert_days).value,
        ))
        if len(batch) >= BATCH:
            written += _upsert(batch)
            batch = []
    if batch:
        written += _upsert(batch)
    return written


def _upsert(batch: list[LimitationClock]) -> int:
    LimitationClock.objects.bulk_create(batch, update_conflicts=True, unique_fields=["invoice"],
                                        update_fields=CLOCK_FIELDS)
    return len(batch)
