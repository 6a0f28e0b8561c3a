"""`arms bench --also forecast`: time the cash-in forecast on the loaded book.

- ``compute_week`` / ``compute_month``: ``forecast_compute`` of the whole book as of today (every open item with
  its predicted dates, promises and plans matched, the spread into 13 weeks or 12 months with the band).
- ``run_seconds``: one stored run (compute + the forecast and its lines written).
- ``accuracy``: the accuracy page's computation over the stored forecasts.
"""

from __future__ import annotations

import time
from datetime import date

from arms.bench.measure import summary_ms, timed
from arms.customers.services import company_ensure
from arms.forecast.selectors import forecast_accuracy, forecast_compute
from arms.forecast.services import forecast_run


def bench_measure(*, today: date, seed: int, repeat: int) -> dict:
    company = company_ensure()
    week_seconds, week = timed(lambda: forecast_compute(as_of=today, granularity="week"), repeat)
    month_seconds, _month = timed(lambda: forecast_compute(as_of=today, granularity="month"), repeat)
    started = time.perf_counter()
    forecast_run(actor=None, company=company, as_of=today, granularity="week")
    run_seconds = time.perf_counter() - started
    accuracy_seconds, _report = timed(lambda: forecast_accuracy(company=company, today=today), repeat)
    return {
        "as_of": str(today),
        "items": week.item_count,  # type: ignore[attr-defined]
        "compute_week": summary_ms(week_seconds),
        "compute_month": summary_ms(month_seconds),
        "run_seconds": round(run_seconds, 3),
        "accuracy": summary_ms(accuracy_seconds),
    }
