"""Writes of the cash-in forecast: ``forecast_run`` computes the forecast of a day and stores it with its lines.

The computation (``selectors.forecast_compute``) only reads and may take a few seconds on a large book, so it runs
before the transaction opens; the transaction writes the forecast, its lines and the audit event, and holds no lock
(nothing it writes is shared with another writer: a forecast is never edited).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction

from arms.audit.actions import AuditAction
from arms.audit.services import audit_record
from arms.common.actors import user_or_none
from arms.forecast.models import Forecast, ForecastLine
from arms.forecast.selectors import ForecastResult, forecast_compute, forecast_input_check

if TYPE_CHECKING:
    from arms.common.typing import Actor
    from arms.customers.models import Company

Progress = Callable[[int, int], None]


def forecast_run(*, actor: Actor, company: Company, as_of: date, granularity: str = "week",
                 periods: int | None = None, include_new_sales: bool = False,
                 progress: Progress | None = None) -> Forecast:
    """Compute the forecast as of ``as_of`` and store it. Bad input (an unknown granularity, periods out of range,
    a day out of bounds) is refused naming the field, before anything is read or written."""
    periods = forecast_input_check(as_of=as_of, granularity=granularity, periods=periods)
    if progress is not None:
        progress(0, 2)
    result = forecast_compute(as_of=as_of, granularity=granularity, periods=periods,
                              include_new_sales=include_new_sales)
    if progress is not None:
        progress(1, 2)
    made = forecast_store(actor=actor, company=company, result=result, include_new_sales=include_new_sales)
    if progress is not None:
        progress(2, 2)
    return made


@transaction.atomic
def forecast_store(*, actor: Actor, company: Company, result: ForecastResult,
                   include_new_sales: bool) -> Forecast:
    """Store a computed forecast: the forecast, a CNY line per bucket and a line per bucket and invoice currency."""
    expected = sum(bucket.expected_minor for bucket in result.buckets)
    new_sales = sum(bucket.from_new_sales_minor for bucket in result.buckets)
    made = Forecast.objects.create(
        company=company, as_of=result.as_of, granularity=result.granularity, periods=len(result.buckets),
        include_new_sales=include_new_sales, open_minor=result.open_minor, expected_minor=expected,
        beyond_minor=result.beyond_minor, new_sales_minor=new_sales, item_count=result.item_count,
        methods=result.methods, created_by=user_or_none(actor))
    lines = []
    for seq, bucket in enumerate(result.buckets):
        lines.append(ForecastLine(
            forecast=made, seq=seq, start=bucket.start, end=bucket.end, is_total=True,
            expected_minor=bucket.expected_minor, low_minor=bucket.low_minor, high_minor=bucket.high_minor,
            from_open_items_minor=bucket.from_open_items_minor, from_promises_minor=bucket.from_promises_minor,
            from_plans_minor=bucket.from_plans_minor, from_new_sales_minor=bucket.from_new_sales_minor))
        lines += [ForecastLine(forecast=made, seq=seq, start=bucket.start, end=bucket.end, currency=currency,
                               expected_minor=amount, low_minor=amount, high_minor=amount)
                  for currency, amount in bucket.by_currency.items()]
    ForecastLine.objects.bulk_create(lines, batch_size=500)
    audit_record(actor=actor, action=AuditAction.FORECAST_MADE, subject=made, after={
        "as_of": result.as_of.isoformat(), "granularity": result.granularity, "periods": len(result.buckets),
        "include_new_sales": include_new_sales, "open_minor": result.open_minor, "expected_minor": expected,
        "beyond_minor": result.beyond_minor})
    return made
